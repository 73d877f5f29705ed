// canon/nn/dense.hpp — fully connected (affine) layer.
//
//   forward:   Y = W X + b 1^T                  W: out x in, X: in x m, b: out x 1
//   backward:  dL/dW = dY X^T,  dL/db = dY 1,  dL/dX = W^T dY
//
// Three GEMMs per training step; everything else is O(out x m). Output and input-
// gradient buffers live in the layer and are reused while the batch size is fixed,
// so a training loop allocates nothing after its first step.
#pragma once

#include <string>

#include "canon/core/checks.hpp"
#include "canon/core/parameter.hpp"
#include "canon/core/rng.hpp"
#include "canon/nn/init.hpp"

namespace canon::nn {

template <class Scalar>
class Dense {
  CANON_REQUIRE_SCALAR(Scalar);

 public:
  using scalar_type = Scalar;

  Dense(Index inputs, Index outputs, Rng& rng, Init init = Init::xavier_uniform,
        bool with_bias = true)
      : weight_(canon::detail::require_parameter_size(outputs, inputs, "Dense", "outputs", "inputs"), inputs,
                "weight"),
        bias_(outputs, 1, "bias"),
        with_bias_(with_bias) {
    initialise(weight_.value, inputs, outputs, init, rng);
  }

  Index inputs() const { return weight_.value.cols(); }
  Index outputs() const { return weight_.value.rows(); }

  /// Y = W X + b. Keeps a reference to x for backward: x must stay alive and
  /// unchanged until then (a temporary is rejected at compile time).
  const Matrix<Scalar>& forward(const Matrix<Scalar>& x, Mode /*mode*/) {
    canon::detail::require_rows(x, inputs(), "Dense::forward", "input");
    canon::detail::require_batch(x, 1, "Dense::forward");
    input_ = &x;
    output_.resize(outputs(), x.cols());
    output_.noalias() = weight_.value * x;
    if (with_bias_) output_.colwise() += bias_.value.col(0);
    return output_;
  }
  const Matrix<Scalar>& forward(Matrix<Scalar>&&, Mode) = delete;

  /// Writes dL/dW, dL/db and returns dL/dX = W^T dY.
  const Matrix<Scalar>& backward(const Matrix<Scalar>& dy) {
    if (input_ == nullptr) throw error("Dense::backward called before forward");
    canon::detail::require_shape(dy, outputs(), input_->cols(), "Dense::backward", "output gradient");
    weight_.grad.noalias() = dy * input_->transpose();
    if (with_bias_) bias_.grad.col(0).noalias() = dy.rowwise().sum();
    input_grad_.resize(inputs(), dy.cols());
    input_grad_.noalias() = weight_.value.transpose() * dy;
    return input_grad_;
  }

  template <class Visitor>
  void visit_parameters(Visitor&& visit) {
    visit(weight_);
    if (with_bias_) visit(bias_);
  }
  template <class Visitor>
  void visit_buffers(Visitor&&) {}

  Parameter<Scalar>& weight() { return weight_; }
  Parameter<Scalar>& bias() { return bias_; }

 private:
  Parameter<Scalar> weight_;
  Parameter<Scalar> bias_;
  bool with_bias_;
  const Matrix<Scalar>* input_ = nullptr;
  Matrix<Scalar> output_;
  Matrix<Scalar> input_grad_;
};

}  // namespace canon::nn
