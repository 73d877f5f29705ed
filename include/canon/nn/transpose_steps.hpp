// canon/nn/transpose_steps.hpp — swaps the two axes inside each sample's column:
// a (rows x cols) matrix stored column-major becomes its (cols x rows) transpose,
//
//   y(j + i*cols, n) = x(i + j*rows, n),         dL/dx = the same swap of dL/dy.
//
// In the sequence layout (features fastest, then steps) this turns F x T into T x F, so
// a layer that works on the fastest axis can work on the other one. Avramidis 2022 batch-
// normalises each EEG channel (a step of its LSTM) over the batch and the 12 features:
// TransposeSteps(12, 32), BatchNorm1D(32), TransposeSteps(32, 12) is exactly PyTorch's
// BatchNorm1d(32) on the (N, 32, 12) input.
#pragma once

#include "canon/core/checks.hpp"
#include "canon/core/parameter.hpp"

namespace canon::nn {

template <class Scalar>
class TransposeSteps {
  CANON_REQUIRE_SCALAR(Scalar);

 public:
  using scalar_type = Scalar;

  /// Each column holds a rows x cols matrix (for a sequence: features x steps).
  TransposeSteps(Index rows, Index cols) : rows_(rows), cols_(cols) {
    canon::detail::require_positive(rows, "TransposeSteps", "rows");
    canon::detail::require_positive(cols, "TransposeSteps", "cols");
  }

  const Matrix<Scalar>& forward(const Matrix<Scalar>& x, Mode) {
    canon::detail::require_rows(x, rows_ * cols_, "TransposeSteps::forward", "input");
    canon::detail::require_batch(x, 1, "TransposeSteps::forward");
    swap(x, rows_, cols_, output_);
    return output_;
  }
  const Matrix<Scalar>& forward(Matrix<Scalar>&&, Mode) = delete;

  const Matrix<Scalar>& backward(const Matrix<Scalar>& dy) {
    canon::detail::require_same_shape(dy, output_, "TransposeSteps::backward", "output gradient", "output");
    swap(dy, cols_, rows_, input_grad_);
    return input_grad_;
  }

  template <class Visitor>
  void visit_parameters(Visitor&&) {}
  template <class Visitor>
  void visit_buffers(Visitor&&) {}

 private:
  static void swap(const Matrix<Scalar>& in, Index rows, Index cols, Matrix<Scalar>& out) {
    out.resize(in.rows(), in.cols());
    for (Index n = 0; n < in.cols(); ++n)
      Eigen::Map<Matrix<Scalar>>(out.col(n).data(), cols, rows) =
          Eigen::Map<const Matrix<Scalar>>(in.col(n).data(), rows, cols).transpose();
  }

  Index rows_, cols_;
  Matrix<Scalar> output_, input_grad_;
};

}  // namespace canon::nn
