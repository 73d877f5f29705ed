// canon/models/avramidis/music_experiment.hpp — the music branch alone: binarised
// valence or arousal of a track from its per-window music embeddings (Avramidis et al.
// 2022, Table 1, "music"), with the paper's protocol:
//   - 5 folds over tracks, stratified by the track's label (7 tracks per test fold);
//   - per fold, a validation set of training tracks (stratified, validation_fraction of
//     them) for early stopping with patience 15; the test tracks are never seen;
//   - class weights from the training windows; Adam 1e-4;
//   - accuracy per window, and per track by majority vote of its windows.
// Beside it, on the same folds: a logistic regression on the embeddings (the linear
// baseline) and the majority class of the training windows (chance).
#pragma once

#include <algorithm>
#include <cmath>
#include <map>
#include <utility>
#include <vector>

#include "canon/core/rng.hpp"
#include "canon/eval/classification.hpp"
#include "canon/eval/cross_validation.hpp"
#include "canon/models/avramidis/music_branch.hpp"
#include "canon/models/avramidis/track_folds.hpp"
#include "canon/optim/adam.hpp"
#include "canon/train/classification_task.hpp"

namespace canon::avramidis {

struct MusicExperimentOptions {
  int folds = 5;
  double validation_fraction = 0.2;  ///< of the training tracks, per class
  MusicBranchConfig branch;
  optim::AdamOptions adam{1e-4};
  train::LoopOptions loop = default_loop();
  std::uint64_t seed = 1;

  static train::LoopOptions default_loop() {
    train::LoopOptions o;
    o.epochs = 500;
    o.batch_size = 32;
    o.patience = 15;
    return o;
  }
};

/// Accuracies of one method on one test fold.
struct Accuracy {
  double window = 0, track = 0;
};

struct MusicFoldResult {
  int fold = 0;
  Index test_tracks = 0, test_windows = 0;
  Accuracy network, logistic, majority;
  long best_epoch = 0;
};

namespace detail {

template <class Scalar>
void columns_of_tracks(const Matrix<Scalar>& x, const std::vector<int>& track_of, const std::vector<Index>& label,
                       const std::vector<int>& tracks, Matrix<Scalar>& out_x, Matrix<Scalar>& out_y,
                       std::vector<Index>& out_labels, std::vector<Index>& out_tracks) {
  std::vector<Index> cols;
  for (Index j = 0; j < x.cols(); ++j)
    if (std::find(tracks.begin(), tracks.end(), track_of[std::size_t(j)]) != tracks.end()) cols.push_back(j);
  out_x.resize(x.rows(), Index(cols.size()));
  out_y.resize(1, Index(cols.size()));
  out_labels.clear();
  out_tracks.clear();
  for (std::size_t k = 0; k < cols.size(); ++k) {
    out_x.col(Index(k)) = x.col(cols[k]);
    out_y(0, Index(k)) = Scalar(label[std::size_t(cols[k])]);
    out_labels.push_back(label[std::size_t(cols[k])]);
    out_tracks.push_back(track_of[std::size_t(cols[k])]);
  }
}

inline Accuracy score(const std::vector<Index>& predicted, const std::vector<Index>& truth,
                      const std::vector<Index>& tracks) {
  return {eval::accuracy(predicted, truth), eval::trial_accuracy(predicted, truth, tracks)};
}

}  // namespace detail

/// embeddings: D x N windows; track_of[j], label_of_window[j] (0/1) per window. Every
/// window of a track must carry the track's label.
template <class Scalar>
std::vector<MusicFoldResult> music_only_cv(const Matrix<Scalar>& embeddings, const std::vector<int>& track_of,
                                           const std::vector<Index>& label_of_window,
                                           const MusicExperimentOptions& options) {
  const char* where = "avramidis::music_only_cv";
  if (Index(track_of.size()) != embeddings.cols() || Index(label_of_window.size()) != embeddings.cols())
    throw shape_error(canon::detail::message(where, ": ", embeddings.cols(), " windows but ", track_of.size(),
                                             " track ids and ", label_of_window.size(), " labels"));
  canon::detail::require_finite(embeddings, where, "embeddings");
  const auto folds = track_folds(track_of, label_of_window, options.folds, options.validation_fraction, options.seed,
                                 where, "windows");
  std::vector<MusicFoldResult> results;
  for (int f = 0; f < options.folds; ++f) {
    const auto& [fit_tracks, validation_tracks, test_tracks] = folds[std::size_t(f)];
    Matrix<Scalar> xf, yf, xv, yv, xt, yt;
    std::vector<Index> lf, lv, lt, tf, tv, tt;
    detail::columns_of_tracks(embeddings, track_of, label_of_window, fit_tracks, xf, yf, lf, tf);
    detail::columns_of_tracks(embeddings, track_of, label_of_window, validation_tracks, xv, yv, lv, tv);
    detail::columns_of_tracks(embeddings, track_of, label_of_window, test_tracks, xt, yt, lt, tt);

    MusicFoldResult r;
    r.fold = f;
    r.test_tracks = Index(test_tracks.size());
    r.test_windows = xt.cols();
    train::LoopOptions loop = options.loop;
    loop.seed = options.loop.seed + 1000 * std::uint64_t(f);
    {
      Rng rng(options.seed + 10 + std::uint64_t(f));
      auto net = music_classifier<Scalar>(options.branch, rng, options.seed + 20 + std::uint64_t(f));
      train::ClassificationTask<nn::Sequential<Scalar>> task(net, xf, yf, xv, yv);
      optim::Adam<Scalar> adam(options.adam);
      r.best_epoch = train::fit(task, adam, loop).best_epoch;
      r.network = detail::score(train::predict_labels(net, xt), lt, tt);
    }
    {
      Rng rng(options.seed + 30 + std::uint64_t(f));
      nn::Sequential<Scalar> logistic;
      logistic.add(nn::Dense<Scalar>(embeddings.rows(), 1, rng));
      train::ClassificationTask<nn::Sequential<Scalar>> task(logistic, xf, yf, xv, yv);
      optim::Adam<Scalar> adam(optim::AdamOptions{1e-3});
      train::fit(task, adam, loop);
      r.logistic = detail::score(train::predict_labels(logistic, xt), lt, tt);
    }
    {
      const Index positives = Index(yf.sum());
      const Index majority = 2 * positives > yf.cols() ? 1 : 0;
      r.majority = detail::score(std::vector<Index>(lt.size(), majority), lt, tt);
    }
    results.push_back(r);
  }
  return results;
}

}  // namespace canon::avramidis
