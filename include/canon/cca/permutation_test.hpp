// canon/cca/permutation_test.hpp — how large canonical correlations get by chance.
//
// In-sample canonical correlations of unrelated data are far from zero: with o1 and o2
// dimensions and m samples the largest is about sqrt((o1 + o2) / m) or more, so a
// correlation of 0.4 may mean nothing. The permutation test answers "is it more than
// chance?" without distributional assumptions: pairing is what CCA measures, so
// shuffling the samples of one view against the other destroys any relation and keeps
// everything else (each view's covariance, its marginal distributions).
//
//   observed:   rho_1 >= ... >= rho_k          (LinearCCA on the paired data)
//   null run p: rho^p_1 >= ...                 (the same fit with view 2's samples
//                                               permuted by pi_p, p = 1..P)
//   p-value of component j:  (1 + #{p : rho^p_1 >= rho_j}) / (1 + P)
//
// Every component is compared with the null distribution of the *largest* correlation
// (the max statistic), which controls the family-wise error over the k components.
// The +1 counts the observed pairing as one of the permutations, so no p-value is 0
// and the test is exact for exchangeable samples (Phipson & Smyth 2010). For j > 1 the
// test is conservative: a step-down procedure that removes the earlier components
// first (Winkler et al. 2020, NeuroImage 208) has more power there; canon does not
// implement it. `chance_level` is the 95th percentile of rho^p_1, the correlation a
// component must pass to be significant at 5%.
//
// The samples must be exchangeable under the null. Overlapping or neighbouring chunks of
// one recording are not (their autocorrelation inflates every null correlation less than
// the observed one, and p comes out too small): test one sample per trial or song.
//
// Cost: both views are whitened once (the whitened views do not change when samples are
// permuted, only their pairing does), after which a null run is the k x k core of two
// whitened views and its eigenvalues: O(o1 o2 m + min(o1, o2)^3), parallel over runs.
// Run p draws its permutation from Rng(stream_seed(seed, p)): the result depends on the
// seed only, not on the number of threads.
#pragma once

#include <algorithm>
#include <vector>

#include "canon/cca/linear_cca.hpp"
#include "canon/core/rng.hpp"

#ifdef _OPENMP
#include <omp.h>
#endif

namespace canon::cca {

struct PermutationTestOptions {
  Index permutations = 999;  // P; the smallest attainable p-value is 1 / (P + 1)
  std::uint64_t seed = 1;
  LinearCcaOptions cca;      // the fit tested (ridges, components); also used for the null
};

struct PermutationTestResult {
  Vector<double> correlations;  // observed, descending (k)
  Vector<double> p_values;      // family-wise, one per component (k), non-decreasing
  Vector<double> null_largest;  // rho^p_1 of every null run, in run order (P)
  double chance_level = 0;      // 95th percentile of null_largest
  Index permutations = 0;
};

/// The permutation test of the canonical correlations of paired columns of x1 (o1 x m)
/// and x2 (o2 x m), as described at the top of this header.
template <class Scalar>
PermutationTestResult permutation_test(const Matrix<Scalar>& x1, const Matrix<Scalar>& x2,
                                       const PermutationTestOptions& options = {}) {
  const char* where = "cca::permutation_test";
  if (options.permutations < 19)
    throw value_error(canon::detail::message(
        where, ": permutations must be at least 19 (the smallest p-value is 1 / (P + 1), so fewer ",
        "cannot reach 0.05), got ", options.permutations));
  LinearCCA<Scalar> observed(options.cca);
  observed.fit(x1, x2);  // checks shapes, finiteness and that some correlation exists

  detail::WhitenedView<double> v1, v2;
  detail::whiten(x1, options.cca.ridge1, options.cca.path, 1, where, v1);
  detail::whiten(x2, options.cca.ridge2, options.cca.path, 2, where, v2);
  const Index m = x1.cols(), runs = options.permutations;
  // The whitened view / sqrt(m-1) is B C with B orthonormal (canonical_core.hpp), and C
  // has one column per sample; permuting view 2's samples permutes C2's columns, so the
  // null correlations are the singular values of C1 (C2 Pi)^T.
  const Matrix<double>& c1 = v1.coefficients;
  const Matrix<double>& c2 = v2.coefficients;

  PermutationTestResult result;
  result.correlations = observed.correlations();
  result.permutations = runs;
  result.null_largest.resize(runs);
  int threads = 1;
#ifdef _OPENMP
  threads = int(std::min<Index>(omp_get_max_threads(), runs));
  if (omp_in_parallel()) threads = 1;
#endif
  // Each run writes only its own entry, so the schedule cannot change the result.
#pragma omp parallel num_threads(threads) if (threads > 1)
  {
    Matrix<double> permuted(c2.rows(), m), core, gram;
    Eigen::SelfAdjointEigenSolver<Matrix<double>> solver;
#pragma omp for schedule(static)
    for (Index p = 0; p < runs; ++p) {
      Rng rng(stream_seed(options.seed, std::uint64_t(p)));
      const std::vector<Index> order = rng.permutation(m);
      for (Index j = 0; j < m; ++j) permuted.col(j) = c2.col(order[std::size_t(j)]);
      core.noalias() = c1 * permuted.transpose();
      if (core.rows() <= core.cols())
        gram.noalias() = core * core.transpose();
      else
        gram.noalias() = core.transpose() * core;
      solver.compute(gram, Eigen::EigenvaluesOnly);
      result.null_largest(p) = std::sqrt(std::max(solver.eigenvalues().maxCoeff(), 0.0));
    }
  }

  std::vector<double> sorted(result.null_largest.data(), result.null_largest.data() + runs);
  std::sort(sorted.begin(), sorted.end());
  // The 95th percentile by linear interpolation between order statistics (NumPy's
  // default, "linear"): position 0.95 (P - 1) in the sorted runs.
  const double position = 0.95 * double(runs - 1);
  const auto below = std::size_t(position);
  const double fraction = position - double(below);
  result.chance_level = below + 1 < sorted.size()
                            ? sorted[below] + fraction * (sorted[below + 1] - sorted[below])
                            : sorted[below];
  const Index k = result.correlations.size();
  result.p_values.resize(k);
  for (Index j = 0; j < k; ++j) {
    const auto at_least = sorted.end() - std::lower_bound(sorted.begin(), sorted.end(), result.correlations(j));
    result.p_values(j) = double(1 + at_least) / double(1 + runs);
  }
  return result;
}

}  // namespace canon::cca
