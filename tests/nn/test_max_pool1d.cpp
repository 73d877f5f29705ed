#include <canon/nn/max_pool1d.hpp>
#include <cmath>
#include <limits>

#include "canon_test.hpp"

using namespace canon;
using canon_test::tag;

TEMPLATE_TEST_CASE("MaxPool1D: gradients match finite differences", "[nn]", float, double) {
  // Distinct entries far apart keep every argmax stable under the finite-difference step.
  auto make = [](auto t) {
    using S = typename decltype(t)::type;
    return nn::MaxPool1D<S>(3, 10, 3, 2);
  };
  canon_test::check_layer<TestType>(make, canon_test::random_matrix(30, 3, 8, 0.01));
  auto make_default = [](auto t) {
    using S = typename decltype(t)::type;
    return nn::MaxPool1D<S>(2, 9, 3);
  };
  canon_test::check_layer<TestType>(make_default, canon_test::random_matrix(18, 2, 6, 0.01));
}

TEST_CASE("MaxPool1D: hand example with a tie") {
  nn::MaxPool1D<double> pool(1, 6, 3);
  CHECK(pool.out_length() == 2);
  Matrix<double> x(6, 1);
  x << 2, 2, 1, -1, 5, 5;
  const Matrix<double>& y = pool.forward(x, Mode::train);
  CHECK(y(0, 0) == 2);
  CHECK(y(1, 0) == 5);
  Matrix<double> dy(2, 1);
  dy << 10, 20;
  const Matrix<double>& dx = pool.backward(dy);
  Matrix<double> expected(6, 1);
  expected << 10, 0, 0, 0, 20, 0;  // the first maximum of each window
  CHECK(dx == expected);
}

TEST_CASE("MaxPool1D: rejects bad sizes") {
  CHECK_THROWS_AS(nn::MaxPool1D<double>(2, 2, 3), value_error);
  CHECK_THROWS_AS(nn::MaxPool1D<double>(0, 5, 3), value_error);
  nn::MaxPool1D<double> pool(2, 6, 3);
  Matrix<double> x(11, 1);
  CHECK_THROWS_AS(pool.forward(x, Mode::train), shape_error);
}

TEST_CASE("MaxPool1D: agrees with PyTorch") {
  const auto f = canon_test::read_fixture("conv_reference.txt");
  struct Case {
    const char* name;
    Index c, length, window, stride;
  };
  for (const Case& c : {Case{"pool_3", 3, 10, 3, 3}, Case{"pool_3_2", 2, 11, 3, 2}}) {
    const std::string p = c.name;
    INFO(p);
    nn::MaxPool1D<double> pool(c.c, c.length, c.window, c.stride);
    const Matrix<double> x = f.at(p + ".x");
    CHECK(pool.forward(x, Mode::train) == f.at(p + ".y"));
    CHECK(canon_test::relative_gap(pool.backward(f.at(p + ".R")), f.at(p + ".dx")) < 1e-14);
  }
}

TEMPLATE_TEST_CASE("MaxPool1D: a NaN propagates, as in PyTorch, and takes the gradient", "[nn]", float, double) {
  using S = TestType;
  // One channel, windows of 3: max(1, NaN, 0) is NaN, never 1.
  nn::MaxPool1D<S> pool(1, 6, 3);
  Matrix<S> x(6, 1);
  x << 1, std::numeric_limits<S>::quiet_NaN(), 0, 2, 5, 3;
  const Matrix<S> y = pool.forward(x, Mode::train);
  CHECK(std::isnan(y(0, 0)));
  CHECK(y(1, 0) == S(5));
  Matrix<S> dy(2, 1);
  dy << 7, 9;
  const Matrix<S> dx = pool.backward(dy);
  CHECK(dx(1, 0) == S(7));  // to the NaN's position
  CHECK(dx(0, 0) == S(0));
  CHECK(dx(4, 0) == S(9));
}
