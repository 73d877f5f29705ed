// canon/models/avramidis/protocol.hpp — one model per subject, 5-fold cross-validation
// stratified by track (Avramidis 2022, Section 4.1), every metric of Tables 1 and 2.
//
// Per fold: the test tracks (7 of 34) are held out whole; from the remaining tracks a
// validation set (validation_fraction of each class, stratified by the subject's label)
// is carved for early stopping (patience 15 on the validation J). The test fold is never
// seen before the final scoring (the authors' released code stops on the test fold; canon
// offers nothing that does). Class weights come from the fitting tracks. Scores on the test
// fold: accuracy of the shared classifier per modality, per segment and per trial by
// majority vote; retrieval (metrics.hpp); and, on the same folds, a logistic regression on
// the standardised DE features (the linear baseline) and the majority class of the
// fitting segments (chance).
#pragma once

#include <algorithm>
#include <map>
#include <optional>
#include <vector>

#include "canon/data/standardise.hpp"
#include "canon/eval/classification.hpp"
#include "canon/eval/cross_validation.hpp"
#include "canon/models/avramidis/metrics.hpp"
#include "canon/models/avramidis/music_experiment.hpp"
#include "canon/models/avramidis/segments.hpp"
#include "canon/models/avramidis/task.hpp"
#include "canon/models/avramidis/track_folds.hpp"
#include "canon/optim/adam.hpp"
#include "canon/train/classification_task.hpp"

namespace canon::avramidis {

struct ProtocolOptions {
  int folds = 5;
  double validation_fraction = 0.2;  ///< of the training tracks, per class
  ModelConfig model;
  LossWeights weights = LossWeights::authors();
  StopOn stop_on = StopOn::joint_loss;  ///< the paper's; see task.hpp
  optim::AdamOptions adam{1e-4};
  train::LoopOptions loop = default_loop();
  bool linear_baseline = true;
  std::uint64_t seed = 1;
  bool keep_embeddings = false;      ///< keep fold 0's test points in the common space (for the t-SNE)

  static train::LoopOptions default_loop() {
    train::LoopOptions o;
    o.epochs = 300;
    o.batch_size = 32;  // the authors' 16 + 16
    o.patience = 15;
    return o;
  }
};

struct FoldResult {
  int fold = 0;
  Index test_tracks = 0, test_segments = 0;
  Accuracy eeg, music, linear, majority;
  FoldRetrieval retrieval;
  long best_epoch = 0;
};

struct SubjectResult {
  std::vector<FoldResult> folds;
  Matrix<double> eeg_points, music_points;       ///< fold 0's test pairs in the common space (keep_embeddings)
  std::vector<Index> point_eeg_labels, point_music_labels;

  /// Mean over folds of a per-fold number.
  template <class Get>
  double mean(Get get) const {
    double sum = 0;
    Index count = 0;
    for (const auto& f : folds) {
      const double v = get(f);
      if (std::isfinite(v)) sum += v, ++count;
    }
    return count == 0 ? std::numeric_limits<double>::quiet_NaN() : sum / double(count);
  }
};

namespace detail {

template <class T>
std::vector<T> take(const std::vector<T>& v, const std::vector<Index>& idx) {
  std::vector<T> out;
  out.reserve(idx.size());
  for (Index i : idx) out.push_back(v[std::size_t(i)]);
  return out;
}

inline std::vector<Index> labels_of(const Matrix<double>& y) {
  std::vector<Index> out(std::size_t(y.cols()));
  for (Index j = 0; j < y.cols(); ++j) out[std::size_t(j)] = y(0, j) > 0.5 ? 1 : 0;
  return out;
}

/// The columns of `data` whose track is in `tracks`, in column order.
inline std::vector<Index> columns_of(const std::vector<int>& track, const std::vector<int>& tracks) {
  std::vector<Index> cols;
  for (std::size_t j = 0; j < track.size(); ++j)
    if (std::find(tracks.begin(), tracks.end(), track[j]) != tracks.end()) cols.push_back(Index(j));
  return cols;
}

template <class Scalar>
struct Part {
  Matrix<Scalar> eeg, music, eeg_labels, music_labels;
  std::vector<int> track;
  std::vector<Index> segment;
  Part(const SegmentSet<Scalar>& s, const std::vector<Index>& cols)
      : track(take(s.track, cols)), segment(take(s.segment, cols)) {
    train::detail::gather_columns(s.eeg, cols, eeg);
    train::detail::gather_columns(s.music, cols, music);
    train::detail::gather_columns(s.eeg_labels, cols, eeg_labels);
    train::detail::gather_columns(s.music_labels, cols, music_labels);
  }
  PairedBatch<Scalar> batch() const { return {&eeg, &music, &eeg_labels, &music_labels}; }
  std::vector<Index> track_ids() const { return std::vector<Index>(track.begin(), track.end()); }
};

}  // namespace detail

/// Runs the protocol on one subject's segments.
template <class Scalar>
SubjectResult run_subject(const SegmentSet<Scalar>& data, const ProtocolOptions& options) {
  const char* where = "avramidis::run_subject";
  if (data.size() == 0) throw value_error(canon::detail::message(where, ": no segments"));
  // A track has one EEG label per subject (a trial is rated once): stratify by it.
  std::vector<Index> labels(static_cast<std::size_t>(data.size()));
  for (Index j = 0; j < data.size(); ++j) labels[std::size_t(j)] = data.eeg_labels(0, j) > Scalar(0.5) ? 1 : 0;
  const auto folds = track_folds(data.track, labels, options.folds, options.validation_fraction, options.seed, where,
                                 "EEG segments");
  SubjectResult result;
  for (int f = 0; f < options.folds; ++f) {
    const auto& [fit_tracks, validation_tracks, test_tracks] = folds[std::size_t(f)];
    const detail::Part<Scalar> fit(data, detail::columns_of(data.track, fit_tracks));
    const detail::Part<Scalar> valid(data, detail::columns_of(data.track, validation_tracks));
    const detail::Part<Scalar> test(data, detail::columns_of(data.track, test_tracks));

    FoldResult r;
    r.fold = f;
    r.test_tracks = Index(test_tracks.size());
    r.test_segments = test.eeg.cols();
    train::LoopOptions loop = options.loop;
    loop.seed = options.loop.seed + 1000 * std::uint64_t(f);
    const auto eeg_truth = detail::labels_of(test.eeg_labels.template cast<double>());
    const auto music_truth = detail::labels_of(test.music_labels.template cast<double>());
    const auto trials = test.track_ids();
    {
      JointModel<Scalar> model(options.model, options.seed + 10 + std::uint64_t(f));
      JointTask<Scalar> task(model, fit.batch(), valid.batch(), options.weights, options.stop_on);
      optim::Adam<Scalar> adam(options.adam);
      r.best_epoch = train::fit(task, adam, loop).best_epoch;
      const auto out = model.forward(test.eeg, test.music, 0, Mode::eval);
      const Index m = test.eeg.cols();
      std::vector<Index> eeg_pred(static_cast<std::size_t>(m)), music_pred(static_cast<std::size_t>(m));
      for (Index j = 0; j < m; ++j) {
        eeg_pred[std::size_t(j)] = out.logits(0, j) > 0 ? 1 : 0;
        music_pred[std::size_t(j)] = out.logits(0, m + j) > 0 ? 1 : 0;
      }
      r.eeg = detail::score(eeg_pred, eeg_truth, trials);
      r.music = detail::score(music_pred, music_truth, trials);
      const Matrix<double> points = out.common.template cast<double>();
      r.retrieval = retrieve_music(points.leftCols(m), points.rightCols(m), eeg_truth, music_truth, test.track,
                                   test.segment, Index(*std::max_element(data.segment.begin(), data.segment.end())) + 1,
                                   options.seed + 40 + std::uint64_t(f));
      if (options.keep_embeddings && f == 0) {
        result.eeg_points = points.leftCols(m);
        result.music_points = points.rightCols(m);
        result.point_eeg_labels = eeg_truth;
        result.point_music_labels = music_truth;
      }
    }
    if (options.linear_baseline) {
      data::Standardiser<Scalar> standardise;
      const Matrix<Scalar> xf = standardise.fit_transform(fit.eeg);
      const Matrix<Scalar> xv = standardise.transform(valid.eeg), xt = standardise.transform(test.eeg);
      Rng rng(options.seed + 30 + std::uint64_t(f));
      nn::Sequential<Scalar> logistic;
      logistic.add(nn::Dense<Scalar>(fit.eeg.rows(), 1, rng));
      train::ClassificationTask<nn::Sequential<Scalar>> task(logistic, xf, fit.eeg_labels, xv, valid.eeg_labels);
      optim::Adam<Scalar> adam(optim::AdamOptions{1e-3});
      train::fit(task, adam, loop);
      r.linear = detail::score(train::predict_labels(logistic, xt), eeg_truth, trials);
    }
    {
      const Index positives = Index(fit.eeg_labels.sum());
      const Index majority = 2 * positives > fit.eeg_labels.cols() ? 1 : 0;
      r.majority = detail::score(std::vector<Index>(eeg_truth.size(), majority), eeg_truth, trials);
    }
    result.folds.push_back(std::move(r));
  }
  return result;
}

}  // namespace canon::avramidis
