// canon/models/raposo/model.hpp — the audio/EEG Deep CCA model of Raposo et al. 2017.
//
//   audio chunk (1 x 33075) -> audio branch f_a -> h_a (128)
//   EEG chunk  (16 x 375)   -> EEG branch  f_e -> h_e (128)
//   training:  maximise the Deep CCA objective of (h_a, h_e) over batches of 102 chunks
//              with Adam, validation loss each epoch, the best epoch's weights kept
//   then:      one forward pass over the training chunks (eval mode) and linear CCA of
//              the two outputs: W_a, W_e, means mu_a, mu_e
//   embedding: z_a = W_a^T (f_a(x) - mu_a),  z_e = W_e^T (f_e(x) - mu_e)
//   a song:    the mean of its chunks' z_a (eval::group_means)
// At inference only the audio branch is needed (the EEG served as a regulariser).
//
// The Deep CCA objective is the trace norm (the paper's total correlation) by default;
// the authors' released code maximises the Frobenius norm of T instead:
// config.dcca.objective = loss::DccaObjective::frobenius reproduces it. The linear CCA
// afterwards uses the same ridges as the loss (whose objective the network was fitted to).
#pragma once

#include <string>

#include "canon/cca/projection.hpp"
#include "canon/core/detail/architecture_record.hpp"
#include "canon/core/serialization.hpp"
#include "canon/loss/dcca.hpp"
#include "canon/models/raposo/branch.hpp"
#include "canon/models/raposo/data.hpp"
#include "canon/optim/adam.hpp"
#include "canon/train/trainer.hpp"
#include "canon/train/two_view.hpp"

namespace canon::raposo {

struct Config {
  std::string audio_branch = paper_audio_branch();
  std::string eeg_branch = paper_eeg_branch();
  SignalShape audio_input{1, 33075};  ///< 1.5 s at 22050 Hz
  SignalShape eeg_input{16, 375};     ///< 1.5 s of 16 channels at 250 Hz
  loss::DccaOptions dcca;             ///< trace norm; frobenius = the authors' code
  optim::AdamOptions adam;            ///< learning rate 1e-3
  train::TrainerOptions training;     ///< 20 epochs, batch 102, seed, progress, checkpoints
  Index components = 0;               ///< linear CCA pairs kept; 0: all the data support
  Index inference_batch = 102;        ///< chunks per eval-mode forward pass (bounds memory)

  /// What rebuilds the two branches, one "key value" line each
  /// (core/detail/architecture_record.hpp): stored in the model file by Model::save, read
  /// back by raposo::load.
  std::string architecture_text() const {
    canon::detail::ArchitectureWriter w("raposo", 1);
    w.add("audio_channels", audio_input.channels).add("audio_length", audio_input.length);
    w.add("eeg_channels", eeg_input.channels).add("eeg_length", eeg_input.length);
    w.add("audio_branch", audio_branch).add("eeg_branch", eeg_branch);
    return w.text();
  }

  /// Reads architecture_text() back into the branch strings and input shapes.
  void read_architecture(const std::string& text, const std::string& source) {
    const canon::detail::ArchitectureReader r(text, "raposo", 1, source);
    r.allow_only({"audio_channels", "audio_length", "eeg_channels", "eeg_length", "audio_branch", "eeg_branch"});
    audio_input = {r.whole("audio_channels"), r.whole("audio_length")};
    eeg_input = {r.whole("eeg_channels"), r.whole("eeg_length")};
    audio_branch = r.text("audio_branch");
    eeg_branch = r.text("eeg_branch");
  }
};

template <class Scalar>
class Model {
  CANON_REQUIRE_SCALAR(Scalar);

 public:
  using scalar_type = Scalar;
  using Branch = nn::Sequential<Scalar>;
  using Network = train::TwoView<Branch, Branch>;

  /// Builds both branches (weights drawn from `seed`); throws if a branch string does
  /// not fit its input or the two branches end in different output sizes.
  Model(const Config& config, std::uint64_t seed)
      : config_(config), network_(build(config, seed)) {
    canon::detail::require_positive(config.inference_batch, "raposo::Model", "inference_batch");
  }

  const Config& config() const { return config_; }
  Network& network() { return network_; }
  Index output_size() const { return output_size_; }

  /// Trains on paired chunks (validation may be empty: then every epoch is kept and the
  /// last one wins), then fits the linear CCA projection on the training outputs.
  train::TrainingResult fit(const ChunkSet<Scalar>& training, const ChunkSet<Scalar>& validation) {
    return fit(training.audio, training.eeg, validation.audio, validation.eeg);
  }

  train::TrainingResult fit(const Matrix<Scalar>& audio, const Matrix<Scalar>& eeg,
                            const Matrix<Scalar>& validation_audio,
                            const Matrix<Scalar>& validation_eeg) {
    const char* where = "raposo::Model::fit";
    canon::detail::require_rows(audio, config_.audio_input.size(), where, "audio chunks");
    canon::detail::require_rows(eeg, config_.eeg_input.size(), where, "EEG chunks");
    if (validation_audio.size() > 0) {
      canon::detail::require_rows(validation_audio, config_.audio_input.size(), where,
                                  "validation audio chunks");
      canon::detail::require_rows(validation_eeg, config_.eeg_input.size(), where,
                                  "validation EEG chunks");
    }
    loss::DeepCCA<Scalar> objective(config_.dcca);
    optim::Adam<Scalar> adam(config_.adam);
    train::TrainerOptions options = config_.training;
    if (options.validation_batch_size == 0) options.validation_batch_size = config_.inference_batch;
    const auto result = train::train_two_view(network_, objective, adam, audio, eeg,
                                              validation_audio, validation_eeg, options);
    fit_projection(audio, eeg);
    return result;
  }

  /// Refits the linear CCA projection on the branch outputs of paired chunks.
  void fit_projection(const Matrix<Scalar>& audio, const Matrix<Scalar>& eeg) {
    projection_.fit(audio_outputs(audio), eeg_outputs(eeg),
                    projection_.options_for(config_.dcca.ridge1, config_.dcca.ridge2, config_.components));
  }

  bool fitted() const { return projection_.fitted(); }

  /// Branch outputs in eval mode (output_size x chunks), computed inference_batch chunks
  /// at a time.
  Matrix<Scalar> audio_outputs(const Matrix<Scalar>& audio) {
    return outputs(network_.first(), audio, config_.audio_input.size(), "audio");
  }
  Matrix<Scalar> eeg_outputs(const Matrix<Scalar>& eeg) {
    return outputs(network_.second(), eeg, config_.eeg_input.size(), "EEG");
  }

  /// Embeddings in the shared space: components x chunks.
  Matrix<Scalar> embed_audio(const Matrix<Scalar>& audio) {
    return projection_.first(audio_outputs(audio), "raposo::Model");
  }
  Matrix<Scalar> embed_eeg(const Matrix<Scalar>& eeg) {
    return projection_.second(eeg_outputs(eeg), "raposo::Model");
  }

  /// Canonical correlations of the training outputs, largest first (one per component).
  Vector<Scalar> training_correlations() const { return projection_.correlations(); }

  /// Parameters, batch-norm statistics, the projection and the architecture in one
  /// canon tensor file; `metadata` adds text records ("architecture" is reserved).
  void save(const std::string& path, Metadata metadata = {}) {
    metadata["architecture"] = config_.architecture_text();
    canon::save(*this, path, metadata);
  }

  /// Reads a file written by save() for a model built with the same config.
  void load(const std::string& path) {
    // The projection's shapes come from the file (k is whatever the fit found); nothing
    // changes before every tensor has been checked.
    const auto stored = canon::detail::read_tensor_file(path);
    canon::detail::assign_model_tensors(
        *this, stored, path,
        projection_.shapes_for_load(stored, path, output_size_, output_size_, "raposo::Model::load"));
  }

  template <class Visitor>
  void visit_parameters(Visitor&& visit) {
    network_.visit_parameters(visit);
  }
  template <class Visitor>
  void visit_buffers(Visitor&& visit) {
    network_.visit_buffers(visit);
    projection_.visit_buffers(visit);
  }

 private:
  Network build(const Config& config, std::uint64_t seed) {
    Rng rng(seed);
    Branch audio = make_branch<Scalar>(config.audio_branch, config.audio_input, rng);
    Branch eeg = make_branch<Scalar>(config.eeg_branch, config.eeg_input, rng);
    const SignalShape a = branch_shapes(parse_branch(config.audio_branch), config.audio_input).back();
    const SignalShape e = branch_shapes(parse_branch(config.eeg_branch), config.eeg_input).back();
    if (a.size() != e.size())
      throw value_error(canon::detail::message(
          "raposo::Model: the audio branch ends at ", a.channels, " x ", a.length,
          " and the EEG branch at ", e.channels, " x ", e.length,
          "; Deep CCA needs outputs of the same size"));
    output_size_ = a.size();
    return Network(std::move(audio), std::move(eeg), "audio", "eeg");
  }

  Matrix<Scalar> outputs(Branch& branch, const Matrix<Scalar>& x, Index rows, const char* what) {
    canon::detail::require_rows(x, rows, "raposo::Model", what);
    canon::detail::require_batch(x, 1, "raposo::Model", what);
    Matrix<Scalar> out(output_size_, x.cols());
    Matrix<Scalar> batch;
    for (Index start = 0; start < x.cols(); start += config_.inference_batch) {
      const Index size = std::min(config_.inference_batch, x.cols() - start);
      batch = x.middleCols(start, size);
      out.middleCols(start, size) = branch.forward(batch, Mode::eval);
    }
    return out;
  }

  Config config_;
  Index output_size_ = 0;
  Network network_;
  cca::Projection<Scalar> projection_{"audio", "eeg"};  // W_a, W_e, mu_a, mu_e, correlations
};

/// A model rebuilt from a file written by Model::save: the branches and input shapes
/// from its architecture record, then every tensor. The training settings (objective,
/// ridges, optimiser) are not needed to embed and keep their defaults in config().
template <class Scalar>
Model<Scalar> load(const std::string& path) {
  const Metadata metadata = read_metadata(path);
  const auto found = metadata.find("architecture");
  if (found == metadata.end())
    throw io_error(canon::detail::message("raposo::load: '", path,
                                          "' has no architecture record; is it a raposo model file?"));
  Config config;
  config.read_architecture(found->second, "'" + path + "'");
  Model<Scalar> model(config, 1);
  model.load(path);
  return model;
}

}  // namespace canon::raposo
