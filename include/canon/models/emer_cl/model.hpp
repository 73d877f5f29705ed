// canon/models/emer_cl/model.hpp — EMER-CL's two encoders and their heads
// (Takashima et al., Section III-A/B and Fig. 2).
//
//   music frames  (F_m x T_m, length L_m) --encoder_m--> h_m --+-- z_m       (D_cca)
//                                                              +-- mean_m    (D_kl)
//                                                              +-- logvar_m  (D_kl)
//   emotion (arousal, valence) at 2 Hz  --encoder_e--> h_e --> z_e, mean_e, logvar_e
//
// An encoder is either
//   mean_mlp:   the mean of the sample's own frames, then an MLP
//               (paper: 5 FC 256-512-512-1024-1024, softplus, dropout 0.5 between layers)
//   bigru_mlp:  a bidirectional GRU (512 per direction) over the sample's own steps, the
//               last states of both directions concatenated, then an MLP
//               (paper: 5 FC 512-512-512-1024-1024, softplus, dropout 0.5)
// and the heads are linear (nn::Fork: "z", "mean", "log_variance"). DEAM: music
// mean_mlp, emotion bigru_mlp; PMEmo: both bigru_mlp with variable lengths. Every size is
// a parameter; the variance head predicts log-variances (so variances stay positive).
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "canon/core/checks.hpp"
#include "canon/core/detail/architecture_record.hpp"
#include "canon/core/serialization.hpp"
#include "canon/nn/bidirectional.hpp"
#include "canon/nn/dense.hpp"
#include "canon/nn/fork.hpp"
#include "canon/nn/gru.hpp"
#include "canon/nn/mlp.hpp"
#include "canon/nn/step_mean.hpp"

namespace canon::emer_cl {

enum class EncoderKind { mean_mlp, bigru_mlp };

struct EncoderConfig {
  EncoderKind kind = EncoderKind::mean_mlp;
  Index features = 128;              ///< per frame (VGGish: 128; emotion: 2)
  Index gru_hidden = 512;            ///< per direction (bigru_mlp)
  std::vector<Index> mlp = {256, 512, 512, 1024, 1024};
  double dropout = 0.5;              ///< between MLP layers (train mode)

  static EncoderConfig paper_music_mlp() { return {EncoderKind::mean_mlp, 128, 512, {256, 512, 512, 1024, 1024}, 0.5}; }
  static EncoderConfig paper_bigru(Index features) {
    return {EncoderKind::bigru_mlp, features, 512, {512, 512, 512, 1024, 1024}, 0.5};
  }
};

struct ModelConfig {
  EncoderConfig music = EncoderConfig::paper_music_mlp();
  EncoderConfig emotion = EncoderConfig::paper_bigru(2);
  Index cca_dimensions = 1024;  ///< D_cca
  Index kl_dimensions = 1024;   ///< D_kl

  /// Every setting as the model file's architecture record (one "key value" line each,
  /// core/detail/architecture_record.hpp); read_architecture reads it back.
  std::string architecture_text() const {
    canon::detail::ArchitectureWriter w("emer_cl", 1);
    for (const auto* e : {&music, &emotion}) {
      const std::string p = e == &music ? "music_" : "emotion_";
      w.add(p + "kind", e->kind == EncoderKind::mean_mlp ? "mean_mlp" : "bigru_mlp");
      w.add(p + "features", e->features).add(p + "gru_hidden", e->gru_hidden).add(p + "mlp", e->mlp);
      w.add(p + "dropout", e->dropout);
    }
    w.add("cca_dimensions", cca_dimensions).add("kl_dimensions", kl_dimensions);
    return w.text();
  }

  void read_architecture(const std::string& text, const std::string& source) {
    const canon::detail::ArchitectureReader r(text, "emer_cl", 1, source);
    r.allow_only({"music_kind", "music_features", "music_gru_hidden", "music_mlp", "music_dropout", "emotion_kind",
                  "emotion_features", "emotion_gru_hidden", "emotion_mlp", "emotion_dropout", "cca_dimensions",
                  "kl_dimensions"});
    for (auto* e : {&music, &emotion}) {
      const std::string p = e == &music ? "music_" : "emotion_";
      const std::string& kind = r.text(p + "kind");
      if (kind != "mean_mlp" && kind != "bigru_mlp")
        throw io_error(canon::detail::message(source, ": architecture '", p, "kind ", kind,
                                              "': expected mean_mlp or bigru_mlp"));
      e->kind = kind == "mean_mlp" ? EncoderKind::mean_mlp : EncoderKind::bigru_mlp;
      e->features = r.whole(p + "features");
      e->gru_hidden = r.whole(p + "gru_hidden", 0);  // unused (0 allowed) by mean_mlp
      e->mlp = r.wholes(p + "mlp");
      e->dropout = r.number(p + "dropout");
    }
    cca_dimensions = r.whole("cca_dimensions");
    kl_dimensions = r.whole("kl_dimensions");
  }
};

/// One modality's encoder: a sequence batch with lengths -> h (mlp.back() x N).
template <class Scalar>
class Encoder {
  CANON_REQUIRE_SCALAR(Scalar);

 public:
  using scalar_type = Scalar;
  using Recurrent = nn::Bidirectional<nn::GRU<Scalar>>;

  Encoder(const EncoderConfig& config, Rng& rng, std::uint64_t dropout_seed) : config_(config) {
    const char* where = "emer_cl::Encoder";
    canon::detail::require_positive(config.features, where, "features");
    if (config.mlp.empty())
      throw value_error(canon::detail::message(where, ": the MLP needs at least one layer size"));
    Index width = config.features;
    if (config.kind == EncoderKind::mean_mlp) {
      mean_.emplace(config.features);
    } else {
      canon::detail::require_positive(config.gru_hidden, where, "gru_hidden");
      nn::RecurrentOptions options;
      options.output = nn::RecurrentOutput::last_state;
      recurrent_.emplace(config.features, config.gru_hidden, rng, options);
      width = 2 * config.gru_hidden;
    }
    std::vector<Index> sizes = {width};
    sizes.insert(sizes.end(), config.mlp.begin(), config.mlp.end());
    nn::MlpOptions mlp;
    mlp.activation = nn::Activation::softplus;
    mlp.activate_output = true;
    mlp.dropout = config.dropout;
    mlp.dropout_seed = dropout_seed;
    mlp_ = nn::make_mlp<Scalar>(sizes, rng, mlp);
    if (recurrent_)
      recurrent_->visit_parameters([](Parameter<Scalar>& p) { p.name = "gru." + p.name; });
    mlp_.visit_parameters([](Parameter<Scalar>& p) { p.name = "mlp." + p.name; });
  }

  const EncoderConfig& config() const { return config_; }
  Index output_size() const { return config_.mlp.back(); }

  /// x: (features * T) x N, lengths one per sample in [1, T] (empty: all T).
  const Matrix<Scalar>& forward(const Matrix<Scalar>& x, const std::vector<Index>& lengths, Mode mode) {
    const Matrix<Scalar>& pooled = mean_ ? mean_->forward(x, lengths, mode)
                                         : (lengths.empty() ? recurrent_->forward(x, mode)
                                                            : recurrent_->forward(x, lengths, mode));
    return mlp_.forward(pooled, mode);
  }

  /// Backward from dL/dh; the input gradient is not needed (inputs are data).
  void backward(const Matrix<Scalar>& dh) {
    const Matrix<Scalar>& d_pooled = mlp_.backward(dh);
    if (mean_) mean_->backward(d_pooled);
    else recurrent_->backward(d_pooled);
  }

  template <class Visitor>
  void visit_parameters(Visitor&& visit) {
    if (recurrent_) recurrent_->visit_parameters(visit);
    mlp_.visit_parameters(visit);
  }
  template <class Visitor>
  void visit_buffers(Visitor&& visit) {
    if (recurrent_) recurrent_->visit_buffers(visit);
    mlp_.visit_buffers(visit);
  }

 private:
  EncoderConfig config_;
  std::optional<nn::StepMean<Scalar>> mean_;
  std::optional<Recurrent> recurrent_;
  nn::Sequential<Scalar> mlp_;
};

/// Both encoders and their three heads each. Tensor names: "music.mlp.0.weight",
/// "emotion.heads.z.weight", ...
template <class Scalar>
class Model {
  CANON_REQUIRE_SCALAR(Scalar);

 public:
  using scalar_type = Scalar;

  /// The three head outputs of one modality for the last forward.
  struct Heads {
    const Matrix<Scalar>& z;
    const Matrix<Scalar>& mean;
    const Matrix<Scalar>& log_variance;
  };

  Model(const ModelConfig& config, std::uint64_t seed)
      : config_(config), rng_(seed), music_(config.music, rng_, seed + 101),
        emotion_(config.emotion, rng_, seed + 202),
        music_heads_(make_heads(music_.output_size())), emotion_heads_(make_heads(emotion_.output_size())) {
    auto prefix = [](auto& part, const std::string& name) {
      part.visit_parameters([&](Parameter<Scalar>& p) { p.name = name + "." + p.name; });
      part.visit_buffers([&](Buffer<Scalar>& b) { b.name = name + "." + b.name; });
    };
    prefix(music_, "music");
    prefix(music_heads_, "music.heads");
    prefix(emotion_, "emotion");
    prefix(emotion_heads_, "emotion.heads");
  }

  const ModelConfig& config() const { return config_; }

  /// Both encoders, their heads and the architecture in one canon tensor file;
  /// `metadata` adds text records ("architecture" is reserved). Retrieval also needs
  /// Retriever::fit on training pairs, which the file does not hold.
  void save(const std::string& path, Metadata metadata = {}) {
    metadata["architecture"] = config_.architecture_text();
    canon::save(*this, path, metadata);
  }

  Heads forward_music(const Matrix<Scalar>& x, const std::vector<Index>& lengths, Mode mode) {
    music_heads_.forward_heads(music_.forward(x, lengths, mode), mode);
    return heads(music_heads_);
  }
  Heads forward_emotion(const Matrix<Scalar>& x, const std::vector<Index>& lengths, Mode mode) {
    emotion_heads_.forward_heads(emotion_.forward(x, lengths, mode), mode);
    return heads(emotion_heads_);
  }

  /// Gradients of the three heads of the last forward of that modality.
  void backward_music(const Matrix<Scalar>& dz, const Matrix<Scalar>& dmean, const Matrix<Scalar>& dlogvar) {
    music_.backward(music_heads_.backward_heads({&dz, &dmean, &dlogvar}));
  }
  void backward_emotion(const Matrix<Scalar>& dz, const Matrix<Scalar>& dmean, const Matrix<Scalar>& dlogvar) {
    emotion_.backward(emotion_heads_.backward_heads({&dz, &dmean, &dlogvar}));
  }

  template <class Visitor>
  void visit_parameters(Visitor&& visit) {
    music_.visit_parameters(visit);
    music_heads_.visit_parameters(visit);
    emotion_.visit_parameters(visit);
    emotion_heads_.visit_parameters(visit);
  }
  template <class Visitor>
  void visit_buffers(Visitor&& visit) {
    music_.visit_buffers(visit);
    music_heads_.visit_buffers(visit);
    emotion_.visit_buffers(visit);
    emotion_heads_.visit_buffers(visit);
  }

 private:
  nn::Fork<Scalar> make_heads(Index width) {
    canon::detail::require_positive(config_.cca_dimensions, "emer_cl::Model", "cca_dimensions");
    canon::detail::require_positive(config_.kl_dimensions, "emer_cl::Model", "kl_dimensions");
    nn::Fork<Scalar> fork;
    fork.add(nn::Dense<Scalar>(width, config_.cca_dimensions, rng_), "z");
    fork.add(nn::Dense<Scalar>(width, config_.kl_dimensions, rng_), "mean");
    fork.add(nn::Dense<Scalar>(width, config_.kl_dimensions, rng_), "log_variance");
    return fork;
  }
  static Heads heads(const nn::Fork<Scalar>& fork) {
    return {fork.head_output(0), fork.head_output(1), fork.head_output(2)};
  }

  ModelConfig config_;
  Rng rng_;
  Encoder<Scalar> music_, emotion_;
  nn::Fork<Scalar> music_heads_, emotion_heads_;
};

/// A model rebuilt from a file written by Model::save: the architecture from its text
/// record, then every tensor (checked before any is assigned).
template <class Scalar>
Model<Scalar> load(const std::string& path) {
  const Metadata metadata = read_metadata(path);
  const auto found = metadata.find("architecture");
  if (found == metadata.end())
    throw io_error(canon::detail::message("emer_cl::load: '", path,
                                          "' has no architecture record; is it an emer_cl model file?"));
  ModelConfig config;
  config.read_architecture(found->second, "'" + path + "'");
  Model<Scalar> model(config, 1);
  canon::load(model, path);
  return model;
}

}  // namespace canon::emer_cl
