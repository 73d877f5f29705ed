// canon embed: a trained model and new samples of one view to embeddings (.npy, one row
// per sample) that NumPy reads as they are.
#include <canon/io/feature_matrix.hpp>
#include <cstdio>

#include "common.hpp"
#include "model_file.hpp"

namespace canon_cli {

namespace {

struct EmbedSettings {
  std::string model, input, output;
  int view = 1;
  bool raw = false;
  Common common;
};

void run_embed(const EmbedSettings& s) {
  s.common.start();
  const ModelFile model = open_model(s.model);
  const canon::Matrix<double> x = read_matrix(s.input, "the input");
  const canon::Index expected = s.view == 1 ? model.inputs1 : model.inputs2;
  if (x.rows() != expected)
    throw canon::shape_error("'" + s.input + "' has " + std::to_string(x.rows()) + " features (columns); the " +
                             model.kind + " model '" + s.model + "' takes " + std::to_string(expected) +
                             " in view " + std::to_string(s.view));
  const canon::Matrix<double> z = model.embed(x, s.view, s.raw);
  write_matrix(s.output, z);
  std::printf("embedded %ld samples of view %d into %ld dimensions: %s\n", long(x.cols()), s.view, long(z.rows()),
              s.output.c_str());
}

}  // namespace

void add_embed(CLI::App& app, Commands& commands) {
  auto settings = std::make_shared<EmbedSettings>();
  CLI::App* sub = app.add_subcommand("embed", "Embed new samples of one view with a trained model");
  sub->footer("Example:\n  canon embed --model run/model.canon --view 1 --input new_view1.npy --output z1.npy\n"
              "The output holds one row per input row: np.load('z1.npy') is (samples, components).");
  auto options = std::make_unique<Options>(sub, "embed");
  options->add("model", settings->model, "model file (model.canon of 'canon train', cca.canon of 'canon cca')");
  options->add("input", settings->input, std::string(matrix_formats) + ", samples x features of the chosen view");
  options->add("output", settings->output, "file to write: .npy, or .npz (the array is 'embedding'; file.npz:name names it)");
  options->add("view", settings->view, "which view the input is (1 or 2)")->check(CLI::IsMember({1, 2}));
  options->add_switch("raw", settings->raw, "the branch outputs before the linear CCA projection");
  settings->common.add_to(*options);
  options->required("model");
  options->required("input");
  options->required("output");
  commands.push_back({std::move(options), [settings] { run_embed(*settings); }});
}

}  // namespace canon_cli
