// Shared by the spectral tests: the scipy fixture, its blocks and the tolerances.
#pragma once

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

inline constexpr double pi = 3.14159265358979323846;

}  // namespace spectral_test
