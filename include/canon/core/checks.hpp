// canon/core/checks.hpp — argument checks shared by every layer, loss and optimizer.
// Each throws a canon::error subclass whose message names the operation, what was
// expected and what was found.
#pragma once

#include <cmath>
#include <string_view>

#include "canon/core/error.hpp"
#include "canon/core/types.hpp"

namespace canon::detail {

inline std::string shape_string(Index rows, Index cols) {
  return message(rows, "x", cols);
}

template <class Derived>
std::string shape_of(const Eigen::DenseBase<Derived>& m) {
  return shape_string(m.rows(), m.cols());
}

/// Throws shape_error unless m has exactly `rows` rows (any number of columns).
template <class Derived>
void require_rows(const Eigen::DenseBase<Derived>& m, Index rows, std::string_view where,
                  std::string_view what) {
  if (m.rows() != rows)
    throw shape_error(message(where, ": ", what, " must have ", rows, " rows (",
                              "features x batch), got ", shape_of(m)));
}

/// Throws shape_error unless m is rows x cols.
template <class Derived>
void require_shape(const Eigen::DenseBase<Derived>& m, Index rows, Index cols,
                   std::string_view where, std::string_view what) {
  if (m.rows() != rows || m.cols() != cols)
    throw shape_error(message(where, ": ", what, " must be ", shape_string(rows, cols),
                              ", got ", shape_of(m)));
}

/// Throws shape_error unless a and b have the same shape.
template <class A, class B>
void require_same_shape(const Eigen::DenseBase<A>& a, const Eigen::DenseBase<B>& b,
                        std::string_view where, std::string_view what_a,
                        std::string_view what_b) {
  if (a.rows() != b.rows() || a.cols() != b.cols())
    throw shape_error(message(where, ": ", what_a, " (", shape_of(a), ") and ", what_b,
                              " (", shape_of(b), ") must have the same shape"));
}

/// Throws value_error when the batch (number of columns) is smaller than `minimum`.
template <class Derived>
void require_batch(const Eigen::DenseBase<Derived>& m, Index minimum, std::string_view where,
                   std::string_view why = "a non-empty batch") {
  if (m.cols() < minimum)
    throw value_error(message(where, ": needs at least ", minimum, " samples (", why,
                              "), got a batch of ", m.cols()));
}

/// Throws shape_error when m has no rows: a view or batch with zero features has no
/// covariance, no mean and nothing to learn from.
template <class Derived>
void require_features(const Eigen::DenseBase<Derived>& m, std::string_view where,
                      std::string_view what) {
  if (m.rows() < 1)
    throw shape_error(message(where, ": ", what, " has 0 rows (features), got ", shape_of(m),
                              "; expected at least 1 row"));
}

/// Throws value_error naming the first NaN or infinite entry (row, column, value).
template <class Derived>
void require_finite(const Eigen::DenseBase<Derived>& m, std::string_view where,
                    std::string_view what) {
  // allFinite() is vectorised; the position is only searched for on failure.
  if (m.derived().allFinite()) return;
  for (Index j = 0; j < m.cols(); ++j)
    for (Index i = 0; i < m.rows(); ++i)
      if (!std::isfinite(static_cast<double>(m(i, j))))
        throw value_error(message(where, ": ", what, " contains a non-finite value (",
                                  m(i, j), ") at row ", i, ", column ", j,
                                  "; expected only finite numbers"));
}

/// Throws value_error unless lo <= value <= hi (inclusive), naming the argument.
template <class T>
void require_in_range(T value, T lo, T hi, std::string_view where, std::string_view name) {
  if (!(value >= lo && value <= hi))
    throw value_error(message(where, ": ", name, " must lie in [", lo, ", ", hi, "], got ",
                              value));
}

/// The most values one layer parameter may hold: 2^31 (8 GiB as float, 16 GiB as
/// double). Larger sizes are almost always a typo or a corrupt argument, and would end
/// in std::bad_alloc far from the cause.
inline constexpr Index max_parameter_values = Index(1) << 31;

/// Throws value_error unless rows and cols are positive and rows x cols is at most
/// max_parameter_values, naming the layer and both sizes. Returns rows, so that it
/// can guard a member initialiser before the allocation happens.
inline Index require_parameter_size(Index rows, Index cols, std::string_view where,
                                    std::string_view rows_name, std::string_view cols_name) {
  if (!(rows > 0)) throw value_error(message(where, ": ", rows_name, " must be positive, got ", rows));
  if (!(cols > 0)) throw value_error(message(where, ": ", cols_name, " must be positive, got ", cols));
  if (rows > max_parameter_values / cols)
    throw value_error(message(where, ": a ", rows_name, " x ", cols_name, " parameter of ", rows, " x ",
                              cols, " values exceeds the limit of ", max_parameter_values,
                              " values per parameter; expected smaller sizes"));
  return rows;
}

/// Whether v is a whole number in [0, below): what a count read back from a file must be.
inline bool is_whole_number(double v, double below) { return v >= 0 && v < below && v == std::floor(v); }

/// Throws value_error unless value > 0.
template <class T>
void require_positive(T value, std::string_view where, std::string_view name) {
  if (!(value > T(0)))
    throw value_error(message(where, ": ", name, " must be positive, got ", value));
}

}  // namespace canon::detail
