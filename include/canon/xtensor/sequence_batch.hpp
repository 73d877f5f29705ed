// canon/xtensor/sequence_batch.hpp — a batch of sequences (recurrent layers, attention)
// between canon and xtensor.
//
// canon holds N sequences of T steps of F features as an (F*T) x N matrix, features
// fastest, then steps: (f, t) of sample n is x(f + F*t, n) (docs/layer-contract.md,
// Sequences). A batch-first (N, T, F) row-major array (PyTorch's batch_first, Keras)
// puts (n, t, f) at f + F*t + F*T*n: the same memory, so both directions are zero-copy,
//
//   sequence_view(x, F)(n, t, f) == x(f + F*t, n)      (N, T, F) row-major adaptor
//   map_sequence_batch(a)(f + F*t, n) == a(n, t, f)    (F*T) x N Eigen::Map
//
// map_sequence_batch needs strides (T*F, F, 1) (C order); other layouts throw shape_error,
// and to_sequence_batch copies them. A time-major (T, N, F) array (PyTorch's default for
// recurrent layers) is not this layout: copy it with to_sequence_batch of
// xt::transpose(a, {1, 0, 2}). Avramidis's EEG segments are sequences whose steps are the
// channels; their 4-D (trials, segments, C, F) form is in segment_batch.hpp.
//
// Needs the canon::xtensor component.
#pragma once

#include "canon/xtensor/view.hpp"

namespace canon::xtensor {

namespace detail {

template <class S>
RowMajorView<S, 3> sequence_adaptor(S* data, Index rows, Index cols, Index features) {
  const Index steps = require_divides(features, rows, rows, cols, "canon::xtensor::sequence_view", "features", "rows",
                                      "(features * steps) x batch, features fastest");
  return row_major_view<S, 3>(data, {cols, steps, features});
}

}  // namespace detail

/// The (N, T, F) view of an (F*T) x N sequence batch of `features` features per step;
/// writes go to x. Throws shape_error when the rows are not a multiple of `features`.
template <class S>
RowMajorView<S, 3> sequence_view(Matrix<S>& x, Index features) {
  return detail::sequence_adaptor<S>(x.data(), x.rows(), x.cols(), features);
}
/// Read-only (N, T, F) view.
template <class S>
RowMajorView<const S, 3> sequence_view(const Matrix<S>& x, Index features) {
  return detail::sequence_adaptor<const S>(x.data(), x.rows(), x.cols(), features);
}
/// The same over a map (map_sequence_batch's result, or memory of your own).
template <class S>
RowMajorView<S, 3> sequence_view(Eigen::Map<Matrix<S>> x, Index features) {
  return detail::sequence_adaptor<S>(x.data(), x.rows(), x.cols(), features);
}
template <class S>
RowMajorView<const S, 3> sequence_view(Eigen::Map<const Matrix<S>> x, Index features) {
  return detail::sequence_adaptor<const S>(x.data(), x.rows(), x.cols(), features);
}
/// A view of a temporary would dangle.
template <class S>
void sequence_view(const Matrix<S>&&, Index) = delete;

/// The (F*T) x N batch over an (N, T, F) xt array in C order, without a copy (writable
/// for a mutable array). Other strides throw shape_error: use to_sequence_batch.
template <class A>
auto map_sequence_batch(A& a) {
  const char* where = "canon::xtensor::map_sequence_batch";
  detail::require_rank<3>(a, where, "(N, T, F): batch, steps, features");
  const auto e = detail::extents_of<3>(a);
  detail::require_strides(a, std::array<Index, 3>{e[1] * e[2], e[2], 1}, where, "C order, features fastest",
                          "canon::xtensor::to_sequence_batch");
  return detail::map_matrix(a, e[1] * e[2], e[0]);
}
template <class A>
void map_sequence_batch(const A&&) = delete;

/// An (F*T) x N batch copied from any (N, T, F) xt expression, in any layout; the scalar
/// is the expression's unless named.
template <class Requested = void, class E, class S = detail::value_or_t<Requested, E>>
Matrix<S> to_sequence_batch(const xt::xexpression<E>& expression) {
  CANON_REQUIRE_SCALAR(S);
  const E& a = expression.derived_cast();
  detail::require_rank<3>(a, "canon::xtensor::to_sequence_batch", "(N, T, F): batch, steps, features");
  const auto e = detail::extents_of<3>(a);
  Matrix<S> x(e[1] * e[2], e[0]);
  auto view = detail::row_major_view<S, 3>(x.data(), e);
  xt::noalias(view) = a;
  return x;
}

}  // namespace canon::xtensor
