// canon/train/classification_task.hpp — binary classification of columns as a task of
// the generic loop (train/loop.hpp): a network f, logits f(X[:, batch]) (1 x m), and the
// binary cross-entropy on logits with class weights (loss/bce.hpp).
//
// Class weights, when balanced, come from the *training* labels only,
// w_c = n / (2 n_c) (scikit-learn's "balanced"; Avramidis 2022 weighs its BCE losses
// this way), and the same weights score the validation loss, so early stopping sees the
// objective that is trained.
#pragma once

#include <vector>

#include "canon/core/checks.hpp"
#include "canon/loss/bce.hpp"
#include "canon/train/loop.hpp"

namespace canon::train {

template <class Model>
class ClassificationTask : public ModelTask<Model> {
 public:
  using typename ModelTask<Model>::scalar_type;
  using Data = Matrix<scalar_type>;

  /// labels: 1 x n of 0/1; validation may be empty. The matrices are referenced.
  ClassificationTask(Model& model, const Data& x, const Data& labels, const Data& validation_x,
                     const Data& validation_labels, bool balanced = true)
      : ModelTask<Model>(model), x_(x), y_(labels), vx_(validation_x), vy_(validation_labels) {
    const char* where = name();
    canon::detail::require_shape(labels, 1, x.cols(), where, "training labels (1 x samples)");
    canon::detail::require_shape(validation_labels, 1, validation_x.cols(), where,
                                 "validation labels (1 x samples)");
    canon::detail::require_finite(x, where, "training inputs");
    for (const Data* y : {&labels, &validation_labels})
      for (Index j = 0; j < y->cols(); ++j)
        if ((*y)(0, j) != scalar_type(0) && (*y)(0, j) != scalar_type(1))
          throw value_error(canon::detail::message(where, ": label ", j, " is ", (*y)(0, j),
                                                   "; expected 0 or 1"));
    if (balanced) {
      auto [positive, negative] = loss::balanced_class_weights(labels);
      loss_ = loss::BCEWithLogits<scalar_type>(positive, negative);
    }
  }

  const char* name() const { return "train::ClassificationTask"; }
  Index samples() const { return x_.cols(); }
  bool has_validation() const { return vx_.cols() > 0; }

  double train_batch(const std::vector<Index>& indices, const BatchPosition&) {
    detail::gather_columns(x_, indices, batch_x_);
    detail::gather_columns(y_, indices, batch_y_);
    const double value = double(loss_.forward(model_.forward(batch_x_, Mode::train), batch_y_));
    if (std::isfinite(value)) model_.backward(loss_.backward());
    return value;
  }

  double validation_loss() { return double(loss_.forward(model_.forward(vx_, Mode::eval), vy_)); }

 private:
  using ModelTask<Model>::model_;
  const Data &x_, &y_, &vx_, &vy_;
  loss::BCEWithLogits<scalar_type> loss_;
  Data batch_x_, batch_y_;
};

/// Predicted labels (logit > 0) of a model on x in eval mode.
template <class Model>
std::vector<Index> predict_labels(Model& model, const Matrix<typename Model::scalar_type>& x) {
  const auto& logits = model.forward(x, Mode::eval);
  std::vector<Index> out(std::size_t(logits.cols()));
  for (Index j = 0; j < logits.cols(); ++j) out[std::size_t(j)] = logits(0, j) > 0 ? 1 : 0;
  return out;
}

}  // namespace canon::train
