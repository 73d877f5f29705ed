// canon/xtensor/view.hpp — what the canon::xtensor headers share: the types of the
// zero-copy xt adaptors laid over canon's batches, and the checks that decide whether an
// xt array's memory already is a canon batch before an Eigen::Map is laid over it.
//
// A view owns nothing. An adaptor over a canon matrix, or a map over an xt array, points
// into the other side's memory: that owner must outlive the view and must not be resized
// while it lives (a resize moves the memory). Views of a const matrix or array are
// read-only; views of a mutable one write through. Temporaries are refused at compile
// time (the overloads for rvalues are deleted), since the view would outlive them.
//
// Strides are counted in elements, as xtensor counts them. xtensor stores a stride of 0
// for a dimension of length 1 (any stride addresses the same elements there), so the
// checks compare only dimensions longer than 1, and an empty array passes any check.
//
// Needs the canon::xtensor component (xtensor 0.24).
#pragma once

#include <xtensor/xadapt.hpp>
#include <xtensor/xnoalias.hpp>
#include <xtensor/xutils.hpp>

#include <array>
#include <cstddef>
#include <memory>
#include <sstream>
#include <string>
#include <type_traits>

#include "canon/core/checks.hpp"
#include "canon/core/error.hpp"
#include "canon/core/types.hpp"

namespace canon::xtensor {

/// A zero-copy N-dimensional adaptor in row-major (C) order over memory it does not own.
/// S is const for a read-only view (`RowMajorView<const float, 2>`).
template <class S, std::size_t N>
using RowMajorView =
    xt::xtensor_adaptor<xt::xbuffer_adaptor<S*, xt::no_ownership, std::allocator<std::remove_const_t<S>>>, N,
                        xt::layout_type::row_major>;

/// The same with explicit strides (xtensor's dynamic layout): a signal batch seen as
/// (N, C, T), whose channels are its fastest axis.
template <class S, std::size_t N>
using StridedView =
    xt::xtensor_adaptor<xt::xbuffer_adaptor<S*, xt::no_ownership, std::allocator<std::remove_const_t<S>>>, N,
                        xt::layout_type::dynamic>;

namespace detail {

/// "(2, 3, 4)", as NumPy prints a shape (a 1-tuple as "(5,)").
template <class Sequence>
std::string tuple_text(const Sequence& s) {
  std::ostringstream out;
  out << '(';
  std::size_t k = 0;
  for (const auto& v : s) out << (k++ ? ", " : "") << v;
  out << (k == 1 ? ",)" : ")");
  return out.str();
}

template <class Sequence>
std::size_t product(const Sequence& s) {
  std::size_t n = 1;
  for (const auto& v : s) n *= static_cast<std::size_t>(v);
  return n;
}

template <std::size_t N>
std::array<std::size_t, N> shape_of(const std::array<Index, N>& extents) {
  std::array<std::size_t, N> out{};
  for (std::size_t d = 0; d < N; ++d) out[d] = static_cast<std::size_t>(extents[d]);
  return out;
}

/// A row-major adaptor over `data` (S may be const). The pointer is handed to xt::adapt as
/// an rvalue: given an lvalue, xt::adapt would keep a reference to this local variable.
template <class S, std::size_t N>
RowMajorView<S, N> row_major_view(S* data, const std::array<Index, N>& extents) {
  const auto shape = shape_of(extents);
  return xt::adapt<xt::layout_type::row_major>(static_cast<S*>(data), product(shape), xt::no_ownership(), shape);
}

/// A strided adaptor over `data` (S may be const); strides in elements.
template <class S, std::size_t N>
StridedView<S, N> strided_view(S* data, const std::array<Index, N>& extents, const std::array<Index, N>& strides) {
  const auto shape = shape_of(extents);
  std::array<std::ptrdiff_t, N> steps{};
  for (std::size_t d = 0; d < N; ++d) steps[d] = static_cast<std::ptrdiff_t>(strides[d]);
  return xt::adapt(static_cast<S*>(data), product(shape), xt::no_ownership(), shape, steps);
}

/// Throws value_error unless `count` (channels, features, segments) is positive, and
/// shape_error unless it divides `extent`, naming the matrix and the layout expected.
inline Index require_divides(Index count, Index extent, Index rows, Index cols, const char* where, const char* name,
                             const char* what, const char* layout) {
  canon::detail::require_positive(count, where, name);
  if (extent % count != 0)
    throw shape_error(canon::detail::message(where, ": the batch is ", canon::detail::shape_string(rows, cols),
                                             ", whose ", extent, " ", what, " are not a multiple of ", count, " ",
                                             name, "; expected ", layout));
  return extent / count;
}

/// Throws shape_error unless the xt expression has N dimensions, naming its shape and the
/// axes expected ("(N, C, T): batch, channels, time").
template <std::size_t N, class E>
void require_rank(const E& e, const char* where, const char* axes) {
  if (e.dimension() != N)
    throw shape_error(canon::detail::message(where, ": the array has shape ", tuple_text(e.shape()), ", ",
                                             e.dimension(), " dimension", e.dimension() == 1 ? "" : "s",
                                             "; expected ", N, ", ", axes));
}

/// The xt array's element strides must be `expected` wherever its shape is longer than 1;
/// otherwise shape_error with both, and the copying function that accepts any layout.
template <class A, std::size_t N>
void require_strides(const A& a, const std::array<Index, N>& expected, const char* where, const char* layout,
                     const char* copying) {
  if (product(a.shape()) == 0) return;
  for (std::size_t d = 0; d < N; ++d) {
    if (a.shape()[d] > 1 && static_cast<Index>(a.strides()[d]) != expected[d])
      throw shape_error(canon::detail::message(
          where, ": the array of shape ", tuple_text(a.shape()), " has strides ", tuple_text(a.strides()),
          " (in elements); a zero-copy map needs strides ", tuple_text(expected), " (", layout,
          "; strides of dimensions of length 1 do not matter); ", copying, " copies from any layout"));
  }
}

/// An xt container, adaptor or strided view whose memory a map can point at.
template <class A>
using element_pointer_t = decltype(std::declval<A&>().data());

/// Eigen::Map over the first element of `a` (data() + data_offset(), so strided views
/// work too): Map<Matrix<S>> for a mutable array, Map<const Matrix<S>> for a const one.
template <class A>
auto map_matrix(A& a, Index rows, Index cols) {
  static_assert(xt::has_data_interface<std::remove_const_t<A>>::value,
                "canon::xtensor: a zero-copy map needs an xt array, adaptor or strided view with data(); "
                "evaluate an expression first, or use the copying to_*_batch function");
  using Pointer = element_pointer_t<A>;
  static_assert(std::is_pointer_v<Pointer>, "canon::xtensor: the array's data() must be a pointer");
  using Element = std::remove_pointer_t<Pointer>;
  using Plain = Matrix<std::remove_const_t<Element>>;
  CANON_REQUIRE_SCALAR(std::remove_const_t<Element>);
  using Result = std::conditional_t<std::is_const_v<Element>, Eigen::Map<const Plain>, Eigen::Map<Plain>>;
  return Result(a.data() + a.data_offset(), rows, cols);
}

/// The scalar of a copying conversion: `Requested` when named, else the expression's.
template <class Requested, class E>
using value_or_t = std::conditional_t<std::is_void_v<Requested>, std::decay_t<typename E::value_type>, Requested>;

template <std::size_t N, class E>
std::array<Index, N> extents_of(const E& e) {
  std::array<Index, N> out{};
  for (std::size_t d = 0; d < N; ++d) out[d] = static_cast<Index>(e.shape()[d]);
  return out;
}

}  // namespace detail
}  // namespace canon::xtensor
