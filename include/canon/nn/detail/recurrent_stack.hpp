// canon/nn/detail/recurrent_stack.hpp — what LSTM and GRU share: stacked layers of one
// cell type with dropout between them, the sequence contract of docs/layer-contract.md
// (lengths, caller-owned state, sequence or last-state output, backward(dy, d_last)),
// and the conversion between the caller's sample-major layout, x(f + t*F, n), and the
// step-major one the cells compute in (column t*N + n).
#pragma once

#include <string>
#include <utility>
#include <vector>

#include "canon/core/checks.hpp"
#include "canon/core/detail/parallel_columns.hpp"
#include "canon/core/parameter.hpp"
#include "canon/core/rng.hpp"
#include "canon/nn/detail/mask_stream.hpp"
#include "canon/nn/recurrent_state.hpp"

namespace canon::detail {

template <class Cell>
class RecurrentStack {
 public:
  using Scalar = typename Cell::scalar_type;
  using scalar_type = Scalar;
  using State = nn::RecurrentState<Scalar>;

  /// Deeper stacks are a corrupt argument, not a model (the cells are allocated up front).
  static constexpr Index max_recurrent_layers = 1024;

  RecurrentStack(const char* kind, Index inputs, Index hidden, Rng& rng, nn::RecurrentOptions options,
                 typename Cell::Options cell_options)
      : kind_(kind), options_(options), masks_drawn_(options.seed, options.reverse ? "dropout_draws_reverse" : "dropout_draws") {
    require_positive(inputs, kind, "inputs");
    require_positive(hidden, kind, "hidden");
    require_positive(options.layers, kind, "layers");
    if (options.layers > max_recurrent_layers)
      throw value_error(message(kind, ": ", options.layers, " layers exceeds the limit of ",
                                max_recurrent_layers, "; expected a small stack"));
    if (!(options.dropout >= 0.0 && options.dropout < 1.0))
      throw value_error(message(kind, ": dropout must lie in [0, 1), got ", options.dropout));
    cells_.reserve(static_cast<std::size_t>(options.layers));
    for (Index l = 0; l < options.layers; ++l)
      cells_.emplace_back(l == 0 ? inputs : hidden, hidden, l, options.reverse, rng, cell_options);
    between_.resize(static_cast<std::size_t>(options.layers - 1));
    masks_.resize(static_cast<std::size_t>(options.layers - 1));
  }

  Index inputs() const { return cells_.front().inputs(); }
  Index hidden() const { return cells_.front().hidden(); }
  Index layers() const { return options_.layers; }
  nn::RecurrentOutput output_kind() const { return options_.output; }
  const nn::RecurrentOptions& options() const { return options_; }

  /// Keep reusing the current dropout masks (for gradient checks), as Dropout does.
  void freeze_mask(bool frozen) { frozen_ = frozen; }

  /// Every sample T = rows / F steps long, zero initial state (what Sequential calls).
  const Matrix<Scalar>& forward(const Matrix<Scalar>& x, Mode mode) {
    return forward_impl(x, nullptr, mode, nullptr);
  }
  /// One length per sample in [1, T], any order (pack_padded_sequence semantics);
  /// `initial` (optional) is the caller's h_0 (and c_0), kept in the layer's copy.
  const Matrix<Scalar>& forward(const Matrix<Scalar>& x, const std::vector<Index>& lengths,
                                Mode mode, const State* initial = nullptr) {
    return forward_impl(x, &lengths, mode, initial);
  }
  /// As above with optional lengths (null: full length), for wrappers.
  const Matrix<Scalar>& forward(const Matrix<Scalar>& x, const std::vector<Index>* lengths,
                                Mode mode, const State* initial) {
    return forward_impl(x, lengths, mode, initial);
  }
  const Matrix<Scalar>& forward(Matrix<Scalar>&&, Mode) = delete;
  const Matrix<Scalar>& forward(Matrix<Scalar>&&, const std::vector<Index>&, Mode,
                                const State* = nullptr) = delete;

  /// The state after each sample's own last step, (layers*H) x N (PyTorch's h_n, c_n).
  const State& last_state() const { return last_; }
  /// dL/dh_0 (and dL/dc_0) after a backward, (layers*H) x N.
  const State& initial_state_gradient() const { return initial_grad_; }
  /// The lengths of the last forward (T for every sample without lengths).
  const std::vector<Index>& lengths() const { return batch_.lengths; }
  Index steps() const { return batch_.steps; }

  /// dy: the gradient of the selected output. Returns dL/dx, (F*T) x N.
  const Matrix<Scalar>& backward(const Matrix<Scalar>& dy) {
    check_backward(dy);
    input_grad_.resize(inputs() * batch_.steps, batch_.samples);
    backward_impl(dy.data(), nullptr, input_grad_.data());
    return input_grad_;
  }
  /// As backward(dy), with gradients of the last state (h, and c for an LSTM; each
  /// (layers*H) x N, or empty for none) as well.
  const Matrix<Scalar>& backward(const Matrix<Scalar>& dy, const State& d_last) {
    check_backward(dy);
    check_last_gradient(d_last);
    input_grad_.resize(inputs() * batch_.steps, batch_.samples);
    backward_impl(dy.data(), &d_last, input_grad_.data());
    return input_grad_;
  }
  /// backward(dy) writing dL/dx to caller-owned storage of the input's shape.
  void backward_into(const Scalar* dy, Scalar* dx) {
    if (!forwarded_) throw error(message(kind_, "::backward called before forward"));
    backward_impl(dy, nullptr, dx);
  }
  /// The same with last-state gradients (null: none), for wrappers. Unchecked: dy must
  /// have the output's shape and d_last that of last_state() (or be empty).
  void backward_into(const Scalar* dy, const State* d_last, Scalar* dx) {
    if (!forwarded_) throw error(message(kind_, "::backward called before forward"));
    if (d_last) check_last_gradient(*d_last);
    backward_impl(dy, d_last, dx);
  }
  /// The output of the last forward.
  const Matrix<Scalar>& output() const { return output_; }
  bool forwarded() const { return forwarded_; }
  const std::string& kind() const { return kind_; }

  template <class Visitor>
  void visit_parameters(Visitor&& visit) {
    for (Cell& c : cells_) c.visit_parameters(visit);
  }
  /// The dropout mask counter between layers (non-persistent), when there is dropout.
  template <class Visitor>
  void visit_buffers(Visitor&& visit) {
    if (options_.dropout > 0.0 && layers() > 1) visit(masks_drawn_.buffer());
  }

  Cell& cell(Index layer) { return cells_.at(static_cast<std::size_t>(layer)); }

 protected:
  const Matrix<Scalar>& forward_impl(const Matrix<Scalar>& x, const std::vector<Index>* lengths,
                                     Mode mode, const State* initial) {
    const std::string where = message(kind_, "::forward");
    check_sequence(x, inputs(), lengths, where, batch_);
    const Index n = batch_.samples, steps = batch_.steps, h = hidden(), f = inputs();
    const Index state_rows = layers() * h;
    if (initial) {
      check_state(initial->h, state_rows, n, where, "initial state h");
      if (Cell::has_cell_state) check_state(initial->c, state_rows, n, where, "initial state c");
      else if (initial->c.size() != 0)
        throw shape_error(message(where, ": a GRU has no cell state; initial state c must be empty, got ",
                                  shape_of(initial->c)));
    }
    require_finite(x, where, "input");
    // Sample-major (f + t*F, n) to step-major (f, t*N + n): one pass over the input.
    xs_.resize(f, steps * n);
    for (Index j = 0; j < n; ++j)
      for (Index t = 0; t < steps; ++t) xs_.col(t * n + j) = x.col(j).segment(t * f, f);
    const bool drop = mode == Mode::train && options_.dropout > 0.0;
    dropped_ = drop;
    const Scalar* input = xs_.data();
    for (Index l = 0; l < layers(); ++l) {
      Cell& c = cells_[static_cast<std::size_t>(l)];
      const Scalar* h0 = nullptr;
      const Scalar* c0 = nullptr;
      if (initial) {
        initial_h_[l % 2].resize(h, n);  // copies of rows [l*H, (l+1)*H): contiguous per layer
        initial_h_[l % 2] = initial->h.middleRows(l * h, h);
        h0 = initial_h_[l % 2].data();
        if (Cell::has_cell_state) {
          initial_c_[l % 2].resize(h, n);
          initial_c_[l % 2] = initial->c.middleRows(l * h, h);
          c0 = initial_c_[l % 2].data();
        }
      }
      c.forward(input, batch_, h0, c0);
      input = c.outputs();
      if (l + 1 < layers() && drop) input = apply_dropout(l, input, h, steps * n);
    }
    write_outputs();
    forwarded_ = true;
    return output_;
  }

  void backward_impl(const Scalar* dy, const State* d_last, Scalar* dx) {
    const Index n = batch_.samples, steps = batch_.steps, h = hidden(), f = inputs();
    const Index top = layers() - 1;
    const bool sequence = options_.output == nn::RecurrentOutput::sequence;
    // The top layer's output gradient, step-major (padded steps never read).
    if (sequence) {
      dh_seq_.resize(h, steps * n);
      for (Index j = 0; j < n; ++j)
        for (Index t = 0; t < steps; ++t)
          dh_seq_.col(t * n + j) = Eigen::Map<const Vector<Scalar>>(dy + j * h * steps + t * h, h);
    }
    initial_grad_.h.resize(layers() * h, n);
    if (Cell::has_cell_state) initial_grad_.c.resize(layers() * h, n);
    const Scalar* dh_out = sequence ? dh_seq_.data() : nullptr;
    for (Index l = top; l >= 0; --l) {
      Cell& c = cells_[static_cast<std::size_t>(l)];
      // The gradient of this layer's final state: from d_last, and from dy itself when
      // the output is the top layer's last state.
      const Scalar* dh_last = nullptr;
      const Scalar* dc_last = nullptr;
      const bool has_h = d_last && d_last->h.size() != 0, has_c = d_last && d_last->c.size() != 0;
      if (has_h || (l == top && !sequence)) {
        last_grad_h_.resize(h, n);
        if (has_h) last_grad_h_ = d_last->h.middleRows(l * h, h);
        else last_grad_h_.setZero();
        if (l == top && !sequence) last_grad_h_ += Eigen::Map<const Matrix<Scalar>>(dy, h, n);
        dh_last = last_grad_h_.data();
      }
      if (has_c) {
        last_grad_c_.resize(h, n);
        last_grad_c_ = d_last->c.middleRows(l * h, h);
        dc_last = last_grad_c_.data();
      }
      Scalar* target = nullptr;  // this layer's input gradient, step-major
      if (l > 0) {
        layer_grad_[l % 2].resize(h, steps * n);
        target = layer_grad_[l % 2].data();
      } else {
        dxs_.resize(f, steps * n);
        target = dxs_.data();
      }
      c.backward(dh_out, dh_last, dc_last, target);
      initial_grad_.h.middleRows(l * h, h) = c.initial_h_gradient();
      if (Cell::has_cell_state) initial_grad_.c.middleRows(l * h, h) = c.initial_c_gradient();
      if (l > 0 && dropped_) {  // through the dropout between layers l-1 and l
        Eigen::Map<Matrix<Scalar>> g(target, h, steps * n);
        g.array() *= masks_[static_cast<std::size_t>(l - 1)].array();
      }
      dh_out = target;
    }
    // Step-major to the caller's layout; padded steps hold exact zeros (zero gate
    // gradients there), so no masking is needed.
    for (Index j = 0; j < n; ++j)
      for (Index t = 0; t < steps; ++t)
        Eigen::Map<Vector<Scalar>>(dx + j * f * steps + t * f, f) = dxs_.col(t * n + j);
  }

  void check_backward(const Matrix<Scalar>& dy) const {
    if (!forwarded_) throw error(message(kind_, "::backward called before forward"));
    require_same_shape(dy, output_, message(kind_, "::backward"), "output gradient", "output");
  }
  void check_last_gradient(const State& d) const {
    const std::string where = message(kind_, "::backward");
    const Index rows = layers() * hidden(), n = batch_.samples;
    if (d.h.size() != 0) check_state(d.h, rows, n, where, "last-state gradient h");
    if (d.c.size() != 0) {
      if (!Cell::has_cell_state)
        throw shape_error(message(where, ": a GRU has no cell state; last-state gradient c must be empty, got ",
                                  shape_of(d.c)));
      check_state(d.c, rows, n, where, "last-state gradient c");
    }
  }

 private:
  /// Inverted dropout on layer l's outputs (the next layer's input), mask drawn from the
  /// layer's mask stream unless frozen.
  const Scalar* apply_dropout(Index l, const Scalar* input, Index rows, Index cols) {
    Matrix<Scalar>& mask = masks_[static_cast<std::size_t>(l)];
    if (!frozen_ || mask.rows() != rows || mask.cols() != cols) {
      const Scalar keep = Scalar(1.0 / (1.0 - options_.dropout));
      mask.resize(rows, cols);
      Rng rng = masks_drawn_.next();
      for (Index i = 0; i < mask.size(); ++i)
        mask.data()[i] = rng.bernoulli(options_.dropout) ? Scalar(0) : keep;
    }
    Matrix<Scalar>& out = between_[static_cast<std::size_t>(l)];
    out.resize(rows, cols);
    out.array() = Eigen::Map<const Matrix<Scalar>>(input, rows, cols).array() * mask.array();
    return out.data();
  }

  void write_outputs() {
    const Index n = batch_.samples, steps = batch_.steps, h = hidden();
    const Cell& top = cells_.back();
    if (options_.output == nn::RecurrentOutput::sequence) {
      output_.resize(h * steps, n);
      const Scalar* s = top.outputs();
      for (Index j = 0; j < n; ++j)
        for (Index t = 0; t < steps; ++t) {
          auto y = output_.col(j).segment(t * h, h);
          if (batch_.is_active(t, j)) y = Eigen::Map<const Vector<Scalar>>(s + (t * n + j) * h, h);
          else y.setZero();  // what pad_packed_sequence returns
        }
    } else {
      output_.resize(h, n);
      output_ = Eigen::Map<const Matrix<Scalar>>(top.final_h(), h, n);
    }
    last_.h.resize(layers() * h, n);
    if (Cell::has_cell_state) last_.c.resize(layers() * h, n);
    for (Index l = 0; l < layers(); ++l) {
      const Cell& c = cells_[static_cast<std::size_t>(l)];
      last_.h.middleRows(l * h, h) = Eigen::Map<const Matrix<Scalar>>(c.final_h(), h, n);
      if (Cell::has_cell_state)
        last_.c.middleRows(l * h, h) = Eigen::Map<const Matrix<Scalar>>(c.final_c(), h, n);
    }
  }

  std::string kind_;
  nn::RecurrentOptions options_;
  MaskStream<Scalar> masks_drawn_;  // where the masks between layers come from
  bool frozen_ = false, dropped_ = false, forwarded_ = false;
  std::vector<Cell> cells_;
  std::vector<Matrix<Scalar>> masks_;    // scaled dropout masks between layers
  std::vector<Matrix<Scalar>> between_;  // dropped-out outputs between layers
  SequenceBatch batch_;
  Matrix<Scalar> xs_, dxs_, dh_seq_;  // step-major input, its gradient, dL/dh_t of the top
  Matrix<Scalar> initial_h_[2], initial_c_[2], last_grad_h_, last_grad_c_, layer_grad_[2];
  Matrix<Scalar> output_, input_grad_;
  State last_, initial_grad_;
};

}  // namespace canon::detail
