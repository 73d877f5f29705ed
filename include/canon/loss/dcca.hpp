// canon/loss/dcca.hpp — the Deep CCA loss (Andrew, Arora, Bilmes & Livescu, ICML 2013)
// and the variants its users train with.
//
// For network outputs H1 (o1 x m) and H2 (o2 x m) over a batch of m samples, with T
// as in cca/detail/canonical_core.hpp and singular values sigma_i (the canonical
// correlations of the batch), the objectives are
//   trace_norm          f = sum_i sigma_i                 (Andrew et al.; the default)
//   top_k               f = sum_{i<=k} sigma_i
//   squared_frobenius   f = ||T||_F^2 = sum_i sigma_i^2
//   frobenius           f = ||T||_F                       (what Raposo et al.'s code optimised)
// and the loss is L = -f, to be minimised. Every one is a function of the sigma_i, and
// for f = sum_i g(sigma_i) the exact gradient is (docs/math/dcca-gradient.md)
//
//   dL/dH1 = -W1 diag(g'(sigma)) (Phi_2 - diag(sigma) Phi_1) / (m-1)
//
// with W1 the first view's canonical weights and Phi_i the canonical variates (H2
// symmetric). For trace_norm this is Andrew et al.'s closed form. It contains no
// difference of eigenvalues, so it is finite where autograd through an
// eigendecomposition returns NaN (tied eigenvalues, as when o > m). Components with
// sigma_i <= singular_floor * sigma_1 get g' = 0: the trace norm is not differentiable
// at a zero singular value and 0 is the smallest subgradient there (rank-deficient T:
// m <= o). For top_k with sigma_k = sigma_{k+1} the gradient is one element of the
// subdifferential, chosen by the SVD's basis.
//
// A fifth objective, eckart_young, is the DCCA-EY loss of Chapman et al. 2023
// (loss/detail/dcca_eckart_young.hpp): no whitening, unbiased mini-batch gradients.
//
// Degenerate batches. With m samples the centred outputs have rank <= m - 1, so when
// o1 + o2 >= m at least o1 + o2 - m + 1 canonical correlations are 1 (up to the ridge)
// whatever the networks compute: the objective is then (nearly) constant and its gradient
// says nothing about the data (EMER-CL's D = 1024 with batches of 128 or 512). forward()
// then sets warning() to a message with the numbers and the remedies, and the training
// loop reports it; it does not throw, since full-batch training of a small output is a
// legitimate use of the same code.
#pragma once

#include <cmath>
#include <limits>

#include <string>

#include "canon/cca/detail/canonical_core.hpp"
#include "canon/core/checks.hpp"
#include "canon/loss/detail/dcca_eckart_young.hpp"

namespace canon::loss {

enum class DccaObjective { trace_norm, top_k, squared_frobenius, frobenius, eckart_young };

struct DccaOptions {
  DccaObjective objective = DccaObjective::trace_norm;
  Index k = 0;                 // for top_k: how many correlations to sum
  double ridge1 = 1e-3;        // r1, added to the first view's covariance
  double ridge2 = 1e-3;        // r2
  double singular_floor = 1e-9;  // relative to sigma_1: smaller sigma count as zero
  // Float models compute in float unless this is set; double is the safer choice when
  // correlations are near 1 or batches small (about 1.8x slower at o = 128).
  bool double_precision = false;
  cca::detail::WhiteningPath path = cca::detail::WhiteningPath::automatic;
  // eckart_young: estimate B on two independent halves of the batch (unbiased gradient;
  // Chapman et al.), or on the whole batch (biased).
  bool independent_halves = true;
};

template <class Scalar>
class DeepCCA {
  CANON_REQUIRE_SCALAR(Scalar);

 public:
  using scalar_type = Scalar;

  /// dL/dH1 and dL/dH2, also as g[0], g[1] (the interface of loss/gradients.hpp).
  struct Gradients {
    const Matrix<Scalar>& first;   // dL/dH1
    const Matrix<Scalar>& second;  // dL/dH2

    static constexpr std::size_t size() { return 2; }
    const Matrix<Scalar>& operator[](std::size_t i) const {
      if (i > 1) throw error(canon::detail::message("DeepCCA gradients: input ", i, " of 2"));
      return i == 0 ? first : second;
    }
  };

  explicit DeepCCA(DccaOptions options = {}) : options_(options) {
    const char* where = "DeepCCA";
    canon::detail::require_in_range(options.ridge1, 0.0, 1e12, where, "ridge1");
    canon::detail::require_in_range(options.ridge2, 0.0, 1e12, where, "ridge2");
    canon::detail::require_in_range(options.singular_floor, 0.0, 1.0, where, "singular_floor");
    if (options.objective == DccaObjective::top_k && options.k < 1)
      throw value_error(canon::detail::message(where, ": the top_k objective needs k >= 1, got ", options.k));
  }

  const DccaOptions& options() const { return options_; }

  /// L = -f(T) for the batch; keeps what backward needs.
  Scalar forward(const Matrix<Scalar>& h1, const Matrix<Scalar>& h2) {
    const char* where = "DeepCCA::forward";
    if (h1.cols() != h2.cols())
      throw shape_error(canon::detail::message(where, ": the views have ", h1.cols(), " and ", h2.cols(),
                                               " samples (columns); they must be paired"));
    canon::detail::require_batch(h1, 2, where, "covariances need m >= 2");
    canon::detail::require_features(h1, where, "the first view");
    canon::detail::require_features(h2, where, "the second view");
    canon::detail::require_finite(h1, where, "first view");
    canon::detail::require_finite(h2, where, "second view");
    if (options_.objective == DccaObjective::top_k && options_.k > std::min(h1.rows(), h2.rows()))
      throw value_error(canon::detail::message(where, ": top_k with k = ", options_.k, " but only ",
                                               std::min(h1.rows(), h2.rows()), " correlations exist"));
    const Index m = h1.cols(), o1 = h1.rows(), o2 = h2.rows();
    double value;
    if (eckart_young()) {
      warning_.clear();
      correlations_.resize(0);
      value = compute_in_double() ? ey_d_.forward(h1, h2, options_.independent_halves, where)
                                  : ey_s_.forward(h1, h2, options_.independent_halves, where);
    } else {
      warning_ = o1 + o2 >= m ? degenerate_message(o1, o2, m) : std::string();
      value = compute_in_double() ? work_d_.forward(h1, h2, options_, correlations_)
                                  : work_s_.forward(h1, h2, options_, correlations_);
    }
    objective_ = value;
    ready_ = true;
    return Scalar(-value);
  }

  /// dL/dH1 and dL/dH2 for the last forward.
  Gradients backward() {
    if (!ready_) throw error("DeepCCA::backward called before forward");
    if (eckart_young()) {
      if (compute_in_double())
        ey_d_.backward(grad1_, grad2_);
      else
        ey_s_.backward(grad1_, grad2_);
    } else if (compute_in_double()) {
      work_d_.backward(grad1_, grad2_);
    } else {
      work_s_.backward(grad1_, grad2_);
    }
    return {grad1_, grad2_};
  }

  /// The objective f (the negated loss) of the last forward.
  double objective() const { return objective_; }
  /// The canonical correlations of the last batch, largest first (empty for
  /// eckart_young, which computes none).
  const Vector<double>& correlations() const { return correlations_; }
  /// Empty, or why the last batch's objective is degenerate (see the top of this header).
  const std::string& warning() const { return warning_; }

 private:
  bool eckart_young() const { return options_.objective == DccaObjective::eckart_young; }

  static std::string degenerate_message(Index o1, Index o2, Index m) {
    return canon::detail::message(
        "DeepCCA: outputs of ", o1, " and ", o2, " dimensions on a batch of m = ", m,
        " samples: o1 + o2 >= m, so at least ", o1 + o2 - m + 1,
        " canonical correlations are 1 whatever the networks compute and the objective is "
        "degenerate. Use batches of more than o1 + o2 samples (or train the CCA part "
        "full-batch), fewer output dimensions, or DccaObjective::eckart_young, whose "
        "mini-batch gradients are unbiased");
  }

  bool compute_in_double() const { return options_.double_precision || std::is_same_v<Scalar, double>; }

  // The computation in precision Real (double, or the model's own float).
  template <class Real>
  struct Work {
    cca::detail::WhitenedView<Real> view1, view2;
    cca::detail::CanonicalPairs<Real> pairs;
    Vector<Real> slope;  // g'(sigma_i)
    Matrix<Real> weights, residual, gradient;

    double forward(const Matrix<Scalar>& h1, const Matrix<Scalar>& h2, const DccaOptions& o,
                   Vector<double>& correlations) {
      cca::detail::whiten(h1, Real(o.ridge1), o.path, 1, "DeepCCA::forward", view1);
      cca::detail::whiten(h2, Real(o.ridge2), o.path, 2, "DeepCCA::forward", view2);
      cca::detail::canonical_pairs(view1, view2, "DeepCCA::forward", pairs);
      const Vector<Real>& s = pairs.correlations;
      correlations = s.template cast<double>();
      const Real floor = Real(o.singular_floor) * (s.size() > 0 ? s(0) : Real(0));
      slope.setZero(s.size());
      double f = 0;
      switch (o.objective) {
        case DccaObjective::trace_norm:
          f = double(s.sum());
          for (Index i = 0; i < s.size(); ++i) slope(i) = s(i) > floor ? Real(1) : Real(0);
          break;
        case DccaObjective::top_k:
          f = double(s.head(o.k).sum());
          for (Index i = 0; i < o.k; ++i) slope(i) = s(i) > floor ? Real(1) : Real(0);
          break;
        case DccaObjective::squared_frobenius:
          f = double(s.squaredNorm());
          slope = Real(2) * s;
          break;
        case DccaObjective::frobenius: {
          f = double(s.norm());
          if (f > 0) slope = s / Real(f);
          break;
        }
        case DccaObjective::eckart_young:  // never reaches the whitening path
          throw error("DeepCCA: internal error, eckart_young reached the whitening path");
      }
      floor_ = floor;
      return f;
    }

    // dL/dH_i = -W_i diag(g') (Phi_j - diag(sigma) Phi_i) / (m-1)
    void backward(Matrix<Scalar>& grad1, Matrix<Scalar>& grad2) {
      one_view(view1, pairs.core_u, pairs.variates1, pairs.variates2, grad1);
      one_view(view2, pairs.core_v, pairs.variates2, pairs.variates1, grad2);
    }

   private:
    Real floor_ = 0;
    void one_view(const cca::detail::WhitenedView<Real>& view, const Matrix<Real>& core_vectors,
                  const Matrix<Real>& own, const Matrix<Real>& other, Matrix<Scalar>& out) {
      const Vector<Real>& s = pairs.correlations;
      const Index m = view.centred.cols();
      cca::detail::canonical_weights(view, core_vectors, other, s, floor_, weights);
      residual.noalias() = other - s.asDiagonal() * own;
      residual = (-slope / Real(m - 1)).asDiagonal() * residual;
      gradient.noalias() = weights * residual;
      out = gradient.template cast<Scalar>();
    }
  };

  DccaOptions options_;
  Work<double> work_d_;
  Work<Scalar> work_s_;
  canon::detail::EckartYoungWork<double> ey_d_;
  canon::detail::EckartYoungWork<Scalar> ey_s_;
  std::string warning_;
  Vector<double> correlations_;
  Matrix<Scalar> grad1_, grad2_;
  double objective_ = std::numeric_limits<double>::quiet_NaN();
  bool ready_ = false;
};

}  // namespace canon::loss
