#include <canon/loss/mse.hpp>
#include <canon/nn/dense.hpp>
#include <canon/nn/sequential.hpp>
#include <canon/optim/adam.hpp>
#include <canon/optim/sgd.hpp>
#include <limits>

#include "canon_test.hpp"

using namespace canon;

namespace {

// Follows the trajectory recorded by tests/fixtures/make_optimizer_fixture.py.
template <class Optimizer>
void follow_pytorch(const std::string& name, Optimizer optimizer) {
  const auto f = canon_test::read_fixture("optimizer_trajectories.txt");
  Rng rng(0);
  nn::Dense<double> layer(4, 3, rng);
  layer.weight().value = f.at("W0");
  layer.bias().value = f.at("b0");
  loss::MSE<double> mse;
  const Matrix<double>& x = f.at("X");
  const Matrix<double>& expected_losses = f.at(name + "_loss");
  for (Index step = 0; step < expected_losses.cols(); ++step) {
    const double value = mse.forward(layer.forward(x, Mode::train), f.at("Y"));
    INFO(name << " step " << step);
    CHECK(value == Approx(expected_losses(0, step)).epsilon(1e-12));
    layer.backward(mse.backward());
    optimizer.step(layer);
  }
  CHECK(canon_test::relative_gap(layer.weight().value, f.at(name + "_W")) < 1e-10);
  CHECK(canon_test::relative_gap(layer.bias().value, f.at(name + "_b")) < 1e-10);
}

}  // namespace

TEST_CASE("Adam and AdamW follow PyTorch's trajectories") {
  follow_pytorch("adam", optim::Adam<double>({0.05}));
  follow_pytorch("adam_l2", optim::Adam<double>({0.05, 0.8, 0.99, 1e-6, 0.1}));
  optim::AdamOptions adamw{0.05};
  adamw.weight_decay = 0.1;
  adamw.decoupled_weight_decay = true;
  follow_pytorch("adamw", optim::Adam<double>(adamw));
}

TEST_CASE("SGD, with momentum, dampening and Nesterov, follows PyTorch") {
  follow_pytorch("sgd", optim::SGD<double>({0.1}));
  follow_pytorch("sgd_momentum", optim::SGD<double>({0.05, 0.9, 0.1, 0.01}));
  optim::SGDOptions nesterov{0.05, 0.9};
  nesterov.nesterov = true;
  follow_pytorch("sgd_nesterov", optim::SGD<double>(nesterov));
}

TEMPLATE_TEST_CASE("Adam: the first step moves every weight by about lr", "[optim]", float,
                   double) {
  // With bias correction, step 1 is lr * g / (|g| + eps'): a sign step of size lr.
  Rng rng(4);
  nn::Dense<TestType> layer(3, 2, rng);
  const Matrix<TestType> before = layer.weight().value;
  layer.weight().grad = Matrix<TestType>::Constant(2, 3, TestType(0.37));
  layer.weight().grad(0, 0) = TestType(-2);
  layer.bias().grad.setOnes();
  optim::Adam<TestType> adam({0.01});
  adam.step(layer);
  const Matrix<TestType> moved = before - layer.weight().value;
  CHECK(moved(0, 0) == Approx(-0.01).epsilon(1e-5));
  CHECK(moved(1, 2) == Approx(0.01).epsilon(1e-5));
  CHECK(adam.steps() == 1);
}

TEST_CASE("optimizers: bad options, NaN gradients and changed models are rejected") {
  CHECK_THROWS_AS(optim::Adam<double>({-1.0}), value_error);
  CHECK_THROWS_AS(optim::Adam<double>({0.1, 1.0}), value_error);
  optim::SGDOptions bad_nesterov{0.1};
  bad_nesterov.nesterov = true;
  CHECK_THROWS_AS(optim::SGD<double>(bad_nesterov), value_error);

  Rng rng(2);
  nn::Dense<double> layer(2, 2, rng);
  const Matrix<double> before = layer.weight().value;
  layer.weight().grad.setOnes();
  layer.bias().grad.setZero();
  layer.bias().grad(1, 0) = std::numeric_limits<double>::infinity();
  optim::Adam<double> adam;
  CHECK_THROWS_WITH(adam.step(layer), Catch::Contains("bias") && Catch::Contains("non-finite"));
  CHECK(layer.weight().value == before);  // nothing was updated

  layer.bias().grad.setZero();
  adam.step(layer);
  nn::Dense<double> other(2, 3, rng);
  other.weight().grad.setZero();
  other.bias().grad.setZero();
  CHECK_THROWS_AS(adam.step(other), shape_error);
}
