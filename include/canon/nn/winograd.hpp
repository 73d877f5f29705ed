// canon/nn/winograd.hpp — Winograd (Toom-Cook) minimal filtering F(m, r) in one dimension.
//
// An r-tap correlation y_t = sum_k w_k x_{t+k}, t = 0 .. m-1, reads alpha = m + r - 1
// inputs and costs m r multiplications. Winograd's algorithm gets the same m outputs
// from alpha multiplications:
//
//   y = A^T [ (G w) .* (B^T x) ]        A^T: m x alpha,  G: alpha x r,  B^T: alpha x alpha
//
// In a convolution layer w and x are matrices (C_out x C_in per tap, C_in per time
// step) and the alpha element-wise products become alpha GEMMs of C_out x C_in x tiles,
// so F(4, 3) does 6 GEMM columns per 4 outputs where the direct method does 12.
//
// Where the matrices come from (Toom-Cook). Take alpha - 1 distinct finite points a_i
// and the point at infinity. Evaluating polynomials there and interpolating gives
// the linear convolution s = g * h of g (degree r-1) and h (degree m-1):
//
//   s = C [ (E_r g) .* (E_m h) ],   E_q: rows (1, a_i, ..., a_i^{q-1}), and (0, ..., 0, 1) for infinity,
//   C: column i holds the coefficients of L_i(x) = prod_{j != i} (x - a_j) / f_i,
//      f_i = prod_{j != i} (a_i - a_j), and the infinity column those of prod_j (x - a_j).
//
// The correlation is the transpose of that bilinear map: sum_t h_t y_t = x^T (w * h), so
// y = E_m^T [ (E_r w) .* (C^T x) ]. Scaling row i of C^T by f_i (and row i of G by 1/f_i)
// leaves integer polynomial coefficients in B^T for integer points:
//
//   A^T = E_m^T,   G = diag(1/f) E_r,   B^T row i = coefficients of prod_{j != i} (x - a_j),
//   B^T infinity row = coefficients of prod_j (x - a_j).
//
// The points are 0, 1, -1, 2, -2, 1/2, -1/2, 3, -3 in that order (the usual choice:
// small magnitudes keep the transforms well conditioned); alpha <= 10. Accuracy falls
// as alpha grows. Conv1D's defaults: alpha = 6 for 2 and 3 taps (F(5, 2), F(4, 3)) and
// alpha = 8 for 4 and 5 taps (F(5, 4), F(4, 5)); Conv1D::set_algorithm takes any m with
// alpha <= 10 (tests/nn/test_conv1d.cpp measures the error).
#pragma once

#include <algorithm>
#include <array>

#include "canon/core/checks.hpp"
#include "canon/core/types.hpp"

namespace canon::nn {

/// The three matrices of F(m, r), in double (cast them to the layer's scalar).
struct WinogradTransform {
  Index m = 0, r = 0, alpha = 0;
  Eigen::MatrixXd output;  // A^T, m x alpha
  Eigen::MatrixXd kernel;  // G, alpha x r
  Eigen::MatrixXd input;   // B^T, alpha x alpha
};

inline WinogradTransform winograd_transform(Index m, Index r) {
  canon::detail::require_positive(m, "winograd_transform", "m (outputs per tile)");
  canon::detail::require_positive(r, "winograd_transform", "r (taps)");
  constexpr std::array<double, 9> points = {0.0, 1.0, -1.0, 2.0, -2.0, 0.5, -0.5, 3.0, -3.0};
  const Index alpha = m + r - 1;
  if (alpha - 1 > static_cast<Index>(points.size()))
    throw value_error(canon::detail::message("winograd_transform: F(", m, ", ", r, ") needs ", alpha - 1,
                                             " interpolation points, canon has ", points.size()));
  WinogradTransform t;
  t.m = m;
  t.r = r;
  t.alpha = alpha;
  t.output.setZero(m, alpha);
  t.kernel.setZero(alpha, r);
  t.input.setZero(alpha, alpha);
  const Index finite = alpha - 1;
  // Coefficients (ascending powers) of prod_{j in set} (x - a_j).
  auto product = [&](Index skip) {
    Eigen::VectorXd c = Eigen::VectorXd::Zero(alpha);
    c(0) = 1.0;
    Index degree = 0;
    for (Index j = 0; j < finite; ++j) {
      if (j == skip) continue;
      const double a = points[static_cast<std::size_t>(j)];
      for (Index d = degree + 1; d > 0; --d) c(d) = c(d - 1) - a * c(d);
      c(0) = -a * c(0);
      ++degree;
    }
    return c;
  };
  for (Index i = 0; i < finite; ++i) {
    const double a = points[static_cast<std::size_t>(i)];
    double f = 1.0;
    for (Index j = 0; j < finite; ++j)
      if (j != i) f *= a - points[static_cast<std::size_t>(j)];
    double power = 1.0;
    for (Index p = 0; p < std::max(m, r); ++p, power *= a) {
      if (p < m) t.output(p, i) = power;
      if (p < r) t.kernel(i, p) = power / f;
    }
    t.input.row(i) = product(i).transpose();
  }
  t.output(m - 1, finite) = 1.0;
  t.kernel(finite, r - 1) = 1.0;
  t.input.row(finite) = product(-1).transpose();
  return t;
}

}  // namespace canon::nn
