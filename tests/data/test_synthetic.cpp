// The semi-synthetic generator: determinism, shapes, spectra (periodogram by a naive
// DFT written here, independent of the generator), the response share against the
// requested SNR, the ceilings, the emotion model and the parameter checks.
#include <canon/data/synthetic.hpp>
#include <catch2/catch.hpp>
#include <cmath>

using canon::Index;
namespace cd = canon::data;

namespace {
constexpr double kPi = 3.14159265358979323846;

// Welch PSD: Hann-windowed segments of `seg` samples, no overlap, averaged over the
// segments of every given row; naive DFT, bins k = 0..seg/2 at k fs / seg.
Eigen::VectorXd welch(const Eigen::MatrixXd& x, Index seg) {
  Eigen::VectorXd psd = Eigen::VectorXd::Zero(seg / 2 + 1);
  Eigen::VectorXd w(seg);
  for (Index i = 0; i < seg; ++i) w(i) = 0.5 - 0.5 * std::cos(2 * kPi * double(i) / double(seg));
  Index count = 0;
  for (Index r = 0; r < x.rows(); ++r)
    for (Index s0 = 0; s0 + seg <= x.cols(); s0 += seg) {
      Eigen::VectorXd v = x.row(r).segment(s0, seg).transpose();
      v.array() -= v.mean();
      v.array() *= w.array();
      for (Index k = 0; k <= seg / 2; ++k) {
        double re = 0, im = 0;
        for (Index n = 0; n < seg; ++n) {
          re += v(n) * std::cos(2 * kPi * double(k * n) / double(seg));
          im -= v(n) * std::sin(2 * kPi * double(k * n) / double(seg));
        }
        psd(k) += re * re + im * im;
      }
      ++count;
    }
  return psd / double(count);
}

double corr(const Eigen::VectorXd& a, const Eigen::VectorXd& b) {
  const Eigen::VectorXd x = a.array() - a.mean(), y = b.array() - b.mean();
  return x.dot(y) / std::sqrt(x.squaredNorm() * y.squaredNorm());
}

cd::SyntheticConfig quiet(double seconds) {
  cd::SyntheticConfig c;
  c.duration_s = seconds;
  c.eeg.alpha_uv = 0;
  c.eeg.blink_uv = 0;
  c.eeg.mains_uv = 0;
  c.eeg.snr = 0;
  return c;
}
}  // namespace

TEST_CASE("same seed gives the same session bit for bit and another seed differs", "[data]") {
  cd::SyntheticConfig c;
  c.duration_s = 3;
  const auto a = cd::synthesize(c, 7), b = cd::synthesize(c, 7), d = cd::synthesize(c, 8);
  CHECK(a.audio == b.audio);
  CHECK(a.eeg == b.eeg);
  CHECK(a.arousal == b.arousal);
  CHECK(a.valence == b.valence);
  CHECK(a.lead_field == b.lead_field);
  CHECK(a.eeg != d.eeg);
  CHECK(a.audio != d.audio);
  CHECK(a.lead_field != d.lead_field);
  // The float session is the double one rounded.
  const auto f = cd::synthesize<float>(c, 7);
  CHECK(f.eeg == a.eeg.cast<float>());
}

TEST_CASE("shapes and rates follow the configuration", "[data]") {
  cd::SyntheticConfig c;
  c.duration_s = 4;
  c.emotion.listeners = 3;
  const auto s = cd::synthesize(c, 1);
  CHECK(s.audio.size() == 4 * 22050);
  CHECK(s.audio_rate == 22050);
  CHECK(s.eeg.rows() == 16);
  CHECK(s.eeg.cols() == 1000);
  CHECK(s.eeg_rate == 250);
  CHECK(s.response.rows() == 16);
  CHECK(s.response.cols() == 1000);
  CHECK(s.source.size() == 1000);
  CHECK(s.envelope.size() == 1000);
  CHECK(s.trf.size() == 101);  // 0 .. 400 ms at 4 ms
  CHECK(s.lead_field.size() == 16);
  CHECK(s.lead_field.norm() == Approx(1.0));
  CHECK(s.arousal.rows() == 3);
  CHECK(s.arousal.cols() == 8);  // 2 Hz for 4 s
  CHECK(s.valence_labels.cols() == 8);
  CHECK(s.audio.cwiseAbs().maxCoeff() <= 1.0);
  CHECK(s.arousal.cwiseAbs().maxCoeff() <= 1.0);
  CHECK(s.tempo_bpm >= 70);
  CHECK(s.tempo_bpm <= 150);
  // The response is the lead field times the source.
  CHECK((s.response - s.lead_field * s.source.transpose()).cwiseAbs().maxCoeff() < 1e-12);
  // Labels are the trajectories binarised at 0.
  for (Index j = 0; j < 8; ++j) CHECK(s.arousal_labels(0, j) == (s.arousal(0, j) > 0 ? 1 : 0));
}

TEST_CASE("the background is pink with log-log slope near -1", "[data]") {
  auto c = quiet(20);
  c.eeg.channels = 4;
  const auto s = cd::synthesize(c, 3);
  const Eigen::VectorXd p = welch(s.eeg, 250);  // 1 Hz bins
  // Least-squares slope of log10 P against log10 f over 2..40 Hz.
  double sx = 0, sy = 0, sxx = 0, sxy = 0;
  int n = 0;
  for (Index k = 2; k <= 40; ++k) {
    const double x = std::log10(double(k)), y = std::log10(p(k));
    sx += x, sy += y, sxx += x * x, sxy += x * y, ++n;
  }
  const double slope = (n * sxy - sx * sy) / (n * sxx - sx * sx);
  CHECK(slope == Approx(-1.0).margin(0.15));
  // Every channel has the requested standard deviation.
  for (Index i = 0; i < 4; ++i) {
    const Eigen::VectorXd r = s.eeg.row(i).transpose();
    CHECK(std::sqrt((r.array() - r.mean()).square().mean()) == Approx(10.0).epsilon(1e-9));
  }
}

TEST_CASE("alpha peaks at 10 Hz occipitally and mains shows at 50 Hz", "[data]") {
  cd::SyntheticConfig c;
  c.duration_s = 12;
  const auto s = cd::synthesize(c, 4);
  // Most occipital channel (last row of the grid) vs most frontal.
  const Eigen::VectorXd back = welch(s.eeg.row(15), 250), front = welch(s.eeg.row(0), 250);
  Index peak = 0;
  back.segment(3, 28).maxCoeff(&peak);  // search 3..30 Hz
  CHECK(peak + 3 == 10);
  // The alpha peak stands above the pink background on both sides (measured ~2.5x and
  // ~6.5x with these defaults) and is much weaker frontally.
  CHECK(back(10) > 2 * back(6));
  CHECK(back(10) > 4 * back(14));
  CHECK(back(10) > 3 * front(10));  // occipital weighting
  // Mains: the 50 Hz bin stands above the mean of its neighbours 45..48 and 52..55 Hz
  // (a 2 uV line against a 10 uV pink background: measured ~4x) ...
  auto around = [](const Eigen::VectorXd& p) {
    double sum = 0;
    for (Index k : {45, 46, 47, 48, 52, 53, 54, 55}) sum += p(k);
    return sum / 8;
  };
  CHECK(back(50) > 3 * around(back));
  // ... and without mains the line is gone (same seed: the other components are unchanged).
  c.eeg.mains_uv = 0;
  const auto q = cd::synthesize(c, 4);
  const Eigen::VectorXd back_q = welch(q.eeg.row(15), 250);
  CHECK(back_q(50) < 1.5 * around(back_q));
  CHECK(back_q(45) == Approx(back(45)).epsilon(1e-6));
  // Blinks are frontal: the frontal channel's largest excursion is far above the back one's.
  CHECK(s.eeg.row(0).cwiseAbs().maxCoeff() > 2 * s.eeg.row(15).cwiseAbs().maxCoeff());
}

TEST_CASE("the response share of variance matches the requested SNR", "[data]") {
  for (double snr : {0.05, 0.2, 1.0}) {
    cd::SyntheticConfig c;
    c.duration_s = 10;
    c.eeg.snr = snr;
    const auto s = cd::synthesize(c, 11);
    // By construction |R|^2 = snr |noise|^2 exactly.
    CHECK(s.snr == Approx(snr).epsilon(1e-10));
    // Share of the total variance: snr / (1 + snr) up to the sample cross term.
    CHECK(s.response_share == Approx(snr / (1 + snr)).epsilon(0.15));
    // Independent recomputation from the returned matrices.
    const Eigen::MatrixXd x = s.eeg.colwise() - s.eeg.rowwise().mean();
    CHECK(s.response_share == Approx(s.response.squaredNorm() / x.squaredNorm()).epsilon(1e-12));
  }
}

TEST_CASE("ceilings are consistent with the returned ground truth", "[data]") {
  cd::SyntheticConfig c;
  c.duration_s = 10;
  const auto s = cd::synthesize(c, 5);
  // Lead-field ceiling recomputed: corr(source, a^T x).
  const Eigen::VectorXd proj = s.eeg.transpose() * s.lead_field;
  CHECK(s.ceiling.lead_field == Approx(corr(s.source, proj)).epsilon(1e-10));
  CHECK(s.ceiling.lead_field > 0.0);
  // The spatial optimum beats the matched filter and every random spatial filter.
  CHECK(s.ceiling.spatial >= s.ceiling.lead_field - 1e-12);
  CHECK(s.ceiling.spatial <= 1.0);
  canon::Rng rng(9);
  for (int trial = 0; trial < 20; ++trial) {
    Eigen::VectorXd w(16);
    canon::fill_normal(w, rng);
    const Eigen::VectorXd y = s.eeg.transpose() * w;
    CHECK(std::abs(corr(s.source, y)) <= s.ceiling.spatial + 1e-12);
  }
  // And it is attained by the regression filter computed here by least squares.
  const Eigen::MatrixXd x = (s.eeg.colwise() - s.eeg.rowwise().mean()).transpose();
  const Eigen::VectorXd w = x.colPivHouseholderQr().solve(s.source);
  CHECK(corr(s.source, x * w) == Approx(s.ceiling.spatial).epsilon(1e-8));
  // With no response there is nothing to recover.
  c.eeg.snr = 0;
  const auto z = cd::synthesize(c, 5);
  CHECK(z.ceiling.spatial == 0.0);
  CHECK(z.response.squaredNorm() == 0.0);
}

TEST_CASE("arousal follows loudness and valence follows mode", "[data]") {
  cd::SyntheticConfig c;
  c.duration_s = 30;
  c.eeg.channels = 2;
  c.emotion.listeners = 4;
  const auto s = cd::synthesize(c, 21);
  const double r_clean = corr(s.arousal_clean, s.loudness_db);
  CHECK(r_clean > 0.6);
  for (Index p = 0; p < 4; ++p) {
    const Eigen::VectorXd ap = s.arousal.row(p).transpose();
    const double r = corr(ap, s.loudness_db);
    CHECK(r > 0.3);
    CHECK(corr(ap, s.arousal_clean) > 0.5);
    CHECK((ap - s.arousal_clean).norm() > 0.1);  // the listener's own noise is there
  }
  // Same seed, only the mode differs: valence is higher in major.
  c.music.tonality = cd::Tonality::major;
  const auto maj = cd::synthesize(c, 21);
  c.music.tonality = cd::Tonality::minor;
  const auto min = cd::synthesize(c, 21);
  CHECK(maj.major);
  CHECK_FALSE(min.major);
  CHECK(maj.valence_clean.mean() > min.valence_clean.mean() + 0.3);
  // Faster tempo raises arousal.
  c.music.tempo_bpm = 150;
  const auto fast = cd::synthesize(c, 21);
  c.music.tempo_bpm = 75;
  const auto slow = cd::synthesize(c, 21);
  CHECK(fast.arousal_clean.mean() > slow.arousal_clean.mean());
}

TEST_CASE("real audio replaces the music and drives the response", "[data]") {
  cd::SyntheticConfig c;
  c.audio_rate = 8000;
  // 3 s of a 440 Hz tone whose level switches every 0.5 s.
  Eigen::VectorXd audio(24000);
  for (Index i = 0; i < audio.size(); ++i)
    audio(i) = ((i / 4000) % 2 ? 0.5 : 0.05) * std::sin(2 * kPi * 440.0 * double(i) / 8000.0);
  const auto s = cd::synthesize(c, 2, audio);
  CHECK(s.audio == audio);
  CHECK(s.eeg.cols() == 750);
  CHECK(s.arousal.cols() == 6);
  CHECK(s.brightness_hz(0) == Approx(440.0).epsilon(1e-3));  // RMS frequency of a sinusoid
  CHECK(s.loudness_db(1) - s.loudness_db(0) == Approx(20.0).epsilon(1e-3));
  CHECK(corr(s.envelope, s.envelope) == Approx(1.0));
  CHECK(s.arousal_clean(1) > s.arousal_clean(0));
  CHECK_THROWS_AS(cd::synthesize(c, 2, Eigen::VectorXd(Eigen::VectorXd::Ones(100))),
                  canon::value_error);
}

TEST_CASE("bad parameters throw value_error naming them", "[data]") {
  auto bad = [](auto&& edit) {
    cd::SyntheticConfig c;
    c.duration_s = 2;
    edit(c);
    return c;
  };
  CHECK_THROWS_WITH(cd::synthesize(bad([](auto& c) { c.eeg.rate = -250; }), 1),
                    Catch::Contains("eeg.rate"));
  CHECK_THROWS_AS(cd::synthesize(bad([](auto& c) { c.audio_rate = -1; }), 1), canon::value_error);
  CHECK_THROWS_WITH(cd::synthesize(bad([](auto& c) { c.eeg.channels = 0; }), 1),
                    Catch::Contains("eeg.channels"));
  CHECK_THROWS_WITH(cd::synthesize(bad([](auto& c) { c.duration_s = 0.5; }), 1),
                    Catch::Contains("duration_s"));
  CHECK_THROWS_AS(cd::synthesize(bad([](auto& c) { c.eeg.snr = -1; }), 1), canon::value_error);
  CHECK_THROWS_AS(cd::synthesize(bad([](auto& c) { c.eeg.rate = 80; }), 1), canon::value_error);
  CHECK_THROWS_AS(cd::synthesize(bad([](auto& c) { c.emotion.listeners = 0; }), 1),
                  canon::value_error);
  CHECK_THROWS_AS(cd::synthesize(bad([](auto& c) { c.music.harmonics = 0; }), 1),
                  canon::value_error);
  CHECK_THROWS_WITH(cd::synthesize(bad([](auto& c) {
                      c.eeg.background_uv = 0, c.eeg.alpha_uv = 0, c.eeg.blink_uv = 0,
                      c.eeg.mains_uv = 0;
                    }), 1),
                    Catch::Contains("noise"));
}

TEST_CASE("the brightness response: off by default, beta at temporal sites, tuned to brightness", "[data]") {
  cd::SyntheticConfig c;
  c.duration_s = 20;
  const auto off = cd::synthesize(c, 21);
  CHECK(off.brightness_response.squaredNorm() == 0.0);
  CHECK(off.brightness_ceiling.spatial == 0.0);
  c.eeg.brightness_snr = 0.5;
  const auto on = cd::synthesize(c, 21);
  // Its own random stream: every other part of the session is unchanged.
  CHECK((on.eeg - on.brightness_response - off.eeg).cwiseAbs().maxCoeff() < 1e-9);
  CHECK(on.source == off.source);
  // Its power is the requested share of the noise power, as for the main response.
  const Eigen::MatrixXd noise = off.eeg - off.response;
  const Eigen::MatrixXd noise_c = noise.colwise() - noise.rowwise().mean();
  CHECK(on.brightness_response.squaredNorm() == Approx(0.5 * noise_c.squaredNorm()).epsilon(1e-10));
  // Lead field: unit norm, larger at the lateral columns than at the central ones.
  const Eigen::VectorXd& g = on.brightness_lead_field;
  CHECK(g.norm() == Approx(1.0));
  double lateral = 0, central = 0;
  for (Index i = 0; i < 16; ++i) (std::abs(on.positions(0, i)) > 0.5 ? lateral : central) += g(i) * g(i);
  CHECK(lateral > 3 * central);
  // Its spectrum sits at the 20 Hz carrier.
  const Eigen::VectorXd psd = welch(on.brightness_response, 250);  // 1 Hz bins
  Index peak = 0;
  psd.maxCoeff(&peak);
  CHECK(std::abs(double(peak) - 20.0) <= 3.0);
  // The drive is a tuning curve of the RMS frequency: windows whose brightness lies near
  // the preferred 700 Hz drive it more than windows 0.6 octave or more away (computed here from
  // the audio, independently of the generator's running sums).
  const double fs = on.audio_rate;
  double near = 0, far = 0;
  Index n_near = 0, n_far = 0;
  for (Index n = 25; n + 25 < on.eeg.cols(); n += 25) {  // 0.1 s windows every 0.1 s
    const auto centre = Index(double(n) / 250.0 * fs), half = Index(0.05 * fs);
    double ss = 0, sd = 0;
    for (Index i = centre - half + 1; i < centre + half; ++i) {
      ss += on.audio(i) * on.audio(i);
      sd += (on.audio(i) - on.audio(i - 1)) * (on.audio(i) - on.audio(i - 1));
    }
    if (ss < 1e-6) continue;
    const double f = fs / kPi * std::asin(std::min(1.0, 0.5 * std::sqrt(sd / ss)));
    const double octaves = std::abs(std::log2(f / 700.0));
    if (octaves < 0.15) near += on.brightness_drive(n), ++n_near;
    if (octaves > 0.6) far += on.brightness_drive(n), ++n_far;
  }
  REQUIRE(n_near > 5);
  REQUIRE(n_far > 5);
  CHECK(near / double(n_near) > 2 * far / double(n_far));
  CHECK(on.brightness_drive.minCoeff() >= 0.0);
  CHECK(on.brightness_drive.maxCoeff() <= 1.0);
  // Ceilings recomputed from the returned ground truth.
  const Eigen::VectorXd proj = on.eeg.transpose() * g;
  CHECK(on.brightness_ceiling.lead_field == Approx(corr(on.brightness_source, proj)).epsilon(1e-10));
  CHECK(on.brightness_ceiling.spatial >= on.brightness_ceiling.lead_field - 1e-12);
  CHECK(on.brightness_ceiling.spatial <= 1.0);
  // Bad settings name their field.
  c.eeg.brightness_carrier_hz = 200;
  CHECK_THROWS_WITH(cd::synthesize(c, 21), Catch::Contains("eeg.brightness_carrier_hz"));
  c.eeg.brightness_carrier_hz = 20;
  c.eeg.brightness_snr = -1;
  CHECK_THROWS_WITH(cd::synthesize(c, 21), Catch::Contains("eeg.brightness_snr"));
  c.eeg.brightness_snr = 0.5;
  c.eeg.brightness_width_octaves = 0;
  CHECK_THROWS_WITH(cd::synthesize(c, 21), Catch::Contains("eeg.brightness_width_octaves"));
}

namespace {
// Beta-band (15-25 Hz) power of one signal in consecutive 1 s windows, from a direct DFT
// of each window (independent of the generator and of canon's spectral code).
Eigen::VectorXd window_beta_power(const Eigen::VectorXd& x, double fs) {
  const auto w = Index(fs);
  Eigen::VectorXd out(x.size() / w);
  for (Index k = 0; k < out.size(); ++k) {
    double p = 0;
    for (int f = 15; f <= 25; ++f) {  // 1 Hz bins of a 1 s window
      double re = 0, im = 0;
      for (Index i = 0; i < w; ++i) {
        re += x(k * w + i) * std::cos(2 * kPi * f * double(i) / fs);
        im -= x(k * w + i) * std::sin(2 * kPi * f * double(i) / fs);
      }
      p += re * re + im * im;
    }
    out(k) = p;
  }
  return out;
}
}  // namespace

TEST_CASE("the brightness response coded as synchrony: no channel's power follows the drive, the sum of the two sites' does", "[data]") {
  cd::SyntheticConfig c;
  c.duration_s = 120;
  c.eeg.brightness_snr = 0.5;
  const auto amplitude = cd::synthesize(c, 21);
  c.eeg.brightness_coding = cd::BrightnessCoding::synchrony;
  const auto sync = cd::synthesize(c, 21);
  // The same drive, the rest of the session unchanged, the requested power.
  CHECK(sync.brightness_drive == amplitude.brightness_drive);
  CHECK((sync.eeg - sync.brightness_response - (amplitude.eeg - amplitude.brightness_response))
            .cwiseAbs().maxCoeff() < 1e-9);
  const Eigen::MatrixXd noise = sync.eeg - sync.response - sync.brightness_response;
  const Eigen::MatrixXd noise_c = noise.colwise() - noise.rowwise().mean();
  CHECK(sync.brightness_response.squaredNorm() == Approx(0.5 * noise_c.squaredNorm()).epsilon(1e-10));
  // The detector's spatial filter is the (unit) sum of the two sites, and the source is
  // the response seen through it.
  CHECK(sync.brightness_lead_field.norm() == Approx(1.0));
  CHECK((sync.brightness_source - sync.brightness_response.transpose() * sync.brightness_lead_field)
            .cwiseAbs().maxCoeff() < 1e-9);
  // Per 1 s window: the drive's mean, and beta power of the clean response per channel and
  // through the sum filter.
  const double fs = sync.eeg_rate;
  const auto windows = Index(c.duration_s);
  Eigen::VectorXd drive(windows);
  for (Index k = 0; k < windows; ++k) drive(k) = sync.brightness_drive.segment(k * Index(fs), Index(fs)).mean();
  const auto log_corr = [&](const Eigen::VectorXd& x) {
    return corr(window_beta_power(x, fs).array().log().matrix(), drive);
  };
  const double through_sum = log_corr(sync.brightness_source);
  double largest_channel = 0;
  for (Index i = 0; i < sync.eeg.rows(); ++i)
    largest_channel = std::max(largest_channel, std::abs(log_corr(sync.brightness_response.row(i).transpose())));
  // In the amplitude coding every temporal channel follows the drive.
  const double amplitude_channel = log_corr(amplitude.brightness_response.row(0).transpose());
  INFO("log beta power vs drive: sum filter " << through_sum << ", largest channel " << largest_channel
                                              << ", amplitude coding channel 0 " << amplitude_channel);
  CHECK(through_sum > 0.6);
  CHECK(largest_channel < 0.3);
  CHECK(amplitude_channel > 0.6);
}
