// canon/optim/checkpoint.hpp — save a training run and resume it where it stopped.
//
// A checkpoint is a canon tensor file (core/serialization.hpp) holding the model's
// parameters and buffers, the optimizer's state (step count, first and second
// moments per parameter), the training position (epoch, step) and, when given, the
// early-stopping state (best metric, counters and the best epoch's weights), and the
// optimizer's kind and options as a text record (describe()), all but
// the model as "state" tensors that canon::load ignores, so a checkpoint also loads as
// a plain model file. Written atomically: an interrupted save leaves the previous
// checkpoint intact.
//
// Resuming is exact: everything random in an epoch is derived from (seed, epoch), as
// canon's training loops do (the shuffle of epoch e comes from Rng(seed + e)), and a
// layer's own random position (how many dropout masks it has drawn) is a
// non-persistent buffer that the checkpoint stores as the state tensor
// "training_state.<name>" and a model file leaves out. Counters (optimizer steps,
// epoch, step) and the early-stopping best are doubles kept exactly even in a float
// file (detail::exact_double), so a float run resumes on the same values as the run it
// continues.
#pragma once

#include <cmath>
#include <cstdlib>
#include <limits>
#include <map>
#include <sstream>
#include <string>
#include <type_traits>
#include <vector>

#include "canon/core/serialization.hpp"
#include "canon/optim/detail/state.hpp"
#include "canon/optim/early_stopping.hpp"

namespace canon::optim {

namespace detail {

/// A double kept exactly in a file of the model's scalar type. In float it is split as
/// x = hi + mid + lo, each part the float nearest to what is left (24 + 24 + 24 bits
/// cover double's 53, and each difference is exact in double), so a float run's
/// early-stopping best survives a checkpoint unrounded and a resumed run compares
/// against the same value as the run it continues.
template <class Scalar>
Matrix<Scalar> exact_double(double x) {
  Matrix<Scalar> parts = Matrix<Scalar>::Zero(1, 3);
  if (std::is_same_v<Scalar, double> || !std::isfinite(x)) {
    parts(0, 0) = Scalar(x);
    return parts;
  }
  const float hi = float(x);
  const double rest = x - double(hi);
  const float mid = float(rest);
  parts << Scalar(hi), Scalar(mid), Scalar(float(rest - double(mid)));
  return parts;
}

/// The state tensor that keeps a non-persistent buffer in a checkpoint.
inline std::string training_state_name(const std::string& buffer) { return "training_state." + buffer; }

/// Reads what exact_double wrote (or a 1 x 1 value of an older checkpoint).
inline double read_exact_double(const std::map<std::string, canon::detail::StoredTensor>& stored,
                                const std::string& path, const std::string& name) {
  const auto found = stored.find(name);
  if (found == stored.end() || found->second.kind != std::uint8_t(canon::detail::TensorKind::state))
    throw io_error(canon::detail::message("load_checkpoint: '", path, "' has no state tensor '", name, "'"));
  const Matrix<double>& v = found->second.value;
  if (v.rows() != 1 || (v.cols() != 1 && v.cols() != 3))
    throw shape_error(canon::detail::message("load_checkpoint: '", path, "' stores '", name, "' as ",
                                             canon::detail::shape_of(v), "; expected 1x3 (or 1x1)"));
  return v.cols() == 1 || !std::isfinite(v(0, 0)) ? v(0, 0) : v(0, 0) + v(0, 1) + v(0, 2);
}

}  // namespace detail

/// The optimizer's kind and options as the checkpoint records them ("adam beta1 0.9
/// ..."): resuming with another optimizer, or other options, would not continue the run
/// it claims to continue (an Adam first moment is not SGD's momentum). The learning
/// rate is recorded apart and restored, as torch.optim's load_state_dict does.
template <class Optimizer>
std::string describe(const Optimizer& optimizer) {
  return std::string(Optimizer::kind) + " " + describe_options(optimizer.options());
}

/// Where a training run stands.
struct TrainingPosition {
  long epoch = 0;  // epochs completed
  long step = 0;   // optimizer steps taken
  double best_metric = std::numeric_limits<double>::quiet_NaN();  // for the caller's records
};

template <class Model, class Optimizer>
void save_checkpoint(const std::string& path, Model& model, const Optimizer& optimizer,
                     const TrainingPosition& position,
                     const EarlyStopping<typename Model::scalar_type>* stopper = nullptr) {
  using Scalar = typename Model::scalar_type;
  auto records = canon::detail::model_records(model);
  const auto state = optimizer.state();
  // Names and values must outlive the records that point at them.
  std::vector<std::string> names;
  std::vector<Matrix<Scalar>> values;
  names.reserve(4 + 2 * state.slots.size());
  values.reserve(4 + 2 * state.slots.size());
  auto add = [&](std::string name, Matrix<Scalar> value) {
    names.push_back(std::move(name));
    values.push_back(std::move(value));
  };
  add("optimizer.steps", detail::exact_double<Scalar>(double(state.steps)));
  add("training.epoch", detail::exact_double<Scalar>(double(position.epoch)));
  add("training.step", detail::exact_double<Scalar>(double(position.step)));
  add("training.best_metric", detail::exact_double<Scalar>(position.best_metric));
  model.visit_buffers([&](Buffer<Scalar>& b) {
    if (!b.persistent) add(detail::training_state_name(b.name), b.value);
  });
  for (const auto& slot : state.slots) {
    add("optimizer." + slot.name + ".first", slot.first);
    if (Optimizer::uses_second_moment) add("optimizer." + slot.name + ".second", slot.second);
  }
  if (stopper != nullptr) {
    auto stopping = stopper->state();
    add("early_stopping.counters", (Matrix<Scalar>(1, 4) << Scalar(stopping.best_epoch),
                                    Scalar(stopping.since_best), Scalar(stopping.epochs),
                                    Scalar(stopping.snapshot.size()))
                                       .finished());
    add("early_stopping.best", detail::exact_double<Scalar>(stopping.best));
    const auto model_tensors = canon::detail::model_records(model);
    for (std::size_t i = 0; i < stopping.snapshot.size(); ++i)
      add("early_stopping.best_model." + *model_tensors.at(i).name, std::move(stopping.snapshot[i]));
  }
  for (std::size_t i = 0; i < names.size(); ++i)
    records.push_back({canon::detail::TensorKind::state, &names[i], &values[i]});
  std::ostringstream rate;
  rate.precision(17);
  rate << optimizer.options().learning_rate;
  canon::detail::write_tensor_file(path, records,
                                   {{"optimizer", describe(optimizer)}, {"optimizer_learning_rate", rate.str()}});
}

/// Restores model, optimizer and position from a checkpoint. Everything is validated
/// before anything changes: the optimizer's kind and options, every counter, and every
/// value (finite; second moments >= 0). An optimizer that had not stepped yet when the checkpoint
/// was written is restored as such.
template <class Model, class Optimizer>
TrainingPosition load_checkpoint(const std::string& path, Model& model, Optimizer& optimizer,
                                 EarlyStopping<typename Model::scalar_type>* stopper = nullptr) {
  using Scalar = typename Model::scalar_type;
  Metadata text;
  const auto stored = canon::detail::read_tensor_file(path, &text);
  const auto recorded = text.find("optimizer");  // absent from checkpoints of canon before 0.1.0's #13
  if (recorded != text.end() && recorded->second != describe(optimizer))
    throw value_error(canon::detail::message(
        "load_checkpoint: '", path, "' was written by the optimizer '", recorded->second, "'; this run's is '",
        describe(optimizer), "'. Resume with the same optimizer and options (a resumed run then ends as an "
        "uninterrupted one), or start a new run"));
  double learning_rate = optimizer.options().learning_rate;
  if (const auto rate = text.find("optimizer_learning_rate"); rate != text.end()) {
    char* end = nullptr;
    learning_rate = std::strtod(rate->second.c_str(), &end);
    if (end == rate->second.c_str() || *end != '\0' || !(learning_rate > 0) || !std::isfinite(learning_rate))
      throw value_error(canon::detail::message("load_checkpoint: '", path, "' records the learning rate '",
                                               rate->second, "'; expected a positive number"));
  }
  const std::uint8_t state_kind = static_cast<std::uint8_t>(canon::detail::TensorKind::state);
  auto counter = [&](const std::string& name) {
    const double v = detail::read_exact_double(stored, path, name);
    if (!canon::detail::is_whole_number(v, 0x1p53))
      throw value_error(canon::detail::message("load_checkpoint: '", path, "' stores ", name, " = ", v,
                                               "; expected a whole number >= 0"));
    return long(v);
  };
  const long steps = counter("optimizer.steps");
  TrainingPosition position;
  position.epoch = counter("training.epoch");
  position.step = counter("training.step");
  position.best_metric = detail::read_exact_double(stored, path, "training.best_metric");
  // The layers' random positions, validated now and assigned with the model below.
  std::vector<std::pair<Matrix<Scalar>*, Matrix<Scalar>>> positions;
  model.visit_buffers([&](Buffer<Scalar>& b) {
    if (b.persistent) return;
    const std::string name = detail::training_state_name(b.name);
    const Matrix<double>& value =
        canon::detail::find_tensor(stored, path, name, state_kind, b.value.rows(), b.value.cols());
    canon::detail::require_loadable_values<Scalar>(value, path, name);
    positions.emplace_back(&b.value, value.template cast<Scalar>());
  });

  detail::OptimizerState<Scalar> state;
  state.steps = steps;
  if (steps > 0) {  // an optimizer creates its slots on its first step
    model.visit_parameters([&](Parameter<Scalar>& p) {
      detail::Slot<Scalar> slot;
      slot.name = p.name;
      // Moments are values like any other: finite, and a second moment is never negative
      // (Adam takes its square root).
      auto moment = [&](const std::string& name, bool non_negative) {
        const Matrix<double>& v =
            canon::detail::find_tensor(stored, path, name, state_kind, p.value.rows(), p.value.cols());
        canon::detail::require_loadable_values<Scalar>(v, path, name);
        if (non_negative && v.size() > 0 && v.minCoeff() < 0)
          throw value_error(canon::detail::message("load_checkpoint: '", path, "' holds a negative ", name,
                                                   " (", v.minCoeff(), "); a second moment is >= 0"));
        return Matrix<Scalar>(v.template cast<Scalar>());
      };
      slot.first = moment("optimizer." + p.name + ".first", false);
      if (Optimizer::uses_second_moment) slot.second = moment("optimizer." + p.name + ".second", true);
      state.slots.push_back(std::move(slot));
    });
  }
  typename EarlyStopping<Scalar>::State stopping;
  if (stopper != nullptr) {
    const auto& counters = canon::detail::find_tensor(stored, path, "early_stopping.counters",
                                                      state_kind, 1, 4);
    const auto records = canon::detail::model_records(model);
    // The counters as EarlyStopping::update leaves them: before the first epoch
    // (-1, 0, 0, nothing saved), afterwards the best of `epochs` epochs, the epochs
    // since it, and one saved tensor per model tensor.
    for (Index j = 0; j < 4; ++j)
      if (!canon::detail::is_whole_number(counters(0, j) + (j == 0 ? 1.0 : 0.0), 0x1p31))
        throw value_error(canon::detail::message("load_checkpoint: '", path, "' stores early_stopping.counters ",
                                                 counters, "; expected whole numbers (best epoch >= -1)"));
    stopping.best_epoch = int(counters(0, 0));
    stopping.since_best = int(counters(0, 1));
    stopping.epochs = int(counters(0, 2));
    stopping.best = detail::read_exact_double(stored, path, "early_stopping.best");
    const long saved = long(counters(0, 3));
    const bool fresh = stopping.epochs == 0 && stopping.best_epoch == -1 && stopping.since_best == 0 && saved == 0;
    const bool running = stopping.epochs > 0 && stopping.best_epoch >= 0 && stopping.best_epoch < stopping.epochs &&
                         stopping.since_best == stopping.epochs - 1 - stopping.best_epoch &&
                         saved == long(records.size()) && std::isfinite(stopping.best);
    if (!fresh && !running)
      throw value_error(canon::detail::message(
          "load_checkpoint: '", path, "' stores inconsistent early-stopping state: best epoch ", stopping.best_epoch,
          ", ", stopping.since_best, " epochs since it, ", stopping.epochs, " epochs, best ", stopping.best, ", ",
          saved, " saved tensors (the model has ", records.size(),
          "); expected best epoch < epochs, since = epochs - 1 - best epoch, a finite best and every tensor saved"));
    for (long i = 0; i < saved; ++i) {
      const auto& record = records[std::size_t(i)];
      const std::string name = "early_stopping.best_model." + *record.name;
      const Matrix<double>& value =
          canon::detail::find_tensor(stored, path, name, state_kind, record.value->rows(), record.value->cols());
      canon::detail::require_loadable_values<Scalar>(value, path, name);
      stopping.snapshot.push_back(value.template cast<Scalar>());
    }
  }
  canon::detail::assign_model_tensors(model, stored, path);  // validates, then assigns
  for (auto& [target, value] : positions) *target = std::move(value);
  optimizer.set_state(std::move(state));
  optimizer.set_learning_rate(learning_rate);
  if (stopper != nullptr) stopper->set_state(std::move(stopping));
  return position;
}

}  // namespace canon::optim
