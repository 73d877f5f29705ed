// canon/loss/bce.hpp — binary cross-entropy on logits, with per-class weights.
//
// Each row of the prediction is one binary output ("class"), each column a sample.
// With sigma the logistic function, for logit x and label y in [0, 1]:
//
//   l = -[ w+ y log sigma(x) + w- (1 - y) log(1 - sigma(x)) ]
//     =    w+ y softplus(-x) + w- (1 - y) softplus(x)
//   dl/dx = -w+ y (1 - sigma(x)) + w- (1 - y) sigma(x)
//   L = 1/N sum l                      (mean over all N elements)
//
// w+ (positive_weight) and w- (negative_weight) are per row and default to 1.
// negative_weight = 1 gives PyTorch's BCEWithLogitsLoss(pos_weight=w+); setting both
// gives Keras-style class weights (Avramidis et al. weight the classes to balance
// them; `balanced_class_weights` computes n / (2 n_c) from the labels).
// softplus(x) = max(x, 0) + log1p(exp(-|x|)) never overflows.
#pragma once

#include <utility>

#include "canon/loss/detail/pointwise.hpp"

namespace canon::loss {

template <class Scalar>
class BCEWithLogits {
  CANON_REQUIRE_SCALAR(Scalar);

 public:
  BCEWithLogits() = default;

  /// positive_weight and negative_weight: one weight per row (class), >= 0.
  BCEWithLogits(Vector<Scalar> positive_weight, Vector<Scalar> negative_weight)
      : positive_weight_(std::move(positive_weight)),
        negative_weight_(std::move(negative_weight)) {
    for (const auto* w : {&positive_weight_, &negative_weight_}) {
      canon::detail::require_finite(*w, "BCEWithLogits", "class weight");
      if ((w->array() < Scalar(0)).any())
        throw value_error("BCEWithLogits: class weights must be >= 0");
    }
    if (positive_weight_.size() != negative_weight_.size())
      throw shape_error(canon::detail::message(
          "BCEWithLogits: ", positive_weight_.size(), " positive weights but ",
          negative_weight_.size(), " negative weights; expected one of each per class"));
  }

  Scalar forward(const Matrix<Scalar>& logits, const Matrix<Scalar>& labels) {
    detail::check_prediction_target(logits, labels, "BCEWithLogits::forward");
    if ((labels.array() < Scalar(0)).any() || (labels.array() > Scalar(1)).any())
      throw value_error("BCEWithLogits::forward: labels must lie in [0, 1]");
    const bool weighted = positive_weight_.size() != 0;
    if (weighted && positive_weight_.size() != logits.rows())
      throw shape_error(canon::detail::message(
          "BCEWithLogits::forward: ", positive_weight_.size(), " class weights for ",
          logits.rows(), " classes (rows)"));
    logits_ = &logits;
    labels_ = &labels;
    const auto x = logits.array();
    const auto y = labels.array();
    // softplus(x) and softplus(-x) share the term log1p(exp(-|x|)).
    const auto shared = (-x.abs()).exp().log1p();
    const auto softplus_pos = x.max(Scalar(0)) + shared;     // -log(1 - sigma(x))
    const auto softplus_neg = (-x).max(Scalar(0)) + shared;  // -log sigma(x)
    Scalar total;
    if (weighted) {
      total = ((y * softplus_neg).colwise() * positive_weight_.array() +
               ((Scalar(1) - y) * softplus_pos).colwise() * negative_weight_.array())
                  .sum();
    } else {
      total = (y * softplus_neg + (Scalar(1) - y) * softplus_pos).sum();
    }
    return total / Scalar(logits.size());
  }

  /// dL/dlogits for the last forward.
  const Matrix<Scalar>& backward() {
    if (logits_ == nullptr) throw error("BCEWithLogits::backward called before forward");
    const auto x = logits_->array();
    const auto y = labels_->array();
    const auto sigma = Scalar(1) / (Scalar(1) + (-x).exp());
    const Scalar scale = Scalar(1) / Scalar(logits_->size());
    gradient_.resize(logits_->rows(), logits_->cols());
    if (positive_weight_.size() != 0) {
      gradient_.array() =
          scale * (((Scalar(1) - y) * sigma).colwise() * negative_weight_.array() -
                   (y * (Scalar(1) - sigma)).colwise() * positive_weight_.array());
    } else {
      gradient_.array() = scale * (sigma - y);
    }
    return gradient_;
  }

 private:
  Vector<Scalar> positive_weight_;
  Vector<Scalar> negative_weight_;
  const Matrix<Scalar>* logits_ = nullptr;
  const Matrix<Scalar>* labels_ = nullptr;
  Matrix<Scalar> gradient_;
};

/// Class weights that balance a binary label matrix per row: w_c = n / (2 n_c),
/// as scikit-learn's compute_class_weight('balanced'). Returns {w+, w-}.
template <class Scalar>
std::pair<Vector<Scalar>, Vector<Scalar>> balanced_class_weights(const Matrix<Scalar>& labels) {
  canon::detail::require_batch(labels, 1, "balanced_class_weights");
  const Index rows = labels.rows();
  const Scalar n = Scalar(labels.cols());
  Vector<Scalar> positive(rows), negative(rows);
  for (Index r = 0; r < rows; ++r) {
    const Scalar n_pos = labels.row(r).sum();
    const Scalar n_neg = n - n_pos;
    if (n_pos <= Scalar(0) || n_neg <= Scalar(0))
      throw value_error(canon::detail::message(
          "balanced_class_weights: class ", r, " has ", n_pos, " positive and ", n_neg,
          " negative labels; both classes must occur"));
    positive(r) = n / (Scalar(2) * n_pos);
    negative(r) = n / (Scalar(2) * n_neg);
  }
  return {positive, negative};
}

}  // namespace canon::loss
