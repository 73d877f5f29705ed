// canon/loss/detail/pointwise.hpp — the argument checks every element-wise loss makes.
#pragma once

#include <string_view>

#include "canon/core/checks.hpp"

namespace canon::loss::detail {

/// Prediction and target must have the same shape, a non-empty batch, and finite
/// entries; a NaN reaching a loss is how a diverged forward pass shows itself.
template <class Scalar>
void check_prediction_target(const Matrix<Scalar>& prediction, const Matrix<Scalar>& target,
                             std::string_view where) {
  canon::detail::require_same_shape(prediction, target, where, "prediction", "target");
  canon::detail::require_batch(prediction, 1, where);
  canon::detail::require_finite(prediction, where, "prediction");
  canon::detail::require_finite(target, where, "target");
}

}  // namespace canon::loss::detail
