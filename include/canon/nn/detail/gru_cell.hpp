// canon/nn/detail/gru_cell.hpp — one GRU layer in one direction over a whole batch of
// sequences, forward and backpropagation through time. nn/gru.hpp stacks these.
//
// Gates in PyTorch's order (r, z, n), a = W_ih x_t + b_ih, with W_h* the rows of W_hh:
//   r = sigmoid(a_r + W_hr h + b_hr),  z = sigmoid(a_z + W_hz h + b_hz)
//   reset after  (PyTorch, cuDNN, Keras reset_after=True):
//     n = tanh(a_n + r * (W_hn h + b_hn))
//   reset before (Cho et al. 2014, Keras reset_after=False, mlpack):
//     n = tanh(a_n + W_hn (r * h) + b_hn)
//   h_t = (1 - z) * n + z * h_{t-1}
// Backward, dh = dL/dh_t:  da_n = dh (1-z)(1-n^2),  da_z = dh (h_{t-1} - n) z(1-z),
//   after:  da_r = da_n (W_hn h + b_hn) r(1-r); the recurrent product's gradient is
//           [da_r; da_z; r da_n], dh_{t-1} = dh z + W_hh^T [da_r; da_z; r da_n]
//   before: g = W_hn^T da_n, da_r = g h_{t-1} r(1-r),
//           dh_{t-1} = dh z + g r + W_h{r,z}^T [da_r; da_z]
// and after the loop single GEMMs: dW_ih = dA X^T, dW_hh = dA_h Hprev^T (before: the n
// rows against (r * h) instead of h), db = row sums, dX = W_ih^T dA.
// Layout, padding and threads as in lstm_cell.hpp: step-major, padded steps carry the
// state, the batch split among threads inside the time loop.
#pragma once

#include <cmath>
#include <string>
#include <vector>

#include "canon/core/parameter.hpp"
#include "canon/core/rng.hpp"
#include "canon/nn/detail/recurrent_cell.hpp"
#include "canon/nn/recurrent_state.hpp"

namespace canon::nn {

/// Where a GRU applies its reset gate (see nn/gru.hpp).
enum class GruReset { after, before };

}  // namespace canon::nn

namespace canon::detail {

template <class Scalar>
class GruCell : public RecurrentCell<Scalar> {
  using Base = RecurrentCell<Scalar>;
  using typename Base::ConstMap;
  using typename Base::Map;
  using Base::inputs_;
  using Base::hidden_;
  using Base::reverse_;
  using Base::w_ih_;
  using Base::w_hh_;
  using Base::b_ih_;
  using Base::b_hh_;
  using Base::x_;
  using Base::batch_;
  using Base::bias_;
  using Base::gates_;
  using Base::states_;
  using Base::dgates_;
  using Base::dh_;
  using Base::partials_;
  using Base::block;
  using Base::set_block;
  using Base::initial_block;
  using Base::previous_block;
  using Base::output_block;
  using Base::first_previous_block;
  using Base::final_block;

 public:
  using scalar_type = Scalar;
  static constexpr bool has_cell_state = false;
  static constexpr Index gate_count = 3;
  struct Options {
    nn::GruReset reset = nn::GruReset::after;
  };

  GruCell(Index inputs, Index hidden, Index layer, bool reverse, Rng& rng, Options options = {})
      : Base(inputs, hidden, 3, layer, reverse, rng),
        after_(options.reset == nn::GruReset::after) {}

  nn::GruReset reset() const { return after_ ? nn::GruReset::after : nn::GruReset::before; }

  void forward(const Scalar* x, const SequenceBatch& b, const Scalar* h0, const Scalar*) {
    const Index h = hidden_, n = b.samples, steps = b.steps, g3 = 3 * h;
    x_ = x;
    batch_ = &b;
    gates_.resize(g3, steps * n);
    states_.resize(h, (steps + 1) * n);
    kept_.resize(h, steps * n);
    gates_.noalias() = w_ih_.value * ConstMap(x, inputs_, steps * n);  // every step at once
    // b_hr and b_hz are plain sums; b_hn joins a_n outside r only for reset-before.
    bias_ = b_ih_.value.col(0) + b_hh_.value.col(0);
    if (after_) bias_.segment(2 * h, h) = b_ih_.value.col(0).segment(2 * h, h);
    gates_.colwise() += bias_;
    if (h0) block(states_, initial_block(steps), n) = ConstMap(h0, h, n);
    else block(states_, initial_block(steps), n).setZero();
    const auto b_hn = b_hh_.value.col(0).segment(2 * h, h).array();
    recurrent_.resize(g3, n);
    for_each_sample_part(g3 * h * n, n, [&](Index j0, Index cols) {
      for (Index k = 0; k < steps; ++k) {
        const Index t = reverse_ ? steps - 1 - k : k;
        const Index prev = previous_block(t), out = output_block(t);
        const auto hp_all = block(states_, prev, n).middleCols(j0, cols);
        auto rec = recurrent_.middleCols(j0, cols);
        if (after_) rec.noalias() = w_hh_.value * hp_all;  // the 3 gates in one product
        else rec.topRows(2 * h).noalias() = w_hh_.value.topRows(2 * h) * hp_all;
        for (Index j = j0; j < j0 + cols; ++j) {
          auto ht = states_.col(out * n + j);
          auto kept = kept_.col(t * n + j).array();
          const auto hp = states_.col(prev * n + j).array();
          if (!b.is_active(t, j)) {  // padding: carry the state through
            ht = states_.col(prev * n + j);
            kept.setZero();  // read by the weight-gradient GEMM (reset-before)
            continue;
          }
          auto col = gates_.col(t * n + j);
          auto r = col.segment(0, h).array(), z = col.segment(h, h).array();
          const auto gh = recurrent_.col(j).array();
          r = sigmoid(r + gh.segment(0, h));
          z = sigmoid(z + gh.segment(h, h));
          if (after_) {
            kept = gh.segment(2 * h, h) + b_hn;  // W_hn h + b_hn, needed for da_r
            auto nn = col.segment(2 * h, h).array();
            nn = (nn + r * kept).tanh();
            ht.array() = nn + z * (hp - nn);
          } else {
            kept = r * hp;  // r * h, the operand of W_hn
          }
        }
        if (after_) continue;
        rec.bottomRows(h).noalias() = w_hh_.value.bottomRows(h) * block(kept_, t, n).middleCols(j0, cols);
        for (Index j = j0; j < j0 + cols; ++j) {
          if (!b.is_active(t, j)) continue;
          auto col = gates_.col(t * n + j);
          auto nn = col.segment(2 * h, h).array();
          const auto z = col.segment(h, h).array();
          nn = (nn + recurrent_.col(j).segment(2 * h, h).array()).tanh();
          states_.col(out * n + j).array() = nn + z * (states_.col(prev * n + j).array() - nn);
        }
      }
    });
  }

  void backward(const Scalar* dh_out, const Scalar* dh_last, const Scalar*, Scalar* dx) {
    const SequenceBatch& b = *batch_;
    const Index h = hidden_, n = b.samples, steps = b.steps, g3 = 3 * h;
    // dgates_: gradient of the recurrent product's pre-activations (after) or of all
    // pre-activations (before); dgates_n_: the n rows of the input projection (after).
    dgates_.resize(g3, steps * n);
    if (after_) dgates_n_.resize(h, steps * n);
    dh_.resize(h, n);
    if (dh_last) dh_ = ConstMap(dh_last, h, n);
    else dh_.setZero();
    if (!after_) drh_.resize(h, n);
    for_each_sample_part(g3 * h * n, n, [&](Index j0, Index cols) {
      for (Index k = 0; k < steps; ++k) {
        const Index t = reverse_ ? k : steps - 1 - k;
        const Index prev = previous_block(t);
        auto da = block(dgates_, t, n).middleCols(j0, cols);
        for (Index j = j0; j < j0 + cols; ++j) {
          auto d = dgates_.col(t * n + j);
          if (!b.is_active(t, j)) {
            d.setZero();
            if (after_) dgates_n_.col(t * n + j).setZero();
            continue;
          }
          auto dh = dh_.col(j).array();
          if (dh_out) dh += ConstMap(dh_out + (t * n + j) * h, h, 1).array();
          const auto col = gates_.col(t * n + j);
          const auto r = col.segment(0, h).array(), z = col.segment(h, h).array();
          const auto nn = col.segment(2 * h, h).array();
          const auto hp = states_.col(prev * n + j).array();
          auto dan = d.segment(2 * h, h).array();
          dan = dh * (Scalar(1) - z) * (Scalar(1) - nn.square());
          d.segment(h, h).array() = dh * (hp - nn) * z * (Scalar(1) - z);
          if (after_) {
            const auto kept = kept_.col(t * n + j).array();
            dgates_n_.col(t * n + j).array() = dan;
            d.segment(0, h).array() = dan * kept * r * (Scalar(1) - r);
            dan *= r;  // the recurrent product's n rows see r * da_n
          }
          dh *= z;  // the direct path h_{t-1} -> h_t
        }
        auto dh_part = dh_.middleCols(j0, cols);
        if (after_) {
          dh_part.noalias() += w_hh_.value.transpose() * da;  // padded columns: da = 0
          continue;
        }
        auto drh = drh_.middleCols(j0, cols);
        drh.noalias() = w_hh_.value.bottomRows(h).transpose() * da.bottomRows(h);
        for (Index j = j0; j < j0 + cols; ++j) {
          if (!b.is_active(t, j)) continue;
          const auto r = gates_.col(t * n + j).segment(0, h).array();
          const auto g = drh_.col(j).array();
          dgates_.col(t * n + j).segment(0, h).array() = g * states_.col(prev * n + j).array() * r * (Scalar(1) - r);
          dh_.col(j).array() += g * r;
        }
        dh_part.noalias() += w_hh_.value.topRows(2 * h).transpose() * da.topRows(2 * h);
      }
    });
    const ConstMap x(x_, inputs_, steps * n);
    const ConstMap hprev(states_.data() + first_previous_block() * n * h, h, steps * n);
    if (after_) {
      sum_of_products(w_hh_.grad, dgates_, hprev, partials_);
      b_hh_.grad.col(0).noalias() = dgates_.rowwise().sum();
      sum_of_products(w_ih_.grad.topRows(2 * h), dgates_.topRows(2 * h), x, partials_);
      sum_of_products(w_ih_.grad.bottomRows(h), dgates_n_, x, partials_);
      b_ih_.grad.col(0).segment(0, 2 * h) = b_hh_.grad.col(0).segment(0, 2 * h);
      b_ih_.grad.col(0).segment(2 * h, h).noalias() = dgates_n_.rowwise().sum();
      if (dx) {
        Map dxm(dx, inputs_, steps * n);
        dxm.noalias() = w_ih_.value.topRows(2 * h).transpose() * dgates_.topRows(2 * h);
        dxm.noalias() += w_ih_.value.bottomRows(h).transpose() * dgates_n_;
      }
    } else {
      sum_of_products(w_ih_.grad, dgates_, x, partials_);
      sum_of_products(w_hh_.grad.topRows(2 * h), dgates_.topRows(2 * h), hprev, partials_);
      sum_of_products(w_hh_.grad.bottomRows(h), dgates_.bottomRows(h), kept_, partials_);
      b_ih_.grad.col(0).noalias() = dgates_.rowwise().sum();
      b_hh_.grad = b_ih_.grad;
      if (dx) Map(dx, inputs_, steps * n).noalias() = w_ih_.value.transpose() * dgates_;
    }
  }

  const Scalar* final_c() const { return nullptr; }
  const Matrix<Scalar>& initial_c_gradient() const { return empty_; }

 private:
  // State blocks as in recurrent_cell.hpp; gates_ holds r, z, n.
  bool after_;                // reset gate after the recurrent product (PyTorch)
  Matrix<Scalar> kept_;       // H x TN: W_hn h + b_hn (after) or r * h (before)
  Matrix<Scalar> recurrent_;  // 3H x N: this step's W_hh product
  Matrix<Scalar> dgates_n_, drh_;
  Matrix<Scalar> empty_;      // the (absent) cell-state gradient
};

}  // namespace canon::detail
