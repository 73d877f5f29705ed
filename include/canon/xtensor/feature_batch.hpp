// canon/xtensor/feature_batch.hpp — a batch of feature vectors between canon and xtensor.
//
// canon holds N samples of F features as an F x N column-major matrix, one column per
// sample (docs/layer-contract.md); NumPy, scikit-learn and xtensor hold them as an (N, F)
// row-major array, one row per sample. Both put feature f of sample n at offset f + F*n:
// they are the same memory, so both directions are zero-copy,
//
//   feature_view(x)(n, f) == x(f, n)            (N, F) row-major adaptor over x
//   map_feature_batch(a)(f, n) == a(n, f)       F x N Eigen::Map over a
//
// map_feature_batch needs a's strides to be (F, 1) (C order, as xt::xarray and
// xt::xtensor are by default); any other layout (a column-major array, a transposed or
// sliced view) throws shape_error naming its strides, and to_feature_batch copies it.
//
// Needs the canon::xtensor component.
#pragma once

#include "canon/xtensor/view.hpp"

namespace canon::xtensor {

/// The (N, F) row-major view of an F x N batch; writes go to x.
template <class S>
RowMajorView<S, 2> feature_view(Matrix<S>& x) {
  return detail::row_major_view<S, 2>(x.data(), {x.cols(), x.rows()});
}
/// Read-only (N, F) view of an F x N batch.
template <class S>
RowMajorView<const S, 2> feature_view(const Matrix<S>& x) {
  return detail::row_major_view<const S, 2>(x.data(), {x.cols(), x.rows()});
}
/// The same over a map (map_feature_batch's result, or memory of your own).
template <class S>
RowMajorView<S, 2> feature_view(Eigen::Map<Matrix<S>> x) {
  return detail::row_major_view<S, 2>(x.data(), {x.cols(), x.rows()});
}
template <class S>
RowMajorView<const S, 2> feature_view(Eigen::Map<const Matrix<S>> x) {
  return detail::row_major_view<const S, 2>(x.data(), {x.cols(), x.rows()});
}
/// A view of a temporary would dangle.
template <class S>
void feature_view(const Matrix<S>&&) = delete;

/// The F x N batch over an (N, F) xt array, without a copy (mutable array: a writable
/// Map<Matrix<S>>; const array: Map<const Matrix<S>>). Throws shape_error unless a is 2-D
/// with strides (F, 1).
template <class A>
auto map_feature_batch(A& a) {
  const char* where = "canon::xtensor::map_feature_batch";
  detail::require_rank<2>(a, where, "(N, F): batch, features");
  const auto e = detail::extents_of<2>(a);
  detail::require_strides(a, std::array<Index, 2>{e[1], 1}, where, "C order, one sample per row",
                          "canon::xtensor::to_feature_batch");
  return detail::map_matrix(a, e[1], e[0]);
}
template <class A>
void map_feature_batch(const A&&) = delete;

/// An F x N batch copied from any 2-D (N, F) xt expression, in any layout; the scalar is
/// the expression's unless named (`to_feature_batch<float>(a)`).
template <class Requested = void, class E, class S = detail::value_or_t<Requested, E>>
Matrix<S> to_feature_batch(const xt::xexpression<E>& expression) {
  CANON_REQUIRE_SCALAR(S);
  const E& a = expression.derived_cast();
  detail::require_rank<2>(a, "canon::xtensor::to_feature_batch", "(N, F): batch, features");
  const auto e = detail::extents_of<2>(a);
  Matrix<S> x(e[1], e[0]);
  auto view = feature_view(x);
  xt::noalias(view) = a;
  return x;
}

}  // namespace canon::xtensor
