// canon/xtensor/npy.hpp — NumPy .npy files straight into xt::xarray, and xt expressions
// out to .npy, through canon's own parser and writer (io/npy.hpp).
//
// Reading keeps NumPy's shape, any rank (a 0-d array gives an xarray of shape ()), and
// honours fortran_order: canon's parser hands the elements over in C order whatever the
// file's order, so a(i, j, k) is the element NumPy shows at [i, j, k]. The result is
// row-major unless another layout is asked for: `read_npy<double,
// xt::layout_type::column_major>` keeps the elements in Fortran order, which for a 2-D
// (F, N) file is exactly the memory of canon's F x N batch. Every dtype the parser reads
// (float32/64, integers, bool, either byte order) converts to S, float or double; a finite
// value beyond float's range throws value_error rather than turning into inf, and NaN and
// Inf stay as they are (the parser's `warnings` count them). Reading copies: file bytes to
// double (the parser), then to S.
//
// Writing evaluates the expression once into C order and writes '<f4' or '<f8' with its
// shape, atomically (canon's writer); np.load reads it as it is.
//
// Needs the canon::xtensor component; no zlib (for .npz archives see xtensor/npz.hpp).
#pragma once

#include <xtensor/xadapt.hpp>
#include <xtensor/xarray.hpp>
#include <xtensor/xoperation.hpp>
#include <xtensor/xtensor.hpp>

#include <cmath>
#include <limits>
#include <string>
#include <vector>

#include "canon/core/atomic_file.hpp"
#include "canon/io/npy.hpp"
#include "canon/xtensor/view.hpp"

namespace canon::xtensor {

namespace detail {

template <xt::layout_type L>
inline constexpr bool is_static_layout_v = L == xt::layout_type::row_major || L == xt::layout_type::column_major;

/// Throws value_error for a finite value beyond S's range (C-order element index in the
/// message), as NpyArray::matrix does.
template <class S>
void require_representable(const io::NpyArray& a, const std::string& source) {
  const double largest = static_cast<double>(std::numeric_limits<S>::max());
  for (std::size_t k = 0; k < a.data.size(); ++k)
    if (std::isfinite(a.data[k]) && std::fabs(a.data[k]) > largest)
      throw value_error(canon::detail::message(source, ": element ", k, " (C order) is ", a.data[k],
                                               ", beyond the range of the requested ", sizeof(S) * 8,
                                               "-bit floating type (largest ", largest, ")"));
}

/// An NpyArray put together by hand (not by the parser) must still hold as many values
/// as its shape says, before anything is allocated or read.
inline void require_consistent(const io::NpyArray& a, const std::string& source) {
  bool negative = false;
  for (Index d : a.shape) negative = negative || d < 0;
  if (negative || product(a.shape) != a.data.size())
    throw shape_error(canon::detail::message(source, ": the array has shape ", tuple_text(a.shape), " but holds ",
                                             a.data.size(), " values; expected the product of the shape"));
}

/// Assigns the parser's C-order doubles to `out`, already shaped like the array.
template <class Out>
void assign_elements(Out& out, const io::NpyArray& a) {
  using S = typename Out::value_type;
  const std::vector<std::size_t> shape(a.shape.begin(), a.shape.end());
  const auto source = xt::adapt<xt::layout_type::row_major>(a.data.data(), a.data.size(), xt::no_ownership(), shape);
  out = xt::cast<S>(source);
}

}  // namespace detail

/// An array from canon's parser (io::parse_npy, io::read_npy, io::read_npz) as an
/// xt::xarray<S> of the same shape; `source` names it in messages.
template <class S, xt::layout_type L = xt::layout_type::row_major>
xt::xarray<S, L> to_xarray(const io::NpyArray& a, const std::string& source = "the .npy array") {
  CANON_REQUIRE_SCALAR(S);
  static_assert(detail::is_static_layout_v<L>, "canon::xtensor::to_xarray: ask for row_major or column_major");
  detail::require_consistent(a, source);
  detail::require_representable<S>(a, source);
  xt::xarray<S, L> out(typename xt::xarray<S, L>::shape_type(a.shape.begin(), a.shape.end()));
  detail::assign_elements(out, a);
  return out;
}

/// The same as an xt::xtensor<S, N>: throws shape_error unless the array has N dimensions,
/// naming the shape it has.
template <class S, std::size_t N, xt::layout_type L = xt::layout_type::row_major>
xt::xtensor<S, N, L> to_xtensor(const io::NpyArray& a, const std::string& source = "the .npy array") {
  CANON_REQUIRE_SCALAR(S);
  static_assert(detail::is_static_layout_v<L>, "canon::xtensor::to_xtensor: ask for row_major or column_major");
  if (a.shape.size() != N)
    throw shape_error(canon::detail::message(source, ": the array has shape ", detail::tuple_text(a.shape), ", ",
                                             a.shape.size(), " dimension", a.shape.size() == 1 ? "" : "s",
                                             "; expected ", N));
  detail::require_consistent(a, source);
  detail::require_representable<S>(a, source);
  typename xt::xtensor<S, N, L>::shape_type shape{};
  for (std::size_t d = 0; d < N; ++d) shape[d] = static_cast<std::size_t>(a.shape[d]);
  xt::xtensor<S, N, L> out(shape);
  detail::assign_elements(out, a);
  return out;
}

/// Reads a .npy file into an xt::xarray<S> of its shape (see the file comment). Throws
/// io_error for a malformed file (with the byte offset), value_error for a value beyond S.
template <class S, xt::layout_type L = xt::layout_type::row_major>
xt::xarray<S, L> read_npy(const std::string& path) {
  return to_xarray<S, L>(io::read_npy(path), path);
}

/// Reads a .npy file of N dimensions into an xt::xtensor<S, N>; another rank throws
/// shape_error naming the file's shape.
template <class S, std::size_t N, xt::layout_type L = xt::layout_type::row_major>
xt::xtensor<S, N, L> read_npy_tensor(const std::string& path) {
  return to_xtensor<S, N, L>(io::read_npy(path), path);
}

/// Writes an xt expression (any rank and layout, a view of a canon batch included) to a
/// C-order .npy of its shape: '<f4' for float, '<f8' for double, the expression's scalar
/// unless one is named (`write_npy<float>(path, a)`). Atomic: a temporary file, renamed.
template <class Requested = void, class E, class S = detail::value_or_t<Requested, E>>
void write_npy(const std::string& path, const xt::xexpression<E>& expression) {
  CANON_REQUIRE_SCALAR(S);
  const xt::xarray<S, xt::layout_type::row_major> c_order = xt::cast<S>(expression.derived_cast());
  const std::vector<Index> shape(c_order.shape().begin(), c_order.shape().end());
  canon::write_file_atomically(path, [&](std::ostream& out) {
    io::detail::write_npy_data(out, shape, c_order.data(), static_cast<Index>(c_order.size()));
  });
}

}  // namespace canon::xtensor
