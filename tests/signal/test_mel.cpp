// Mel scale, Slaney filterbank, mel spectrogram and the 128-d frame feature: against the
// formulas (numpy re-implementation in the fixture script), pure tones and hand sums.
#include <canon/signal/mel.hpp>
#include <cmath>

#include "spectral_support.hpp"

using canon::Index;
using canon::Matrix;
namespace sg = canon::signal;

using spectral_test::block;
using spectral_test::pi;
using spectral_test::tolerance;

TEST_CASE("Slaney mel scale is linear below 1 kHz and logarithmic above", "[signal]") {
  CHECK(sg::hz_to_mel(0.0) == 0.0);
  CHECK(sg::hz_to_mel(200.0) == Approx(3.0).epsilon(1e-14));
  CHECK(sg::hz_to_mel(1000.0) == Approx(15.0).epsilon(1e-14));
  CHECK(sg::hz_to_mel(6400.0) == Approx(42.0).epsilon(1e-14));  // 15 + 27 ln(6.4)/ln(6.4)
  for (const double f : {10.0, 440.0, 999.0, 1000.0, 4186.0, 11025.0})
    CHECK(sg::mel_to_hz(sg::hz_to_mel(f)) == Approx(f).epsilon(1e-13));
}

TEMPLATE_TEST_CASE("mel filterbank matches librosa's formulas", "[signal]", float, double) {
  const Matrix<double> a = sg::mel_filterbank<TestType>(8000.0, 256, 20).template cast<double>();
  CHECK(canon_test::relative_gap(a, block("mel_fb_8000_256_20")) < tolerance<TestType>());
  const Matrix<double> b =
      sg::mel_filterbank<TestType>(8000.0, 256, 12, 125.0, 3500.0).template cast<double>();
  CHECK(canon_test::relative_gap(b, block("mel_fb_8000_256_12_125_3500")) < tolerance<TestType>());
  // Slaney normalisation: every triangle has unit area in Hz (Riemann sum on a fine grid).
  const Matrix<double> fine = sg::mel_filterbank<double>(8000.0, 1 << 16, 20);
  const double df = 8000.0 / double(1 << 16);
  for (Index i = 0; i < fine.rows(); ++i)
    CHECK(fine.row(i).sum() * df == Approx(1.0).epsilon(1e-3));
  CHECK_THROWS_WITH(sg::mel_filterbank<double>(8000.0, 256, 20, 0.0, 5000.0),
                    Catch::Contains("Nyquist"));
  CHECK_THROWS_WITH(sg::mel_filterbank<double>(8000.0, 256, 0), Catch::Contains("n_mels"));
}

TEMPLATE_TEST_CASE("mel spectrogram matches a centred numpy mel spectrogram", "[signal]", float,
                   double) {
  sg::MelOptions o;
  o.sr = 8000.0;
  o.n_fft = 256;
  o.hop = 64;
  o.n_mels = 20;
  const auto mel = sg::mel_spectrogram<TestType>(block("mel_x").cast<TestType>(), o);
  CHECK(canon_test::relative_gap(mel[0].template cast<double>(), block("mel_spec_8000_256_64_20")) <
        tolerance<TestType>());
}

TEST_CASE("pure tones land in the mel band whose centre is nearest", "[signal]") {
  sg::MelOptions o;  // librosa defaults: 22050 Hz, n_fft 2048, hop 512, 128 bands
  const Index bands = o.n_mels;
  std::vector<double> centre(static_cast<std::size_t>(bands));
  const double top = sg::hz_to_mel(o.sr / 2);
  for (Index i = 0; i < bands; ++i)
    centre[std::size_t(i)] = sg::mel_to_hz(top * double(i + 1) / double(bands + 1));
  for (const double tone : {110.0, 440.0, 1000.0, 3520.0, 8000.0}) {
    Matrix<double> x(1, 22050);
    for (Index n = 0; n < x.cols(); ++n) x(0, n) = std::sin(2 * pi * tone * double(n) / o.sr);
    const auto mel = sg::mel_spectrogram<double>(x, o);
    Index best = 0;
    mel[0].col(20).maxCoeff(&best);
    Index nearest = 0;
    for (Index i = 1; i < bands; ++i)
      if (std::abs(std::log(centre[std::size_t(i)] / tone)) <
          std::abs(std::log(centre[std::size_t(nearest)] / tone)))
        nearest = i;
    INFO("tone " << tone << " Hz: strongest band " << best << " (centre "
                 << centre[std::size_t(best)] << " Hz), nearest centre band " << nearest);
    CHECK(std::abs(best - nearest) <= 1);
  }
}

TEST_CASE("frame features are mean and std of 96 VGGish log-mel frames", "[signal]") {
  // 2.5 s of 16 kHz noise plus a 1 kHz tone -> 2 examples of 0.96 s.
  canon::Rng rng(3);
  Matrix<double> x(1, 40000);
  for (Index n = 0; n < x.cols(); ++n)
    x(0, n) = 0.1 * rng.normal() + std::sin(2 * pi * 1000.0 * double(n) / 16000.0);
  const Matrix<double> f = sg::frame_features<double>(x);
  REQUIRE(f.rows() == 128);
  REQUIRE(f.cols() == 2);
  const Matrix<double> lm =
      sg::log_mel<double>(sg::mel_spectrogram<double>(x, sg::vggish_mel_options())[0]);
  REQUIRE(lm.rows() == 64);
  REQUIRE(lm.cols() == 1 + (40000 - 400) / 160);
  for (Index band : {Index(0), Index(30), Index(63)}) {
    double sum = 0, sq = 0;
    for (Index m = 96; m < 192; ++m) sum += lm(band, m);
    const double mean = sum / 96;
    for (Index m = 96; m < 192; ++m) sq += (lm(band, m) - mean) * (lm(band, m) - mean);
    CHECK(f(band, 1) == Approx(mean).epsilon(1e-12));
    CHECK(f(64 + band, 1) == Approx(std::sqrt(sq / 96)).epsilon(1e-10));
  }
  Index loudest = 0;
  f.col(0).head(64).maxCoeff(&loudest);
  const double centre =
      sg::mel_to_hz(sg::hz_to_mel(125.0) +
                    (sg::hz_to_mel(7500.0) - sg::hz_to_mel(125.0)) * double(loudest + 1) / 65.0);
  CHECK(std::abs(std::log(centre / 1000.0)) < 0.1);
  const Matrix<float> ff = sg::frame_features<float>(x.cast<float>());
  CHECK(canon_test::relative_gap(ff.cast<double>(), f) < 1e-4);
  CHECK_THROWS_WITH(sg::frame_features<double>(Matrix<double>(2, 40000)), Catch::Contains("mono"));
  CHECK_THROWS_WITH(sg::frame_features<double>(Matrix<double>::Zero(1, 1000)),
                    Catch::Contains("0.96 s"));
}
