// Shared by the spectral tests: the scipy fixture, its blocks and the tolerances.
#pragma once

#include <canon/signal/stft.hpp>

#include "canon_test.hpp"

namespace spectral_test {

inline const auto& fixture() {
  static const auto f = canon_test::read_fixture("signal_spectral.txt");
  return f;
}

inline const canon::Matrix<double>& block(const std::string& name) {
  const auto it = fixture().find(name);
  if (it == fixture().end()) FAIL("fixture block " << name << " is missing");
  return it->second;
}

/// Agreement with scipy: 1e-9 relative in double, float rounding in float.
template <class S>
double tolerance() {
  return std::is_same_v<S, float> ? 2e-5 : 1e-9;
}

/// STFT options of non-overlapping 1 s frames without boundary padding (the framing of
/// the band-variance and DE definitions).
inline canon::signal::StftOptions one_second_frames(double fs) {
  canon::signal::StftOptions o;
  o.fs = fs;
  o.nperseg = canon::Index(fs);
  o.noverlap = 0;
  o.boundary = canon::signal::StftBoundary::none;
  o.padded = false;
  return o;
}

inline constexpr double pi = 3.14159265358979323846;

}  // namespace spectral_test
