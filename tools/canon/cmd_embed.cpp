// canon embed: a trained model and new samples of one view to embeddings (.npy, one row
// per sample) that NumPy reads as they are; a model of signals also embeds an audio or
// EEG file, one row per chunk.
#include <canon/io/feature_matrix.hpp>
#include <cstdio>

#include "common.hpp"
#include "model_file.hpp"

namespace canon_cli {

namespace {

struct EmbedSettings {
  std::string model, input, output;
  int view = 1;
  bool raw = false, mean = false;
  Common common;
};

// An input the model reads as a file of its signal (audio or EEG) rather than a matrix.
bool is_signal_file(const ModelFile& model, const std::string& input) {
  if (!model.embed_file) return false;
  canon::io::NpzSource npz;
  if (canon::io::parse_npz_source(input, npz)) return false;
  const auto dot = input.find_last_of('.');
  const std::string ext = dot == std::string::npos ? "" : input.substr(dot);
  return ext != ".npy" && ext != ".csv";
}

void run_embed(const EmbedSettings& s) {
  s.common.start();
  const ModelFile model = open_model(s.model);
  canon::Matrix<double> z;
  const char* what = "samples";
  if (is_signal_file(model, s.input)) {
    // The file is cut into the model's chunks: one embedding per chunk.
    z = model.embed_file(s.input, s.view, s.raw);
    what = "chunks";
  } else {
    const canon::Matrix<double> x = read_matrix(s.input, "the input");
    const canon::Index expected = s.view == 1 ? model.inputs1 : model.inputs2;
    if (x.rows() != expected)
      throw canon::shape_error("'" + s.input + "' has " + std::to_string(x.rows()) + " features (columns); the " +
                               model.kind + " model '" + s.model + "' takes " + std::to_string(expected) +
                               " in view " + std::to_string(s.view));
    z = model.embed(x, s.view, s.raw);
  }
  const long items = long(z.cols());
  // A song's embedding in Raposo 2017 is the mean of its chunks' embeddings.
  if (s.mean) z = z.rowwise().mean().eval();
  write_matrix(s.output, z);
  std::printf("embedded %ld %s of view %d into %ld dimensions%s: %s\n", items, what, s.view, long(z.rows()),
              s.mean ? ", averaged into one row" : "", s.output.c_str());
}

}  // namespace

void add_embed(CLI::App& app, Commands& commands) {
  auto settings = std::make_shared<EmbedSettings>();
  CLI::App* sub = app.add_subcommand("embed", "Embed new samples of one view with a trained model");
  sub->footer("Example:\n  canon embed --model run/model.canon --view 1 --input new_view1.npy --output z1.npy\n"
              "  canon embed --model raposo/model.canon --view 1 --input song.flac --output song.npy --mean\n"
              "The output holds one row per input row: np.load('z1.npy') is (samples, components). A model of\n"
              "signals (train raposo) also takes a sound file (view 1) or an EDF/BDF file (view 2), cut into\n"
              "the chunks it was trained on, one row per chunk.");
  auto options = std::make_unique<Options>(sub, "embed");
  options->add("model", settings->model, "model file (model.canon of 'canon train', cca.canon of 'canon cca')");
  options->add("input", settings->input,
               std::string(matrix_formats) + ", samples x features of the chosen view; for a raposo model also "
               "audio (view 1) or EDF/BDF (view 2)");
  options->add("output", settings->output, "file to write: .npy, or .npz (the array is 'embedding'; file.npz:name names it)");
  options->add("view", settings->view, "which view the input is (1 or 2)")->check(CLI::IsMember({1, 2}));
  options->add_switch("raw", settings->raw, "the branch outputs before the linear CCA projection");
  options->add_switch("mean", settings->mean, "one row: the mean over the input's samples or chunks (a song's embedding)");
  settings->common.add_to(*options);
  options->required("model");
  options->required("input");
  options->required("output");
  commands.push_back({std::move(options), [settings] { run_embed(*settings); }});
}

}  // namespace canon_cli
