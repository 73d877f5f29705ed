#include <canon/loss/mse.hpp>
#include <canon/nn/activations.hpp>
#include <canon/nn/dense.hpp>
#include <canon/nn/sequential.hpp>
#include <canon/optim/adam.hpp>
#include <canon/optim/checkpoint.hpp>
#include <canon/optim/sgd.hpp>
#include <cstdio>
#include <limits>

#include "canon_test.hpp"

using namespace canon;

namespace {

template <class S>
nn::Sequential<S> network() {
  Rng rng(5);
  nn::Sequential<S> model;
  model.add(nn::Dense<S>(3, 8, rng));
  model.add(nn::Tanh<S>());
  model.add(nn::Dense<S>(8, 2, rng));
  return model;
}

template <class S, class Optimizer>
void train(nn::Sequential<S>& model, Optimizer& optimizer, int steps) {
  const Matrix<S> x = canon_test::random_matrix(3, 16, 1).cast<S>();
  const Matrix<S> y = canon_test::random_matrix(2, 16, 2).cast<S>();
  loss::MSE<S> mse;
  for (int i = 0; i < steps; ++i) {
    mse.forward(model.forward(x, Mode::train), y);
    model.backward(mse.backward());
    optimizer.step(model);
  }
}

template <class S>
std::vector<Matrix<S>> weights(nn::Sequential<S>& model) {
  std::vector<Matrix<S>> out;
  model.visit_parameters([&](Parameter<S>& p) { out.push_back(p.value); });
  return out;
}

}  // namespace

TEMPLATE_TEST_CASE("checkpoint: a resumed run is bit-identical to an uninterrupted one",
                   "[optim]", float, double) {
  const std::string path = "canon-test-checkpoint.bin";
  auto uninterrupted = network<TestType>();
  optim::Adam<TestType> adam({0.01});
  train(uninterrupted, adam, 7);
  optim::save_checkpoint(path, uninterrupted, adam, {3, 7, 0.25});
  train(uninterrupted, adam, 5);

  auto resumed = network<TestType>();
  Rng rng(99);  // scramble the fresh model so that only the checkpoint can restore it
  resumed.visit_parameters([&](Parameter<TestType>& p) { fill_normal(p.value, rng); });
  optim::Adam<TestType> fresh({0.01});
  const auto position = optim::load_checkpoint(path, resumed, fresh);
  CHECK(position.epoch == 3);
  CHECK(position.step == 7);
  CHECK(position.best_metric == 0.25);
  CHECK(fresh.steps() == 7);
  train(resumed, fresh, 5);
  CHECK(weights(resumed) == weights(uninterrupted));

  // A checkpoint is also a model file.
  auto plain = network<TestType>();
  load(plain, path);
  std::remove(path.c_str());
}

TEST_CASE("checkpoint: SGD with momentum resumes too, and mismatches are refused") {
  const std::string path = "canon-test-checkpoint-sgd.bin";
  auto a = network<double>();
  optim::SGD<double> sgd({0.05, 0.9});
  train(a, sgd, 4);
  optim::save_checkpoint(path, a, sgd, {1, 4});
  train(a, sgd, 3);
  auto b = network<double>();
  optim::SGD<double> sgd_b({0.05, 0.9});
  optim::load_checkpoint(path, b, sgd_b);
  train(b, sgd_b, 3);
  CHECK(weights(a) == weights(b));

  // Adam needs second moments that an SGD checkpoint does not have: refused by its kind.
  auto c = network<double>();
  optim::Adam<double> adam;
  CHECK_THROWS_WITH(optim::load_checkpoint(path, c, adam), Catch::Contains("written by the optimizer 'sgd"));
  // A model of another shape is refused before anything changes.
  Rng rng(1);
  nn::Sequential<double> other;
  other.add(nn::Dense<double>(3, 9, rng));
  const auto before = weights(other);
  optim::SGD<double> sgd_c({0.05, 0.9});
  CHECK_THROWS_AS(optim::load_checkpoint(path, other, sgd_c), shape_error);
  CHECK(weights(other) == before);
  std::remove(path.c_str());
}

TEST_CASE("checkpoint: a float model's early-stopping best and best metric come back exactly") {
  // 0.1 and 1/3 are not floats: rounded to float, a resumed run would compare later
  // epochs against another value than the run it continues.
  auto model = network<float>();
  optim::Adam<float> adam;
  train(model, adam, 2);
  optim::EarlyStopping<float> stopper(5);
  stopper.update(0.1, model);
  const std::string path = "canon-test-exact-best.ckpt";
  optim::save_checkpoint(path, model, adam, {1, 2, 1.0 / 3.0}, &stopper);
  auto restored = network<float>();
  optim::Adam<float> adam2;
  optim::EarlyStopping<float> stopper2(5);
  const auto position = optim::load_checkpoint(path, restored, adam2, &stopper2);
  CHECK(stopper2.best() == 0.1);
  CHECK(position.best_metric == 1.0 / 3.0);
  CHECK(double(float(0.1)) != 0.1);  // (what rounding would have given)
  // A metric between float(0.1) and 0.1 is judged as the straight run would judge it.
  CHECK_FALSE(stopper2.update(0.1 + 1e-12, restored));
  std::remove(path.c_str());
}

TEST_CASE("checkpoint: corrupt optimizer state and counters are refused, the model left unchanged", "[robust]") {
  const std::string path = "canon-test-checkpoint-corrupt.bin";
  auto save_with = [&](auto edit, optim::TrainingPosition position) {
    auto a = network<double>();
    optim::Adam<double> adam;
    train(a, adam, 2);
    auto state = adam.state();
    edit(state);
    adam.set_state(state);
    optim::save_checkpoint(path, a, adam, position);
  };
  auto refused = [&](const std::string& words) {
    auto b = network<double>();
    optim::Adam<double> adam;
    const auto before = weights(b);
    CHECK_THROWS_WITH(optim::load_checkpoint(path, b, adam), Catch::Contains(words));
    CHECK(weights(b) == before);
    CHECK(adam.steps() == 0);
  };
  using State = optim::detail::OptimizerState<double>;
  save_with([](State& s) { s.slots[0].first(0, 0) = std::numeric_limits<double>::quiet_NaN(); }, {1, 2});
  refused("optimizer.0.weight.first' holds nan");
  save_with([](State& s) { s.slots[1].second(0, 0) = -1; }, {1, 2});
  refused("negative optimizer.0.bias.second");
  save_with([](State& s) { s.steps = -5; }, {1, 2});
  refused("optimizer.steps = -5");
  save_with([](State&) {}, {-4, -7});
  refused("training.epoch = -4");
  std::remove(path.c_str());
}

TEST_CASE("checkpoint: another optimizer or other options are refused; the learning rate reached is restored",
          "[robust]") {
  const std::string path = "canon-test-checkpoint-optimizer.bin";
  auto a = network<double>();
  optim::Adam<double> adam({0.01});
  train(a, adam, 3);
  adam.set_learning_rate(0.005);  // as a schedule would
  optim::save_checkpoint(path, a, adam, {1, 3});
  CHECK(read_metadata(path).at("optimizer") == "adam beta1 0.90000000000000002 beta2 0.999 eps 1e-08 "
                                                "weight_decay 0 decoupled_weight_decay 0");

  // Adam's first moments would load as SGD's momentum buffers: refused, nothing changed.
  auto b = network<double>();
  const auto before = weights(b);
  optim::SGD<double> sgd({0.05, 0.9});
  CHECK_THROWS_WITH(optim::load_checkpoint(path, b, sgd),
                    Catch::Contains("written by the optimizer 'adam") && Catch::Contains("this run's is 'sgd"));
  CHECK(weights(b) == before);
  CHECK(sgd.steps() == 0);
  optim::AdamOptions other;
  other.beta1 = 0.8;
  optim::Adam<double> adam_other(other);
  CHECK_THROWS_WITH(optim::load_checkpoint(path, b, adam_other), Catch::Contains("beta1 0.8"));

  // The same options: the rate the run had reached comes back, and the run continues
  // exactly.
  optim::Adam<double> adam_b({0.01});
  optim::load_checkpoint(path, b, adam_b);
  CHECK(adam_b.options().learning_rate == 0.005);
  train(a, adam, 2);
  train(b, adam_b, 2);
  CHECK(weights(a) == weights(b));
  std::remove(path.c_str());
}

TEST_CASE("checkpoint: inconsistent early-stopping counters and non-finite best weights are refused", "[robust]") {
  const std::string path = "canon-test-checkpoint-stopping.bin";
  auto save_with = [&](auto edit) {
    auto a = network<double>();
    optim::Adam<double> adam;
    train(a, adam, 2);
    optim::EarlyStopping<double> stopper(5);
    stopper.update(0.7, a);
    stopper.update(0.9, a);
    auto state = stopper.state();
    edit(state);
    stopper.set_state(state);
    optim::save_checkpoint(path, a, adam, {2, 2}, &stopper);
  };
  auto refused = [&](const std::string& words) {
    auto b = network<double>();
    optim::Adam<double> adam;
    optim::EarlyStopping<double> stopper(5);
    const auto before = weights(b);
    CHECK_THROWS_WITH(optim::load_checkpoint(path, b, adam, &stopper), Catch::Contains(words));
    CHECK(weights(b) == before);
    CHECK(stopper.epochs() == 0);
  };
  using State = optim::EarlyStopping<double>::State;
  save_with([](State&) {});
  {
    auto b = network<double>();
    optim::Adam<double> adam;
    optim::EarlyStopping<double> stopper(5);
    optim::load_checkpoint(path, b, adam, &stopper);
    CHECK(stopper.best() == 0.7);
    CHECK(stopper.best_epoch() == 0);
    CHECK(stopper.epochs() == 2);
  }
  save_with([](State& s) { s.best_epoch = 3; });
  refused("inconsistent early-stopping state: best epoch 3");
  save_with([](State& s) { s.since_best = 0; });
  refused("0 epochs since it");
  save_with([](State& s) { s.snapshot.pop_back(); });
  refused("saved tensors");
  save_with([](State& s) { s.best = std::numeric_limits<double>::infinity(); });
  refused("a finite best");
  save_with([](State& s) { s.snapshot[1](0, 0) = std::numeric_limits<double>::quiet_NaN(); });
  refused("early_stopping.best_model.0.bias' holds nan");
  std::remove(path.c_str());
}
