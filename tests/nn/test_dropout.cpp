#include <canon/nn/dropout.hpp>

#include "canon_test.hpp"

using namespace canon;

TEMPLATE_TEST_CASE("Dropout: gradients with a frozen mask", "[nn]", float, double) {
  auto make = [](auto t) {
    nn::Dropout<typename decltype(t)::type> layer(0.3, 77);
    layer.freeze_mask(true);
    return layer;
  };
  canon_test::check_layer<TestType>(make, canon_test::random_matrix(8, 6, 5));
}

TEST_CASE("Dropout: inverted scaling keeps the mean, drops the right share") {
  nn::Dropout<double> layer(0.25, 1);
  Matrix<double> x = Matrix<double>::Ones(200, 500);
  const auto& y = layer.forward(x, Mode::train);
  const double dropped = double((y.array() == 0).count()) / double(y.size());
  CHECK(dropped == Approx(0.25).margin(0.005));
  CHECK(y.mean() == Approx(1.0).margin(0.01));
  CHECK(((y.array() == 0) || ((y.array() - 1 / 0.75).abs() < 1e-12)).all());
  // The gradient passes through exactly where the input did.
  const auto& dx = layer.backward(Matrix<double>::Ones(200, 500));
  CHECK(dx.isApprox(y));
}

TEST_CASE("Dropout: eval mode is the identity and the same seed gives the same mask") {
  Matrix<double> x = canon_test::random_matrix(10, 10, 3);
  nn::Dropout<double> a(0.5, 9), b(0.5, 9);
  CHECK(a.forward(x, Mode::eval) == x);
  CHECK(a.forward(x, Mode::train) == b.forward(x, Mode::train));
  CHECK_THROWS_AS(nn::Dropout<double>(1.0, 1), value_error);
  CHECK_THROWS_AS(nn::Dropout<double>(-0.1, 1), value_error);
}

TEST_CASE("Dropout: mask k depends only on (seed, k), and k is a non-persistent buffer", "[robust]") {
  const Matrix<float> x = Matrix<float>::Ones(16, 8);
  nn::Dropout<float> a(0.5, 3), b(0.5, 3);
  Buffer<float>* counter = nullptr;
  b.visit_buffers([&](Buffer<float>& buffer) { counter = &buffer; });
  REQUIRE(counter != nullptr);
  CHECK_FALSE(counter->persistent);
  CHECK(counter->name == "dropout_draws");
  a.forward(x, Mode::train);
  const Matrix<float> second = a.forward(x, Mode::train);
  // b skips its first mask by being told it has drawn one (as a resumed run is).
  counter->value(0, 1) = 1;
  CHECK(b.forward(x, Mode::train) == second);
  CHECK(counter->value(0, 1) == 2);
  CHECK(a.forward(x, Mode::eval) == x);  // eval draws nothing
  // A counter that is not two whole numbers in [0, 2^24) came from a corrupt file.
  counter->value(0, 1) = 0.5f;
  CHECK_THROWS_WITH(b.forward(x, Mode::train), Catch::Contains("mask counter 'dropout_draws'"));
  counter->value << float(1 << 24), 0.0f;
  CHECK_THROWS_AS(b.forward(x, Mode::train), value_error);
}
