// canon/nn/detail/any_layer.hpp — one layer of any type behind a small type-erased
// holder, for containers assembled at run time (Sequential, Fork). One indirect call per
// layer per batch, nothing per element.
#pragma once

#include <functional>
#include <memory>
#include <string>
#include <type_traits>
#include <utility>

#include "canon/core/checks.hpp"
#include "canon/core/parameter.hpp"

namespace canon::detail {

/// Whether a layer can write its input gradient into caller-owned storage
/// (backward_into, docs/layer-contract.md).
template <class Layer, class Scalar, class = void>
struct has_backward_into : std::false_type {};
template <class Layer, class Scalar>
struct has_backward_into<Layer, Scalar,
                         std::void_t<decltype(std::declval<Layer&>().backward_into(
                             std::declval<const Scalar*>(), std::declval<Scalar*>()))>>
    : std::true_type {};

template <class Scalar>
class AnyLayer {
 public:
  using ParameterVisitor = std::function<void(Parameter<Scalar>&)>;
  using BufferVisitor = std::function<void(Buffer<Scalar>&)>;

  template <class Layer>
  explicit AnyLayer(Layer layer) : holder_(std::make_unique<Holder<Layer>>(std::move(layer))) {
    static_assert(std::is_same_v<typename Layer::scalar_type, Scalar>,
                  "the layer's scalar type differs from the container's");
  }

  const Matrix<Scalar>& forward(const Matrix<Scalar>& x, Mode mode) { return holder_->forward(x, mode); }
  const Matrix<Scalar>& backward(const Matrix<Scalar>& dy) { return holder_->backward(dy); }
  void backward_into(const Scalar* dy, Scalar* dx) { holder_->backward_into(dy, dx); }
  bool shares_gradients() const { return holder_->shares_gradients(); }
  void visit_parameters(const ParameterVisitor& visit) { holder_->visit_parameters(visit); }
  void visit_buffers(const BufferVisitor& visit) { holder_->visit_buffers(visit); }

  /// The stored layer as its concrete type, or nullptr if it is of another type.
  template <class Layer>
  Layer* get() {
    auto* holder = dynamic_cast<Holder<Layer>*>(holder_.get());
    return holder == nullptr ? nullptr : &holder->layer;
  }

  /// Prefixes every parameter and buffer name with `prefix`, throwing if a new name is
  /// already in `names` (which receives the new names): unique names in a container.
  template <class NameSet>
  void prefix_names(const std::string& prefix, NameSet& names, const char* where) {
    auto rename = [&](std::string& name) {
      name = prefix + name;
      if (!names.insert(name).second)
        throw error(message(where, ": duplicate tensor name '", name, "'"));
    };
    visit_parameters([&](Parameter<Scalar>& p) { rename(p.name); });
    visit_buffers([&](Buffer<Scalar>& b) { rename(b.name); });
  }

 private:
  struct Concept {
    virtual ~Concept() = default;
    virtual const Matrix<Scalar>& forward(const Matrix<Scalar>& x, Mode mode) = 0;
    virtual const Matrix<Scalar>& backward(const Matrix<Scalar>& dy) = 0;
    virtual void backward_into(const Scalar* dy, Scalar* dx) = 0;
    virtual bool shares_gradients() const = 0;
    virtual void visit_parameters(const ParameterVisitor& visit) = 0;
    virtual void visit_buffers(const BufferVisitor& visit) = 0;
  };
  template <class Layer>
  struct Holder final : Concept {
    explicit Holder(Layer l) : layer(std::move(l)) {}
    const Matrix<Scalar>& forward(const Matrix<Scalar>& x, Mode mode) override {
      return layer.forward(x, mode);
    }
    const Matrix<Scalar>& backward(const Matrix<Scalar>& dy) override { return layer.backward(dy); }
    void backward_into(const Scalar* dy, Scalar* dx) override {
      if constexpr (has_backward_into<Layer, Scalar>::value) layer.backward_into(dy, dx);
      else throw error("a layer without backward_into in a gradient-sharing chain");
    }
    bool shares_gradients() const override { return has_backward_into<Layer, Scalar>::value; }
    void visit_parameters(const ParameterVisitor& visit) override { layer.visit_parameters(visit); }
    void visit_buffers(const BufferVisitor& visit) override { layer.visit_buffers(visit); }
    Layer layer;
  };

  std::unique_ptr<Concept> holder_;
};

}  // namespace canon::detail
