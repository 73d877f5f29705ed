#include "model_file.hpp"

#include <canon/cca/projection.hpp>
#include <canon/models/deep_cca/model.hpp>
#include <sstream>

namespace canon_cli {

namespace {

// A linear CCA projection as a "model": no parameters, the projection's buffers.
struct LinearModel {
  using scalar_type = double;
  canon::cca::Projection<double> projection{"view1", "view2"};
  template <class V>
  void visit_parameters(V&&) {}
  template <class V>
  void visit_buffers(V&& visit) {
    projection.visit_buffers(visit);
  }
};

std::string linear_architecture(canon::Index d1, canon::Index d2) {
  return "canon.linear_cca 1\ninputs " + std::to_string(d1) + " " + std::to_string(d2) + "\n";
}

template <class Scalar>
ModelFile open_deep(const std::string& path, ModelFile file) {
  auto model = std::make_shared<canon::deep_cca::Model<Scalar>>(canon::deep_cca::load<Scalar>(path));
  file.inputs1 = model->config().sizes1.front();
  file.inputs2 = model->config().sizes2.front();
  file.components = model->training_correlations().size();
  file.embed = [model](const canon::Matrix<double>& x, int view, bool raw) -> canon::Matrix<double> {
    const canon::Matrix<Scalar> input = x.cast<Scalar>();
    if (raw) return (view == 1 ? model->outputs1(input) : model->outputs2(input)).template cast<double>();
    return (view == 1 ? model->embed1(input) : model->embed2(input)).template cast<double>();
  };
  return file;
}

}  // namespace

void save_linear_cca(const std::string& path, const canon::Matrix<double>& x1, const canon::Matrix<double>& x2,
                     const canon::cca::LinearCcaOptions& options, canon::Metadata metadata) {
  LinearModel model;
  model.projection.fit(x1, x2, options);
  metadata["architecture"] = linear_architecture(x1.rows(), x2.rows());
  metadata["precision"] = "double";
  canon::save(model, path, metadata);
}

ModelFile open_model(const std::string& path) {
  ModelFile file;
  file.metadata = canon::read_metadata(path);
  const auto architecture = file.metadata.find("architecture");
  if (architecture == file.metadata.end())
    throw canon::io_error("'" + path + "' is a canon tensor file without an architecture record: not a model "
                          "written by canon train or canon cca (a checkpoint? use the model file beside it)");
  const auto precision = file.metadata.find("precision");
  file.precision = precision != file.metadata.end() ? precision->second : "double";
  const std::string& text = architecture->second;
  if (text.rfind("canon.deep_cca ", 0) == 0) {
    file.kind = "deep_cca";
    if (file.precision == "float") return open_deep<float>(path, file);
    return open_deep<double>(path, file);
  }
  if (text.rfind("canon.raposo ", 0) == 0) return open_raposo(path, file);
  if (text.rfind("canon.linear_cca 1\n", 0) == 0) {
    file.kind = "linear_cca";
    std::istringstream in(text.substr(text.find('\n') + 1));
    std::string key;
    if (!(in >> key >> file.inputs1 >> file.inputs2) || key != "inputs" || file.inputs1 < 1 || file.inputs2 < 1)
      throw canon::io_error("'" + path + "': the linear_cca architecture record must read 'inputs d1 d2'");
    auto model = std::make_shared<LinearModel>();
    const auto stored = canon::detail::read_tensor_file(path);
    canon::detail::assign_model_tensors(
        *model, stored, path,
        model->projection.shapes_for_load(stored, path, file.inputs1, file.inputs2, "canon embed"));
    file.components = model->projection.components();
    file.embed = [model](const canon::Matrix<double>& x, int view, bool raw) -> canon::Matrix<double> {
      if (raw) throw canon::value_error("--raw: a linear CCA model has no branch outputs to show");
      return view == 1 ? model->projection.first(x, "canon embed") : model->projection.second(x, "canon embed");
    };
    return file;
  }
  throw canon::io_error("'" + path + "': unknown architecture '" + text.substr(0, text.find('\n')) +
                        "'; this canon reads deep_cca, raposo and linear_cca models");
}

}  // namespace canon_cli
