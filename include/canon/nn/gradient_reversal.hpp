// canon/nn/gradient_reversal.hpp — the gradient reversal layer of Ganin & Lempitsky,
// "Unsupervised domain adaptation by backpropagation", ICML 2015 (Eq. 9-10).
//
//   forward:   y = x
//   backward:  dL/dx = -lambda dL/dy
//
// Placed between a feature extractor and a domain discriminator, the discriminator
// descends its loss while the features below ascend it: they learn to make the domains
// (here EEG and music, Avramidis 2022) indistinguishable. lambda is constant, or follows
// Ganin & Lempitsky's schedule over the training progress p in [0, 1] (Section 5.2.2),
//
//   lambda_p = lambda * (2 / (1 + exp(-gamma p)) - 1),     gamma = 10,
//
// which starts at 0, so the discriminator's noisy early gradients do not disturb the
// features, and approaches lambda. The training task sets p each batch
// (train::BatchPosition::progress()). The layer has no parameters: the reversal is
// not a gradient of anything, which is why the gradient check of this layer tests
// the definition (dL/dx = -lambda dy) rather than finite differences.
#pragma once

#include <cmath>

#include "canon/core/checks.hpp"
#include "canon/core/parameter.hpp"

namespace canon::nn {

enum class ReversalSchedule { constant, ganin };

struct GradientReversalOptions {
  double lambda = 1.0;                               ///< the (final) reversal strength
  ReversalSchedule schedule = ReversalSchedule::constant;
  double gamma = 10.0;                               ///< steepness of the Ganin schedule
};

template <class Scalar>
class GradientReversal {
  CANON_REQUIRE_SCALAR(Scalar);

 public:
  using scalar_type = Scalar;

  explicit GradientReversal(GradientReversalOptions options = {}) : options_(options) {
    const char* where = "GradientReversal";
    if (!(std::isfinite(options.lambda) && options.lambda >= 0.0))
      throw value_error(canon::detail::message(where, ": lambda must be finite and >= 0, got ",
                                        options.lambda));
    if (!(std::isfinite(options.gamma) && options.gamma > 0.0))
      throw value_error(canon::detail::message(where, ": gamma must be finite and > 0, got ",
                                        options.gamma));
    set_progress(0.0);
  }

  const GradientReversalOptions& options() const { return options_; }

  /// Sets the training progress p in [0, 1] (the Ganin schedule reads it).
  void set_progress(double p) {
    canon::detail::require_in_range(p, 0.0, 1.0, "GradientReversal::set_progress", "progress");
    lambda_ = options_.schedule == ReversalSchedule::constant
                  ? options_.lambda
                  : options_.lambda * (2.0 / (1.0 + std::exp(-options_.gamma * p)) - 1.0);
  }

  /// The reversal strength in force.
  double lambda() const { return lambda_; }

  const Matrix<Scalar>& forward(const Matrix<Scalar>& x, Mode /*mode*/) {
    canon::detail::require_batch(x, 1, "GradientReversal::forward");
    output_ = x;
    return output_;
  }
  const Matrix<Scalar>& forward(Matrix<Scalar>&&, Mode) = delete;

  const Matrix<Scalar>& backward(const Matrix<Scalar>& dy) {
    canon::detail::require_same_shape(dy, output_, "GradientReversal::backward", "output gradient",
                               "output");
    input_grad_.resize(dy.rows(), dy.cols());
    backward_into(dy.data(), input_grad_.data());
    return input_grad_;
  }

  /// backward() into caller-owned storage of the input's shape.
  void backward_into(const Scalar* dy, Scalar* dx) {
    const Index n = output_.size();
    Eigen::Map<Vector<Scalar>>(dx, n) =
        Scalar(-lambda_) * Eigen::Map<const Vector<Scalar>>(dy, n);
  }

  template <class Visitor>
  void visit_parameters(Visitor&&) {}
  template <class Visitor>
  void visit_buffers(Visitor&&) {}

 private:
  GradientReversalOptions options_;
  double lambda_ = 1.0;
  Matrix<Scalar> output_;
  Matrix<Scalar> input_grad_;
};

}  // namespace canon::nn
