#include <canon/core/columns.hpp>

#include "canon_test.hpp"

using namespace canon;

TEST_CASE("columns: the chosen columns in the given order, repeats allowed") {
  Matrix<double> x(2, 4);
  x << 0, 1, 2, 3,  //
      10, 11, 12, 13;
  const Matrix<double> picked = columns(x, {3, 0, 3});
  REQUIRE(picked.rows() == 2);
  REQUIRE(picked.cols() == 3);
  CHECK(picked.col(0) == x.col(3));
  CHECK(picked.col(1) == x.col(0));
  CHECK(picked.col(2) == x.col(3));
  const Matrix<double> none = columns(x, {});
  CHECK(none.rows() == 2);
  CHECK(none.cols() == 0);
}

TEST_CASE("columns: an index outside the matrix is named") {
  const Matrix<float> x = Matrix<float>::Zero(3, 4);
  CHECK_THROWS_WITH(columns(x, {1, 4}), Catch::Contains("index 4 outside [0, 4)"));
  CHECK_THROWS_AS(columns(x, {-1}), value_error);
}
