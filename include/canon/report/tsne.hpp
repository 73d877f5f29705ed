// canon/report/tsne.hpp — exact t-SNE (van der Maaten & Hinton, JMLR 2008), for figures
// of a common space (Avramidis 2022, Fig. 2: EEG and music embeddings of one subject).
//
// Input: D x N points (one column each). With squared distances d_ij:
//   p_{j|i} = exp(-beta_i d_ij) / sum_{k != i} exp(-beta_i d_ik), beta_i found by
//             bisection so that the entropy of p_{.|i} is log(perplexity) (nats)
//   P = (p_{j|i} + p_{i|j}) / sum, floored at machine epsilon
//   q_ij = (1 + |y_i - y_j|^2)^-1 / sum_{k != l} (1 + |y_k - y_l|^2)^-1
//   KL(P || Q) = sum p_ij log(p_ij / q_ij)
//   dKL/dy_i = 4 sum_j (p_ij - q_ij) (y_i - y_j) / (1 + |y_i - y_j|^2)
// Optimisation as scikit-learn's exact method: early exaggeration 12 with momentum 0.5
// for the first 250 iterations, then momentum 0.8; per-coordinate gains (+0.2 where the
// gradient and the previous update have opposite signs, i.e. the gradient kept its sign
// and the step is growing in a good direction; x0.8 otherwise; at least 0.01); learning rate
// max(N / exaggeration / 4, 50) ("auto"). The start is the first two principal
// components scaled to a standard deviation of 1e-4 (deterministic; PCA initialisation
// keeps global structure better than a random start). O(N^2) memory and time per
// iteration: meant for the few thousand points of a figure.
#pragma once

#include <Eigen/Eigenvalues>
#include <cmath>
#include <limits>

#include "canon/core/checks.hpp"

namespace canon::report {

struct TsneOptions {
  double perplexity = 30.0;
  int iterations = 1000;
  int exaggeration_iterations = 250;
  double early_exaggeration = 12.0;
  double learning_rate = 0.0;  ///< 0: "auto", max(N / early_exaggeration / 4, 50)
  Index dimensions = 2;
};

struct TsneResult {
  Matrix<double> embedding;  ///< dimensions x N
  double kl_divergence = 0;  ///< KL(P || Q) at the end
};

namespace detail {

/// The symmetric joint probabilities P (N x N, zero diagonal) of the columns of x.
inline Matrix<double> joint_probabilities(const Matrix<double>& x, double perplexity) {
  const Index n = x.cols();
  const Vector<double> norms = x.colwise().squaredNorm().transpose();
  Matrix<double> d = (-2.0 * x.transpose() * x).colwise() + norms;
  d.rowwise() += norms.transpose();
  d = d.cwiseMax(0.0);
  const double target = std::log(perplexity);
  Matrix<double> conditional = Matrix<double>::Zero(n, n);
  for (Index i = 0; i < n; ++i) {
    double beta = 1.0, lo = -std::numeric_limits<double>::infinity(),
           hi = std::numeric_limits<double>::infinity();
    Vector<double> p(n);
    for (int step = 0; step < 100; ++step) {
      double sum = 0;
      for (Index j = 0; j < n; ++j) {
        p(j) = j == i ? 0.0 : std::exp(-d(i, j) * beta);
        sum += p(j);
      }
      if (sum == 0.0) sum = 1e-8;
      double weighted = 0;
      for (Index j = 0; j < n; ++j) weighted += d(i, j) * p(j);
      p /= sum;
      const double entropy = std::log(sum) + beta * weighted / sum;
      const double gap = entropy - target;
      if (std::abs(gap) <= 1e-5) break;
      if (gap > 0) {  // too flat: sharpen
        lo = beta;
        beta = std::isinf(hi) ? beta * 2.0 : (beta + hi) / 2.0;
      } else {
        hi = beta;
        beta = std::isinf(lo) ? beta / 2.0 : (beta + lo) / 2.0;
      }
    }
    conditional.row(i) = p.transpose();
  }
  Matrix<double> joint = conditional + conditional.transpose();
  joint /= std::max(joint.sum(), std::numeric_limits<double>::epsilon());
  joint = joint.cwiseMax(std::numeric_limits<double>::epsilon());
  joint.diagonal().setZero();
  return joint;
}

/// KL(P || Q) of embedding y (k x N) and its gradient (k x N).
inline double kl_and_gradient(const Matrix<double>& p, const Matrix<double>& y, Matrix<double>& gradient) {
  const Index n = y.cols();
  const Vector<double> norms = y.colwise().squaredNorm().transpose();
  Matrix<double> w = (-2.0 * y.transpose() * y).colwise() + norms;
  w.rowwise() += norms.transpose();
  w = (1.0 + w.cwiseMax(0.0).array()).inverse().matrix();  // (1 + |y_i - y_j|^2)^-1
  w.diagonal().setZero();
  const double total = w.sum();
  const double eps = std::numeric_limits<double>::epsilon();
  double kl = 0;
  for (Index j = 0; j < n; ++j)
    for (Index i = 0; i < n; ++i)
      if (i != j) kl += p(i, j) * std::log(std::max(p(i, j), eps) / std::max(w(i, j) / total, eps));
  // 4 sum_j (p_ij - q_ij) w_ij (y_i - y_j) = 4 (y diag(rowsum(M)) - y M), M = (P - Q) o W
  const Matrix<double> m = (p - w / total).cwiseProduct(w);
  gradient = 4.0 * (y * m.colwise().sum().asDiagonal() - y * m);
  return kl;
}

}  // namespace detail

/// Embeds the columns of x (D x N, N > perplexity * 3 recommended) in `dimensions`.
inline TsneResult tsne(const Matrix<double>& x, const TsneOptions& options = {}) {
  const char* where = "report::tsne";
  const Index n = x.cols();
  canon::detail::require_batch(x, 4, where, "t-SNE needs a few points");
  canon::detail::require_finite(x, where, "points");
  if (!(options.perplexity > 0 && options.perplexity < double(n - 1)))
    throw value_error(canon::detail::message(where, ": perplexity must lie in (0, N - 1) = (0, ", n - 1,
                                             "), got ", options.perplexity));
  canon::detail::require_positive(options.dimensions, where, "dimensions");
  if (options.dimensions > x.rows() || options.dimensions >= n)
    throw value_error(canon::detail::message(where, ": ", options.dimensions, " dimensions for ", n,
                                             " points of ", x.rows(), " features"));
  canon::detail::require_positive(options.iterations, where, "iterations");
  // scikit-learn's bounds: exaggeration below 1 would shrink the attractions it is there
  // to strengthen; the exaggerated phase is part of the run.
  if (!(options.early_exaggeration >= 1.0 && std::isfinite(options.early_exaggeration)))
    throw value_error(canon::detail::message(where, ": early_exaggeration must be a finite number >= 1, got ",
                                             options.early_exaggeration));
  if (options.exaggeration_iterations < 0 || options.exaggeration_iterations > options.iterations)
    throw value_error(canon::detail::message(where, ": exaggeration_iterations must lie in [0, iterations = ",
                                             options.iterations, "], got ", options.exaggeration_iterations));
  if (!(options.learning_rate >= 0.0 && std::isfinite(options.learning_rate)))
    throw value_error(canon::detail::message(where, ": learning_rate must be finite and >= 0 (0: automatic), got ",
                                             options.learning_rate));
  const Matrix<double> p = detail::joint_probabilities(x, options.perplexity);

  // Start: the leading principal components, scaled to a standard deviation of 1e-4.
  Matrix<double> centred = x.colwise() - x.rowwise().mean();
  Eigen::SelfAdjointEigenSolver<Matrix<double>> pca(centred * centred.transpose());
  Matrix<double> y = pca.eigenvectors().rightCols(options.dimensions).rowwise().reverse().transpose() * centred;
  for (Index r = 0; r < y.rows(); ++r) {  // a sign convention, so the start is deterministic
    Index arg;
    y.row(r).cwiseAbs().maxCoeff(&arg);
    if (y(r, arg) < 0) y.row(r) *= -1.0;
  }
  const double sd = std::sqrt((y.row(0).array() - y.row(0).mean()).square().sum() / double(n - 1));
  y *= sd > 0 ? 1e-4 / sd : 0.0;

  const double rate = options.learning_rate > 0
                          ? options.learning_rate
                          : std::max(double(n) / options.early_exaggeration / 4.0, 50.0);
  Matrix<double> update = Matrix<double>::Zero(y.rows(), n), gains = Matrix<double>::Ones(y.rows(), n);
  Matrix<double> gradient;
  TsneResult result;
  for (int it = 0; it < options.iterations; ++it) {
    const bool early = it < options.exaggeration_iterations;
    const double momentum = early ? 0.5 : 0.8;
    const Matrix<double> pe = early ? Matrix<double>(options.early_exaggeration * p) : p;
    detail::kl_and_gradient(pe, y, gradient);
    gains = ((gradient.array() * update.array()) < 0.0)
                .select(gains.array() + 0.2, gains.array() * 0.8)
                .max(0.01)
                .matrix();
    update = momentum * update - rate * gains.cwiseProduct(gradient);
    y += update;
  }
  result.kl_divergence = detail::kl_and_gradient(p, y, gradient);
  result.embedding = y;
  return result;
}

}  // namespace canon::report
