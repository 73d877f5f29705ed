// canon/signal/wavelets.hpp against PyWavelets 1.1 (fixture made by
// tests/fixtures/make_signal_filters_fixture.py) and perfect reconstruction.
#include <canon/signal/wavelets.hpp>

#include "signal_support.hpp"

using canon::Index;
using canon::Matrix;
using canon::Vector;
using canon::signal::WaveletMode;
using signal_test::block;

namespace {

template <class S>
Vector<S> row_of(const Matrix<double>& m) {
  return m.row(0).transpose().cast<S>();
}

Matrix<double> as_row(const Vector<double>& v) { return v.transpose(); }

}  // namespace

TEST_CASE("Daubechies filters are orthonormal with the right moments", "[signal][wavelets]") {
  for (int n = 1; n <= 20; ++n) {
    INFO("db" << n);
    const auto w = canon::signal::daubechies(n);
    REQUIRE(w.length() == 2 * n);
    double sum = 0, energy = 0, alt = 0;
    for (Index k = 0; k < w.length(); ++k) {
      sum += w.rec_lo[static_cast<std::size_t>(k)];
      energy += w.rec_lo[static_cast<std::size_t>(k)] * w.rec_lo[static_cast<std::size_t>(k)];
      alt += w.dec_hi[static_cast<std::size_t>(k)];
    }
    CHECK(std::abs(sum - std::sqrt(2.0)) < 1e-12);
    CHECK(std::abs(energy - 1.0) < 1e-12);
    CHECK(std::abs(alt) < 1e-12);  // high-pass has no DC
    // Orthogonality to even shifts: sum_k h[k] h[k + 2m] = 0.
    for (Index m = 1; m < n; ++m) {
      double c = 0;
      for (Index k = 0; k + 2 * m < w.length(); ++k)
        c += w.rec_lo[static_cast<std::size_t>(k)] * w.rec_lo[static_cast<std::size_t>(k + 2 * m)];
      CHECK(std::abs(c) < 1e-12);
    }
  }
}

TEST_CASE("dwt_max_level matches pywt", "[signal][wavelets]") {
  // pywt.dwt_max_level(201, 2) = 7, (201, 8) = 4, (201, 16) = 3, (201, 40) = 2, (5, 16) = 0.
  CHECK(canon::signal::dwt_max_level(201, 2) == 7);
  CHECK(canon::signal::dwt_max_level(201, 8) == 4);
  CHECK(canon::signal::dwt_max_level(201, 16) == 3);
  CHECK(canon::signal::dwt_max_level(201, 40) == 2);
  CHECK(canon::signal::dwt_max_level(5, 16) == 0);
  CHECK(canon::signal::dwt_max_level(1000, 2) == 9);
  CHECK(canon::signal::dwt_max_level(1000, 1) == 0);  // pywt raises here; no level is possible
  CHECK(canon::signal::dwt_max_level(256 * 60 * 128, 16) == 17);  // pywt: 17
}

TEMPLATE_TEST_CASE("wavedec and waverec match pywt in both modes", "[signal][wavelets]", float, double) {
  using S = TestType;
  const Vector<S> x = row_of<S>(block("wave_x"));
  for (int order : {1, 4, 8, 20}) {
    for (WaveletMode mode : {WaveletMode::symmetric, WaveletMode::periodization}) {
      const std::string tag = "db" + std::to_string(order) + "_" +
                              (mode == WaveletMode::symmetric ? "symmetric" : "periodization");
      INFO(tag);
      const auto w = canon::signal::daubechies(order);
      const auto c = canon::signal::wavedec(x, w, mode);
      for (std::size_t i = 0; i < c.size() + 1; ++i) {
        const std::string name = "wavedec_" + tag + "_" + std::to_string(i);
        if (i == c.size()) {
          // No extra level in the fixture: the level counts agree.
          CHECK(signal_test::fixture().count(name) == 0);
          break;
        }
        INFO(name);
        const Matrix<double> got = c[i].template cast<double>().transpose();
        CHECK(canon_test::relative_gap(got, block(name)) < signal_test::tolerance<S>());
      }
      const Vector<S> r = canon::signal::waverec(c, w, mode);
      CHECK(canon_test::relative_gap(as_row(r.template cast<double>()), block("waverec_" + tag)) <
            signal_test::tolerance<S>());
      // Perfect reconstruction of the original samples (pywt adds one for odd lengths).
      CHECK((r.head(x.size()) - x).cwiseAbs().maxCoeff() <
            (std::is_same_v<S, float> ? S(1e-4) : S(1e-11)));
    }
  }
}

TEST_CASE("wavedec with an explicit level and waverec of modified coefficients", "[signal][wavelets]") {
  const Vector<double> x = row_of<double>(block("wave_x"));
  const auto c = canon::signal::wavedec(x, canon::signal::daubechies(2), WaveletMode::symmetric, 2);
  REQUIRE(c.size() == 3);
  for (std::size_t i = 0; i < 3; ++i)
    CHECK(canon_test::relative_gap(as_row(c[i]), block("wavedec_db2_symmetric_level2_" + std::to_string(i))) < 1e-9);
  const auto w = canon::signal::daubechies(4);
  auto m = canon::signal::wavedec(x, w, WaveletMode::symmetric);
  m[1] *= 0.5;
  for (Index i = 0; i < m.back().size(); i += 3) m.back()(i) = 0.0;
  CHECK(canon_test::relative_gap(as_row(canon::signal::waverec(m, w, WaveletMode::symmetric)),
                                 block("waverec_modified_db4")) < 1e-9);
}

TEST_CASE("perfect reconstruction for every Daubechies order and many lengths", "[signal][wavelets]") {
  for (int order = 1; order <= 20; ++order) {
    const auto w = canon::signal::daubechies(order);
    for (Index n : {Index(64), Index(99), Index(1000)}) {
      const Vector<double> x = canon_test::random_matrix(n, 1, static_cast<std::uint64_t>(order * 1000 + n));
      for (WaveletMode mode : {WaveletMode::symmetric, WaveletMode::periodization}) {
        INFO("db" << order << " n=" << n << " mode=" << static_cast<int>(mode));
        const auto c = canon::signal::wavedec(x, w, mode);
        const Vector<double> r = canon::signal::waverec(c, w, mode);
        REQUIRE(r.size() >= n);
        CHECK((r.head(n) - x).cwiseAbs().maxCoeff() < 1e-10);
      }
    }
  }
}

TEST_CASE("wavelets reject bad arguments with a message naming them", "[signal][wavelets]") {
  using Catch::Matchers::Contains;
  const auto w = canon::signal::daubechies(8);
  CHECK_THROWS_WITH(canon::signal::daubechies(0), Contains("order must lie in [1, 20]"));
  CHECK_THROWS_WITH(canon::signal::daubechies(21), Contains("order must lie in [1, 20]"));
  Vector<double> x = Vector<double>::Ones(100);
  CHECK_THROWS_WITH(canon::signal::wavedec(x, w, WaveletMode::symmetric, 3),
                    Contains("level must lie in [0, 2]"));
  CHECK_THROWS_AS(canon::signal::wavedec(Vector<double>(), w, WaveletMode::symmetric), canon::shape_error);
  x(3) = std::numeric_limits<double>::quiet_NaN();
  CHECK_THROWS_WITH(canon::signal::wavedec(x, w, WaveletMode::periodization), Contains("non-finite"));
  std::vector<Vector<double>> bad = {Vector<double>::Ones(10), Vector<double>::Ones(20)};
  CHECK_THROWS_WITH(canon::signal::waverec(bad, w, WaveletMode::symmetric), Contains("length mismatch"));
  CHECK_THROWS_AS(canon::signal::waverec(std::vector<Vector<double>>{}, w, WaveletMode::symmetric),
                  canon::shape_error);
}
