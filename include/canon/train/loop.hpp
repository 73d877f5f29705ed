// canon/train/loop.hpp — one training loop for every model canon trains.
//
// The loop knows nothing about branches, losses or labels. It drives a *task*: an
// object that can train on a batch of sample indices and report the loss, report a
// validation loss, and expose its model's tensors through the two visitors of the
// layer contract (docs/layer-contract.md). Everything else a long run needs lives
// here once:
//
//   for each epoch e:
//     order = Rng(seed + e).permutation(samples)            (so a resumed run repeats it)
//     for each batch b of `batch_size` consecutive entries of order:
//       loss = task.train_batch(indices, position)           (forward + backward)
//       optimizer.step(task)                                 (every visited parameter)
//     validation loss (task.validation_loss(), Mode::eval inside the task)
//     early stopping on it (the best epoch's parameters and buffers come back at the end)
//     checkpoint (model, optimizer, early stopping, position) when a path is set
//
// A run holds a lock on its checkpoint (a second run on the same path is refused) and
// keeps OpenMP from granting fewer threads than asked (OMP_DYNAMIC), so a resumed or
// repeated run with the same seed and thread count ends bit for bit where the
// uninterrupted one does (docs/reliability.md).
//
// The task concept (see train/two_view_task.hpp for the Deep CCA one):
//
//   using scalar_type = ...;
//   const char* name() const;                       // names the task in messages
//   Index samples() const;                          // training samples, indexed 0..n-1
//   double train_batch(const std::vector<Index>& indices, const BatchPosition& at);
//       // forward and backward on those samples; writes every parameter's gradient;
//       // returns the batch loss (the optimizer steps afterwards, in the loop)
//   bool has_validation() const;
//   double validation_loss();                       // the whole validation set, eval mode
//   template <class V> void visit_parameters(V&&);  // the model's, as the layer contract
//   template <class V> void visit_buffers(V&&);
//   const std::vector<std::string>& warnings() const;   // optional: conditions to report
//                                                       // (a degenerate Deep CCA batch)
//
// The last incomplete batch of an epoch is dropped when it has fewer than `min_batch`
// samples: batch statistics (covariances, batch norm) need enough of them.
#pragma once

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <fstream>
#include <functional>
#include <limits>
#include <optional>
#include <ostream>
#include <string>
#include <type_traits>
#include <utility>
#include <vector>

#include "canon/core/checks.hpp"
#include "canon/core/rng.hpp"
#include "canon/core/threads.hpp"
#include "canon/optim/checkpoint.hpp"
#include "canon/train/detail/checkpoint_lock.hpp"
#include "canon/optim/early_stopping.hpp"
#include "canon/report/progress.hpp"

namespace canon::train {

struct LoopOptions {
  long epochs = 20;
  Index batch_size = 102;             // Raposo 2017
  Index min_batch = 2;                // smaller last batches are dropped
  std::uint64_t seed = 1;             // the shuffle of epoch e comes from Rng(seed + e)
  int patience = 1000000;             // early stopping; the default never stops early
  std::string checkpoint_path;        // empty: no checkpoints
  bool resume = false;                // continue from checkpoint_path if it exists
  std::ostream* log = nullptr;        // progress lines; nullptr: silent
  double log_interval_seconds = 2.0;
  // On a terminal: one batch line rewritten in place, epoch summaries kept
  // (report::Progress::Style::rewrite); otherwise plain lines for logs and pipes.
  bool log_rewrites_line = false;
  // Asked after every batch; when it returns true the run throws canon::interrupted.
  // The checkpoint then holds the last finished epoch, and resume continues from it to
  // the same result as an uninterrupted run (a program's SIGINT handler sets a flag
  // that this reads).
  std::function<bool()> stop_requested;
};

/// Where a batch lies in the run: for schedules that follow the training progress
/// (the gradient reversal lambda of Ganin & Lempitsky, learning-rate schedules).
struct BatchPosition {
  long epoch = 0, batch = 0;               // both counted from 0
  long epochs = 1, batches_per_epoch = 1;

  /// p in [0, 1): the fraction of the run's batches done before this one.
  double progress() const {
    return double(epoch * batches_per_epoch + batch) / double(epochs * batches_per_epoch);
  }
};

struct EpochRecord {
  long epoch;              // counted from 1, as in the progress lines
  double train_loss;       // mean over the epoch's batches
  double validation_loss;  // NaN without validation data
};

struct TrainingResult {
  std::vector<EpochRecord> history;
  long best_epoch = -1;  // counted from 1; -1 without validation
  double best_validation_loss = std::numeric_limits<double>::quiet_NaN();
  long resumed_from_epoch = 0;
  std::vector<std::string> warnings;  // what the task reported, each once, in order
};

namespace detail {

/// Copies the columns `indices` of x into out (resized only when the shape changes): a
/// task's batch, gathered into storage it reuses every step.
template <class Scalar>
void gather_columns(const Matrix<Scalar>& x, const std::vector<Index>& indices, Matrix<Scalar>& out) {
  out.resize(x.rows(), Index(indices.size()));
  for (std::size_t k = 0; k < indices.size(); ++k) out.col(Index(k)) = x.col(indices[k]);
}

template <class T, class = void>
struct has_warnings : std::false_type {};
template <class T>
struct has_warnings<T, std::void_t<decltype(std::declval<const T&>().warnings())>> : std::true_type {};

}  // namespace detail

/// What most tasks are: a view of one model, whose tensors are the task's. Tasks derive
/// from it to forward the two visitors (and reach the model as `model_`).
template <class Model>
class ModelTask {
 public:
  using scalar_type = typename Model::scalar_type;

  template <class Visitor>
  void visit_parameters(Visitor&& visit) {
    model_.visit_parameters(visit);
  }
  template <class Visitor>
  void visit_buffers(Visitor&& visit) {
    model_.visit_buffers(visit);
  }

 protected:
  explicit ModelTask(Model& model) : model_(model) {}
  Model& model_;
};

/// Trains the task's model with `optimizer` as described at the top of this header.
template <class Task, class Optimizer>
TrainingResult fit(Task& task, Optimizer& optimizer, const LoopOptions& options) {
  using Scalar = typename Task::scalar_type;
  const char* where = task.name();
  canon::detail::require_positive(options.epochs, where, "epochs");
  canon::detail::require_positive(options.batch_size, where, "batch_size");
  if (options.min_batch < 1 || options.min_batch > options.batch_size)
    throw value_error(canon::detail::message(where, ": min_batch must lie in [1, batch_size = ",
                                             options.batch_size, "], got ", options.min_batch));
  const Index n = task.samples();
  if (n < options.min_batch)
    throw value_error(canon::detail::message(where, ": ", n,
                                             " training samples cannot fill one batch of at least ",
                                             options.min_batch));

  const Index full_batches = n / options.batch_size;
  const bool keep_last = n % options.batch_size >= options.min_batch;
  const long batches = long(full_batches) + (keep_last ? 1 : 0);
  const bool validate = task.has_validation();

  // OpenMP grants every region the threads it asks for (core/threads.hpp), and one run
  // writes this checkpoint (detail/checkpoint_lock.hpp).
  const DeterministicThreads fixed_threads;
  std::optional<detail::CheckpointLock> lock;
  if (!options.checkpoint_path.empty()) lock.emplace(options.checkpoint_path, where);

  TrainingResult result;
  optim::EarlyStopping<Scalar> stopper(options.patience);
  long start_epoch = 0, step = 0;
  if (options.resume && !options.checkpoint_path.empty() && std::ifstream(options.checkpoint_path)) {
    const auto position = optim::load_checkpoint(options.checkpoint_path, task, optimizer, &stopper);
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
    // A run that had already stopped early is finished: resuming it returns its result
    // (the best epoch's state) instead of training on.
    if (validate && stopper.should_stop()) {
      if (options.log) *options.log << "the run had stopped early at epoch " << start_epoch << "; nothing to train\n";
      stopper.restore_best(task);
      return result;
    }
  }

  std::optional<report::Progress> progress;
  if (options.log && start_epoch < options.epochs) {
    progress.emplace(*options.log, options.epochs, batches, options.log_interval_seconds,
                     report::Progress::steady_seconds,
                     options.log_rewrites_line ? report::Progress::Style::rewrite : report::Progress::Style::lines);
    progress->resume_after(start_epoch);  // a resumed run keeps its epoch numbers
  }

  std::vector<Index> indices;  // one batch's sample indices; capacity kept across batches
  indices.reserve(std::size_t(options.batch_size));
  for (long epoch = start_epoch; epoch < options.epochs; ++epoch) {
    Rng shuffle_rng(options.seed + std::uint64_t(epoch));
    const std::vector<Index> order = shuffle_rng.permutation(n);
    double epoch_loss = 0;
    for (long b = 0; b < batches; ++b) {
      const std::size_t begin = std::size_t(b) * std::size_t(options.batch_size);
      const std::size_t end = std::min(begin + std::size_t(options.batch_size), std::size_t(n));
      indices.assign(order.begin() + long(begin), order.begin() + long(end));
      const double value = task.train_batch(indices, BatchPosition{epoch, b, options.epochs, batches});
      if (!std::isfinite(value))
        throw value_error(canon::detail::message(where, ": the loss is ", value, " at epoch ",
                                                 epoch + 1, ", batch ", b + 1));
      optimizer.step(task);
      ++step;
      epoch_loss += value;
      if (progress) progress->batch(epoch, b, value, long(end - begin));
      if (options.stop_requested && options.stop_requested())
        throw interrupted(canon::detail::message(
            where, ": interrupted at epoch ", epoch + 1, ", batch ", b + 1,
            options.checkpoint_path.empty() ? std::string("; no checkpoint was being written")
            : epoch == 0 ? std::string("; no epoch had finished, so nothing was checkpointed")
                         : canon::detail::message("; '", options.checkpoint_path,
                                                  "' holds the run after epoch ", epoch)));
    }
    EpochRecord record{epoch + 1, epoch_loss / double(batches),
                       std::numeric_limits<double>::quiet_NaN()};
    if (validate) {
      record.validation_loss = task.validation_loss();
      if (stopper.update(record.validation_loss, task)) {
        result.best_epoch = epoch + 1;
        result.best_validation_loss = record.validation_loss;
      }
    }
    result.history.push_back(record);
    if constexpr (detail::has_warnings<Task>::value) {
      for (const std::string& w : task.warnings())
        if (std::find(result.warnings.begin(), result.warnings.end(), w) == result.warnings.end()) {
          result.warnings.push_back(w);
          if (progress) progress->end_line();
          if (options.log) *options.log << "warning: " << w << "\n";
        }
    }
    if (progress) {
      char text[120];
      std::snprintf(text, sizeof text, "train loss %.5g, validation loss %.5g", record.train_loss,
                    record.validation_loss);
      progress->epoch_summary(epoch, text);
    }
    if (!options.checkpoint_path.empty())
      optim::save_checkpoint(options.checkpoint_path, task, optimizer,
                             {epoch + 1, step, result.best_validation_loss}, &stopper);
    if (validate && stopper.should_stop()) break;
  }
  if (validate && stopper.epochs() > 0) stopper.restore_best(task);
  return result;
}

}  // namespace canon::train
