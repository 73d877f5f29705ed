// canon/core/parameter.hpp — trainable parameters and non-trainable buffers.
//
// A Parameter is {value, grad, name}. Layers own their parameters and expose them
// through visit_parameters(f), calling f(Parameter&) once per parameter in a fixed
// order; optimizers, the gradient checker and serialization all walk a model this
// one way. Buffers (running statistics) are {value, name, persistent}, reached through
// visit_buffers(f): never optimized. A persistent buffer (batch norm's running mean) is
// part of the model and goes into model files; a non-persistent one (how many dropout
// masks a layer has drawn) is training position, not model: model files and the
// early-stopping snapshot leave it out, checkpoints keep it (PyTorch's
// register_buffer(..., persistent=False)).
#pragma once

#include <string>
#include <utility>

#include "canon/core/types.hpp"

namespace canon {

template <class Scalar>
struct Parameter {
  Matrix<Scalar> value;
  Matrix<Scalar> grad;  // same shape as value; written by backward()
  std::string name;     // unique within a model, e.g. "0.weight"

  Parameter() = default;
  Parameter(Index rows, Index cols, std::string parameter_name)
      : value(Matrix<Scalar>::Zero(rows, cols)),
        grad(Matrix<Scalar>::Zero(rows, cols)),
        name(std::move(parameter_name)) {}

  Index size() const { return value.size(); }
};

template <class Scalar>
struct Buffer {
  Matrix<Scalar> value;
  std::string name;
  bool persistent = true;

  Buffer() = default;
  Buffer(Matrix<Scalar> initial, std::string buffer_name, bool is_persistent = true)
      : value(std::move(initial)), name(std::move(buffer_name)), persistent(is_persistent) {}
};

/// Total number of trainable scalars in a model.
template <class Model>
Index parameter_count(Model& model) {
  Index total = 0;
  model.visit_parameters([&](auto& p) { total += p.size(); });
  return total;
}

/// Copies parameters and buffers of `from` into `to` in visit order, converting the
/// scalar type (a double twin of a float model, or back). Shapes must agree.
template <class From, class To>
void copy_state(From& from, To& to);

}  // namespace canon

#include "canon/core/detail/copy_state.hpp"
