// canon/models/emer_cl/baselines.hpp — EMER-CL's regression baselines RegMLP and
// RegBiGRU (Takashima et al., Section IV-E):
//
//   M2E: an encoder of the music (mean-frame MLP or BiGRU) and a linear layer regress the
//        song's mean (arousal, valence); test emotions are ranked by the absolute error
//        sum_k |prediction_k - mean emotion_j,k| (smaller first)
//   E2M: an encoder of the emotion sequence and a linear layer regress the song's mean
//        music frame; test songs are ranked by sum_k |prediction_k - mean frame_j,k|
// Both trained with the MAE loss (as the paper) through the generic loop.
#pragma once

#include <vector>

#include "canon/eval/retrieval.hpp"
#include "canon/loss/mae.hpp"
#include "canon/models/emer_cl/data.hpp"
#include "canon/models/emer_cl/model.hpp"
#include "canon/models/emer_cl/retrieval.hpp"
#include "canon/nn/step_mean.hpp"
#include "canon/optim/adam.hpp"
#include "canon/train/loop.hpp"

namespace canon::emer_cl {

struct BaselineConfig {
  EncoderConfig music = EncoderConfig::paper_music_mlp();   ///< RegMLP (or a BiGRU: RegBiGRU)
  EncoderConfig emotion = EncoderConfig::paper_bigru(2);
  optim::AdamOptions adam{1e-5};
  train::LoopOptions loop;
};

/// The mean frame of each song's own frames: F x N.
template <class Scalar>
Matrix<Scalar> mean_frames(const Matrix<Scalar>& x, Index features, const std::vector<Index>& lengths) {
  nn::StepMean<Scalar> mean(features);
  return mean.forward(x, lengths, Mode::eval);
}

/// One regression: an encoder of one modality and a linear output, MAE to a target.
template <class Scalar>
class Regression {
 public:
  using scalar_type = Scalar;

  Regression(const EncoderConfig& encoder, Index outputs, std::uint64_t seed)
      : rng_(seed), encoder_(encoder, rng_, seed + 1), head_(encoder.mlp.back(), outputs, rng_) {
    head_.visit_parameters([](Parameter<Scalar>& p) { p.name = "head." + p.name; });
  }

  const Matrix<Scalar>& predict(const Matrix<Scalar>& x, const std::vector<Index>& lengths, Mode mode) {
    return head_.forward(encoder_.forward(x, lengths, mode), mode);
  }
  void backward(const Matrix<Scalar>& d_prediction) { encoder_.backward(head_.backward(d_prediction)); }

  template <class Visitor>
  void visit_parameters(Visitor&& visit) {
    encoder_.visit_parameters(visit);
    head_.visit_parameters(visit);
  }
  template <class Visitor>
  void visit_buffers(Visitor&& visit) {
    encoder_.visit_buffers(visit);
  }

 private:
  Rng rng_;
  Encoder<Scalar> encoder_;
  nn::Dense<Scalar> head_;
};

/// The generic loop's task for a Regression: inputs with lengths -> targets (one column each).
template <class Scalar>
class RegressionTask : public train::ModelTask<Regression<Scalar>> {
 public:
  using scalar_type = Scalar;

  RegressionTask(Regression<Scalar>& model, const Matrix<Scalar>& inputs, const std::vector<Index>& lengths,
                 const Matrix<Scalar>& targets)
      : train::ModelTask<Regression<Scalar>>(model), inputs_(inputs), lengths_(lengths), targets_(targets) {
    if (inputs.cols() != targets.cols())
      throw shape_error(canon::detail::message("emer_cl::RegressionTask: ", inputs.cols(), " inputs and ",
                                               targets.cols(), " targets"));
  }
  const char* name() const { return "emer_cl::RegressionTask"; }
  Index samples() const { return inputs_.cols(); }
  bool has_validation() const { return false; }
  double validation_loss() { return 0; }

  double train_batch(const std::vector<Index>& indices, const train::BatchPosition&) {
    train::detail::gather_columns(inputs_, indices, x_);
    train::detail::gather_columns(targets_, indices, y_);
    batch_lengths_.clear();
    if (!lengths_.empty())
      for (const Index j : indices) batch_lengths_.push_back(lengths_[std::size_t(j)]);
    const double value = double(loss_.forward(model_.predict(x_, batch_lengths_, Mode::train), y_));
    model_.backward(loss_.backward());
    return value;
  }

 private:
  using train::ModelTask<Regression<Scalar>>::model_;
  const Matrix<Scalar>& inputs_;
  const std::vector<Index>& lengths_;
  const Matrix<Scalar>& targets_;
  loss::MAE<Scalar> loss_;
  Matrix<Scalar> x_, y_;
  std::vector<Index> batch_lengths_;
};

/// Negative L1 distance of every prediction (column) to every target: Q x C, larger is better.
template <class Scalar>
Matrix<Scalar> negative_l1(const Matrix<Scalar>& predictions, const Matrix<Scalar>& targets) {
  Matrix<Scalar> s(predictions.cols(), targets.cols());
  for (Index q = 0; q < predictions.cols(); ++q)
    s.row(q) = -(targets.colwise() - predictions.col(q)).cwiseAbs().colwise().sum();
  return s;
}

/// Trains both regressions on `training` and scores M2E and E2M on `test`.
template <class Scalar>
RetrievalScores regression_baseline(const PairSet<Scalar>& training, const PairSet<Scalar>& test,
                                    const BaselineConfig& config, std::uint64_t seed) {
  training.validate("emer_cl::regression_baseline (training)");
  test.validate("emer_cl::regression_baseline (test)");
  const Matrix<Scalar> train_emotion = training.mean_emotion();
  const Matrix<Scalar> train_frames = mean_frames(training.music, training.music_features, training.music_lengths);
  Regression<Scalar> m2e(config.music, 2, seed);
  Regression<Scalar> e2m(config.emotion, training.music_features, seed + 7);
  {
    RegressionTask<Scalar> task(m2e, training.music, training.music_lengths, train_emotion);
    optim::Adam<Scalar> adam(config.adam);
    train::fit(task, adam, config.loop);
  }
  {
    RegressionTask<Scalar> task(e2m, training.emotion, training.emotion_lengths, train_frames);
    optim::Adam<Scalar> adam(config.adam);
    train::fit(task, adam, config.loop);
  }
  const Matrix<Scalar> test_emotion = test.mean_emotion();
  const Matrix<Scalar> test_frames = mean_frames(test.music, test.music_features, test.music_lengths);
  const Matrix<Scalar> predicted_emotion = m2e.predict(test.music, test.music_lengths, Mode::eval);
  const Matrix<Scalar> predicted_frames = e2m.predict(test.emotion, test.emotion_lengths, Mode::eval);
  const auto m2e_ranks = eval::paired_ranks(negative_l1(predicted_emotion, test_emotion));
  const auto e2m_ranks = eval::paired_ranks(negative_l1(predicted_frames, test_frames));
  RetrievalScores s;
  s.pairs = test.size();
  s.m2e_mrr = eval::mean_reciprocal_rank(m2e_ranks);
  s.m2e_ar = eval::average_rank(m2e_ranks);
  s.e2m_mrr = eval::mean_reciprocal_rank(e2m_ranks);
  s.e2m_ar = eval::average_rank(e2m_ranks);
  return s;
}

}  // namespace canon::emer_cl
