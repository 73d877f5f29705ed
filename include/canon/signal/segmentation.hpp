// canon/signal/segmentation.hpp — cutting multichannel signals (channels x samples) into
// fixed windows, and cutting two time-aligned streams at different rates into pairs of
// chunks of the same duration (e.g. 1.5 s of 22050 Hz audio with 1.5 s of 250 Hz EEG:
// pairs of 1 x 33075 and 16 x 375).
#pragma once

#include <cmath>
#include <utility>
#include <vector>

#include "canon/core/checks.hpp"

namespace canon::signal {

/// Windows x.middleCols(m * hop, window) for m = 0 .. (samples - window) / hop; a tail
/// shorter than a window is dropped.
template <class Derived>
std::vector<Matrix<typename Derived::Scalar>> fixed_windows(const Eigen::MatrixBase<Derived>& x,
                                                            Index window, Index hop) {
  using canon::detail::message;
  const char* where = "signal::fixed_windows";
  if (x.rows() < 1 || x.cols() < 1)
    throw value_error(message(where, ": the signal is ", canon::detail::shape_of(x),
                              "; expected at least one channel and one sample (empty channels)"));
  if (window < 1)
    throw value_error(message(where, ": window must be at least 1 sample, got ", window));
  if (hop < 1) throw value_error(message(where, ": hop must be at least 1 sample, got ", hop));
  if (window > x.cols())
    throw value_error(message(where, ": window (", window, " samples) is longer than the signal (",
                              x.cols(), " samples); expected window <= signal length"));
  const Index count = (x.cols() - window) / hop + 1;
  std::vector<Matrix<typename Derived::Scalar>> out;
  out.reserve(std::size_t(count));
  for (Index m = 0; m < count; ++m) out.emplace_back(x.middleCols(m * hop, window));
  return out;
}

struct AlignedChunkOptions {
  double chunk_seconds = 1.5;       ///< duration of every chunk
  double hop_seconds = 0.0;         ///< chunk hop; 0 means chunk_seconds (no overlap)
  double tolerance_seconds = 0.05;  ///< largest accepted difference of the two durations
};

namespace detail {
/// seconds * rate as a whole number of samples; throws unless it is one (a segment of
/// 1.5 s at 22050 Hz is 33075 samples, 0.3 s at 128 Hz is not a whole number).
inline Index whole_samples(double seconds, double rate, const char* where, const char* name) {
  using canon::detail::message;
  const double n = seconds * rate;
  const double r = std::round(n);
  if (!(seconds > 0.0) || !std::isfinite(n) || r < 1.0 || std::abs(n - r) > 1e-9 * std::max(1.0, n))
    throw value_error(message(where, ": ", name, " (", seconds, " s at ", rate,
                              " Hz) must be a positive whole number of samples"));
  return Index(r);
}
}  // namespace detail

/// Pairs (a chunk, b chunk) covering the same time span of two streams that start together:
/// chunk k is a.middleCols(k * hop_a, len_a) with b.middleCols(k * hop_b, len_b), where
/// len = chunk_seconds * rate and hop = hop_seconds * rate must be whole numbers of samples.
/// Throws value_error when the durations a.cols() / rate_a and b.cols() / rate_b differ
/// by more than tolerance_seconds; chunks run while both streams have samples left.
template <class A, class B>
std::vector<std::pair<Matrix<typename A::Scalar>, Matrix<typename B::Scalar>>> aligned_chunks(
    const Eigen::MatrixBase<A>& a, double rate_a, const Eigen::MatrixBase<B>& b, double rate_b,
    const AlignedChunkOptions& o = {}) {
  using canon::detail::message;
  const char* where = "signal::aligned_chunks";
  for (const double rate : {rate_a, rate_b})
    if (!(rate > 0.0) || !std::isfinite(rate))
      throw value_error(message(where, ": rates must be positive finite Hz, got ", rate));
  if (a.rows() < 1 || a.cols() < 1 || b.rows() < 1 || b.cols() < 1)
    throw value_error(message(
        where, ": streams are ", canon::detail::shape_of(a), " and ", canon::detail::shape_of(b),
        "; expected at least one channel and one sample each (empty channels)"));
  if (!(o.tolerance_seconds >= 0.0))
    throw value_error(
        message(where, ": tolerance_seconds must be >= 0, got ", o.tolerance_seconds));
  const double da = double(a.cols()) / rate_a, db = double(b.cols()) / rate_b;
  if (std::abs(da - db) > o.tolerance_seconds)
    throw value_error(
        message(where, ": the streams last ", da, " s (", a.cols(), " samples at ", rate_a,
                " Hz) and ", db, " s (", b.cols(), " samples at ", rate_b,
                " Hz); expected durations within tolerance_seconds = ", o.tolerance_seconds));
  const double hop_s = o.hop_seconds == 0.0 ? o.chunk_seconds : o.hop_seconds;
  const Index la = detail::whole_samples(o.chunk_seconds, rate_a, where, "chunk_seconds");
  const Index lb = detail::whole_samples(o.chunk_seconds, rate_b, where, "chunk_seconds");
  const Index ha = detail::whole_samples(hop_s, rate_a, where, "hop_seconds");
  const Index hb = detail::whole_samples(hop_s, rate_b, where, "hop_seconds");
  if (la > a.cols() || lb > b.cols())
    throw value_error(message(where, ": chunk_seconds = ", o.chunk_seconds,
                              " s is longer than the streams (", da, " s and ", db, " s)"));
  const Index count = std::min((a.cols() - la) / ha, (b.cols() - lb) / hb) + 1;
  std::vector<std::pair<Matrix<typename A::Scalar>, Matrix<typename B::Scalar>>> out;
  out.reserve(std::size_t(count));
  for (Index k = 0; k < count; ++k)
    out.emplace_back(a.middleCols(k * ha, la), b.middleCols(k * hb, lb));
  return out;
}

}  // namespace canon::signal
