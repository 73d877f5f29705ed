// make_pair_set: pairing by id, lengths and padding, and a clear error for every
// mismatch the real files can hold (unmatched or duplicate ids, durations, NaN).
#include <canon/models/emer_cl/data.hpp>

#include "canon_test.hpp"

using namespace canon;
using canon_test::error_of;

namespace {

emer_cl::SongEmotion emotion(const std::string& id, Index steps, double base) {
  emer_cl::SongEmotion e;
  e.id = id;
  e.start = 15;
  for (Index t = 0; t < steps; ++t) {
    e.arousal.push_back(base + 0.01 * double(t));
    e.valence.push_back(-base);
  }
  return e;
}

emer_cl::SongMusic music(const std::string& id, Index frames, Index features = 3) {
  emer_cl::SongMusic m;
  m.id = id;
  m.frames = Matrix<double>::Constant(features, frames, double(frames));
  return m;
}

}  // namespace

TEST_CASE("make_pair_set pairs by id in emotion order, with each song's lengths", "[emer_cl][data]") {
  const std::vector<emer_cl::SongEmotion> em{emotion("7", 6, 0.1), emotion("3", 4, 0.2)};
  const std::vector<emer_cl::SongMusic> mu{music("3", 2), music("7", 3)};
  const auto set = emer_cl::make_pair_set<double>(em, mu);
  REQUIRE(set.size() == 2);
  CHECK(set.ids == std::vector<std::string>{"7", "3"});
  CHECK(set.music_features == 3);
  CHECK(set.music_lengths == std::vector<Index>{3, 2});
  CHECK(set.emotion_lengths == std::vector<Index>{6, 4});
  CHECK(set.music.rows() == 9);
  CHECK(set.emotion.rows() == 12);
  CHECK(set.music(0, 0) == 3.0);
  CHECK(set.music(8, 1) == 0.0);  // padding
  CHECK(set.emotion(2, 0) == Approx(0.11));  // arousal of step 1
  CHECK(set.emotion(3, 0) == Approx(-0.1));  // valence of step 1, from its own field
  CHECK(set.emotion(8, 1) == 0.0);
}

TEST_CASE("make_pair_set refuses what does not pair", "[emer_cl][data]") {
  const std::vector<emer_cl::SongEmotion> em{emotion("7", 6, 0.1), emotion("3", 4, 0.2)};
  CHECK_THAT(error_of([&] { emer_cl::make_pair_set<double>(em, {music("7", 3)}); }),
             Catch::Contains("song '3' has an emotion sequence but no music"));
  CHECK_THAT(error_of([&] { emer_cl::make_pair_set<double>(em, {music("7", 3), music("3", 2), music("9", 2)}); }),
             Catch::Contains("song '9' has music but no emotion"));
  emer_cl::PairingOptions drop;
  drop.drop_unmatched = true;
  emer_cl::PairingReport report;
  const auto set = emer_cl::make_pair_set<float>(em, {music("7", 3), music("9", 2)}, drop, &report);
  CHECK(set.ids == std::vector<std::string>{"7"});
  REQUIRE(report.dropped.size() == 2);
  CHECK_THAT(report.dropped[0], Catch::StartsWith("3: "));
  CHECK_THAT(report.dropped[1], Catch::StartsWith("9: "));
  CHECK_THAT(error_of([&] { emer_cl::make_pair_set<double>(em, {music("7", 3), music("7", 3)}); }),
             Catch::Contains("song '7' has music twice"));
  CHECK_THAT(error_of([&] { emer_cl::make_pair_set<double>({em[0], em[0]}, {music("7", 3)}); }),
             Catch::Contains("two emotion sequences"));
  // 3 s of emotion against 29 s of music: features of the whole song, or of another one.
  CHECK_THAT(error_of([&] { emer_cl::make_pair_set<double>({em[0]}, {music("7", 30)}); }),
             Catch::Contains("28.8 s of music"));
  CHECK_THAT(error_of([&] { emer_cl::make_pair_set<double>(em, {music("7", 3), music("3", 2, 4)}); }),
             Catch::Contains("expected 3 features"));
  auto nan = em;
  nan[1].valence[2] = std::nan("");
  CHECK_THAT(error_of([&] { emer_cl::make_pair_set<double>(nan, {music("7", 3), music("3", 2)}); }),
             Catch::Contains("song '3' step 2 (16 s) is not finite"));
  auto bad = music("7", 3);
  bad.frames(1, 1) = std::numeric_limits<double>::infinity();
  CHECK_THAT(error_of([&] { emer_cl::make_pair_set<double>({em[0]}, {bad}); }), Catch::Contains("NaN or Inf"));
  CHECK_THAT(error_of([&] { emer_cl::make_pair_set<double>({}, {}); }), Catch::Contains("no song has both"));
}
