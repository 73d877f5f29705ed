// canon/data/standardise.hpp — per-feature standardisation learnt on training samples
// and applied unchanged to held-out ones.
//
// Features are rows and samples columns (canon's layout). fit() takes, per row, the
// mean and the *sample* standard deviation (divisor n - 1; with a single sample the
// divisor is 1, so its sd is 0). A row whose sd is 0 (constant in the training
// samples) gets the divisor 1 instead: transform() then only centres it, so it is 0 on
// the training samples rather than NaN. transform() computes (x - mean) / sd per row.
#pragma once

#include <algorithm>

#include "canon/core/checks.hpp"

namespace canon::data {

template <class Scalar>
class Standardiser {
  CANON_REQUIRE_SCALAR(Scalar);

 public:
  /// Learns the mean and sd of every row of x (features x samples). Throws value_error
  /// when x has no samples or a non-finite value.
  Standardiser& fit(const Matrix<Scalar>& x) {
    canon::detail::require_batch(x, 1, "Standardiser::fit", "at least one sample to standardise with");
    canon::detail::require_finite(x, "Standardiser::fit", "the training samples");
    mean_ = x.rowwise().mean();
    sd_ = ((x.colwise() - mean_).array().square().rowwise().sum() /
           Scalar(std::max<Index>(x.cols() - 1, 1)))
              .sqrt()
              .matrix();
    for (Index i = 0; i < sd_.size(); ++i)
      if (!(sd_(i) > Scalar(0))) sd_(i) = Scalar(1);
    fitted_ = true;
    return *this;
  }

  /// (x - mean) / sd, row by row. Throws error before fit() and shape_error when x has
  /// another number of rows than the samples fit() saw.
  Matrix<Scalar> transform(const Matrix<Scalar>& x) const {
    if (!fitted()) throw error("Standardiser::transform called before fit");
    canon::detail::require_rows(x, mean_.size(), "Standardiser::transform", "the samples");
    return ((x.colwise() - mean_).array().colwise() / sd_.array()).matrix();
  }

  /// fit(x), then transform(x).
  Matrix<Scalar> fit_transform(const Matrix<Scalar>& x) { return fit(x).transform(x); }

  bool fitted() const { return fitted_; }
  /// Per-row mean of the training samples.
  const Vector<Scalar>& mean() const { return mean_; }
  /// Per-row divisor: the sample sd, or 1 where that is 0.
  const Vector<Scalar>& sd() const { return sd_; }

 private:
  Vector<Scalar> mean_, sd_;
  bool fitted_ = false;
};

}  // namespace canon::data
