// canon/nn/step_mean.hpp — the mean over each sample's own steps of a sequence batch
// (docs/layer-contract.md, "Sequences"):
//
//   y_n = (1 / L_n) sum_{t < L_n} x_t,n          (F x N from (F*T) x N)
//   dL/dx_t,n = dL/dy_n / L_n  for t < L_n,  0 on padding
//
// EMER-CL's MLP encoder reads "the mean frame" of a music sample's feature sequence
// (Takashima et al., Section III-A); with variable lengths (PMEmo) the padding must not
// enter the mean, which is why this is a layer with lengths and not a reshape.
#pragma once

#include <vector>

#include "canon/core/checks.hpp"
#include "canon/core/parameter.hpp"
#include "canon/nn/recurrent_state.hpp"

namespace canon::nn {

template <class Scalar>
class StepMean {
  CANON_REQUIRE_SCALAR(Scalar);

 public:
  using scalar_type = Scalar;

  explicit StepMean(Index features) : features_(features) {
    canon::detail::require_positive(features, "StepMean", "features");
  }

  Index features() const { return features_; }

  /// Every sample full length (T = rows / features).
  const Matrix<Scalar>& forward(const Matrix<Scalar>& x, Mode mode) { return forward_impl(x, nullptr, mode); }
  const Matrix<Scalar>& forward(Matrix<Scalar>&&, Mode) = delete;

  /// lengths: one per sample in [1, T], or empty for full length.
  const Matrix<Scalar>& forward(const Matrix<Scalar>& x, const std::vector<Index>& lengths, Mode mode) {
    return forward_impl(x, lengths.empty() ? nullptr : &lengths, mode);
  }
  const Matrix<Scalar>& forward(Matrix<Scalar>&&, const std::vector<Index>&, Mode) = delete;

  const Matrix<Scalar>& backward(const Matrix<Scalar>& dy) {
    if (rows_ == 0) throw error("StepMean::backward called before forward");
    canon::detail::require_same_shape(dy, output_, "StepMean::backward", "output gradient", "output");
    input_grad_.setZero(rows_, dy.cols());
    for (Index j = 0; j < dy.cols(); ++j) {
      const Index len = batch_.lengths[std::size_t(j)];
      Eigen::Map<Matrix<Scalar>> sample(input_grad_.col(j).data(), features_, len);
      sample = (dy.col(j) / Scalar(len)).replicate(1, len);
    }
    return input_grad_;
  }

  template <class Visitor>
  void visit_parameters(Visitor&&) {}
  template <class Visitor>
  void visit_buffers(Visitor&&) {}

 private:
  const Matrix<Scalar>& forward_impl(const Matrix<Scalar>& x, const std::vector<Index>* lengths, Mode) {
    canon::detail::check_sequence(x, features_, lengths, "StepMean::forward", batch_);
    rows_ = x.rows();
    output_.resize(features_, x.cols());
    for (Index j = 0; j < x.cols(); ++j) {
      const Index len = batch_.lengths[std::size_t(j)];
      Eigen::Map<const Matrix<Scalar>> sample(x.col(j).data(), features_, len);
      output_.col(j) = sample.rowwise().sum() / Scalar(len);
    }
    return output_;
  }

  Index features_;
  Index rows_ = 0;
  canon::detail::SequenceBatch batch_;  // steps and lengths of the last forward
  Matrix<Scalar> output_, input_grad_;
};

}  // namespace canon::nn
