// canon/models/avramidis/synthetic.hpp — a DEAP-like session with planted affect: the
// embedded default data of the Avramidis 2022 demo.
//
// Only the EEG is synthetic. The tracks and their affect are real: the caller passes the
// average valence and arousal of each stimulus (DEAP's online ratings, as released with
// the authors' MusiCNN embeddings in ../shared/data/deap-stimuli-musicnn), and the music
// side of the demo is those real embeddings.
//
// Per subject s and track t (ratings on DEAP's 1-9 scale):
//   felt affect   f = track mean + b_s + e,   b_s ~ N(0, subject_bias_sd^2), e ~ N(0, felt_noise_sd^2)
//   rating        r = clamp(f + n, 1, 9),      n ~ N(0, report_noise_sd^2)     (the scale's ends)
//   label         r > 5 (the paper's binarisation; the EEG label of every segment of the trial)
// and the EEG of the trial carries f, not r: a subject's report is a noisy reading of
// what the EEG reflects. That makes the ceiling known exactly: a decoder that read f
// perfectly from the EEG would still be wrong on the trials where f and r fall on
// opposite sides of 5, so per subject
//   ceiling = (1 / T) sum_t [ (f_t > 5) == (r_t > 5) ]
// for valence and arousal (`Ceiling`), at segment and at trial level alike.
//
// The EEG (32 channels in DEAP's Geneva order, `fs` Hz, `trial_seconds`, the 3 s
// baseline not synthesised because the pipeline removes it) is, per channel c,
//   x_c(t) = sum over bands b of A_{c,b} g_{c,b}(t) sum_{k<K} sin(2 pi nu_k t + phi_k) / sqrt(K)
//            + sensor_noise * white noise,
// K sinusoids per band at frequencies drawn uniformly in the band (theta 4-7, alpha 7-13,
// beta 13-30, gamma 31-45 Hz), random phases, and a slow random envelope g (0.05-0.3 Hz)
// so that 3 s segments differ. A_{c,b} is a resting spectrum (alpha strongest over
// parietal and occipital sites) times a per-subject, per-channel log-normal gain, times a
// per-trial overall gain. Affect is planted in two documented correlates, with z = (f - 5) / 4:
//   valence: frontal alpha asymmetry (Davidson 1992; Koelstra et al. 2012 report it on
//            DEAP): alpha log-amplitude -k_s valence_gain z_v over the left frontal sites
//            (Fp1 AF3 F3 F7 FC5 FC1) and +k_s valence_gain z_v over the right ones
//            (Fp2 AF4 F4 F8 FC6 FC2): more pleasant, relatively less left alpha;
//   arousal: beta and gamma log-amplitude +k_s arousal_gain z_a on every channel, and
//            alpha -k_s arousal_gain z_a / 2 over parietal-occipital sites;
// k_s ~ U[1 - gain_spread, 1 + gain_spread] is the subject's responsiveness. Both are
// changes of log band power, which is exactly what differential entropy measures
// (h = 0.5 log(2 pi e sigma^2)): a linear model of the DE features can read them, and
// the EEG network has to find them among 384 inputs from 27 training tracks.
#pragma once

#include <algorithm>
#include <array>
#include <cmath>
#include <string>
#include <vector>

#include "canon/core/checks.hpp"
#include "canon/core/constants.hpp"
#include "canon/core/rng.hpp"

namespace canon::avramidis {

/// DEAP's first 32 channels (the EEG) in the Geneva order of the preprocessed release.
inline const std::array<const char*, 32>& geneva_channels() {
  static const std::array<const char*, 32> names = {
      "Fp1", "AF3", "F3", "F7", "FC5", "FC1", "C3", "T7", "CP5", "CP1", "P3",  "P7",  "PO3", "O1",  "Oz", "Pz",
      "Fp2", "AF4", "Fz", "F4", "F8",  "FC6", "FC2", "Cz", "C4",  "T8",  "CP6", "CP2", "P4",  "P8",  "PO4", "O2"};
  return names;
}

struct DeapLikeConfig {
  Index subjects = 32;
  double fs = 128.0;
  double trial_seconds = 60.0;
  double subject_bias_sd = 0.5;   ///< rating units
  double felt_noise_sd = 1.0;     ///< felt affect around the track's mean rating
  double report_noise_sd = 0.7;   ///< the rating around the felt affect
  double valence_gain = 0.5;      ///< frontal alpha log-amplitude per unit of z_v
  double arousal_gain = 0.4;      ///< beta/gamma log-amplitude per unit of z_a
  double gain_spread = 0.5;       ///< k_s ~ U[1 - spread, 1 + spread]
  double channel_gain_sd = 0.2;   ///< per-subject, per-channel log-normal gain
  double trial_gain_sd = 0.15;    ///< per-trial overall log-amplitude
  double sensor_noise = 0.5;      ///< white noise sd (the resting alpha amplitude is 1.5)
  int sinusoids_per_band = 6;
};

/// One synthetic trial: EEG (32 x samples, baseline removed) and what generated it.
struct SyntheticTrial {
  Matrix<double> eeg;
  int track = 0;                           ///< index into the tracks given
  double valence = 0, arousal = 0;         ///< the subject's ratings, 1-9
  double felt_valence = 0, felt_arousal = 0;
};

struct Ceiling {
  double valence = 0, arousal = 0;  ///< accuracy of a perfect reader of the felt affect
};

struct SyntheticSubject {
  std::vector<SyntheticTrial> trials;  ///< one per track, in track order
  double responsiveness = 1;           ///< k_s
  Ceiling ceiling;
};

namespace detail {

inline void validate(const DeapLikeConfig& c, std::size_t tracks) {
  const char* where = "avramidis::synthesize_deap_like";
  if (c.subjects < 1) throw value_error(canon::detail::message(where, ": subjects must be >= 1, got ", c.subjects));
  if (tracks < 2) throw value_error(canon::detail::message(where, ": need at least 2 tracks, got ", tracks));
  if (!(c.fs >= 100.0 && c.fs <= 4096.0))
    throw value_error(canon::detail::message(where, ": fs must lie in [100, 4096] Hz (gamma reaches 45 Hz), got ", c.fs));
  if (!(c.trial_seconds >= 3.0 && c.trial_seconds <= 3600.0))
    throw value_error(canon::detail::message(where, ": trial_seconds must lie in [3, 3600], got ", c.trial_seconds));
  for (double v : {c.subject_bias_sd, c.felt_noise_sd, c.report_noise_sd, c.valence_gain, c.arousal_gain,
                   c.channel_gain_sd, c.trial_gain_sd, c.sensor_noise})
    if (!(std::isfinite(v) && v >= 0.0 && v <= 100.0))
      throw value_error(canon::detail::message(where, ": every spread, gain and noise must be finite in [0, 100], got ", v));
  if (!(c.gain_spread >= 0.0 && c.gain_spread < 1.0))
    throw value_error(canon::detail::message(where, ": gain_spread must lie in [0, 1), got ", c.gain_spread));
  if (c.sinusoids_per_band < 1 || c.sinusoids_per_band > 64)
    throw value_error(canon::detail::message(where, ": sinusoids_per_band must lie in [1, 64], got ", c.sinusoids_per_band));
}

inline bool left_frontal(int c) { return c <= 5; }                       // Fp1 AF3 F3 F7 FC5 FC1
inline bool right_frontal(int c) { return c == 16 || c == 17 || (c >= 19 && c <= 22); }  // Fp2 AF4 F4 F8 FC6 FC2
inline bool posterior(int c) { return (c >= 10 && c <= 15) || c >= 28; }  // P3 P7 PO3 O1 Oz Pz P4 P8 PO4 O2

}  // namespace detail

/// One session per subject over the given tracks (mean ratings 1-9, one per track).
inline std::vector<SyntheticSubject> synthesize_deap_like(const std::vector<double>& track_valence,
                                                          const std::vector<double>& track_arousal,
                                                          const DeapLikeConfig& c, std::uint64_t seed) {
  const char* where = "avramidis::synthesize_deap_like";
  if (track_valence.size() != track_arousal.size())
    throw shape_error(canon::detail::message(where, ": ", track_valence.size(), " valence ratings but ",
                                             track_arousal.size(), " arousal ratings; expected one of each per track"));
  detail::validate(c, track_valence.size());
  for (std::size_t t = 0; t < track_valence.size(); ++t)
    for (double r : {track_valence[t], track_arousal[t]})
      if (!(r >= 1.0 && r <= 9.0))
        throw value_error(canon::detail::message(where, ": track ", t, " has a rating of ", r, "; expected 1-9"));
  constexpr int channels = 32;
  const Index samples = Index(std::llround(c.trial_seconds * c.fs));
  const std::array<std::array<double, 2>, 4> bands{{{4.0, 7.0}, {7.0, 13.0}, {13.0, 30.0}, {31.0, 45.0}}};
  const std::array<double, 4> resting{1.0, 1.0, 0.6, 0.3};  // theta, alpha (x1.5 posterior), beta, gamma
  const Eigen::ArrayXd t = Eigen::ArrayXd::LinSpaced(samples, 0.0, double(samples - 1)) / c.fs;
  const double norm = 1.0 / std::sqrt(double(c.sinusoids_per_band));

  Rng root(seed);
  std::vector<SyntheticSubject> out(std::size_t(c.subjects));
  for (auto& subject : out) {
    Rng rng = root.split();
    subject.responsiveness = rng.uniform(1.0 - c.gain_spread, 1.0 + c.gain_spread);
    const double bias_v = rng.normal(0.0, c.subject_bias_sd), bias_a = rng.normal(0.0, c.subject_bias_sd);
    std::array<double, channels> channel_gain{};
    for (double& g : channel_gain) g = std::exp(rng.normal(0.0, c.channel_gain_sd));
    int agree_v = 0, agree_a = 0;
    for (std::size_t k = 0; k < track_valence.size(); ++k) {
      SyntheticTrial trial;
      trial.track = int(k);
      trial.felt_valence = track_valence[k] + bias_v + rng.normal(0.0, c.felt_noise_sd);
      trial.felt_arousal = track_arousal[k] + bias_a + rng.normal(0.0, c.felt_noise_sd);
      trial.valence = std::clamp(trial.felt_valence + rng.normal(0.0, c.report_noise_sd), 1.0, 9.0);
      trial.arousal = std::clamp(trial.felt_arousal + rng.normal(0.0, c.report_noise_sd), 1.0, 9.0);
      agree_v += (trial.felt_valence > 5.0) == (trial.valence > 5.0);
      agree_a += (trial.felt_arousal > 5.0) == (trial.arousal > 5.0);
      const double zv = (trial.felt_valence - 5.0) / 4.0, za = (trial.felt_arousal - 5.0) / 4.0;
      const double ks = subject.responsiveness;
      const double trial_gain = std::exp(rng.normal(0.0, c.trial_gain_sd));
      trial.eeg.resize(channels, samples);
      Eigen::ArrayXd x(samples), band(samples);
      for (int ch = 0; ch < channels; ++ch) {
        x.setZero();
        for (int b = 0; b < 4; ++b) {
          double log_amplitude = 0.0;
          if (b == 1 && detail::left_frontal(ch)) log_amplitude -= ks * c.valence_gain * zv;
          if (b == 1 && detail::right_frontal(ch)) log_amplitude += ks * c.valence_gain * zv;
          if (b >= 2) log_amplitude += ks * c.arousal_gain * za;
          if (b == 1 && detail::posterior(ch)) log_amplitude -= 0.5 * ks * c.arousal_gain * za;
          const double rest = resting[std::size_t(b)] * (b == 1 && detail::posterior(ch) ? 1.5 : 1.0);
          const double amplitude = rest * channel_gain[std::size_t(ch)] * trial_gain * std::exp(log_amplitude);
          band.setZero();
          for (int s = 0; s < c.sinusoids_per_band; ++s) {
            const double nu = rng.uniform(bands[std::size_t(b)][0], bands[std::size_t(b)][1]);
            const double phase = rng.uniform(0.0, 2.0 * pi);
            band += (2.0 * pi * nu * t + phase).sin();
          }
          const double env_f = rng.uniform(0.05, 0.3), env_phase = rng.uniform(0.0, 2.0 * pi);
          const Eigen::ArrayXd envelope = 1.0 + 0.4 * (2.0 * pi * env_f * t + env_phase).sin();
          x += (amplitude * norm) * envelope * band;
        }
        for (Index i = 0; i < samples; ++i) x(i) += c.sensor_noise * rng.normal();
        trial.eeg.row(ch) = x.matrix().transpose();
      }
      subject.trials.push_back(std::move(trial));
    }
    subject.ceiling.valence = double(agree_v) / double(track_valence.size());
    subject.ceiling.arousal = double(agree_a) / double(track_valence.size());
  }
  return out;
}

}  // namespace canon::avramidis
