// canon/data/synthetic.hpp — the embedded default data: a seeded semi-synthetic
// generator of paired music, EEG and emotion, so demos and tests run on a bare machine.
//
//   audio   notes (harmonic tones, attack + exponential decay) on a beat grid at a tempo,
//           in a major or minor scale, with slowly varying loudness and brightness
//           (harmonic roll-off); or a real audio vector supplied by the caller;
//   EEG     x_c(t) = pink_c(t) + alpha_c(t) + blink_c(t) + mains_c(t) + a_c s(t) + g_c b(t),
//           s = TRF * (audio envelope), a the lead field (docs/synthetic-data.md);
//           b = R(t) beta(t), beta activity whose amplitude is tuned to the audio's
//           brightness, g bilateral temporal (off unless eeg.brightness_snr > 0);
//   emotion arousal/valence at 2 Hz from loudness, tempo, brightness and mode, with
//           per-listener bias and AR(1) noise, in [-1, 1]; labels binarised at 0.
//
// Everything random comes from one seed (bit-for-bit reproducible: canon::Rng fixes its
// distributions). Its numbers describe this generative model only — never real data.
#pragma once

#include <Eigen/Dense>
#include <cmath>
#include <cstdint>
#include <optional>
#include <vector>

#include "canon/core/checks.hpp"
#include "canon/core/constants.hpp"
#include "canon/core/error.hpp"
#include "canon/core/rng.hpp"
#include "canon/core/types.hpp"
#include "canon/data/detail/synthetic_signals.hpp"

namespace canon::data {

/// Mode of the generated music: drawn from the seed, or fixed.
enum class Tonality { random, major, minor };

struct MusicConfig {
  double tempo_bpm = 0.0;        ///< beats per minute; 0 draws it uniformly from [min, max]
  double tempo_min_bpm = 70.0;   ///< lower bound of the drawn tempo
  double tempo_max_bpm = 150.0;  ///< upper bound of the drawn tempo
  Tonality tonality = Tonality::random;  ///< major or minor scale (random: fair coin)
  double root_hz = 220.0;                ///< lowest scale degree (A3)
  Index harmonics = 8;                   ///< partials per note (those below 0.45 fs kept)
  double subdivision_probability = 0.3;  ///< chance that a beat holds two eighth notes
  double loudness_mean_db = -18.0;       ///< note peak level, dB re full scale
  double loudness_depth_db = 8.0;        ///< +- swing of the slow loudness modulation
  double rolloff_mean = 1.5;             ///< partial k has amplitude ~ k^-rolloff
  double rolloff_depth = 0.7;            ///< +- swing of the roll-off (timbre change)
  double modulation_min_hz = 0.03;       ///< slow modulations: two sinusoids each,
  double modulation_max_hz = 0.15;       ///<   rates drawn from [min, max] Hz
};

/// How the brightness response appears in the EEG (EegConfig::brightness_coding).
enum class BrightnessCoding {
  amplitude,  ///< b(t) = R(t) beta(t) at both temporal sites: band power follows R
  synchrony   ///< left beta_1, right rho beta_1 + sqrt(1 - rho^2) beta_2, rho = 2R - 1
};

struct EegConfig {
  double rate = 250.0;               ///< samples per second
  Index channels = 16;               ///< electrodes on a schematic grid, front to back
  double background_uv = 10.0;       ///< pink background, standard deviation per channel
  double pink_lowest_hz = 0.1;       ///< lowest corner of the pink filter bank
  double alpha_uv = 6.0;             ///< alpha standard deviation at the occipital peak
  double alpha_hz = 10.0;            ///< alpha centre frequency
  double alpha_bandwidth_hz = 1.5;   ///< alpha resonator bandwidth
  double snr = 0.1;                  ///< response power / power of everything else
  double trf_length_s = 0.4;         ///< TRF support 0..length
  double envelope_window_s = 0.025;  ///< RMS window of the audio envelope
  double lead_field_jitter = 0.2;    ///< random part of the lead field (vs the smooth one)
  double blink_rate_hz = 0.2;        ///< mean blinks per second (Poisson)
  double blink_uv = 80.0;            ///< blink peak at the most frontal channel
  double blink_width_s = 0.08;       ///< Gaussian sigma of a blink
  double mains_uv = 2.0;             ///< mains amplitude (per channel 0.5..1.5 times this)
  double mains_hz = 50.0;            ///< mains frequency
  // A second stimulus-driven component (off at 0): beta-band activity at both temporal
  // sites whose amplitude follows a tuning curve of the audio's brightness,
  //   b(t) = R(t) * beta(t),  R = smooth(G(log2(B(t) / centre) / width) * gate(level)),
  // docs/synthetic-data.md, "Brightness response". Nonlinear on both sides: a power
  // change in the EEG, a non-monotone function of the spectrum in the audio.
  // How the EEG carries R: as the amplitude of one bilateral beta source (a power change
  // per channel), or as the phase synchrony of a left and a right temporal beta source of
  // constant power (docs/synthetic-data.md): every channel's band power then stays the
  // same, and only a spatial filter that adds the two sites before taking power sees R.
  BrightnessCoding brightness_coding = BrightnessCoding::amplitude;
  double brightness_snr = 0.0;              ///< its power / noise power, like snr
  double brightness_carrier_hz = 20.0;      ///< centre of the beta carrier
  double brightness_bandwidth_hz = 4.0;     ///< carrier bandwidth
  double brightness_centre_hz = 700.0;      ///< preferred RMS frequency of the tuning curve
  double brightness_width_octaves = 0.35;   ///< Gaussian tuning width, sd in octaves
  double brightness_window_s = 0.1;         ///< window of the RMS level and frequency
  double brightness_smoothing_s = 0.1;      ///< one-pole time constant of R (induced, sluggish)
};

struct EmotionConfig {
  double rate = 2.0;                  ///< trajectory samples per second
  Index listeners = 1;                ///< independent annotators
  double arousal_loudness = 0.6;      ///< weights of the standardised features
  double arousal_tempo = 0.4;
  double arousal_brightness = 0.3;
  double valence_mode = 0.5;
  double valence_tempo = 0.2;
  double valence_brightness = 0.2;
  double loudness_reference_db = -34.0;  ///< l = (L - reference) / scale
  double loudness_scale_db = 6.0;
  double tempo_reference_bpm = 110.0;    ///< t = (T - reference) / scale
  double tempo_scale_bpm = 30.0;
  double brightness_reference_hz = 650.0;  ///< b = log2(B / reference)
  double lag_s = 1.0;                    ///< one-pole smoothing of the drive (annotation lag)
  double listener_bias = 0.1;            ///< sd of a constant offset per listener
  double listener_noise = 0.15;          ///< sd of the AR(1) noise per listener
  double listener_noise_correlation = 0.8;  ///< AR(1) coefficient between frames
};

struct SyntheticConfig {
  double duration_s = 30.0;   ///< ignored when real audio is given (its length is used)
  double audio_rate = 22050.0;
  MusicConfig music;
  EegConfig eeg;
  EmotionConfig emotion;
};

/// The best correlations achievable between the stimulus-driven source s(t) and the EEG.
struct Ceiling {
  /// corr(s, a^T x): the EEG projected on the (unit) lead field, the matched filter.
  double lead_field = 0.0;
  /// max_w corr(s, w^T x) = sqrt(c^T Sigma^-1 c / var s), c = cov(x, s), Sigma = cov(x):
  /// the best instantaneous linear spatial filter (in-sample multiple correlation).
  double spatial = 0.0;
};

template <class Scalar>
struct SyntheticSession {
  Vector<Scalar> audio;        ///< mono samples in [-1, 1]
  double audio_rate = 0.0;
  Matrix<Scalar> eeg;          ///< channels x samples, microvolts
  double eeg_rate = 0.0;
  Matrix<Scalar> response;     ///< the clean stimulus-locked part a s^T of eeg
  Vector<Scalar> source;       ///< s(t): zero mean, scaled so response = a s^T
  Vector<Scalar> envelope;     ///< audio RMS envelope at the EEG rate
  Vector<Scalar> trf;          ///< h(tau) at the EEG rate, unit norm
  Vector<Scalar> lead_field;   ///< a, unit norm
  Matrix<Scalar> positions;    ///< 2 x channels: x (left -1 .. right 1), y (front 1 .. back -1)
  double response_share = 0.0;          ///< |R|^2 / |x - mean|^2 over all channels
  Vector<Scalar> channel_share;         ///< the same per channel
  double snr = 0.0;                     ///< |R|^2 / |x - R - mean|^2 (= requested)
  Ceiling ceiling;
  /// The brightness response (all zero when eeg.brightness_snr = 0): its C x N part of
  /// eeg, the source R(t) beta(t), the drive R(t) in [0, 1] from the audio alone, its
  /// lead field (unit norm, bilateral temporal) and its sample-level ceilings.
  Matrix<Scalar> brightness_response;
  Vector<Scalar> brightness_source;
  Vector<Scalar> brightness_drive;
  Vector<Scalar> brightness_lead_field;
  Ceiling brightness_ceiling;
  double tempo_bpm = 0.0;
  bool major = true;
  double emotion_rate = 0.0;
  Vector<Scalar> loudness_db;      ///< per emotion frame
  Vector<Scalar> brightness_hz;    ///< per emotion frame
  Vector<Scalar> arousal_clean;    ///< noise-free trajectories
  Vector<Scalar> valence_clean;
  Matrix<Scalar> arousal;          ///< listeners x frames, in [-1, 1]
  Matrix<Scalar> valence;
  Eigen::MatrixXi arousal_labels;  ///< 1 where arousal > 0
  Eigen::MatrixXi valence_labels;
};

namespace detail {

inline void require(bool ok, const char* name, const char* expected, double got) {
  if (!ok)
    throw value_error(canon::detail::message("synthesize: ", name, " must be ", expected,
                                             ", got ", got));
}

inline void validate(const SyntheticConfig& c, bool real_audio) {
  const auto& m = c.music;
  const auto& e = c.eeg;
  const auto& a = c.emotion;
  require(c.audio_rate >= 1000.0, "audio_rate", ">= 1000 Hz", c.audio_rate);
  require(e.rate > 0.0, "eeg.rate", "positive", e.rate);
  require(c.audio_rate >= e.rate, "audio_rate", ">= eeg.rate", c.audio_rate);
  require(e.channels >= 1, "eeg.channels", ">= 1", double(e.channels));
  require(a.rate > 0.0 && a.rate <= e.rate, "emotion.rate", "positive and <= eeg.rate", a.rate);
  require(a.listeners >= 1, "emotion.listeners", ">= 1", double(a.listeners));
  const double shortest = std::max({1.0, 2.0 * e.trf_length_s, 2.0 / a.rate});
  if (!real_audio)
    require(c.duration_s >= shortest, "duration_s",
            ">= max(1 s, 2 TRF lengths, 2 emotion frames)", c.duration_s);
  require(m.tempo_bpm >= 0.0, "music.tempo_bpm", ">= 0 (0 draws it)", m.tempo_bpm);
  require(m.tempo_min_bpm > 0.0 && m.tempo_max_bpm >= m.tempo_min_bpm, "music.tempo_min_bpm",
          "positive and <= tempo_max_bpm", m.tempo_min_bpm);
  require(m.root_hz > 0.0 && m.root_hz * 4.0 < 0.45 * c.audio_rate, "music.root_hz",
          "positive with two octaves below 0.45 audio_rate", m.root_hz);
  require(m.harmonics >= 1, "music.harmonics", ">= 1", double(m.harmonics));
  require(m.subdivision_probability >= 0.0 && m.subdivision_probability <= 1.0,
          "music.subdivision_probability", "in [0, 1]", m.subdivision_probability);
  require(m.modulation_min_hz > 0.0 && m.modulation_max_hz >= m.modulation_min_hz,
          "music.modulation_min_hz", "positive and <= modulation_max_hz", m.modulation_min_hz);
  require(e.background_uv >= 0.0, "eeg.background_uv", ">= 0", e.background_uv);
  require(e.pink_lowest_hz > 0.0 && e.pink_lowest_hz < e.rate / 2.0, "eeg.pink_lowest_hz",
          "in (0, eeg.rate / 2)", e.pink_lowest_hz);
  require(e.alpha_uv >= 0.0, "eeg.alpha_uv", ">= 0", e.alpha_uv);
  require(e.alpha_hz > 0.0 && e.alpha_hz < e.rate / 2.0, "eeg.alpha_hz", "in (0, eeg.rate / 2)",
          e.alpha_hz);
  require(e.alpha_bandwidth_hz > 0.0, "eeg.alpha_bandwidth_hz", "positive", e.alpha_bandwidth_hz);
  require(e.snr >= 0.0, "eeg.snr", ">= 0", e.snr);
  require(e.trf_length_s > 0.0, "eeg.trf_length_s", "positive", e.trf_length_s);
  require(e.envelope_window_s > 0.0, "eeg.envelope_window_s", "positive", e.envelope_window_s);
  require(e.lead_field_jitter >= 0.0, "eeg.lead_field_jitter", ">= 0", e.lead_field_jitter);
  require(e.blink_rate_hz >= 0.0, "eeg.blink_rate_hz", ">= 0", e.blink_rate_hz);
  require(e.blink_uv >= 0.0, "eeg.blink_uv", ">= 0", e.blink_uv);
  require(e.blink_width_s > 0.0, "eeg.blink_width_s", "positive", e.blink_width_s);
  require(e.mains_uv >= 0.0, "eeg.mains_uv", ">= 0", e.mains_uv);
  require(e.mains_uv == 0.0 || (e.mains_hz > 0.0 && e.mains_hz < e.rate / 2.0), "eeg.mains_hz",
          "in (0, eeg.rate / 2) when mains_uv > 0", e.mains_hz);
  require(e.brightness_snr >= 0.0, "eeg.brightness_snr", ">= 0", e.brightness_snr);
  if (e.brightness_snr > 0.0) {
    require(e.brightness_carrier_hz > 0.0 && e.brightness_carrier_hz < e.rate / 2.0,
            "eeg.brightness_carrier_hz", "in (0, eeg.rate / 2)", e.brightness_carrier_hz);
    require(e.brightness_bandwidth_hz > 0.0, "eeg.brightness_bandwidth_hz", "positive",
            e.brightness_bandwidth_hz);
    require(e.brightness_centre_hz > 0.0, "eeg.brightness_centre_hz", "positive", e.brightness_centre_hz);
    require(e.brightness_width_octaves > 0.0, "eeg.brightness_width_octaves", "positive",
            e.brightness_width_octaves);
    require(e.brightness_window_s > 0.0, "eeg.brightness_window_s", "positive", e.brightness_window_s);
    require(e.brightness_smoothing_s >= 0.0, "eeg.brightness_smoothing_s", ">= 0", e.brightness_smoothing_s);
  }
  require(a.loudness_scale_db > 0.0, "emotion.loudness_scale_db", "positive", a.loudness_scale_db);
  require(a.tempo_scale_bpm > 0.0, "emotion.tempo_scale_bpm", "positive", a.tempo_scale_bpm);
  require(a.brightness_reference_hz > 0.0, "emotion.brightness_reference_hz", "positive",
          a.brightness_reference_hz);
  require(a.lag_s >= 0.0, "emotion.lag_s", ">= 0", a.lag_s);
  require(a.listener_bias >= 0.0 && a.listener_noise >= 0.0, "emotion.listener_noise",
          ">= 0 (and listener_bias >= 0)", a.listener_noise);
  require(std::abs(a.listener_noise_correlation) < 1.0, "emotion.listener_noise_correlation",
          "in (-1, 1)", a.listener_noise_correlation);
}

/// Slow modulation in [-1, 1]: the mean of two sinusoids with random rates and phases.
struct Modulation {
  double f[2], phase[2];
  Modulation(Rng& rng, double lo, double hi) {
    for (int k = 0; k < 2; ++k) {
      f[k] = rng.uniform(lo, hi);
      phase[k] = rng.uniform(0.0, 2.0 * pi);
    }
  }
  double operator()(double t) const {
    return 0.5 * (std::sin(2.0 * pi * f[0] * t + phase[0]) + std::sin(2.0 * pi * f[1] * t + phase[1]));
  }
};

/// Notes on the beat grid; returns the audio. See docs/synthetic-data.md, "Music".
inline Eigen::VectorXd make_music(const SyntheticConfig& c, double tempo, bool major, Rng& rng) {
  const auto& m = c.music;
  const double fs = c.audio_rate;
  const auto n = static_cast<Index>(std::llround(c.duration_s * fs));
  const Modulation loud(rng, m.modulation_min_hz, m.modulation_max_hz);
  const Modulation bright(rng, m.modulation_min_hz, m.modulation_max_hz);
  static const int major_steps[7] = {0, 2, 4, 5, 7, 9, 11};
  static const int minor_steps[7] = {0, 2, 3, 5, 7, 8, 10};
  const int* steps = major ? major_steps : minor_steps;
  Eigen::VectorXd audio = Eigen::VectorXd::Zero(n);
  const double beat = 60.0 / tempo;
  int degree = 7;  // start an octave above the root, walk within two octaves
  double t0 = 0.0;
  while (t0 * fs < double(n)) {
    const int parts = rng.uniform() < m.subdivision_probability ? 2 : 1;
    for (int part = 0; part < parts; ++part) {
      const double start = t0 + beat * part / parts, length = beat / parts;
      degree = std::clamp(degree + int(rng.below(5)) - 2, 0, 14);
      const double semitones = 12.0 * (degree / 7) + steps[degree % 7];
      const double f0 = m.root_hz * std::pow(2.0, semitones / 12.0);
      const double amp = std::pow(10.0, (m.loudness_mean_db + m.loudness_depth_db * loud(start)) / 20.0);
      const double rolloff = m.rolloff_mean + m.rolloff_depth * bright(start);
      std::vector<double> partial;
      for (Index k = 1; k <= m.harmonics && double(k) * f0 < 0.45 * fs; ++k)
        partial.push_back(std::pow(double(k), -rolloff));
      double total = 0.0;
      for (double p : partial) total += p;
      const auto i0 = static_cast<Index>(std::ceil(start * fs));
      const auto i1 = std::min<Index>(static_cast<Index>(std::ceil((start + length) * fs)), n);
      const double attack = 0.01, release = 0.005, tau = 0.35 * length;
      for (Index i = i0; i < i1; ++i) {
        const double t = double(i) / fs - start;
        double env = std::exp(-t / tau) * std::min(1.0, t / attack);
        env *= std::min(1.0, (length - t) / release);
        double v = 0.0;
        for (std::size_t k = 0; k < partial.size(); ++k)
          v += partial[k] * std::sin(2.0 * pi * f0 * double(k + 1) * t);
        audio(i) += amp * env * v / total;
      }
    }
    t0 += beat;
  }
  return audio;
}

}  // namespace detail

/// Generates one paired session. With `real_audio` (mono, at config.audio_rate) that
/// audio replaces the synthetic music, its length sets the duration, and the tempo and
/// mode entering the emotion model come from config.music (drawn when unset).
template <class Scalar = double>
SyntheticSession<Scalar> synthesize(const SyntheticConfig& config, std::uint64_t seed,
                                    const std::optional<Eigen::VectorXd>& real_audio = {}) {
  CANON_REQUIRE_SCALAR(Scalar);
  detail::validate(config, real_audio.has_value());
  SyntheticConfig c = config;
  if (real_audio) {
    const double seconds = double(real_audio->size()) / c.audio_rate;
    const double shortest = std::max({1.0, 2.0 * c.eeg.trf_length_s, 2.0 / c.emotion.rate});
    if (!(seconds >= shortest))
      throw value_error(canon::detail::message("synthesize: the real audio lasts ", seconds,
                                               " s; expected at least ", shortest, " s"));
    canon::detail::require_finite(*real_audio, "synthesize", "the real audio");
    c.duration_s = seconds;
  }
  const auto& e = c.eeg;
  const auto& a = c.emotion;

  // Independent streams, split in a fixed order, so that changing one component's
  // amplitude (even to zero) leaves every other component's samples unchanged.
  Rng master(seed);
  Rng r_music = master.split(), r_lead = master.split(), r_pink = master.split(),
      r_alpha = master.split(), r_blink = master.split(), r_mains = master.split(),
      r_listen = master.split(), r_choice = master.split(), r_brightness = master.split();

  const double tempo = c.music.tempo_bpm > 0.0
                           ? c.music.tempo_bpm
                           : r_choice.uniform(c.music.tempo_min_bpm, c.music.tempo_max_bpm);
  const bool major_mode = c.music.tonality == Tonality::random ? r_choice.uniform() < 0.5
                                                               : c.music.tonality == Tonality::major;
  const Eigen::VectorXd audio =
      real_audio ? *real_audio : detail::make_music(c, tempo, major_mode, r_music);

  const Index C = e.channels;
  const auto N = static_cast<Index>(std::floor(c.duration_s * e.rate));

  // Schematic scalp: a grid of ceil(sqrt(C)) columns, channel 0 front left.
  const Index cols = static_cast<Index>(std::ceil(std::sqrt(double(C))));
  const Index rows = (C + cols - 1) / cols;
  Eigen::MatrixXd pos(2, C);
  for (Index i = 0; i < C; ++i) {
    pos(0, i) = -1.0 + 2.0 * (double(i % cols) + 0.5) / double(cols);
    pos(1, i) = 1.0 - 2.0 * (double(i / cols) + 0.5) / double(rows);
  }
  auto bump = [&](Index i, double x0, double y0, double sx, double sy) {
    const double dx = (pos(0, i) - x0) / sx, dy = (pos(1, i) - y0) / sy;
    return std::exp(-0.5 * (dx * dx + dy * dy));
  };

  // Lead field: fronto-central auditory pattern plus seeded jitter, unit norm.
  Eigen::VectorXd lead(C);
  for (Index i = 0; i < C; ++i)
    lead(i) = bump(i, 0.0, 0.3, 0.5, 0.5) + e.lead_field_jitter * r_lead.normal();
  if (lead.sum() < 0.0) lead = -lead;
  lead /= lead.norm();

  // Noise: pink background + occipital alpha + frontal blinks + mains.
  Eigen::MatrixXd noise(C, N);
  for (Index i = 0; i < C; ++i)
    noise.row(i) = e.background_uv * detail::pink_noise(N, e.rate, e.pink_lowest_hz, r_pink).transpose();
  const Eigen::VectorXd alpha = detail::resonant_noise(N, e.rate, e.alpha_hz, e.alpha_bandwidth_hz, r_alpha);
  for (Index i = 0; i < C; ++i)
    noise.row(i) += e.alpha_uv * bump(i, 0.0, -1.0, 1e9, 0.5) * alpha.transpose();
  for (double t = 0.0;;) {
    if (e.blink_rate_hz <= 0.0) break;
    t += -std::log(1.0 - r_blink.uniform()) / e.blink_rate_hz;  // exponential gaps
    if (t >= c.duration_s) break;
    const double peak = e.blink_uv * r_blink.uniform(0.8, 1.2);
    const auto lo = std::max<Index>(0, Index(std::floor((t - 4 * e.blink_width_s) * e.rate)));
    const auto hi = std::min<Index>(N, Index(std::ceil((t + 4 * e.blink_width_s) * e.rate)));
    for (Index n = lo; n < hi; ++n) {
      const double g = peak * std::exp(-0.5 * std::pow((double(n) / e.rate - t) / e.blink_width_s, 2));
      for (Index i = 0; i < C; ++i) noise(i, n) += g * bump(i, 0.0, 1.0, 1e9, 0.4);
    }
  }
  for (Index i = 0; i < C; ++i) {
    const double amp = e.mains_uv * r_mains.uniform(0.5, 1.5), phase = r_mains.uniform(0.0, 2.0 * pi);
    for (Index n = 0; n < N; ++n)
      noise(i, n) += amp * std::sin(2.0 * pi * e.mains_hz * double(n) / e.rate + phase);
  }

  // Stimulus-locked source s = h * (envelope - mean), zero mean, scaled to the SNR.
  const Eigen::VectorXd env = detail::audio_envelope(audio, c.audio_rate, N, e.rate, e.envelope_window_s);
  const Eigen::VectorXd h = detail::trf_kernel(e.rate, e.trf_length_s);
  Eigen::VectorXd s = detail::causal_convolve((env.array() - env.mean()).matrix(), h);
  s.array() -= s.mean();
  const Eigen::MatrixXd noise_c = noise.colwise() - noise.rowwise().mean();
  const double noise_power = noise_c.squaredNorm();
  if (e.snr > 0.0) {
    if (!(s.squaredNorm() > 0.0))
      throw value_error("synthesize: the audio envelope is constant, so there is no stimulus "
                        "response to scale to the requested SNR");
    if (!(noise_power > 0.0))
      throw value_error("synthesize: every noise amplitude is zero, so the SNR is undefined; "
                        "set eeg.snr = 0 or give some noise");
    s *= std::sqrt(e.snr * noise_power / s.squaredNorm());  // |a s^T|^2 = |s|^2 (|a| = 1)
  } else {
    s.setZero();
  }
  const Eigen::MatrixXd response = lead * s.transpose();

  // The brightness response b = R(t) beta(t) with a bilateral temporal lead field.
  Eigen::VectorXd drive = Eigen::VectorXd::Zero(N), bright_source = Eigen::VectorXd::Zero(N);
  Eigen::VectorXd bright_lead = Eigen::VectorXd::Zero(C);
  Eigen::MatrixXd bright_response = Eigen::MatrixXd::Zero(C, N);
  if (e.brightness_snr > 0.0) {
    Eigen::VectorXd level, bright;
    detail::brightness_track(audio, c.audio_rate, N, e.rate, e.brightness_window_s, level, bright);
    // Gate: a silent window has no brightness; level^2 / (level^2 + (0.1 max level)^2).
    const double knee = 0.1 * level.maxCoeff();
    const double keep = e.brightness_smoothing_s > 0.0 ? std::exp(-1.0 / (e.rate * e.brightness_smoothing_s)) : 0.0;
    double r = 0.0;
    for (Index n = 0; n < N; ++n) {
      const double octaves = std::log2(std::max(bright(n), 1.0) / e.brightness_centre_hz) / e.brightness_width_octaves;
      const double gate = knee > 0.0 ? level(n) * level(n) / (level(n) * level(n) + knee * knee) : 0.0;
      const double target = std::exp(-0.5 * octaves * octaves) * gate;
      r = n == 0 ? target : keep * r + (1.0 - keep) * target;
      drive(n) = r;
    }
    if (!(drive.maxCoeff() > 0.0))
      throw value_error("synthesize: the brightness drive is zero throughout (no audio near "
                        "eeg.brightness_centre_hz), so there is no brightness response to scale");
    if (!(noise_power > 0.0))
      throw value_error("synthesize: every noise amplitude is zero, so the brightness SNR is undefined");
    const Eigen::VectorXd carrier =
        detail::resonant_noise(N, e.rate, e.brightness_carrier_hz, e.brightness_bandwidth_hz, r_brightness);
    if (e.brightness_coding == BrightnessCoding::amplitude) {
      for (Index i = 0; i < C; ++i)
        bright_lead(i) = bump(i, -1.0, 0.0, 0.45, 0.6) + bump(i, 1.0, 0.0, 0.45, 0.6) +
                         e.lead_field_jitter * r_brightness.normal();
      if (bright_lead.sum() < 0.0) bright_lead = -bright_lead;
      bright_lead /= bright_lead.norm();
      bright_source = drive.cwiseProduct(carrier);
      bright_source.array() -= bright_source.mean();
      bright_source *= std::sqrt(e.brightness_snr * noise_power / bright_source.squaredNorm());
      bright_response = bright_lead * bright_source.transpose();  // |g b^T|^2 = |b|^2
    } else {
      // Two unit-variance carriers, coupling rho = 2R - 1 (anti-phase at R = 0, in phase at
      // R = 1): right = rho beta_1 + sqrt(1 - rho^2) beta_2 has unit variance at every
      // instant, so no channel's power follows R, but the power through the sum filter
      // g_left + g_right does: var(beta_1 + right) = 2 + 2 rho = 4R for orthonormal sites.
      // Synchrony's sites: narrower than the amplitude coding's (sx 0.3) and with a jitter
      // that scales each channel's weight, so the two sites do not overlap: a channel that
      // both sites reach would be a sum filter, and its power would follow R.
      const auto temporal_site = [&](double x0) {
        Eigen::VectorXd g(C);
        for (Index i = 0; i < C; ++i)
          g(i) = bump(i, x0, 0.0, 0.3, 0.6) * (1.0 + e.lead_field_jitter * r_brightness.normal());
        return g;
      };
      Eigen::VectorXd left_site = temporal_site(-1.0), right_site = temporal_site(1.0);
      left_site /= left_site.norm();
      right_site /= right_site.norm();
      const Eigen::VectorXd second =
          detail::resonant_noise(N, e.rate, e.brightness_carrier_hz, e.brightness_bandwidth_hz, r_brightness);
      const Eigen::ArrayXd rho = 2.0 * drive.array() - 1.0;
      const Eigen::VectorXd right = (rho * carrier.array() + (1.0 - rho.square()).max(0.0).sqrt() * second.array()).matrix();
      bright_response = left_site * carrier.transpose() + right_site * right.transpose();
      bright_response.colwise() -= bright_response.rowwise().mean();
      // The ground truth kept in the amplitude fields: the detector's spatial filter
      // (the sum of the two sites) and what the response looks like through it.
      bright_response *= std::sqrt(e.brightness_snr * noise_power / bright_response.squaredNorm());
      bright_lead = (left_site + right_site).normalized();
      bright_source = bright_response.transpose() * bright_lead;
    }
  }
  const Eigen::MatrixXd eeg = noise + response + bright_response;

  SyntheticSession<Scalar> out;
  const Eigen::MatrixXd eeg_c = eeg.colwise() - eeg.rowwise().mean();
  out.response_share = response.squaredNorm() / eeg_c.squaredNorm();
  out.channel_share = (response.rowwise().squaredNorm().array() /
                       eeg_c.rowwise().squaredNorm().array()).matrix().cast<Scalar>();
  out.snr = noise_power > 0.0 ? response.squaredNorm() / noise_power : 0.0;
  // Everything but the component counts as its noise (the other component included).
  // cov(x) is decomposed once for both components.
  const auto sigma = (eeg_c * eeg_c.transpose() / double(N)).eval().completeOrthogonalDecomposition();
  const auto ceiling_of = [&](const Eigen::VectorXd& source, const Eigen::VectorXd& a) {
    Ceiling out_ceiling;
    const Eigen::VectorXd proj = eeg_c.transpose() * a;
    out_ceiling.lead_field = proj.dot(source) / std::sqrt(proj.squaredNorm() * source.squaredNorm());
    const Eigen::VectorXd cov = eeg_c * source / double(N);
    const Eigen::VectorXd w = sigma.solve(cov);
    out_ceiling.spatial = std::sqrt(std::max(0.0, cov.dot(w)) / (source.squaredNorm() / double(N)));
    return out_ceiling;
  };
  if (e.snr > 0.0) out.ceiling = ceiling_of(s, lead);
  if (e.brightness_snr > 0.0) out.brightness_ceiling = ceiling_of(bright_source, bright_lead);

  // Emotion: standardised features -> drive -> lag -> tanh; listeners add bias + AR(1).
  const auto F = static_cast<Index>(std::floor(c.duration_s * a.rate));
  Eigen::VectorXd loud_db, bright_hz;
  detail::frame_features(audio, c.audio_rate, a.rate, F, loud_db, bright_hz);
  const double t_std = (tempo - a.tempo_reference_bpm) / a.tempo_scale_bpm;
  const double mode = major_mode ? 1.0 : -1.0;
  const double keep = a.lag_s > 0.0 ? std::exp(-1.0 / (a.rate * a.lag_s)) : 0.0;
  Eigen::VectorXd ar(F), va(F);
  double da = 0.0, dv = 0.0;
  for (Index j = 0; j < F; ++j) {
    const double l = (loud_db(j) - a.loudness_reference_db) / a.loudness_scale_db;
    const double b = std::log2(std::max(bright_hz(j), 1.0) / a.brightness_reference_hz);
    const double xa = a.arousal_loudness * l + a.arousal_tempo * t_std + a.arousal_brightness * b;
    const double xv = a.valence_mode * mode + a.valence_tempo * t_std + a.valence_brightness * b;
    da = j == 0 ? xa : keep * da + (1.0 - keep) * xa;
    dv = j == 0 ? xv : keep * dv + (1.0 - keep) * xv;
    ar(j) = std::tanh(da);
    va(j) = std::tanh(dv);
  }
  const Index L = a.listeners;
  Eigen::MatrixXd arl(L, F), val(L, F);
  const double innov = a.listener_noise * std::sqrt(1.0 - a.listener_noise_correlation * a.listener_noise_correlation);
  for (Index p = 0; p < L; ++p) {
    const double bias_a = a.listener_bias * r_listen.normal(), bias_v = a.listener_bias * r_listen.normal();
    double na = a.listener_noise * r_listen.normal(), nv = a.listener_noise * r_listen.normal();
    for (Index j = 0; j < F; ++j) {
      if (j > 0) {
        na = a.listener_noise_correlation * na + innov * r_listen.normal();
        nv = a.listener_noise_correlation * nv + innov * r_listen.normal();
      }
      arl(p, j) = std::clamp(ar(j) + bias_a + na, -1.0, 1.0);
      val(p, j) = std::clamp(va(j) + bias_v + nv, -1.0, 1.0);
    }
  }

  out.audio = audio.cast<Scalar>();
  out.audio_rate = c.audio_rate;
  out.eeg = eeg.cast<Scalar>();
  out.eeg_rate = e.rate;
  out.response = response.cast<Scalar>();
  out.source = s.cast<Scalar>();
  out.envelope = env.cast<Scalar>();
  out.trf = h.cast<Scalar>();
  out.lead_field = lead.cast<Scalar>();
  out.brightness_response = bright_response.cast<Scalar>();
  out.brightness_source = bright_source.cast<Scalar>();
  out.brightness_drive = drive.cast<Scalar>();
  out.brightness_lead_field = bright_lead.cast<Scalar>();
  out.positions = pos.cast<Scalar>();
  out.tempo_bpm = tempo;
  out.major = major_mode;
  out.emotion_rate = a.rate;
  out.loudness_db = loud_db.cast<Scalar>();
  out.brightness_hz = bright_hz.cast<Scalar>();
  out.arousal_clean = ar.cast<Scalar>();
  out.valence_clean = va.cast<Scalar>();
  out.arousal = arl.cast<Scalar>();
  out.valence = val.cast<Scalar>();
  out.arousal_labels = (arl.array() > 0.0).cast<int>().matrix();
  out.valence_labels = (val.array() > 0.0).cast<int>().matrix();
  return out;
}

}  // namespace canon::data
