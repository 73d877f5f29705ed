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
  }
  // New folds and weights each run: the scores differ between runs.
  CHECK(reports[0].test.total_correlation != reports[3].test.total_correlation);
  o.folds = 31;
  CHECK_THROWS_WITH(canon::raposo::cross_validate(d, config, o), Catch::Contains("30 groups"));
}
