#include <canon/eval/summary.hpp>

#include "canon_test.hpp"

using canon::eval::summarise;

TEST_CASE("summarise: the mean and the sample standard deviation (n - 1)") {
  const auto s = summarise({1.0, 2.0, 3.0, 4.0});
  CHECK(s.mean == Approx(2.5));
  CHECK(s.sd == Approx(std::sqrt(5.0 / 3.0)));  // squared deviations 5, over n - 1 = 3
}

TEST_CASE("summarise: no values give zeros, one value has no spread") {
  const auto none = summarise({});
  CHECK(none.mean == 0.0);
  CHECK(none.sd == 0.0);
  const auto one = summarise({0.7});
  CHECK(one.mean == 0.7);
  CHECK(one.sd == 0.0);
}
