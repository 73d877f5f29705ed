// canon/cca/linear_cca.hpp — (regularised) linear canonical correlation analysis
// (Hotelling 1936): fit canonical weights on two paired data sets, then project new
// data into the canonical space.
//
// Raposo et al. 2017 "finish training by computing a forward pass with the training
// data and fitting a linear CCA model on those non-linear mappings": the Deep CCA
// loss only makes the two outputs maximally correlated as a whole; linear CCA finds
// the directions in which they are, ordered by correlation, and those directions are
// the embedding space.
//
// With the notation of detail/canonical_core.hpp the weights are W1 = S_11^{-1/2} U,
// W2 = S_22^{-1/2} V and transform(x) = W^T (x - mean). With no ridge the canonical
// variates of the training data then have unit variance and are uncorrelated, and
// corr(variate1_i, variate2_i) = sigma_i. Sign convention: each pair of columns is
// flipped so that the entry of largest magnitude in W1's column is positive.
#pragma once

#include <cmath>
#include <vector>

#include "canon/cca/detail/canonical_core.hpp"

namespace canon::cca {

struct LinearCcaOptions {
  double ridge1 = 0.0;           // added to the first view's covariance
  double ridge2 = 0.0;
  // How many pairs to keep; 0: every pair the data support, that is at most
  // min(o1, o2, m - 1) and fewer when correlations fall to singular_floor x sigma_1.
  // Asking for more than the data support throws.
  Index components = 0;
  double singular_floor = 1e-12; // in [0, 1), relative to sigma_1: pairs at or below it are dropped
  detail::WhiteningPath path = detail::WhiteningPath::automatic;
};

/// The smallest number of leading correlations whose sum reaches `fraction` of the
/// total (a way to choose the number of components).
inline Index components_for_fraction(const Vector<double>& correlations, double fraction) {
  canon::detail::require_in_range(fraction, 0.0, 1.0, "components_for_fraction", "fraction");
  const double total = correlations.sum();
  double running = 0;
  for (Index i = 0; i < correlations.size(); ++i) {
    running += correlations(i);
    if (running >= fraction * total - 1e-15 * total) return i + 1;
  }
  return correlations.size();
}

template <class Scalar>
class LinearCCA {
  CANON_REQUIRE_SCALAR(Scalar);

 public:
  explicit LinearCCA(LinearCcaOptions options = {}) : options_(options) {
    canon::detail::require_in_range(options.ridge1, 0.0, 1e12, "LinearCCA", "ridge1");
    canon::detail::require_in_range(options.ridge2, 0.0, 1e12, "LinearCCA", "ridge2");
    if (options.components < 0)
      throw value_error(canon::detail::message("LinearCCA: components must be >= 0, got ", options.components));
    if (!(options.singular_floor >= 0.0 && options.singular_floor < 1.0))
      throw value_error(canon::detail::message("LinearCCA: singular_floor must lie in [0, 1) (relative to the "
                                               "largest correlation), got ", options.singular_floor));
  }

  /// Fits on paired columns of x1 (o1 x m) and x2 (o2 x m). Computed in double.
  void fit(const Matrix<Scalar>& x1, const Matrix<Scalar>& x2) {
    const char* where = "LinearCCA::fit";
    if (x1.cols() != x2.cols())
      throw shape_error(canon::detail::message(where, ": the views have ", x1.cols(), " and ", x2.cols(),
                                               " samples (columns); they must be paired"));
    canon::detail::require_batch(x1, 2, where, "covariances need m >= 2");
    canon::detail::require_features(x1, where, "the first view");
    canon::detail::require_features(x2, where, "the second view");
    canon::detail::require_finite(x1, where, "first view");
    canon::detail::require_finite(x2, where, "second view");
    detail::WhitenedView<double> v1, v2;
    detail::CanonicalPairs<double> pairs;
    detail::whiten(x1, options_.ridge1, options_.path, 1, where, v1);
    detail::whiten(x2, options_.ridge2, options_.path, 2, where, v2);
    detail::canonical_pairs(v1, v2, where, pairs);
    const double floor = options_.singular_floor * (pairs.correlations.size() ? pairs.correlations(0) : 0.0);
    Index k = 0;
    while (k < pairs.correlations.size() && pairs.correlations(k) > floor) ++k;
    k = std::min(k, x1.cols() - 1);  // centring leaves at most m - 1 directions
    if (k == 0) {
      // Nothing to project onto: without this the fit "succeeds" and the first
      // transform reports a missing fit. Say which view carries no signal.
      for (const auto* v : {&v1, &v2})
        if (v->centred.isZero(0.0))
          throw value_error(canon::detail::message(
              where, ": the ", detail::view_name(v == &v1 ? 1 : 2),
              " is constant (every sample equal), so no canonical correlation exists; "
              "expected views that vary across samples"));
      throw value_error(canon::detail::message(
          where, ": no canonical pair has a correlation above singular_floor x sigma_1 (largest ",
          pairs.correlations.size() ? pairs.correlations(0) : 0.0,
          "); the views are uncorrelated or degenerate, expected at least one correlated pair"));
    }
    if (options_.components > 0) {
      if (options_.components > k)
        throw value_error(canon::detail::message(where, ": ", options_.components,
                                                 " components requested, but the data support only ", k));
      k = options_.components;
    }
    Matrix<double> w1, w2;
    detail::canonical_weights(v1, pairs.core_u, pairs.variates2, pairs.correlations, floor, w1);
    detail::canonical_weights(v2, pairs.core_v, pairs.variates1, pairs.correlations, floor, w2);
    w1.conservativeResize(Eigen::NoChange, k);
    w2.conservativeResize(Eigen::NoChange, k);
    for (Index j = 0; j < k; ++j) {
      Index largest;
      w1.col(j).cwiseAbs().maxCoeff(&largest);
      if (w1(largest, j) < 0) {
        w1.col(j) *= -1;
        w2.col(j) *= -1;
      }
    }
    correlations_ = pairs.correlations.head(k);
    weights1_ = w1.cast<Scalar>();
    weights2_ = w2.cast<Scalar>();
    mean1_ = v1.mean.cast<Scalar>();
    mean2_ = v2.mean.cast<Scalar>();
  }

  bool fitted() const { return weights1_.size() > 0; }
  Index components() const { return correlations_.size(); }
  const Vector<double>& correlations() const { return correlations_; }
  const Matrix<Scalar>& weights1() const { return weights1_; }
  const Matrix<Scalar>& weights2() const { return weights2_; }
  const Vector<Scalar>& mean1() const { return mean1_; }
  const Vector<Scalar>& mean2() const { return mean2_; }

  /// Canonical variates of new first-view data: W1^T (x - mean1), k x n.
  Matrix<Scalar> transform_first(const Matrix<Scalar>& x) const { return project(x, weights1_, mean1_, "first"); }
  Matrix<Scalar> transform_second(const Matrix<Scalar>& x) const { return project(x, weights2_, mean2_, "second"); }

 private:
  Matrix<Scalar> project(const Matrix<Scalar>& x, const Matrix<Scalar>& w, const Vector<Scalar>& mean,
                         const char* view) const {
    if (!fitted()) throw error("LinearCCA: transform called before fit");
    canon::detail::require_rows(x, w.rows(), std::string("LinearCCA::transform_") + view, "input");
    canon::detail::require_finite(x, "LinearCCA::transform", "input");
    Matrix<Scalar> centred = x;
    centred.colwise() -= mean;
    return w.transpose() * centred;
  }

  LinearCcaOptions options_;
  Vector<double> correlations_;
  Matrix<Scalar> weights1_, weights2_;
  Vector<Scalar> mean1_, mean2_;
};

}  // namespace canon::cca
