// WaveletTransform (one buffer, no allocation after construction) against PyWavelets
// fixtures, against wavedec/waverec, and its reuse and bad-input behaviour.
#include <canon/signal/wavelet_transform.hpp>

#include "signal_support.hpp"

using canon::Index;
using canon::Matrix;
using canon::Vector;
using canon::signal::WaveletMode;
using canon::signal::WaveletTransform;
using signal_test::block;

TEMPLATE_TEST_CASE("WaveletTransform matches pywt in both modes", "[signal][wavelets]", float, double) {
  using S = TestType;
  const Vector<S> x = block("wave_x").row(0).transpose().cast<S>();
  for (int order : {1, 4, 8, 20})
    for (WaveletMode mode : {WaveletMode::symmetric, WaveletMode::periodization}) {
      const std::string tag = "db" + std::to_string(order) + "_" +
                              (mode == WaveletMode::symmetric ? "symmetric" : "periodization");
      INFO(tag);
      WaveletTransform<S> t(canon::signal::daubechies(order), mode, x.size());
      t.decompose(x);
      for (int i = 0; i < t.count(); ++i) {
        const Matrix<double> got = t.coefficients(i).template cast<double>().transpose();
        CHECK(canon_test::relative_gap(got, block("wavedec_" + tag + "_" + std::to_string(i))) <
              signal_test::tolerance<S>());
      }
      CHECK(signal_test::fixture().count("wavedec_" + tag + "_" + std::to_string(t.count())) == 0);
      Vector<S> r(x.size());
      t.reconstruct(r);
      const Matrix<double> expected = block("waverec_" + tag).leftCols(x.size());
      CHECK(canon_test::relative_gap(Matrix<double>(r.template cast<double>().transpose()), expected) <
            signal_test::tolerance<S>());
    }
}

TEST_CASE("WaveletTransform equals wavedec and waverec bit for bit at every level", "[signal][wavelets]") {
  for (Index length : {Index(31), Index(64), Index(1001), Index(4096)})
    for (int order : {1, 2, 8, 20})
      for (WaveletMode mode : {WaveletMode::symmetric, WaveletMode::periodization}) {
        const auto w = canon::signal::daubechies(order);
        const int max_level = canon::signal::dwt_max_level(length, w.length());
        const Vector<double> x = canon_test::random_matrix(length, 1, std::uint64_t(length + order));
        for (int level = 0; level <= max_level; ++level) {
          INFO("length " << length << " db" << order << " level " << level);
          WaveletTransform<double> t(w, mode, length, level);
          const auto c = canon::signal::wavedec(x, w, mode, level);
          t.decompose(x);
          REQUIRE(t.count() == int(c.size()));
          for (int i = 0; i < t.count(); ++i) CHECK(t.coefficients(i) == c[std::size_t(i)]);
          Vector<double> r(length);
          t.reconstruct(r);
          CHECK(r == canon::signal::waverec(c, w, mode).head(length));
        }
      }
}

TEST_CASE("WaveletTransform reuses its memory and works on matrix rows", "[signal][wavelets]") {
  const Matrix<double> x = canon_test::random_matrix(3, 777, 5);
  WaveletTransform<double> t(canon::signal::daubechies(8), WaveletMode::symmetric, x.cols());
  const double* before = t.coefficients(0).data();
  Matrix<double> y(3, 777);
  Vector<double> first;
  for (Index ch = 0; ch < 3; ++ch) {
    t.decompose(x.row(ch));
    if (ch == 0) first = t.coefficients(1);
    t.coefficients(t.count() - 1).setZero();  // drop the finest details
    t.reconstruct(y.row(ch));
  }
  CHECK(t.coefficients(0).data() == before);
  // The same row again gives the same coefficients (no state carried between calls).
  t.decompose(x.row(0));
  CHECK(t.coefficients(1) == first);
  // Row reconstruction equals waverec of the same modified coefficients.
  const auto w = canon::signal::daubechies(8);
  auto c = canon::signal::wavedec(Vector<double>(x.row(2).transpose()), w, WaveletMode::symmetric);
  c.back().setZero();
  CHECK(Vector<double>(y.row(2).transpose()) == canon::signal::waverec(c, w, WaveletMode::symmetric).head(777));
}

TEST_CASE("WaveletTransform rejects bad input with messages", "[signal][wavelets]") {
  const auto w = canon::signal::daubechies(8);
  CHECK_THROWS_WITH(WaveletTransform<double>(w, WaveletMode::symmetric, 0), Catch::Contains("at least one sample"));
  CHECK_THROWS_WITH(WaveletTransform<double>(w, WaveletMode::symmetric, 100, 5), Catch::Contains("level must lie in [0, 2]"));
  WaveletTransform<double> t(w, WaveletMode::symmetric, 100);
  CHECK_THROWS_WITH(t.decompose(Vector<double>::Zero(99)), Catch::Contains("expected a vector of 100 samples"));
  Vector<double> bad = Vector<double>::Ones(100);
  bad(50) = std::numeric_limits<double>::quiet_NaN();
  CHECK_THROWS_AS(t.decompose(bad), canon::value_error);
  Vector<double> small(10);
  CHECK_THROWS_WITH(t.reconstruct(small), Catch::Contains("room for 100"));
  CHECK_THROWS_WITH(t.coefficients(3), Catch::Contains("outside [0, 2]"));
}
