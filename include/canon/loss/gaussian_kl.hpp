// canon/loss/gaussian_kl.hpp — KL divergences between every pair of diagonal Gaussians
// of two batches, and the gradient of any function of that matrix, from a handful of
// GEMMs (never a batch x batch x D tensor: 1 GiB at EMER-CL's batch of 512, D = 1024).
//
// Anchor i has mean a_i and variance u_i, candidate j mean b_j and variance v_j (D-vectors,
// columns of D x N matrices). EMER-CL's Eq. 7 (Takashima et al.) is
//
//   K_ij = KL(N(a_i, u_i) || N(b_j, v_j))
//        = 1/2 sum_d [ u_di / v_dj + (b_dj - a_di)^2 / v_dj - 1 + ln v_dj - ln u_di ].
//
// With p = 1 / v (elementwise) and every sum over d a matrix product,
//
//   2 K = u^T p  +  1 s^T  -  2 a^T (b o p)  +  (a o a)^T p
//         - D  +  1 (sum_d ln v)^T  -  (sum_d ln u) 1^T,          s_j = sum_d b_dj^2 p_dj
//
// Given G = dL/dK (N_a x N_b), with r = G 1 (row sums) and c = G^T 1 (column sums):
//
//   dL/du = 1/2 (p G^T - u^-1 diag(r))
//   dL/da = a o (p G^T) - (b o p) G^T
//   dL/db = p o (b diag(c) - a G)
//   dL/dv = -p^2 o dL/dp + 1/2 p diag(c),
//           dL/dp = 1/2 (u G + (b o b) diag(c) - 2 b o (a G) + (a o a) G)
//
// Variances come from log-variances l: v = exp(l) + eps (eps = 0 in the paper; the
// authors' code adds 1e-6), and dL/dl = dL/dv o exp(l).
#pragma once

#include "canon/core/checks.hpp"

namespace canon::loss {

/// Pairwise KL(N_a,i || N_b,j) for diagonal Gaussians given by means and log-variances
/// (D x N each, one column per sample), with the pieces its gradient needs.
template <class Real>
class PairwiseGaussianKL {
 public:
  /// K (N_a x N_b) for anchors (mean_a, log_variance_a) and candidates (mean_b, ...).
  const Matrix<Real>& forward(const Matrix<Real>& mean_a, const Matrix<Real>& log_variance_a,
                              const Matrix<Real>& mean_b, const Matrix<Real>& log_variance_b,
                              Real eps = Real(0)) {
    const char* where = "PairwiseGaussianKL";
    canon::detail::require_same_shape(mean_a, log_variance_a, where, "anchor means", "anchor log-variances");
    canon::detail::require_same_shape(mean_b, log_variance_b, where, "candidate means",
                               "candidate log-variances");
    canon::detail::require_rows(mean_b, mean_a.rows(), where, "candidate means (the anchors' dimension)");
    a_ = &mean_a;
    b_ = &mean_b;
    eps_ = eps;
    const Index d = mean_a.rows();
    u_ = log_variance_a.array().exp() + eps;
    v_ = log_variance_b.array().exp() + eps;
    p_ = v_.array().inverse();
    bp_ = mean_b.cwiseProduct(p_);
    const RowVector<Real> s = (mean_b.cwiseProduct(bp_)).colwise().sum();
    const RowVector<Real> log_v = v_.array().log().colwise().sum();
    const Vector<Real> log_u = u_.array().log().colwise().sum().transpose();
    k_.noalias() = u_.transpose() * p_;
    k_.noalias() -= Real(2) * mean_a.transpose() * bp_;
    k_.noalias() += mean_a.cwiseProduct(mean_a).transpose() * p_;
    k_.rowwise() += s + log_v;
    k_.colwise() -= log_u;
    k_.array() -= Real(d);
    k_ *= Real(0.5);
    return k_;
  }

  const Matrix<Real>& value() const { return k_; }

  /// Given G = dL/dK, writes dL/d(mean_a), dL/d(log_variance_a), dL/d(mean_b),
  /// dL/d(log_variance_b), *adding* to the four outputs (both directions of a ranking
  /// loss reach the same tensors).
  void backward_add(const Matrix<Real>& g, Matrix<Real>& d_mean_a, Matrix<Real>& d_log_variance_a,
                    Matrix<Real>& d_mean_b, Matrix<Real>& d_log_variance_b) {
    canon::detail::require_same_shape(g, k_, "PairwiseGaussianKL::backward_add", "gradient", "K");
    const Matrix<Real>& a = *a_;
    const Matrix<Real>& b = *b_;
    const Vector<Real> r = g.rowwise().sum();
    const RowVector<Real> c = g.colwise().sum();
    pg_.noalias() = p_ * g.transpose();  // D x N_a
    d_log_variance_a.array() +=
        (Real(0.5) * (pg_.array() - u_.array().inverse().rowwise() * r.transpose().array())) *
        (u_.array() - eps_);  // dv/dl = exp(l) = v - eps
    d_mean_a.array() += a.array() * pg_.array();
    d_mean_a.noalias() -= bp_ * g.transpose();
    ag_.noalias() = a * g;  // D x N_b
    d_mean_b.array() += p_.array() * (b.array().rowwise() * c.array() - ag_.array());
    dp_.noalias() = u_ * g;
    dp_.noalias() += a.cwiseProduct(a) * g;
    dp_.array() += b.array().square().rowwise() * c.array() - Real(2) * b.array() * ag_.array();
    dp_ *= Real(0.5);
    d_log_variance_b.array() +=
        (-p_.array().square() * dp_.array() + Real(0.5) * (p_.array().rowwise() * c.array())) *
        (v_.array() - eps_);
  }

 private:
  const Matrix<Real>*a_ = nullptr, *b_ = nullptr;
  Real eps_ = Real(0);
  Matrix<Real> u_, v_, p_, bp_, k_, pg_, ag_, dp_;
};

}  // namespace canon::loss
