// canon/nn/detail/lstm_cell.hpp — one LSTM layer in one direction over a whole batch of
// sequences, forward and backpropagation through time. nn/lstm.hpp stacks these.
//
// Gates in PyTorch's order (i, f, g, o), a = W_ih x_t + b_ih + W_hh h_{t-1} + b_hh:
//   i = sigmoid(a_i), f = sigmoid(a_f), g = tanh(a_g), o = sigmoid(a_o)
//   c_t = f * c_{t-1} + i * g,   h_t = o * tanh(c_t)
// Backward, with dh = dL/dh_t (from the output and from step t+1) and dc likewise:
//   dc += dh * o * (1 - tanh^2 c_t)
//   da_o = dh * tanh(c_t) * o(1-o),   da_i = dc * g * i(1-i)
//   da_f = dc * c_{t-1} * f(1-f),     da_g = dc * i * (1 - g^2)
//   dc_{t-1} = dc * f,                dh_{t-1} = W_hh^T da
// and after the time loop, over all steps at once (single GEMMs):
//   dW_ih = dA X^T,  dW_hh = dA Hprev^T,  db_ih = db_hh = dA 1,  dX = W_ih^T dA.
//
// Internal layout is step-major: column t*N + n is (step t, sample n), so a step is one
// contiguous block of N columns and the input projection of all steps is one GEMM. A
// padded (step, sample) carries the state unchanged and gets a zero gate gradient, so
// nothing of the padding reaches any output or gradient.
// With OpenMP the time loop splits the batch among threads (for_each_sample_part):
// samples are independent through time, so no thread waits for another inside it.
#pragma once

#include <cmath>
#include <string>
#include <vector>

#include "canon/core/parameter.hpp"
#include "canon/core/rng.hpp"
#include "canon/nn/detail/recurrent_cell.hpp"
#include "canon/nn/recurrent_state.hpp"

namespace canon::detail {

template <class Scalar>
class LstmCell : public RecurrentCell<Scalar> {
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
  static constexpr bool has_cell_state = true;
  static constexpr Index gate_count = 4;
  struct Options {};  // nothing beyond RecurrentOptions

  LstmCell(Index inputs, Index hidden, Index layer, bool reverse, Rng& rng, Options = {})
      : Base(inputs, hidden, 4, layer, reverse, rng) {}

  /// x: inputs x (T*N) step-major. h0, c0: H x N, or null for zeros.
  void forward(const Scalar* x, const SequenceBatch& b, const Scalar* h0, const Scalar* c0) {
    const Index h = hidden_, n = b.samples, steps = b.steps, g4 = 4 * h;
    x_ = x;
    batch_ = &b;
    gates_.resize(g4, steps * n);
    states_.resize(h, (steps + 1) * n);
    cells_.resize(h, (steps + 1) * n);
    tanh_cells_.resize(h, steps * n);
    // The input projection of every step of every sample: one GEMM, both biases folded in.
    gates_.noalias() = w_ih_.value * ConstMap(x, inputs_, steps * n);
    bias_ = b_ih_.value.col(0) + b_hh_.value.col(0);
    gates_.colwise() += bias_;
    set_block(states_, initial_block(steps), n, h0);
    set_block(cells_, initial_block(steps), n, c0);
    for_each_sample_part(g4 * h * n, n, [&](Index j0, Index cols) {
      for (Index k = 0; k < steps; ++k) {
        const Index t = reverse_ ? steps - 1 - k : k;
        const Index prev = previous_block(t), out = output_block(t);
        auto a = block(gates_, t, n).middleCols(j0, cols);
        a.noalias() += w_hh_.value * block(states_, prev, n).middleCols(j0, cols);  // 4 gates, one product
        for (Index j = j0; j < j0 + cols; ++j) {
          auto hp = states_.col(prev * n + j), cp = cells_.col(prev * n + j);
          auto ht = states_.col(out * n + j), ct = cells_.col(out * n + j);
          if (!b.is_active(t, j)) {  // padding: carry the state through
            ht = hp;
            ct = cp;
            continue;
          }
          auto col = gates_.col(t * n + j);
          auto i = col.segment(0, h).array(), f = col.segment(h, h).array();
          auto g = col.segment(2 * h, h).array(), o = col.segment(3 * h, h).array();
          i = sigmoid(i);
          f = sigmoid(f);
          g = g.tanh();
          o = sigmoid(o);
          ct.array() = f * cp.array() + i * g;
          auto tc = tanh_cells_.col(t * n + j).array();
          tc = ct.array().tanh();
          ht.array() = o * tc;
        }
      }
    });
  }

  /// dh_out: H x (T*N) step-major gradient of the outputs h_t (null: none; padded
  /// columns are ignored). dh_last, dc_last: H x N gradients of the final state (null:
  /// zero). dx: inputs x (T*N) step-major, or null. Writes dh0, dc0 (H x N) and the
  /// parameter gradients.
  void backward(const Scalar* dh_out, const Scalar* dh_last, const Scalar* dc_last, Scalar* dx) {
    const SequenceBatch& b = *batch_;
    const Index h = hidden_, n = b.samples, steps = b.steps, g4 = 4 * h;
    dgates_.resize(g4, steps * n);
    dh_.resize(h, n);
    dc_.resize(h, n);
    if (dh_last) dh_ = ConstMap(dh_last, h, n);
    else dh_.setZero();
    if (dc_last) dc_ = ConstMap(dc_last, h, n);
    else dc_.setZero();
    for_each_sample_part(g4 * h * n, n, [&](Index j0, Index cols) {
      for (Index k = 0; k < steps; ++k) {
        const Index t = reverse_ ? k : steps - 1 - k;
        const Index prev = previous_block(t);
        auto da = block(dgates_, t, n).middleCols(j0, cols);
        for (Index j = j0; j < j0 + cols; ++j) {
          auto d = dgates_.col(t * n + j);
          if (!b.is_active(t, j)) {  // padding: zero gate gradient, state gradient carried
            d.setZero();
            continue;
          }
          auto dh = dh_.col(j).array();
          auto dc = dc_.col(j).array();
          if (dh_out) dh += ConstMap(dh_out + (t * n + j) * h, h, 1).array();
          const auto col = gates_.col(t * n + j);
          const auto i = col.segment(0, h).array(), f = col.segment(h, h).array();
          const auto g = col.segment(2 * h, h).array(), o = col.segment(3 * h, h).array();
          const auto tc = tanh_cells_.col(t * n + j).array();
          const auto cp = cells_.col(prev * n + j).array();
          dc += dh * o * (Scalar(1) - tc.square());
          d.segment(3 * h, h).array() = dh * tc * o * (Scalar(1) - o);
          d.segment(0, h).array() = dc * g * i * (Scalar(1) - i);
          d.segment(h, h).array() = dc * cp * f * (Scalar(1) - f);
          d.segment(2 * h, h).array() = dc * i * (Scalar(1) - g.square());
          dc *= f;
          dh.setZero();  // dh_{t-1} of an active sample is W_hh^T da alone
        }
        // padded columns: da = 0, so their dh is kept
        dh_.middleCols(j0, cols).noalias() += w_hh_.value.transpose() * da;
      }
    });
    // Everything that does not recur: single GEMMs over all steps.
    const ConstMap x(x_, inputs_, steps * n);
    sum_of_products(w_ih_.grad, dgates_, x, partials_);
    sum_of_products(w_hh_.grad, dgates_, ConstMap(states_.data() + first_previous_block() * n * h, h, steps * n), partials_);
    b_ih_.grad.col(0).noalias() = dgates_.rowwise().sum();
    b_hh_.grad = b_ih_.grad;
    if (dx) Map(dx, inputs_, steps * n).noalias() = w_ih_.value.transpose() * dgates_;
  }

  /// The cell state after each sample's own last step, H x N.
  const Scalar* final_c() const { return cells_.data() + final_block() * batch_->samples * hidden_; }
  const Matrix<Scalar>& initial_c_gradient() const { return dc_; }

 private:
  // State blocks as in recurrent_cell.hpp; cells_ follows the same order.
  Matrix<Scalar> cells_;       // H x (T+1)N: c_0 and every c_t
  Matrix<Scalar> tanh_cells_;  // H x TN: tanh(c_t), kept for backward
  Matrix<Scalar> dc_;          // H x N carry; after backward dL/dc_0 (dh_ in the base)
};

}  // namespace canon::detail
