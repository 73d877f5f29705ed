// canon/core/columns.hpp — gather chosen columns (samples) of a matrix, e.g. the
// training or test samples of a cross-validation fold.
#pragma once

#include <vector>

#include "canon/core/error.hpp"
#include "canon/core/types.hpp"

namespace canon {

/// The columns of x at `indices`, in that order (repeats allowed; no indices give
/// x.rows() x 0). Throws value_error, naming the index, when one lies outside
/// [0, x.cols()).
template <class Scalar>
Matrix<Scalar> columns(const Matrix<Scalar>& x, const std::vector<Index>& indices) {
  for (const Index j : indices)
    if (j < 0 || j >= x.cols())
      throw value_error(detail::message("columns: index ", j, " outside [0, ", x.cols(), ")"));
  Matrix<Scalar> out(x.rows(), Index(indices.size()));
  for (std::size_t k = 0; k < indices.size(); ++k) out.col(Index(k)) = x.col(indices[k]);
  return out;
}

}  // namespace canon
