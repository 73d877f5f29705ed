// canon/signal/window.hpp — tapering windows as scipy.signal.get_window returns them.
//
// A generalised cosine window of length M is
//   w[n] = sum_k (-1)^k a_k cos(2 pi k n / L),   n = 0 .. M-1,
// with L = M - 1 for the symmetric form (filter design; w[0] = w[M-1]) and L = M for the
// periodic form (spectral analysis; the symmetric window of length M+1 without its last
// sample, get_window's default fftbins=True). Hann: a = (0.5, 0.5); Hamming: (0.54, 0.46).
#pragma once

#include <cmath>
#include <string>

#include "canon/core/constants.hpp"
#include "canon/core/error.hpp"
#include "canon/core/types.hpp"

namespace canon::signal {

enum class WindowType { hann, hamming };

/// periodic = scipy's fftbins=True (the default of get_window); symmetric = fftbins=False.
enum class WindowSymmetry { periodic, symmetric };

inline const char* window_name(WindowType type) {
  return type == WindowType::hann ? "hann" : "hamming";
}

/// The window of `length` samples, as scipy.signal.get_window(name, length, fftbins).
template <class S = double>
Vector<S> get_window(WindowType type, Index length,
                     WindowSymmetry symmetry = WindowSymmetry::periodic) {
  CANON_REQUIRE_SCALAR(S);
  if (length < 1)
    throw value_error(
        canon::detail::message("signal::get_window: length must be at least 1, got ", length));
  Vector<S> w(length);
  if (length == 1) {
    w(0) = S(1);
    return w;
  }
  const double a0 = type == WindowType::hann ? 0.5 : 0.54;
  const double a1 = 1.0 - a0;
  // The periodic window is the symmetric one of length M+1, truncated.
  const double span = symmetry == WindowSymmetry::periodic ? double(length) : double(length - 1);
  for (Index n = 0; n < length; ++n)
    w(n) = static_cast<S>(a0 - a1 * std::cos(2.0 * pi * double(n) / span));
  return w;
}

}  // namespace canon::signal
