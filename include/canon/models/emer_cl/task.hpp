// canon/models/emer_cl/task.hpp — EMER-CL's training step as a task of the generic loop
// (train/loop.hpp): a batch of song pairs through both encoders and their heads, the
// composite loss of the six head outputs, and backward through both models.
#pragma once

#include <algorithm>
#include <string>
#include <vector>

#include "canon/models/emer_cl/data.hpp"
#include "canon/models/emer_cl/loss.hpp"
#include "canon/models/emer_cl/model.hpp"
#include "canon/train/loop.hpp"

namespace canon::emer_cl {

template <class Scalar>
class Task : public train::ModelTask<Model<Scalar>> {
 public:
  using scalar_type = Scalar;

  /// The data sets are referenced: they must outlive the task. Validation may be empty.
  Task(Model<Scalar>& model, CompositeLoss<Scalar>& loss, const PairSet<Scalar>& training,
       const PairSet<Scalar>& validation)
      : train::ModelTask<Model<Scalar>>(model), loss_(loss), training_(training), validation_(validation) {
    training.validate("emer_cl::Task (training)");
    if (validation.size() > 0) validation.validate("emer_cl::Task (validation)");
  }

  const char* name() const { return "emer_cl::Task"; }
  Index samples() const { return training_.size(); }
  bool has_validation() const { return validation_.size() > 0; }

  double train_batch(const std::vector<Index>& indices, const train::BatchPosition&) {
    gather(training_, indices);
    const double value = step(batch_, Mode::train);
    if (std::isfinite(value)) {
      const auto g = loss_.backward();
      model_.backward_music(g[0], g[1], g[2]);
      model_.backward_emotion(g[3], g[4], g[5]);
    }
    return value;
  }

  /// The composite loss of the whole validation set in eval mode (one batch: Deep CCA and
  /// the in-batch negatives of the ranking are properties of the whole set).
  double validation_loss() { return step(validation_, Mode::eval); }

  const std::vector<std::string>& warnings() const { return warnings_; }

 private:
  using train::ModelTask<Model<Scalar>>::model_;
  double step(const PairSet<Scalar>& data, Mode mode) {
    const auto m = model_.forward_music(data.music, data.music_lengths, mode);
    const auto e = model_.forward_emotion(data.emotion, data.emotion_lengths, mode);
    const double value = double(loss_.forward(m.z, m.mean, m.log_variance, e.z, e.mean, e.log_variance));
    if (mode == Mode::train && !loss_.warning().empty() &&
        std::find(warnings_.begin(), warnings_.end(), loss_.warning()) == warnings_.end())
      warnings_.push_back(loss_.warning());
    return value;
  }

  void gather(const PairSet<Scalar>& from, const std::vector<Index>& indices) {
    const Index n = Index(indices.size());
    batch_.music_features = from.music_features;
    batch_.music.resize(from.music.rows(), n);
    batch_.emotion.resize(from.emotion.rows(), n);
    batch_.music_lengths.clear();
    batch_.emotion_lengths.clear();
    for (Index k = 0; k < n; ++k) {
      const Index j = indices[std::size_t(k)];
      batch_.music.col(k) = from.music.col(j);
      batch_.emotion.col(k) = from.emotion.col(j);
      if (!from.music_lengths.empty()) batch_.music_lengths.push_back(from.music_lengths[std::size_t(j)]);
      if (!from.emotion_lengths.empty()) batch_.emotion_lengths.push_back(from.emotion_lengths[std::size_t(j)]);
    }
  }

  CompositeLoss<Scalar>& loss_;
  const PairSet<Scalar>& training_;
  const PairSet<Scalar>& validation_;
  PairSet<Scalar> batch_;  // reused every step
  std::vector<std::string> warnings_;
};

}  // namespace canon::emer_cl
