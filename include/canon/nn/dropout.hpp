// canon/nn/dropout.hpp — inverted dropout (Srivastava et al. 2014).
//
// Train mode: y = x * mask / (1 - p), mask_ij ~ Bernoulli(1 - p); the k-th mask comes
// from Rng(seed, k) (detail/mask_stream.hpp), so a run is reproducible and a resumed
// run draws the masks the uninterrupted one would have. Eval mode: y = x.
// Scaling at train time keeps E[y] = x, so nothing changes at inference.
// backward: dL/dx = dL/dy * mask / (1 - p) (or dL/dy after an eval forward).
#pragma once

#include "canon/core/checks.hpp"
#include "canon/core/parameter.hpp"
#include "canon/core/rng.hpp"
#include "canon/nn/detail/mask_stream.hpp"

namespace canon::nn {

template <class Scalar>
class Dropout {
  CANON_REQUIRE_SCALAR(Scalar);

 public:
  using scalar_type = Scalar;

  Dropout(double p, std::uint64_t seed) : p_(p), masks_(seed, "dropout_draws") {
    if (!(p >= 0.0 && p < 1.0))
      throw value_error(canon::detail::message("Dropout: p must lie in [0, 1), got ", p));
  }

  double p() const { return p_; }

  /// Keep reusing the current mask instead of drawing a new one each forward.
  /// For gradient checks, which evaluate the same function many times.
  void freeze_mask(bool frozen) { frozen_ = frozen; }

  const Matrix<Scalar>& forward(const Matrix<Scalar>& x, Mode mode) {
    last_mode_ = mode;
    if (mode == Mode::eval || p_ == 0.0) {
      output_ = x;
      return output_;
    }
    if (!frozen_ || scaled_mask_.rows() != x.rows() || scaled_mask_.cols() != x.cols()) {
      if (frozen_ && scaled_mask_.size() != 0)
        throw shape_error(canon::detail::message("Dropout: the frozen mask is ",
                                          canon::detail::shape_of(scaled_mask_), ", the input ",
                                          canon::detail::shape_of(x)));
      const Scalar keep_scale = Scalar(1.0 / (1.0 - p_));
      scaled_mask_.resize(x.rows(), x.cols());
      Rng rng = masks_.next();
      for (Index j = 0; j < x.cols(); ++j)
        for (Index i = 0; i < x.rows(); ++i)
          scaled_mask_(i, j) = rng.bernoulli(p_) ? Scalar(0) : keep_scale;
    }
    output_.resize(x.rows(), x.cols());
    output_.array() = x.array() * scaled_mask_.array();
    return output_;
  }
  const Matrix<Scalar>& forward(Matrix<Scalar>&&, Mode) = delete;

  const Matrix<Scalar>& backward(const Matrix<Scalar>& dy) {
    canon::detail::require_same_shape(dy, output_, "Dropout::backward", "output gradient", "output");
    if (last_mode_ == Mode::eval || p_ == 0.0) {
      input_grad_ = dy;
    } else {
      input_grad_.resize(dy.rows(), dy.cols());
      input_grad_.array() = dy.array() * scaled_mask_.array();
    }
    return input_grad_;
  }

  template <class Visitor>
  void visit_parameters(Visitor&&) {}
  /// The mask counter, a non-persistent buffer (checkpoints keep it, model files do not).
  template <class Visitor>
  void visit_buffers(Visitor&& visit) {
    visit(masks_.buffer());
  }

 private:
  double p_;
  canon::detail::MaskStream<Scalar> masks_;
  bool frozen_ = false;
  Mode last_mode_ = Mode::eval;
  Matrix<Scalar> scaled_mask_;
  Matrix<Scalar> output_;
  Matrix<Scalar> input_grad_;
};

}  // namespace canon::nn
