// canon/signal/wavelet_transform.hpp — a multilevel DWT that owns its memory.
//
// wavedec/waverec allocate a vector per level and per call. On machines where the first
// write to fresh memory is slow (page faults; 0.6 GB/s on canon's development machines)
// that allocation cost more than the arithmetic: 32 channels x 60 min at 128 Hz ran at
// 0.12x PyWavelets' speed. A WaveletTransform is built once for (wavelet, mode, signal
// length, level); it holds every coefficient in one buffer and all scratch, and
// decompose/reconstruct never allocate again. Keep one per thread and reuse it for
// every channel and every recording of that length.
//
// The arithmetic is that of wavedec/waverec (the same per-level kernels), so results are
// identical to them bit for bit and match PyWavelets to rounding (docs/signal-filters.md).
// Coefficients are in pywt's order: coefficients(0) = cA_L, coefficients(1) = cD_L, ...,
// coefficients(L) = cD_1; modify them in place between decompose and reconstruct.
#pragma once

#include <vector>

#include "canon/signal/wavelets.hpp"

namespace canon::signal {

template <class S>
class WaveletTransform {
  CANON_REQUIRE_SCALAR(S);

 public:
  /// level < 0 means dwt_max_level(length, taps); deeper levels throw (as wavedec).
  WaveletTransform(Wavelet wavelet, WaveletMode mode, Index length, int level = -1)
      : wavelet_(std::move(wavelet)), mode_(mode), length_(length) {
    constexpr std::string_view where = "canon::signal::WaveletTransform";
    if (length < 1)
      throw shape_error(canon::detail::message(where, ": length must be at least one sample, got ", length));
    const int max_level = dwt_max_level(length, wavelet_.length());
    if (level < 0) level = max_level;
    if (level > max_level)
      throw value_error(canon::detail::message(
          where, ": level must lie in [0, ", max_level, "] for ", length, " samples and ", wavelet_.name,
          " (", wavelet_.length(), " taps; dwt_max_level = floor(log2(samples / (taps - 1)))), got ", level));
    level_ = level;
    // sizes_[l] = samples entering level l + 1 (sizes_[0] = length); coefficient i of
    // pywt's list has sizes_[level] (i = 0) or sizes_[level - i + 1] entries.
    sizes_.push_back(length);
    for (int l = 0; l < level; ++l) sizes_.push_back(dwt_coeff_length(sizes_.back(), wavelet_.length(), mode));
    Index offset = 0;
    for (int i = 0; i <= level; ++i) {
      offsets_.push_back(offset);
      offset += coefficient_size(i);
    }
    coefficients_.setZero(offset);
    ping_.setZero(length + 2);
    pong_.setZero(length + 2);
    // Touch the scratch once at full size so that no call grows it later.
    const Index widest = sizes_.size() > 1 ? sizes_[1] : 1;
    detail::grow(widest + wavelet_.length() / 2 + 1, scratch_.even);
    detail::grow(widest + wavelet_.length() / 2 + 1, scratch_.odd);
    detail::grow(widest + wavelet_.length(), scratch_.padded_a);
    detail::grow(widest + wavelet_.length(), scratch_.padded_d);
    scratch_.even.setZero();
    scratch_.odd.setZero();
    scratch_.padded_a.setZero();
    scratch_.padded_d.setZero();
    scratch_.lo.reserve(std::size_t(wavelet_.length()));
    scratch_.hi.reserve(std::size_t(wavelet_.length()));
  }

  Index length() const { return length_; }
  int level() const { return level_; }
  const Wavelet& wavelet() const { return wavelet_; }
  WaveletMode mode() const { return mode_; }
  /// Number of coefficient arrays: level + 1.
  int count() const { return level_ + 1; }

  Index coefficient_size(int i) const {
    check_index(i);
    return i == 0 ? sizes_[std::size_t(level_)] : sizes_[std::size_t(level_ - i + 1)];
  }
  Eigen::Map<Vector<S>> coefficients(int i) {
    return Eigen::Map<Vector<S>>(coefficients_.data() + offsets_[std::size_t(check_index(i))], coefficient_size(i));
  }
  Eigen::Map<const Vector<S>> coefficients(int i) const {
    return Eigen::Map<const Vector<S>>(coefficients_.data() + offsets_[std::size_t(check_index(i))],
                                       coefficient_size(i));
  }

  /// Decomposes `length` samples (a vector, or a row or column of a matrix).
  template <class Derived>
  void decompose(const Eigen::MatrixBase<Derived>& x) {
    constexpr std::string_view where = "canon::signal::WaveletTransform::decompose";
    if (x.size() != length_ || (x.rows() != 1 && x.cols() != 1))
      throw shape_error(canon::detail::message(where, ": expected a vector of ", length_, " samples, got ",
                                                 canon::detail::shape_of(x)));
    ping_.head(length_) = x.derived().reshaped();  // contiguous copy (a matrix row is strided)
    canon::detail::require_finite(ping_.head(length_), where, "x");
    const S* input = ping_.data();
    for (int l = 0; l < level_; ++l) {
      const int detail_index = level_ - l;  // cD of level l + 1
      S* ca = l + 1 == level_ ? coefficients(0).data() : (input == ping_.data() ? pong_.data() : ping_.data());
      detail::dwt_step(input, sizes_[std::size_t(l)], wavelet_, mode_, ca, coefficients(detail_index).data(),
                       scratch_);
      input = ca;
    }
    if (level_ == 0) coefficients(0) = ping_.head(length_);
  }

  /// Rebuilds the signal from the (possibly modified) coefficients; writes `length`
  /// samples (waverec's result cut to the original length).
  template <class Derived>
  void reconstruct(Eigen::MatrixBase<Derived> const& out_const) {
    auto& out = const_cast<Eigen::MatrixBase<Derived>&>(out_const);  // Eigen's idiom for writable expressions
    constexpr std::string_view where = "canon::signal::WaveletTransform::reconstruct";
    if (out.size() != length_ || (out.rows() != 1 && out.cols() != 1))
      throw shape_error(canon::detail::message(where, ": expected room for ", length_, " samples, got ",
                                                 canon::detail::shape_of(out)));
    const S* a = coefficients(0).data();
    Index a_size = coefficient_size(0);
    S* target = ping_.data();
    for (int i = 1; i <= level_; ++i) {
      const Index n = coefficient_size(i);
      if (a_size != n && a_size != n + 1)  // pywt trims an approximation one longer
        throw shape_error(canon::detail::message(where, ": approximation of ", a_size,
                                                 " against detail of ", n, " at level ", level_ - i + 1));
      detail::idwt_step(a, coefficients(i).data(), n, wavelet_, mode_, target, scratch_);
      a = target;
      a_size = detail::idwt_length(n, wavelet_.length(), mode_);
      target = target == ping_.data() ? pong_.data() : ping_.data();
    }
    if (a_size < length_)
      throw shape_error(canon::detail::message(where, ": the coefficients rebuild ", a_size,
                                               " samples, fewer than ", length_));
    out.derived().reshaped() = Eigen::Map<const Vector<S>>(a, length_);
  }

 private:
  int check_index(int i) const {
    if (i < 0 || i > level_)
      throw value_error(canon::detail::message("canon::signal::WaveletTransform: coefficient index ", i,
                                               " outside [0, ", level_, "]"));
    return i;
  }

  Wavelet wavelet_;
  WaveletMode mode_;
  Index length_;
  int level_ = 0;
  std::vector<Index> sizes_, offsets_;
  Vector<S> coefficients_, ping_, pong_;
  detail::WaveletScratch<S> scratch_;
};

}  // namespace canon::signal
