// Helpers shared by canon's tests: scalar tags, tolerances, random inputs, text
// fixtures and the two-precision layer check.
#pragma once

#include <canon/core/rng.hpp>
#include <canon/testing/gradient_check.hpp>
#include <catch2/catch.hpp>
#include <fstream>
#include <map>
#include <sstream>
#include <string>

namespace canon_test {

using canon::Index;
using canon::Matrix;

template <class S>
struct tag {
  using type = S;
};

/// The tolerance for comparing a float computation with its double twin.
template <class S>
constexpr double precision_tolerance() {
  return std::is_same_v<S, float> ? 2e-5 : 1e-13;
}

/// Gaussian entries; with min_magnitude > 0, every entry has |x| >= min_magnitude
/// (keeps finite differences away from kinks such as ReLU's at 0).
inline Matrix<double> random_matrix(Index rows, Index cols, std::uint64_t seed,
                                    double min_magnitude = 0.0) {
  canon::Rng rng(seed);
  Matrix<double> m(rows, cols);
  canon::fill_normal(m, rng);
  for (Index i = 0; i < m.size(); ++i) {
    double& v = m.data()[i];
    if (std::abs(v) < min_magnitude) v = v < 0 ? v - min_magnitude : v + min_magnitude;
  }
  return m;
}

/// Reads a text fixture: blocks of "name rows cols" followed by rows*cols numbers in
/// row-major order (as numpy.savetxt of a 2-D array). Lines starting with # are
/// comments.
inline std::map<std::string, Matrix<double>> read_fixture(const std::string& file) {
  const std::string path = std::string(CANON_FIXTURES_DIR) + "/" + file;
  std::ifstream in(path);
  if (!in) FAIL("cannot open fixture " << path);
  std::map<std::string, Matrix<double>> blocks;
  std::string token;
  while (in >> token) {
    if (token[0] == '#') {
      std::getline(in, token);
      continue;
    }
    Index rows = 0, cols = 0;
    in >> rows >> cols;
    Matrix<double> m(rows, cols);
    for (Index i = 0; i < rows; ++i)
      for (Index j = 0; j < cols; ++j) in >> m(i, j);
    if (!in) FAIL("fixture " << path << " is malformed at block " << token);
    blocks[token] = m;
  }
  return blocks;
}

/// The relative distance max|a - b| / max|b|.
inline double relative_gap(const Matrix<double>& a, const Matrix<double>& b) {
  REQUIRE(a.rows() == b.rows());
  REQUIRE(a.cols() == b.cols());
  return (a - b).cwiseAbs().maxCoeff() / std::max(b.cwiseAbs().maxCoeff(), 1e-300);
}

/// The check every layer passes: finite differences on the double instance (relative
/// error < 1e-6), and the TestType instance agreeing with the double one.
template <class TestType, class Make>
void check_layer(Make&& make, const Matrix<double>& x,
                 const canon::testing::CheckOptions& options = {}) {
  auto twin = make(tag<double>{});
  const auto report = canon::testing::check_layer_gradients(twin, x, options);
  INFO(report.to_string());
  CHECK(report.worst() < 1e-6);
  auto layer = make(tag<TestType>{});
  auto reference = make(tag<double>{});
  CHECK(canon::testing::precision_gap(layer, reference, x, options) <
        precision_tolerance<TestType>());
}

/// The message of the canon::error that f() throws (of type Expected: a shape_error
/// when asked for, so that another kind of error is not taken for it), or "no error".
template <class Expected = canon::error, class F>
std::string error_of(F f) {
  try {
    f();
  } catch (const Expected& e) {
    return e.what();
  }
  return "no error";
}

/// The .npy files NumPy wrote (tests/fixtures/npy_fixture.txt, made by
/// tests/fixtures/make_npy_fixture.py), by name: their bytes.
inline std::map<std::string, std::string> npy_fixture_files() {
  std::ifstream in(std::string(CANON_FIXTURES_DIR) + "/npy_fixture.txt");
  std::map<std::string, std::string> out;
  std::string name, hex;
  while (in >> name >> hex) {
    std::string bytes;
    for (std::size_t i = 0; i + 1 < hex.size(); i += 2)
      bytes += static_cast<char>(std::stoi(hex.substr(i, 2), nullptr, 16));
    out[name] = bytes;
  }
  REQUIRE(out.size() == 11);
  return out;
}

/// Path under the shared real-data folder, or "" (and a printed reason) if absent.
inline std::string shared_data(const std::string& relative) {
  const std::string path = std::string(CANON_SHARED_DATA_DIR) + "/" + relative;
  std::ifstream probe(path);
  if (!probe) {
    WARN("skipping: real data " << path << " is absent (see ../shared/data/README.md)");
    return "";
  }
  return path;
}

}  // namespace canon_test
