// canon/nn/activations.hpp — element-wise nonlinearities.
//
// Each is an Elementwise<Scalar, Op> layer: Op gives y = f(x) and
// dL/dx = f'(x) * dL/dy using x and/or y, whichever is cheaper and exact:
//   ReLU        f = max(x, 0)                         f' = [x > 0]
//   LeakyReLU   f = x if x > 0 else a x               f' = 1 or a
//   Softplus    f = log(1 + e^x)                      f' = sigmoid(x)
//   Sigmoid     f = 1 / (1 + e^-x)                    f' = y (1 - y)
//   Tanh        f = tanh(x)                           f' = 1 - y^2
// At a kink (x = 0 for ReLU) the derivative is taken from the left, as PyTorch does.
// Softplus is computed as max(x, 0) + log1p(exp(-|x|)), exact for every x; PyTorch
// switches to f = x above x = 20, which differs from this by less than 2.1e-9.
#pragma once

#include "canon/core/checks.hpp"
#include "canon/core/detail/parallel_columns.hpp"
#include "canon/core/parameter.hpp"

namespace canon::nn {

template <class Scalar, class Op>
class Elementwise {
  CANON_REQUIRE_SCALAR(Scalar);

 public:
  using scalar_type = Scalar;

  explicit Elementwise(Op op = Op{}) : op_(op) {}

  const Matrix<Scalar>& forward(const Matrix<Scalar>& x, Mode /*mode*/) {
    input_ = &x;
    output_.resize(x.rows(), x.cols());
    canon::detail::parallel_columns(x.rows(), x.cols(), [&](int, Index c0, Index n) {
      op_.forward(x.middleCols(c0, n).array(), output_.middleCols(c0, n).array());
    });
    return output_;
  }
  const Matrix<Scalar>& forward(Matrix<Scalar>&&, Mode) = delete;

  const Matrix<Scalar>& backward(const Matrix<Scalar>& dy) {
    if (input_ == nullptr) throw error(canon::detail::message(Op::name, "::backward called before forward"));
    canon::detail::require_same_shape(dy, output_, Op::name, "output gradient", "output");
    input_grad_.resize(dy.rows(), dy.cols());
    backward_into(dy.data(), input_grad_.data());
    return input_grad_;
  }

  /// backward() with caller-owned storage (see Conv1D::backward_into); dx may be dy.
  void backward_into(const Scalar* dy, Scalar* dx) {
    if (input_ == nullptr) throw error(canon::detail::message(Op::name, "::backward called before forward"));
    const Index rows = output_.rows();
    canon::detail::parallel_columns(rows, output_.cols(), [&](int, Index c0, Index n) {
      const Eigen::Map<const Matrix<Scalar>> g(dy + c0 * rows, rows, n);
      Eigen::Map<Matrix<Scalar>> d(dx + c0 * rows, rows, n);
      op_.backward(input_->middleCols(c0, n).array(), output_.middleCols(c0, n).array(), g.array(),
                          d.array());
    });
  }

  template <class Visitor>
  void visit_parameters(Visitor&&) {}
  template <class Visitor>
  void visit_buffers(Visitor&&) {}

  const Op& op() const { return op_; }

 private:
  Op op_;
  const Matrix<Scalar>* input_ = nullptr;
  Matrix<Scalar> output_;
  Matrix<Scalar> input_grad_;
};

namespace ops {

struct Relu {
  static constexpr const char* name = "ReLU";
  template <class X, class Y>
  void forward(const X& x, Y&& y) const {
    y = x.max(typename X::Scalar(0));
  }
  template <class X, class Y, class DY, class DX>
  void backward(const X& x, const Y&, const DY& dy, DX&& dx) const {
    dx = (x > typename X::Scalar(0)).select(dy, typename X::Scalar(0));
  }
};

struct LeakyRelu {
  static constexpr const char* name = "LeakyReLU";
  double negative_slope = 0.01;  // PyTorch's default
  template <class X, class Y>
  void forward(const X& x, Y&& y) const {
    using S = typename X::Scalar;
    y = (x > S(0)).select(x, S(negative_slope) * x);
  }
  template <class X, class Y, class DY, class DX>
  void backward(const X& x, const Y&, const DY& dy, DX&& dx) const {
    using S = typename X::Scalar;
    dx = (x > S(0)).select(dy, S(negative_slope) * dy);
  }
};

struct Softplus {
  static constexpr const char* name = "Softplus";
  template <class X, class Y>
  void forward(const X& x, Y&& y) const {
    using S = typename X::Scalar;
    y = x.max(S(0)) + (-x.abs()).exp().log1p();
  }
  template <class X, class Y, class DY, class DX>
  void backward(const X& x, const Y&, const DY& dy, DX&& dx) const {
    using S = typename X::Scalar;
    dx = dy / (S(1) + (-x).exp());  // sigmoid(x) * dy; exp overflow gives dy / inf = 0
  }
};

struct Sigmoid {
  static constexpr const char* name = "Sigmoid";
  template <class X, class Y>
  void forward(const X& x, Y&& y) const {
    using S = typename X::Scalar;
    y = S(1) / (S(1) + (-x).exp());
  }
  template <class X, class Y, class DY, class DX>
  void backward(const X&, const Y& y, const DY& dy, DX&& dx) const {
    using S = typename X::Scalar;
    dx = dy * y * (S(1) - y);
  }
};

struct Tanh {
  static constexpr const char* name = "Tanh";
  template <class X, class Y>
  void forward(const X& x, Y&& y) const {
    y = x.tanh();
  }
  template <class X, class Y, class DY, class DX>
  void backward(const X&, const Y& y, const DY& dy, DX&& dx) const {
    using S = typename X::Scalar;
    dx = dy * (S(1) - y.square());
  }
};

}  // namespace ops

template <class Scalar>
using ReLU = Elementwise<Scalar, ops::Relu>;
template <class Scalar>
using Softplus = Elementwise<Scalar, ops::Softplus>;
template <class Scalar>
using Sigmoid = Elementwise<Scalar, ops::Sigmoid>;
template <class Scalar>
using Tanh = Elementwise<Scalar, ops::Tanh>;

template <class Scalar>
class LeakyReLU : public Elementwise<Scalar, ops::LeakyRelu> {
 public:
  explicit LeakyReLU(double negative_slope = 0.01)
      : Elementwise<Scalar, ops::LeakyRelu>(ops::LeakyRelu{negative_slope}) {
    if (!(negative_slope >= 0.0) || !std::isfinite(negative_slope))
      throw value_error(canon::detail::message("LeakyReLU: negative_slope must be finite and >= 0, got ",
                                               negative_slope));
  }
};

}  // namespace canon::nn
