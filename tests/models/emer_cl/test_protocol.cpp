// The protocol end to end on planted data: music frame features that carry each song's
// arousal/valence trajectory (plus a nuisance style and noise), emotion sequences of
// varying length. Retrieval must beat chance clearly; the splits must be disjoint.
#include <canon/models/emer_cl/baselines.hpp>
#include <canon/models/emer_cl/protocol.hpp>

#include <set>

#include "canon_test.hpp"

using namespace canon;

namespace {

emer_cl::PairSet<float> planted(Index songs, std::uint64_t seed) {
  Rng rng(seed);
  const Index steps = 8, frames = 8, features = 6;
  emer_cl::PairSet<float> d;
  d.music_features = features;
  d.music.setZero(features * frames, songs);
  d.emotion.setZero(2 * steps, songs);
  const Matrix<double> mix = canon_test::random_matrix(features, 4, seed + 1);
  for (Index j = 0; j < songs; ++j) {
    const Index length = 5 + Index(rng.below(4));
    d.emotion_lengths.push_back(length);
    d.music_lengths.push_back(length);
    const double a0 = rng.uniform(-1, 1), v0 = rng.uniform(-1, 1), slope = rng.uniform(-0.1, 0.1);
    for (Index t = 0; t < length; ++t) {
      const double a = a0 + slope * double(t), v = v0 - slope * double(t);
      d.emotion(2 * t, j) = float(a);
      d.emotion(2 * t + 1, j) = float(v);
      Vector<double> latent(4);
      latent << a, v, a * v, std::tanh(2 * a);
      const Vector<double> frame = mix * latent + 0.2 * canon_test::random_matrix(features, 1, seed + 100 + Index(j) * 16 + t);
      d.music.col(j).segment(t * features, features) = frame.cast<float>();
    }
  }
  return d;
}

}  // namespace

TEST_CASE("emer_cl::protocol_split: disjoint parts that cover every song") {
  const auto parts = emer_cl::protocol_split(50, 0.2, 0.1, 3);
  CHECK(parts[2].size() == 10);
  CHECK(parts[1].size() == 4);
  CHECK(parts[0].size() == 36);
  std::set<Index> all;
  for (const auto& p : parts) all.insert(p.begin(), p.end());
  CHECK(all.size() == 50);
  CHECK(emer_cl::protocol_split(50, 0.2, 0.1, 3) == parts);  // same seed, same split
  CHECK_THROWS_WITH(emer_cl::protocol_split(5, 0.2, 0.0, 1), Catch::Contains("at least 2"));
}

TEST_CASE("emer_cl::run_protocol: retrieval on planted data beats chance") {
  const auto data = planted(100, 7);
  emer_cl::ProtocolConfig config;
  config.model.music = {emer_cl::EncoderKind::mean_mlp, 6, 0, {32, 16}, 0.0};
  config.model.emotion = {emer_cl::EncoderKind::bigru_mlp, 2, 8, {32, 16}, 0.0};
  config.model.cca_dimensions = 4;
  config.model.kl_dimensions = 4;
  config.set_hyper_parameters(0.4, 1.0, 0.5);
  config.loss.kl.reduction = loss::Reduction::mean;
  config.adam.learning_rate = 3e-3;
  config.loop.epochs = 40;
  config.loop.batch_size = 40;
  config.runs = 2;
  std::vector<int> seen;
  const auto reports = emer_cl::run_protocol(data, config, [&](const emer_cl::RunReport& r) { seen.push_back(r.run); });
  REQUIRE(reports.size() == 2);
  CHECK(seen == std::vector<int>{0, 1});
  for (const auto& r : reports) {
    CHECK(r.test_pairs == 20);
    INFO("run " << r.run << ": M2E MRR " << r.test.m2e_mrr << " AR " << r.test.m2e_ar << ", E2M MRR "
                << r.test.e2m_mrr << " (chance " << r.chance.m2e_mrr << ", AR " << r.chance.m2e_ar << ")");
    CHECK(r.test.m2e_mrr > 2 * r.chance.m2e_mrr);
    CHECK(r.test.e2m_mrr > 2 * r.chance.e2m_mrr);
    CHECK(r.test.m2e_ar < r.chance.m2e_ar);
    CHECK(r.training.history.back().train_loss < r.training.history.front().train_loss);
  }
}

TEST_CASE("emer_cl::regression_baseline: RegMLP and RegBiGRU rank by absolute error, above chance") {
  const auto data = planted(100, 9);
  const auto split = emer_cl::protocol_split(data.size(), 0.2, 0.0, 4);
  emer_cl::BaselineConfig config;
  config.music = {emer_cl::EncoderKind::mean_mlp, 6, 0, {32, 16}, 0.0};
  config.emotion = {emer_cl::EncoderKind::bigru_mlp, 2, 8, {32, 16}, 0.0};
  config.adam.learning_rate = 3e-3;
  config.loop.epochs = 60;
  config.loop.batch_size = 20;
  const auto scores = emer_cl::regression_baseline(data.subset(split[0]), data.subset(split[2]), config, 5);
  const auto chance = emer_cl::chance_scores(20);
  INFO("M2E MRR " << scores.m2e_mrr << ", E2M MRR " << scores.e2m_mrr << ", chance " << chance.m2e_mrr);
  CHECK(scores.m2e_mrr > 1.5 * chance.m2e_mrr);
  CHECK(scores.e2m_mrr > 1.5 * chance.e2m_mrr);
  Matrix<float> p(1, 2), t(1, 3);
  p << 0, 5;
  t << 1, 4, 0;
  const Matrix<float> s = emer_cl::negative_l1(p, t);
  CHECK(s(0, 2) == 0.0f);
  CHECK(s(1, 1) == -1.0f);
}
