// The semi-real generator on emotion sequences shaped like DEAM's (smooth 2 Hz walks of
// 60 steps; the real annotations are used in test_files.cpp): determinism, shapes, the
// planted relation (loudness follows arousal, mode follows valence) and the oracle.
#include <canon/models/emer_cl/semi_real.hpp>

#include "canon_test.hpp"

using namespace canon;
using canon_test::error_of;

namespace {

std::vector<emer_cl::SongEmotion> walks(Index songs, std::uint64_t seed) {
  Rng rng(seed);
  std::vector<emer_cl::SongEmotion> out;
  for (Index j = 0; j < songs; ++j) {
    emer_cl::SongEmotion e;
    e.id = std::to_string(100 + j);
    e.start = 15;
    double a = rng.normal(0, 0.3), v = rng.normal(0, 0.3);
    for (Index t = 0; t < 60 - Index(j % 3) * 10; ++t) {
      a += rng.normal(0, 0.03), v += rng.normal(0, 0.03);
      e.arousal.push_back(a);
      e.valence.push_back(v);
    }
    out.push_back(e);
  }
  return out;
}

double correlation(const std::vector<double>& x, const std::vector<double>& y) {
  const auto n = double(x.size());
  double mx = 0, my = 0;
  for (std::size_t i = 0; i < x.size(); ++i) mx += x[i] / n, my += y[i] / n;
  double sxy = 0, sxx = 0, syy = 0;
  for (std::size_t i = 0; i < x.size(); ++i)
    sxy += (x[i] - mx) * (y[i] - my), sxx += (x[i] - mx) * (x[i] - mx), syy += (y[i] - my) * (y[i] - my);
  return sxy / std::sqrt(sxx * syy);
}

}  // namespace

TEST_CASE("semi_real: same seed same data, shapes and lengths", "[emer_cl][semi_real]") {
  const auto em = walks(40, 3);
  emer_cl::SemiRealOptions o;
  o.songs = 25;
  const auto a = emer_cl::semi_real<float>(em, o, 7);
  const auto b = emer_cl::semi_real<float>(em, o, 7);
  const auto c = emer_cl::semi_real<float>(em, o, 8);
  CHECK(a.pairs.music == b.pairs.music);
  CHECK(a.pairs.ids == b.pairs.ids);
  CHECK(a.pairs.ids != c.pairs.ids);
  REQUIRE(a.pairs.size() == 25);
  CHECK(a.pairs.music_features == 128);
  a.pairs.validate("test");
  for (Index j = 0; j < 25; ++j) {
    const Index steps = a.pairs.emotion_lengths[std::size_t(j)];
    CHECK(a.pairs.music_lengths[std::size_t(j)] == Index(std::floor(double(steps) * 0.5 / 0.96)));
    // The emotion is the given sequence, unchanged.
    const auto& src = *std::find_if(em.begin(), em.end(), [&](const auto& e) { return e.id == a.pairs.ids[std::size_t(j)]; });
    CHECK(a.pairs.emotion(0, j) == float(src.arousal[0]));
    CHECK(a.pairs.emotion(2 * steps - 1, j) == float(src.valence.back()));
  }
  // All songs when fewer than asked.
  o.songs = 1000;
  CHECK(emer_cl::semi_real<double>(em, o, 1).pairs.size() == 40);
}

TEST_CASE("semi_real: loudness follows arousal, mode follows valence", "[emer_cl][semi_real]") {
  const auto em = walks(120, 5);
  const auto d = emer_cl::semi_real<double>(em, {}, 2);
  // The loudness read from the features (mean of the 64 mean rows, less the song's own
  // timbre) against the song's arousal at each frame, pooled over songs; the mode (the
  // projection on the mode pattern) against valence.
  std::vector<double> loud, arousal, mode, valence;
  const Vector<double> mode_pattern = d.patterns.col(3) / d.patterns.col(3).squaredNorm();
  for (Index j = 0; j < d.pairs.size(); ++j)
    for (Index k = 0; k < d.pairs.music_lengths[std::size_t(j)]; ++k) {
      const Vector<double> x = d.pairs.music.col(j).segment(128 * k, 128) - d.timbre[std::size_t(j)];
      loud.push_back(x.head(64).mean());
      mode.push_back(mode_pattern.dot(x));
      arousal.push_back(d.emotion_at_frames[std::size_t(j)](0, k));
      valence.push_back(d.emotion_at_frames[std::size_t(j)](1, k));
    }
  CHECK(correlation(loud, arousal) > 0.85);
  CHECK(correlation(mode, valence) > 0.7);
  CHECK(std::abs(correlation(mode, arousal) - correlation(valence, arousal)) < 0.15);
}

TEST_CASE("semi_real: the oracle's ceiling falls with noise and pool size", "[emer_cl][semi_real]") {
  const auto em = walks(100, 9);
  emer_cl::SemiRealOptions quiet;
  quiet.descriptor_noise = 0;
  quiet.feature_noise = 0;
  const auto exact = emer_cl::semi_real_oracle(emer_cl::semi_real<double>(em, quiet, 1));
  CHECK(exact.m2e_mrr == Approx(1.0));
  CHECK(exact.e2m_mrr == Approx(1.0));
  emer_cl::SemiRealOptions loud;
  loud.descriptor_noise = 1.5;
  const auto data = emer_cl::semi_real<double>(em, loud, 1);
  const auto noisy = emer_cl::semi_real_oracle(data);
  CHECK(noisy.m2e_mrr < 0.99);
  CHECK(noisy.m2e_mrr > 0.1);  // far above chance (about 0.05 for 100 songs)
  std::vector<Index> fifth;
  for (Index j = 0; j < 20; ++j) fifth.push_back(j);
  CHECK(emer_cl::semi_real_oracle(data, fifth).songs == 20);
  CHECK(emer_cl::semi_real_oracle(data, fifth).m2e_mrr > noisy.m2e_mrr);
  CHECK_THAT(error_of([&] { emer_cl::semi_real_oracle(data, {100}); }), Catch::Contains("index 100 outside"));
}

TEST_CASE("semi_real: errors", "[emer_cl][semi_real]") {
  CHECK_THAT(error_of([] { emer_cl::semi_real<float>({}); }), Catch::Contains("no emotion sequences"));
  auto em = walks(3, 1);
  emer_cl::SemiRealOptions o;
  o.songs = 0;
  CHECK_THAT(error_of([&] { emer_cl::semi_real<float>(em, o); }), Catch::Contains("options out of range"));
  o = {};
  o.descriptor_noise_ar = 1;
  CHECK_THAT(error_of([&] { emer_cl::semi_real<float>(em, o); }), Catch::Contains("descriptor_noise_ar"));
  auto short_song = em;
  short_song[1].arousal.resize(1), short_song[1].valence.resize(1);
  CHECK_THAT(error_of([&] { emer_cl::semi_real<float>(short_song); }), Catch::Contains("shorter than one music frame"));
  auto nan = em;
  nan[2].arousal[4] = std::nan("");
  CHECK_THAT(error_of([&] { emer_cl::semi_real<float>(nan); }), Catch::Contains("song '102' step 4 is not finite"));
}
