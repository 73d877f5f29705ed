// canon/nn/detail/winograd_conv1d.hpp — the Winograd path of a stride-1 Conv1D.
//
// Per sample, output times are cut into tiles of m, and `chunk` consecutive tiles are
// processed together so that their GEMMs have enough columns (canon/nn/winograd.hpp
// has the algebra). With V_i = (B^T x)_i over the chunk's tiles (C_in x tiles),
// U_i = sum_k G(i, k) W_k (C_out x C_in) and M_i = U_i V_i:
//
//   forward   y_tile(t)  = sum_i A^T(t, i) M_i                    (alpha GEMMs)
//   backward  dM_i       = sum_t A^T(t, i) dy_tile(t)
//             dU_i      += dM_i V_i^T                              (alpha GEMMs)
//             dV_i       = U_i^T dM_i                              (alpha GEMMs)
//             dx(n)     += sum_i B^T(i, n) dV_i    (tiles overlap by r - 1 inputs)
//             dW_k       = sum_i G(i, k) dU_i      (once per batch)
//
// These are the exact gradients of the forward computation, and that computation is
// the convolution; only rounding differs from the direct method. V is recomputed in
// backward rather than stored (it is alpha/m times the input).
//
// Samples come in unpadded. Each chunk copies the stretch of input its tiles read into
// a small window (zeros where the layer pads, and past the end, where the last tile
// reads beyond the signal; the outputs there are dropped), so the transforms read
// from cache. Backward accumulates the input gradient in a window of the same kind and
// writes each time step to dx once, when no later tile can touch it: the r - 1 steps
// a chunk shares with the next are carried over.
#pragma once

#include <algorithm>

#include "canon/core/types.hpp"
#include "canon/nn/winograd.hpp"

namespace canon::detail {

template <class S>
class WinogradConv1D {
 public:
  /// One thread's scratch: the input window and its gradient, transformed inputs,
  /// products, and the thread's partial dU.
  struct Workspace {
    Matrix<S> window;       // C_in x (chunk m + r - 1): the chunk's stretch of padded input
    Matrix<S> window_grad;  // the same stretch of the input gradient
    Matrix<S> transformed;  // C_in x (alpha * chunk): per tile, its V_0 ... V_{alpha-1} columns
    Matrix<S> products;     // C_out x (alpha * chunk): per tile, M_0 ... M_{alpha-1} (then dM)
    Matrix<S> grad_u;       // C_out x (alpha * C_in): partial sum of dU_i
  };

  WinogradConv1D() = default;
  /// A stride-1 correlation of `taps` taps over inputs of `in_length` steps padded by
  /// `pad_left` zeros in front, producing `out_length` outputs, m per tile, `chunk`
  /// tiles at a time.
  WinogradConv1D(Index in_channels, Index in_length, Index pad_left, Index out_channels, Index taps,
                 Index out_length, Index m, Index chunk)
      : cin_(in_channels), in_length_(in_length), pad_left_(pad_left), cout_(out_channels),
        out_length_(out_length) {
    const nn::WinogradTransform t = nn::winograd_transform(m, taps);
    m_ = t.m;
    r_ = t.r;
    alpha_ = t.alpha;
    at_ = t.output.cast<S>();
    g_ = t.kernel.cast<S>();
    bt_ = t.input.cast<S>();
    tiles_ = (out_length + m_ - 1) / m_;
    chunk_ = std::max<Index>(1, std::min(chunk, tiles_));
  }

  Index m() const { return m_; }
  Index chunk_tiles() const { return chunk_; }

  void prepare(Workspace& w, bool backward) const {
    w.window.resize(cin_, chunk_ * m_ + r_ - 1);
    w.transformed.resize(cin_, alpha_ * chunk_);
    w.products.resize(cout_, alpha_ * chunk_);
    if (backward) {
      w.window_grad.resize(cin_, chunk_ * m_ + r_ - 1);
      w.grad_u.setZero(cout_, alpha_ * cin_);
    }
  }

  /// U_i = sum_k G(i, k) W_k, from W = [W_0 ... W_{r-1}] (C_out x r C_in).
  void transform_weights(const Matrix<S>& weight) {
    u_.setZero(cout_, alpha_ * cin_);
    for (Index i = 0; i < alpha_; ++i)
      for (Index k = 0; k < r_; ++k)
        if (g_(i, k) != S(0))
          u_.middleCols(i * cin_, cin_) += g_(i, k) * weight.middleCols(k * cin_, cin_);
  }

  /// dW_k = sum_i G(i, k) dU_i.
  void weight_gradient(const Matrix<S>& grad_u, Matrix<S>& grad_weight) const {
    grad_weight.setZero(cout_, r_ * cin_);
    for (Index k = 0; k < r_; ++k)
      for (Index i = 0; i < alpha_; ++i)
        if (g_(i, k) != S(0))
          grad_weight.middleCols(k * cin_, cin_) += g_(i, k) * grad_u.middleCols(i * cin_, cin_);
  }

  /// Calls f(first tile, tile count) for each chunk of one sample.
  template <class F>
  void for_each_chunk(F&& f) const {
    for (Index tile = 0; tile < tiles_; tile += chunk_) f(tile, std::min(chunk_, tiles_ - tile));
  }
  /// Output times [first, first + count) that a chunk writes.
  Index chunk_first_output(Index tile) const { return tile * m_; }
  Index chunk_outputs(Index tile, Index tiles) const {
    return std::min(tiles * m_, out_length_ - tile * m_);
  }

  /// y (C_out per time step, starting at the chunk's first output) from the input x
  /// of the sample (C_in per time step, unpadded).
  void forward_chunk(const S* x, Index tile, Index tiles, S* y, Workspace& w) const {
    load_window(x, tile, tiles, w);
    transform_input(tiles, w);
    for (Index i = 0; i < alpha_; ++i)
      products(w, i, tiles).noalias() = u_.middleCols(i * cin_, cin_) * transformed(w, i, tiles);
    const Index outputs = chunk_outputs(tile, tiles);
    for (Index j = 0; j < tiles; ++j)  // y(t) = sum_i A^T(t, i) M_i
      mix(at_, std::min(m_, outputs - j * m_), alpha_, w.products.data() + j * alpha_ * cout_, cout_,
          y + j * m_ * cout_, cout_, cout_, false);
  }

  /// Backward of one chunk: dy holds the chunk's output gradient (pre-activation); dx
  /// (the sample's input gradient, unpadded) receives every time step this chunk is
  /// the last to touch. A sample's chunks must come in order, on one workspace.
  void backward_chunk(const S* x, Index tile, Index tiles, const S* dy, S* dx,
                      Workspace& w) const {
    const Index outputs = chunk_outputs(tile, tiles);
    for (Index j = 0; j < tiles; ++j)  // dM_i = sum_t A^T(t, i) dy(t)
      mix(at_.transpose(), alpha_, std::min(m_, outputs - j * m_), dy + j * m_ * cout_, cout_,
          w.products.data() + j * alpha_ * cout_, cout_, cout_, false);
    load_window(x, tile, tiles, w);
    transform_input(tiles, w);
    for (Index i = 0; i < alpha_; ++i) {
      auto v = transformed(w, i, tiles);
      const auto dm = products(w, i, tiles);
      w.grad_u.middleCols(i * cin_, cin_).noalias() += dm * v.transpose();
      v.noalias() = u_.middleCols(i * cin_, cin_).transpose() * dm;  // V_i becomes dV_i
    }
    // The window's gradient: the r - 1 steps carried from the previous chunk, zeros after.
    const Index steps = tiles * m_ + r_ - 1, overlap = r_ - 1;
    if (tile == 0) w.window_grad.leftCols(steps).setZero();
    else w.window_grad.middleCols(overlap, steps - overlap).setZero();
    for (Index j = 0; j < tiles; ++j)  // dx(tile start + n) += sum_i B^T(i, n) dV_i
      mix(bt_.transpose(), alpha_, alpha_, w.transformed.data() + j * alpha_ * cin_, cin_,
          w.window_grad.data() + j * m_ * cin_, cin_, cin_, true);
    const bool last = tile + tiles == tiles_;
    const Index done = last ? steps : steps - overlap;
    for_each_real_step(tile * m_, done, [&](Index q, Index p, Index count) {
      std::copy_n(w.window_grad.data() + p * cin_, count * cin_, dx + q * cin_);
    });
    if (!last) w.window_grad.leftCols(overlap) = w.window_grad.middleCols(done, overlap).eval();
  }

 private:
  // Tile-major storage: tile j's alpha transformed vectors are adjacent, so every
  // transform reads and writes one contiguous run; V_i and M_i are strided views
  // (leading dimension alpha C), valid GEMM operands.
  using Map = Eigen::Map<Matrix<S>, 0, Eigen::OuterStride<>>;

  Map transformed(Workspace& w, Index i, Index tiles) const {
    return Map(w.transformed.data() + i * cin_, cin_, tiles, Eigen::OuterStride<>(alpha_ * cin_));
  }
  Map products(Workspace& w, Index i, Index tiles) const {
    return Map(w.products.data() + i * cout_, cout_, tiles, Eigen::OuterStride<>(alpha_ * cout_));
  }

  /// Calls f(q, p, count) for the runs of real (unpadded) time steps among padded
  /// steps [first, first + steps): q the step in the signal, p its place in the window.
  template <class F>
  void for_each_real_step(Index first, Index steps, F&& f) const {
    const Index q0 = std::max<Index>(first - pad_left_, 0);
    const Index q1 = std::min<Index>(first + steps - pad_left_, in_length_);
    if (q1 > q0) f(q0, q0 + pad_left_ - first, q1 - q0);
  }

  /// The chunk's stretch of padded input: zeros outside the signal, a copy inside.
  void load_window(const S* x, Index tile, Index tiles, Workspace& w) const {
    const Index steps = tiles * m_ + r_ - 1;
    S* window = w.window.data();
    Index filled = 0;
    for_each_real_step(tile * m_, steps, [&](Index q, Index p, Index count) {
      std::fill_n(window, p * cin_, S(0));
      std::copy_n(x + q * cin_, count * cin_, window + p * cin_);
      filled = p + count;
    });
    std::fill(window + filled * cin_, window + steps * cin_, S(0));
  }

  /// V_i(:, j) = sum_n B^T(i, n) window(tile j's start + n), for the chunk's tiles.
  void transform_input(Index tiles, Workspace& w) const {
    for (Index j = 0; j < tiles; ++j)
      mix(bt_, alpha_, alpha_, w.window.data() + j * m_ * cin_, cin_,
          w.transformed.data() + j * alpha_ * cin_, cin_, cin_, false);
  }

  /// out_i = sum_n coef(i, n) in_n (or += when accumulating) for i < outs, n < ins,
  /// over `length` contiguous entries per row; rows sit `in_stride` / `out_stride`
  /// apart. Sixteen entries at a time with the sum held in registers: one pass per
  /// output row instead of a read-modify-write per coefficient.
  template <class Coefficients>
  static void mix(const Coefficients& coef, Index outs, Index ins, const S* in, Index in_stride,
                  S* out, Index out_stride, Index length, bool accumulate) {
    constexpr int block = 16;
    using Block = Eigen::Array<S, block, 1>;
    using BlockMap = Eigen::Map<Block>;
    using ConstBlockMap = Eigen::Map<const Block>;
    const Index whole = length / block * block;
    for (Index c0 = 0; c0 < whole; c0 += block)
      for (Index i = 0; i < outs; ++i) {
        Block sum = coef(i, 0) * ConstBlockMap(in + c0);
        for (Index n = 1; n < ins; ++n) sum += coef(i, n) * ConstBlockMap(in + n * in_stride + c0);
        BlockMap target(out + i * out_stride + c0);
        if (accumulate) target += sum;
        else target = sum;
      }
    for (Index c = whole; c < length; ++c)  // the last few entries, one at a time
      for (Index i = 0; i < outs; ++i) {
        S sum = 0;
        for (Index n = 0; n < ins; ++n) sum += coef(i, n) * in[n * in_stride + c];
        out[i * out_stride + c] = accumulate ? out[i * out_stride + c] + sum : sum;
      }
  }

  Index cin_ = 0, in_length_ = 0, pad_left_ = 0, cout_ = 0, out_length_ = 0, m_ = 0, r_ = 0, alpha_ = 0, tiles_ = 0, chunk_ = 0;
  Matrix<S> at_, g_, bt_;
  Matrix<S> u_;  // [U_0 ... U_{alpha-1}], C_out x (alpha C_in)
};

}  // namespace canon::detail
