// canon/nn/bidirectional.hpp — a recurrent layer run in both directions (Schuster &
// Paliwal 1997), as PyTorch's bidirectional=True for one layer.
//
// Two instances of the wrapped layer (LSTM or GRU): one reads steps 0..L-1, the other
// L-1..0 of each sample of length L (it starts at the sample's own last step, never in
// the padding). Outputs, per docs/layer-contract.md:
//   sequence:   y_t = [h_fwd(t); h_rev(t)], (2H*T) x N
//   last_state: [h_fwd after step L-1; h_rev after step 0], 2H x N
//               (PyTorch: torch.cat([h_n[-2], h_n[-1]], dim=1))
// States (initial and last) are (2*layers*H) x N with direction d of layer l in rows
// [(2l + d) H, (2l + d + 1) H), PyTorch's h_0[2l + d] transposed. Parameters are named
// as PyTorch's: weight_ih_l0 and weight_ih_l0_reverse, ...
//
// With layers > 1 each direction is its own stack (layer l+1 of a direction reads
// layer l of the same direction). PyTorch's bidirectional num_layers > 1 feeds both
// directions' outputs to the next layer instead (weight_ih_l1 4H x 2H, not 4H x H):
// stack Bidirectional layers for that.
#pragma once

#include <exception>
#include <vector>

#include "canon/core/checks.hpp"
#include "canon/core/rng.hpp"
#include "canon/nn/recurrent_state.hpp"

namespace canon::nn {

template <class Layer>
class Bidirectional {
 public:
  using scalar_type = typename Layer::scalar_type;
  using Scalar = scalar_type;
  using State = RecurrentState<Scalar>;

  /// Builds both directions with the same options (the reverse one with
  /// options.reverse set); `extra` goes to both (a GRU's GruReset).
  template <class... Extra>
  Bidirectional(Index inputs, Index hidden, Rng& rng, RecurrentOptions options = {}, Extra... extra)
      : forward_(inputs, hidden, rng, direction(options, false), extra...),
        reverse_(inputs, hidden, rng, direction(options, true), extra...),
        output_kind_(options.output) {}

  Index inputs() const { return forward_.inputs(); }
  Index hidden() const { return forward_.hidden(); }
  Index layers() const { return forward_.layers(); }
  Layer& forward_layer() { return forward_; }
  Layer& reverse_layer() { return reverse_; }
  void freeze_mask(bool frozen) {
    forward_.freeze_mask(frozen);
    reverse_.freeze_mask(frozen);
  }

  const Matrix<Scalar>& forward(const Matrix<Scalar>& x, Mode mode) {
    return forward_impl(x, nullptr, mode, nullptr);
  }
  const Matrix<Scalar>& forward(const Matrix<Scalar>& x, const std::vector<Index>& lengths,
                                Mode mode, const State* initial = nullptr) {
    return forward_impl(x, &lengths, mode, initial);
  }
  const Matrix<Scalar>& forward(Matrix<Scalar>&&, Mode) = delete;
  const Matrix<Scalar>& forward(Matrix<Scalar>&&, const std::vector<Index>&, Mode,
                                const State* = nullptr) = delete;

  const State& last_state() const { return last_; }
  const State& initial_state_gradient() const { return initial_grad_; }

  const Matrix<Scalar>& backward(const Matrix<Scalar>& dy) {
    check_backward(dy);
    input_grad_.resize(input_rows_, output_.cols());
    backward_impl(dy.data(), nullptr, input_grad_.data());
    return input_grad_;
  }
  const Matrix<Scalar>& backward(const Matrix<Scalar>& dy, const State& d_last) {
    check_backward(dy);
    const std::string where = "Bidirectional::backward";
    const Index rows = 2 * layers() * hidden(), n = output_.cols();
    if (d_last.h.size() != 0) detail::check_state(d_last.h, rows, n, where, "last-state gradient h");
    if (d_last.c.size() != 0) detail::check_state(d_last.c, rows, n, where, "last-state gradient c");
    input_grad_.resize(input_rows_, n);
    backward_impl(dy.data(), &d_last, input_grad_.data());
    return input_grad_;
  }
  void backward_into(const Scalar* dy, Scalar* dx) {
    if (!forward_.forwarded()) throw error("Bidirectional::backward called before forward");
    backward_impl(dy, nullptr, dx);
  }

  template <class Visitor>
  void visit_parameters(Visitor&& visit) {
    forward_.visit_parameters(visit);
    reverse_.visit_parameters(visit);
  }
  template <class Visitor>
  void visit_buffers(Visitor&& visit) {
    forward_.visit_buffers(visit);
    reverse_.visit_buffers(visit);
  }

 private:
  static RecurrentOptions direction(RecurrentOptions o, bool reverse) {
    o.reverse = reverse;
    if (reverse) o.seed = o.seed * 6364136223846793005ULL + 1442695040888963407ULL;  // its own masks
    return o;
  }

  /// Runs f(0) and f(1), the two directions, on two threads when OpenMP has them and
  /// the problem is large: the directions are independent, so each runs its whole time
  /// loop and all its products single-threaded with the full batch, and the only
  /// synchronisation is at the end. Results are those of one thread, bit for bit.
  /// Exceptions (bad input) are carried out of the parallel region and rethrown.
  template <class F>
  void both_directions(Index samples, F&& f) {
    const Index h = hidden();
    if (detail::sample_threads(3 * h * h * samples, 2) < 2) {
      f(0);
      f(1);
      return;
    }
    std::exception_ptr failure[2];
#ifdef _OPENMP
#pragma omp parallel for schedule(static, 1) num_threads(2)
#endif
    for (int d = 0; d < 2; ++d) {
      try {
        f(d);
      } catch (...) {
        failure[d] = std::current_exception();
      }
    }
    for (auto& e : failure)
      if (e) std::rethrow_exception(e);
  }

  /// Rows of direction d of every layer in a (2*layers*H) x N state, gathered into
  /// (layers*H) x N, or scattered back.
  void split(const Matrix<Scalar>& both, Matrix<Scalar>& one, Index d) const {
    const Index h = hidden();
    one.resize(layers() * h, both.cols());
    for (Index l = 0; l < layers(); ++l) one.middleRows(l * h, h) = both.middleRows((2 * l + d) * h, h);
  }
  void merge(const Matrix<Scalar>& one, Matrix<Scalar>& both, Index d) const {
    const Index h = hidden();
    both.resize(2 * layers() * h, one.cols());
    for (Index l = 0; l < layers(); ++l) both.middleRows((2 * l + d) * h, h) = one.middleRows(l * h, h);
  }

  const Matrix<Scalar>& forward_impl(const Matrix<Scalar>& x, const std::vector<Index>* lengths,
                                     Mode mode, const State* initial) {
    const State* init_f = nullptr;
    const State* init_r = nullptr;
    if (initial) {
      const Index rows = 2 * layers() * hidden();
      detail::check_state(initial->h, rows, x.cols(), "Bidirectional::forward", "initial state h");
      const bool cell = initial->c.size() != 0;
      if (cell) detail::check_state(initial->c, rows, x.cols(), "Bidirectional::forward", "initial state c");
      split(initial->h, initial_f_.h, 0);
      split(initial->h, initial_r_.h, 1);
      if (cell) {
        split(initial->c, initial_f_.c, 0);
        split(initial->c, initial_r_.c, 1);
      } else {
        initial_f_.c.resize(0, 0);
        initial_r_.c.resize(0, 0);
      }
      init_f = &initial_f_;
      init_r = &initial_r_;
    }
    both_directions(x.cols(), [&](int d) {
      if (d == 0) forward_.forward(x, lengths, mode, init_f);
      else reverse_.forward(x, lengths, mode, init_r);
    });
    const Matrix<Scalar>& yf = forward_.output();
    const Matrix<Scalar>& yr = reverse_.output();
    input_rows_ = x.rows();
    const Index h = hidden(), n = x.cols();
    if (output_kind_ == RecurrentOutput::sequence) {
      const Index steps = forward_.steps();
      output_.resize(2 * h * steps, n);
      for (Index j = 0; j < n; ++j)
        for (Index t = 0; t < steps; ++t) {
          output_.col(j).segment(2 * h * t, h) = yf.col(j).segment(h * t, h);
          output_.col(j).segment(2 * h * t + h, h) = yr.col(j).segment(h * t, h);
        }
    } else {
      output_.resize(2 * h, n);
      output_.topRows(h) = yf;
      output_.bottomRows(h) = yr;
    }
    merge(forward_.last_state().h, last_.h, 0);
    merge(reverse_.last_state().h, last_.h, 1);
    if (forward_.last_state().c.size() != 0) {
      merge(forward_.last_state().c, last_.c, 0);
      merge(reverse_.last_state().c, last_.c, 1);
    }
    return output_;
  }

  void check_backward(const Matrix<Scalar>& dy) const {
    if (!forward_.forwarded()) throw error("Bidirectional::backward called before forward");
    detail::require_same_shape(dy, output_, "Bidirectional::backward", "output gradient", "output");
  }

  void backward_impl(const Scalar* dy, const State* d_last, Scalar* dx) {
    const Index h = hidden(), n = output_.cols();
    const Eigen::Map<const Matrix<Scalar>> g(dy, output_.rows(), n);
    dy_f_.resize(forward_.output().rows(), n);
    dy_r_.resize(forward_.output().rows(), n);
    if (output_kind_ == RecurrentOutput::sequence) {
      const Index steps = output_.rows() / (2 * h);
      for (Index j = 0; j < n; ++j)
        for (Index t = 0; t < steps; ++t) {
          dy_f_.col(j).segment(h * t, h) = g.col(j).segment(2 * h * t, h);
          dy_r_.col(j).segment(h * t, h) = g.col(j).segment(2 * h * t + h, h);
        }
    } else {
      dy_f_ = g.topRows(h);
      dy_r_ = g.bottomRows(h);
    }
    const State* last_f = nullptr;
    const State* last_r = nullptr;
    if (d_last) {
      for (Index d = 0; d < 2; ++d) {
        State& s = d == 0 ? d_last_f_ : d_last_r_;
        if (d_last->h.size() != 0) split(d_last->h, s.h, d);
        else s.h.resize(0, 0);
        if (d_last->c.size() != 0) split(d_last->c, s.c, d);
        else s.c.resize(0, 0);
      }
      last_f = &d_last_f_;
      last_r = &d_last_r_;
    }
    dx_r_.resize(input_rows_, n);
    both_directions(n, [&](int d) {
      if (d == 0) forward_.backward_into(dy_f_.data(), last_f, dx);
      else reverse_.backward_into(dy_r_.data(), last_r, dx_r_.data());
    });
    Eigen::Map<Matrix<Scalar>>(dx, input_rows_, n) += dx_r_;
    merge(forward_.initial_state_gradient().h, initial_grad_.h, 0);
    merge(reverse_.initial_state_gradient().h, initial_grad_.h, 1);
    if (forward_.initial_state_gradient().c.size() != 0) {
      merge(forward_.initial_state_gradient().c, initial_grad_.c, 0);
      merge(reverse_.initial_state_gradient().c, initial_grad_.c, 1);
    }
  }

  Layer forward_, reverse_;
  RecurrentOutput output_kind_;
  Index input_rows_ = 0;
  State initial_f_, initial_r_, d_last_f_, d_last_r_, last_, initial_grad_;
  Matrix<Scalar> output_, input_grad_, dy_f_, dy_r_, dx_r_;
};

}  // namespace canon::nn
