// canon/nn/gru.hpp — gated recurrent unit (Cho et al. 2014) over whole sequences.
//
//   r = sigmoid(W_ir x + b_ir + W_hr h + b_hr),  z = sigmoid(W_iz x + b_iz + W_hz h + b_hz)
//   GruReset::after  (default; PyTorch nn.GRU, cuDNN, Keras reset_after=True):
//     n = tanh(W_in x + b_in + r * (W_hn h + b_hn))
//   GruReset::before (Cho et al.'s original; Keras reset_after=False, mlpack):
//     n = tanh(W_in x + b_in + W_hn (r * h) + b_hn)
//   h_t = (1 - z) * n + z * h_{t-1}
//
// Everything else as nn/lstm.hpp: the sequence contract of docs/layer-contract.md,
// stacking with dropout, PyTorch's names and shapes (weight_ih_l0 3H x F, weight_hh_l0
// 3H x H, bias_ih_l0, bias_hh_l0 3H x 1, gates r, z, n). A GRU has no cell state: the
// `c` of every RecurrentState it takes or gives is empty. Equations: docs/recurrent.md.
#pragma once

#include "canon/nn/detail/gru_cell.hpp"
#include "canon/nn/detail/recurrent_stack.hpp"
#include "canon/nn/recurrent_state.hpp"

namespace canon::nn {

template <class Scalar>
class GRU : public detail::RecurrentStack<detail::GruCell<Scalar>> {
  CANON_REQUIRE_SCALAR(Scalar);
  using Base = detail::RecurrentStack<detail::GruCell<Scalar>>;

 public:
  /// inputs F -> hidden H. Every weight and bias U(-1/sqrt(H), 1/sqrt(H)), as PyTorch.
  GRU(Index inputs, Index hidden, Rng& rng, RecurrentOptions options = {},
      GruReset reset = GruReset::after)
      : Base("GRU", inputs, hidden, rng, options, {reset}) {}

  GruReset reset() { return this->cell(0).reset(); }
};

}  // namespace canon::nn
