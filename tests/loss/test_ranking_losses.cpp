// EMER-CL's ranking losses: the Gaussian KL ranking (both directions, the paper's and the
// authors' variant) and the cosine ranking, against PyTorch autograd and finite
// differences; the pairwise KL matrix against its definition.
#include <canon/loss/cosine_ranking.hpp>
#include <canon/loss/gaussian_kl.hpp>
#include <canon/loss/gaussian_kl_ranking.hpp>

#include "canon_test.hpp"

using namespace canon;

namespace {

double kl(const Vector<double>& a, const Vector<double>& la, const Vector<double>& b,
          const Vector<double>& lb) {
  double total = 0;
  for (Index d = 0; d < a.size(); ++d) {
    const double u = std::exp(la(d)), v = std::exp(lb(d));
    total += u / v + (b(d) - a(d)) * (b(d) - a(d)) / v - 1 + std::log(v) - std::log(u);
  }
  return 0.5 * total;
}

// Random inputs whose hinge arguments all keep away from 0 (finite differences
// across a kink are meaningless).
std::array<Matrix<double>, 4> gaussians(Index d, Index n, std::uint64_t seed) {
  return {canon_test::random_matrix(d, n, seed), 0.5 * canon_test::random_matrix(d, n, seed + 1),
          canon_test::random_matrix(d, n, seed + 2), 0.5 * canon_test::random_matrix(d, n, seed + 3)};
}

double smallest_hinge_argument(const Matrix<double>& k, double margin) {
  double smallest = 1e300;
  for (Index i = 0; i < k.rows(); ++i)
    for (Index j = 0; j < k.cols(); ++j)
      if (i != j) smallest = std::min(smallest, std::abs(margin + k(i, i) - k(i, j)));
  return smallest;
}

}  // namespace

TEST_CASE("PairwiseGaussianKL: every entry equals Eq. 7, from GEMMs") {
  const auto [a, la, b, lb] = gaussians(6, 7, 1);
  const Matrix<double> b3 = b.leftCols(3), lb3 = lb.leftCols(3);
  loss::PairwiseGaussianKL<double> pairwise;
  const Matrix<double> k = pairwise.forward(a, la, b3, lb3);
  REQUIRE(k.rows() == 7);
  REQUIRE(k.cols() == 3);
  for (Index i = 0; i < 7; ++i)
    for (Index j = 0; j < 3; ++j)
      CHECK(k(i, j) == Approx(kl(a.col(i), la.col(i), b3.col(j), lb3.col(j))).epsilon(1e-12));
  CHECK(k.minCoeff() >= -1e-12);  // KL >= 0
  const Matrix<double> same = pairwise.forward(a, la, a, la);
  CHECK(same.diagonal().cwiseAbs().maxCoeff() < 1e-12);  // KL(p || p) = 0
}

TEST_CASE("GaussianKLRanking: finite differences, both variants and reductions") {
  for (auto variant : {loss::KlRankingVariant::paper, loss::KlRankingVariant::authors_code})
    for (auto reduction : {loss::Reduction::sum, loss::Reduction::mean}) {
      loss::KlRankingOptions options;
      options.margin = 4.0;  // many active and many inactive hinges at this spread
      options.variant = variant;
      options.reduction = reduction;
      loss::GaussianKLRanking<double> ranking(options);
      const auto [mm, lm, me, le] = gaussians(3, 6, 7);
      ranking.forward(mm, lm, me, le);
      REQUIRE(smallest_hinge_argument(ranking.music_to_emotion_kl(), 4.0) > 1e-3);
      const auto report = testing::check_loss_input_gradients(ranking, mm, lm, me, le);
      INFO(report.to_string());
      CHECK(report.worst() < 1e-6);
    }
}

TEST_CASE("GaussianKLRanking: agrees with PyTorch autograd (fixture)") {
  const auto f = canon_test::read_fixture("ranking_reference.txt");
  const struct {
    const char* name;
    double margin;
    loss::KlRankingVariant variant;
    loss::Reduction reduction;
  } cases[] = {{"kl_paper", 3.0, loss::KlRankingVariant::paper, loss::Reduction::sum},
               {"kl_paper_mean", 1.0, loss::KlRankingVariant::paper, loss::Reduction::mean},
               {"kl_code", 2.0, loss::KlRankingVariant::authors_code, loss::Reduction::sum}};
  for (const auto& c : cases) {
    INFO(c.name);
    const std::string p = c.name;
    loss::GaussianKLRanking<double> ranking({c.margin, c.reduction, c.variant});
    const double value = ranking.forward(f.at(p + ".music_mean"), f.at(p + ".music_log_variance"),
                                         f.at(p + ".emotion_mean"), f.at(p + ".emotion_log_variance"));
    CHECK(value == Approx(f.at(p + ".loss")(0, 0)).epsilon(1e-12));
    if (c.variant == loss::KlRankingVariant::paper)
      CHECK(canon_test::relative_gap(ranking.music_to_emotion_kl(), f.at(p + ".kl_me")) < 1e-12);
    const auto g = ranking.backward();
    const char* names[] = {"music_mean", "music_log_variance", "emotion_mean", "emotion_log_variance"};
    for (std::size_t i = 0; i < 4; ++i) {
      INFO(names[i]);
      CHECK(canon_test::relative_gap(g[i], f.at(p + ".d_" + names[i])) < 1e-11);
    }
  }
}

TEST_CASE("GaussianKLRanking: zero when every negative is farther by more than the margin") {
  // Identical Gaussians per pair, distinct means far apart across pairs: positives have
  // KL 0, negatives KL >> alpha, so every hinge is inactive.
  Matrix<double> mean(2, 3);
  mean << 0, 10, 20, 0, -10, 5;
  const Matrix<double> log_variance = Matrix<double>::Zero(2, 3);
  loss::GaussianKLRanking<double> ranking;
  CHECK(ranking.forward(mean, log_variance, mean, log_variance) == 0.0);
  const auto g = ranking.backward();
  for (std::size_t i = 0; i < 4; ++i) CHECK(g[i].cwiseAbs().maxCoeff() == 0.0);
  // Swap two emotion items: now those positives are far apart, and the loss is large.
  Matrix<double> swapped = mean;
  swapped.col(0).swap(swapped.col(1));
  CHECK(ranking.forward(mean, log_variance, swapped, log_variance) > 10.0);
}

TEST_CASE("CosineRanking: finite differences and PyTorch autograd (fixture)") {
  loss::CosineRanking<double> ranking({0.6});
  const Matrix<double> x = canon_test::random_matrix(4, 6, 11), y = canon_test::random_matrix(4, 6, 12);
  const auto report = testing::check_loss_input_gradients(ranking, x, y);
  INFO(report.to_string());
  CHECK(report.worst() < 1e-6);

  const auto f = canon_test::read_fixture("ranking_reference.txt");
  for (const auto& [name, margin, reduction] :
       {std::tuple{"cosine", 0.3, loss::Reduction::sum}, std::tuple{"cosine_mean", 0.8, loss::Reduction::mean}}) {
    INFO(name);
    const std::string p = name;
    loss::CosineRanking<double> fixture_loss({margin, reduction});
    CHECK(fixture_loss.forward(f.at(p + ".music"), f.at(p + ".emotion")) ==
          Approx(f.at(p + ".loss")(0, 0)).epsilon(1e-12));
    const auto g = fixture_loss.backward();
    CHECK(canon_test::relative_gap(g[0], f.at(p + ".d_music")) < 1e-11);
    CHECK(canon_test::relative_gap(g[1], f.at(p + ".d_emotion")) < 1e-11);
  }
}

TEMPLATE_TEST_CASE("Ranking losses: float agrees with double", "[loss]", float) {
  const auto [mm, lm, me, le] = gaussians(5, 8, 21);
  loss::GaussianKLRanking<double> twin;
  loss::GaussianKLRanking<TestType> low;
  const double reference = twin.forward(mm, lm, me, le);
  const Matrix<TestType> fm = mm.cast<TestType>(), fl = lm.cast<TestType>(), fe = me.cast<TestType>(),
                         fle = le.cast<TestType>();
  CHECK(double(low.forward(fm, fl, fe, fle)) == Approx(reference).epsilon(1e-5));
  const auto gd = twin.backward();
  const auto gf = low.backward();
  for (std::size_t i = 0; i < 4; ++i)
    CHECK(canon_test::relative_gap(gf[i].template cast<double>(), gd[i]) < 1e-4);
}

TEST_CASE("Ranking losses: bad input is refused with a message") {
  CHECK_THROWS_WITH(loss::GaussianKLRanking<double>({0.0}), Catch::Contains("margin"));
  CHECK_THROWS_WITH(loss::CosineRanking<double>({-1.0}), Catch::Contains("margin"));
  loss::GaussianKLRanking<double> ranking;
  const Matrix<double> one = canon_test::random_matrix(3, 1, 1), a = canon_test::random_matrix(3, 4, 2),
                       b = canon_test::random_matrix(2, 4, 3);
  CHECK_THROWS_WITH(ranking.forward(one, one, one, one), Catch::Contains("N >= 2"));
  CHECK_THROWS_AS(ranking.forward(a, a, b, b), shape_error);
  CHECK_THROWS_WITH(ranking.backward(), Catch::Contains("before forward"));
  Matrix<double> nan = a;
  nan(1, 2) = std::nan("");
  CHECK_THROWS_WITH(ranking.forward(a, nan, a, a), Catch::Contains("row 1, column 2"));
  loss::CosineRanking<double> cosine;
  const Matrix<double> zero = Matrix<double>::Zero(3, 4);
  CHECK_THROWS_WITH(cosine.forward(zero, a), Catch::Contains("norm 0"));
}
