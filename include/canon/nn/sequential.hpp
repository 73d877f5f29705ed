// canon/nn/sequential.hpp — a chain of layers run one after another.
//
// Layers are plain classes without virtual functions; Sequential stores each behind
// a small type-erased holder (nn/detail/any_layer.hpp), so a chain can be assembled at
// run time (from a string, from a config). That costs one indirect call per layer per
// batch, nothing per element. Parameters are renamed "<position>.<name>" when added, as in a PyTorch
// state dict ("0.weight", "2.bias"), so every name in a model is unique.
#pragma once

#include <algorithm>
#include <functional>
#include <set>
#include <string>
#include <type_traits>
#include <utility>
#include <vector>

#include "canon/core/checks.hpp"
#include "canon/core/parameter.hpp"
#include "canon/nn/detail/any_layer.hpp"

namespace canon::nn {

template <class Scalar>
class Sequential {
  CANON_REQUIRE_SCALAR(Scalar);

 public:
  using scalar_type = Scalar;
  using ParameterVisitor = std::function<void(Parameter<Scalar>&)>;
  using BufferVisitor = std::function<void(Buffer<Scalar>&)>;

  Sequential() = default;
  Sequential(Sequential&&) noexcept = default;
  Sequential& operator=(Sequential&&) noexcept = default;

  /// Appends a layer (moved in) and returns a reference to it as stored.
  template <class Layer>
  Layer& add(Layer layer) {
    canon::detail::AnyLayer<Scalar> stored(std::move(layer));
    std::set<std::string> names;
    visit_parameters([&](Parameter<Scalar>& p) { names.insert(p.name); });
    visit_buffers([&](Buffer<Scalar>& b) { names.insert(b.name); });
    stored.prefix_names(std::to_string(layers_.size()) + ".", names, "Sequential::add");
    shares_gradients_ = shares_gradients_ && stored.shares_gradients();
    layers_.push_back(std::move(stored));
    return *layers_.back().template get<Layer>();
  }

  std::size_t size() const { return layers_.size(); }
  bool empty() const { return layers_.empty(); }

  /// The stored layer at `position`, as its concrete type (checked).
  template <class Layer>
  Layer& at(std::size_t position) {
    if (position >= layers_.size())
      throw error(canon::detail::message("Sequential::at: position ", position, " out of range (",
                                  layers_.size(), " layers)"));
    Layer* layer = layers_[position].template get<Layer>();
    if (layer == nullptr)
      throw error(canon::detail::message("Sequential::at: layer ", position,
                                  " is not of the requested type"));
    return *layer;
  }

  const Matrix<Scalar>& forward(const Matrix<Scalar>& x, Mode mode) {
    if (layers_.empty()) throw error("Sequential::forward: the container has no layers");
    canon::detail::require_batch(x, 1, "Sequential::forward");
    canon::detail::require_finite(x, "Sequential::forward", "input");
    const Matrix<Scalar>* current = &x;
    Index widest = 0;  // the largest input of layers 1.., for the shared gradient buffers
    for (std::size_t i = 0; i < layers_.size(); ++i) {
      if (i > 0) widest = std::max(widest, current->size());
      current = &layers_[i].forward(*current, mode);
    }
    input_rows_ = x.rows();
    input_cols_ = x.cols();
    output_ = current;
    if (shares_gradients_ && gradient_ping_.size() < widest) {
      gradient_ping_.resize(widest);
      gradient_pong_.resize(widest);
    }
    return *current;
  }
  const Matrix<Scalar>& forward(Matrix<Scalar>&&, Mode) = delete;

  const Matrix<Scalar>& backward(const Matrix<Scalar>& dy) {
    if (layers_.empty()) throw error("Sequential::backward: the container has no layers");
    if (shares_gradients_) {
      if (output_ == nullptr) throw error("Sequential::backward called before forward");
      canon::detail::require_same_shape(dy, *output_, "Sequential::backward", "output gradient", "output");
      // Every layer writes its input gradient into one of two buffers shared by the
      // chain (each gradient is dead once the layer before has consumed it), the first
      // layer into input_grad_: two buffers of the widest size instead of one per layer.
      const Scalar* current = dy.data();
      for (std::size_t i = layers_.size(); i-- > 0;) {
        Scalar* target;
        if (i == 0) {
          input_grad_.resize(input_rows_, input_cols_);
          target = input_grad_.data();
        } else {
          target = current == gradient_ping_.data() ? gradient_pong_.data() : gradient_ping_.data();
        }
        layers_[i].backward_into(current, target);
        current = target;
      }
      return input_grad_;
    }
    const Matrix<Scalar>* current = &dy;
    for (auto it = layers_.rbegin(); it != layers_.rend(); ++it)
      current = &it->backward(*current);
    return *current;
  }

  template <class Visitor>
  void visit_parameters(Visitor&& visit) {
    for (auto& layer : layers_) layer.visit_parameters(ParameterVisitor(std::ref(visit)));
  }
  template <class Visitor>
  void visit_buffers(Visitor&& visit) {
    for (auto& layer : layers_) layer.visit_buffers(BufferVisitor(std::ref(visit)));
  }

 private:
  std::vector<canon::detail::AnyLayer<Scalar>> layers_;
  bool shares_gradients_ = true;  // every layer has backward_into
  const Matrix<Scalar>* output_ = nullptr;
  Index input_rows_ = 0, input_cols_ = 0;
  Vector<Scalar> gradient_ping_, gradient_pong_;
  Matrix<Scalar> input_grad_;
};

}  // namespace canon::nn
