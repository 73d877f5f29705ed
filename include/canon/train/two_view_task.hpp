// canon/train/two_view_task.hpp — the training step of a two-view model under a loss of
// both outputs (Deep CCA and friends), as a task of the generic loop (train/loop.hpp):
//
//   H1 = f1(X1[:, batch]),  H2 = f2(X2[:, batch])            (Mode::train)
//   L  = loss(H1, H2);  (dL/dH1, dL/dH2) = loss.backward();  backward through both branches
//
// Validation runs the networks in chunks of `validation_batch_size` samples (to bound
// memory) and evaluates the loss once on all the outputs: for Deep CCA the objective of
// the whole validation set, which is not a weighted mean of chunk objectives.
#pragma once

#include <algorithm>
#include <string>
#include <type_traits>
#include <utility>
#include <vector>

#include "canon/core/checks.hpp"
#include "canon/train/loop.hpp"

namespace canon::train {

/// The loop's options plus the chunk size of a two-view validation pass.
struct TrainerOptions : LoopOptions {
  Index validation_batch_size = 0;  // 0: the whole validation set at once
};

namespace detail {

/// Whether a loss can report a condition of its last batch (warning()).
template <class T, class = void>
struct has_warning : std::false_type {};
template <class T>
struct has_warning<T, std::void_t<decltype(std::declval<const T&>().warning())>> : std::true_type {};

}  // namespace detail

/// A TwoView model (train/two_view.hpp), a loss of both outputs, and paired data. The
/// matrices are referenced, not copied: they must outlive the task.
template <class Model, class Loss>
class TwoViewTask : public ModelTask<Model> {
 public:
  using typename ModelTask<Model>::scalar_type;
  using Data = Matrix<scalar_type>;

  /// Validation views may be empty matrices (no validation, no early stopping).
  TwoViewTask(Model& model, Loss& loss, const Data& x1, const Data& x2, const Data& validation1,
              const Data& validation2, Index validation_batch_size = 0)
      : ModelTask<Model>(model), loss_(loss), x1_(x1), x2_(x2), v1_(validation1), v2_(validation2),
        validation_batch_size_(validation_batch_size) {
    const char* where = name();
    if (x1.cols() != x2.cols())
      throw shape_error(canon::detail::message(where, ": the views have ", x1.cols(), " and ",
                                               x2.cols(), " samples; they must be paired"));
    if (validation1.cols() != validation2.cols())
      throw shape_error(canon::detail::message(where, ": the validation views have ",
                                               validation1.cols(), " and ", validation2.cols(),
                                               " samples; they must be paired"));
    if (validation_batch_size < 0)
      throw value_error(canon::detail::message(where, ": validation_batch_size must be >= 0, got ",
                                               validation_batch_size));
    canon::detail::require_finite(x1, where, "first view");
    canon::detail::require_finite(x2, where, "second view");
  }

  const char* name() const { return "train_two_view"; }
  Index samples() const { return x1_.cols(); }
  bool has_validation() const { return v1_.cols() > 0; }

  double train_batch(const std::vector<Index>& indices, const BatchPosition&) {
    detail::gather_columns(x1_, indices, batch1_);
    detail::gather_columns(x2_, indices, batch2_);
    const auto& h1 = model_.first().forward(batch1_, Mode::train);
    const auto& h2 = model_.second().forward(batch2_, Mode::train);
    const double value = double(loss_.forward(h1, h2));
    if constexpr (detail::has_warning<Loss>::value) note(loss_.warning());
    if (!std::isfinite(value)) return value;  // the loop reports where
    const auto& gradients = loss_.backward();
    model_.first().backward(gradients.first);
    model_.second().backward(gradients.second);
    return value;
  }

  double validation_loss() {
    const Index total = v1_.cols();
    const Index chunk = validation_batch_size_ > 0 ? validation_batch_size_ : total;
    for (Index start = 0; start < total; start += chunk) {
      const Index size = std::min(chunk, total - start);
      batch1_ = v1_.middleCols(start, size);
      batch2_ = v2_.middleCols(start, size);
      const auto& h1 = model_.first().forward(batch1_, Mode::eval);
      if (start == 0) out1_.resize(h1.rows(), total);
      out1_.middleCols(start, size) = h1;
      const auto& h2 = model_.second().forward(batch2_, Mode::eval);
      if (start == 0) out2_.resize(h2.rows(), total);
      out2_.middleCols(start, size) = h2;
    }
    return double(loss_.forward(out1_, out2_));
  }

  /// What the loss reported on training batches (Deep CCA: a degenerate batch), each once.
  const std::vector<std::string>& warnings() const { return warnings_; }

 private:
  using ModelTask<Model>::model_;
  void note(const std::string& warning) {
    if (!warning.empty() && std::find(warnings_.begin(), warnings_.end(), warning) == warnings_.end())
      warnings_.push_back(warning);
  }

  Loss& loss_;
  const Data &x1_, &x2_, &v1_, &v2_;
  Index validation_batch_size_;
  Data batch1_, batch2_;  // reused every step
  Data out1_, out2_;      // validation outputs of all chunks
  std::vector<std::string> warnings_;
};

/// Trains `model` (a TwoView) on paired columns of x1 and x2 with the generic loop.
/// Validation data may be empty matrices (no early stopping then).
template <class Model, class Loss, class Optimizer>
TrainingResult train_two_view(Model& model, Loss& loss, Optimizer& optimizer,
                              const Matrix<typename Model::scalar_type>& x1,
                              const Matrix<typename Model::scalar_type>& x2,
                              const Matrix<typename Model::scalar_type>& validation1,
                              const Matrix<typename Model::scalar_type>& validation2,
                              const TrainerOptions& options) {
  TwoViewTask<Model, Loss> task(model, loss, x1, x2, validation1, validation2,
                                options.validation_batch_size);
  return fit(task, optimizer, options);
}

}  // namespace canon::train
