#include <canon/nn/dense.hpp>

#include "canon_test.hpp"

using namespace canon;
using canon_test::tag;

TEMPLATE_TEST_CASE("Dense: gradients match finite differences", "[nn]", float, double) {
  auto make = [](auto t) {
    using S = typename decltype(t)::type;
    Rng rng(3);
    return nn::Dense<S>(5, 4, rng);
  };
  canon_test::check_layer<TestType>(make, canon_test::random_matrix(5, 7, 11));
}

TEMPLATE_TEST_CASE("Dense: without bias", "[nn]", float, double) {
  auto make = [](auto t) {
    using S = typename decltype(t)::type;
    Rng rng(3);
    return nn::Dense<S>(3, 6, rng, nn::Init::he_normal, false);
  };
  canon_test::check_layer<TestType>(make, canon_test::random_matrix(3, 2, 12));
  Rng rng(3);
  nn::Dense<TestType> layer(3, 6, rng, nn::Init::he_normal, false);
  CHECK(parameter_count(layer) == 18);
}

TEST_CASE("Dense: hand-computed forward and backward") {
  Rng rng(0);
  nn::Dense<double> layer(2, 2, rng);
  layer.weight().value << 1, 2, 3, 4;
  layer.bias().value << 0.5, -1;
  Matrix<double> x(2, 2);
  x << 1, 0, -1, 2;  // columns: (1, -1) and (0, 2)
  const Matrix<double>& y = layer.forward(x, Mode::eval);
  Matrix<double> expected(2, 2);
  expected << 1 - 2 + 0.5, 4 + 0.5, 3 - 4 - 1, 8 - 1;
  CHECK(y.isApprox(expected));
  Matrix<double> dy(2, 2);
  dy << 1, 0, 0, 1;
  const Matrix<double>& dx = layer.backward(dy);
  Matrix<double> expected_dx(2, 2);  // W^T dy = W^T
  expected_dx << 1, 3, 2, 4;
  CHECK(dx.isApprox(expected_dx));
  Matrix<double> expected_dw(2, 2);  // dy x^T = x^T
  expected_dw << 1, -1, 0, 2;
  CHECK(layer.weight().grad.isApprox(expected_dw));
  CHECK(layer.bias().grad.isApprox(Matrix<double>::Ones(2, 1)));
}

TEST_CASE("Dense: initialisation has the scheme's variance") {
  const Index in = 400, out = 300;
  const double xavier = 2.0 / (in + out), he = 2.0 / in;
  for (auto [scheme, variance] : {std::pair{nn::Init::xavier_uniform, xavier},
                                  std::pair{nn::Init::xavier_normal, xavier},
                                  std::pair{nn::Init::he_uniform, he},
                                  std::pair{nn::Init::he_normal, he}}) {
    Rng rng(9);
    nn::Dense<double> layer(in, out, rng, scheme);
    const auto& w = layer.weight().value;
    const double mean = w.mean();
    const double var = (w.array() - mean).square().mean();
    CHECK(std::abs(mean) < 0.01 * std::sqrt(variance));
    CHECK(var == Approx(variance).epsilon(0.02));
    CHECK(layer.bias().value.isZero());
  }
}

TEST_CASE("Dense: bad shapes are rejected with a message") {
  Rng rng(1);
  nn::Dense<double> layer(4, 3, rng);
  Matrix<double> x = Matrix<double>::Zero(5, 2);
  CHECK_THROWS_WITH(layer.forward(x, Mode::train),
                    Catch::Contains("must have 4 rows") && Catch::Contains("got 5x2"));
  Matrix<double> empty(4, 0);
  CHECK_THROWS_AS(layer.forward(empty, Mode::train), value_error);
  CHECK_THROWS_AS(layer.backward(Matrix<double>::Zero(3, 2)), error);  // before forward
  Matrix<double> good = Matrix<double>::Zero(4, 2);
  layer.forward(good, Mode::train);
  CHECK_THROWS_WITH(layer.backward(Matrix<double>::Zero(3, 5)),
                    Catch::Contains("must be 3x2") && Catch::Contains("got 3x5"));
  CHECK_THROWS_AS(nn::Dense<double>(0, 3, rng), value_error);
}

TEST_CASE("Dense: absurd or negative sizes are refused before anything is allocated", "[nn][robust]") {
  Rng rng(1);
  CHECK_THROWS_WITH(nn::Dense<float>(1000000, 1000000, rng),
                    Catch::Contains("Dense") && Catch::Contains("1000000 x 1000000") && Catch::Contains("limit"));
  CHECK_THROWS_AS(nn::Dense<double>(1000000, 1000000, rng), value_error);
  CHECK_THROWS_WITH(nn::Dense<double>(-3, 4, rng), Catch::Contains("inputs must be positive"));
  CHECK_THROWS_WITH(nn::Dense<double>(3, -4, rng), Catch::Contains("outputs must be positive"));
  CHECK_NOTHROW(nn::Dense<float>(1000, 1000, rng));
}
