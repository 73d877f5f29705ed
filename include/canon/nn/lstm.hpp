// canon/nn/lstm.hpp — long short-term memory (Hochreiter & Schmidhuber 1997, with the
// forget gate of Gers et al. 2000) over whole sequences, as PyTorch's nn.LSTM.
//
//   i, f, g, o = sigmoid, sigmoid, tanh, sigmoid of W_ih x_t + b_ih + W_hh h_{t-1} + b_hh
//   c_t = f * c_{t-1} + i * g,    h_t = o * tanh(c_t)
//
// Sequences follow docs/layer-contract.md ("Sequences"): (F*T) x N input, features
// fastest; per-sample lengths with pack_padded_sequence semantics; caller-owned initial
// state; output every step's h, (H*T) x N, or the last state's h, H x N. Stacked layers
// (options.layers) with inverted dropout between them in train mode. Parameters carry
// PyTorch's names and shapes (weight_ih_l0 4H x F, weight_hh_l0 4H x H, bias_ih_l0,
// bias_hh_l0 4H x 1, gates i, f, g, o), so a state dict loads by name. Equations, BPTT
// and the speed design: docs/recurrent.md; the arithmetic is in detail/lstm_cell.hpp.
#pragma once

#include "canon/nn/detail/lstm_cell.hpp"
#include "canon/nn/detail/recurrent_stack.hpp"
#include "canon/nn/recurrent_state.hpp"

namespace canon::nn {

template <class Scalar>
class LSTM : public detail::RecurrentStack<detail::LstmCell<Scalar>> {
  CANON_REQUIRE_SCALAR(Scalar);
  using Base = detail::RecurrentStack<detail::LstmCell<Scalar>>;

 public:
  /// inputs F -> hidden H. Every weight and bias U(-1/sqrt(H), 1/sqrt(H)), as PyTorch.
  LSTM(Index inputs, Index hidden, Rng& rng, RecurrentOptions options = {})
      : Base("LSTM", inputs, hidden, rng, options, {}) {}
};

}  // namespace canon::nn
