// canon/nn/mlp.hpp — a fully connected network from a list of layer sizes:
//   sizes = {in, h1, ..., out}  ->  Dense(in,h1), act, [Dropout], ..., Dense(h_k, out)
// The output layer is linear unless activate_output is set (Deep CCA branches end
// linear; EMER-CL's encoders end in softplus). Raposo et al.'s audio-lyrics model is
// make_mlp({d, 512, 256, 128, 64}) per branch (its activation is not given in the
// paper; pass the one you reproduce). EMER-CL's MLP encoder is
// make_mlp({128, 256, 512, 512, 1024, 1024}, Activation::softplus, ..., dropout 0.5).
#pragma once

#include <string>
#include <vector>

#include "canon/nn/activations.hpp"
#include "canon/nn/dense.hpp"
#include "canon/nn/dropout.hpp"
#include "canon/nn/sequential.hpp"

namespace canon::nn {

enum class Activation { relu, leaky_relu, softplus, sigmoid, tanh };

struct MlpOptions {
  Activation activation = Activation::relu;
  bool activate_output = false;
  double dropout = 0.0;           // between hidden layers, after the activation
  std::uint64_t dropout_seed = 1; // each dropout layer gets dropout_seed + its position
  Init init = Init::xavier_uniform;
};

template <class Scalar>
void add_activation(Sequential<Scalar>& model, Activation activation) {
  switch (activation) {
    case Activation::relu: model.add(ReLU<Scalar>()); break;
    case Activation::leaky_relu: model.add(LeakyReLU<Scalar>()); break;
    case Activation::softplus: model.add(Softplus<Scalar>()); break;
    case Activation::sigmoid: model.add(Sigmoid<Scalar>()); break;
    case Activation::tanh: model.add(Tanh<Scalar>()); break;
  }
}

template <class Scalar>
Sequential<Scalar> make_mlp(const std::vector<Index>& sizes, Rng& rng, const MlpOptions& options = {}) {
  if (sizes.size() < 2)
    throw value_error(canon::detail::message("make_mlp: needs at least an input and an output size, got ",
                                             sizes.size(), " sizes"));
  Sequential<Scalar> model;
  for (std::size_t i = 0; i + 1 < sizes.size(); ++i) {
    model.add(Dense<Scalar>(sizes[i], sizes[i + 1], rng, options.init));
    const bool last = i + 2 == sizes.size();
    if (!last || options.activate_output) add_activation(model, options.activation);
    if (!last && options.dropout > 0)
      model.add(Dropout<Scalar>(options.dropout, options.dropout_seed + model.size()));
  }
  return model;
}

}  // namespace canon::nn
