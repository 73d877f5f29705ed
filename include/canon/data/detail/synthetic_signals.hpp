// canon/data/detail/synthetic_signals.hpp — the building blocks of the semi-synthetic
// generator (canon/data/synthetic.hpp): pink noise, a resonant alpha rhythm, blinks,
// the temporal response function, audio envelope and frame features. All in double;
// every random draw comes from the Rng passed in. Equations: docs/synthetic-data.md.
#pragma once

#include <algorithm>
#include <cmath>
#include <vector>

#include "canon/core/constants.hpp"
#include "canon/core/rng.hpp"
#include "canon/core/types.hpp"

namespace canon::data::detail {

/// Scales v to zero mean and unit standard deviation (population); a constant v is
/// left at zero.
inline void standardise(Eigen::VectorXd& v) {
  v.array() -= v.mean();
  const double sd = std::sqrt(v.squaredNorm() / double(v.size()));
  if (sd > 0.0) v /= sd;
}

/// Pink (1/f) noise by a bank of one-pole low-pass sections fed with independent white
/// noise: y_k[n] = p_k y_k[n-1] + sqrt(1 - p_k) w_k[n], p_k = exp(-2 pi f_k / fs),
/// corners f_k = f_lo 2^k below fs/2. Each section has a Lorentzian spectrum whose
/// low-frequency level (1 - p_k)/(1 - p_k)^2 is proportional to 1/f_k; a sum of
/// Lorentzians with octave-spaced corners and levels ~ 1/f_k is ~ 1/f between f_lo and
/// fs/2 (ripple below 1 %). Sections start in their stationary state, N(0, 1/(1+p)).
/// Returns n samples standardised to unit variance.
inline Eigen::VectorXd pink_noise(Index n, double fs, double lowest_hz, Rng& rng) {
  std::vector<double> p, g, y;
  for (double f = lowest_hz; f < fs / 2.0; f *= 2.0) {
    const double pk = std::exp(-2.0 * pi * f / fs);
    p.push_back(pk);
    g.push_back(std::sqrt(1.0 - pk));
    y.push_back(rng.normal() / std::sqrt(1.0 + pk));
  }
  Eigen::VectorXd out(n);
  for (Index i = 0; i < n; ++i) {
    double sum = 0.0;
    for (std::size_t k = 0; k < p.size(); ++k) {
      y[k] = p[k] * y[k] + g[k] * rng.normal();
      sum += y[k];
    }
    out(i) = sum;
  }
  standardise(out);
  return out;
}

/// Narrow-band rhythm: white noise through the two-pole resonator
/// y[n] = 2 r cos(w0) y[n-1] - r^2 y[n-2] + w[n], w0 = 2 pi f0 / fs,
/// r = exp(-pi B / fs) (3 dB bandwidth ~ B Hz); waxing and waning like alpha.
/// A burn-in of 10 time constants is discarded. Unit variance.
inline Eigen::VectorXd resonant_noise(Index n, double fs, double f0, double bandwidth, Rng& rng) {
  const double r = std::exp(-pi * bandwidth / fs);
  const double a1 = 2.0 * r * std::cos(2.0 * pi * f0 / fs), a2 = -r * r;
  const auto burn = static_cast<Index>(std::ceil(10.0 * fs / (pi * bandwidth)));
  double y1 = 0.0, y2 = 0.0;
  Eigen::VectorXd out(n);
  for (Index i = -burn; i < n; ++i) {
    const double y = a1 * y1 + a2 * y2 + rng.normal();
    y2 = y1;
    y1 = y;
    if (i >= 0) out(i) = y;
  }
  standardise(out);
  return out;
}

/// The temporal response function h(tau), tau = 0, 1/fs, ..., length: a P1-N1-P2-like
/// sum of Gaussians (latency, width in s; relative amplitude)
///   P1 (+1.0, 50 ms, 12 ms), N1 (-1.6, 100 ms, 20 ms), P2 (+1.2, 190 ms, 35 ms),
/// scaled to unit Euclidean norm (the response amplitude is set by the SNR).
inline Eigen::VectorXd trf_kernel(double fs, double length_s) {
  const auto n = static_cast<Index>(std::floor(length_s * fs)) + 1;
  const double lat[3] = {0.050, 0.100, 0.190}, wid[3] = {0.012, 0.020, 0.035},
               amp[3] = {1.0, -1.6, 1.2};
  Eigen::VectorXd h(n);
  for (Index i = 0; i < n; ++i) {
    const double t = double(i) / fs;
    double v = 0.0;
    for (int k = 0; k < 3; ++k) v += amp[k] * std::exp(-0.5 * std::pow((t - lat[k]) / wid[k], 2));
    h(i) = v;
  }
  return h / h.norm();
}

/// Causal convolution y[n] = sum_{j=0}^{min(n, L-1)} h[j] x[n-j] (the signal is taken
/// as zero before its start).
inline Eigen::VectorXd causal_convolve(const Eigen::VectorXd& x, const Eigen::VectorXd& h) {
  Eigen::VectorXd y(x.size());
  for (Index n = 0; n < x.size(); ++n) {
    double s = 0.0;
    const Index top = std::min<Index>(n, h.size() - 1);
    for (Index j = 0; j <= top; ++j) s += h(j) * x(n - j);
    y(n) = s;
  }
  return y;
}

/// The RMS frequency f = fs/pi * asin(rms(diff x) / (2 rms(x))) of `count` samples whose
/// squares sum to `ss` and whose successive differences' squares sum to `sd` (count - 1
/// of them); 0 for silence.
inline double rms_frequency(double ss, double sd, double count, double fs) {
  const double ratio = ss > 0.0 ? std::sqrt(sd / std::max(count - 1.0, 1.0) / (ss / count)) : 0.0;
  return fs / pi * std::asin(std::min(1.0, 0.5 * ratio));
}

/// RMS level and RMS frequency (the brightness of frame_features below) of the audio in a
/// window of `window_s` centred on t_n = n / fs_eeg (clipped at the edges), at the EEG
/// rate, from running sums of x^2 and (x[i] - x[i-1])^2.
inline void brightness_track(const Eigen::VectorXd& audio, double fs_audio, Index n_eeg, double fs_eeg,
                             double window_s, Eigen::VectorXd& rms, Eigen::VectorXd& brightness_hz) {
  std::vector<double> cum(static_cast<std::size_t>(audio.size()) + 1, 0.0), dcum(cum.size(), 0.0);
  for (Index i = 0; i < audio.size(); ++i) {
    const double d = i > 0 ? audio(i) - audio(i - 1) : 0.0;
    cum[std::size_t(i) + 1] = cum[std::size_t(i)] + audio(i) * audio(i);
    dcum[std::size_t(i) + 1] = dcum[std::size_t(i)] + d * d;
  }
  const double half = 0.5 * window_s * fs_audio;
  rms.resize(n_eeg);
  brightness_hz.resize(n_eeg);
  for (Index n = 0; n < n_eeg; ++n) {
    const double centre = double(n) / fs_eeg * fs_audio;
    const auto lo = std::clamp<Index>(Index(std::floor(centre - half)), 0, audio.size() - 1);
    const auto hi = std::clamp<Index>(Index(std::floor(centre + half)) + 1, lo + 1, audio.size());
    const double count = double(hi - lo);
    const double ss = cum[std::size_t(hi)] - cum[std::size_t(lo)];
    const double sd = dcum[std::size_t(hi)] - dcum[std::size_t(lo + 1 < hi ? lo + 1 : hi)];
    rms(n) = std::sqrt(ss / count);
    brightness_hz(n) = rms_frequency(ss, sd, count, fs_audio);
  }
}

/// Audio envelope at the EEG rate: e[n] = RMS of the audio in a window of `window_s`
/// centred on t_n = n / fs_eeg (clipped at the edges): brightness_track's level.
inline Eigen::VectorXd audio_envelope(const Eigen::VectorXd& audio, double fs_audio, Index n_eeg,
                                      double fs_eeg, double window_s) {
  Eigen::VectorXd e, unused;
  brightness_track(audio, fs_audio, n_eeg, fs_eeg, window_s, e, unused);
  return e;
}

/// Per-frame loudness (dBFS of the RMS, floored at -120 dB) and brightness (the RMS
/// frequency f = fs/pi * asin(rms(diff x) / (2 rms(x))), exact for a sinusoid and the
/// power-weighted mean frequency of a mixture: a DFT-free spectral centroid) of
/// `frames` consecutive frames of 1/rate s.
inline void frame_features(const Eigen::VectorXd& audio, double fs, double rate, Index frames,
                           Eigen::VectorXd& loudness_db, Eigen::VectorXd& brightness_hz) {
  loudness_db.resize(frames);
  brightness_hz.resize(frames);
  for (Index j = 0; j < frames; ++j) {
    const auto lo = Index(std::floor(double(j) / rate * fs));
    const auto hi = std::min<Index>(Index(std::floor(double(j + 1) / rate * fs)), audio.size());
    double ss = 0.0, sd = 0.0;
    for (Index i = lo; i < hi; ++i) {
      ss += audio(i) * audio(i);
      if (i > lo) sd += (audio(i) - audio(i - 1)) * (audio(i) - audio(i - 1));
    }
    const double count = double(std::max<Index>(hi - lo, 1));
    const double rms = std::sqrt(ss / count);
    loudness_db(j) = 20.0 * std::log10(std::max(rms, 1e-6));
    brightness_hz(j) = rms_frequency(ss, sd, count, fs);
  }
}

}  // namespace canon::data::detail
