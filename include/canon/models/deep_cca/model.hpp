// canon/models/deep_cca/model.hpp — generic two-view Deep CCA (Andrew et al. 2013) with
// fully connected branches: the model most Deep CCA users ask for, on two feature
// matrices of paired samples.
//
//   x1 (d1 x m) -> standardise s1 -> MLP f1 (sizes1 = {d1, ..., o}) -> h1
//   x2 (d2 x m) -> standardise s2 -> MLP f2 (sizes2 = {d2, ..., o}) -> h2
//   training:  maximise the Deep CCA objective of (h1, h2) with Adam (train::fit)
//   then:      linear CCA of the training outputs (cca::Projection)
//   embedding: z_i = W_i^T (f_i(s_i(x_i)) - mu_i),  k components
//
// s_i(x) = (x - mean) / sd per feature, learnt on the training samples (data::Standardiser),
// on by default: features in their own units (counts, decibels) would otherwise saturate
// tanh units and make the learning rate depend on the data's scale. The means and sds
// are buffers of the model, so embedding new data applies the same s_i.
//
// The model file (save/load) holds the networks, the projection and, as text, the
// architecture (Config::architecture_text), so deep_cca::load() rebuilds a model from
// the file alone: what `canon embed` does.
#pragma once

#include <algorithm>
#include <sstream>
#include <string>
#include <utility>
#include <vector>

#include "canon/cca/projection.hpp"
#include "canon/core/serialization.hpp"
#include "canon/data/standardise.hpp"
#include "canon/loss/dcca.hpp"
#include "canon/nn/mlp.hpp"
#include "canon/optim/adam.hpp"
#include "canon/train/two_view.hpp"
#include "canon/train/two_view_task.hpp"

namespace canon::deep_cca {

inline const char* activation_name(nn::Activation a) {
  switch (a) {
    case nn::Activation::relu: return "relu";
    case nn::Activation::leaky_relu: return "leaky_relu";
    case nn::Activation::softplus: return "softplus";
    case nn::Activation::sigmoid: return "sigmoid";
    case nn::Activation::tanh: return "tanh";
  }
  return "?";
}

/// The activation called `name` (relu, leaky_relu, softplus, sigmoid, tanh).
inline nn::Activation parse_activation(const std::string& name) {
  for (auto a : {nn::Activation::relu, nn::Activation::leaky_relu, nn::Activation::softplus,
                 nn::Activation::sigmoid, nn::Activation::tanh})
    if (name == activation_name(a)) return a;
  throw value_error(canon::detail::message("deep_cca: unknown activation '", name,
                                           "'; expected relu, leaky_relu, softplus, sigmoid or tanh"));
}

struct Config {
  std::vector<Index> sizes1, sizes2;  ///< {input, hidden..., output}; outputs equal
  nn::Activation activation = nn::Activation::tanh;
  double dropout = 0.0;               ///< between hidden layers
  bool standardise = true;            ///< z-score each input feature (training statistics)
  loss::DccaOptions dcca;             ///< trace norm, ridges 1e-3
  optim::AdamOptions adam;            ///< learning rate 1e-3
  train::TrainerOptions training;     ///< epochs, batch, seed, checkpoints, progress
  Index components = 0;               ///< linear CCA pairs kept; 0: all the data support
  Index inference_batch = 1024;       ///< samples per eval-mode forward pass

  /// What rebuilds the networks, one "key value..." line each: stored in the model file.
  std::string architecture_text() const {
    std::ostringstream out;
    out << "canon.deep_cca 1\nsizes1";
    for (Index s : sizes1) out << ' ' << s;
    out << "\nsizes2";
    for (Index s : sizes2) out << ' ' << s;
    out << "\nactivation " << activation_name(activation) << "\ndropout " << dropout
        << "\nstandardise " << (standardise ? 1 : 0) << "\n";
    return out.str();
  }

  /// Reads architecture_text() back into sizes, activation, dropout and standardise.
  void read_architecture(const std::string& text, const std::string& source) {
    std::istringstream in(text);
    std::string line, key;
    bool header = false;
    sizes1.clear();
    sizes2.clear();
    while (std::getline(in, line)) {
      std::istringstream fields(line);
      if (!(fields >> key)) continue;
      auto bad = [&](const char* expected) {
        return io_error(canon::detail::message(source, ": architecture line '", line, "': expected ", expected));
      };
      if (key == "canon.deep_cca") {
        int version = 0;
        if (!(fields >> version) || version != 1) throw bad("version 1");
        header = true;
      } else if (key == "sizes1" || key == "sizes2") {
        auto& sizes = key == "sizes1" ? sizes1 : sizes2;
        Index s;
        while (fields >> s) sizes.push_back(s);
        if (!fields.eof() || sizes.size() < 2) throw bad("at least two whole sizes");
      } else if (key == "activation") {
        std::string name;
        if (!(fields >> name)) throw bad("an activation name");
        activation = parse_activation(name);
      } else if (key == "dropout") {
        if (!(fields >> dropout)) throw bad("a number");
      } else if (key == "standardise") {
        int on = -1;
        if (!(fields >> on) || (on != 0 && on != 1)) throw bad("0 or 1");
        standardise = on == 1;
      } else {
        throw bad("one of sizes1, sizes2, activation, dropout, standardise");
      }
    }
    if (!header) throw io_error(canon::detail::message(source, ": not a deep_cca architecture (no 'canon.deep_cca 1' line)"));
    if (sizes1.empty() || sizes2.empty())
      throw io_error(canon::detail::message(source, ": the architecture lacks sizes1 or sizes2"));
  }
};

template <class Scalar>
class Model {
  CANON_REQUIRE_SCALAR(Scalar);

 public:
  using scalar_type = Scalar;
  using Branch = nn::Sequential<Scalar>;
  using Network = train::TwoView<Branch, Branch>;

  /// Builds both branches, weights drawn from `seed`.
  Model(const Config& config, std::uint64_t seed) : config_(config), network_(build(config, seed)) {
    // Until fit() learns them, the identity: an unfitted model's outputs are f_i(x).
    for (auto* scaling : {&scale1_, &scale2_}) {
      const Index d = scaling == &scale1_ ? config.sizes1.front() : config.sizes2.front();
      if (config.standardise) {
        scaling->first.value = Matrix<Scalar>::Zero(d, 1);
        scaling->second.value = Matrix<Scalar>::Ones(d, 1);
      }
    }
  }

  const Config& config() const { return config_; }
  Network& network() { return network_; }
  Index output_size() const { return config_.sizes1.back(); }

  /// Trains on paired columns (validation may be empty: no early stopping), then fits
  /// the linear CCA projection on the training outputs.
  train::TrainingResult fit(const Matrix<Scalar>& x1, const Matrix<Scalar>& x2,
                            const Matrix<Scalar>& validation1, const Matrix<Scalar>& validation2) {
    const char* where = "deep_cca::Model::fit";
    canon::detail::require_rows(x1, config_.sizes1.front(), where, "first view");
    canon::detail::require_rows(x2, config_.sizes2.front(), where, "second view");
    if (validation1.size() > 0 || validation2.size() > 0) {
      canon::detail::require_rows(validation1, config_.sizes1.front(), where, "first validation view");
      canon::detail::require_rows(validation2, config_.sizes2.front(), where, "second validation view");
    }
    if (config_.standardise) {
      learn_scaling(x1, scale1_);
      learn_scaling(x2, scale2_);
    }
    const Matrix<Scalar> s1 = scaled(x1, scale1_), s2 = scaled(x2, scale2_);
    const Matrix<Scalar> t1 = scaled(validation1, scale1_), t2 = scaled(validation2, scale2_);
    loss::DeepCCA<Scalar> objective(config_.dcca);
    optim::Adam<Scalar> adam(config_.adam);
    train::TrainerOptions options = config_.training;
    if (options.validation_batch_size == 0) options.validation_batch_size = config_.inference_batch;
    auto result = train::train_two_view(network_, objective, adam, s1, s2, t1, t2, options);
    fit_projection(x1, x2);
    return result;
  }

  /// Refits the projection on the branch outputs of paired samples (same ridges as the loss).
  void fit_projection(const Matrix<Scalar>& x1, const Matrix<Scalar>& x2) {
    projection_.fit(outputs1(x1), outputs2(x2),
                    projection_.options_for(config_.dcca.ridge1, config_.dcca.ridge2, config_.components));
  }

  bool fitted() const { return projection_.fitted(); }
  Vector<Scalar> training_correlations() const { return projection_.correlations(); }

  /// Branch outputs f_i(s_i(x)) in eval mode (o x n), inference_batch samples at a time.
  Matrix<Scalar> outputs1(const Matrix<Scalar>& x) {
    return outputs(network_.first(), x, config_.sizes1.front(), scale1_, "first view");
  }
  Matrix<Scalar> outputs2(const Matrix<Scalar>& x) {
    return outputs(network_.second(), x, config_.sizes2.front(), scale2_, "second view");
  }

  /// Embeddings in the shared space, k x n.
  Matrix<Scalar> embed1(const Matrix<Scalar>& x) { return projection_.first(outputs1(x), "deep_cca::Model"); }
  Matrix<Scalar> embed2(const Matrix<Scalar>& x) { return projection_.second(outputs2(x), "deep_cca::Model"); }

  /// Networks, projection and architecture in one canon tensor file; `metadata` adds
  /// text records (a program's settings, the data it saw), "architecture" is reserved.
  void save(const std::string& path, Metadata metadata = {}) {
    metadata["architecture"] = config_.architecture_text();
    canon::save(*this, path, metadata);
  }

  /// Reads a file written by save() of a model with the same architecture.
  void load(const std::string& path) {
    const auto stored = canon::detail::read_tensor_file(path);
    canon::detail::assign_model_tensors(
        *this, stored, path,
        projection_.shapes_for_load(stored, path, output_size(), output_size(), "deep_cca::Model::load"));
  }

  template <class Visitor>
  void visit_parameters(Visitor&& visit) {
    network_.visit_parameters(visit);
  }
  template <class Visitor>
  void visit_buffers(Visitor&& visit) {
    network_.visit_buffers(visit);
    if (config_.standardise)
      for (auto* scaling : {&scale1_, &scale2_}) {
        visit(scaling->first);
        visit(scaling->second);
      }
    projection_.visit_buffers(visit);
  }

 private:
  using Scaling = std::pair<Buffer<Scalar>, Buffer<Scalar>>;  // per-feature mean, sd (d x 1)

  static void learn_scaling(const Matrix<Scalar>& x, Scaling& scaling) {
    data::Standardiser<Scalar> standardiser;
    standardiser.fit(x);
    scaling.first.value = standardiser.mean();
    scaling.second.value = standardiser.sd();
  }

  /// s(x) = (x - mean) / sd per row; x itself without standardisation (or empty x).
  Matrix<Scalar> scaled(const Matrix<Scalar>& x, const Scaling& scaling) const {
    if (!config_.standardise || x.size() == 0) return x;
    return ((x.colwise() - scaling.first.value.col(0)).array().colwise() / scaling.second.value.col(0).array()).matrix();
  }

  static Network build(const Config& config, std::uint64_t seed) {
    const char* where = "deep_cca::Model";
    if (config.sizes1.size() < 2 || config.sizes2.size() < 2)
      throw value_error(canon::detail::message(where, ": each branch needs an input and an output size (sizes1 has ",
                                               config.sizes1.size(), ", sizes2 ", config.sizes2.size(), ")"));
    for (const auto* sizes : {&config.sizes1, &config.sizes2})
      for (Index s : *sizes) canon::detail::require_positive(s, where, "layer size");
    if (config.sizes1.back() != config.sizes2.back())
      throw value_error(canon::detail::message(where, ": the branches end in ", config.sizes1.back(), " and ",
                                               config.sizes2.back(), " outputs; Deep CCA needs the same size"));
    canon::detail::require_positive(config.inference_batch, where, "inference_batch");
    Rng rng(seed);
    nn::MlpOptions mlp;
    mlp.activation = config.activation;
    mlp.dropout = config.dropout;
    mlp.dropout_seed = seed;
    Branch first = nn::make_mlp<Scalar>(config.sizes1, rng, mlp);
    mlp.dropout_seed = seed + 1000;
    Branch second = nn::make_mlp<Scalar>(config.sizes2, rng, mlp);
    return Network(std::move(first), std::move(second), "view1", "view2");
  }

  Matrix<Scalar> outputs(Branch& branch, const Matrix<Scalar>& x, Index rows, const Scaling& scaling,
                         const char* what) {
    canon::detail::require_rows(x, rows, "deep_cca::Model", what);
    canon::detail::require_finite(x, "deep_cca::Model", what);
    Matrix<Scalar> out(output_size(), x.cols()), batch;
    for (Index start = 0; start < x.cols(); start += config_.inference_batch) {
      const Index size = std::min(config_.inference_batch, x.cols() - start);
      batch = scaled(x.middleCols(start, size), scaling);
      out.middleCols(start, size) = branch.forward(batch, Mode::eval);
    }
    return out;
  }

  Config config_;
  Network network_;
  Scaling scale1_{{Matrix<Scalar>(), "input.view1_mean"}, {Matrix<Scalar>(), "input.view1_sd"}};
  Scaling scale2_{{Matrix<Scalar>(), "input.view2_mean"}, {Matrix<Scalar>(), "input.view2_sd"}};
  cca::Projection<Scalar> projection_{"view1", "view2"};
};

/// A model rebuilt from a file written by Model::save: the architecture from its text
/// record, then every tensor.
template <class Scalar>
Model<Scalar> load(const std::string& path) {
  const Metadata metadata = read_metadata(path);
  const auto found = metadata.find("architecture");
  if (found == metadata.end())
    throw io_error(canon::detail::message("deep_cca::load: '", path,
                                          "' has no architecture record; is it a deep_cca model file?"));
  Config config;
  config.read_architecture(found->second, "'" + path + "'");
  Model<Scalar> model(config, 1);
  model.load(path);
  return model;
}

}  // namespace canon::deep_cca
