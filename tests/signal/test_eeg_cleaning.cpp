// canon/signal/eeg_cleaning.hpp: the two wavelet steps against a numpy/pywt
// re-implementation of the authors' utils.py (fixture made by
// tests/fixtures/make_signal_filters_fixture.py), and the whole pipeline on a synthetic
// recording with strong mains interference.
#include <canon/signal/eeg_cleaning.hpp>

#include "signal_support.hpp"

using canon::Index;
using canon::Matrix;
using signal_test::block;

TEMPLATE_TEST_CASE("wavelet artifact removal matches the numpy reference", "[signal][eeg]", float, double) {
  using S = TestType;
  const Matrix<S> x = block("clean_x").cast<S>();
  CHECK(canon_test::relative_gap(canon::signal::wavelet_artifact_removal(x, 5.0).template cast<double>(),
                                 block("artifact_k5")) < signal_test::tolerance<S>());
  CHECK(canon_test::relative_gap(canon::signal::wavelet_artifact_removal(x, 2.0).template cast<double>(),
                                 block("artifact_k2")) < signal_test::tolerance<S>());
  // The burst on channel 1 is the reason for the step: its peak must come down (by
  // about a quarter here; on 256 samples the burst inflates its own levels' std).
  const Matrix<double> y = canon::signal::wavelet_artifact_removal(block("clean_x"), 5.0);
  CHECK(y.row(1).segment(100, 4).cwiseAbs().maxCoeff() < 0.9 * block("clean_x").row(1).segment(100, 4).cwiseAbs().maxCoeff());
}

TEMPLATE_TEST_CASE("channel scaling and semblance denoising match the numpy reference", "[signal][eeg]",
                   float, double) {
  using S = TestType;
  const Matrix<S> scaled = canon::signal::scale_channels(Matrix<S>(block("clean_x").cast<S>()));
  CHECK(canon_test::relative_gap(scaled.template cast<double>(), block("scaled")) < signal_test::tolerance<S>());
  const Matrix<S> s = block("scaled").cast<S>();
  CHECK(canon_test::relative_gap(canon::signal::wavelet_semblance_denoising(s, 0.5).template cast<double>(),
                                 block("semblance_05")) < signal_test::tolerance<S>());
  CHECK(canon_test::relative_gap(canon::signal::wavelet_semblance_denoising(s, 0.9).template cast<double>(),
                                 block("semblance_09")) < signal_test::tolerance<S>());
}

TEST_CASE("semblance keeps identical channels and removes anti-correlated ones", "[signal][eeg]") {
  Matrix<double> x(3, 300);
  const Matrix<double> r = canon_test::random_matrix(1, 300, 11);
  for (Index c = 0; c < 3; ++c) x.row(c) = r;
  // R = 1 everywhere: nothing changes (up to reconstruction rounding).
  CHECK((canon::signal::wavelet_semblance_denoising(x, 0.999) - x).cwiseAbs().maxCoeff() < 1e-10);
  // Two opposite channels: R = 0 everywhere, everything goes.
  Matrix<double> y(2, 300);
  y.row(0) = r;
  y.row(1) = -r;
  CHECK(canon::signal::wavelet_semblance_denoising(y, 0.5).cwiseAbs().maxCoeff() < 1e-10);
}

namespace {

/// Amplitude of the f Hz component of x over [from, to) (a whole number of periods).
double amplitude(const Matrix<double>& x, Index ch, double f, double fs, Index from, Index to) {
  const double pi = 3.14159265358979323846;
  double c = 0, s = 0;
  for (Index i = from; i < to; ++i) {
    const double t = 2 * pi * f * static_cast<double>(i) / fs;
    c += x(ch, i) * std::cos(t);
    s += x(ch, i) * std::sin(t);
  }
  return 2.0 * std::hypot(c, s) / static_cast<double>(to - from);
}

double db(double ratio) { return 20.0 * std::log10(ratio); }

}  // namespace

TEST_CASE("cleaning pipeline removes 50 Hz mains and keeps a 10 Hz rhythm", "[signal][eeg]") {
  // 8 channels x 30 s at 250 Hz: a shared 10 Hz alpha rhythm (amplitude 10), strong
  // shared mains at 50 Hz (amplitude 50), a slow drift, and independent noise.
  const double fs = 250.0, pi = 3.14159265358979323846;
  const Index channels = 8, n = 7500;
  const Matrix<double> noise = canon_test::random_matrix(channels, n, 2017);
  Matrix<double> x(channels, n);
  for (Index c = 0; c < channels; ++c)
    for (Index i = 0; i < n; ++i) {
      const double t = static_cast<double>(i) / fs;
      x(c, i) = 10.0 * std::sin(2 * pi * 10.0 * t) + 50.0 * std::sin(2 * pi * 50.0 * t + 0.3) +
                30.0 * std::sin(2 * pi * 0.05 * t + static_cast<double>(c)) + 2.0 * noise(c, i);
    }
  const Index from = 500, to = 7000;  // 26 s away from the edges, whole periods of 10/50 Hz
  canon::signal::EegCleaningOptions o;
  Matrix<double> y = canon::signal::eeg_highpass(x, fs, o.highpass_hz, o.highpass_order);
  y = canon::signal::eeg_notch(y, fs, o.mains_hz, o.notch_quality);
  y = canon::signal::wavelet_artifact_removal(y, o.artifact_k);
  for (Index c = 0; c < channels; ++c) {
    INFO("channel " << c);
    CHECK(db(amplitude(y, c, 50.0, fs, from, to) / amplitude(x, c, 50.0, fs, from, to)) <= -30.0);
    CHECK(std::abs(db(amplitude(y, c, 10.0, fs, from, to) / amplitude(x, c, 10.0, fs, from, to))) <= 1.0);
  }
  // The pipeline is these steps, then scaling and semblance denoising.
  const Matrix<double> scaled = canon::signal::scale_channels(y);
  const Matrix<double> cleaned = canon::signal::clean_eeg(x, fs, o);
  CHECK((cleaned - canon::signal::wavelet_semblance_denoising(scaled, 0.5)).cwiseAbs().maxCoeff() == 0.0);
  for (Index c = 0; c < channels; ++c) {
    INFO("channel " << c);
    const double a10 = amplitude(cleaned, c, 10.0, fs, from, to);
    CHECK(std::abs(db(a10 / amplitude(scaled, c, 10.0, fs, from, to))) <= 1.0);
    // Mains relative to alpha: at least 30 dB lower than in the raw recording.
    CHECK(db(amplitude(cleaned, c, 50.0, fs, from, to) / a10) -
              db(amplitude(x, c, 50.0, fs, from, to) / amplitude(x, c, 10.0, fs, from, to)) <= -30.0);
  }
}

TEST_CASE("cleaning rejects bad input with a message naming it", "[signal][eeg]") {
  using Catch::Matchers::Contains;
  Matrix<double> x = canon_test::random_matrix(2, 400, 5);
  CHECK_THROWS_WITH(canon::signal::wavelet_artifact_removal(x, 0.0), Contains("k must be positive"));
  CHECK_THROWS_WITH(canon::signal::wavelet_semblance_denoising(x, 1.5), Contains("threshold must lie in [0, 1]"));
  CHECK_THROWS_WITH(canon::signal::eeg_notch(x, 250.0, 130.0), Contains("w0") && Contains("Nyquist"));
  CHECK_THROWS_WITH(canon::signal::eeg_highpass(x, 250.0, 0.0), Contains("cutoff"));
  Matrix<double> flat = x;
  flat.row(1).setConstant(3.0);
  CHECK_THROWS_WITH(canon::signal::scale_channels(flat), Contains("channel 1 is constant"));
  CHECK_THROWS_AS(canon::signal::wavelet_artifact_removal(Matrix<double>(0, 10)), canon::shape_error);
  const Matrix<double> short_x = canon_test::random_matrix(2, 29, 6);
  CHECK_THROWS_WITH(canon::signal::wavelet_artifact_removal(short_x), Contains("needs at least 30 samples"));
  CHECK_THROWS_WITH(canon::signal::wavelet_semblance_denoising(short_x), Contains("db8 needs at least 30"));
  CHECK_NOTHROW(canon::signal::wavelet_semblance_denoising(Matrix<double>(canon_test::random_matrix(2, 30, 6))));
  CHECK_THROWS_AS(canon::signal::clean_eeg(Matrix<double>(3, 0), 250.0), canon::shape_error);
  x(0, 10) = std::numeric_limits<double>::quiet_NaN();
  CHECK_THROWS_WITH(canon::signal::clean_eeg(x, 250.0), Contains("non-finite"));
  CHECK_THROWS_WITH(canon::signal::wavelet_semblance_denoising(x), Contains("non-finite"));
}
