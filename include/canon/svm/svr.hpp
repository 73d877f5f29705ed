// canon/svm/svr.hpp — epsilon-support vector regression with an RBF kernel, through
// libsvm (Chang & Lin, "LIBSVM: a library for support vector machines", ACM TIST 2011;
// component canon::svm). Vapnik's epsilon-insensitive loss, soft margin C:
//
//   min_{w,b}  1/2 |w|^2 + C sum_i max(0, |y_i - (w . phi(x_i) + b)| - epsilon)
//   f(x) = sum_{i in SV} alpha_i K(x_i, x) + b,   K(u, v) = exp(-gamma |u - v|^2)
//
// libsvm solves the dual with SMO (second-order working-set selection) until the
// maximal KKT violation is below `tolerance`; the same solver sits inside
// scikit-learn's SVR, so with the same C, epsilon, gamma and tolerance the two agree
// (tests/svm/test_svr.cpp, to 1e-6 and better). Without probability estimates libsvm's
// SVR uses no random numbers: the same data and options give bit-identical models.
//
// Layout: canon's, one column per sample (features x samples); the target is one value
// per sample (a row or a column vector). Any real scalar type goes in; libsvm computes
// in double and predictions come out as double.
//
// libsvm quirks this wrapper takes care of:
//  - the model keeps pointers into the training problem's nodes (its support vectors are
//    not copied): Svr owns the nodes for as long as it owns the model;
//  - libsvm prints progress to stdout through a process-wide function pointer: fit sets
//    it to a no-op (svm_set_print_string_function). That pointer is global libsvm state,
//    so a program that wants libsvm's messages elsewhere sets it again after a fit.
#pragma once

#include <svm.h>

#include <memory>
#include <optional>
#include <vector>

#include "canon/core/checks.hpp"
#include "canon/core/error.hpp"
#include "canon/core/types.hpp"

namespace canon::svm {

struct SvrOptions {
  double c = 1.0;                ///< soft margin C (scikit-learn's C)
  double epsilon = 0.1;          ///< half-width of the insensitive tube, in target units
  /// RBF width. Unset: scikit-learn's gamma='scale', 1 / (n_features * var(X)), var the
  /// population variance of every entry of the training X (1 when that variance is 0).
  std::optional<double> gamma;
  double tolerance = 1e-3;       ///< stopping tolerance of the solver (libsvm's -e, sklearn's tol)
  bool shrinking = true;         ///< libsvm's shrinking heuristic (does not change the optimum)
  double cache_mb = 200.0;       ///< kernel cache in MB (sklearn's cache_size); speed only
};

namespace detail {

inline void silent(const char*) {}

struct ModelDeleter {
  void operator()(svm_model* model) const { svm_free_and_destroy_model(&model); }
};

/// Writes sample x (features values) as libsvm nodes 1..d and the -1 terminator. Zeros
/// are kept (libsvm's sparse format allows it; the kernel is the same).
template <class Derived>
void write_nodes(const Eigen::MatrixBase<Derived>& x, Index column, svm_node* out) {
  const Index d = x.rows();
  for (Index i = 0; i < d; ++i) {
    out[i].index = int(i + 1);
    out[i].value = double(x.derived().coeff(i, column));
  }
  out[d].index = -1;
  out[d].value = 0.0;
}

}  // namespace detail

/// scikit-learn's gamma='scale' of a training matrix (features x samples):
/// 1 / (n_features * var(X)) over all entries (divisor rows * cols), 1 if var(X) is 0.
template <class Derived>
double scale_gamma(const Eigen::MatrixBase<Derived>& x) {
  const Index n = x.size();
  if (n == 0) throw value_error("svm::scale_gamma: empty matrix; expected features x samples");
  double mean = 0.0;
  for (Index j = 0; j < x.cols(); ++j)
    for (Index i = 0; i < x.rows(); ++i) mean += double(x.derived().coeff(i, j));
  mean /= double(n);
  double var = 0.0;  // two-pass, as numpy's var
  for (Index j = 0; j < x.cols(); ++j)
    for (Index i = 0; i < x.rows(); ++i) {
      const double e = double(x.derived().coeff(i, j)) - mean;
      var += e * e;
    }
  var /= double(n);
  return var != 0.0 ? 1.0 / (double(x.rows()) * var) : 1.0;
}

/// An RBF epsilon-SVR: fit on features x samples and one target per sample, predict one
/// value per column. Movable (the nodes move with the model), not copyable.
class Svr {
 public:
  explicit Svr(SvrOptions options = {}) : options_(options) { check_options(); }

  Svr(Svr&&) noexcept = default;
  Svr& operator=(Svr&&) noexcept = default;
  Svr(const Svr&) = delete;
  Svr& operator=(const Svr&) = delete;

  const SvrOptions& options() const { return options_; }
  bool fitted() const { return model_ != nullptr; }
  /// Number of features the model was fitted on.
  Index features() const { return features_; }
  /// The gamma of the fitted kernel (resolved from 'scale' when gamma was unset).
  double gamma() const {
    require_fitted("gamma");
    return gamma_;
  }
  /// Number of support vectors (samples with a non-zero dual coefficient).
  Index support_vectors() const {
    require_fitted("support_vectors");
    return Index(model_->l);
  }
  /// The intercept b of f(x) (libsvm's -rho; scikit-learn's intercept_).
  double intercept() const {
    require_fitted("intercept");
    return -model_->rho[0];
  }

  /// Fits on x (features x samples, at least 2 samples, finite) and y (one finite value
  /// per sample, a row or a column vector). A refit replaces the previous model.
  template <class X, class Y>
  Svr& fit(const Eigen::MatrixBase<X>& x, const Eigen::MatrixBase<Y>& y) {
    const char* where = "svm::Svr::fit";
    if (x.rows() < 1)
      throw shape_error(canon::detail::message(where, ": x must be features x samples with at least one "
                                               "feature, got ", canon::detail::shape_of(x)));
    if (y.rows() != 1 && y.cols() != 1)
      throw shape_error(canon::detail::message(where, ": y must be a vector (one target per sample), got ",
                                               canon::detail::shape_of(y)));
    if (y.size() != x.cols())
      throw shape_error(canon::detail::message(where, ": x has ", x.cols(), " samples (columns) but y has ",
                                               y.size(), " targets; expected one target per column of x"));
    canon::detail::require_batch(x, 2, where, "an SVR needs at least 2 training samples");
    canon::detail::require_finite(x, where, "x");
    canon::detail::require_finite(y, where, "y");

    const Index d = x.rows(), n = x.cols();
    const auto count = static_cast<std::size_t>(n);
    std::vector<svm_node> nodes(static_cast<std::size_t>(d + 1) * count);
    std::vector<svm_node*> rows(count);
    std::vector<double> targets(count);
    for (Index j = 0; j < n; ++j) {
      rows[std::size_t(j)] = nodes.data() + (d + 1) * j;
      detail::write_nodes(x, j, rows[std::size_t(j)]);
      targets[std::size_t(j)] = double(y.derived().coeff(j));
    }
    svm_problem problem{};
    problem.l = int(n);
    problem.y = targets.data();
    problem.x = rows.data();

    const double gamma = options_.gamma ? *options_.gamma : scale_gamma(x);
    svm_parameter param = parameters(gamma);
    if (const char* problem_text = svm_check_parameter(&problem, &param))
      throw value_error(canon::detail::message(where, ": libsvm rejected the parameters: ", problem_text));
    svm_set_print_string_function(&detail::silent);
    std::unique_ptr<svm_model, detail::ModelDeleter> model(svm_train(&problem, &param));
    if (!model) throw numerical_error(canon::detail::message(where, ": libsvm's svm_train returned no model"));

    // The model points into `nodes` (through rows): keep both, with the model, from now on.
    model_ = std::move(model);
    nodes_ = std::move(nodes);
    rows_ = std::move(rows);
    targets_ = std::move(targets);
    features_ = d;
    gamma_ = gamma;
    return *this;
  }

  /// f(x) for every column of x (features() rows, finite): a row vector of x.cols() values.
  template <class X>
  RowVector<double> predict(const Eigen::MatrixBase<X>& x) const {
    const char* where = "svm::Svr::predict";
    require_fitted("predict");
    if (x.rows() != features_)
      throw shape_error(canon::detail::message(where, ": x must have ", features_,
                                               " rows (the features the SVR was fitted on; features x "
                                               "samples), got ", canon::detail::shape_of(x)));
    canon::detail::require_finite(x, where, "x");
    RowVector<double> out(x.cols());
    std::vector<svm_node> sample(static_cast<std::size_t>(features_ + 1));
    for (Index j = 0; j < x.cols(); ++j) {
      detail::write_nodes(x, j, sample.data());
      out(j) = svm_predict(model_.get(), sample.data());
    }
    return out;
  }

 private:
  void check_options() const {
    const char* where = "svm::Svr";
    canon::detail::require_positive(options_.c, where, "C");
    if (!(options_.epsilon >= 0.0))
      throw value_error(canon::detail::message(where, ": epsilon must be >= 0, got ", options_.epsilon));
    if (options_.gamma) canon::detail::require_positive(*options_.gamma, where, "gamma");
    canon::detail::require_positive(options_.tolerance, where, "tolerance");
    canon::detail::require_positive(options_.cache_mb, where, "cache_mb");
  }

  svm_parameter parameters(double gamma) const {
    svm_parameter p{};
    p.svm_type = EPSILON_SVR;
    p.kernel_type = RBF;
    p.degree = 3;
    p.gamma = gamma;
    p.coef0 = 0.0;
    p.cache_size = options_.cache_mb;
    p.eps = options_.tolerance;
    p.C = options_.c;
    p.nr_weight = 0;
    p.weight_label = nullptr;
    p.weight = nullptr;
    p.nu = 0.5;
    p.p = options_.epsilon;
    p.shrinking = options_.shrinking ? 1 : 0;
    p.probability = 0;  // probability estimates would draw random folds: never
    return p;
  }

  void require_fitted(const char* what) const {
    if (!model_)
      throw error(canon::detail::message("svm::Svr::", what, ": called before fit"));
  }

  SvrOptions options_;
  // Declared before model_: the model is destroyed first (it points into rows_ / nodes_).
  std::vector<svm_node> nodes_;
  std::vector<svm_node*> rows_;
  std::vector<double> targets_;
  std::unique_ptr<svm_model, detail::ModelDeleter> model_;
  Index features_ = 0;
  double gamma_ = 0.0;
};

}  // namespace canon::svm
