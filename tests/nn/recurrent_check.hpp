// Checks shared by the recurrent-layer tests: finite differences through the paths that
// check_layer_gradients does not reach (lengths, a given initial state, last-state
// gradients, initial-state gradients), the float twin on the same paths, and loading
// PyTorch's tensors by name from rnn_reference.txt.
#pragma once

#include <canon/nn/recurrent_state.hpp>

#include <map>
#include <string>
#include <vector>

#include "canon_test.hpp"

namespace canon_test {

using canon::nn::RecurrentState;

/// What one evaluation of a recurrent layer is checked against.
struct SequenceProblem {
  Matrix<double> x;
  std::vector<Index> lengths;     // empty: full length
  bool initial = false;           // pass a random initial state
  bool last_gradient = false;     // add <last_state, R_last> to the objective
  canon::Mode mode = canon::Mode::train;
};

template <class Layer>
const Matrix<typename Layer::scalar_type>& run(Layer& layer, const Matrix<typename Layer::scalar_type>& x,
                                               const std::vector<Index>& lengths,
                                               const RecurrentState<typename Layer::scalar_type>* initial,
                                               canon::Mode mode) {
  if (lengths.empty() && initial == nullptr) return layer.forward(x, mode);
  std::vector<Index> all = lengths;
  if (all.empty()) all.assign(static_cast<std::size_t>(x.cols()), x.rows() / layer.inputs());
  return layer.forward(x, all, mode, initial);
}

/// Finite differences of L = <y, R> + <h_n, Rh> + <c_n, Rc> with respect to the input,
/// every parameter and the initial state. Returns the report; also checks that the
/// input gradient is exactly zero at padded steps.
template <class Layer>
canon::testing::GradientReport check_sequence_gradients(Layer& layer, const SequenceProblem& p) {
  using canon::testing::compare_gradients;
  using canon::testing::numerical_gradient;
  Matrix<double> x = p.x;
  layer.forward(x, p.mode);  // shapes, and dropout masks drawn once (frozen by the caller)
  const Index n = x.cols(), f = layer.inputs(), steps = x.rows() / f;
  const Index state_rows = layer.last_state().h.rows();
  const bool cell = layer.last_state().c.size() != 0;
  RecurrentState<double> initial;
  initial.h = random_matrix(state_rows, n, 31);
  if (cell) initial.c = random_matrix(state_rows, n, 32);
  const RecurrentState<double>* init = p.initial ? &initial : nullptr;
  const Matrix<double>& y0 = run(layer, x, p.lengths, init, p.mode);
  const Matrix<double> r = random_matrix(y0.rows(), y0.cols(), 33);
  RecurrentState<double> r_last;
  if (p.last_gradient) {
    r_last.h = random_matrix(state_rows, n, 34);
    if (cell) r_last.c = random_matrix(state_rows, n, 35);
  }
  auto objective = [&]() {
    double value = run(layer, x, p.lengths, init, p.mode).cwiseProduct(r).sum();
    if (p.last_gradient) {
      value += layer.last_state().h.cwiseProduct(r_last.h).sum();
      if (cell) value += layer.last_state().c.cwiseProduct(r_last.c).sum();
    }
    return value;
  };
  run(layer, x, p.lengths, init, p.mode);
  const Matrix<double> dx = p.last_gradient ? layer.backward(r, r_last) : layer.backward(r);
  const RecurrentState<double> d_initial = layer.initial_state_gradient();
  std::vector<std::pair<canon::Parameter<double>*, Matrix<double>>> parameters;
  layer.visit_parameters([&](canon::Parameter<double>& q) { parameters.emplace_back(&q, q.grad); });
  for (Index j = 0; j < n && !p.lengths.empty(); ++j)
    for (Index t = p.lengths[static_cast<std::size_t>(j)]; t < steps; ++t)
      CHECK(dx.col(j).segment(t * f, f).cwiseAbs().maxCoeff() == 0.0);
  canon::testing::GradientReport report;
  report.tensors.push_back(compare_gradients("input", dx, numerical_gradient(objective, x)));
  for (auto& [q, analytic] : parameters)
    report.tensors.push_back(compare_gradients(q->name, analytic, numerical_gradient(objective, q->value)));
  if (p.initial) {
    report.tensors.push_back(compare_gradients("h0", d_initial.h, numerical_gradient(objective, initial.h)));
    if (cell)
      report.tensors.push_back(compare_gradients("c0", d_initial.c, numerical_gradient(objective, initial.c)));
  }
  return report;
}

/// The float layer against its double twin on the same path (lengths, initial state,
/// last-state gradient): the largest relative gap of outputs and gradients.
template <class Low, class Twin>
double sequence_precision_gap(Low& low, Twin& twin, const SequenceProblem& p) {
  using L = typename Low::scalar_type;
  canon::copy_state(twin, low);
  twin.forward(p.x, p.mode);
  const Index n = p.x.cols(), rows = twin.last_state().h.rows();
  const bool cell = twin.last_state().c.size() != 0;
  RecurrentState<double> init;
  init.h = random_matrix(rows, n, 31);
  if (cell) init.c = random_matrix(rows, n, 32);
  RecurrentState<L> init_low{init.h.cast<L>(), init.c.cast<L>()};
  const Matrix<L> x_low = p.x.cast<L>();
  const Matrix<double> y = run(twin, p.x, p.lengths, p.initial ? &init : nullptr, p.mode);
  const Matrix<double> y_low = run(low, x_low, p.lengths, p.initial ? &init_low : nullptr, p.mode).template cast<double>();
  const Matrix<double> r = random_matrix(y.rows(), y.cols(), 33);
  RecurrentState<double> r_last{random_matrix(rows, n, 34), cell ? random_matrix(rows, n, 35) : Matrix<double>()};
  RecurrentState<L> r_last_low{r_last.h.cast<L>(), r_last.c.cast<L>()};
  const Matrix<double> dx = twin.backward(r, r_last);
  const Matrix<double> dx_low = low.backward(r.cast<L>(), r_last_low).template cast<double>();
  auto gap = [](const Matrix<double>& a, const Matrix<double>& b) {
    return (a - b).cwiseAbs().maxCoeff() / std::max(a.cwiseAbs().maxCoeff(), 1e-30);
  };
  double worst = std::max(gap(y, y_low), gap(dx, dx_low));
  worst = std::max(worst, gap(twin.initial_state_gradient().h,
                              low.initial_state_gradient().h.template cast<double>()));
  std::vector<Matrix<double>> grads;
  twin.visit_parameters([&](canon::Parameter<double>& q) { grads.push_back(q.grad); });
  std::size_t i = 0;
  low.visit_parameters([&](canon::Parameter<L>& q) { worst = std::max(worst, gap(grads.at(i++), q.grad.template cast<double>())); });
  return worst;
}

/// Runs `layer` on a case of rnn_reference.txt (weights loaded by PyTorch's names) and
/// compares output, last state, input, initial-state and parameter gradients.
template <class Layer>
void check_against_pytorch(Layer& layer, const std::map<std::string, Matrix<double>>& f,
                           const std::string& name, double tolerance = 1e-10) {
  INFO(name);
  layer.visit_parameters([&](canon::Parameter<double>& q) { q.value = f.at(name + "." + q.name); });
  const Matrix<double> x = f.at(name + ".x");
  std::vector<Index> lengths;
  const Matrix<double>& l = f.at(name + ".lengths");
  for (Index j = 0; j < l.cols(); ++j) lengths.push_back(static_cast<Index>(l(0, j)));
  const bool cell = f.count(name + ".c0") != 0;
  RecurrentState<double> initial{f.at(name + ".h0"), cell ? f.at(name + ".c0") : Matrix<double>()};
  const Matrix<double>& y = layer.forward(x, lengths, canon::Mode::train, &initial);
  CHECK(relative_gap(y, f.at(name + ".y")) < tolerance);
  CHECK(relative_gap(layer.last_state().h, f.at(name + ".h_n")) < tolerance);
  if (cell) CHECK(relative_gap(layer.last_state().c, f.at(name + ".c_n")) < tolerance);
  RecurrentState<double> d_last{f.at(name + ".Rh"), cell ? f.at(name + ".Rc") : Matrix<double>()};
  const Matrix<double>& dx = layer.backward(f.at(name + ".R"), d_last);
  CHECK(relative_gap(dx, f.at(name + ".dx")) < tolerance);
  CHECK(relative_gap(layer.initial_state_gradient().h, f.at(name + ".dh0")) < tolerance);
  if (cell) CHECK(relative_gap(layer.initial_state_gradient().c, f.at(name + ".dc0")) < tolerance);
  layer.visit_parameters([&](canon::Parameter<double>& q) {
    INFO(q.name);
    CHECK(relative_gap(q.grad, f.at(name + ".grad." + q.name)) < tolerance);
  });
}

}  // namespace canon_test
