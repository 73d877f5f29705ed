// canon/nn/init.hpp — weight initialisation schemes.
//
//   Xavier/Glorot (Glorot & Bengio 2010):  Var(w) = 2 / (fan_in + fan_out)
//   He/Kaiming   (He et al. 2015):         Var(w) = 2 / fan_in       (for ReLU nets)
// Uniform variants draw from U(-a, a) with a = sqrt(3 Var), normal ones from
// N(0, Var). These are PyTorch's xavier_* and kaiming_*(nonlinearity='relu').
#pragma once

#include <cmath>

#include "canon/core/checks.hpp"
#include "canon/core/rng.hpp"

namespace canon::nn {

enum class Init { xavier_uniform, xavier_normal, he_uniform, he_normal };

/// Fills w (fan_out x fan_in layout is not assumed: fans are passed explicitly).
template <class Derived>
void initialise(Eigen::DenseBase<Derived>& w, Index fan_in, Index fan_out, Init scheme,
                Rng& rng) {
  canon::detail::require_positive(fan_in, "initialise", "fan_in");
  canon::detail::require_positive(fan_out, "initialise", "fan_out");
  const bool he = scheme == Init::he_uniform || scheme == Init::he_normal;
  const double variance = he ? 2.0 / static_cast<double>(fan_in)
                             : 2.0 / static_cast<double>(fan_in + fan_out);
  if (scheme == Init::xavier_uniform || scheme == Init::he_uniform) {
    const double bound = std::sqrt(3.0 * variance);
    fill_uniform(w, rng, -bound, bound);
  } else {
    fill_normal(w, rng, 0.0, std::sqrt(variance));
  }
}

/// U(-1/sqrt(fan_in), 1/sqrt(fan_in)): PyTorch's default for nn.Linear biases and for
/// every weight and bias of its recurrent layers (fan_in = hidden size there).
template <class Derived>
void initialise_fan_in_uniform(Eigen::DenseBase<Derived>& w, Index fan_in, Rng& rng) {
  detail::require_positive(fan_in, "initialise_fan_in_uniform", "fan_in");
  const double bound = 1.0 / std::sqrt(static_cast<double>(fan_in));
  fill_uniform(w, rng, -bound, bound);
}

}  // namespace canon::nn
