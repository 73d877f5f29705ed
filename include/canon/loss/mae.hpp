// canon/loss/mae.hpp — mean absolute error, averaged over every element
// (PyTorch's L1Loss(reduction='mean')); the regression baselines of EMER-CL use it.
//
//   L = 1/N sum_ij |p_ij - t_ij|
//   dL/dp = sign(p - t) / N        with sign(0) = 0, as PyTorch
#pragma once

#include "canon/loss/detail/pointwise.hpp"

namespace canon::loss {

template <class Scalar>
class MAE {
  CANON_REQUIRE_SCALAR(Scalar);

 public:
  Scalar forward(const Matrix<Scalar>& prediction, const Matrix<Scalar>& target) {
    detail::check_prediction_target(prediction, target, "MAE::forward");
    difference_.resize(prediction.rows(), prediction.cols());
    difference_.noalias() = prediction - target;
    return difference_.cwiseAbs().sum() / Scalar(difference_.size());
  }

  const Matrix<Scalar>& backward() {
    gradient_.resize(difference_.rows(), difference_.cols());
    gradient_.array() = difference_.array().sign() / Scalar(difference_.size());
    return gradient_;
  }

 private:
  Matrix<Scalar> difference_;
  Matrix<Scalar> gradient_;
};

}  // namespace canon::loss
