// A regression task whose model draws dropout masks in two places (between the layers
// of a stacked LSTM and in Dropout layers) and is large enough (~70 k parameters) that
// writing its checkpoint takes milliseconds: what resume tests need to catch a run
// killed in a step or in a checkpoint write. Shared by test_resume.cpp and
// resume_worker.cpp (the process those tests kill).
#pragma once

#include <canon/core/rng.hpp>
#include <canon/loss/mse.hpp>
#include <canon/nn/activations.hpp>
#include <canon/nn/dense.hpp>
#include <canon/nn/dropout.hpp>
#include <canon/nn/lstm.hpp>
#include <canon/nn/sequential.hpp>
#include <canon/optim/adam.hpp>
#include <canon/train/loop.hpp>
#include <cmath>
#include <stdexcept>
#include <vector>

namespace canon_test {

template <class S>
class DropoutTask {
 public:
  using scalar_type = S;
  static constexpr canon::Index steps = 3, features = 2;

  explicit DropoutTask(std::uint64_t seed) {
    canon::Rng rng(seed);
    auto data = [&](canon::Index n, canon::Matrix<S>& x, canon::Matrix<S>& y) {
      x.resize(steps * features, n);
      canon::fill_normal(x, rng);
      y.resize(1, n);
      for (canon::Index j = 0; j < n; ++j) y(0, j) = S(std::tanh(double(x(0, j) * x(3, j) + x(5, j))));
    };
    data(256, x_, y_);
    data(64, x_validation_, y_validation_);
    canon::nn::RecurrentOptions recurrent;
    recurrent.layers = 2;
    recurrent.dropout = 0.25;
    recurrent.seed = seed + 1;
    recurrent.output = canon::nn::RecurrentOutput::last_state;
    model_.add(canon::nn::LSTM<S>(features, 8, rng, recurrent));
    model_.add(canon::nn::Dropout<S>(0.3, seed + 2));
    model_.add(canon::nn::Dense<S>(8, 256, rng));
    model_.add(canon::nn::Tanh<S>());
    model_.add(canon::nn::Dense<S>(256, 256, rng));
    model_.add(canon::nn::Tanh<S>());
    model_.add(canon::nn::Dropout<S>(0.2, seed + 3));
    model_.add(canon::nn::Dense<S>(256, 1, rng));
  }

  const char* name() const { return "dropout task"; }
  canon::Index samples() const { return x_.cols(); }
  bool has_validation() const { return true; }

  double train_batch(const std::vector<canon::Index>& indices, const canon::train::BatchPosition& at) {
    if (at.epoch == interrupt_at_epoch && at.batch == 3) throw std::runtime_error("interrupted");
    canon::train::detail::gather_columns(x_, indices, batch_x_);
    canon::train::detail::gather_columns(y_, indices, batch_y_);
    const double value = double(loss_.forward(model_.forward(batch_x_, canon::Mode::train), batch_y_));
    model_.backward(loss_.backward());
    return value;
  }
  double validation_loss() {
    return double(loss_.forward(model_.forward(x_validation_, canon::Mode::eval), y_validation_));
  }

  template <class V>
  void visit_parameters(V&& visit) {
    model_.visit_parameters(visit);
  }
  template <class V>
  void visit_buffers(V&& visit) {
    model_.visit_buffers(visit);
  }
  canon::nn::Sequential<S>& model() { return model_; }
  long interrupt_at_epoch = -1;  // throws in that epoch's 4th batch, as a dying process stops

 private:
  canon::Matrix<S> x_, y_, x_validation_, y_validation_, batch_x_, batch_y_;
  canon::nn::Sequential<S> model_;
  canon::loss::MSE<S> loss_;
};

/// The options both the straight and the interrupted runs use.
inline canon::train::LoopOptions dropout_task_options() {
  canon::train::LoopOptions o;
  o.epochs = 12;
  o.batch_size = 32;
  o.patience = 100;
  o.seed = 3;
  return o;
}

}  // namespace canon_test
