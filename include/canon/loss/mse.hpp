// canon/loss/mse.hpp — mean squared error, averaged over every element
// (PyTorch's MSELoss(reduction='mean')).
//
//   L = 1/N sum_ij (p_ij - t_ij)^2          N = rows x columns
//   dL/dp = 2/N (p - t)
#pragma once

#include "canon/loss/detail/pointwise.hpp"

namespace canon::loss {

template <class Scalar>
class MSE {
  CANON_REQUIRE_SCALAR(Scalar);

 public:
  Scalar forward(const Matrix<Scalar>& prediction, const Matrix<Scalar>& target) {
    detail::check_prediction_target(prediction, target, "MSE::forward");
    difference_.resize(prediction.rows(), prediction.cols());
    difference_.noalias() = prediction - target;
    return difference_.squaredNorm() / Scalar(difference_.size());
  }

  /// dL/dprediction for the last forward.
  const Matrix<Scalar>& backward() {
    gradient_.resize(difference_.rows(), difference_.cols());
    gradient_.noalias() = (Scalar(2) / Scalar(difference_.size())) * difference_;
    return gradient_;
  }

 private:
  Matrix<Scalar> difference_;
  Matrix<Scalar> gradient_;
};

}  // namespace canon::loss
