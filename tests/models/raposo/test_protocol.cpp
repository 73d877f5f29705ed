// The Raposo 2017 cross-validation protocol: whole songs held out, every fold reported.
#include <canon/models/raposo/protocol.hpp>

#include <utility>
#include <vector>

#include "toy_raposo.hpp"

using canon_test::ChunkSet;
using canon_test::Config;
using canon_test::planted_chunks;
using canon_test::toy_config;

TEST_CASE("cross_validate holds out whole songs and reports every fold", "[models]") {
  const ChunkSet<double> d = planted_chunks(300, 6);  // 30 songs of 10 chunks
  Config config = toy_config();
  config.training.epochs = 2;
  canon::raposo::ProtocolOptions o;
  o.folds = 3;
  o.runs = 2;
  int seen = 0;
  std::vector<std::pair<int, int>> started;
  const auto reports = canon::raposo::cross_validate(
      d, config, o, [&](const auto&) { ++seen; },
      [&](int run, int fold) {
        CHECK(int(started.size()) == seen);  // told before the fold, not after
        started.emplace_back(run, fold);
      });
  REQUIRE(reports.size() == 6);
  CHECK(seen == 6);
  CHECK(started == std::vector<std::pair<int, int>>{{0, 0}, {0, 1}, {0, 2}, {1, 0}, {1, 1}, {1, 2}});
  for (const auto& r : reports) {
    // Whole songs of 10 chunks: 10 songs per fold.
    CHECK(r.test_chunks == 100);
    CHECK(r.validation_chunks == 100);
    CHECK(r.training_chunks == 100);
    CHECK(r.test.items == 100);
    CHECK(r.training.history.size() == 2);
    // The held-out embeddings are what the scores were computed from, column by column.
    REQUIRE(r.test_indices.size() == 100);
    CHECK(r.test_audio_embedding.cols() == 100);
    CHECK(r.test_eeg_embedding.rows() == r.test_audio_embedding.rows());
    const auto again = canon::eval::cross_modal_scores(r.test_audio_embedding, r.test_eeg_embedding);
    CHECK(again.total_correlation == Approx(r.test.total_correlation).margin(1e-12));
    CHECK(again.b_to_a.mrr == Approx(r.test.b_to_a.mrr).margin(1e-12));
    std::vector<int> per_song(30, 0);
    for (const auto i : r.test_indices) ++per_song[std::size_t(d.song[std::size_t(i)])];
    for (const int n : per_song) CHECK((n == 0 || n == 10));  // whole songs
  }
  // Over one run's folds every chunk is held out exactly once.
  std::vector<int> held(300, 0);
  for (int f = 0; f < 3; ++f)
    for (const auto i : reports[std::size_t(f)].test_indices) ++held[std::size_t(i)];
  CHECK(held == std::vector<int>(300, 1));
  // New folds and weights each run: the scores differ between runs.
  CHECK(reports[0].test.total_correlation != reports[3].test.total_correlation);
  o.folds = 31;
  CHECK_THROWS_WITH(canon::raposo::cross_validate(d, config, o), Catch::Contains("30 groups"));
}
