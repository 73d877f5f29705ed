// canon/nn/sequential.hpp — a chain of layers run one after another.
//
// Layers are plain classes without virtual functions; Sequential stores each behind
// a small type-erased holder, so a chain can be assembled at run time (from a string,
// from a config). That costs one indirect call per layer per batch, nothing per
// element. Parameters are renamed "<position>.<name>" when added, as in a PyTorch
// state dict ("0.weight", "2.bias"), so every name in a model is unique.
#pragma once

#include <functional>
#include <memory>
#include <set>
#include <string>
#include <utility>
#include <vector>

#include "canon/core/checks.hpp"
#include "canon/core/parameter.hpp"

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
    static_assert(std::is_same_v<typename Layer::scalar_type, Scalar>,
                  "Sequential: the layer's scalar type differs from the container's");
    auto holder = std::make_unique<Holder<Layer>>(std::move(layer));
    Layer& stored = holder->layer;
    const std::string prefix = std::to_string(layers_.size()) + ".";
    std::set<std::string> names;
    visit_parameters([&](Parameter<Scalar>& p) { names.insert(p.name); });
    visit_buffers([&](Buffer<Scalar>& b) { names.insert(b.name); });
    auto rename = [&](std::string& name) {
      name = prefix + name;
      if (!names.insert(name).second)
        throw error(detail::message("Sequential::add: duplicate tensor name '", name, "'"));
    };
    stored.visit_parameters([&](Parameter<Scalar>& p) { rename(p.name); });
    stored.visit_buffers([&](Buffer<Scalar>& b) { rename(b.name); });
    layers_.push_back(std::move(holder));
    return stored;
  }

  std::size_t size() const { return layers_.size(); }
  bool empty() const { return layers_.empty(); }

  /// The stored layer at `position`, as its concrete type (checked).
  template <class Layer>
  Layer& at(std::size_t position) {
    if (position >= layers_.size())
      throw error(detail::message("Sequential::at: position ", position, " out of range (",
                                  layers_.size(), " layers)"));
    auto* holder = dynamic_cast<Holder<Layer>*>(layers_[position].get());
    if (holder == nullptr)
      throw error(detail::message("Sequential::at: layer ", position,
                                  " is not of the requested type"));
    return holder->layer;
  }

  const Matrix<Scalar>& forward(const Matrix<Scalar>& x, Mode mode) {
    if (layers_.empty()) throw error("Sequential::forward: the container has no layers");
    detail::require_batch(x, 1, "Sequential::forward");
    detail::require_finite(x, "Sequential::forward", "input");
    const Matrix<Scalar>* current = &x;
    for (auto& layer : layers_) current = &layer->forward(*current, mode);
    return *current;
  }
  const Matrix<Scalar>& forward(Matrix<Scalar>&&, Mode) = delete;

  const Matrix<Scalar>& backward(const Matrix<Scalar>& dy) {
    if (layers_.empty()) throw error("Sequential::backward: the container has no layers");
    const Matrix<Scalar>* current = &dy;
    for (auto it = layers_.rbegin(); it != layers_.rend(); ++it)
      current = &(*it)->backward(*current);
    return *current;
  }

  template <class Visitor>
  void visit_parameters(Visitor&& visit) {
    for (auto& layer : layers_) layer->visit_parameters(ParameterVisitor(std::ref(visit)));
  }
  template <class Visitor>
  void visit_buffers(Visitor&& visit) {
    for (auto& layer : layers_) layer->visit_buffers(BufferVisitor(std::ref(visit)));
  }

 private:
  struct Concept {
    virtual ~Concept() = default;
    virtual const Matrix<Scalar>& forward(const Matrix<Scalar>& x, Mode mode) = 0;
    virtual const Matrix<Scalar>& backward(const Matrix<Scalar>& dy) = 0;
    virtual void visit_parameters(const ParameterVisitor& visit) = 0;
    virtual void visit_buffers(const BufferVisitor& visit) = 0;
  };
  template <class Layer>
  struct Holder final : Concept {
    explicit Holder(Layer l) : layer(std::move(l)) {}
    const Matrix<Scalar>& forward(const Matrix<Scalar>& x, Mode mode) override {
      return layer.forward(x, mode);
    }
    const Matrix<Scalar>& backward(const Matrix<Scalar>& dy) override {
      return layer.backward(dy);
    }
    void visit_parameters(const ParameterVisitor& visit) override {
      layer.visit_parameters(visit);
    }
    void visit_buffers(const BufferVisitor& visit) override { layer.visit_buffers(visit); }
    Layer layer;
  };
  std::vector<std::unique_ptr<Concept>> layers_;
};

}  // namespace canon::nn
