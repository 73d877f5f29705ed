// canon/loss/detail/dcca_eckart_young.hpp — the DCCA-EY objective of Chapman, Aguila &
// Wells (2023, "Efficient algorithms for the CCA family: unconstrained objectives with
// unbiased gradients"), for DeepCCA with DccaObjective::eckart_young.
//
// For k-dimensional outputs H1, H2 (k x m) with centred copies Hc and covariances
// C_ij = Hc_i Hc_j^T / (m - 1), CCA is the generalised eigenproblem of
// A = [0 C12; C21 0] and B = [C11 0; 0 C22], and the Eckart-Young loss of its top-k
// subspace, written in the outputs themselves, is
//
//   L = -2 tr(C12 + C21) + tr(B_a B_b),        B = C11 + C22   (k x k)
//
// whose minimum is -sum_i rho_i^2 over the top k canonical correlations, reached when the
// outputs are canonical variates. No inverse and no eigendecomposition: the loss is a
// polynomial in covariance estimates, so estimating B_a and B_b on two *independent*
// halves of the batch makes the mini-batch gradient unbiased for the population
// objective (the trace-norm DCCA gradient is biased, and degenerate when o >= m).
// With independent_halves off, B_a = B_b = B of the whole batch (biased, as the full-
// batch objective). Gradients (all columns of the batch, half h = a or b):
//
//   dL/dH1 = -4 Hc2 / (m - 1)  +  2 B_other Hc1_h / (m_h - 1)      (halves)
//   dL/dH1 = -4 Hc2 / (m - 1)  +  4 B Hc1 / (m - 1)                (whole batch)
// and symmetrically for H2.
#pragma once

#include "canon/core/checks.hpp"

namespace canon::detail {

template <class Real>
struct EckartYoungWork {
  Matrix<Real> c1, c2;          // centred outputs, k x m
  Matrix<Real> y1, y2;          // with halves: each half centred by its own mean
  Matrix<Real> b_a, b_b;        // B of the two halves (or both the whole batch's)
  Index half = 0;               // columns [0, half) form half a
  bool halves = true;

  template <class Input>
  double forward(const Input& h1, const Input& h2, bool independent_halves, const char* where) {
    if (h1.rows() != h2.rows())
      throw shape_error(message(where, ": the Eckart-Young objective needs outputs of one size, got ",
                                h1.rows(), " and ", h2.rows(), " rows"));
    const Index m = h1.cols();
    halves = independent_halves;
    if (halves && m < 4)
      throw value_error(message(where, ": the Eckart-Young objective with independent halves needs "
                                "m >= 4 samples (two halves of at least 2), got ", m));
    c1 = h1.template cast<Real>();
    c2 = h2.template cast<Real>();
    c1.colwise() -= c1.rowwise().mean();
    c2.colwise() -= c2.rowwise().mean();
    const double reward = 4.0 * double(c1.cwiseProduct(c2).sum()) / double(m - 1);
    if (halves) {
      half = m / 2;
      y1 = c1;
      y2 = c2;
      half_b(y1.leftCols(half), y2.leftCols(half), b_a);
      half_b(y1.rightCols(m - half), y2.rightCols(m - half), b_b);
    } else {
      b_a.noalias() = (c1 * c1.transpose() + c2 * c2.transpose()) / Real(m - 1);
      b_b = b_a;
    }
    const double penalty = double(b_a.cwiseProduct(b_b).sum());  // tr(B_a B_b), both symmetric
    return reward - penalty;  // the objective f = -L
  }

  template <class Output>
  void backward(Output& grad1, Output& grad2) {
    const Index m = c1.cols();
    Matrix<Real> g1 = Real(-4) / Real(m - 1) * c2;
    Matrix<Real> g2 = Real(-4) / Real(m - 1) * c1;
    if (halves) {
      const Index mb = m - half;
      // Each half's centring is absorbed: B y has zero row means, as y has.
      g1.leftCols(half).noalias() += Real(2) / Real(half - 1) * b_b * y1.leftCols(half);
      g2.leftCols(half).noalias() += Real(2) / Real(half - 1) * b_b * y2.leftCols(half);
      g1.rightCols(mb).noalias() += Real(2) / Real(mb - 1) * b_a * y1.rightCols(mb);
      g2.rightCols(mb).noalias() += Real(2) / Real(mb - 1) * b_a * y2.rightCols(mb);
    } else {
      g1.noalias() += Real(4) / Real(m - 1) * b_a * c1;
      g2.noalias() += Real(4) / Real(m - 1) * b_a * c2;
    }
    grad1 = g1.template cast<typename Output::Scalar>();
    grad2 = g2.template cast<typename Output::Scalar>();
  }

 private:
  // Centres one half in place by its own mean (an independent estimate) and returns its B.
  template <class Block>
  static void half_b(Block x1, Block x2, Matrix<Real>& b) {
    x1.colwise() -= x1.rowwise().mean().eval();
    x2.colwise() -= x2.rowwise().mean().eval();
    b.noalias() = (x1 * x1.transpose() + x2 * x2.transpose()) / Real(x1.cols() - 1);
  }
};

}  // namespace canon::detail
