// canon/nn/conv1d.hpp — 1-D convolution over a batch of multichannel signals.
//
// Layout (docs/layer-contract-signals.md): one column per sample; a column holds the
// sample's C x T signal column-major, so (channel c, time t) sits at row c + t*C.
// The patch that output time t sees, input times t*s - pl ... t*s - pl + K - 1 over all
// channels, is then the contiguous run of K*C_in entries starting at (t*s - pl)*C_in,
// and the im2col matrix P_n of one sample is a view with outer stride s*C_in:
//
//   Y_n = W P_n + b 1^T        W: C_out x (K C_in),  P_n: (K C_in) x T_out,  Y_n: C_out x T_out
//   dW  = sum_n dY_n P_n^T,    db = sum_n dY_n 1,    dP_n = W^T dY_n
//   dX_n: patch row k*C_in + c of column t adds onto channel c at padded time t*s + k
//         (col2im), then the padding is dropped
//
// Weight layout: W(o, k*C_in + c) = torch_weight[o, c, k], i.e. torch's (out, in, K)
// tensor permuted to (out, K, in) and flattened (torch: w.permute(0, 2, 1).reshape(out, -1)).
//
// Padding: 'valid' uses none, T_out = floor((T - K) / s) + 1. 'same' is TensorFlow's rule,
// which for stride 1 is PyTorch's padding='same': T_out = ceil(T / s), total padding
// max((T_out - 1) s + K - T, 0), the left side getting the smaller half. The paper's
// conv-3-3-128 on 33075 samples gives 11025 outputs with no padding at all.
//
// Execution paths, same products up to rounding:
//   short outputs (T_out < 128): the patches of the whole batch are gathered into one
//     im2col matrix and one GEMM runs, because a GEMM with a handful of columns cannot
//     reuse W from cache; the backward scatters W^T dY back (col2im).
//   long outputs, stride 1 and 2 to 5 taps: Winograd F(m, r) per sample
//     (canon/nn/winograd.hpp, detail/winograd_conv1d.hpp), unless direct is asked for.
//   other long outputs: per sample and per tile of output times, K GEMMs, one per tap:
//     Y_tile += W_k X_k with W_k the C_out x C_in block of tap k and X_k the C_in x tile
//     view of the (zero-padded, when needed) input at time offset k, stride s*C_in. No
//     im2col copy, and every view is a valid BLAS operand (the im2col view itself, whose
//     columns overlap, is not). The backward accumulates W_k^T dY the same way.
// All scratch is kept in the layer and reused while the batch size stays fixed.
#pragma once

#include <algorithm>
#include <string>
#include <vector>

#ifdef _OPENMP
#include <omp.h>
#define CANON_CONV1D_OMP(directive) _Pragma(directive)
#else
#define CANON_CONV1D_OMP(directive)
#endif

#include "canon/core/checks.hpp"
#include "canon/core/detail/parallel_columns.hpp"
#include "canon/core/parameter.hpp"
#include "canon/core/rng.hpp"
#include "canon/nn/detail/winograd_conv1d.hpp"
#include "canon/nn/init.hpp"

namespace canon::nn {

enum class Padding { same, valid };

/// How a Conv1D computes. `direct`: one GEMM per kernel tap (or one im2col GEMM for
/// short outputs). `winograd`: F(m, r) minimal filtering (canon/nn/winograd.hpp) for
/// stride 1, 2 to 5 taps and at least 128 outputs: F(4, 3) does half the
/// multiplications of the direct method, F(4, 5) 0.4 of them. `automatic` (the
/// default) takes Winograd wherever it applies. Results agree with direct to rounding:
/// in float about 1e-6 relative against 2e-7 for direct (docs/layer-contract-signals.md).
enum class ConvAlgorithm { automatic, direct, winograd };

/// Output length and padding of a convolution (or pooling) along time.
struct ConvGeometry {
  Index output_length = 0;
  Index pad_left = 0;
  Index pad_right = 0;
};

/// The geometry rules stated above; throws value_error when no output is produced.
inline ConvGeometry conv_geometry(Index length, Index width, Index stride, Padding padding,
                                  std::string_view where) {
  ConvGeometry g;
  if (padding == Padding::same) {
    g.output_length = (length + stride - 1) / stride;
    const Index total = std::max<Index>((g.output_length - 1) * stride + width - length, 0);
    g.pad_left = total / 2;
    g.pad_right = total - g.pad_left;
  } else {
    if (length < width)
      throw value_error(canon::detail::message(where, ": input length ", length,
                                               " is shorter than the kernel width ", width,
                                               " ('valid' padding needs length >= width)"));
    g.output_length = (length - width) / stride + 1;
  }
  return g;
}

template <class Scalar>
class Conv1D {
  CANON_REQUIRE_SCALAR(Scalar);

 public:
  using scalar_type = Scalar;

  /// A convolution of signals with `in_channels` channels and `in_length` time steps.
  /// Initialisation fans are those of PyTorch: fan_in = C_in K, fan_out = C_out K.
  Conv1D(Index in_channels, Index in_length, Index out_channels, Index width, Index stride,
         Padding padding, Rng& rng, Init init = Init::he_uniform, bool with_bias = true)
      : in_channels_(in_channels),
        in_length_(in_length),
        out_channels_(out_channels),
        width_(width),
        stride_(stride) {
    canon::detail::require_positive(in_channels, "Conv1D", "in_channels");
    canon::detail::require_positive(in_length, "Conv1D", "in_length");
    canon::detail::require_positive(out_channels, "Conv1D", "out_channels");
    canon::detail::require_positive(width, "Conv1D", "width");
    canon::detail::require_positive(stride, "Conv1D", "stride");
    if (in_channels > canon::detail::max_parameter_values / width)
      throw value_error(canon::detail::message("Conv1D: width x in_channels = ", width, " x ", in_channels,
                                               " exceeds the limit of ", canon::detail::max_parameter_values));
    canon::detail::require_parameter_size(out_channels, width * in_channels, "Conv1D", "out_channels",
                                          "width x in_channels");
    geometry_ = conv_geometry(in_length, width, stride, padding, "Conv1D");
    weight_ = Parameter<Scalar>(out_channels, width * in_channels, "weight");
    if (with_bias) bias_ = Parameter<Scalar>(out_channels, 1, "bias");
    with_bias_ = with_bias;
    initialise(weight_.value, in_channels * width, out_channels * width, init, rng);
    choose_algorithm();
  }

  Index in_channels() const { return in_channels_; }
  Index in_length() const { return in_length_; }
  Index out_channels() const { return out_channels_; }
  Index out_length() const { return geometry_.output_length; }
  Index width() const { return width_; }
  Index stride() const { return stride_; }
  const ConvGeometry& geometry() const { return geometry_; }

  const Matrix<Scalar>& forward(const Matrix<Scalar>& x, Mode /*mode*/) {
    canon::detail::require_rows(x, in_channels_ * in_length_, "Conv1D::forward",
                                "input (channels x length)");
    canon::detail::require_batch(x, 1, "Conv1D::forward");
    input_ = &x;
    const Index n = x.cols(), to = out_length();
    output_.resize(out_channels_ * to, n);
    if (batched()) {
      gather(x);
      Map y(output_.data(), out_channels_, to * n);
      y.noalias() = weight_.value * columns_;
    } else {
      const int threads = thread_count(n);
      if (work_.size() < static_cast<std::size_t>(threads)) work_.resize(threads);
      if (winograd_on_) {
        winograd_.transform_weights(weight_.value);
        for (int t = 0; t < threads; ++t) winograd_.prepare(work_[static_cast<std::size_t>(t)].winograd, false);
      }
CANON_CONV1D_OMP("omp parallel for schedule(static) num_threads(threads) if (threads > 1)")
      for (Index j = 0; j < n; ++j) {
        Workspace& w = work_[static_cast<std::size_t>(thread_id())];
        if (winograd_on_) {
          winograd_.for_each_chunk([&](Index tile, Index tiles) {
            Scalar* y0 = output_.col(j).data() + winograd_.chunk_first_output(tile) * out_channels_;
            winograd_.forward_chunk(x.col(j).data(), tile, tiles, y0, w.winograd);
            Map y(y0, out_channels_, winograd_.chunk_outputs(tile, tiles));
            finish(y);
          });
          continue;
        }
        const Scalar* src = source(x, j, w);
        for_each_tile([&](Index t0, Index len) {
          Map y(output_.col(j).data() + t0 * out_channels_, out_channels_, len);
          for (Index k = 0; k < width_; ++k) {
            const auto w_k = weight_.value.middleCols(k * in_channels_, in_channels_);
            if (k == 0) y.noalias() = w_k * shifted(src, k, t0, len);
            else y.noalias() += w_k * shifted(src, k, t0, len);
          }
          finish(y);  // bias and ReLU while the tile is in cache
        });
      }
    }
    if (batched()) {
      canon::detail::parallel_columns(output_.rows(), n, [&](int, Index j0, Index count) {
        Map y(output_.col(j0).data(), out_channels_, to * count);
        finish(y);
      });
    }
    return output_;
  }
  const Matrix<Scalar>& forward(Matrix<Scalar>&&, Mode) = delete;

  const Matrix<Scalar>& backward(const Matrix<Scalar>& dy) {
    if (input_ == nullptr) throw error("Conv1D::backward called before forward");
    canon::detail::require_shape(dy, out_channels_ * out_length(), input_->cols(), "Conv1D::backward",
                                 "output gradient");
    input_grad_.resize(input_->rows(), input_->cols());
    backward_into(dy.data(), input_grad_.data());
    return input_grad_;
  }

  /// backward() with caller-owned storage: dy holds the output gradient (the shape of
  /// the last forward's output), dx receives dL/dx (the input's shape). Containers use
  /// it to share gradient buffers along a chain of layers.
  void backward_into(const Scalar* dy, Scalar* dx) {
    if (input_ == nullptr) throw error("Conv1D::backward called before forward");
    const Matrix<Scalar>& x = *input_;
    const Index n = x.cols(), to = out_length(), kc = width_ * in_channels_;
    const Index out_rows = out_channels_ * to;
    if (batched()) {
      // With ReLU fused, the gradient of the pre-activation: dy where y > 0, else 0.
      ConstMap dy_raw(dy, out_channels_, to * n);
      if (relu_) {
        masked_.resize(out_channels_, to * n);
        masked_ = (ConstMap(output_.data(), out_channels_, to * n).array() > Scalar(0))
                      .select(dy_raw, Scalar(0));
      }
      ConstMap dy_all(relu_ ? masked_.data() : dy, out_channels_, to * n);
      if (with_bias_) bias_.grad.col(0).noalias() = dy_all.rowwise().sum();
      weight_.grad.noalias() = dy_all * columns_.transpose();
      column_grad_.resize(kc, to * n);
      column_grad_.noalias() = weight_.value.transpose() * dy_all;
      for (Index j = 0; j < n; ++j) scatter(column_grad_.middleCols(j * to, to), dx + j * x.rows(), work_[0]);
    } else {
      // The samples are cut into `threads` fixed parts, [n p / P, n (p + 1) / P); each
      // part sums the weight gradient of its own samples and the partial sums are added
      // in part order, so results depend on the thread count asked for, not on how many
      // threads the runtime grants (core/threads.hpp).
      const int threads = thread_count(n);
      if (work_.size() < static_cast<std::size_t>(threads)) work_.resize(threads);
      for (int t = 0; t < threads; ++t) {
        Workspace& w = work_[static_cast<std::size_t>(t)];
        if (winograd_on_) winograd_.prepare(w.winograd, true);
        else w.weight_grad.setZero(out_channels_, kc);
        w.bias_grad.setZero(out_channels_);
        w.masked.resize(out_channels_ * max_tile_outputs());
      }
CANON_CONV1D_OMP("omp parallel for schedule(static) num_threads(threads) if (threads > 1)")
      for (int part = 0; part < threads; ++part) {
        Workspace& w = work_[static_cast<std::size_t>(part)];
        // The gradient of the pre-activation over output times [t0, t0 + len), with the
        // fused ReLU's mask applied while the tile is in cache; its bias gradient too.
        auto tile_gradient = [&](Index j, Index t0, Index len) {
          const Index at = j * out_rows + t0 * out_channels_;
          const Scalar* g = dy + at;
          if (relu_) {
            Map(w.masked.data(), out_channels_, len) =
                (ConstMap(output_.data() + at, out_channels_, len).array() > Scalar(0))
                    .select(ConstMap(dy + at, out_channels_, len), Scalar(0));
            g = w.masked.data();
          }
          if (with_bias_) w.bias_grad.noalias() += ConstMap(g, out_channels_, len).rowwise().sum();
          return g;
        };
        for (Index j = n * part / threads; j < n * (part + 1) / threads; ++j) {
          if (winograd_on_) {
            winograd_.for_each_chunk([&](Index tile, Index tiles) {
              const Scalar* g = tile_gradient(j, winograd_.chunk_first_output(tile),
                                              winograd_.chunk_outputs(tile, tiles));
              winograd_.backward_chunk(x.col(j).data(), tile, tiles, g, dx + j * x.rows(), w.winograd);
            });
            continue;
          }
          const Scalar* src = source(x, j, w);
          // dX (padded) accumulates W_k^T dY at time offset k: the col2im sum done by
          // the GEMMs themselves, in K steps per tile.
          Vector<Scalar>& padded_grad = w.padded_grad;
          padded_grad.setZero(in_channels_ * padded_length());
          for_each_tile([&](Index t0, Index len) {
            ConstMap dy_j(tile_gradient(j, t0, len), out_channels_, len);
            for (Index k = 0; k < width_; ++k) {
              w.weight_grad.middleCols(k * in_channels_, in_channels_).noalias() +=
                  dy_j * shifted(src, k, t0, len).transpose();
              shifted_mutable(padded_grad.data(), k, t0, len).noalias() +=
                  weight_.value.middleCols(k * in_channels_, in_channels_).transpose() * dy_j;
            }
          });
          Eigen::Map<Vector<Scalar>>(dx + j * x.rows(), x.rows()) =
              padded_grad.segment(geometry_.pad_left * in_channels_, in_length_ * in_channels_);
        }
      }
      if (winograd_on_) {
        Matrix<Scalar>& grad_u = work_[0].winograd.grad_u;
        for (int t = 1; t < threads; ++t) grad_u += work_[static_cast<std::size_t>(t)].winograd.grad_u;
        winograd_.weight_gradient(grad_u, weight_.grad);
      } else {
        weight_.grad = work_[0].weight_grad;
        for (int t = 1; t < threads; ++t) weight_.grad += work_[static_cast<std::size_t>(t)].weight_grad;
      }
      if (with_bias_) {
        bias_.grad.col(0) = work_[0].bias_grad;
        for (int t = 1; t < threads; ++t) bias_.grad.col(0) += work_[static_cast<std::size_t>(t)].bias_grad;
      }
    }
  }

  /// Fuses a ReLU into the layer: y = max(W * patches + b, 0). Backward masks the
  /// output gradient by y > 0 (PyTorch's ReLU derivative, 0 at the kink) tile by tile,
  /// so no separate activation layer keeps a copy of the output.
  void fuse_relu(bool on) { relu_ = on; }
  bool relu_fused() const { return relu_; }

  /// Long outputs: run samples on separate threads (default, when OpenMP is on) or
  /// one sample at a time with Eigen's threaded GEMM. Results agree to rounding.
  void set_parallel_over_samples(bool on) {
    parallel_samples_ = on;
    choose_algorithm();
  }

  /// Direct or Winograd (see ConvAlgorithm); asking for Winograd where it does not
  /// apply throws. `chunk_outputs` (0: the default) sets how many output times the
  /// Winograd path transforms at once, `winograd_m` (0: the default for the width, see
  /// choose_algorithm) the outputs per tile (m + taps - 1 <= 10; larger tiles save more
  /// and round worse).
  void set_algorithm(ConvAlgorithm algorithm, Index chunk_outputs = 0, Index winograd_m = 0) {
    if (algorithm == ConvAlgorithm::winograd && !winograd_applies())
      throw value_error(canon::detail::message(
          "Conv1D::set_algorithm: Winograd needs stride 1, 2 to 5 taps and at least 128 outputs (this layer: stride ",
          stride_, ", ", width_, " taps, ", out_length(), " outputs)"));
    algorithm_ = algorithm;
    chunk_outputs_ = chunk_outputs;
    winograd_m_ = winograd_m;
    choose_algorithm();
  }
  ConvAlgorithm algorithm() const { return winograd_on_ ? ConvAlgorithm::winograd : ConvAlgorithm::direct; }

  template <class Visitor>
  void visit_parameters(Visitor&& visit) {
    visit(weight_);
    if (with_bias_) visit(bias_);
  }
  template <class Visitor>
  void visit_buffers(Visitor&&) {}

  Parameter<Scalar>& weight() { return weight_; }
  Parameter<Scalar>& bias() { return bias_; }

 private:
  // Scratch of one thread: the padded sample and its gradient, a masked output-gradient
  // tile, the partial weight and bias gradients (per-sample path), and the Winograd
  // path's windows and transformed tiles.
  struct Workspace {
    Vector<Scalar> padded, padded_grad, masked;
    Matrix<Scalar> weight_grad;
    Vector<Scalar> bias_grad;
    typename canon::detail::WinogradConv1D<Scalar>::Workspace winograd;
  };

  bool winograd_applies() const {
    return stride_ == 1 && width_ >= 2 && width_ <= 5 && !batched();
  }
  void choose_algorithm() {
    winograd_on_ = algorithm_ != ConvAlgorithm::direct && winograd_applies();
    if (!winograd_on_) return;
    // Default tiles: F(5, 2) and F(4, 3) (alpha = 6: points 0, +-1, +-2, infinity),
    // F(5, 4) and F(4, 5) (alpha = 8: also +-1/2); measured on the Raposo layers, the
    // larger tile pays for 5 taps (0.75x the time of F(2, 5)) but not for 3.
    const Index m = winograd_m_ > 0 ? winograd_m_ : (width_ <= 3 ? 7 - width_ : 9 - width_);
    const Index chunk = chunk_outputs_ > 0 ? chunk_outputs_ : tile_outputs();
    winograd_ = canon::detail::WinogradConv1D<Scalar>(in_channels_, in_length_, geometry_.pad_left, out_channels_,
                                                      width_, out_length(), m, std::max<Index>(1, chunk / m));
  }
  /// Output times per tile of the direct path.
  Index tile_outputs() const {
    return parallel_samples_ ? std::max<Index>(128, (Index(1) << 17) / out_channels_) : out_length();
  }
  /// The most output times one backward tile (direct) or chunk (Winograd) covers.
  Index max_tile_outputs() const {
    return winograd_on_ ? winograd_.chunk_tiles() * winograd_.m() : std::min(tile_outputs(), out_length());
  }

  /// Threads for the per-sample path: OpenMP over samples (each GEMM then runs on one
  /// thread; Eigen does not nest) unless switched off, when Eigen threads each GEMM.
  int thread_count(Index samples) const {
#ifdef _OPENMP
    if (parallel_samples_) return static_cast<int>(std::min<Index>(omp_get_max_threads(), samples));
#endif
    (void)samples;
    return 1;
  }
  static int thread_id() {
#ifdef _OPENMP
    return omp_get_thread_num();
#else
    return 0;
#endif
  }

  using Map = Eigen::Map<Matrix<Scalar>>;
  using ConstMap = Eigen::Map<const Matrix<Scalar>>;
  using StridedMap = Eigen::Map<const Matrix<Scalar>, 0, Eigen::OuterStride<>>;
  using StridedMutableMap = Eigen::Map<Matrix<Scalar>, 0, Eigen::OuterStride<>>;

  Index padded_length() const {
    return in_length_ + geometry_.pad_left + geometry_.pad_right;
  }
  bool padded() const { return geometry_.pad_left + geometry_.pad_right > 0; }
  bool batched() const { return out_length() < 128; }

  /// Start of sample j's padded signal: the input column itself when there is no
  /// padding, otherwise a copy with zeros on both sides (the zeros are written once).
  const Scalar* source(const Matrix<Scalar>& x, Index j, Workspace& w) const {
    if (!padded()) return x.col(j).data();
    const Index c = in_channels_;
    if (w.padded.size() != c * padded_length()) w.padded.setZero(c * padded_length());
    w.padded.segment(geometry_.pad_left * c, in_length_ * c) = x.col(j);
    return w.padded.data();
  }

  /// The im2col matrix of one padded sample, as a view (no copy).
  StridedMap patches(const Scalar* start) const {
    return StridedMap(start, width_ * in_channels_, out_length(),
                      Eigen::OuterStride<>(stride_ * in_channels_));
  }

  /// y = W * patches + b, then max(y, 0) when ReLU is fused.
  void finish(Map& y) const {
    if (with_bias_) y.colwise() += bias_.value.col(0);
    if (relu_) y = y.cwiseMax(Scalar(0));
  }

  /// Input times t*s + k of every output time t in [t0, t0 + len), all channels: the
  /// C_in x len view that kernel tap k multiplies. Its column stride s*C_in is at least
  /// its C_in rows, so the view is a valid BLAS operand (the overlapping im2col view
  /// above is not: BLAS rejects a leading dimension below the row count, which matters
  /// when Eigen routes products to BLAS with canon::openblas).
  StridedMap shifted(const Scalar* start, Index k, Index t0, Index len) const {
    return StridedMap(start + (t0 * stride_ + k) * in_channels_, in_channels_, len,
                      Eigen::OuterStride<>(stride_ * in_channels_));
  }
  StridedMutableMap shifted_mutable(Scalar* start, Index k, Index t0, Index len) const {
    return StridedMutableMap(start + (t0 * stride_ + k) * in_channels_, in_channels_, len,
                             Eigen::OuterStride<>(stride_ * in_channels_));
  }

  /// Output times in tiles whose C_out x tile block stays in L2 while the K taps
  /// accumulate into it (one tile when each GEMM is threaded instead: threads need
  /// large products).
  template <class F>
  void for_each_tile(F&& f) const {
    const Index tile = tile_outputs();
    for (Index t0 = 0; t0 < out_length(); t0 += tile) f(t0, std::min(tile, out_length() - t0));
  }

  /// Copies every sample's patches into columns_ (short outputs only).
  void gather(const Matrix<Scalar>& x) {
    const Index n = x.cols(), to = out_length();
    columns_.resize(width_ * in_channels_, to * n);
    if (work_.empty()) work_.resize(1);
    for (Index j = 0; j < n; ++j) columns_.middleCols(j * to, to) = patches(source(x, j, work_[0]));
  }

  /// col2im: adds the patch gradients of sample j back onto time steps, then drops
  /// the padding. Patch row k*C + c of column t lands on padded time t*s + k.
  template <class Derived>
  void scatter(const Eigen::MatrixBase<Derived>& column_grad, Scalar* dx_column, Workspace& w) {
    const Index c = in_channels_, to = out_length();
    Vector<Scalar>& padded_grad = w.padded_grad;
    padded_grad.setZero(c * padded_length());
    for (Index k = 0; k < width_; ++k) {
      StridedMutableMap target(padded_grad.data() + k * c, c, to,
                               Eigen::OuterStride<>(stride_ * c));
      target += column_grad.middleRows(k * c, c);
    }
    Eigen::Map<Vector<Scalar>>(dx_column, in_length_ * c) = padded_grad.segment(geometry_.pad_left * c, in_length_ * c);
  }

  Index in_channels_, in_length_, out_channels_, width_, stride_;
  ConvGeometry geometry_;
  Parameter<Scalar> weight_;
  Parameter<Scalar> bias_;
  bool with_bias_ = true;
  const Matrix<Scalar>* input_ = nullptr;
  Matrix<Scalar> output_;
  Matrix<Scalar> input_grad_;
  Matrix<Scalar> columns_;
  Matrix<Scalar> column_grad_, masked_;
  bool relu_ = false;
  std::vector<Workspace> work_;  // one per thread
  bool parallel_samples_ = true;
  ConvAlgorithm algorithm_ = ConvAlgorithm::automatic;
  Index chunk_outputs_ = 0, winograd_m_ = 0;
  bool winograd_on_ = false;
  canon::detail::WinogradConv1D<Scalar> winograd_;
};

}  // namespace canon::nn
