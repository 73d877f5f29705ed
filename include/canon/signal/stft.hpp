// canon/signal/stft.hpp — short-time Fourier transform of multichannel signals (channels x
// samples, one row per channel), power spectrograms and band power / band variance.
//
// stft() reproduces scipy.signal.stft(x, fs, window, nperseg, noverlap, nfft=None,
// detrend=False, return_onesided=True, boundary='zeros' or None, padded, axis=-1,
// scaling='spectrum' or 'psd') for real input:
//   1. boundary=zeros: nperseg/2 (integer division) zeros on both ends.
//   2. padded: zeros appended so that (length - nperseg) is a multiple of the hop.
//   3. frames start at 0, hop = nperseg - noverlap; count = (length - noverlap) / hop.
//   4. Z[k, m] = scale * sum_n w[n] x[m hop + n] exp(-2 pi i k n / nperseg), k = 0..nperseg/2,
//      scale = 1 / sum(w) ('spectrum') or 1 / sqrt(fs sum(w^2)) ('psd').
// Unlike scipy (which shrinks nperseg with a warning) a signal shorter than nperseg throws.
//
// Band power over [lo, hi) Hz of one frame with unscaled DFT X of the windowed frame:
//   P = 1 / (N sum(w^2)) * sum_{k: lo <= f_k < hi} c_k |X_k|^2,  f_k = k fs / N,
// with c_k = 2 for bins that stand for a positive and a negative frequency and c_k = 1
// for DC and (N even) Nyquist. This is the integral over the band of the one-sided
// periodogram density (scipy.signal.periodogram, scaling='density') times the bin width
// fs/N, and by Parseval the mean power per sample of the band-limited part of the frame
// (window-compensated). For a zero-mean band (lo > 0) it is that part's variance: the
// "band variance" used by differential_entropy.hpp. White noise of variance s^2 has
// expected band variance s^2 * (sum of c_k over the band) / N, i.e. s^2 * 2 (hi-lo) / fs.
#pragma once

#include <algorithm>
#include <complex>
#include <utility>
#include <vector>

#include "canon/core/checks.hpp"
#include "canon/signal/fft.hpp"
#include "canon/signal/window.hpp"

namespace canon::signal {

enum class StftBoundary { zeros, none };
enum class StftScaling { spectrum, psd };

struct StftOptions {
  double fs = 1.0;                       ///< sampling rate in Hz
  Index nperseg = 256;                   ///< window length in samples
  Index noverlap = -1;                   ///< overlap in samples; -1 means nperseg / 2
  WindowType window = WindowType::hann;  ///< always the periodic form (get_window default)
  StftBoundary boundary = StftBoundary::zeros;
  bool padded = true;
  StftScaling scaling = StftScaling::spectrum;
};

/// A frequency band [low, high) in Hz.
struct Band {
  double low;
  double high;
};

template <class S>
using ComplexMatrix = Eigen::Matrix<std::complex<S>, Eigen::Dynamic, Eigen::Dynamic>;

/// stft() result: values[c] is bins x frames for channel c.
template <class S>
struct Stft {
  std::vector<ComplexMatrix<S>> values;
  Vector<double> frequencies;  ///< k fs / nperseg
  Vector<double> times;        ///< frame centres in seconds, as scipy returns them
};

namespace detail {

/// The validated geometry of an STFT over signals of a given length.
struct StftPlan {
  Index nperseg = 0, hop = 0, left = 0, padded_length = 0, frames = 0, bins = 0;
  double fs = 1.0;
};

inline StftPlan plan_stft(Index samples, const StftOptions& o, const char* where) {
  using canon::detail::message;
  if (!(o.fs > 0.0) || !std::isfinite(o.fs))
    throw value_error(message(where, ": fs must be a positive finite rate in Hz, got ", o.fs));
  if (o.nperseg < 1)
    throw value_error(message(where, ": nperseg must be at least 1, got ", o.nperseg));
  const Index noverlap = o.noverlap < 0 ? o.nperseg / 2 : o.noverlap;
  if (noverlap >= o.nperseg)
    throw value_error(message(where, ": noverlap must lie in [0, nperseg - 1] = [0, ",
                              o.nperseg - 1, "] (the hop must be positive), got ", noverlap));
  if (samples < 1)
    throw value_error(message(where, ": the signal has no samples (empty channels)"));
  if (samples < o.nperseg)
    throw value_error(message(where, ": the window (nperseg = ", o.nperseg,
                              " samples) is longer than the signal (", samples,
                              " samples); expected nperseg <= signal length"));
  StftPlan p;
  p.fs = o.fs;
  p.nperseg = o.nperseg;
  p.hop = o.nperseg - noverlap;
  p.bins = o.nperseg / 2 + 1;
  p.left = o.boundary == StftBoundary::zeros ? o.nperseg / 2 : 0;
  Index length = samples + 2 * p.left;
  if (o.padded) {
    const Index rest = (length - o.nperseg) % p.hop;
    if (rest != 0) length += p.hop - rest;
  }
  p.padded_length = length;
  p.frames = (length - noverlap) / p.hop;
  return p;
}

template <class Derived>
void require_signal(const Eigen::MatrixBase<Derived>& x, const char* where) {
  using canon::detail::message;
  if (x.rows() < 1)
    throw shape_error(message(where, ": the signal has no channels; expected channels x ",
                              "samples with at least one row"));
  if (x.cols() < 1)
    throw value_error(message(where, ": the signal has no samples (empty channels); ",
                              "expected channels x samples with at least one column"));
  canon::detail::require_finite(x, where, "the signal");
}

inline void require_bands(const std::vector<Band>& bands, double fs, Index nfft,
                          const char* where) {
  using canon::detail::message;
  if (bands.empty()) throw value_error(message(where, ": no frequency bands given"));
  for (std::size_t b = 0; b < bands.size(); ++b) {
    const Band& band = bands[b];
    if (!(band.low >= 0.0 && band.low < band.high && band.high <= fs / 2.0))
      throw value_error(message(where, ": band ", b, " [", band.low, ", ", band.high,
                                ") Hz must satisfy 0 <= low < high <= Nyquist = ", fs / 2.0,
                                " Hz"));
    const double df = fs / double(nfft);
    bool any = false;
    for (Index k = 0; k <= nfft / 2; ++k)
      if (double(k) * df >= band.low && double(k) * df < band.high) any = true;
    if (!any)
      throw value_error(message(where, ": band ", b, " [", band.low, ", ", band.high,
                                ") Hz contains no frequency bin (bin width ", df,
                                " Hz); expected a wider band or a longer window"));
  }
}

/// Bin weights c_k of the one-sided power sum: 1 at DC and Nyquist, 2 elsewhere.
inline double onesided_weight(Index k, Index nfft) {
  return (k == 0 || (nfft % 2 == 0 && k == nfft / 2)) ? 1.0 : 2.0;
}

/// Runs f(channel, frame, fft) after transforming each windowed frame of each channel,
/// channels in parallel under OpenMP (one RealFft and one padded copy per thread).
template <class S, class Derived, class F>
void for_each_frame(const Eigen::MatrixBase<Derived>& x, const StftPlan& p, const Vector<S>& w,
                    F&& f) {
  const Index channels = x.rows();
  const Index samples = x.cols();
#ifdef _OPENMP
#pragma omp parallel
#endif
  {
    RealFft<S> fft(p.nperseg);
    std::vector<S> padded(std::size_t(p.padded_length + p.nperseg), S(0));
#ifdef _OPENMP
#pragma omp for schedule(static)
#endif
    for (Index c = 0; c < channels; ++c) {
      for (Index i = 0; i < samples; ++i) padded[std::size_t(p.left + i)] = x(c, i);
      for (Index m = 0; m < p.frames; ++m) {
        const S* frame = padded.data() + m * p.hop;
        S* in = fft.input();
        for (Index n = 0; n < p.nperseg; ++n) in[n] = w(n) * frame[n];
        fft.execute();
        f(c, m, fft);
      }
    }
  }
}

}  // namespace detail

/// scipy.signal.stft of each row of x into `out` (see the file comment for the options
/// supported). Reuses out's buffers when their shapes already match, so repeated calls on
/// signals of one length allocate nothing (and touch no fresh pages).
template <class Requested = void, class Derived, class S = scalar_or_t<Requested, Derived>>
void stft_into(const Eigen::MatrixBase<Derived>& x, const StftOptions& options, Stft<S>& out) {
  CANON_REQUIRE_SCALAR(S);
  detail::require_signal(x, "signal::stft");
  const auto p = detail::plan_stft(x.cols(), options, "signal::stft");
  const Vector<S> w = get_window<S>(options.window, p.nperseg);
  const S scale = options.scaling == StftScaling::spectrum
                      ? S(1) / w.sum()
                      : S(1) / std::sqrt(S(options.fs) * w.squaredNorm());
  out.values.resize(std::size_t(x.rows()));
  for (auto& z : out.values) z.resize(p.bins, p.frames);  // no-op when the shape matches
  detail::for_each_frame<S>(x.template cast<S>(), p, w,
                            [&](Index c, Index m, const RealFft<S>& fft) {
                              auto& z = out.values[std::size_t(c)];
                              for (Index k = 0; k < p.bins; ++k) z(k, m) = fft.output()[k] * scale;
                            });
  out.frequencies.resize(p.bins);
  for (Index k = 0; k < p.bins; ++k)
    out.frequencies(k) = double(k) * options.fs / double(p.nperseg);
  out.times.resize(p.frames);
  // scipy: arange(nperseg / 2, ...) in floating point, minus nperseg / 2 with a boundary.
  const double first = options.boundary == StftBoundary::zeros ? 0.0 : double(p.nperseg) / 2.0;
  for (Index m = 0; m < p.frames; ++m) out.times(m) = (first + double(m * p.hop)) / options.fs;
}

/// scipy.signal.stft of each row of x (see the file comment for the options supported).
template <class Requested = void, class Derived, class S = scalar_or_t<Requested, Derived>>
Stft<S> stft(const Eigen::MatrixBase<Derived>& x, const StftOptions& options) {
  Stft<S> out;
  stft_into(x, options, out);
  return out;
}

/// |Z|^2 of stft() per channel (bins x frames), with the same scaling.
template <class Requested = void, class Derived, class S = scalar_or_t<Requested, Derived>>
std::vector<Matrix<S>> power_spectrogram(const Eigen::MatrixBase<Derived>& x,
                                         const StftOptions& options) {
  CANON_REQUIRE_SCALAR(S);
  detail::require_signal(x, "signal::power_spectrogram");
  const auto p = detail::plan_stft(x.cols(), options, "signal::power_spectrogram");
  const Vector<S> w = get_window<S>(options.window, p.nperseg);
  const S scale = options.scaling == StftScaling::spectrum
                      ? S(1) / (w.sum() * w.sum())
                      : S(1) / (S(options.fs) * w.squaredNorm());
  std::vector<Matrix<S>> out(std::size_t(x.rows()));
  for (auto& z : out) z.resize(p.bins, p.frames);
  detail::for_each_frame<S>(x.template cast<S>(), p, w,
                            [&](Index c, Index m, const RealFft<S>& fft) {
                              auto& z = out[std::size_t(c)];
                              for (Index k = 0; k < p.bins; ++k) z(k, m) = fft.power(k) * scale;
                            });
  return out;
}

/// |Z| of stft() per channel (bins x frames).
template <class Requested = void, class Derived, class S = scalar_or_t<Requested, Derived>>
std::vector<Matrix<S>> magnitude_spectrogram(const Eigen::MatrixBase<Derived>& x,
                                             const StftOptions& options) {
  auto out = power_spectrogram<S>(x, options);
  for (auto& m : out) m = m.cwiseSqrt();
  return out;
}

/// Band power (= band variance, see the file comment) of every frame: result[b] is
/// channels x frames for bands[b]. Frames are those of stft() with the same options
/// (the scaling option does not matter: the window power is divided out).
template <class Requested = void, class Derived, class S = scalar_or_t<Requested, Derived>>
std::vector<Matrix<S>> band_power(const Eigen::MatrixBase<Derived>& x, const StftOptions& options,
                                  const std::vector<Band>& bands) {
  CANON_REQUIRE_SCALAR(S);
  detail::require_signal(x, "signal::band_power");
  const auto p = detail::plan_stft(x.cols(), options, "signal::band_power");
  detail::require_bands(bands, options.fs, p.nperseg, "signal::band_power");
  const Vector<S> w = get_window<S>(options.window, p.nperseg);
  // Per band, the contiguous bins [first, last) with f_k in [lo, hi), and per bin the
  // weight c_k / (N sum w^2).
  const double norm = double(p.nperseg) * double(w.template cast<double>().squaredNorm());
  Vector<S> weight(p.bins);
  for (Index k = 0; k < p.bins; ++k) weight(k) = S(detail::onesided_weight(k, p.nperseg) / norm);
  std::vector<std::pair<Index, Index>> range(bands.size(), {p.bins, 0});
  for (std::size_t b = 0; b < bands.size(); ++b)
    for (Index k = 0; k < p.bins; ++k) {
      const double f = double(k) * options.fs / double(p.nperseg);
      if (f >= bands[b].low && f < bands[b].high) {
        range[b].first = std::min(range[b].first, k);
        range[b].second = k + 1;
      }
    }
  std::vector<Matrix<S>> out(bands.size(), Matrix<S>(x.rows(), p.frames));
  detail::for_each_frame<S>(x.template cast<S>(), p, w,
                            [&](Index c, Index m, const RealFft<S>& fft) {
                              for (std::size_t b = 0; b < bands.size(); ++b) {
                                S sum = S(0);
                                for (Index k = range[b].first; k < range[b].second; ++k)
                                  sum += weight(k) * fft.power(k);
                                out[b](c, m) = sum;
                              }
                            });
  return out;
}

/// The same quantity as band_power, named for its reading as the variance of the
/// band-limited signal within each frame.
template <class Requested = void, class Derived, class S = scalar_or_t<Requested, Derived>>
std::vector<Matrix<S>> band_variance(const Eigen::MatrixBase<Derived>& x,
                                     const StftOptions& options, const std::vector<Band>& bands) {
  return band_power<S>(x, options, bands);
}

}  // namespace canon::signal
