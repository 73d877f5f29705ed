// canon/signal/differential_entropy.hpp — differential-entropy (DE) band features of EEG
// (Avramidis et al. 2022, after Duan et al. 2013).
//
// A Gaussian X ~ N(mu, sigma^2) has differential entropy h = 0.5 log(2 pi e sigma^2).
//
// differential_entropy() follows the paper: the trial (channels x samples) is cut into
// segments of 3 s with a 1 s hop (58 segments for 60 s); each segment is split into
// 1 s non-overlapping windows (3 per segment) tapered by the periodic Hann window; in
// every window and band sigma^2 is the band variance of stft.hpp,
//   sigma^2 = 1 / (N sum(w^2)) * sum_{k: lo <= f_k < hi} c_k |X_k|^2,
// (Parseval: the window-compensated power of the band-limited part of the window), and
// h = 0.5 log(2 pi e sigma^2). Bands: theta [4, 7), alpha [7, 13), beta [13, 30),
// gamma [31, 50) Hz, half-open so that no bin is counted twice. Output per segment:
// channels x (bands x windows), column b * windows + j (band-major, as the authors'
// reshape). A band with zero power (a flat channel) gives -infinity.
//
// authors_differential_entropy() is the variant in the authors' released code
// (klean2050/EEG_CrossModal, preprocess.py process_DEAP_DE), see docs/signal-spectral.md:
// each band-filtered signal (their filter: scipy butter(5, band, 'bandpass', fs) and
// filtfilt over the whole trial, bands 2-4, 4-7, 7-15, 15-23 Hz) goes through
// scipy.signal.stft(fs=fs, window='hann', nperseg=fs, noverlap=0) (boundary zeros,
// padded, 'spectrum' scaling), the first frame (centred at t = 0) is dropped, and every
// remaining frame gives -0.5 log(mean over all bins of |Z|^2); segments take `windows`
// consecutive frames with a hop of one frame.
#pragma once

#include <cmath>
#include <vector>

#include "canon/core/constants.hpp"
#include "canon/signal/iir.hpp"
#include "canon/signal/segmentation.hpp"
#include "canon/signal/stft.hpp"

namespace canon::signal {

struct DifferentialEntropyOptions {
  double fs = 128.0;             ///< sampling rate, Hz
  double segment_seconds = 3.0;  ///< segment length
  double hop_seconds = 1.0;      ///< segment hop (a multiple of window_seconds)
  double window_seconds = 1.0;   ///< Hann window length inside a segment
  std::vector<Band> bands{{4.0, 7.0}, {7.0, 13.0}, {13.0, 30.0}, {31.0, 50.0}};
};


/// DE features of one trial (channels x samples): one matrix channels x (bands x windows)
/// per segment.
template <class Requested = void, class Derived, class S = scalar_or_t<Requested, Derived>>
std::vector<Matrix<S>> differential_entropy(const Eigen::MatrixBase<Derived>& x,
                                            const DifferentialEntropyOptions& o = {}) {
  CANON_REQUIRE_SCALAR(S);
  using canon::detail::message;
  const char* where = "signal::differential_entropy";
  if (!(o.fs > 0.0) || !std::isfinite(o.fs))
    throw value_error(message(where, ": fs must be a positive finite rate in Hz, got ", o.fs));
  const Index nw = detail::whole_samples(o.window_seconds, o.fs, where, "window_seconds");
  const Index ns = detail::whole_samples(o.segment_seconds, o.fs, where, "segment_seconds");
  const Index nh = detail::whole_samples(o.hop_seconds, o.fs, where, "hop_seconds");
  if (ns % nw != 0)
    throw value_error(message(where, ": segment_seconds (", o.segment_seconds,
                              ") must be a whole number of windows of ", o.window_seconds, " s"));
  if (nh % nw != 0)
    throw value_error(message(where, ": hop_seconds (", o.hop_seconds,
                              ") must be a whole number of windows of ", o.window_seconds, " s"));
  detail::require_signal(x, where);
  if (x.cols() < ns)
    throw value_error(message(where, ": the segment (", ns, " samples) is longer than the ",
                              "signal (", x.cols(), " samples); expected at least one segment"));
  // Every segment's windows lie on one grid of non-overlapping windows over the trial.
  StftOptions w;
  w.fs = o.fs;
  w.nperseg = nw;
  w.noverlap = 0;
  w.boundary = StftBoundary::none;
  w.padded = false;
  const auto variance = band_variance<S>(x, w, o.bands);  // [band](channel, window)
  const Index windows = ns / nw;
  const Index segments = (x.cols() - ns) / nh + 1;
  const Index bands = Index(o.bands.size());
  const S log_2pie = S(std::log(2.0 * pi * std::exp(1.0)));
  std::vector<Matrix<S>> out(std::size_t(segments), Matrix<S>(x.rows(), bands * windows));
  for (Index s = 0; s < segments; ++s)
    for (Index b = 0; b < bands; ++b)
      for (Index j = 0; j < windows; ++j)
        for (Index c = 0; c < x.rows(); ++c)
          out[std::size_t(s)](c, b * windows + j) =
              S(0.5) * (log_2pie + std::log(variance[std::size_t(b)](c, s * (nh / nw) + j)));
  return out;
}

/// The authors' released-code variant (see the file comment). band_filtered[b] is the
/// trial (channels x samples) after their band-pass filter for band b; `fs` must be a
/// whole number (nperseg = fs, 1 s frames). Returns one matrix channels x
/// (bands x windows) per segment, column b * windows + j.
template <class S>
std::vector<Matrix<S>> authors_differential_entropy(const std::vector<Matrix<S>>& band_filtered,
                                                    double fs, Index windows = 3) {
  CANON_REQUIRE_SCALAR(S);
  using canon::detail::message;
  const char* where = "signal::authors_differential_entropy";
  if (band_filtered.empty())
    throw value_error(message(where, ": band_filtered is empty; expected one signal per band"));
  if (windows < 1) throw value_error(message(where, ": windows must be at least 1, got ", windows));
  const Index nw = detail::whole_samples(1.0, fs, where, "fs (one second)");
  StftOptions o;
  o.fs = fs;
  o.nperseg = nw;
  o.noverlap = 0;
  const Index channels = band_filtered[0].rows();
  std::vector<Matrix<S>> feats;  // [band](channel, frame), first frame dropped
  for (std::size_t b = 0; b < band_filtered.size(); ++b) {
    if (band_filtered[b].rows() != channels || band_filtered[b].cols() != band_filtered[0].cols())
      throw shape_error(message(where, ": band ", b, " is ",
                                canon::detail::shape_of(band_filtered[b]), " but band 0 is ",
                                canon::detail::shape_of(band_filtered[0]),
                                "; expected every band to have the same shape"));
    const auto power = power_spectrogram<S>(band_filtered[b], o);
    const Index frames = power[0].cols() - 1;
    if (frames < windows)
      throw value_error(message(where, ": the signal gives ", frames, " frames after the ",
                                "first; expected at least windows = ", windows));
    Matrix<S> f(channels, frames);
    for (Index c = 0; c < channels; ++c)
      for (Index m = 0; m < frames; ++m)
        f(c, m) = S(-0.5) * std::log(power[std::size_t(c)].col(m + 1).mean());
    feats.push_back(std::move(f));
  }
  const Index frames = feats[0].cols();
  const Index segments = frames - windows + 1;
  const Index bands = Index(feats.size());
  std::vector<Matrix<S>> out(std::size_t(segments), Matrix<S>(channels, bands * windows));
  for (Index s = 0; s < segments; ++s)
    for (Index b = 0; b < bands; ++b)
      for (Index j = 0; j < windows; ++j)
        out[std::size_t(s)].col(b * windows + j) = feats[std::size_t(b)].col(s + j);
  return out;
}

/// The authors' variant from the raw trial: each band is band-passed with a 5th-order
/// Butterworth filter run forward and backward, then passed to
/// authors_differential_entropy. Their code uses scipy's butter + filtfilt on (b, a);
/// canon uses second-order sections with sosfiltfilt, which pads the edges differently,
/// so the first and last ~33 samples of each filtered band (their padlen) can differ.
template <class S>
std::vector<Matrix<S>> authors_differential_entropy_from_trial(
    const Matrix<S>& trial, double fs, Index windows = 3,
    const std::vector<std::pair<double, double>>& bands = {{2, 4}, {4, 7}, {7, 15}, {15, 23}}) {
  std::vector<Matrix<S>> filtered;
  filtered.reserve(bands.size());
  for (const auto& [lo, hi] : bands)
    filtered.push_back(sosfiltfilt(butter(5, {lo, hi}, BandType::bandpass, fs), trial));
  return authors_differential_entropy(filtered, fs, windows);
}

}  // namespace canon::signal
