// canon/nn/fork.hpp — several heads reading one input: y_k = f_k(x).
//
// The shape of models with more than one output per input: EMER-CL's three linear heads
// per modality (the CCA-space z, the Gaussian mean and log-variance), a classifier and a
// domain discriminator reading one embedding (Avramidis 2022). Since x feeds every head,
// its gradient is the sum of the heads' input gradients (the multivariate chain rule):
//
//   dL/dx = sum_k J_k^T dL/dy_k,        J_k = df_k/dx
//
// forward runs every head and returns their outputs stacked by rows, [y_1; y_2; ...],
// so a Fork is an ordinary layer (it fits in a Sequential, and the shared gradient
// checker checks it). forward_heads runs the heads without stacking, and head_output(k)
// is head k's own output. backward takes the stacked gradient; backward_heads takes one
// gradient per head;
// a head whose gradient is absent (nullptr: the loss does not read it this step)
// contributes nothing and its parameter gradients are set to zero, so an optimizer step
// never applies a stale gradient.
//
// Tensor names are "<head name>.<tensor>" ("mean.weight"), unique within the fork.
#pragma once

#include <set>
#include <string>
#include <utility>
#include <vector>

#include "canon/core/checks.hpp"
#include "canon/core/parameter.hpp"
#include "canon/nn/detail/any_layer.hpp"

namespace canon::nn {

template <class Scalar>
class Fork {
  CANON_REQUIRE_SCALAR(Scalar);

 public:
  using scalar_type = Scalar;

  Fork() = default;
  Fork(Fork&&) noexcept = default;
  Fork& operator=(Fork&&) noexcept = default;

  /// Appends a head under `name` (default: its position) and returns it as stored.
  template <class Layer>
  Layer& add(Layer head, std::string name = "") {
    if (name.empty()) name = std::to_string(heads_.size());
    for (const auto& existing : names_)
      if (existing == name)
        throw error(canon::detail::message("Fork::add: a head is already named '", name, "'"));
    canon::detail::AnyLayer<Scalar> stored(std::move(head));
    std::set<std::string> tensors;
    visit_parameters([&](Parameter<Scalar>& p) { tensors.insert(p.name); });
    visit_buffers([&](Buffer<Scalar>& b) { tensors.insert(b.name); });
    stored.prefix_names(name + ".", tensors, "Fork::add");
    heads_.push_back(std::move(stored));
    names_.push_back(std::move(name));
    outputs_.push_back(nullptr);
    return *heads_.back().template get<Layer>();
  }

  std::size_t size() const { return heads_.size(); }
  const std::string& head_name(std::size_t k) const { return names_.at(k); }

  /// The head at position k as its concrete type (checked).
  template <class Layer>
  Layer& head(std::size_t k) {
    require_head(k, "Fork::head");
    Layer* layer = heads_[k].template get<Layer>();
    if (layer == nullptr)
      throw error(canon::detail::message("Fork::head: head ", k, " ('", names_[k],
                                  "') is not of the requested type"));
    return *layer;
  }

  /// Runs every head on x without stacking the outputs (read them with head_output).
  void forward_heads(const Matrix<Scalar>& x, Mode mode) {
    if (heads_.empty()) throw error("Fork::forward: the fork has no heads");
    canon::detail::require_batch(x, 1, "Fork::forward");
    for (std::size_t k = 0; k < heads_.size(); ++k) outputs_[k] = &heads_[k].forward(x, mode);
    input_ = &x;
    stacked_valid_ = false;
  }
  void forward_heads(Matrix<Scalar>&&, Mode) = delete;

  /// Runs every head and returns [y_1; y_2; ...] (rows stacked in head order).
  const Matrix<Scalar>& forward(const Matrix<Scalar>& x, Mode mode) {
    forward_heads(x, mode);
    Index rows = 0;
    for (const auto* y : outputs_) rows += y->rows();
    stacked_.resize(rows, x.cols());
    Index offset = 0;
    for (const auto* y : outputs_) {
      stacked_.middleRows(offset, y->rows()) = *y;
      offset += y->rows();
    }
    stacked_valid_ = true;
    return stacked_;
  }
  const Matrix<Scalar>& forward(Matrix<Scalar>&&, Mode) = delete;

  /// Head k's output of the last forward.
  const Matrix<Scalar>& head_output(std::size_t k) const {
    require_head(k, "Fork::head_output");
    if (outputs_[k] == nullptr) throw error("Fork::head_output called before forward");
    return *outputs_[k];
  }

  /// dL/dx from the gradient of the stacked output (the shape forward returned).
  const Matrix<Scalar>& backward(const Matrix<Scalar>& dy) {
    if (!stacked_valid_)
      throw error("Fork::backward(dy) needs a forward() (stacked output) before it; after "
                  "forward_heads() pass one gradient per head");
    canon::detail::require_same_shape(dy, stacked_, "Fork::backward", "output gradient", "output");
    head_gradients_.resize(heads_.size());
    head_pointers_.resize(heads_.size());
    Index offset = 0;
    for (std::size_t k = 0; k < heads_.size(); ++k) {
      head_gradients_[k] = dy.middleRows(offset, outputs_[k]->rows());
      offset += outputs_[k]->rows();
      head_pointers_[k] = &head_gradients_[k];
    }
    return backward_heads(head_pointers_);
  }

  /// dL/dx = sum_k J_k^T dy_k, one gradient per head in head order (nullptr: none).
  const Matrix<Scalar>& backward_heads(const std::vector<const Matrix<Scalar>*>& dys) {
    if (input_ == nullptr) throw error("Fork::backward_heads called before forward");
    if (dys.size() != heads_.size())
      throw shape_error(canon::detail::message("Fork::backward_heads: ", dys.size(), " gradients for ",
                                        heads_.size(), " heads; expected one per head (nullptr "
                                        "for a head the loss does not read)"));
    input_grad_.setZero(input_->rows(), input_->cols());
    for (std::size_t k = 0; k < heads_.size(); ++k) {
      if (dys[k] == nullptr) {
        heads_[k].visit_parameters([](Parameter<Scalar>& p) { p.grad.setZero(); });
        continue;
      }
      canon::detail::require_same_shape(*dys[k], *outputs_[k], "Fork::backward_heads",
                                 "gradient of head '" + names_[k] + "'", "its output");
      input_grad_ += heads_[k].backward(*dys[k]);
    }
    return input_grad_;
  }

  template <class Visitor>
  void visit_parameters(Visitor&& visit) {
    for (auto& head : heads_) head.visit_parameters(std::ref(visit));
  }
  template <class Visitor>
  void visit_buffers(Visitor&& visit) {
    for (auto& head : heads_) head.visit_buffers(std::ref(visit));
  }

 private:
  void require_head(std::size_t k, const char* where) const {
    if (k >= heads_.size())
      throw error(canon::detail::message(where, ": head ", k, " out of range (", heads_.size(),
                                  " heads)"));
  }

  std::vector<canon::detail::AnyLayer<Scalar>> heads_;
  std::vector<std::string> names_;
  std::vector<const Matrix<Scalar>*> outputs_;
  const Matrix<Scalar>* input_ = nullptr;
  Matrix<Scalar> stacked_;
  bool stacked_valid_ = false;
  std::vector<Matrix<Scalar>> head_gradients_;  // row blocks of a stacked gradient
  std::vector<const Matrix<Scalar>*> head_pointers_;
  Matrix<Scalar> input_grad_;
};

}  // namespace canon::nn
