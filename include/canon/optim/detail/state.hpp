// canon/optim/detail/state.hpp — per-parameter optimizer state, matched to a model's
// parameters by visit order and checked by name and shape on every step.
#pragma once

#include <string>
#include <vector>

#include "canon/core/checks.hpp"
#include "canon/core/parameter.hpp"

namespace canon::optim::detail {

template <class Scalar>
struct Slot {
  std::string name;
  Matrix<Scalar> first;   // momentum / first moment
  Matrix<Scalar> second;  // second moment (Adam only)
};

/// Everything an optimizer carries between steps: the step count and one slot per
/// parameter. Checkpoints save and restore it so that a resumed run continues the
/// same trajectory.
template <class Scalar>
struct OptimizerState {
  long steps = 0;
  std::vector<Slot<Scalar>> slots;
};

/// What every optimizer shares: its options, its per-parameter slots and step count,
/// and the state export/import that checkpoints use. Options must have a
/// learning_rate member.
template <class Scalar, class Options>
class OptimizerBase {
 public:
  const Options& options() const { return options_; }
  void set_learning_rate(double lr) {
    canon::detail::require_positive(lr, "set_learning_rate", "learning_rate");
    options_.learning_rate = lr;
  }
  long steps() const { return steps_; }
  OptimizerState<Scalar> state() const { return {steps_, slots_}; }
  void set_state(OptimizerState<Scalar> state) {
    steps_ = state.steps;
    slots_ = std::move(state.slots);
  }
  /// Forget all state (the next step is step 1 again).
  void reset() {
    slots_.clear();
    steps_ = 0;
  }

 protected:
  explicit OptimizerBase(Options options) : options_(options) {}
  Options options_;
  std::vector<Slot<Scalar>> slots_;
  long steps_ = 0;
};

/// Walks the model's parameters, creating state on the first step and insisting
/// afterwards that the model still has the same parameters in the same order.
/// Every gradient is checked for NaN/Inf before anything is updated, so a step either
/// updates all parameters or none.
template <class Scalar, class Model, class Update>
void for_each_slot(std::vector<Slot<Scalar>>& slots, Model& model, const char* where,
                   bool with_second, Update&& update) {
  std::vector<Parameter<Scalar>*> parameters;
  model.visit_parameters([&](Parameter<Scalar>& p) { parameters.push_back(&p); });
  if (parameters.empty()) throw error(canon::detail::message(where, ": the model has no parameters"));
  if (slots.empty()) {
    for (auto* p : parameters) {
      Slot<Scalar> slot{p->name, Matrix<Scalar>::Zero(p->value.rows(), p->value.cols()), {}};
      if (with_second) slot.second = Matrix<Scalar>::Zero(p->value.rows(), p->value.cols());
      slots.push_back(std::move(slot));
    }
  }
  if (slots.size() != parameters.size())
    throw error(canon::detail::message(where, ": optimizer state holds ", slots.size(),
                                       " parameters, the model has ", parameters.size()));
  for (std::size_t i = 0; i < parameters.size(); ++i) {
    auto& p = *parameters[i];
    if (p.name != slots[i].name)
      throw error(canon::detail::message(where, ": parameter ", i, " is '", p.name,
                                         "', the optimizer state was made for '",
                                         slots[i].name, "'"));
    canon::detail::require_same_shape(p.grad, p.value, where, p.name + " gradient",
                                      p.name + " value");
    canon::detail::require_shape(p.value, slots[i].first.rows(), slots[i].first.cols(), where,
                                 p.name);
    canon::detail::require_finite(p.grad, where, "gradient of " + p.name);
  }
  for (std::size_t i = 0; i < parameters.size(); ++i) update(*parameters[i], slots[i]);
}

}  // namespace canon::optim::detail
