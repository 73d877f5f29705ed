// canon/cca/projection.hpp — a fitted linear CCA projection as part of a saved model.
//
// Deep CCA models end the way Raposo et al. 2017 do: one forward pass over the training
// data, linear CCA of the two branch outputs, and the embedding
//   z_i = W_i^T (h_i - mu_i)          (i = 1, 2; k components)
// Projection holds W_1, W_2, mu_1, mu_2 and the training correlations as buffers, so the
// model file that holds the networks holds the projection too, and a model loaded from
// it embeds new data without refitting. Their names are "projection.<view>_weights",
// "projection.<view>_mean" and "projection.correlations". The number of components k
// is whatever the fit found; shapes_for_load() reads it from the file.
#pragma once

#include <array>
#include <map>
#include <string>

#include "canon/cca/linear_cca.hpp"
#include "canon/core/parameter.hpp"
#include "canon/core/serialization.hpp"

namespace canon::cca {

template <class Scalar>
class Projection {
 public:
  Projection(const std::string& first_view, const std::string& second_view)
      : weights1_{Matrix<Scalar>(), "projection." + first_view + "_weights"},
        weights2_{Matrix<Scalar>(), "projection." + second_view + "_weights"},
        mean1_{Matrix<Scalar>(), "projection." + first_view + "_mean"},
        mean2_{Matrix<Scalar>(), "projection." + second_view + "_mean"},
        correlations_{Matrix<Scalar>(), "projection.correlations"} {}

  /// The fit a Deep CCA model ends with: the ridges of its loss (whose objective the
  /// networks were fitted to), and `components` pairs kept (0: all).
  static LinearCcaOptions options_for(double ridge1, double ridge2, Index components) {
    LinearCcaOptions o;
    o.ridge1 = ridge1;
    o.ridge2 = ridge2;
    o.components = components;
    return o;
  }

  /// Linear CCA of paired outputs h1 (o1 x m) and h2 (o2 x m).
  void fit(const Matrix<Scalar>& h1, const Matrix<Scalar>& h2, const LinearCcaOptions& options) {
    LinearCCA<Scalar> lcca(options);
    lcca.fit(h1, h2);
    weights1_.value = lcca.weights1();
    weights2_.value = lcca.weights2();
    mean1_.value = lcca.mean1();
    mean2_.value = lcca.mean2();
    correlations_.value = lcca.correlations().template cast<Scalar>();
  }

  bool fitted() const { return weights1_.value.size() > 0; }
  Index components() const { return correlations_.value.rows(); }
  /// Canonical correlations of the training outputs, largest first.
  Vector<Scalar> correlations() const { return correlations_.value.col(0); }

  /// z_1 = W_1^T (h_1 - mu_1), k x n; `where` names the model in the message.
  Matrix<Scalar> first(const Matrix<Scalar>& h, const char* where) const {
    return project(h, weights1_.value, mean1_.value, where);
  }
  Matrix<Scalar> second(const Matrix<Scalar>& h, const char* where) const {
    return project(h, weights2_.value, mean2_.value, where);
  }

  template <class Visitor>
  void visit_buffers(Visitor&& visit) {
    for (Buffer<Scalar>* b : buffers()) visit(*b);
  }

  /// The shapes the projection's tensors must have in a file whose branches end in o1
  /// and o2 outputs: k is taken from the stored correlations (0 for a model saved
  /// before fitting, whose projection tensors are all empty) and must not exceed
  /// min(o1, o2). Pass the result to detail::assign_model_tensors.
  canon::detail::ShapeOverrides shapes_for_load(const std::map<std::string, canon::detail::StoredTensor>& stored,
                                                const std::string& path, Index o1, Index o2,
                                                const char* where) const {
    const auto found = stored.find(correlations_.name);
    const Index k = found != stored.end() ? found->second.value.rows() : 0;
    if (k > std::min(o1, o2))
      throw shape_error(canon::detail::message(
          where, ": '", path, "' stores ", k, " canonical correlations in '", correlations_.name,
          "'; the branches' output sizes ", o1, " and ", o2, " allow at most ", std::min(o1, o2)));
    const Index one = k > 0 ? 1 : 0;
    return {{weights1_.name, {k > 0 ? o1 : 0, k}}, {weights2_.name, {k > 0 ? o2 : 0, k}},
            {mean1_.name, {k > 0 ? o1 : 0, one}},  {mean2_.name, {k > 0 ? o2 : 0, one}},
            {correlations_.name, {k, one}}};
  }

 private:
  Matrix<Scalar> project(const Matrix<Scalar>& h, const Matrix<Scalar>& w, const Matrix<Scalar>& mean,
                         const char* where) const {
    if (!fitted()) throw error(canon::detail::message(where, ": embed called before fit (or load)"));
    canon::detail::require_rows(h, w.rows(), where, "branch outputs");
    // A NaN output (a diverged network, a NaN input) would spread to every component.
    canon::detail::require_finite(h, where, "branch outputs");
    return w.transpose() * (h.colwise() - mean.col(0));
  }

  std::array<Buffer<Scalar>*, 5> buffers() { return {&weights1_, &weights2_, &mean1_, &mean2_, &correlations_}; }

  Buffer<Scalar> weights1_, weights2_, mean1_, mean2_, correlations_;
};

}  // namespace canon::cca
