// canon/loss/gradients.hpp — what backward() of a loss with several differentiable
// inputs returns: dL/dx_i for each input, in argument order, by reference to storage
// inside the loss (valid until its next forward). g[i] is the gradient of the i-th
// argument of forward; size() is the number of inputs. Deep CCA's Gradients (two
// inputs, also named first and second) keeps the same interface, so one gradient
// checker (testing/gradient_check.hpp) and one training task serve every such loss.
#pragma once

#include <array>
#include <cstddef>

#include "canon/core/checks.hpp"

namespace canon::loss {

template <class Scalar, std::size_t N>
struct InputGradients {
  std::array<const Matrix<Scalar>*, N> inputs{};

  static constexpr std::size_t size() { return N; }
  const Matrix<Scalar>& operator[](std::size_t i) const {
    if (i >= N || inputs[i] == nullptr)
      throw error(canon::detail::message("loss gradients: input ", i, " of ", N,
                                         " has no gradient"));
    return *inputs[i];
  }
};

}  // namespace canon::loss
