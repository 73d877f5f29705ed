// EMER-CL's MER comparison (models/emer_cl/mer.hpp): 10-fold CV of an RBF SVR on
// planted problems (a smooth target is learnt, a shuffled one is not), standardisation
// on the training fold, the feature sets and targets, and the error paths.
#include <canon/models/emer_cl/mer.hpp>

#include "canon_test.hpp"

using namespace canon;

namespace {

struct Planted {
  Matrix<double> features, targets;
};

/// 5 features x songs; arousal and valence smooth functions of them plus a little noise.
Planted planted(Index songs, std::uint64_t seed) {
  Planted p;
  p.features = canon_test::random_matrix(5, songs, seed);
  const Matrix<double> noise = canon_test::random_matrix(2, songs, seed + 1);
  p.targets.resize(2, songs);
  for (Index j = 0; j < songs; ++j) {
    const auto x = p.features.col(j);
    p.targets(0, j) = 0.5 * std::tanh(x(0) + 0.5 * x(1)) + 0.05 * noise(0, j);
    p.targets(1, j) = 0.3 * std::sin(x(2)) - 0.2 * x(3) * x(3) / 2.0 + 0.05 * noise(1, j);
  }
  return p;
}

}  // namespace

TEST_CASE("MER cross-validation learns a smooth target and not a shuffled one", "[emer_cl][svm]") {
  const Planted p = planted(300, 21);
  const emer_cl::MerScores s = emer_cl::mer_cross_validation(p.features, p.targets);
  REQUIRE(s.targets.size() == 2);
  CHECK(s.folds == 10);
  CHECK(s.songs == 300);
  CHECK(s.features == 5);
  for (const auto& t : s.targets) {
    INFO("R^2 " << t.r_squared.mean << " +- " << t.r_squared.sd << ", r " << t.pearson.mean << ", RMSE "
                << t.rmse.mean);
    REQUIRE(t.fold_r_squared.size() == 10);
    CHECK(t.r_squared.mean > 0.8);
    CHECK(t.r_squared.sd > 0.0);
    CHECK(t.pearson.mean > 0.9);
    CHECK(t.r_squared.mean == Approx(eval::summarise(t.fold_r_squared).mean));
  }
  // The out-of-fold predictions are the ones scored: pooled R^2 is close to the fold mean.
  for (Index t = 0; t < 2; ++t)
    CHECK(eval::r_squared(s.predictions.row(t), p.targets.row(t)) ==
          Approx(s.targets[std::size_t(t)].r_squared.mean).margin(0.05));

  // Shuffle the songs' targets: nothing to learn, R^2 at or below 0.
  Matrix<double> shuffled = p.targets;
  Rng rng(5);
  const std::vector<Index> order = rng.permutation(300);
  for (Index j = 0; j < 300; ++j) shuffled.col(j) = p.targets.col(order[std::size_t(j)]);
  const emer_cl::MerScores chance = emer_cl::mer_cross_validation(p.features, shuffled);
  for (const auto& t : chance.targets) {
    INFO("shuffled R^2 " << t.r_squared.mean);
    CHECK(t.r_squared.mean < 0.02);
    CHECK(std::abs(t.pearson.mean) < 0.2);
  }
}

TEST_CASE("MER cross-validation standardises on the training fold", "[emer_cl][svm]") {
  const Planted p = planted(120, 31);
  emer_cl::MerOptions o;
  o.folds = 5;
  const emer_cl::MerScores base = emer_cl::mer_cross_validation(p.features, p.targets, o);
  // Per-feature affine changes do not change z-scores (up to rounding), so nothing changes.
  Matrix<double> rescaled = p.features;
  rescaled.row(0) = rescaled.row(0) * 1000.0 + RowVector<double>::Constant(120, 5.0);
  rescaled.row(3) *= 1e-3;
  const emer_cl::MerScores same = emer_cl::mer_cross_validation(rescaled, p.targets, o);
  CHECK((same.predictions - base.predictions).cwiseAbs().maxCoeff() < 1e-6);
  // Without standardisation the rescaled features give another (worse) fit.
  o.standardise = false;
  const emer_cl::MerScores raw = emer_cl::mer_cross_validation(rescaled, p.targets, o);
  CHECK((raw.predictions - base.predictions).cwiseAbs().maxCoeff() > 1e-2);
  CHECK(raw.targets[0].r_squared.mean < base.targets[0].r_squared.mean);
}

TEST_CASE("MER cross-validation is deterministic, its folds follow the seed", "[emer_cl][svm]") {
  const Planted p = planted(80, 41);
  const Matrix<float> features = p.features.cast<float>(), targets = p.targets.cast<float>();
  emer_cl::MerOptions o;
  const auto a = emer_cl::mer_cross_validation(features, targets, o);
  const auto b = emer_cl::mer_cross_validation(features, targets, o);
  CHECK((a.predictions.array() == b.predictions.array()).all());
  CHECK(a.targets[1].fold_rmse == b.targets[1].fold_rmse);
  o.seed = 2;
  const auto c = emer_cl::mer_cross_validation(features, targets, o);
  CHECK(c.targets[1].fold_rmse != a.targets[1].fold_rmse);
}

TEST_CASE("MER features: phi, (mu, sigma) and all; mean and last emotion", "[emer_cl][svm]") {
  emer_cl::Embedding<double> e;
  e.phi = canon_test::random_matrix(3, 4, 51);
  e.mean = canon_test::random_matrix(2, 4, 52);
  e.log_variance = canon_test::random_matrix(2, 4, 53);
  const Matrix<double> cca = emer_cl::mer_features(e, emer_cl::MerInputs::cca);
  const Matrix<double> kl = emer_cl::mer_features(e, emer_cl::MerInputs::kl);
  const Matrix<double> all = emer_cl::mer_features(e, emer_cl::MerInputs::all);
  CHECK(cca == e.phi);
  REQUIRE(kl.rows() == 4);
  CHECK(kl.topRows(2) == e.mean);
  CHECK((kl.bottomRows(2) - e.log_variance.array().exp().matrix()).cwiseAbs().maxCoeff() < 1e-15);
  REQUIRE(all.rows() == 7);
  CHECK(all.topRows(3) == e.phi);
  CHECK(all.middleRows(3, 2) == e.mean);
  // exp in Eigen's packet path and in its scalar path may differ in the last bit
  CHECK((all.bottomRows(2) - kl.bottomRows(2)).cwiseAbs().maxCoeff() < 1e-14);
  emer_cl::Embedding<double> no_phi = e;
  no_phi.phi.resize(0, 0);
  CHECK(emer_cl::mer_features(no_phi, emer_cl::MerInputs::kl) == kl);
  CHECK_THROWS_AS(emer_cl::mer_features(no_phi, emer_cl::MerInputs::all), canon::value_error);

  // Two songs, 3 steps padded; song 0 has 2 steps, song 1 all 3.
  emer_cl::PairSet<double> d;
  d.music_features = 1;
  d.music = Matrix<double>::Ones(3, 2);
  d.emotion.resize(6, 2);
  d.emotion.col(0) << 0.1, 0.2, 0.3, 0.4, 9, 9;  // padding must not count
  d.emotion.col(1) << 1, -1, 2, -2, 3, -3;
  d.emotion_lengths = {2, 3};
  const Matrix<double> mean = emer_cl::mean_emotion(d), last = emer_cl::last_emotion(d);
  CHECK(mean(0, 0) == Approx(0.2));
  CHECK(mean(1, 0) == Approx(0.3));
  CHECK(mean(0, 1) == Approx(2.0));
  CHECK(mean(1, 1) == Approx(-2.0));
  CHECK(last(0, 0) == 0.3);
  CHECK(last(1, 0) == 0.4);
  CHECK(last(0, 1) == 3.0);
  CHECK(last(1, 1) == -3.0);
}

TEST_CASE("MER cross-validation rejects bad input with what was expected", "[emer_cl][svm]") {
  const Planted p = planted(40, 61);
  CHECK_THROWS_WITH(emer_cl::mer_cross_validation(Matrix<double>(p.features.leftCols(15)),
                                                  Matrix<double>(p.targets.leftCols(15))),
                    Catch::Contains("15 songs for 10 folds") && Catch::Contains("at least 2 songs per fold"));
  CHECK_THROWS_WITH(emer_cl::mer_cross_validation(p.features, Matrix<double>(p.targets.leftCols(39))),
                    Catch::Contains("one column per song"));
  Matrix<double> bad = p.features;
  bad(2, 7) = std::nan("");
  CHECK_THROWS_WITH(emer_cl::mer_cross_validation(bad, p.targets), Catch::Contains("non-finite"));
  emer_cl::MerOptions o;
  o.folds = 1;
  CHECK_THROWS_AS(emer_cl::mer_cross_validation(p.features, p.targets, o), canon::value_error);
  o.folds = 4;
  o.svr.c = -1;
  CHECK_THROWS_WITH(emer_cl::mer_cross_validation(p.features, p.targets, o), Catch::Contains("C must be positive"));
}
