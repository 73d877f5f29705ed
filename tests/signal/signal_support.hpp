// Helpers for the signal tests: the shared fixture, loaded once, and tolerances.
#pragma once

#include <canon_test.hpp>
#include <string>

namespace signal_test {

inline const std::map<std::string, canon::Matrix<double>>& fixture() {
  static const auto blocks = canon_test::read_fixture("signal_filters.txt");
  return blocks;
}

inline const canon::Matrix<double>& block(const std::string& name) {
  const auto& f = fixture();
  const auto it = f.find(name);
  if (it == f.end()) FAIL("fixture block " << name << " is missing");
  return it->second;
}

/// 1e-9 relative in double (the bar), float precision otherwise.
template <class S>
constexpr double tolerance() {
  return std::is_same_v<S, float> ? 2e-5 : 1e-9;
}

template <class Derived>
canon::Matrix<double> as_double(const Eigen::MatrixBase<Derived>& m) {
  return m.template cast<double>();
}

}  // namespace signal_test
