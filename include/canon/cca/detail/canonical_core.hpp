// canon/cca/detail/canonical_core.hpp — the computation that Deep CCA's loss and
// linear CCA share. Notation (docs/math/dcca-gradient.md): views H1 (o1 x m) and
// H2 (o2 x m), one column per sample; centred Hc_i; regularised covariances
//   S_ii = Hc_i Hc_i^T / (m-1) + r_i I,     S_12 = Hc_1 Hc_2^T / (m-1);
// T = S_11^{-1/2} S_12 S_22^{-1/2} = U D V^T; canonical weights W1 = S_11^{-1/2} U,
// W2 = S_22^{-1/2} V; canonical variates Phi_i = W_i^T Hc_i (k x m).
//
// Each view is whitened along the cheaper of two exact paths:
//  * covariance path (o_i < m): eigendecompose S_ii (o_i x o_i).
//  * Gram path (o_i >= m): eigendecompose G_i = Hc_i^T Hc_i / (m-1) (m x m). The
//    push-through identity (Hc Hc^T/(m-1) + r I)^{-1/2} Hc = Hc (G + r I)^{-1/2}
//    gives everything without an o_i x o_i matrix, so o = 1024 with m = 128 costs
//    m x m work. With r = 0 the Gram path is not defined (S_ii is singular).
// Both paths write the whitened view as B_i C_i with B_i having orthonormal columns
// (B_i = I on the covariance path), so T = B_1 (C_1 C_2^T) B_2^T and the SVD of T is
// the SVD of the small core C_1 C_2^T. No step divides by a difference of
// eigenvalues, so tied eigenvalues (o > m gives a cluster at r) are harmless.
#pragma once

#include <Eigen/Eigenvalues>
#include <algorithm>
#include <cmath>
#include <limits>
#include <string>

#include "canon/core/checks.hpp"

namespace canon::cca::detail {

/// Which whitening path a view takes.
enum class WhiteningPath { automatic, covariance, gram };

template <class Real>
struct WhitenedView {
  Vector<Real> mean;          // o
  Matrix<Real> centred;       // Hc (o x m)
  bool gram = false;          // which path was taken
  Matrix<Real> coefficients;  // C: the whitened view / sqrt(m-1) is B C
  // Covariance path: S^{-1/2} (o x o). Gram path: Hc (G + r I)^{-1} = S^{-1} Hc (o x m).
  Matrix<Real> inverse_factor;
  Real smallest_eigenvalue = 0;  // of the regularised covariance (or G + r I)
  Eigen::SelfAdjointEigenSolver<Matrix<Real>> solver;
  Matrix<Real> scratch;
};

inline const char* view_name(int view) { return view == 1 ? "first view" : "second view"; }

/// Centres h and whitens it along the requested path. Throws numerical_error when the
/// eigensolver fails or the regularised covariance is not positive definite.
template <class Real, class Derived>
void whiten(const Eigen::MatrixBase<Derived>& h, Real ridge, WhiteningPath path, int view,
            const char* where, WhitenedView<Real>& out) {
  const Index o = h.rows(), m = h.cols();
  // Callers check this first; whiten is reached from several places, and with no rows
  // the eigenvalue maximum below would read an empty vector.
  canon::detail::require_features(h, where, view == 1 ? "the first view" : "the second view");
  if (m < 2)
    throw value_error(canon::detail::message(where, ": the ", view_name(view), " has ", m,
                                             " samples; covariances need at least 2"));
  out.mean = h.rowwise().mean().template cast<Real>();
  out.centred = h.template cast<Real>();
  out.centred.colwise() -= out.mean;
  out.gram = path == WhiteningPath::gram || (path == WhiteningPath::automatic && o >= m);
  if (out.gram && !(ridge > 0))
    throw value_error(canon::detail::message(
        where, ": the ", view_name(view), " has ", o, " dimensions and ", m,
        " samples; its covariance is singular without a ridge (set r > 0)"));
  const Real scale = Real(1) / Real(m - 1);
  if (out.gram) {
    out.scratch.noalias() = scale * out.centred.transpose() * out.centred;  // G (m x m)
  } else {
    out.scratch.noalias() = scale * out.centred * out.centred.transpose();  // S - r I
    out.scratch.diagonal().array() += ridge;
  }
  out.solver.compute(out.scratch);
  if (out.solver.info() != Eigen::Success)
    throw numerical_error(canon::detail::message(where, ": the eigensolver failed on the ",
                                                 out.gram ? "Gram matrix" : "covariance",
                                                 " of the ", view_name(view), " (", o, " x ", m,
                                                 "); does it contain huge values?"));
  const auto& q = out.solver.eigenvectors();
  Vector<Real> lambda = out.solver.eigenvalues();
  if (out.gram) {
    // G has structural zero eigenvalues (centring removes the constant direction, and
    // o < m leaves m - o more), which round-off returns as +-1e-16. They must be exact
    // zeros: sqrt(g / (g + r)) below has an infinite slope at g = 0 and would turn
    // that noise into coefficients of order sqrt(eps / r). The tolerance is the usual
    // numerical-rank one, m * eps * largest eigenvalue.
    const Real tolerance = Real(m) * std::numeric_limits<Real>::epsilon() *
                           std::max(lambda.maxCoeff(), Real(0));
    lambda = (lambda.array() > tolerance).select(lambda, Real(0)).array() + ridge;
  }
  out.smallest_eigenvalue = lambda.minCoeff();
  if (!(out.smallest_eigenvalue > 0))
    throw numerical_error(canon::detail::message(
        where, ": the regularised covariance of the ", view_name(view),
        " is not positive definite (smallest eigenvalue ", out.smallest_eigenvalue,
        "); raise the ridge r (now ", ridge, ") or give more samples than dimensions"));
  const Vector<Real> inv_sqrt = lambda.cwiseSqrt().cwiseInverse();
  if (out.gram) {
    // C = P diag(sqrt(g / (g + r))) P^T, where g = lambda - r are G's eigenvalues.
    const Vector<Real> c = ((lambda.array() - ridge).max(Real(0)) / lambda.array()).sqrt();
    out.coefficients.noalias() = q * c.asDiagonal() * q.transpose();
    out.scratch.noalias() = q * lambda.cwiseInverse().asDiagonal() * q.transpose();
    out.inverse_factor.noalias() = out.centred * out.scratch;  // S^{-1} Hc, by push-through
  } else {
    out.inverse_factor.noalias() = q * inv_sqrt.asDiagonal() * q.transpose();  // S^{-1/2}
    out.coefficients.noalias() = std::sqrt(scale) * out.inverse_factor * out.centred;
  }
}

/// T's singular values and the canonical variates, from the two whitened views.
template <class Real>
struct CanonicalPairs {
  Vector<Real> correlations;  // sigma_1 >= sigma_2 >= ... (k = min(n1, n2))
  Matrix<Real> core_u, core_v;
  Matrix<Real> variates1, variates2;  // Phi_1, Phi_2 (k x m)
  Eigen::SelfAdjointEigenSolver<Matrix<Real>> solver;
  Matrix<Real> core, gram;
};

template <class Real>
void canonical_pairs(const WhitenedView<Real>& v1, const WhitenedView<Real>& v2, const char* where,
                     CanonicalPairs<Real>& out) {
  const Index m = v1.centred.cols();
  out.core.noalias() = v1.coefficients * v2.coefficients.transpose();
  // The thin SVD of the core from the eigendecomposition of its smaller Gram product:
  // core core^T = U diag(sigma^2) U^T, then V = core^T U diag(sigma)^-1 (or the mirror
  // image). A symmetric eigensolver is about 7x faster than an SVD at 100 x 100 here.
  // Squaring halves the digits of tiny singular values, so sigma below
  // sqrt(k eps) sigma_1 are set to exactly 0 (their vectors to 0): they are round-off
  // of an exactly rank-deficient T, and no objective's gradient uses them.
  const bool left = out.core.rows() <= out.core.cols();
  if (left)
    out.gram.noalias() = out.core * out.core.transpose();
  else
    out.gram.noalias() = out.core.transpose() * out.core;
  out.solver.compute(out.gram);
  if (out.solver.info() != Eigen::Success)
    throw numerical_error(canon::detail::message(where, ": the eigensolver failed on T's Gram matrix (",
                                                 out.gram.rows(), " x ", out.gram.cols(), ")"));
  const Index k = out.gram.rows();
  const Vector<Real> squares = out.solver.eigenvalues().reverse().cwiseMax(Real(0));  // descending
  const Matrix<Real> vectors = out.solver.eigenvectors().rowwise().reverse();
  const Real tolerance = std::sqrt(Real(k) * std::numeric_limits<Real>::epsilon()) *
                         std::sqrt(squares.size() > 0 ? squares(0) : Real(0));
  out.correlations = squares.cwiseSqrt();
  Vector<Real> inverse(k);
  for (Index i = 0; i < k; ++i) {
    if (!(out.correlations(i) > tolerance)) out.correlations(i) = 0;
    inverse(i) = out.correlations(i) > 0 ? Real(1) / out.correlations(i) : Real(0);
  }
  Matrix<Real>& known = left ? out.core_u : out.core_v;
  Matrix<Real>& derived = left ? out.core_v : out.core_u;
  known = vectors * (inverse.array() > 0).template cast<Real>().matrix().asDiagonal();
  if (left)
    derived.noalias() = out.core.transpose() * vectors * inverse.asDiagonal();
  else
    derived.noalias() = out.core * vectors * inverse.asDiagonal();
  const Real root = std::sqrt(Real(m - 1));
  out.variates1.noalias() = root * out.core_u.transpose() * v1.coefficients;
  out.variates2.noalias() = root * out.core_v.transpose() * v2.coefficients;
}

/// Canonical weights W = S^{-1/2} U of one view (o x k). On the Gram path they come
/// from W1 = S_11^{-1} Hc_1 Phi_2^T D^{-1} / (m-1), which holds for sigma > 0; the
/// columns whose correlation is at most `floor` are left zero there.
template <class Real>
void canonical_weights(const WhitenedView<Real>& view, const Matrix<Real>& core_vectors,
                       const Matrix<Real>& other_variates, const Vector<Real>& correlations,
                       Real floor, Matrix<Real>& weights) {
  const Index m = view.centred.cols();
  if (!view.gram) {
    weights.noalias() = view.inverse_factor * core_vectors;
    return;
  }
  Vector<Real> inverse(correlations.size());
  for (Index i = 0; i < correlations.size(); ++i)
    inverse(i) = correlations(i) > floor ? Real(1) / (correlations(i) * Real(m - 1)) : Real(0);
  weights.noalias() = view.inverse_factor * other_variates.transpose();
  weights = weights * inverse.asDiagonal();
}

}  // namespace canon::cca::detail
