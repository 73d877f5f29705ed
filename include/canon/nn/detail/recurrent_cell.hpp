// canon/nn/detail/recurrent_cell.hpp — what the LSTM and GRU cells (lstm_cell.hpp,
// gru_cell.hpp) share: PyTorch's four tensors for G gates and their default
// initialisation, the step-major state blocks and their order for either direction, and
// the workspaces every cell keeps. A cell derives from it and adds its gate maths.
//
// State blocks: states_ is H x (T+1)N, block b the H x N states between steps. Forward in
// time block 0 is h_0 and block t+1 follows step t; in reverse the initial state is block
// T and step t writes block t, so the outputs of steps 0..T-1 are always one contiguous
// H x TN run (outputs()).
#pragma once

#include <cmath>
#include <string>
#include <vector>

#include "canon/core/parameter.hpp"
#include "canon/core/rng.hpp"
#include "canon/nn/recurrent_state.hpp"

namespace canon::detail {

template <class Scalar>
class RecurrentCell {
 public:
  using scalar_type = Scalar;

  Index inputs() const { return inputs_; }
  Index hidden() const { return hidden_; }

  /// h of steps 0..T-1, H x TN step-major.
  const Scalar* outputs() const { return states_.data() + (reverse_ ? 0 : batch_->samples * hidden_); }
  /// The state after each sample's own last step (block after the loop), H x N.
  const Scalar* final_h() const { return states_.data() + final_block() * batch_->samples * hidden_; }
  const Matrix<Scalar>& initial_h_gradient() const { return dh_; }

  template <class Visitor>
  void visit_parameters(Visitor&& visit) {
    visit(w_ih_);
    visit(w_hh_);
    visit(b_ih_);
    visit(b_hh_);
  }

 protected:
  using Map = Eigen::Map<Matrix<Scalar>>;
  using ConstMap = Eigen::Map<const Matrix<Scalar>>;

  /// gates: 4 (LSTM) or 3 (GRU). PyTorch's names ("weight_ih_l0_reverse") and default
  /// initialisation: every tensor U(-1/sqrt(H), 1/sqrt(H)), drawn in this order.
  RecurrentCell(Index inputs, Index hidden, Index gates, Index layer, bool reverse, Rng& rng)
      : inputs_(inputs), hidden_(hidden), reverse_(reverse) {
    // Sizes are checked before anything is allocated (a typo'd 10^9 must not end in bad_alloc).
    require_parameter_size(gates * hidden, inputs, "recurrent layer", "gates x hidden", "inputs");
    require_parameter_size(gates * hidden, hidden, "recurrent layer", "gates x hidden", "hidden");
    const std::string s = layer_suffix(layer, reverse);
    w_ih_ = Parameter<Scalar>(gates * hidden, inputs, "weight_ih" + s);
    w_hh_ = Parameter<Scalar>(gates * hidden, hidden, "weight_hh" + s);
    b_ih_ = Parameter<Scalar>(gates * hidden, 1, "bias_ih" + s);
    b_hh_ = Parameter<Scalar>(gates * hidden, 1, "bias_hh" + s);
    const double bound = 1.0 / std::sqrt(double(hidden));
    for (Parameter<Scalar>* p : {&w_ih_, &w_hh_, &b_ih_, &b_hh_}) fill_uniform(p->value, rng, -bound, bound);
  }

  static Map block(Matrix<Scalar>& m, Index index, Index n) {
    return Map(m.data() + index * n * m.rows(), m.rows(), n);
  }
  /// Block `index` of m set from H x N values, or to zeros when `from` is null.
  static void set_block(Matrix<Scalar>& m, Index index, Index n, const Scalar* from) {
    if (from) block(m, index, n) = ConstMap(from, m.rows(), n);
    else block(m, index, n).setZero();
  }
  Index initial_block(Index steps) const { return reverse_ ? steps : 0; }
  Index previous_block(Index t) const { return reverse_ ? t + 1 : t; }
  Index output_block(Index t) const { return reverse_ ? t : t + 1; }
  Index first_previous_block() const { return reverse_ ? 1 : 0; }
  Index final_block() const { return reverse_ ? 0 : batch_->steps; }

  Index inputs_, hidden_;
  bool reverse_;
  Parameter<Scalar> w_ih_, w_hh_, b_ih_, b_hh_;
  const Scalar* x_ = nullptr;
  const SequenceBatch* batch_ = nullptr;
  Vector<Scalar> bias_;                   // b_ih + b_hh (as the cell folds them)
  Matrix<Scalar> gates_;                  // G x TN: pre-activations, then activations
  Matrix<Scalar> states_;                 // H x (T+1)N: every state block
  Matrix<Scalar> dgates_;                 // G x TN
  Matrix<Scalar> dh_;                     // H x N carry; after backward dL/dh_0
  std::vector<Matrix<Scalar>> partials_;  // per-thread weight-gradient sums
};

}  // namespace canon::detail
