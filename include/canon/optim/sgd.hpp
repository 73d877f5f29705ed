// canon/optim/sgd.hpp — stochastic gradient descent with momentum, torch.optim.SGD's
// semantics:
//   g = grad + weight_decay * theta
//   b = g on the first step, else  b = momentum b + (1 - dampening) g
//   d = g + momentum b (Nesterov)  or  d = b
//   theta -= lr d
#pragma once

#include <sstream>
#include <string>
#include <vector>

#include "canon/optim/detail/state.hpp"

namespace canon::optim {

struct SGDOptions {
  double learning_rate = 1e-2;
  double momentum = 0.0;
  double dampening = 0.0;
  double weight_decay = 0.0;
  bool nesterov = false;
};

/// The options a checkpoint records and a resumed run must share (exact: 17 significant
/// digits). The learning rate is not among them: a schedule changes it during a run, and
/// load_checkpoint restores the rate the run had reached.
inline std::string describe_options(const SGDOptions& o) {
  std::ostringstream out;
  out.precision(17);
  out << "momentum " << o.momentum << " dampening " << o.dampening << " weight_decay " << o.weight_decay
      << " nesterov " << o.nesterov;
  return out.str();
}

template <class Scalar>
class SGD : public detail::OptimizerBase<Scalar, SGDOptions> {
  CANON_REQUIRE_SCALAR(Scalar);
  using Base = detail::OptimizerBase<Scalar, SGDOptions>;
  using Base::options_;
  using Base::slots_;
  using Base::steps_;

 public:
  static constexpr bool uses_second_moment = false;  // checkpoints need to know
  static constexpr const char* kind = "sgd";       // recorded in checkpoints

  explicit SGD(SGDOptions options = {}) : Base(options) {
    const char* where = "SGD";
    canon::detail::require_positive(options.learning_rate, where, "learning_rate");
    canon::detail::require_in_range(options.momentum, 0.0, 1.0, where, "momentum");
    canon::detail::require_in_range(options.dampening, 0.0, 1.0, where, "dampening");
    canon::detail::require_in_range(options.weight_decay, 0.0, 1e6, where, "weight_decay");
    if (options.nesterov && (options.momentum <= 0.0 || options.dampening != 0.0))
      throw value_error("SGD: Nesterov momentum needs momentum > 0 and dampening = 0");
  }

  template <class Model>
  void step(Model& model) {
    const Scalar lr = Scalar(options_.learning_rate), mu = Scalar(options_.momentum);
    const Scalar damp = Scalar(options_.dampening), wd = Scalar(options_.weight_decay);
    const bool first = steps_ == 0;
    detail::for_each_slot(slots_, model, "SGD::step", false,
                          [&](Parameter<Scalar>& p, detail::Slot<Scalar>& s) {
      auto theta = p.value.array();
      const auto g = p.grad.array() + wd * theta;
      if (mu == Scalar(0)) {
        theta -= lr * g;
        return;
      }
      auto b = s.first.array();
      if (first)
        b = g;
      else
        b = mu * b + (Scalar(1) - damp) * g;
      if (options_.nesterov)
        theta -= lr * (g + mu * b);
      else
        theta -= lr * b;
    });
    ++steps_;
  }
};

}  // namespace canon::optim
