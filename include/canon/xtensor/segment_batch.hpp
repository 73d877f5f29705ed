// canon/xtensor/segment_batch.hpp — Avramidis 2022's EEG inputs, differential-entropy
// (DE) segments, between canon and a (trials, segments, channels, features) array.
//
// avramidis::make_segments (models/avramidis/segments.hpp) gives SegmentSet::eeg, a
// (C*F) x (trials*segments) matrix: column i*segments + s is segment s of trial i
// (trials in the order given, segments in time order), and inside it the segment's DE
// values with the F = 12 values of a channel fastest, x(f + F*c, i*segments + s); the
// model's EEG branch reads exactly that (channels are its LSTM's steps, the 12 values
// their features). A feature index is f = band*3 + frame: 4 bands, band-major, each over
// 3 one-second frames (signal/differential_entropy.hpp, as the authors' reshape). A
// row-major (trials, segments, C, F) array puts (i, s, c, f) at
// f + F*(c + C*(s + segments*i)): the same memory, so both directions are zero-copy,
//
//   segment_view(x, segments, C)(i, s, c, f) == x(f + F*c, i*segments + s)
//   map_segment_batch(a)(f + F*c, i*segments + s) == a(i, s, c, f)
//
// map_segment_batch needs C order (strides (segments*C*F, C*F, F, 1)); other layouts
// throw shape_error and to_segment_batch copies them. With trials and segments merged,
// the same memory is the (N, 32, 12) input of the authors' model: sequence_batch.hpp,
// with the channels as steps.
//
// Needs the canon::xtensor component (and nothing of the Avramidis room: it only knows
// the layout).
#pragma once

#include "canon/xtensor/view.hpp"

namespace canon::xtensor {

namespace detail {

template <class S>
RowMajorView<S, 4> segment_adaptor(S* data, Index rows, Index cols, Index segments, Index channels) {
  const char* where = "canon::xtensor::segment_view";
  const char* layout = "(channels * features) x (trials * segments), a channel's features fastest";
  const Index features = require_divides(channels, rows, rows, cols, where, "channels", "rows", layout);
  const Index trials = require_divides(segments, cols, rows, cols, where, "segments", "columns", layout);
  return row_major_view<S, 4>(data, {trials, segments, channels, features});
}

}  // namespace detail

/// The (trials, segments, C, F) view of a (C*F) x (trials*segments) segment batch, given
/// the segments per trial and the channels; writes go to x. Throws shape_error when the
/// columns are not a multiple of `segments` or the rows of `channels`.
template <class S>
RowMajorView<S, 4> segment_view(Matrix<S>& x, Index segments, Index channels) {
  return detail::segment_adaptor<S>(x.data(), x.rows(), x.cols(), segments, channels);
}
/// Read-only (trials, segments, C, F) view.
template <class S>
RowMajorView<const S, 4> segment_view(const Matrix<S>& x, Index segments, Index channels) {
  return detail::segment_adaptor<const S>(x.data(), x.rows(), x.cols(), segments, channels);
}
/// The same over a map (map_segment_batch's result, or memory of your own).
template <class S>
RowMajorView<S, 4> segment_view(Eigen::Map<Matrix<S>> x, Index segments, Index channels) {
  return detail::segment_adaptor<S>(x.data(), x.rows(), x.cols(), segments, channels);
}
template <class S>
RowMajorView<const S, 4> segment_view(Eigen::Map<const Matrix<S>> x, Index segments, Index channels) {
  return detail::segment_adaptor<const S>(x.data(), x.rows(), x.cols(), segments, channels);
}
/// A view of a temporary would dangle.
template <class S>
void segment_view(const Matrix<S>&&, Index, Index) = delete;

/// The (C*F) x (trials*segments) batch over a (trials, segments, C, F) xt array in C
/// order, without a copy (writable for a mutable array). Other strides throw shape_error:
/// use to_segment_batch.
template <class A>
auto map_segment_batch(A& a) {
  const char* where = "canon::xtensor::map_segment_batch";
  detail::require_rank<4>(a, where, "(trials, segments, C, F): trials, segments, channels, features");
  const auto e = detail::extents_of<4>(a);
  detail::require_strides(a, std::array<Index, 4>{e[1] * e[2] * e[3], e[2] * e[3], e[3], 1}, where,
                          "C order, a channel's features fastest", "canon::xtensor::to_segment_batch");
  return detail::map_matrix(a, e[2] * e[3], e[0] * e[1]);
}
template <class A>
void map_segment_batch(const A&&) = delete;

/// A (C*F) x (trials*segments) batch copied from any (trials, segments, C, F) xt
/// expression, in any layout; the scalar is the expression's unless named.
template <class Requested = void, class E, class S = detail::value_or_t<Requested, E>>
Matrix<S> to_segment_batch(const xt::xexpression<E>& expression) {
  CANON_REQUIRE_SCALAR(S);
  const E& a = expression.derived_cast();
  detail::require_rank<4>(a, "canon::xtensor::to_segment_batch",
                          "(trials, segments, C, F): trials, segments, channels, features");
  const auto e = detail::extents_of<4>(a);
  Matrix<S> x(e[2] * e[3], e[0] * e[1]);
  auto view = detail::row_major_view<S, 4>(x.data(), e);
  xt::noalias(view) = a;
  return x;
}

}  // namespace canon::xtensor
