// canon/core/error.hpp — the exception hierarchy. Every error canon throws derives
// from canon::error, and its message says what was found and what was expected.
#pragma once

#include <sstream>
#include <stdexcept>
#include <string>
#include <utility>

namespace canon {

/// Root of every exception canon throws.
class error : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

/// A matrix or signal had the wrong shape (rows, columns, channels, length).
class shape_error : public error {
 public:
  using error::error;
};

/// A value was outside the range an operation accepts: NaN/Inf, a negative
/// rate, a cut-off above Nyquist, an empty batch, a hyper-parameter out of range.
class value_error : public error {
 public:
  using error::error;
};

/// A numerical routine failed (an eigensolver did not converge, a matrix that must
/// be positive definite was not).
class numerical_error : public error {
 public:
  using error::error;
};

/// A file could not be read or written, or its contents were not what was expected.
class io_error : public error {
 public:
  using error::error;
};

/// A long computation stopped because it was asked to (a signal, a user's callback);
/// what it had saved (a training checkpoint) is intact.
class interrupted : public error {
 public:
  using error::error;
};

namespace detail {

/// Builds a message from streamable parts: message("expected ", 3, " rows").
template <class... Parts>
std::string message(Parts&&... parts) {
  std::ostringstream out;
  (out << ... << std::forward<Parts>(parts));
  return out.str();
}

}  // namespace detail
}  // namespace canon
