// canon/models/emer_cl/mer.hpp — EMER-CL's comparison with music emotion recognition
// (Takashima et al., Section IV-F, Table 3). Needs the canon::svm component (libsvm);
// reached from canon/svm.hpp.
//
// After training, the music model's outputs are features of a regression: phi (the
// linear-CCA embedding, "EMER-CL (cca)"), [mu; sigma] (the Gaussian head, "(kl)") or
// [phi; mu; sigma] ("(all)"), sigma the variance vector exp(log_variance) as the paper
// writes sigma. An RBF epsilon-SVR (soft margin C) predicts arousal and valence from
// them, scored by 10-fold cross-validation:
//
//   per fold f: standardise the features on the training songs (mean, population sd;
//               a constant feature keeps scale 1), fit one SVR per target on the
//               training songs, predict the test songs
//   per target: R^2 = 1 - SS_res / SS_tot (scikit-learn's r2_score), RMSE and Pearson r
//               on the test songs of each fold; mean and sample sd over the folds
//
// The paper reports R^2 on DEAM (target: the song's mean (arousal, valence)) and RMSE,
// R and R^2 on PMEmo (target: the last (arousal, valence) of the sequence); both targets
// are below (mean_emotion, last_emotion). The paper tuned C and the kernel width by grid
// search on the mean R^2; the defaults here are scikit-learn's (C = 1, epsilon = 0.1,
// gamma = 'scale', computed on the standardised training fold).
#pragma once

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <limits>
#include <vector>

#include "canon/core/checks.hpp"
#include "canon/core/rng.hpp"
#include "canon/eval/classification.hpp"
#include "canon/eval/cross_validation.hpp"
#include "canon/eval/summary.hpp"
#include "canon/models/emer_cl/data.hpp"
#include "canon/models/emer_cl/retrieval.hpp"
#include "canon/svm/svr.hpp"

namespace canon::emer_cl {

/// Which music outputs feed the SVR (the paper's three configurations).
enum class MerInputs {
  cca,  ///< phi alone: "EMER-CL (cca)"
  kl,   ///< [mu; sigma]: "EMER-CL (kl)"
  all   ///< [phi; mu; sigma]: "EMER-CL (all)"
};

/// The SVR's input for each song of a music embedding (features x songs); sigma is the
/// variance exp(log_variance).
template <class Scalar>
Matrix<Scalar> mer_features(const Embedding<Scalar>& music, MerInputs inputs) {
  const char* where = "emer_cl::mer_features";
  const bool with_phi = inputs != MerInputs::kl, with_kl = inputs != MerInputs::cca;
  const Index n = with_phi ? music.phi.cols() : music.mean.cols();
  if (with_phi && music.phi.rows() == 0)
    throw value_error(canon::detail::message(where, ": the embedding has no phi; expected the output of "
                                             "Retriever::embed_music"));
  if (with_kl) {
    canon::detail::require_same_shape(music.mean, music.log_variance, where, "mean", "log_variance");
    if (music.mean.rows() == 0)
      throw value_error(canon::detail::message(where, ": the embedding has no mean / log_variance"));
    if (music.mean.cols() != n)
      throw shape_error(canon::detail::message(where, ": phi has ", n, " songs but mean has ",
                                               music.mean.cols()));
  }
  const Index rows = (with_phi ? music.phi.rows() : 0) + (with_kl ? 2 * music.mean.rows() : 0);
  Matrix<Scalar> out(rows, n);
  Index r = 0;
  if (with_phi) {
    out.topRows(music.phi.rows()) = music.phi;
    r = music.phi.rows();
  }
  if (with_kl) {
    out.middleRows(r, music.mean.rows()) = music.mean;
    out.bottomRows(music.mean.rows()) = music.log_variance.array().exp().matrix();
  }
  return out;
}

namespace detail {
template <class Scalar, class Pick>
Matrix<Scalar> per_song_emotion(const PairSet<Scalar>& data, const char* where, Pick pick) {
  data.validate(where);
  const Index steps = data.emotion.rows() / 2;
  Matrix<Scalar> out(2, data.size());
  for (Index j = 0; j < data.size(); ++j) {
    const Index length = data.emotion_lengths.empty() ? steps : data.emotion_lengths[std::size_t(j)];
    out.col(j) = pick(data.emotion, j, length);
  }
  return out;
}
}  // namespace detail

/// Each song's mean (arousal, valence) over its own steps: 2 x N (the paper's DEAM target).
template <class Scalar>
Matrix<Scalar> mean_emotion(const PairSet<Scalar>& data) {
  return detail::per_song_emotion(data, "emer_cl::mean_emotion", [](const Matrix<Scalar>& e, Index j, Index length) {
    Vector<Scalar> sum = Vector<Scalar>::Zero(2);
    for (Index t = 0; t < length; ++t) sum += e.template block<2, 1>(2 * t, j);
    return Vector<Scalar>(sum / Scalar(length));
  });
}

/// Each song's last (arousal, valence), at its step length - 1: 2 x N (the paper's PMEmo
/// target).
template <class Scalar>
Matrix<Scalar> last_emotion(const PairSet<Scalar>& data) {
  return detail::per_song_emotion(data, "emer_cl::last_emotion", [](const Matrix<Scalar>& e, Index j, Index length) {
    return Vector<Scalar>(e.template block<2, 1>(2 * (length - 1), j));
  });
}

struct MerOptions {
  svm::SvrOptions svr;        ///< C, epsilon, gamma (unset: 'scale' on the standardised fold), tolerance
  int folds = 10;             ///< K of the K-fold cross-validation (the paper: 10)
  std::uint64_t seed = 1;     ///< shuffles the songs into folds (eval::k_fold)
  bool standardise = true;    ///< z-score the features with the training fold's statistics
};

/// One target's scores: per fold, and their mean and sample sd over folds.
struct MerTargetScores {
  eval::Summary r_squared, rmse, pearson;
  /// Per fold, in fold order. A fold whose predictions are all equal has no Pearson r:
  /// NaN there (and then in pearson's mean and sd), never an exception mid-way.
  std::vector<double> fold_r_squared, fold_rmse, fold_pearson;
};

struct MerScores {
  std::vector<MerTargetScores> targets;  ///< one per row of the targets (arousal, valence)
  Matrix<double> predictions;            ///< out-of-fold predictions, targets x songs
  Index songs = 0, features = 0;
  int folds = 0;
};

/// K-fold cross-validation of an RBF epsilon-SVR from `features` (features x songs) to
/// each row of `targets` (targets x songs, e.g. 2 x N arousal / valence). Every target
/// shares the same folds. Needs finite inputs, at least 2 songs per fold (songs >= 2 K,
/// so that every test fold has an R^2 and a Pearson r), and targets that vary in every
/// test fold (R^2 of a constant target is undefined: eval::r_squared throws).
template <class Scalar>
MerScores mer_cross_validation(const Matrix<Scalar>& features, const Matrix<Scalar>& targets,
                               const MerOptions& options = {}) {
  const char* where = "emer_cl::mer_cross_validation";
  if (features.rows() < 1)
    throw shape_error(canon::detail::message(where, ": features must be features x songs with at least one "
                                             "feature, got ", canon::detail::shape_of(features)));
  if (targets.rows() < 1 || targets.cols() != features.cols())
    throw shape_error(canon::detail::message(where, ": targets must be targets x songs with one column per "
                                             "song of the features (", features.cols(), "), got ",
                                             canon::detail::shape_of(targets)));
  if (options.folds < 2)
    throw value_error(canon::detail::message(where, ": folds must be at least 2, got ", options.folds));
  const Index songs = features.cols();
  if (songs < 2 * Index(options.folds))
    throw value_error(canon::detail::message(where, ": ", songs, " songs for ", options.folds,
                                             " folds; expected at least 2 songs per fold (", 2 * options.folds,
                                             ")"));
  canon::detail::require_finite(features, where, "features");
  canon::detail::require_finite(targets, where, "targets");
  svm::Svr check(options.svr);  // rejects bad SVR options before any fold runs

  const Matrix<double> x = features.template cast<double>();
  const Matrix<double> y = targets.template cast<double>();
  Rng rng(options.seed);
  const std::vector<eval::Fold> folds = eval::k_fold(songs, options.folds, rng);

  MerScores scores;
  scores.songs = songs;
  scores.features = x.rows();
  scores.folds = options.folds;
  scores.targets.resize(std::size_t(y.rows()));
  scores.predictions = Matrix<double>::Zero(y.rows(), songs);
  for (const eval::Fold& fold : folds) {
    const Index n_train = Index(fold.train.size()), n_test = Index(fold.test.size());
    Matrix<double> x_train(x.rows(), n_train), x_test(x.rows(), n_test);
    for (Index j = 0; j < n_train; ++j) x_train.col(j) = x.col(fold.train[std::size_t(j)]);
    for (Index j = 0; j < n_test; ++j) x_test.col(j) = x.col(fold.test[std::size_t(j)]);
    if (options.standardise) {
      // scikit-learn's StandardScaler: population sd, and scale 1 for a constant feature.
      const Vector<double> mean = x_train.rowwise().mean();
      Vector<double> sd = ((x_train.colwise() - mean).array().square().rowwise().sum() / double(n_train)).sqrt();
      for (Index i = 0; i < sd.size(); ++i)
        if (!(sd(i) > 10.0 * std::numeric_limits<double>::epsilon() * std::max(1.0, std::abs(mean(i)))))
          sd(i) = 1.0;
      x_train = (x_train.colwise() - mean).array().colwise() / sd.array();
      x_test = (x_test.colwise() - mean).array().colwise() / sd.array();
    }
    for (Index t = 0; t < y.rows(); ++t) {
      RowVector<double> y_train(n_train), y_test(n_test);
      for (Index j = 0; j < n_train; ++j) y_train(j) = y(t, fold.train[std::size_t(j)]);
      for (Index j = 0; j < n_test; ++j) y_test(j) = y(t, fold.test[std::size_t(j)]);
      svm::Svr svr(options.svr);
      svr.fit(x_train, y_train);
      const RowVector<double> predicted = svr.predict(x_test);
      for (Index j = 0; j < n_test; ++j) scores.predictions(t, fold.test[std::size_t(j)]) = predicted(j);
      MerTargetScores& s = scores.targets[std::size_t(t)];
      s.fold_r_squared.push_back(eval::r_squared(predicted, y_test));
      s.fold_rmse.push_back(eval::rmse(predicted, y_test));
      const bool flat = (predicted.array() == predicted(0)).all();
      s.fold_pearson.push_back(flat ? std::numeric_limits<double>::quiet_NaN() : eval::pearson(predicted, y_test));
    }
  }
  for (MerTargetScores& s : scores.targets) {
    s.r_squared = eval::summarise(s.fold_r_squared);
    s.rmse = eval::summarise(s.fold_rmse);
    s.pearson = eval::summarise(s.fold_pearson);
  }
  return scores;
}

}  // namespace canon::emer_cl
