// tools/canon/training_run.hpp — what the train subcommands share: the training loop's
// progress, checkpoint and interruption settings, the figures beside the report, and
// the summary lines they print.
#pragma once

#include <canon/eval/cross_modal.hpp>
#include <canon/loss/dcca.hpp>
#include <canon/optim/adam.hpp>
#include <canon/train/loop.hpp>
#include <cstdint>
#include <ostream>
#include <string>
#include <vector>

#include "common.hpp"

namespace canon_cli {

/// The names --objective takes, and the objective each names.
inline const std::vector<std::string> dcca_objectives{"trace_norm", "top_k", "frobenius", "squared_frobenius",
                                                      "eckart_young"};
canon::loss::DccaObjective dcca_objective(const std::string& name);

/// The Deep CCA training options both train commands take; each command sets its own
/// defaults (epochs, batch, precision) before add_to.
struct DccaRun {
  std::string objective = "trace_norm";
  canon::Index top_k = 0;
  double ridge = 1e-3;
  canon::Index components = 0;
  long epochs = 20;
  canon::Index batch = 102;
  double learning_rate = 1e-3;
  int patience = 10;
  std::uint64_t seed = 1;
  std::string precision = "float";
  bool resume = false;

  /// --objective, --top-k, --ridge, --components, --epochs, --batch, --learning-rate,
  /// --patience, --seed, --precision, --resume; the help of --batch and --seed says what
  /// a batch holds and what the seed draws in this command.
  void add_to(Options& options, const std::string& batch_help, const std::string& seed_help,
              const std::string& objective_help, const std::string& precision_help);

  /// Into a model's settings: the loss (objective, k, both ridges), Adam's learning rate,
  /// the components kept, and the loop (epochs; the batch capped at the training set, a
  /// last batch below half of it dropped, since covariances need many samples; the seed;
  /// no early stopping without validation data; progress, checkpoints, --resume).
  void apply(canon::loss::DccaOptions& dcca, canon::optim::AdamOptions& adam, canon::Index& kept,
             canon::train::LoopOptions& loop, canon::Index training_size, bool validate, const Common& common,
             std::ostream& log, const std::string& out) const;
};

/// Progress to `log` (on a terminal one line rewritten four times a second, in a log
/// or a pipe a plain line at most every 2 s and at every epoch's end), checkpoints to
/// out/checkpoint.canon, --resume, and SIGINT/SIGTERM as a clean stop.
void set_run_options(canon::train::LoopOptions& options, const Common& common, std::ostream& log,
                     const std::string& out, bool resume);

/// out/loss.svg (training and validation loss per epoch) and, with held-out scores,
/// out/correlations.svg (per component; `baseline` optional, `baseline_name` its label).
void write_training_figures(const std::string& out, const std::string& title,
                            const canon::train::TrainingResult& result, const canon::eval::CrossModalScores* held_out,
                            const canon::eval::CrossModalScores* baseline = nullptr,
                            const std::string& baseline_name = "");

/// The per-epoch history as JSON (a NaN validation loss as null).
Json history_json(const canon::train::TrainingResult& result);

/// "20 epochs" or "epochs 11-20 after resuming".
std::string epochs_done(const canon::train::TrainingResult& result);

}  // namespace canon_cli
