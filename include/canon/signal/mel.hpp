// canon/signal/mel.hpp — mel filterbank (librosa's defaults: Slaney scale, Slaney area
// normalisation), mel and log-mel spectrograms, and a default 128-d audio frame feature.
//
// Slaney mel scale (librosa.hz_to_mel, htk=False): linear below 1 kHz, logarithmic above,
//   m(f) = 3 f / 200                                   for f < 1000 Hz,
//   m(f) = 15 + 27 ln(f / 1000) / ln(6.4)              for f >= 1000 Hz.
// Filterbank (librosa.filters.mel, norm='slaney'): n_mels + 2 edges equally spaced in mel
// between m(fmin) and m(fmax), mapped back to Hz as f_0 .. f_{n+1}; filter i is the
// triangle rising from f_i to f_{i+1} and falling to f_{i+2}, evaluated at the FFT bin
// frequencies k sr / n_fft, times 2 / (f_{i+2} - f_i) (each triangle has unit area in Hz).
//
// mel_spectrogram(): per channel, frames of win_length samples (periodic Hann, zero-padded
// at the end to n_fft), hop samples apart; with center, n_fft / 2 zeros are added on both
// ends first (librosa's center=True, pad_mode='constant'); |X|^power of the unscaled
// one-sided DFT, then the filterbank. With win_length == n_fft (librosa's default) this is
// librosa.feature.melspectrogram(y, sr, n_fft, hop_length, power=2.0, n_mels, fmin, fmax)
// (librosa centres a window shorter than n_fft inside the frame; canon pads at the end,
// as VGGish does).
//
// frame_features(): the default 128-d music frame feature, for when no pretrained
// embedding is at hand. VGGish's front end (Hershey et al. 2017, vggish_input.py): mono
// 16 kHz audio, 25 ms (400-sample) periodic-Hann frames every 10 ms (160 samples), no
// centring, 512-point FFT magnitude (power 1), 64 mel bands over 125-7500 Hz, log(mel +
// 0.01), grouped into non-overlapping examples of 96 frames (0.96 s). Unlike VGGish the
// bands are the Slaney filterbank above (VGGish uses HTK-scale triangles without area
// normalisation). The feature of an example is [mean over its 96 frames of each band's
// log-mel ; population standard deviation (divide by 96) of each band], 64 + 64 = 128 rows;
// one column per 0.96 s example; a tail shorter than an example is dropped.
#pragma once

#include <cmath>
#include <vector>

#include "canon/signal/stft.hpp"

namespace canon::signal {

/// librosa.hz_to_mel(f, htk=False).
inline double hz_to_mel(double hz) {
  const double f_sp = 200.0 / 3.0;
  const double min_log_hz = 1000.0, min_log_mel = min_log_hz / f_sp;
  const double logstep = std::log(6.4) / 27.0;
  return hz >= min_log_hz ? min_log_mel + std::log(hz / min_log_hz) / logstep : hz / f_sp;
}

/// librosa.mel_to_hz(m, htk=False), the inverse of hz_to_mel.
inline double mel_to_hz(double mel) {
  const double f_sp = 200.0 / 3.0;
  const double min_log_hz = 1000.0, min_log_mel = min_log_hz / f_sp;
  const double logstep = std::log(6.4) / 27.0;
  return mel >= min_log_mel ? min_log_hz * std::exp(logstep * (mel - min_log_mel)) : f_sp * mel;
}

/// librosa.filters.mel(sr, n_fft, n_mels, fmin, fmax) with htk=False, norm='slaney':
/// n_mels x (n_fft / 2 + 1). fmax < 0 means sr / 2.
template <class S = double>
Matrix<S> mel_filterbank(double sr, Index n_fft, Index n_mels, double fmin = 0.0,
                         double fmax = -1.0) {
  CANON_REQUIRE_SCALAR(S);
  using canon::detail::message;
  const char* where = "signal::mel_filterbank";
  if (!(sr > 0.0) || !std::isfinite(sr))
    throw value_error(message(where, ": sr must be a positive finite rate in Hz, got ", sr));
  if (n_fft < 2) throw value_error(message(where, ": n_fft must be at least 2, got ", n_fft));
  if (n_mels < 1) throw value_error(message(where, ": n_mels must be at least 1, got ", n_mels));
  if (fmax < 0.0) fmax = sr / 2.0;
  if (!(fmin >= 0.0 && fmin < fmax && fmax <= sr / 2.0))
    throw value_error(message(where, ": need 0 <= fmin < fmax <= Nyquist = ", sr / 2.0,
                              " Hz, got fmin = ", fmin, ", fmax = ", fmax));
  const Index bins = n_fft / 2 + 1;
  std::vector<double> edges(std::size_t(n_mels + 2));
  const double m0 = hz_to_mel(fmin), m1 = hz_to_mel(fmax);
  for (Index i = 0; i < n_mels + 2; ++i)
    edges[std::size_t(i)] = mel_to_hz(m0 + (m1 - m0) * double(i) / double(n_mels + 1));
  Matrix<S> w(n_mels, bins);
  for (Index i = 0; i < n_mels; ++i) {
    const double lo = edges[std::size_t(i)], mid = edges[std::size_t(i + 1)],
                 hi = edges[std::size_t(i + 2)];
    const double enorm = 2.0 / (hi - lo);
    for (Index k = 0; k < bins; ++k) {
      const double f = sr / 2.0 * double(k) / double(bins - 1);  // linspace(0, sr/2, bins)
      const double rising = (f - lo) / (mid - lo), falling = (hi - f) / (hi - mid);
      w(i, k) = S(enorm * std::max(0.0, std::min(rising, falling)));
    }
  }
  return w;
}

struct MelOptions {
  double sr = 22050.0;
  Index n_fft = 2048;
  Index win_length = -1;  ///< -1 means n_fft
  Index hop = 512;
  Index n_mels = 128;
  double fmin = 0.0;
  double fmax = -1.0;  ///< -1 means sr / 2
  double power = 2.0;  ///< 2: power spectrum, 1: magnitude
  bool center = true;
};

/// Mel spectrogram of every channel (rows of x): result[c] is n_mels x frames.
template <class Requested = void, class Derived, class S = scalar_or_t<Requested, Derived>>
std::vector<Matrix<S>> mel_spectrogram(const Eigen::MatrixBase<Derived>& x, const MelOptions& o) {
  CANON_REQUIRE_SCALAR(S);
  using canon::detail::message;
  const char* where = "signal::mel_spectrogram";
  detail::require_signal(x, where);
  const Index win = o.win_length < 0 ? o.n_fft : o.win_length;
  if (win < 1 || win > o.n_fft)
    throw value_error(
        message(where, ": win_length must lie in [1, n_fft = ", o.n_fft, "], got ", win));
  if (o.hop < 1) throw value_error(message(where, ": hop must be at least 1 sample, got ", o.hop));
  if (!(o.power == 1.0 || o.power == 2.0))
    throw value_error(message(where, ": power must be 1 (magnitude) or 2 (power), got ", o.power));
  const Matrix<S> fb = mel_filterbank<S>(o.sr, o.n_fft, o.n_mels, o.fmin, o.fmax);
  const Index left = o.center ? o.n_fft / 2 : 0;
  const Index length = x.cols() + 2 * left;
  const Index span = o.center ? o.n_fft : win;
  if (length < span)
    throw value_error(message(where, ": the window (", span, " samples) is longer than the ",
                              "signal (", x.cols(), " samples)"));
  const Index frames = (length - span) / o.hop + 1;
  const Index bins = o.n_fft / 2 + 1;
  const Vector<S> w = get_window<S>(WindowType::hann, win);
  // With center and win < n_fft the window sits at the start of each n_fft frame.
  std::vector<Matrix<S>> out(std::size_t(x.rows()));
  for (auto& m : out) m.resize(o.n_mels, frames);
#ifdef _OPENMP
#pragma omp parallel
#endif
  {
    RealFft<S> fft(o.n_fft);
    std::vector<S> padded(std::size_t(length + o.n_fft), S(0));
    Matrix<S> spec(bins, frames);
#ifdef _OPENMP
#pragma omp for schedule(static)
#endif
    for (Index c = 0; c < x.rows(); ++c) {
      for (Index i = 0; i < x.cols(); ++i) padded[std::size_t(left + i)] = S(x(c, i));
      for (Index m = 0; m < frames; ++m) {
        S* in = fft.input();
        const S* frame = padded.data() + m * o.hop;
        for (Index n = 0; n < win; ++n) in[n] = w(n) * frame[n];
        for (Index n = win; n < o.n_fft; ++n) in[n] = S(0);
        fft.execute();
        for (Index k = 0; k < bins; ++k)
          spec(k, m) = o.power == 2.0 ? fft.power(k) : std::sqrt(fft.power(k));
      }
      out[std::size_t(c)].noalias() = fb * spec;
    }
  }
  return out;
}

/// log(mel + offset) element-wise (VGGish's stabilised log; offset 0.01 there).
template <class S>
Matrix<S> log_mel(const Matrix<S>& mel, S offset = S(0.01)) {
  if (!(offset > S(0)))
    throw value_error(
        canon::detail::message("signal::log_mel: offset must be positive, got ", offset));
  return (mel.array() + offset).log().matrix();
}

/// VGGish's framing as MelOptions: 16 kHz, 400-sample windows, 160 hop, 512-point FFT,
/// magnitude, 64 bands over 125-7500 Hz, no centring.
inline MelOptions vggish_mel_options() {
  MelOptions o;
  o.sr = 16000.0;
  o.n_fft = 512;
  o.win_length = 400;
  o.hop = 160;
  o.n_mels = 64;
  o.fmin = 125.0;
  o.fmax = 7500.0;
  o.power = 1.0;
  o.center = false;
  return o;
}

/// [mean over the frames (columns) of each band ; population standard deviation of each
/// band] of a block of log-mel frames: 2 * bands values, written into `out`.
template <class S, class Block, class Out>
void log_mel_statistics(const Block& block, Out&& out) {
  const Index bands = block.rows();
  const Vector<S> mean = block.rowwise().mean();
  out.head(bands) = mean;
  out.tail(bands) =
      ((block.colwise() - mean).array().square().rowwise().sum() / S(block.cols())).sqrt().matrix();
}

/// The default 128-d frame feature (see the file comment) of mono 16 kHz audio given as
/// a 1 x samples matrix: 128 x examples, one column per 0.96 s.
template <class Requested = void, class Derived, class S = scalar_or_t<Requested, Derived>>
Matrix<S> frame_features(const Eigen::MatrixBase<Derived>& audio_16k) {
  CANON_REQUIRE_SCALAR(S);
  using canon::detail::message;
  const char* where = "signal::frame_features";
  if (audio_16k.rows() != 1)
    throw shape_error(message(where, ": expected mono audio as 1 x samples at 16 kHz, got ",
                              canon::detail::shape_of(audio_16k)));
  constexpr Index frames_per_example = 96;
  const Index needed = 400 + 160 * (frames_per_example - 1);
  if (audio_16k.cols() < needed)
    throw value_error(message(where, ": needs at least ", needed, " samples (one 0.96 s ",
                              "example at 16 kHz), got ", audio_16k.cols()));
  const Matrix<S> lm = log_mel<S>(mel_spectrogram<S>(audio_16k, vggish_mel_options())[0]);
  const Index examples = lm.cols() / frames_per_example;
  Matrix<S> out(128, examples);
  for (Index e = 0; e < examples; ++e)
    log_mel_statistics<S>(lm.middleCols(e * frames_per_example, frames_per_example), out.col(e));
  return out;
}

}  // namespace canon::signal
