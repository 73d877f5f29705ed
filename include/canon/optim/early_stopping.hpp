// canon/optim/early_stopping.hpp — stop when a validation metric stops improving,
// and give back the weights from the best epoch.
//
// After each epoch call update(metric, model). An epoch improves when the metric
// beats the best so far by more than min_delta (lower is better for Goal::minimise).
// On improvement the model's parameters and buffers are copied into storage that is
// allocated once and reused. should_stop() is true after `patience` epochs in a row
// without improvement; restore_best(model) copies the best state back.
#pragma once

#include <cmath>
#include <limits>
#include <vector>

#include "canon/core/checks.hpp"
#include "canon/core/parameter.hpp"

namespace canon::optim {

enum class Goal { minimise, maximise };

template <class Scalar>
class EarlyStopping {
  CANON_REQUIRE_SCALAR(Scalar);

 public:
  explicit EarlyStopping(int patience, Goal goal = Goal::minimise, double min_delta = 0.0)
      : patience_(patience), goal_(goal), min_delta_(min_delta) {
    if (patience < 1)
      throw value_error(canon::detail::message("EarlyStopping: patience must be >= 1, got ",
                                               patience));
    if (!(min_delta >= 0.0))
      throw value_error(canon::detail::message("EarlyStopping: min_delta must be >= 0, got ",
                                               min_delta));
  }

  /// Records one epoch's metric; snapshots the model when it improves. Returns
  /// whether this epoch improved.
  template <class Model>
  bool update(double metric, Model& model) {
    if (!std::isfinite(metric))
      throw value_error(canon::detail::message("EarlyStopping::update: the metric of epoch ",
                                               epochs_, " is ", metric,
                                               "; expected a finite number"));
    const bool improved = epochs_ == 0 || (goal_ == Goal::minimise
                                               ? metric < best_ - min_delta_
                                               : metric > best_ + min_delta_);
    if (improved) {
      best_ = metric;
      best_epoch_ = epochs_;
      since_best_ = 0;
      std::size_t i = 0;
      auto keep = [&](const Matrix<Scalar>& value) {
        if (i == snapshot_.size()) snapshot_.emplace_back();
        snapshot_[i++] = value;  // same shape after the first time: no allocation
      };
      model.visit_parameters([&](Parameter<Scalar>& p) { keep(p.value); });
      model.visit_buffers([&](Buffer<Scalar>& b) {
        if (b.persistent) keep(b.value);  // the model, not the training position
      });
      snapshot_size_ = i;
    } else {
      ++since_best_;
    }
    ++epochs_;
    return improved;
  }

  bool should_stop() const { return since_best_ >= patience_; }
  double best() const { return best_; }
  int best_epoch() const { return best_epoch_; }
  int epochs() const { return epochs_; }

  /// Everything needed to continue after a restart (checkpoints store it).
  struct State {
    double best = std::numeric_limits<double>::quiet_NaN();
    int best_epoch = -1, since_best = 0, epochs = 0;
    std::vector<Matrix<Scalar>> snapshot;  // the model's tensors in visit order
  };
  State state() const {
    return {best_, best_epoch_, since_best_, epochs_,
            std::vector<Matrix<Scalar>>(snapshot_.begin(), snapshot_.begin() + long(snapshot_size_))};
  }
  void set_state(State state) {
    best_ = state.best;
    best_epoch_ = state.best_epoch;
    since_best_ = state.since_best;
    epochs_ = state.epochs;
    snapshot_ = std::move(state.snapshot);
    snapshot_size_ = snapshot_.size();
  }

  /// Copies the best epoch's parameters and buffers back into the model.
  template <class Model>
  void restore_best(Model& model) const {
    if (epochs_ == 0) throw error("EarlyStopping::restore_best: no epoch was recorded");
    std::size_t i = 0;
    auto restore = [&](Matrix<Scalar>& value, const std::string& name) {
      if (i >= snapshot_size_)
        throw error(canon::detail::message("EarlyStopping::restore_best: the model has more "
                                           "tensors than were saved; extra: ", name));
      canon::detail::require_same_shape(value, snapshot_[i], "EarlyStopping::restore_best",
                                        name, "its saved value");
      value = snapshot_[i++];
    };
    model.visit_parameters([&](Parameter<Scalar>& p) { restore(p.value, p.name); });
    model.visit_buffers([&](Buffer<Scalar>& b) {
      if (b.persistent) restore(b.value, b.name);
    });
    if (i != snapshot_size_)
      throw error("EarlyStopping::restore_best: the model has fewer tensors than were saved");
  }

 private:
  int patience_;
  Goal goal_;
  double min_delta_;
  double best_ = std::numeric_limits<double>::quiet_NaN();
  int best_epoch_ = -1;
  int since_best_ = 0;
  int epochs_ = 0;
  std::vector<Matrix<Scalar>> snapshot_;
  std::size_t snapshot_size_ = 0;
};

}  // namespace canon::optim
