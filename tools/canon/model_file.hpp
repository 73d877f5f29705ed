// tools/canon/model_file.hpp — the model files the canon program writes and reads back:
// a Deep CCA model (canon::deep_cca), a Raposo model (canon::raposo) or a linear CCA
// projection, each one canon tensor
// file whose text records say what it is, so that `embed` and `info` need nothing else.
#pragma once

#include <canon/cca/linear_cca.hpp>
#include <canon/core/serialization.hpp>
#include <functional>
#include <string>

namespace canon_cli {

struct ModelFile {
  std::string kind;       // "deep_cca", "raposo" or "linear_cca"
  std::string precision;  // "float" or "double": the scalar type it computes in
  canon::Index inputs1 = 0, inputs2 = 0, components = 0;
  canon::Metadata metadata;
  /// Embeds samples (d_view x n) of view 1 or 2: k x n; raw = the branch outputs before
  /// the linear CCA projection (deep_cca only).
  std::function<canon::Matrix<double>(const canon::Matrix<double>&, int view, bool raw)> embed;
  /// For models of signals (raposo): embeds a file of view 1 (audio) or 2 (EEG), cut into
  /// the chunks the model was trained on: k x chunks. Empty for models of matrices.
  std::function<canon::Matrix<double>(const std::string& path, int view, bool raw)> embed_file;
};

/// Reads a model file written by `canon train` or `canon cca`.
ModelFile open_model(const std::string& path);

/// The raposo part of open_model (cmd_raposo.cpp, beside the command that writes it).
ModelFile open_raposo(const std::string& path, ModelFile file);

/// Fits linear CCA on paired views and saves the projection as a model file.
void save_linear_cca(const std::string& path, const canon::Matrix<double>& x1, const canon::Matrix<double>& x2,
                     const canon::cca::LinearCcaOptions& options, canon::Metadata metadata);

}  // namespace canon_cli
