// cca::Projection, the fitted linear CCA that models keep after training: what it
// refuses at transform time.
#include <canon/cca/projection.hpp>
#include <limits>

#include "canon_test.hpp"

using namespace canon;

TEST_CASE("cca::Projection refuses non-finite branch outputs instead of spreading them", "[cca][robust]") {
  const Matrix<double> h1 = canon_test::random_matrix(3, 40, 2), h2 = canon_test::random_matrix(2, 40, 3);
  cca::Projection<double> projection{"a", "b"};
  projection.fit(h1, h2, {});
  Matrix<double> bad = h1;
  bad(1, 7) = std::numeric_limits<double>::infinity();
  CHECK_THROWS_WITH(projection.first(bad, "model"), Catch::Contains("model") && Catch::Contains("inf"));
  CHECK(projection.second(h2, "model").allFinite());
}
