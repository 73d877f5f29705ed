// canon/signal/eeg_cleaning.hpp — the EEG cleaning of Raposo, Martins de Matos, Ribeiro
// and Wilson 2017, "Towards Deep Modeling of Music Semantics using EEG Regularizers"
// (Section IV-A, Preprocessing), step by step and as one pipeline in the paper's order:
//   1. high-pass above 0.5 Hz (zero-phase Butterworth),
//   2. mains notch at 50 Hz (zero-phase iirnotch; the mains frequency is a parameter),
//   3. wavelet artifact removal: per channel and level, coefficients farther than k = 5
//      (population) standard deviations from the level's mean are set to 0 (db8),
//   4. per-stimulus per-channel scaling to [-1, 1]: 2 (x - min) / (max - min) - 1,
//   5. wavelet semblance denoising: per level and position the mean resultant length
//      R = |sum_c w_c| / sum_c |w_c| across channels; where R < threshold (0.5 in the
//      paper) that coefficient is zeroed in every channel.
// Steps 3 and 5 follow the authors' released code (PEACCA utils.py): pywt.wavedec with
// db8, mode 'symmetric' and the maximum level, the APPROXIMATION coefficients are
// processed like every detail level, and the reconstruction is cut to the input length.
// See docs/signal-eeg-cleaning.md for the reading of the paper against that code.
// A signal is channels x samples (one row per channel).
#pragma once

#include <cmath>
#include <string_view>
#include <vector>

#include "canon/core/checks.hpp"
#include "canon/core/error.hpp"
#include "canon/core/types.hpp"
#include "canon/signal/iir.hpp"
#include "canon/signal/wavelet_transform.hpp"

namespace canon::signal {

/// The knobs of the Raposo 2017 cleaning; defaults are the paper's values.
struct EegCleaningOptions {
  double highpass_hz = 0.5;        ///< high-pass cutoff (Hz)
  int highpass_order = 5;          ///< Butterworth order of the high-pass
  double mains_hz = 50.0;          ///< mains frequency to notch (50 or 60 Hz)
  double notch_quality = 30.0;     ///< iirnotch Q: -3 dB width = mains_hz / Q
  double artifact_k = 5.0;         ///< artifact threshold in standard deviations
  double semblance_threshold = 0.5;///< mean resultant length below which coefficients go
  int wavelet_order = 8;           ///< Daubechies order (db8)
  WaveletMode mode = WaveletMode::symmetric;
};

namespace detail {

/// The transform the wavelet steps use: every channel at the maximum level. A recording
/// too short for even one level (fewer than 2 (taps - 1) samples) would leave the step
/// without any wavelet.
template <class S>
WaveletTransform<S> channel_transform(Index samples, const Wavelet& w, WaveletMode mode) {
  if (dwt_max_level(samples, w.length()) < 1)
    throw value_error(canon::detail::message(
        "canon::signal: wavelet cleaning with ", w.name, " needs at least ", 2 * (w.length() - 1),
        " samples per channel (one decomposition level), got ", samples));
  return WaveletTransform<S>(w, mode, samples);
}

template <class S>
void require_eeg(const Matrix<S>& x, std::string_view where) {
  if (x.rows() < 1 || x.cols() < 1)
    throw shape_error(canon::detail::message(where, ": x must be channels x samples with at least one channel and one sample, got ",
                                             x.rows(), "x", x.cols()));
  canon::detail::require_finite(x, where, "x");
}

}  // namespace detail

/// Step 1: zero-phase Butterworth high-pass (sosfiltfilt) at `cutoff_hz`.
template <class S>
Matrix<S> eeg_highpass(const Matrix<S>& x, double fs, double cutoff_hz = 0.5, int order = 5) {
  return sosfiltfilt(butter(order, cutoff_hz, BandType::highpass, fs), x);
}

/// Step 2: zero-phase notch (iirnotch, sosfiltfilt) at the mains frequency.
template <class S>
Matrix<S> eeg_notch(const Matrix<S>& x, double fs, double mains_hz = 50.0, double quality = 30.0) {
  return sosfiltfilt(iirnotch(mains_hz, quality, fs), x);
}

/// Step 3: wavelet artifact removal. For every channel and every level of
/// wavedec(x_c, db8, symmetric) — approximation included — coefficients w with
/// w > mean + k std or w < mean - k std (population std) are set to 0; the channel is
/// rebuilt by waverec and cut to its original length.
template <class S>
Matrix<S> wavelet_artifact_removal(const Matrix<S>& x, double k = 5.0, int wavelet_order = 8,
                                   WaveletMode mode = WaveletMode::symmetric) {
  CANON_REQUIRE_SCALAR(S);
  constexpr std::string_view where = "canon::signal::wavelet_artifact_removal";
  detail::require_eeg(x, where);
  if (!(k > 0.0) || !std::isfinite(k))
    throw value_error(canon::detail::message(where, ": k must be positive and finite, got ", k));
  const Wavelet w = daubechies(wavelet_order);
  Matrix<S> out(x.rows(), x.cols());
  const WaveletTransform<S> prototype = detail::channel_transform<S>(x.cols(), w, mode);
  // One transform per thread, reused for its channels: no allocation inside the loop.
#if defined(_OPENMP)
#pragma omp parallel
#endif
  {
    WaveletTransform<S> t = prototype;
#if defined(_OPENMP)
#pragma omp for schedule(static)
#endif
    for (Index ch = 0; ch < x.rows(); ++ch) {
      t.decompose(x.row(ch));
      for (int i = 0; i < t.count(); ++i) {
        auto level = t.coefficients(i);
        const Index n = level.size();
        const S mean = level.sum() / S(n);
        const S sd = std::sqrt((level.array() - mean).square().sum() / S(n));
        const S hi = mean + S(k) * sd, lo = mean - S(k) * sd;
        for (Index j = 0; j < n; ++j)
          if (level(j) > hi || level(j) < lo) level(j) = S(0);
      }
      t.reconstruct(out.row(ch));
    }
  }
  return out;
}

/// Step 4: scales every channel to [-1, 1]: 2 (x - min) / (max - min) - 1. A constant
/// channel has no range and throws.
template <class S>
Matrix<S> scale_channels(const Matrix<S>& x) {
  CANON_REQUIRE_SCALAR(S);
  constexpr std::string_view where = "canon::signal::scale_channels";
  detail::require_eeg(x, where);
  Matrix<S> out(x.rows(), x.cols());
  for (Index ch = 0; ch < x.rows(); ++ch) {
    const S lo = x.row(ch).minCoeff(), hi = x.row(ch).maxCoeff();
    if (!(hi > lo))
      throw value_error(canon::detail::message(where, ": channel ", ch,
                                               " is constant; expected a channel with max > min"));
    // Same arithmetic as the authors: ((x - min) / max(x - min) - 0.5) * 2.
    out.row(ch) = (((x.row(ch).array() - lo) / (hi - lo)) - S(0.5)) * S(2);
  }
  return out;
}

/// Step 5: wavelet semblance denoising. All channels are decomposed with
/// wavedec(db8, symmetric, max level); at every level (approximation included) and
/// position i the mean resultant length R_i = |sum_c w_ci| / sum_c |w_ci| is computed;
/// where R_i < threshold, w_ci is set to 0 in every channel (R is undefined when all
/// coefficients are 0; nothing changes there). Channels are rebuilt by waverec and cut
/// to their original length.
template <class S>
Matrix<S> wavelet_semblance_denoising(const Matrix<S>& x, double threshold = 0.5, int wavelet_order = 8,
                                      WaveletMode mode = WaveletMode::symmetric) {
  CANON_REQUIRE_SCALAR(S);
  constexpr std::string_view where = "canon::signal::wavelet_semblance_denoising";
  detail::require_eeg(x, where);
  if (!(threshold >= 0.0 && threshold <= 1.0))
    throw value_error(canon::detail::message(where, ": threshold must lie in [0, 1], got ", threshold));
  const Wavelet w = daubechies(wavelet_order);
  const Index channels = x.rows();
  // One transform per channel (all channels' coefficients are needed at once).
  std::vector<WaveletTransform<S>> c(static_cast<std::size_t>(channels),
                                     detail::channel_transform<S>(x.cols(), w, mode));
#if defined(_OPENMP)
#pragma omp parallel for schedule(static)
#endif
  for (Index ch = 0; ch < channels; ++ch) c[static_cast<std::size_t>(ch)].decompose(x.row(ch));
  for (int l = 0; l < c[0].count(); ++l) {
    const Index n = c[0].coefficient_size(l);
    std::vector<S*> level(static_cast<std::size_t>(channels));
    for (Index ch = 0; ch < channels; ++ch) level[std::size_t(ch)] = c[std::size_t(ch)].coefficients(l).data();
    for (Index i = 0; i < n; ++i) {
      S sum(0), abs_sum(0);
      for (Index ch = 0; ch < channels; ++ch) {
        const S v = level[std::size_t(ch)][i];
        sum += v;
        abs_sum += std::abs(v);
      }
      if (abs_sum == S(0)) continue;
      if (std::abs(sum) / abs_sum < S(threshold))
        for (Index ch = 0; ch < channels; ++ch) level[std::size_t(ch)][i] = S(0);
    }
  }
  Matrix<S> out(channels, x.cols());
#if defined(_OPENMP)
#pragma omp parallel for schedule(static)
#endif
  for (Index ch = 0; ch < channels; ++ch) c[static_cast<std::size_t>(ch)].reconstruct(out.row(ch));
  return out;
}

/// The whole cleaning in the paper's order: high-pass, notch, artifact removal, scaling
/// to [-1, 1], semblance denoising. `x` is one stimulus' recording (channels x samples).
template <class S>
Matrix<S> clean_eeg(const Matrix<S>& x, double fs, const EegCleaningOptions& o = {}) {
  Matrix<S> y = eeg_highpass(x, fs, o.highpass_hz, o.highpass_order);
  y = eeg_notch(y, fs, o.mains_hz, o.notch_quality);
  y = wavelet_artifact_removal(y, o.artifact_k, o.wavelet_order, o.mode);
  y = scale_channels(y);
  return wavelet_semblance_denoising(y, o.semblance_threshold, o.wavelet_order, o.mode);
}

/// clean_eeg of any Eigen expression (a block of channels, a recording's rows):
/// evaluated once into a matrix of its own scalar.
template <class Derived, std::enable_if_t<is_eigen_v<Derived>, int> = 0>
Matrix<typename Derived::Scalar> clean_eeg(const Eigen::MatrixBase<Derived>& x, double fs,
                                           const EegCleaningOptions& o = {}) {
  return clean_eeg(Matrix<typename Derived::Scalar>(x), fs, o);
}

}  // namespace canon::signal
