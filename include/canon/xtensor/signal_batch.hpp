// canon/xtensor/signal_batch.hpp — a batch of multichannel 1-D signals between canon
// and xtensor.
//
// canon holds N samples of C channels x T time steps as a (C*T) x N matrix whose column
// holds the sample's C x T matrix column-major, channels fastest: (c, t) of sample n is
// x(c + C*t, n) (docs/layer-contract-signals.md). NumPy and PyTorch hold the same batch
// as a row-major (N, C, T) array, time fastest. The two orders differ inside each
// sample, so:
//
//   signal_view(x, C)      zero-copy: an (N, C, T) xt adaptor over x with strides
//                          (C*T, 1, C); signal_view(x, C)(n, c, t) == x(c + C*t, n).
//                          Not C-contiguous: xtensor iterates it through its strides.
//   to_signal_batch(a)     copies any (N, C, T) xt expression (a row-major NumPy array
//                          included) into a new (C*T) x N batch: a transpose per sample.
//   map_signal_batch(a)    zero-copy the other way, only for an array whose strides
//                          already are (C*T, 1, C): one made by signal_view, or the
//                          (N, C, T) view xt::transpose(b, {0, 2, 1}) of a row-major
//                          (N, T, C) array b (channels-last, as TensorFlow's NWC).
//                          A row-major (N, C, T) array throws shape_error naming its
//                          strides and pointing to to_signal_batch.
//
// Needs the canon::xtensor component.
#pragma once

#include "canon/xtensor/view.hpp"

namespace canon::xtensor {

namespace detail {

inline constexpr const char* signal_layout = "(channels * time) x batch, channels fastest";

template <class S>
StridedView<S, 3> signal_adaptor(S* data, Index rows, Index cols, Index channels) {
  const Index time = require_divides(channels, rows, rows, cols, "canon::xtensor::signal_view", "channels", "rows",
                                     signal_layout);
  return strided_view<S, 3>(data, {cols, channels, time}, {channels * time, 1, channels});
}

}  // namespace detail

/// The (N, C, T) view of a (C*T) x N signal batch of `channels` channels; writes go to x.
/// Throws shape_error when the rows are not a multiple of `channels`.
template <class S>
StridedView<S, 3> signal_view(Matrix<S>& x, Index channels) {
  return detail::signal_adaptor<S>(x.data(), x.rows(), x.cols(), channels);
}
/// Read-only (N, C, T) view.
template <class S>
StridedView<const S, 3> signal_view(const Matrix<S>& x, Index channels) {
  return detail::signal_adaptor<const S>(x.data(), x.rows(), x.cols(), channels);
}
/// The same over a map (map_signal_batch's result, or memory of your own).
template <class S>
StridedView<S, 3> signal_view(Eigen::Map<Matrix<S>> x, Index channels) {
  return detail::signal_adaptor<S>(x.data(), x.rows(), x.cols(), channels);
}
template <class S>
StridedView<const S, 3> signal_view(Eigen::Map<const Matrix<S>> x, Index channels) {
  return detail::signal_adaptor<const S>(x.data(), x.rows(), x.cols(), channels);
}
/// A view of a temporary would dangle.
template <class S>
void signal_view(const Matrix<S>&&, Index) = delete;

/// The (C*T) x N batch over an (N, C, T) xt array whose strides are (C*T, 1, C), without
/// a copy (writable for a mutable array). Any other strides throw shape_error: use
/// to_signal_batch.
template <class A>
auto map_signal_batch(A& a) {
  const char* where = "canon::xtensor::map_signal_batch";
  detail::require_rank<3>(a, where, "(N, C, T): batch, channels, time");
  const auto e = detail::extents_of<3>(a);
  detail::require_strides(a, std::array<Index, 3>{e[1] * e[2], 1, e[1]}, where,
                          "canon's signal layout, channels fastest inside each sample",
                          "canon::xtensor::to_signal_batch");
  return detail::map_matrix(a, e[1] * e[2], e[0]);
}
template <class A>
void map_signal_batch(const A&&) = delete;

/// A (C*T) x N batch copied from any (N, C, T) xt expression, in any layout; the scalar is
/// the expression's unless named (`to_signal_batch<float>(a)`).
template <class Requested = void, class E, class S = detail::value_or_t<Requested, E>>
Matrix<S> to_signal_batch(const xt::xexpression<E>& expression) {
  CANON_REQUIRE_SCALAR(S);
  const E& a = expression.derived_cast();
  detail::require_rank<3>(a, "canon::xtensor::to_signal_batch", "(N, C, T): batch, channels, time");
  const auto e = detail::extents_of<3>(a);
  Matrix<S> x(e[1] * e[2], e[0]);
  auto view = detail::strided_view<S, 3>(x.data(), e, {e[1] * e[2], 1, e[1]});
  xt::noalias(view) = a;
  return x;
}

}  // namespace canon::xtensor
