// canon/testing/gradient_check.hpp — finite-difference gradient checks, installed so
// that users can check the layers and losses they write themselves.
//
// A layer is checked through the scalar L(x, theta) = <forward(x), R> for a fixed
// random R: its exact gradient is what backward(R) returns for x and writes for each
// parameter (the gradient of dot(output, output_gradient), as dlib defines it).
// Every entry of the input and of every parameter is perturbed in turn:
//
//   dL/du ~ (L(u + h) - L(u - h)) / (2 h),    h = step * max(1, |u|)
//
// with error O(h^2). Each tensor's error is the relative distance of the two
// gradients, ||analytic - numeric||_2 / max(||analytic||_2, ||numeric||_2), and the
// report keeps the worst. Checks run in double, where with the default step a correct
// backward pass lands near 1e-9 and a wrong one far above 1e-6.
#pragma once

#include <algorithm>
#include <array>
#include <cmath>
#include <functional>
#include <sstream>
#include <string>
#include <tuple>
#include <utility>
#include <vector>

#include "canon/core/checks.hpp"
#include "canon/core/parameter.hpp"
#include "canon/core/rng.hpp"

namespace canon::testing {

struct CheckOptions {
  double step = 1e-5;         // relative finite-difference step
  Mode mode = Mode::train;    // the mode every forward runs in
  std::uint64_t seed = 2024;  // for the random projection R
};

/// The check of one tensor.
struct TensorCheck {
  std::string name;
  double relative_error = 0;
  Index worst_row = 0, worst_col = 0;  // where |analytic - numeric| is largest
  double analytic = 0, numeric = 0;    // the two values there
};

struct GradientReport {
  std::vector<TensorCheck> tensors;

  /// The largest relative error over all checked tensors.
  double worst() const {
    double w = 0;
    for (const auto& t : tensors) w = std::max(w, t.relative_error);
    return w;
  }
  std::string to_string() const {
    std::ostringstream out;
    for (const auto& t : tensors)
      out << t.name << ": relative error " << t.relative_error << " (worst entry (" << t.worst_row
          << ", " << t.worst_col << "): analytic " << t.analytic << ", numeric " << t.numeric
          << ")\n";
    return out.str();
  }
};

/// Compares an analytic gradient with a numeric one.
inline TensorCheck compare_gradients(std::string name, const Matrix<double>& analytic,
                                     const Matrix<double>& numeric) {
  canon::detail::require_same_shape(analytic, numeric, "compare_gradients", "analytic", "numeric");
  TensorCheck check;
  check.name = std::move(name);
  if (analytic.size() == 0) return check;
  const Matrix<double> difference = analytic - numeric;
  const double scale = std::max({analytic.norm(), numeric.norm(), 1e-300});
  check.relative_error = difference.norm() / scale;
  difference.cwiseAbs().maxCoeff(&check.worst_row, &check.worst_col);
  check.analytic = analytic(check.worst_row, check.worst_col);
  check.numeric = numeric(check.worst_row, check.worst_col);
  return check;
}

/// Central-difference gradient of value() with respect to every entry of u, which
/// value() must read. u is restored exactly after each perturbation.
template <class Value>
Matrix<double> numerical_gradient(Value&& value, Matrix<double>& u, double step = 1e-5) {
  Matrix<double> gradient(u.rows(), u.cols());
  for (Index j = 0; j < u.cols(); ++j)
    for (Index i = 0; i < u.rows(); ++i) {
      const double original = u(i, j);
      const double h = step * std::max(1.0, std::abs(original));
      u(i, j) = original + h;
      const double plus = value();
      u(i, j) = original - h;
      const double minus = value();
      u(i, j) = original;
      gradient(i, j) = (plus - minus) / (2.0 * h);
    }
  return gradient;
}

/// Checks backward() of a double-precision layer at input x: dL/dx and the gradient
/// of every parameter.
template <class Layer>
GradientReport check_layer_gradients(Layer& layer, const Matrix<double>& x,
                                     const CheckOptions& options = {}) {
  static_assert(std::is_same_v<typename Layer::scalar_type, double>,
                "gradient checks run in double: check a double instance of the layer");
  Matrix<double> input = x;
  const Matrix<double>& first_output = layer.forward(input, options.mode);
  Rng rng(options.seed);
  Matrix<double> projection(first_output.rows(), first_output.cols());
  fill_normal(projection, rng);
  auto objective = [&]() { return layer.forward(input, options.mode).cwiseProduct(projection).sum(); };

  // Analytic gradients at the unperturbed point.
  layer.forward(input, options.mode);
  const Matrix<double> input_gradient = layer.backward(projection);
  std::vector<std::pair<Parameter<double>*, Matrix<double>>> parameters;
  layer.visit_parameters([&](Parameter<double>& p) { parameters.emplace_back(&p, p.grad); });

  GradientReport report;
  report.tensors.push_back(
      compare_gradients("input", input_gradient, numerical_gradient(objective, input, options.step)));
  for (auto& [p, analytic] : parameters)
    report.tensors.push_back(
        compare_gradients(p->name, analytic, numerical_gradient(objective, p->value, options.step)));
  return report;
}

/// Checks a loss's backward() (the gradient with respect to its first argument).
template <class Loss>
GradientReport check_loss_gradients(Loss& loss, const Matrix<double>& prediction,
                                    const Matrix<double>& target, const CheckOptions& options = {}) {
  Matrix<double> p = prediction;
  loss.forward(p, target);
  const Matrix<double> analytic = loss.backward();
  auto objective = [&]() { return static_cast<double>(loss.forward(p, target)); };
  GradientReport report;
  report.tensors.push_back(
      compare_gradients("prediction", analytic, numerical_gradient(objective, p, options.step)));
  return report;
}

/// Checks a loss of several differentiable inputs, L = loss.forward(x_1, ..., x_k), whose
/// backward() returns g with g[i] = dL/dx_i (loss/gradients.hpp; Deep CCA's two views).
/// Every entry of every input is perturbed; the tensors are reported as "input 1", ...
template <class Loss, class... Inputs>
GradientReport check_loss_input_gradients(Loss& loss, const CheckOptions& options,
                                          const Inputs&... inputs) {
  constexpr std::size_t k = sizeof...(Inputs);
  static_assert(k >= 1, "check_loss_input_gradients: give the loss's inputs");
  std::array<Matrix<double>, k> x{Matrix<double>(inputs)...};
  auto objective = [&]() {
    return std::apply([&](auto&... m) { return static_cast<double>(loss.forward(m...)); }, x);
  };
  objective();
  std::array<Matrix<double>, k> analytic;
  {
    const auto& gradients = loss.backward();
    for (std::size_t i = 0; i < k; ++i) analytic[i] = gradients[i];
  }
  GradientReport report;
  for (std::size_t i = 0; i < k; ++i)
    report.tensors.push_back(compare_gradients("input " + std::to_string(i + 1), analytic[i],
                                               numerical_gradient(objective, x[i], options.step)));
  return report;
}

template <class Loss, class... Inputs>
GradientReport check_loss_input_gradients(Loss& loss, const Matrix<double>& first,
                                          const Inputs&... rest) {
  return check_loss_input_gradients(loss, CheckOptions{}, first, rest...);
}

/// Runs a float (or double) layer and its double twin on the same input and output
/// gradient after copying the twin's state into it, and returns the largest relative
/// difference of output, input gradient and parameter gradients (each relative to the
/// double tensor's largest magnitude). This tests the float instantiation's code path
/// against the double one that the finite-difference check verified.
template <class LayerLow, class LayerDouble>
double precision_gap(LayerLow& low, LayerDouble& twin, const Matrix<double>& x,
                     const CheckOptions& options = {}) {
  using Low = typename LayerLow::scalar_type;
  copy_state(twin, low);
  const Matrix<Low> x_low = x.cast<Low>();
  const Matrix<double> y_double = twin.forward(x, options.mode);
  const Matrix<double> y_low = low.forward(x_low, options.mode).template cast<double>();
  Rng rng(options.seed);
  Matrix<double> projection(y_double.rows(), y_double.cols());
  fill_normal(projection, rng);
  const Matrix<Low> projection_low = projection.cast<Low>();
  const Matrix<double> dx_double = twin.backward(projection);
  const Matrix<double> dx_low = low.backward(projection_low).template cast<double>();
  auto gap = [](const Matrix<double>& reference, const Matrix<double>& other) {
    if (reference.size() == 0) return 0.0;
    return (reference - other).cwiseAbs().maxCoeff() /
           std::max(reference.cwiseAbs().maxCoeff(), 1e-30);
  };
  double worst = std::max(gap(y_double, y_low), gap(dx_double, dx_low));
  std::vector<Matrix<double>> grads_double;
  twin.visit_parameters([&](Parameter<double>& p) { grads_double.push_back(p.grad); });
  std::size_t i = 0;
  low.visit_parameters([&](Parameter<Low>& p) {
    worst = std::max(worst, gap(grads_double.at(i++), p.grad.template cast<double>()));
  });
  return worst;
}

}  // namespace canon::testing
