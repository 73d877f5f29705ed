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
  const Matrix<Scalar>& forward(const Matrix<Scalar>& x, Mode mode) { return forward(x, {}, mode); }
  const Matrix<Scalar>& forward(Matrix<Scalar>&&, Mode) = delete;

  /// lengths: one per sample in [1, T], or empty for full length.
  const Matrix<Scalar>& forward(const Matrix<Scalar>& x, const std::vector<Index>& lengths, Mode) {
    const char* where = "StepMean::forward";
    if (x.rows() == 0 || x.rows() % features_ != 0)
      throw shape_error(canon::detail::message(where, ": input must have F*T rows with F = ", features_,
                                        ", got ", canon::detail::shape_of(x)));
    canon::detail::require_batch(x, 1, where);
    const Index steps = x.rows() / features_, n = x.cols();
    lengths_.assign(std::size_t(n), steps);
    if (!lengths.empty()) {
      if (Index(lengths.size()) != n)
        throw value_error(canon::detail::message(where, ": ", lengths.size(), " lengths for a batch of ",
                                          n, " samples; expected one length per sample"));
      for (Index j = 0; j < n; ++j) {
        const Index len = lengths[std::size_t(j)];
        if (len < 1 || len > steps)
          throw value_error(canon::detail::message(where, ": the length of sample ", j, " must lie in [1, ",
                                            steps, "], got ", len));
        lengths_[std::size_t(j)] = len;
      }
    }
    rows_ = x.rows();
    output_.resize(features_, n);
    for (Index j = 0; j < n; ++j) {
      const Index len = lengths_[std::size_t(j)];
      Eigen::Map<const Matrix<Scalar>> sample(x.col(j).data(), features_, len);
      output_.col(j) = sample.rowwise().sum() / Scalar(len);
    }
    return output_;
  }
  const Matrix<Scalar>& forward(Matrix<Scalar>&&, const std::vector<Index>&, Mode) = delete;

  const Matrix<Scalar>& backward(const Matrix<Scalar>& dy) {
    if (rows_ == 0) throw error("StepMean::backward called before forward");
    canon::detail::require_same_shape(dy, output_, "StepMean::backward", "output gradient", "output");
    input_grad_.setZero(rows_, dy.cols());
    for (Index j = 0; j < dy.cols(); ++j) {
      const Index len = lengths_[std::size_t(j)];
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
  Index features_;
  Index rows_ = 0;
  std::vector<Index> lengths_;
  Matrix<Scalar> output_, input_grad_;
};

}  // namespace canon::nn
