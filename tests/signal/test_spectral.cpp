// Windows, STFT, band variance and differential entropy against scipy/numpy fixtures
// (tests/fixtures/make_signal_spectral_fixture.py), closed forms and bad input.
#include <canon/signal/differential_entropy.hpp>
#include <cmath>
#include <limits>

#include "spectral_support.hpp"

using canon::Index;
using canon::Matrix;
using canon::Vector;
namespace sg = canon::signal;

using spectral_test::block;
using spectral_test::pi;
using spectral_test::tolerance;

TEMPLATE_TEST_CASE("get_window matches scipy for hann and hamming", "[signal]", float, double) {
  for (const auto type : {sg::WindowType::hann, sg::WindowType::hamming})
    for (const Index n : {Index(16), Index(15), Index(1)}) {
      if (type == sg::WindowType::hamming && n == 1) continue;
      for (const auto sym : {sg::WindowSymmetry::periodic, sg::WindowSymmetry::symmetric}) {
        const std::string name =
            std::string("window_") + sg::window_name(type) +
            (sym == sg::WindowSymmetry::periodic ? "_periodic_" : "_symmetric_") +
            std::to_string(n);
        INFO(name);
        const Matrix<double> w =
            sg::get_window<TestType>(type, n, sym).template cast<double>().transpose();
        CHECK(canon_test::relative_gap(w, block(name)) < tolerance<TestType>());
      }
    }
  CHECK_THROWS_AS(sg::get_window<TestType>(sg::WindowType::hann, 0), canon::value_error);
}

TEMPLATE_TEST_CASE("stft matches scipy with boundary zeros and padding", "[signal]", float,
                   double) {
  const Matrix<TestType> x = block("stft_x").cast<TestType>();
  sg::StftOptions o;
  o.fs = 100.0;
  o.nperseg = 64;
  o.noverlap = 40;
  const auto z = sg::stft<TestType>(x, o);
  REQUIRE(z.values.size() == 2);
  CHECK(canon_test::relative_gap(z.frequencies.transpose(), block("stftA_freq")) < 1e-15);
  CHECK(canon_test::relative_gap(z.times.transpose(), block("stftA_time")) < 1e-15);
  for (int c = 0; c < 2; ++c) {
    const Matrix<double> re = z.values[std::size_t(c)].real().template cast<double>();
    const Matrix<double> im = z.values[std::size_t(c)].imag().template cast<double>();
    CHECK(canon_test::relative_gap(re, block("stftA_re_" + std::to_string(c))) <
          tolerance<TestType>());
    CHECK(canon_test::relative_gap(im, block("stftA_im_" + std::to_string(c))) <
          tolerance<TestType>());
  }
  // power and magnitude are |Z|^2 and |Z| of the same frames.
  const auto power = sg::power_spectrogram<TestType>(x, o);
  const auto magnitude = sg::magnitude_spectrogram<TestType>(x, o);
  const Matrix<double> abs2 = z.values[1].cwiseAbs2().template cast<double>();
  CHECK(canon_test::relative_gap(power[1].template cast<double>(), abs2) < tolerance<TestType>());
  CHECK(canon_test::relative_gap(magnitude[1].template cast<double>(), abs2.cwiseSqrt()) <
        tolerance<TestType>());
}

TEMPLATE_TEST_CASE("stft matches scipy without boundary or padding and psd scaling", "[signal]",
                   float, double) {
  const Matrix<TestType> x = block("stft_x").cast<TestType>();
  sg::StftOptions o;
  o.fs = 100.0;
  o.nperseg = 51;
  o.window = sg::WindowType::hamming;
  o.boundary = sg::StftBoundary::none;
  o.padded = false;
  o.scaling = sg::StftScaling::psd;
  const auto z = sg::stft<TestType>(x, o);
  CHECK(canon_test::relative_gap(z.times.transpose(), block("stftB_time")) < 1e-15);
  for (int c = 0; c < 2; ++c) {
    CHECK(canon_test::relative_gap(z.values[std::size_t(c)].real().template cast<double>(),
                                   block("stftB_re_" + std::to_string(c))) < tolerance<TestType>());
    CHECK(canon_test::relative_gap(z.values[std::size_t(c)].imag().template cast<double>(),
                                   block("stftB_im_" + std::to_string(c))) < tolerance<TestType>());
  }
}

TEMPLATE_TEST_CASE("band variance of a bin-centred sinusoid is its power", "[signal]", float,
                   double) {
  // A cos(2 pi 10 t) at 128 Hz in 1 s Hann windows: the band [8, 13) holds the peak and
  // both leakage bins, so the band variance is exactly A^2 / 2; [20, 30) holds nothing.
  const double fs = 128.0, a = 3.0;
  Matrix<TestType> x(1, 512);
  for (Index n = 0; n < 512; ++n) x(0, n) = TestType(a * std::cos(2 * pi * 10.0 * double(n) / fs));
  const sg::StftOptions o = spectral_test::one_second_frames(fs);
  const auto v = sg::band_variance<TestType>(x, o, {{8.0, 13.0}, {20.0, 30.0}});
  REQUIRE(v[0].cols() == 4);
  for (Index m = 0; m < 4; ++m) {
    CHECK(std::abs(double(v[0](0, m)) - a * a / 2) < 1e-4 * a * a);
    CHECK(std::abs(double(v[1](0, m))) < 1e-4 * a * a);
  }
  if constexpr (std::is_same_v<TestType, double>) CHECK(std::abs(v[0](0, 0) - a * a / 2) < 1e-12);
}

TEMPLATE_TEST_CASE("differential entropy matches the numpy re-implementation", "[signal]", float,
                   double) {
  const Matrix<TestType> x = block("de_x").cast<TestType>();
  const auto de = sg::differential_entropy<TestType>(x);  // 6 s at 128 Hz -> 4 segments
  REQUIRE(de.size() == 4);
  Matrix<double> stacked(8, 12);
  for (int s = 0; s < 4; ++s) {
    REQUIRE(de[std::size_t(s)].rows() == 2);
    REQUIRE(de[std::size_t(s)].cols() == 12);
    stacked.middleRows(2 * s, 2) = de[std::size_t(s)].template cast<double>();
  }
  CHECK(canon_test::relative_gap(stacked, block("de_paper")) < tolerance<TestType>());
}

TEST_CASE("differential entropy of a 60 s trial has 58 segments", "[signal]") {
  const Matrix<double> x = canon_test::random_matrix(3, 60 * 128, 5);
  const auto de = sg::differential_entropy<double>(x);
  CHECK(de.size() == 58);
  CHECK(de[57].rows() == 3);
  CHECK(de[57].cols() == 12);
  // Segment s window j is segment s+1 window j-1 (1 s hop over 1 s windows).
  CHECK(de[10](2, 1 * 3 + 1) == de[11](2, 1 * 3 + 0));
}

TEST_CASE("differential entropy of band-limited Gaussian noise is the analytic value", "[signal]") {
  // White Gaussian noise of variance s^2 restricted to a band of width B Hz is Gaussian
  // with variance s^2 * 2B / fs, so h = 0.5 log(2 pi e s^2 2B / fs). The estimate per
  // window is noisy (about 2 B degrees of freedom), so average sigma^2 over many windows.
  const double fs = 128.0, s = 2.0;
  canon::Rng rng(11);
  Matrix<double> x(1, 128 * 2000);
  for (Index n = 0; n < x.cols(); ++n) x(0, n) = s * rng.normal();
  const sg::StftOptions o = spectral_test::one_second_frames(fs);
  const std::vector<sg::Band> bands{{4.0, 7.0}, {7.0, 13.0}, {13.0, 30.0}, {31.0, 50.0}};
  const auto v = sg::band_variance<double>(x, o, bands);
  for (std::size_t b = 0; b < bands.size(); ++b) {
    const double expected = s * s * 2.0 * (bands[b].high - bands[b].low) / fs;
    const double mean = v[b].mean();
    INFO("band " << b << " mean variance " << mean << " expected " << expected);
    CHECK(std::abs(mean / expected - 1.0) < 0.05);
    const double h_expected = 0.5 * std::log(2 * pi * std::exp(1.0) * expected);
    CHECK(std::abs(0.5 * std::log(2 * pi * std::exp(1.0) * mean) - h_expected) < 0.03);
  }
}

TEMPLATE_TEST_CASE("authors' DE variant matches their scipy code", "[signal]", float, double) {
  std::vector<Matrix<TestType>> filtered{block("authors_x_0").cast<TestType>(),
                                         block("authors_x_1").cast<TestType>()};
  const auto de = sg::authors_differential_entropy<TestType>(filtered, 128.0, 3);
  REQUIRE(de.size() == 3);
  Matrix<double> stacked(6, 6);
  for (int s = 0; s < 3; ++s)
    stacked.middleRows(2 * s, 2) = de[std::size_t(s)].template cast<double>();
  CHECK(canon_test::relative_gap(stacked, block("de_authors")) < tolerance<TestType>());
}

TEST_CASE("spectral functions reject bad input naming the argument", "[signal]") {
  const Matrix<double> x = canon_test::random_matrix(2, 256, 3);
  sg::StftOptions o;
  o.fs = 128.0;
  o.nperseg = 512;
  CHECK_THROWS_WITH(sg::stft<double>(x, o),
                    Catch::Contains("nperseg") && Catch::Contains("longer"));
  o.nperseg = 64;
  o.noverlap = 64;
  CHECK_THROWS_WITH(sg::stft<double>(x, o), Catch::Contains("noverlap") && Catch::Contains("hop"));
  o.noverlap = -1;
  CHECK_THROWS_WITH(sg::band_power<double>(x, o, {{40.0, 70.0}}), Catch::Contains("Nyquist"));
  CHECK_THROWS_WITH(sg::band_power<double>(x, o, {{10.0, 5.0}}), Catch::Contains("low < high"));
  CHECK_THROWS_AS(sg::band_power<double>(x, o, {{10.1, 10.2}}), canon::value_error);
  Matrix<double> bad = x;
  bad(1, 7) = std::numeric_limits<double>::quiet_NaN();
  CHECK_THROWS_WITH(sg::stft<double>(bad, o),
                    Catch::Contains("non-finite") && Catch::Contains("row 1"));
  bad(1, 7) = std::numeric_limits<double>::infinity();
  CHECK_THROWS_AS(sg::differential_entropy<double>(bad), canon::value_error);
  CHECK_THROWS_WITH(sg::stft<double>(Matrix<double>(2, 0), o), Catch::Contains("empty channels"));
  CHECK_THROWS_AS(sg::stft<double>(Matrix<double>(0, 10), o), canon::shape_error);
  o.fs = 0.0;
  CHECK_THROWS_WITH(sg::stft<double>(x, o), Catch::Contains("fs"));
  sg::DifferentialEntropyOptions d;
  CHECK_THROWS_WITH(sg::differential_entropy<double>(x, d), Catch::Contains("segment"));
  d.hop_seconds = 0.0;
  const Matrix<double> long_x = canon_test::random_matrix(2, 1024, 4);
  CHECK_THROWS_WITH(sg::differential_entropy<double>(long_x, d), Catch::Contains("hop_seconds"));
  d.hop_seconds = 1.0;
  d.bands = {{31.0, 70.0}};
  CHECK_THROWS_WITH(sg::differential_entropy<double>(long_x, d), Catch::Contains("Nyquist"));
  CHECK_THROWS_AS(sg::authors_differential_entropy<double>({}, 128.0), canon::value_error);
  CHECK_THROWS_AS(sg::authors_differential_entropy<double>({long_x, x}, 128.0), canon::shape_error);
}

TEST_CASE("authors' DE from the raw trial: each band filtered, then the released-code formula") {
  // A 10 Hz tone lies in the 7-15 Hz band only: that band's entropy is far above the
  // others, and filtering by hand then calling the band-filtered form gives the same.
  const double fs = 128;
  canon::Matrix<double> trial(2, 128 * 10);
  for (canon::Index t = 0; t < trial.cols(); ++t) {
    trial(0, t) = std::sin(2 * M_PI * 10.0 * double(t) / fs);
    trial(1, t) = 0.5 * std::sin(2 * M_PI * 10.0 * double(t) / fs + 1.0);
  }
  const auto de = canon::signal::authors_differential_entropy_from_trial(trial, fs);
  REQUIRE(!de.empty());
  const canon::Index windows = 3;
  const double alpha = de[0](0, 2 * windows), theta = de[0](0, 1 * windows);
  CHECK(alpha < theta - 3);  // the feature is -0.5 log(power): the band with the tone is smallest
  std::vector<canon::Matrix<double>> by_hand;
  for (const auto& [lo, hi] : std::vector<std::pair<double, double>>{{2, 4}, {4, 7}, {7, 15}, {15, 23}})
    by_hand.push_back(canon::signal::sosfiltfilt(
        canon::signal::butter(5, {lo, hi}, canon::signal::BandType::bandpass, fs), trial));
  const auto expected = canon::signal::authors_differential_entropy(by_hand, fs);
  REQUIRE(expected.size() == de.size());
  for (std::size_t s = 0; s < de.size(); ++s) CHECK(de[s] == expected[s]);
}
