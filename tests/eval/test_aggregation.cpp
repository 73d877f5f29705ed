#include <canon/eval/aggregation.hpp>
#include <catch2/catch.hpp>

using namespace canon;

TEMPLATE_TEST_CASE("group_means: per-song means of chunk embeddings", "[eval]", float, double) {
  Matrix<TestType> chunks(2, 5);
  chunks << 1, 2, 3, 10, 20,  //
      0, 4, 8, -1, -3;
  const auto songs = eval::group_means(chunks, {7, 3, 7, 3, 7});
  REQUIRE(songs.groups == std::vector<int>{3, 7});
  CHECK(songs.sizes == std::vector<Index>{2, 3});
  Matrix<TestType> expected(2, 2);
  expected << (2 + 10) / 2.0, (1 + 3 + 20) / 3.0,  //
      (4 - 1) / 2.0, (0 + 8 - 3) / 3.0;
  CHECK(songs.values.isApprox(expected));
  CHECK_THROWS_AS(eval::group_means(chunks, {1, 2}), shape_error);
}
