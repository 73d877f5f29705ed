// canon/train/trainer.hpp — the training loop for a two-view model with a loss of both
// outputs (Deep CCA and friends), with everything a long run needs:
//
//   for each epoch e:
//     shuffle the training samples with Rng(seed + e)       (so a resumed run repeats it)
//     for each batch of `batch_size` samples:
//       H1 = f1(X1[:, batch]),  H2 = f2(X2[:, batch])       (Mode::train)
//       L  = loss(H1, H2);  backward through both branches;  optimizer step
//     validation loss on the held-out samples, in Mode::eval
//     early stopping on it (the best epoch's weights are restored at the end)
//     checkpoint (model, optimizer, position) if a path is set
//
// The last incomplete batch of an epoch is dropped when it has fewer than
// `min_batch` samples: batch statistics (covariances, batch norm) need enough of them.
// Validation runs the networks in chunks of `validation_batch_size` samples (to bound
// memory) and evaluates the loss once on all the outputs: for Deep CCA the objective of
// the whole validation set, which is not a weighted mean of chunk objectives.
#pragma once

#include <cmath>
#include <fstream>
#include <functional>
#include <limits>
#include <optional>
#include <ostream>
#include <string>
#include <vector>

#include "canon/core/checks.hpp"
#include "canon/core/rng.hpp"
#include "canon/optim/checkpoint.hpp"
#include "canon/optim/early_stopping.hpp"
#include "canon/report/progress.hpp"

namespace canon::train {

struct TrainerOptions {
  long epochs = 20;
  Index batch_size = 102;             // Raposo 2017
  Index min_batch = 2;                // smaller last batches are dropped
  Index validation_batch_size = 0;    // 0: the whole validation set at once
  std::uint64_t seed = 1;
  int patience = 1000000;             // early stopping; the default never stops early
  std::string checkpoint_path;        // empty: no checkpoints
  bool resume = false;                // continue from checkpoint_path if it exists
  std::ostream* log = nullptr;        // progress lines; nullptr: silent
  double log_interval_seconds = 2.0;
};

struct EpochRecord {
  long epoch;
  double train_loss;       // mean over the epoch's batches
  double validation_loss;  // NaN without validation data
};

struct TrainingResult {
  std::vector<EpochRecord> history;
  long best_epoch = -1;
  double best_validation_loss = std::numeric_limits<double>::quiet_NaN();
  long resumed_from_epoch = 0;
};

namespace detail {

/// Copies the columns `order[begin, end)` of x into out (preallocated once per shape).
template <class Scalar>
void gather_columns(const Matrix<Scalar>& x, const std::vector<Index>& order, std::size_t begin,
                    std::size_t end, Matrix<Scalar>& out) {
  out.resize(x.rows(), static_cast<Index>(end - begin));
  for (std::size_t k = begin; k < end; ++k) out.col(static_cast<Index>(k - begin)) = x.col(order[k]);
}

}  // namespace detail

/// Trains `model` (a TwoView) on paired columns of x1 and x2. Validation data may be
/// empty matrices (no early stopping then).
template <class Model, class Loss, class Optimizer>
TrainingResult train_two_view(Model& model, Loss& loss, Optimizer& optimizer,
                              const Matrix<typename Model::scalar_type>& x1,
                              const Matrix<typename Model::scalar_type>& x2,
                              const Matrix<typename Model::scalar_type>& validation1,
                              const Matrix<typename Model::scalar_type>& validation2,
                              const TrainerOptions& options) {
  using Scalar = typename Model::scalar_type;
  const char* where = "train_two_view";
  if (x1.cols() != x2.cols())
    throw shape_error(canon::detail::message(where, ": the views have ", x1.cols(), " and ",
                                             x2.cols(), " samples; they must be paired"));
  if (validation1.cols() != validation2.cols())
    throw shape_error(canon::detail::message(where, ": the validation views have ",
                                             validation1.cols(), " and ", validation2.cols(),
                                             " samples; they must be paired"));
  canon::detail::require_positive(options.epochs, where, "epochs");
  canon::detail::require_positive(options.batch_size, where, "batch_size");
  if (options.min_batch < 1 || options.min_batch > options.batch_size)
    throw value_error(canon::detail::message(where, ": min_batch must lie in [1, batch_size = ",
                                             options.batch_size, "], got ", options.min_batch));
  if (x1.cols() < options.min_batch)
    throw value_error(canon::detail::message(where, ": ", x1.cols(),
                                             " training samples cannot fill one batch of at least ",
                                             options.min_batch));
  canon::detail::require_finite(x1, where, "first view");
  canon::detail::require_finite(x2, where, "second view");

  const Index n = x1.cols();
  const Index full_batches = n / options.batch_size;
  const bool keep_last = n % options.batch_size >= options.min_batch;
  const long batches = long(full_batches) + (keep_last ? 1 : 0);
  const bool validate = validation1.cols() > 0;

  TrainingResult result;
  optim::EarlyStopping<Scalar> stopper(options.patience);
  long start_epoch = 0, step = 0;
  if (options.resume && !options.checkpoint_path.empty() && std::ifstream(options.checkpoint_path)) {
    const auto position =
        optim::load_checkpoint(options.checkpoint_path, model, optimizer, &stopper);
    start_epoch = position.epoch;
    step = position.step;
    result.resumed_from_epoch = start_epoch;
    if (stopper.epochs() > 0) {
      result.best_epoch = stopper.best_epoch() + 1;
      result.best_validation_loss = stopper.best();
    }
    if (options.log)
      *options.log << "resumed from " << options.checkpoint_path << " after epoch " << start_epoch
                   << "\n";
  }

  std::optional<report::Progress> progress;
  if (options.log)
    progress.emplace(*options.log, options.epochs, batches, options.log_interval_seconds);

  Matrix<Scalar> batch1, batch2;  // reused every step
  // Validation outputs are computed in chunks (memory) but the loss sees all of them at
  // once: a Deep CCA objective is not a sum over samples, so chunk losses would not add up.
  Matrix<Scalar> validation_out1, validation_out2;
  auto validation_loss = [&]() {
    const Index total = validation1.cols();
    const Index chunk = options.validation_batch_size > 0 ? options.validation_batch_size : total;
    for (Index start = 0; start < total; start += chunk) {
      const Index size = std::min(chunk, total - start);
      batch1 = validation1.middleCols(start, size);
      batch2 = validation2.middleCols(start, size);
      const auto& h1 = model.first().forward(batch1, Mode::eval);
      if (start == 0) validation_out1.resize(h1.rows(), total);
      validation_out1.middleCols(start, size) = h1;
      const auto& h2 = model.second().forward(batch2, Mode::eval);
      if (start == 0) validation_out2.resize(h2.rows(), total);
      validation_out2.middleCols(start, size) = h2;
    }
    return double(loss.forward(validation_out1, validation_out2));
  };

  for (long epoch = start_epoch; epoch < options.epochs; ++epoch) {
    Rng shuffle_rng(options.seed + std::uint64_t(epoch));
    const std::vector<Index> order = shuffle_rng.permutation(n);
    double epoch_loss = 0;
    for (long b = 0; b < batches; ++b) {
      const std::size_t begin = std::size_t(b) * std::size_t(options.batch_size);
      const std::size_t end = std::min(begin + std::size_t(options.batch_size), std::size_t(n));
      detail::gather_columns(x1, order, begin, end, batch1);
      detail::gather_columns(x2, order, begin, end, batch2);
      const auto& h1 = model.first().forward(batch1, Mode::train);
      const auto& h2 = model.second().forward(batch2, Mode::train);
      const double value = double(loss.forward(h1, h2));
      if (!std::isfinite(value))
        throw value_error(canon::detail::message(where, ": the loss is ", value, " at epoch ",
                                                 epoch + 1, ", batch ", b + 1));
      const auto& gradients = loss.backward();
      model.first().backward(gradients.first);
      model.second().backward(gradients.second);
      optimizer.step(model);
      ++step;
      epoch_loss += value;
      if (progress) progress->batch(epoch - start_epoch, b, value, long(end - begin));
    }
    EpochRecord record{epoch + 1, epoch_loss / double(batches),
                       std::numeric_limits<double>::quiet_NaN()};
    if (validate) {
      record.validation_loss = validation_loss();
      if (stopper.update(record.validation_loss, model)) {
        result.best_epoch = epoch + 1;
        result.best_validation_loss = record.validation_loss;
      }
    }
    result.history.push_back(record);
    if (progress) {
      char text[120];
      std::snprintf(text, sizeof text, "train loss %.5g, validation loss %.5g", record.train_loss,
                    record.validation_loss);
      progress->epoch_summary(epoch - start_epoch, text);
    }
    if (!options.checkpoint_path.empty())
      optim::save_checkpoint(options.checkpoint_path, model, optimizer,
                             {epoch + 1, step, result.best_validation_loss}, &stopper);
    if (validate && stopper.should_stop()) break;
  }
  if (validate && stopper.epochs() > 0) stopper.restore_best(model);
  return result;
}

}  // namespace canon::train
