// canon/models/raposo/protocol.hpp — the evaluation protocol of Raposo et al. 2017:
// k balanced folds x runs (5 x 5 in the paper), folds built over songs so that no song
// of the test fold was heard in training.
//
// For run r (seed + r) the songs are dealt into k folds of (almost) equal size
// (eval::group_k_fold). For fold f (eval::fold_split):
//   test       = fold f
//   validation = fold (f + 1) mod k   (early-stopping signal; skipped when k = 2 or
//                                      options.validation is off)
//   training   = the rest
// A fresh model (weights from seed + 1000 r + f) is trained, its projection fitted on
// the training chunks, and the held-out chunks are scored: retrieval EEG -> audio and
// audio -> EEG and the canonical correlation of every component on the test chunks
// (eval::cross_modal_scores).
#pragma once

#include <functional>
#include <vector>

#include "canon/eval/cross_modal.hpp"
#include "canon/eval/cross_validation.hpp"
#include "canon/eval/summary.hpp"
#include "canon/models/raposo/model.hpp"

namespace canon::raposo {

struct ProtocolOptions {
  int folds = 5;                ///< balanced folds over songs
  int runs = 5;                 ///< repetitions with new folds and new initial weights
  std::uint64_t seed = 1;
  bool validation = true;       ///< hold out a validation fold for early stopping
  std::vector<Index> recall_at = {1, 5, 10};
};

struct FoldReport {
  int run = 0, fold = 0;
  Index training_chunks = 0, validation_chunks = 0, test_chunks = 0;
  train::TrainingResult training;
  std::vector<double> training_correlations;  ///< linear CCA on the training outputs
  eval::CrossModalScores test;                ///< a = audio, b = EEG
  /// The held-out chunks (indices into the protocol's ChunkSet) and their embeddings,
  /// components x chunks in the same order, for analyses beyond the scores.
  std::vector<Index> test_indices;
  Eigen::MatrixXd test_audio_embedding, test_eeg_embedding;
};

/// Runs the protocol on `data`; `on_fold` (optional) sees every report as it is done,
/// `on_start` (optional) is told (run, fold), counted from 0, before each fold trains.
template <class Scalar>
std::vector<FoldReport> cross_validate(const ChunkSet<Scalar>& data, const Config& config,
                                       const ProtocolOptions& options,
                                       const std::function<void(const FoldReport&)>& on_fold = {},
                                       const std::function<void(int, int)>& on_start = {}) {
  using canon::detail::message;
  const char* where = "raposo::cross_validate";
  canon::detail::require_positive(options.runs, where, "runs");
  if (options.folds < 2)
    throw value_error(message(where, ": folds must be >= 2, got ", options.folds));
  std::vector<FoldReport> reports;
  for (int run = 0; run < options.runs; ++run) {
    Rng fold_rng(options.seed + std::uint64_t(run));
    const std::vector<eval::Fold> folds = eval::group_k_fold(data.song, options.folds, fold_rng);
    for (int f = 0; f < options.folds; ++f) {
      const eval::FoldSplit split = eval::fold_split(folds, f, options.validation);
      const ChunkSet<Scalar> train_set = data.subset(split.train);
      const ChunkSet<Scalar> validation_set =
          split.validation.empty() ? ChunkSet<Scalar>{} : data.subset(split.validation);
      const ChunkSet<Scalar> test_set = data.subset(split.test);
      if (on_start) on_start(run, f);

      Config fold_config = config;
      fold_config.training.seed = config.training.seed + 1000 * std::uint64_t(run) + std::uint64_t(f);
      if (!config.training.checkpoint_path.empty())
        fold_config.training.checkpoint_path =
            message(config.training.checkpoint_path, ".run", run, ".fold", f);
      Model<Scalar> model(fold_config, options.seed + 1000 * std::uint64_t(run) + std::uint64_t(f));
      FoldReport report;
      report.run = run;
      report.fold = f;
      report.training_chunks = train_set.size();
      report.validation_chunks = validation_set.size();
      report.test_chunks = test_set.size();
      report.training = model.fit(train_set, validation_set);
      const Vector<Scalar> rho = model.training_correlations();
      report.training_correlations.assign(rho.data(), rho.data() + rho.size());
      const Matrix<Scalar> z_audio = model.embed_audio(test_set.audio), z_eeg = model.embed_eeg(test_set.eeg);
      report.test = eval::cross_modal_scores(z_audio, z_eeg, options.recall_at);
      report.test_indices = split.test;
      report.test_audio_embedding = z_audio.template cast<double>();
      report.test_eeg_embedding = z_eeg.template cast<double>();
      if (on_fold) on_fold(report);
      reports.push_back(std::move(report));
    }
  }
  return reports;
}

}  // namespace canon::raposo
