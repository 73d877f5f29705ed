// canon/optim/adam.hpp — Adam (Kingma & Ba 2015) with PyTorch's exact semantics.
//
// For step t = 1, 2, ... and gradient g (plus weight_decay * theta when set, the L2
// form of torch.optim.Adam; decoupled = true gives AdamW's theta *= 1 - lr * wd):
//   m = b1 m + (1 - b1) g
//   v = b2 v + (1 - b2) g^2
//   theta -= (lr / (1 - b1^t)) * m / (sqrt(v) / sqrt(1 - b2^t) + eps)
// eps is added after the bias correction of v, as PyTorch does (the paper's
// "sqrt(v_hat) + eps"); the operations run in PyTorch's order so trajectories agree
// to rounding.
#pragma once

#include <cmath>
#include <sstream>
#include <string>
#include <vector>

#include "canon/optim/detail/state.hpp"

namespace canon::optim {

struct AdamOptions {
  double learning_rate = 1e-3;
  double beta1 = 0.9;
  double beta2 = 0.999;
  double eps = 1e-8;
  double weight_decay = 0.0;
  bool decoupled_weight_decay = false;  // AdamW
};

/// The options a checkpoint records and a resumed run must share (exact: 17 significant
/// digits). The learning rate is not among them: a schedule changes it during a run, and
/// load_checkpoint restores the rate the run had reached.
inline std::string describe_options(const AdamOptions& o) {
  std::ostringstream out;
  out.precision(17);
  out << "beta1 " << o.beta1 << " beta2 " << o.beta2 << " eps " << o.eps << " weight_decay " << o.weight_decay
      << " decoupled_weight_decay " << o.decoupled_weight_decay;
  return out.str();
}

template <class Scalar>
class Adam : public detail::OptimizerBase<Scalar, AdamOptions> {
  CANON_REQUIRE_SCALAR(Scalar);
  using Base = detail::OptimizerBase<Scalar, AdamOptions>;
  using Base::options_;
  using Base::slots_;
  using Base::steps_;

 public:
  static constexpr bool uses_second_moment = true;  // checkpoints need to know
  static constexpr const char* kind = "adam";       // recorded in checkpoints

  explicit Adam(AdamOptions options = {}) : Base(options) {
    const char* where = "Adam";
    canon::detail::require_positive(options.learning_rate, where, "learning_rate");
    canon::detail::require_in_range(options.beta1, 0.0, 0.999999, where, "beta1");
    canon::detail::require_in_range(options.beta2, 0.0, 0.999999999, where, "beta2");
    canon::detail::require_positive(options.eps, where, "eps");
    canon::detail::require_in_range(options.weight_decay, 0.0, 1e6, where, "weight_decay");
  }

  /// One update of every parameter of `model` from its current gradients.
  template <class Model>
  void step(Model& model) {
    const long t = steps_ + 1;
    const Scalar lr = Scalar(options_.learning_rate);
    const Scalar b1 = Scalar(options_.beta1), b2 = Scalar(options_.beta2);
    const Scalar wd = Scalar(options_.weight_decay);
    // Bias corrections in double, then rounded once, as PyTorch computes them in Python.
    const double bias_correction1 = 1.0 - std::pow(options_.beta1, double(t));
    const double bias_correction2 = 1.0 - std::pow(options_.beta2, double(t));
    const Scalar step_size = Scalar(options_.learning_rate / bias_correction1);
    const Scalar sqrt_bc2 = Scalar(std::sqrt(bias_correction2));
    const Scalar eps = Scalar(options_.eps);
    detail::for_each_slot(slots_, model, "Adam::step", true,
                          [&](Parameter<Scalar>& p, detail::Slot<Scalar>& s) {
      auto theta = p.value.array();
      auto m = s.first.array();
      auto v = s.second.array();
      if (options_.decoupled_weight_decay) {
        if (wd != Scalar(0)) theta *= Scalar(1) - lr * wd;
        m = b1 * m + (Scalar(1) - b1) * p.grad.array();
        v = b2 * v + (Scalar(1) - b2) * p.grad.array().square();
      } else {
        // g = grad + wd * theta, never stored: it is formed inside each expression.
        const auto g = p.grad.array() + wd * theta;
        m = b1 * m + (Scalar(1) - b1) * g;
        v = b2 * v + (Scalar(1) - b2) * g.square();
      }
      theta -= step_size * m / (v.sqrt() / sqrt_bc2 + eps);
    });
    steps_ = t;
  }
};

}  // namespace canon::optim
