// canon/io/npy.hpp — NumPy .npy arrays in and out, so features and embeddings move
// between canon and Python.
//
// The format (numpy/lib/format.py): the magic "\x93NUMPY", a version byte pair (1.0:
// 2-byte little-endian header length; 2.0/3.0: 4-byte), an ASCII Python dict literal
//   {'descr': '<f8', 'fortran_order': False, 'shape': (3, 4), }
// padded with spaces to a multiple of 64 bytes and ended by '\n', then the raw data.
// The reader is a small strict parser of exactly that dict (any key order, both quote
// kinds); every defect — bad magic, a header that runs past the file, an unknown
// dtype, a shape whose size overflows, data shorter or longer than the shape says —
// throws io_error with the file name and the byte offset. Sizes are checked against
// the file length before anything is allocated.
//
// Supported dtypes: float32/float64, signed and unsigned integers of 1, 2, 4, 8 bytes
// and bool, in either byte order. Values are held as double (int64 beyond 2^53 loses
// precision; such arrays are not features, and `warnings` says so). NaN and Inf are
// valid .npy data (NumPy's missing values): they are kept and counted in `warnings`.
// matrix<float>() of a value beyond float's range throws instead of storing inf.
// Writing produces '<f4' or '<f8', C order.
#pragma once

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <cstring>
#include <limits>
#include <ostream>
#include <string>
#include <vector>

#include "canon/core/atomic_file.hpp"
#include "canon/core/error.hpp"
#include "canon/core/types.hpp"
#include "canon/io/csv.hpp"

namespace canon::io {

/// An N-d array read from .npy, always stored in C (row-major) order.
struct NpyArray {
  std::vector<Index> shape;
  std::string descr;  ///< the dtype as written in the file, e.g. "<f4"
  std::vector<double> data;
  /// Conditions the reader noticed but did not reject: NaN/Inf values (kept), 64-bit
  /// integers beyond 2^53 (rounded to double). Empty for a clean array.
  std::vector<std::string> warnings;

  Index size() const { return static_cast<Index>(data.size()); }

  /// 2-D arrays as rows x cols; 1-D arrays as an n x 1 column; anything else throws.
  /// A finite value beyond Scalar's range (1e300 into float) throws value_error; NaN
  /// and Inf stay NaN and Inf.
  template <class Scalar>
  Matrix<Scalar> matrix() const {
    CANON_REQUIRE_SCALAR(Scalar);
    if (shape.size() != 1 && shape.size() != 2)
      throw shape_error(canon::detail::message("NpyArray::matrix: the array has ", shape.size(),
                                               " dimensions; expected 1 or 2"));
    const double largest = static_cast<double>(std::numeric_limits<Scalar>::max());
    for (std::size_t k = 0; k < data.size(); ++k)
      if (std::isfinite(data[k]) && std::fabs(data[k]) > largest)
        throw value_error(canon::detail::message("NpyArray::matrix: element ", k, " (C order) is ", data[k],
                                                 ", beyond the range of the requested ", sizeof(Scalar) * 8,
                                                 "-bit floating type (largest ", largest, ")"));
    if (shape.size() == 1) {
      Matrix<Scalar> m(shape[0], 1);
      for (Index i = 0; i < shape[0]; ++i) m(i, 0) = static_cast<Scalar>(data[static_cast<std::size_t>(i)]);
      return m;
    }
    using RowMajor = Eigen::Matrix<double, Eigen::Dynamic, Eigen::Dynamic, Eigen::RowMajor>;
    return Eigen::Map<const RowMajor>(data.data(), shape[0], shape[1]).template cast<Scalar>();
  }
};

namespace detail {

/// Cursor over the header dict with error reporting by absolute byte offset.
class NpyHeaderParser {
 public:
  NpyHeaderParser(const std::string& text, std::size_t base, const std::string& source)
      : text_(text), base_(base), source_(source) {}

  [[noreturn]] void fail(const std::string& what) const {
    throw io_error(canon::detail::message(source_, ": .npy header, byte ", base_ + pos_, ": ", what));
  }
  void skip_blanks() {
    while (pos_ < text_.size() && (text_[pos_] == ' ' || text_[pos_] == '\t')) ++pos_;
  }
  bool peek(char c) {
    skip_blanks();
    return pos_ < text_.size() && text_[pos_] == c;
  }
  void expect(char c) {
    if (!peek(c)) {
      fail(canon::detail::message("expected '", c, "', found ",
                                  pos_ < text_.size() ? show(std::string(1, text_[pos_])) : "the end of the header"));
    }
    ++pos_;
  }
  std::string string_literal() {
    skip_blanks();
    if (pos_ >= text_.size() || (text_[pos_] != '\'' && text_[pos_] != '"'))
      fail("expected a quoted string");
    const char quote = text_[pos_++];
    std::string out;
    while (pos_ < text_.size() && text_[pos_] != quote) {
      if (out.size() > 64) fail("string too long");
      out += text_[pos_++];
    }
    if (pos_ >= text_.size()) fail("unterminated string");
    ++pos_;
    return out;
  }
  bool boolean() {
    skip_blanks();
    if (text_.compare(pos_, 4, "True") == 0) { pos_ += 4; return true; }
    if (text_.compare(pos_, 5, "False") == 0) { pos_ += 5; return false; }
    fail("expected True or False");
  }
  std::vector<Index> tuple() {
    expect('(');
    std::vector<Index> dims;
    while (!peek(')')) {
      skip_blanks();
      const std::size_t start = pos_;
      long long value = 0;
      while (pos_ < text_.size() && text_[pos_] >= '0' && text_[pos_] <= '9') {
        if (value > (static_cast<long long>(1) << 50)) fail("dimension too large");
        value = value * 10 + (text_[pos_] - '0');
        ++pos_;
      }
      if (pos_ == start) fail("expected a non-negative integer dimension");
      skip_blanks();
      if (pos_ < text_.size() && text_[pos_] == 'L') ++pos_;  // Python 2 long suffix
      dims.push_back(static_cast<Index>(value));
      if (dims.size() > 32) fail("more than 32 dimensions");
      if (peek(',')) {
        ++pos_;
      } else if (!peek(')')) {
        fail("expected ',' or ')' in the shape");
      }
    }
    ++pos_;
    return dims;
  }
  bool at_end_after_dict() {
    // Only blanks and the final newline may follow the closing brace.
    while (pos_ < text_.size()) {
      const char c = text_[pos_];
      if (c != ' ' && c != '\t' && c != '\n' && c != '\r' && c != '\0') return false;
      ++pos_;
    }
    return true;
  }

 private:
  const std::string& text_;
  std::size_t base_;
  const std::string& source_;
  std::size_t pos_ = 0;
};

inline std::uint64_t read_le(const unsigned char* p, int bytes) {
  std::uint64_t v = 0;
  for (int i = bytes - 1; i >= 0; --i) v = (v << 8) | p[i];
  return v;
}

inline bool host_is_little_endian() {
  const std::uint16_t probe = 1;
  unsigned char first = 0;
  std::memcpy(&first, &probe, 1);
  return first == 1;
}

}  // namespace detail

/// Parses the bytes of a .npy file; `source` names it in messages.
inline NpyArray parse_npy(const std::string& bytes, const std::string& source) {
  auto fail = [&](std::size_t at, const std::string& what) -> void {
    throw io_error(canon::detail::message(source, ": byte ", at, ": ", what));
  };
  const auto* u = reinterpret_cast<const unsigned char*>(bytes.data());
  if (bytes.size() < 10) fail(0, canon::detail::message("file of ", bytes.size(),
                                                        " bytes is too short for a .npy header (expected at least 10)"));
  if (bytes.compare(0, 6, "\x93NUMPY") != 0) fail(0, "not a .npy file (expected the magic \\x93NUMPY)");
  const int major = u[6];
  std::size_t header_length = 0, header_start = 0;
  if (major == 1) {
    header_length = static_cast<std::size_t>(detail::read_le(u + 8, 2));
    header_start = 10;
  } else if (major == 2 || major == 3) {
    if (bytes.size() < 12) fail(8, "file ends inside the header length");
    header_length = static_cast<std::size_t>(detail::read_le(u + 8, 4));
    header_start = 12;
  } else {
    fail(6, canon::detail::message("unsupported .npy version ", major, ".", static_cast<int>(u[7]),
                                   " (expected 1, 2 or 3)"));
  }
  if (header_length > bytes.size() - header_start)
    fail(header_start, canon::detail::message("the header claims ", header_length, " bytes but only ",
                                              bytes.size() - header_start, " follow (truncated file?)"));
  const std::string header = bytes.substr(header_start, header_length);
  detail::NpyHeaderParser parser(header, header_start, source);

  std::string descr;
  bool fortran = false, have_descr = false, have_order = false, have_shape = false;
  std::vector<Index> shape;
  parser.expect('{');
  while (!parser.peek('}')) {
    const std::string key = parser.string_literal();
    parser.expect(':');
    if (key == "descr" && !have_descr) {
      descr = parser.string_literal();
      have_descr = true;
    } else if (key == "fortran_order" && !have_order) {
      fortran = parser.boolean();
      have_order = true;
    } else if (key == "shape" && !have_shape) {
      shape = parser.tuple();
      have_shape = true;
    } else {
      parser.fail(canon::detail::message("unexpected or repeated key ", detail::show(key),
                                         " (expected descr, fortran_order, shape)"));
    }
    if (parser.peek(',')) {
      parser.expect(',');
    } else if (!parser.peek('}')) {
      parser.fail("expected ',' or '}'");
    }
  }
  parser.expect('}');
  if (!parser.at_end_after_dict()) parser.fail("unexpected text after the header dict");
  if (!have_descr || !have_order || !have_shape)
    parser.fail("the header lacks one of descr, fortran_order, shape");

  // dtype: byte order, kind, item size.
  if (descr.size() < 3) parser.fail(canon::detail::message("unsupported dtype ", detail::show(descr)));
  const char order = descr[0], kind = descr[1];
  const std::string size_text = descr.substr(2);
  int item = 0;
  if (size_text == "1") item = 1;
  else if (size_text == "2") item = 2;
  else if (size_text == "4") item = 4;
  else if (size_text == "8") item = 8;
  const bool known_kind = (kind == 'f' && (item == 4 || item == 8)) ||
                          ((kind == 'i' || kind == 'u') && item > 0) || (kind == 'b' && item == 1);
  if ((order != '<' && order != '>' && order != '|' && order != '=') || !known_kind)
    parser.fail(canon::detail::message("unsupported dtype ", detail::show(descr),
                                       " (expected float32/64, int/uint 8-64 or bool)"));
  const bool swap = (order == '>') == detail::host_is_little_endian() && order != '|' && order != '=';

  // Element count without overflow, then the exact data size.
  std::uint64_t count = 1;
  for (Index d : shape) {
    const auto ud = static_cast<std::uint64_t>(d);
    if (ud != 0 && count > (std::uint64_t{1} << 62) / ud)
      parser.fail("the shape's element count overflows");
    count *= ud;
  }
  const std::size_t data_start = header_start + header_length;
  const std::uint64_t available = bytes.size() - data_start;
  if (count > available / static_cast<std::uint64_t>(item) ||
      count * static_cast<std::uint64_t>(item) != available)
    fail(data_start, canon::detail::message("the shape needs ", count, " x ", item, " = ",
                                            count * static_cast<std::uint64_t>(item),
                                            " data bytes but the file has ", available,
                                            available < count * static_cast<std::uint64_t>(item)
                                                ? " (truncated file?)"
                                                : " (trailing bytes)"));

  NpyArray out;
  out.shape = shape;
  out.descr = descr;
  out.data.resize(static_cast<std::size_t>(count));
  const unsigned char* p = u + data_start;
  auto element = [&](std::size_t k) -> double {
    // Copy the item's bytes into host (little-endian) order.
    unsigned char b[8] = {0, 0, 0, 0, 0, 0, 0, 0};
    const unsigned char* src = p + k * static_cast<std::size_t>(item);
    for (int i = 0; i < item; ++i) b[i] = src[swap ? item - 1 - i : i];
    switch (kind) {
      case 'f':
        if (item == 4) { float f; std::memcpy(&f, b, 4); return f; }
        { double d; std::memcpy(&d, b, 8); return d; }
      case 'b': return b[0] != 0 ? 1.0 : 0.0;
      case 'u': {
        std::uint64_t v = 0;
        std::memcpy(&v, b, static_cast<std::size_t>(item));  // little-endian host after swap
        return static_cast<double>(v);
      }
      default: {
        std::uint64_t v = 0;
        std::memcpy(&v, b, static_cast<std::size_t>(item));
        const int bits = 8 * item;
        if (bits < 64 && (v >> (bits - 1)) & 1u) v |= ~std::uint64_t{0} << bits;  // sign-extend
        return static_cast<double>(static_cast<std::int64_t>(v));
      }
    }
  };
  if ((!fortran || shape.size() < 2) && kind == 'f' && !swap) {
    // Fast path for native-order floats in C order: plain copies, no per-item dispatch.
    if (item == 8) {
      // An empty array has no storage: memcpy from or to a null pointer is undefined even
      // for zero bytes.
      if (!out.data.empty()) std::memcpy(out.data.data(), p, out.data.size() * 8);
    } else {
      for (std::size_t k = 0; k < out.data.size(); ++k) {
        float f;
        std::memcpy(&f, p + 4 * k, 4);
        out.data[k] = f;
      }
    }
  } else if (!fortran || shape.size() < 2) {
    for (std::size_t k = 0; k < out.data.size(); ++k) out.data[k] = element(k);
  } else {
    // Fortran order: the first index varies fastest. Walk the C-order output index
    // and compute the matching Fortran offset.
    const std::size_t n = shape.size();
    std::vector<Index> index(n, 0);
    std::vector<std::uint64_t> stride(n, 1);
    for (std::size_t d = 1; d < n; ++d) stride[d] = stride[d - 1] * static_cast<std::uint64_t>(shape[d - 1]);
    for (std::size_t k = 0; k < out.data.size(); ++k) {
      std::uint64_t offset = 0;
      for (std::size_t d = 0; d < n; ++d) offset += static_cast<std::uint64_t>(index[d]) * stride[d];
      out.data[k] = element(static_cast<std::size_t>(offset));
      for (std::size_t d = n; d-- > 0;) {
        if (++index[d] < shape[d]) break;
        index[d] = 0;
      }
    }
  }
  std::size_t non_finite = 0, imprecise = 0, first_non_finite = 0, first_imprecise = 0;
  for (std::size_t k = 0; k < out.data.size(); ++k) {
    const double x = out.data[k];
    if (!std::isfinite(x)) {
      if (non_finite++ == 0) first_non_finite = k;
    } else if (item == 8 && kind != 'f' && std::fabs(x) > 9007199254740992.0) {
      if (imprecise++ == 0) first_imprecise = k;
    }
  }
  if (non_finite > 0)
    out.warnings.push_back(canon::detail::message(source, ": ", non_finite, " NaN/Inf values (first at element ",
                                                  first_non_finite, " in C order: ", out.data[first_non_finite],
                                                  "), kept as they are"));
  if (imprecise > 0)
    out.warnings.push_back(canon::detail::message(source, ": ", imprecise, " 64-bit integers beyond 2^53 (first at element ",
                                                  first_imprecise, "), rounded to the nearest double"));
  return out;
}

inline NpyArray read_npy(const std::string& path) { return parse_npy(read_text_file(path), path); }

namespace detail {

template <class Scalar>
void write_npy_data(std::ostream& out, const std::vector<Index>& shape, const Scalar* c_order, Index count) {
  static_assert(sizeof(float) == 4 && sizeof(double) == 8, "IEEE float sizes assumed");
  if (!host_is_little_endian()) throw io_error("write_npy: big-endian hosts are not supported");
  std::string dict = std::string("{'descr': '<f") + (sizeof(Scalar) == 4 ? "4" : "8") +
                     "', 'fortran_order': False, 'shape': (";
  for (std::size_t i = 0; i < shape.size(); ++i) dict += std::to_string(shape[i]) + (shape.size() == 1 ? "," : (i + 1 < shape.size() ? ", " : ""));
  dict += "), }";
  // Pad so that magic(6) + version(2) + length(2) + header is a multiple of 64.
  std::size_t total = 10 + dict.size() + 1;
  const std::size_t padded = (total + 63) / 64 * 64;
  dict.append(padded - total, ' ');
  dict += '\n';
  if (dict.size() > 65535) throw io_error("write_npy: header too long");
  out.write("\x93NUMPY\x01\x00", 8);
  const unsigned char len[2] = {static_cast<unsigned char>(dict.size() & 0xff),
                                static_cast<unsigned char>(dict.size() >> 8)};
  out.write(reinterpret_cast<const char*>(len), 2);
  out.write(dict.data(), static_cast<std::streamsize>(dict.size()));
  out.write(reinterpret_cast<const char*>(c_order), static_cast<std::streamsize>(count * static_cast<Index>(sizeof(Scalar))));
}

}  // namespace detail

/// Writes a matrix as a 2-D C-order array ('<f4' for float, '<f8' for double),
/// atomically (temporary file + rename).
template <class Derived>
void write_npy(const std::string& path, const Eigen::MatrixBase<Derived>& m) {
  using Scalar = typename Derived::Scalar;
  CANON_REQUIRE_SCALAR(Scalar);
  const Eigen::Matrix<Scalar, Eigen::Dynamic, Eigen::Dynamic, Eigen::RowMajor> rows = m;
  const std::vector<Index> shape{rows.rows(), rows.cols()};
  canon::write_file_atomically(path, [&](std::ostream& out) {
    detail::write_npy_data(out, shape, rows.data(), rows.size());
  });
}

/// Writes a vector as a 1-D array.
template <class Scalar>
void write_npy_1d(const std::string& path, const std::vector<Scalar>& v) {
  CANON_REQUIRE_SCALAR(Scalar);
  const std::vector<Index> shape{static_cast<Index>(v.size())};
  canon::write_file_atomically(path, [&](std::ostream& out) {
    detail::write_npy_data(out, shape, v.data(), static_cast<Index>(v.size()));
  });
}

}  // namespace canon::io
