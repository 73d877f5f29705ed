// canon/nn/max_pool1d.hpp — max pooling along time, per channel (PyTorch's MaxPool1d
// without padding, dilation or ceil_mode).
//
//   y[c, t] = max_{k < window} x[c, t*stride + k],   T_out = floor((T - window) / stride) + 1
//
// Backward sends dy[c, t] to the position of the maximum; on ties the first (earliest)
// position wins, as in PyTorch. With overlapping windows (stride < window) gradients
// of windows sharing an argmax add up. Signal layout as in conv1d.hpp: (c, t) at row
// c + t*C, so a window over all channels is a contiguous block of window*C entries.
#pragma once

#include <algorithm>
#include <cstdint>
#include <vector>

#include "canon/core/checks.hpp"
#include "canon/core/detail/parallel_columns.hpp"
#include "canon/core/parameter.hpp"

namespace canon::nn {

template <class Scalar>
class MaxPool1D {
  CANON_REQUIRE_SCALAR(Scalar);

 public:
  using scalar_type = Scalar;

  /// Pools signals of `channels` x `length`; stride 0 means stride = window.
  MaxPool1D(Index channels, Index length, Index window, Index stride = 0)
      : channels_(channels), length_(length), window_(window), stride_(stride == 0 ? window : stride) {
    canon::detail::require_positive(channels, "MaxPool1D", "channels");
    canon::detail::require_positive(length, "MaxPool1D", "length");
    canon::detail::require_positive(window, "MaxPool1D", "window");
    canon::detail::require_positive(stride_, "MaxPool1D", "stride");
    if (window > 256)
      throw value_error(canon::detail::message("MaxPool1D: window ", window,
                                               " exceeds 256, the largest window whose argmax offsets are stored"));
    if (length < window)
      throw value_error(canon::detail::message("MaxPool1D: input length ", length,
                                               " is shorter than the window ", window));
    out_length_ = (length - window) / stride_ + 1;
  }

  Index channels() const { return channels_; }
  Index in_length() const { return length_; }
  Index out_length() const { return out_length_; }
  Index window() const { return window_; }
  Index stride() const { return stride_; }

  const Matrix<Scalar>& forward(const Matrix<Scalar>& x, Mode /*mode*/) {
    canon::detail::require_rows(x, channels_ * length_, "MaxPool1D::forward",
                                "input (channels x length)");
    canon::detail::require_batch(x, 1, "MaxPool1D::forward");
    input_rows_ = x.rows();
    const Index n = x.cols();
    output_.resize(channels_ * out_length_, n);
    argmax_.resize(static_cast<std::size_t>(output_.size()));
    canon::detail::parallel_columns(x.rows(), n, [&](int, Index j0, Index count) {
      // Loop bounds as locals of this body: the 1-byte argmax stores may alias any
      // memory, so bounds read through `this` or the closure would be reloaded on
      // every iteration and the loops would not vectorise.
      const Index window = window_, stride = stride_, out_length = out_length_, rows = output_.rows();
      const Index c = channels_;
      for (Index j = j0; j < j0 + count; ++j) {
        const Scalar* in = x.col(j).data();
        Scalar* out = output_.col(j).data();
        std::uint8_t* arg = argmax_.data() + j * rows;
        for (Index t = 0; t < out_length; ++t) {
                 const Index base = t * stride * c;
                 Scalar* o = out + t * c;
                 std::uint8_t* a = arg + t * c;
                 // Two branch-free passes that vectorise across channels: the maximum, then
                 // the first window position holding it (scanning down, the last write is the
                 // earliest k), which is PyTorch's tie rule. A NaN wins, as in PyTorch: a NaN
                 // that reaches a layer must not vanish (x != x is true only for NaN, and
                 // once o is NaN no comparison replaces it).
                 for (Index ch = 0; ch < c; ++ch) o[ch] = in[base + ch];
                 for (Index k = 1; k < window; ++k) {
                   const Scalar* row = in + base + k * c;
                   for (Index ch = 0; ch < c; ++ch)
                     o[ch] = (row[ch] > o[ch] || row[ch] != row[ch]) ? row[ch] : o[ch];
                 }
                 const Scalar* __restrict top = o;  // no aliasing: lets the byte stores vectorise
                 std::uint8_t* __restrict which = a;
                 for (Index ch = 0; ch < c; ++ch) which[ch] = 0;
                 for (Index k = window - 1; k >= 0; --k) {
                   const Scalar* __restrict row = in + base + k * c;
                   const std::uint8_t kk = std::uint8_t(k);
                   for (Index ch = 0; ch < c; ++ch)
                     which[ch] = (row[ch] == top[ch] || row[ch] != row[ch]) ? kk : which[ch];
                 }
        }
      }
    });
    return output_;
  }
  const Matrix<Scalar>& forward(Matrix<Scalar>&&, Mode) = delete;

  const Matrix<Scalar>& backward(const Matrix<Scalar>& dy) {
    if (input_rows_ == 0) throw error("MaxPool1D::backward called before forward");
    canon::detail::require_same_shape(dy, output_, "MaxPool1D::backward", "output gradient", "output");
    input_grad_.resize(input_rows_, dy.cols());
    backward_into(dy.data(), input_grad_.data());
    return input_grad_;
  }

  /// backward() with caller-owned storage (see Conv1D::backward_into).
  void backward_into(const Scalar* dy, Scalar* dx_all) {
    if (input_rows_ == 0) throw error("MaxPool1D::backward called before forward");
    const Index rows = output_.rows(), cols = output_.cols();
    if (stride_ == window_) {
      // Windows tile the signal: every input step belongs to exactly one window, so
      // dx is written once, branch-free (the gradient where the offset won, else 0),
      // with no zero-fill pass first; only steps past the last window are zeroed.
      canon::detail::parallel_columns(input_rows_, cols, [&](int, Index j0, Index count) {
        for (Index j = j0; j < j0 + count; ++j) {
          const std::uint8_t* arg = argmax_.data() + j * rows;
          Scalar* dx = dx_all + j * input_rows_;
          const Scalar* g = dy + j * rows;
          for (Index t = 0; t < out_length_; ++t) {
                   const std::uint8_t* __restrict a = arg + t * channels_;
                   const Scalar* __restrict gt = g + t * channels_;
                   for (Index k = 0; k < window_; ++k) {
                     Scalar* __restrict d = dx + (t * stride_ + k) * channels_;
                     const auto offset = static_cast<std::uint8_t>(k);
                     for (Index ch = 0; ch < channels_; ++ch) d[ch] = a[ch] == offset ? gt[ch] : Scalar(0);
                   }
          }
          std::fill(dx + out_length_ * stride_ * channels_, dx + input_rows_, Scalar(0));
        }
      });
      return;
    }
    canon::detail::parallel_columns(input_rows_, cols, [&](int, Index j0, Index count) {
      Eigen::Map<Matrix<Scalar>>(dx_all + j0 * input_rows_, input_rows_, count).setZero();
      for (Index j = j0; j < j0 + count; ++j) {
        const std::uint8_t* arg = argmax_.data() + j * rows;
        Scalar* dx = dx_all + j * input_rows_;
        const Scalar* g = dy + j * rows;
        for (Index t = 0; t < out_length_; ++t)
                 for (Index ch = 0; ch < channels_; ++ch) {
                   const Index i = t * channels_ + ch;
                   dx[(t * stride_ + arg[i]) * channels_ + ch] += g[i];
                 }
      }
    });
  }

  template <class Visitor>
  void visit_parameters(Visitor&&) {}
  template <class Visitor>
  void visit_buffers(Visitor&&) {}

 private:
  Index channels_, length_, window_, stride_, out_length_ = 0;
  Index input_rows_ = 0;
  std::vector<std::uint8_t> argmax_;  // the winning offset k inside each window
  Matrix<Scalar> output_;
  Matrix<Scalar> input_grad_;
};

}  // namespace canon::nn
