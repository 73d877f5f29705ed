#include <canon/core/checks.hpp>
#include <catch2/catch.hpp>
#include <limits>

using canon::Matrix;

TEST_CASE("checks: messages say what was expected and what was found") {
  Matrix<double> m = Matrix<double>::Zero(3, 4);
  CHECK_NOTHROW(canon::detail::require_shape(m, 3, 4, "f", "x"));
  CHECK_THROWS_WITH(canon::detail::require_shape(m, 2, 4, "f", "x"),
                    "f: x must be 2x4, got 3x4");
  CHECK_THROWS_WITH(canon::detail::require_rows(m, 5, "Dense::forward", "input"),
                    Catch::Contains("must have 5 rows") && Catch::Contains("got 3x4"));
  CHECK_THROWS_WITH(canon::detail::require_batch(m, 5, "f", "covariance"),
                    Catch::Contains("at least 5 samples") && Catch::Contains("batch of 4"));
  m(1, 2) = std::numeric_limits<double>::quiet_NaN();
  CHECK_THROWS_WITH(canon::detail::require_finite(m, "f", "x"),
                    Catch::Contains("row 1, column 2"));
  m(1, 2) = std::numeric_limits<double>::infinity();
  CHECK_THROWS_AS(canon::detail::require_finite(m, "f", "x"), canon::value_error);
  CHECK_THROWS_AS(canon::detail::require_positive(0.0, "f", "rate"), canon::value_error);
  CHECK_THROWS_AS(canon::detail::require_in_range(1.5, 0.0, 1.0, "f", "p"), canon::value_error);
}

TEST_CASE("checks: every error derives from canon::error") {
  CHECK_THROWS_AS(throw canon::shape_error("s"), canon::error);
  CHECK_THROWS_AS(throw canon::value_error("v"), canon::error);
  CHECK_THROWS_AS(throw canon::numerical_error("n"), canon::error);
  CHECK_THROWS_AS(throw canon::io_error("i"), canon::error);
}
