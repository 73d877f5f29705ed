#include <canon/nn/activations.hpp>
#include <cmath>

#include "canon_test.hpp"

using namespace canon;
using canon_test::tag;

// Inputs kept at |x| >= 0.05 so the step of a finite difference never crosses a kink.
TEMPLATE_TEST_CASE("activations: gradients match finite differences", "[nn]", float, double) {
  const Matrix<double> x = 3.0 * canon_test::random_matrix(6, 5, 21, 0.05);
  SECTION("ReLU") {
    canon_test::check_layer<TestType>([](auto t) { return nn::ReLU<typename decltype(t)::type>(); }, x);
  }
  SECTION("LeakyReLU") {
    canon_test::check_layer<TestType>(
        [](auto t) { return nn::LeakyReLU<typename decltype(t)::type>(0.2); }, x);
  }
  SECTION("Softplus") {
    canon_test::check_layer<TestType>([](auto t) { return nn::Softplus<typename decltype(t)::type>(); }, x);
  }
  SECTION("Sigmoid") {
    canon_test::check_layer<TestType>([](auto t) { return nn::Sigmoid<typename decltype(t)::type>(); }, x);
  }
  SECTION("Tanh") {
    canon_test::check_layer<TestType>([](auto t) { return nn::Tanh<typename decltype(t)::type>(); }, x);
  }
}

TEST_CASE("activations: values at hand-picked points") {
  Matrix<double> x(1, 5);
  x << -50, -1, 0, 2, 50;
  nn::ReLU<double> relu;
  CHECK(relu.forward(x, Mode::eval).isApprox((Matrix<double>(1, 5) << 0, 0, 0, 2, 50).finished()));
  nn::LeakyReLU<double> leaky(0.1);
  CHECK(leaky.forward(x, Mode::eval).isApprox((Matrix<double>(1, 5) << -5, -0.1, 0, 2, 50).finished()));
  nn::Softplus<double> softplus;
  const auto& s = softplus.forward(x, Mode::eval);
  CHECK(s(0) == Approx(std::exp(-50.0)).epsilon(1e-12));  // no underflow to 0 in log1p form
  CHECK(s(1) == Approx(std::log1p(std::exp(-1.0))).epsilon(1e-15));
  CHECK(s(2) == Approx(std::log(2.0)).epsilon(1e-15));
  CHECK(s(4) == Approx(50.0).epsilon(1e-15));
  nn::Sigmoid<double> sigmoid;
  const auto& g = sigmoid.forward(x, Mode::eval);
  CHECK(g(2) == 0.5);
  CHECK(g(3) == Approx(1 / (1 + std::exp(-2.0))).epsilon(1e-15));
  CHECK(g(0) == Approx(std::exp(-50.0)).epsilon(1e-12));
  nn::Tanh<double> tanh_layer;
  CHECK(tanh_layer.forward(x, Mode::eval)(3) == Approx(std::tanh(2.0)).epsilon(1e-15));
}

TEST_CASE("activations: ReLU's gradient at 0 is 0, as in PyTorch") {
  Matrix<double> x = Matrix<double>::Zero(2, 2);
  nn::ReLU<double> relu;
  relu.forward(x, Mode::train);
  CHECK(relu.backward(Matrix<double>::Ones(2, 2)).isZero());
}

TEST_CASE("activations: extreme inputs give finite values and gradients") {
  Matrix<double> x(1, 4);
  x << -1000, -40, 40, 1000;
  nn::Softplus<double> softplus;
  nn::Sigmoid<double> sigmoid;
  CHECK(softplus.forward(x, Mode::train).allFinite());
  CHECK(softplus.backward(Matrix<double>::Ones(1, 4)).allFinite());
  CHECK(sigmoid.forward(x, Mode::train).allFinite());
  CHECK(sigmoid.backward(Matrix<double>::Ones(1, 4)).allFinite());
  CHECK_THROWS_AS(nn::LeakyReLU<double>(-0.1), value_error);
}
