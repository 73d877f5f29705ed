#include <canon/models/avramidis/music_experiment.hpp>

#include <set>

#include "canon_test.hpp"

using namespace canon;

namespace {

// 20 tracks x 12 windows; the label is planted along one embedding direction, with
// per-track offsets and window noise.
struct Planted {
  Matrix<double> x;
  std::vector<int> track;
  std::vector<Index> label;
};

Planted planted(std::uint64_t seed) {
  Planted p;
  const Index tracks = 20, windows = 12, d = 16;
  p.x.resize(d, tracks * windows);
  Rng rng(seed);
  const Matrix<double> offsets = canon_test::random_matrix(d, tracks, seed + 1);
  const Matrix<double> noise = canon_test::random_matrix(d, tracks * windows, seed + 2);
  for (Index t = 0; t < tracks; ++t) {
    const Index label = t % 2;
    for (Index w = 0; w < windows; ++w) {
      const Index j = t * windows + w;
      p.x.col(j) = 0.5 * offsets.col(t) + 0.3 * noise.col(j);
      p.x(0, j) += label ? 1.5 : -1.5;
      p.track.push_back(int(t));
      p.label.push_back(label);
    }
  }
  return p;
}

}  // namespace

TEST_CASE("avramidis::music_only_cv: stratified track folds, the planted label is found") {
  const Planted p = planted(3);
  avramidis::MusicExperimentOptions options;
  options.branch.embedding = 16;
  options.loop.epochs = 200;
  options.adam.learning_rate = 3e-3;
  const auto results = avramidis::music_only_cv(p.x, p.track, p.label, options);
  REQUIRE(results.size() == 5);
  Index tracks = 0;
  double logistic = 0;
  for (const auto& r : results) {
    CHECK(r.test_tracks == 4);  // 20 tracks over 5 folds, 2 of each class
    CHECK(r.test_windows == 48);
    CHECK(r.network.window > 0.85);
    CHECK(r.network.track >= 0.75);
    logistic += r.logistic.window / 5;
    CHECK(r.majority.window == Approx(0.5));
    tracks += r.test_tracks;
  }
  CHECK(tracks == 20);  // every track is tested exactly once
  CHECK(logistic > 0.75);  // the linear baseline, on average over folds (chance: 0.5)
  // Same seed, same result.
  const auto again = avramidis::music_only_cv(p.x, p.track, p.label, options);
  CHECK(again[2].network.window == results[2].network.window);
}

TEST_CASE("avramidis::music_only_cv: inconsistent inputs are refused") {
  Planted p = planted(4);
  avramidis::MusicExperimentOptions options;
  options.branch.embedding = 16;
  p.label[5] = 1 - p.label[5];  // one window of track 0 with the other label
  CHECK_THROWS_WITH(avramidis::music_only_cv(p.x, p.track, p.label, options),
                    Catch::Contains("track 0 has windows of both labels"));
  p.label[5] = 2;
  CHECK_THROWS_WITH(avramidis::music_only_cv(p.x, p.track, p.label, options), Catch::Contains("expected 0 or 1"));
  p.label.pop_back();
  CHECK_THROWS_AS(avramidis::music_only_cv(p.x, p.track, p.label, options), shape_error);
}

TEST_CASE("avramidis: the validation tracks are carved per class from the training tracks") {
  std::map<int, int> label_of;
  std::vector<int> tracks;
  for (int t = 0; t < 10; ++t) {
    label_of[t] = t < 6 ? 1 : 0;
    tracks.push_back(t);
  }
  Rng rng(1);
  const auto [fit, validation] = avramidis::detail::carve_validation(tracks, label_of, 0.25, rng);
  CHECK(fit.size() + validation.size() == 10);
  Index positives = 0;
  for (int t : validation) positives += label_of[t];
  CHECK(validation.size() == 3);  // round(0.25 * 6) + round(0.25 * 4) = 2 + 1
  CHECK(positives == 2);
  std::set<int> all(fit.begin(), fit.end());
  all.insert(validation.begin(), validation.end());
  CHECK(all.size() == 10);
}
