// canon/models/avramidis/model.hpp — the joint model of Avramidis et al. 2022 (Fig. 1;
// sizes of the authors' released code, EEG_CrossModal models.py CROSS_NN):
//
//   EEG segment (32 x 12 DE) --eeg_branch--> 128 --+
//                                                  +-- common: Dense(128 -> 64), LeakyReLU(0.01)
//   music embedding (128)  --music net ----> 128 --+       = the shared 64-d space f
//                 (Dense 128 -> 128, LeakyReLU, Dropout 0.5)
//
//   classifier (shared):     Dropout(0.5), Dense(64 -> 1)               -> one logit per sample
//   discriminator:           GradientReversal, Dense(64 -> 64), ReLU, Dense(64 -> 1)
//                            -> is this point EEG (1) or music (0)?
//
// The common layer and the classifier are one set of weights for both modalities: the
// model runs them once on the two modalities side by side (columns [EEG | music]), so
// their gradients are the sums over both, as in the authors' code that calls the same
// nn.Linear twice. The discriminator reads the common-space points of the first
// `domain_count` EEG segments of the batch and of their paired music windows (the loop
// shuffles every epoch, so the first half of a batch is a uniformly random half; the
// authors draw a random half with torch.randperm). The authors also shuffle the 2h
// discriminator inputs; the discriminator has no layer that couples samples (no batch
// norm, no dropout), so its mean loss and gradients do not depend on their order and
// canon keeps them in order.
#pragma once

#include <memory>
#include <string>

#include "canon/core/checks.hpp"
#include "canon/core/detail/architecture_record.hpp"
#include "canon/core/serialization.hpp"
#include "canon/models/avramidis/eeg_branch.hpp"
#include "canon/models/avramidis/music_branch.hpp"
#include "canon/nn/activations.hpp"
#include "canon/nn/gradient_reversal.hpp"

namespace canon::avramidis {

struct ModelConfig {
  EegBranchConfig eeg;                 ///< its `output` must equal music.hidden (both feed the common layer)
  MusicBranchConfig music;             ///< embedding, hidden, common (the 64-d space), dropout, slope
  double classifier_dropout = 0.5;     ///< before the shared classifier (authors' self.drop)
  Index discriminator_hidden = 64;     ///< authors' EEG_DD: Linear(dim, 64), ReLU, Linear(64, 1)
  nn::GradientReversalOptions reversal{};  ///< lambda 1, constant (authors' GradReverse)

  /// Every setting above as the model file's architecture record (one "key value" line
  /// each, core/detail/architecture_record.hpp); read_architecture reads it back.
  std::string architecture_text() const {
    canon::detail::ArchitectureWriter w("avramidis", 1);
    w.add("eeg_channels", eeg.channels).add("eeg_features", eeg.features).add("eeg_hidden1", eeg.hidden1);
    w.add("eeg_hidden2", eeg.hidden2).add("recurrent_dropout", eeg.recurrent_dropout).add("eeg_output", eeg.output);
    w.add("output_dropout", eeg.output_dropout).add("music_embedding", music.embedding);
    w.add("music_hidden", music.hidden).add("common", music.common).add("music_dropout", music.dropout);
    w.add("negative_slope", music.negative_slope).add("classifier_dropout", classifier_dropout);
    w.add("discriminator_hidden", discriminator_hidden).add("reversal_lambda", reversal.lambda);
    w.add("reversal_schedule", reversal.schedule == nn::ReversalSchedule::ganin ? "ganin" : "constant");
    w.add("reversal_gamma", reversal.gamma);
    return w.text();
  }

  void read_architecture(const std::string& text, const std::string& source) {
    const canon::detail::ArchitectureReader r(text, "avramidis", 1, source);
    r.allow_only({"eeg_channels", "eeg_features", "eeg_hidden1", "eeg_hidden2", "recurrent_dropout", "eeg_output",
                  "output_dropout", "music_embedding", "music_hidden", "common", "music_dropout", "negative_slope",
                  "classifier_dropout", "discriminator_hidden", "reversal_lambda", "reversal_schedule",
                  "reversal_gamma"});
    eeg.channels = r.whole("eeg_channels");
    eeg.features = r.whole("eeg_features");
    eeg.hidden1 = r.whole("eeg_hidden1");
    eeg.hidden2 = r.whole("eeg_hidden2");
    eeg.recurrent_dropout = r.number("recurrent_dropout");
    eeg.output = r.whole("eeg_output");
    eeg.output_dropout = r.number("output_dropout");
    music.embedding = r.whole("music_embedding");
    music.hidden = r.whole("music_hidden");
    music.common = r.whole("common");
    music.dropout = r.number("music_dropout");
    music.negative_slope = r.number("negative_slope");
    classifier_dropout = r.number("classifier_dropout");
    discriminator_hidden = r.whole("discriminator_hidden");
    reversal.lambda = r.number("reversal_lambda");
    const std::string& schedule = r.text("reversal_schedule");
    if (schedule != "constant" && schedule != "ganin")
      throw io_error(canon::detail::message(source, ": architecture 'reversal_schedule ", schedule,
                                            "': expected constant or ganin"));
    reversal.schedule = schedule == "ganin" ? nn::ReversalSchedule::ganin : nn::ReversalSchedule::constant;
    reversal.gamma = r.number("reversal_gamma");
  }
};

/// What one forward produced (views into the model's buffers, valid until the next forward).
template <class Scalar>
struct JointOutput {
  const Matrix<Scalar>& logits;         ///< 1 x 2m: EEG samples, then music samples
  const Matrix<Scalar>& common;         ///< 64 x 2m: the shared space, same column order
  const Matrix<Scalar>& domain_logits;  ///< 1 x 2h: h EEG points, then their h music points (empty when h = 0)
};

template <class Scalar>
class JointModel {
  CANON_REQUIRE_SCALAR(Scalar);

 public:
  using scalar_type = Scalar;

  JointModel(const ModelConfig& config, std::uint64_t seed) : config_(config), rng_(seed) {
    const char* where = "avramidis::JointModel";
    canon::detail::require_positive(config.music.embedding, where, "music.embedding");
    canon::detail::require_positive(config.music.common, where, "music.common");
    canon::detail::require_positive(config.discriminator_hidden, where, "discriminator_hidden");
    if (config.eeg.output != config.music.hidden)
      throw value_error(canon::detail::message(
          where, ": the EEG branch ends in ", config.eeg.output, " units and the music net in ",
          config.music.hidden, "; the shared common layer needs both the same (authors: 128)"));
    canon::detail::require_in_range(config.classifier_dropout, 0.0, 0.999, where, "classifier_dropout");
    eeg_ = eeg_branch<Scalar>(config.eeg, rng_, seed + 101);
    music_.add(nn::Dense<Scalar>(config.music.embedding, config.music.hidden, rng_));
    music_.add(nn::LeakyReLU<Scalar>(config.music.negative_slope));
    if (config.music.dropout > 0) music_.add(nn::Dropout<Scalar>(config.music.dropout, seed + 202));
    common_.add(nn::Dense<Scalar>(config.music.hidden, config.music.common, rng_));
    common_.add(nn::LeakyReLU<Scalar>(config.music.negative_slope));
    if (config.classifier_dropout > 0) classifier_.add(nn::Dropout<Scalar>(config.classifier_dropout, seed + 303));
    classifier_.add(nn::Dense<Scalar>(config.music.common, 1, rng_));
    reversal_ = &discriminator_.add(nn::GradientReversal<Scalar>(config.reversal));
    discriminator_.add(nn::Dense<Scalar>(config.music.common, config.discriminator_hidden, rng_));
    discriminator_.add(nn::ReLU<Scalar>());
    discriminator_.add(nn::Dense<Scalar>(config.discriminator_hidden, 1, rng_));
    prefix(eeg_, "eeg");
    prefix(music_, "music");
    prefix(common_, "common");
    prefix(classifier_, "classifier");
    prefix(discriminator_, "discriminator");
  }

  const ModelConfig& config() const { return config_; }
  Index eeg_input_size() const { return config_.eeg.channels * config_.eeg.features; }
  Index common_size() const { return config_.music.common; }

  /// The training progress p in [0, 1] for the reversal schedule.
  void set_progress(double p) { reversal_->set_progress(p); }
  double reversal_lambda() const { return reversal_->lambda(); }

  /// eeg: (channels * features) x m, music: embedding x m, column j of both one aligned
  /// pair; domain_count h in [0, m] pairs go to the discriminator.
  JointOutput<Scalar> forward(const Matrix<Scalar>& eeg, const Matrix<Scalar>& music, Index domain_count,
                              Mode mode) {
    const char* where = "avramidis::JointModel::forward";
    canon::detail::require_shape(music, config_.music.embedding, eeg.cols(), where,
                                 "music embeddings (embedding x the EEG batch's columns)");
    if (domain_count < 0 || domain_count > eeg.cols())
      throw value_error(canon::detail::message(where, ": domain_count is ", domain_count, "; expected 0..",
                                               eeg.cols(), " (the batch)"));
    m_ = eeg.cols();
    h_ = domain_count;
    const auto& e = eeg_.forward(eeg, mode);
    const auto& u = music_.forward(music, mode);
    both_.resize(e.rows(), 2 * m_);
    both_.leftCols(m_) = e;
    both_.rightCols(m_) = u;
    const auto& f = common_.forward(both_, mode);
    const auto& logits = classifier_.forward(f, mode);
    if (h_ > 0) {
      domain_in_.resize(f.rows(), 2 * h_);
      domain_in_.leftCols(h_) = f.leftCols(h_);
      domain_in_.rightCols(h_) = f.middleCols(m_, h_);
      return {logits, f, discriminator_.forward(domain_in_, mode)};
    }
    domain_out_.resize(1, 0);
    return {logits, f, domain_out_};
  }

  /// The common space alone (eval mode), for retrieval and the figures.
  const Matrix<Scalar>& embed_eeg(const Matrix<Scalar>& eeg) { return common_.forward(eeg_.forward(eeg, Mode::eval), Mode::eval); }
  const Matrix<Scalar>& embed_music(const Matrix<Scalar>& music) {
    return common_.forward(music_.forward(music, Mode::eval), Mode::eval);
  }

  /// d_logits: 1 x 2m (EEG then music), d_domain: 1 x 2h (ignored when h = 0).
  void backward(const Matrix<Scalar>& d_logits, const Matrix<Scalar>& d_domain) {
    const char* where = "avramidis::JointModel::backward";
    canon::detail::require_shape(d_logits, 1, 2 * m_, where, "logit gradient (1 x 2m)");
    d_common_ = classifier_.backward(d_logits);
    if (h_ > 0) {
      canon::detail::require_shape(d_domain, 1, 2 * h_, where, "domain-logit gradient (1 x 2h)");
      const auto& dd = discriminator_.backward(d_domain);
      d_common_.leftCols(h_) += dd.leftCols(h_);
      d_common_.middleCols(m_, h_) += dd.rightCols(h_);
    }
    const auto& d_both = common_.backward(d_common_);
    d_branch_ = d_both.leftCols(m_);
    eeg_.backward(d_branch_);
    d_branch_ = d_both.rightCols(m_);
    music_.backward(d_branch_);
  }

  template <class Visitor>
  void visit_parameters(Visitor&& visit) {
    eeg_.visit_parameters(visit);
    music_.visit_parameters(visit);
    common_.visit_parameters(visit);
    classifier_.visit_parameters(visit);
    discriminator_.visit_parameters(visit);
  }
  template <class Visitor>
  void visit_buffers(Visitor&& visit) {
    eeg_.visit_buffers(visit);
    music_.visit_buffers(visit);
    common_.visit_buffers(visit);
    classifier_.visit_buffers(visit);
    discriminator_.visit_buffers(visit);
  }

  /// Parameters, buffers and the architecture in one canon tensor file; `metadata` adds
  /// text records ("architecture" is reserved). The training position (dropout masks
  /// drawn) is not saved: checkpoints (optim/checkpoint.hpp) keep it.
  void save(const std::string& path, Metadata metadata = {}) {
    metadata["architecture"] = config_.architecture_text();
    canon::save(*this, path, metadata);
  }

  JointModel(const JointModel&) = delete;  // reversal_ points into discriminator_
  JointModel& operator=(const JointModel&) = delete;

 private:
  static void prefix(nn::Sequential<Scalar>& part, const std::string& name) {
    part.visit_parameters([&](Parameter<Scalar>& p) { p.name = name + "." + p.name; });
    part.visit_buffers([&](Buffer<Scalar>& b) { b.name = name + "." + b.name; });
  }

  ModelConfig config_;
  Rng rng_;
  nn::Sequential<Scalar> eeg_, music_, common_, classifier_, discriminator_;
  nn::GradientReversal<Scalar>* reversal_ = nullptr;
  Index m_ = 0, h_ = 0;
  Matrix<Scalar> both_, domain_in_, domain_out_, d_common_, d_branch_;
};

/// A model rebuilt from a file written by JointModel::save: the architecture from its
/// text record, then every tensor (checked before any is assigned). The model holds a
/// pointer into itself, so it comes on the heap.
template <class Scalar>
std::unique_ptr<JointModel<Scalar>> load(const std::string& path) {
  const Metadata metadata = read_metadata(path);
  const auto found = metadata.find("architecture");
  if (found == metadata.end())
    throw io_error(canon::detail::message("avramidis::load: '", path,
                                          "' has no architecture record; is it an avramidis model file?"));
  ModelConfig config;
  config.read_architecture(found->second, "'" + path + "'");
  auto model = std::make_unique<JointModel<Scalar>>(config, 1);
  canon::load(*model, path);
  return model;
}

}  // namespace canon::avramidis
