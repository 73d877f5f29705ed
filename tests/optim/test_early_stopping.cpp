#include <canon/nn/dense.hpp>
#include <canon/optim/early_stopping.hpp>
#include <limits>

#include "canon_test.hpp"

using namespace canon;

TEST_CASE("EarlyStopping: patience counts epochs without improvement and best weights return") {
  Rng rng(1);
  nn::Dense<double> layer(2, 2, rng);
  optim::EarlyStopping<double> stopper(2, optim::Goal::minimise, 0.01);
  const double losses[] = {1.0, 0.8, 0.795, 0.9, 0.7, 0.75, 0.71};
  const bool improved[] = {true, true, false, false, true, false, false};
  const bool stop[] = {false, false, false, true, false, false, true};
  Matrix<double> best_weights;
  for (int epoch = 0; epoch < 7; ++epoch) {
    layer.weight().value.setConstant(epoch);  // stands in for training
    INFO("epoch " << epoch);
    CHECK(stopper.update(losses[epoch], layer) == improved[epoch]);
    CHECK(stopper.should_stop() == stop[epoch]);
  }
  CHECK(stopper.best() == 0.7);
  CHECK(stopper.best_epoch() == 4);
  stopper.restore_best(layer);
  CHECK((layer.weight().value.array() == 4.0).all());
}

TEST_CASE("EarlyStopping: maximising a metric and bad input") {
  Rng rng(1);
  nn::Dense<double> layer(2, 2, rng);
  optim::EarlyStopping<double> stopper(1, optim::Goal::maximise);
  CHECK_THROWS_AS(stopper.restore_best(layer), error);
  CHECK(stopper.update(0.5, layer));
  CHECK(stopper.update(0.6, layer));
  CHECK_FALSE(stopper.update(0.6, layer));
  CHECK(stopper.should_stop());
  CHECK_THROWS_AS(stopper.update(std::numeric_limits<double>::quiet_NaN(), layer), value_error);
  CHECK_THROWS_AS(optim::EarlyStopping<double>(0), value_error);
}
