// canon train dcca: generic two-view Deep CCA (canon::deep_cca) on two matrices of
// paired samples, with a validation split, early stopping, checkpoints and --resume,
// then the model file, a JSON report, the effective config and two figures.
#include <canon/cca/linear_cca.hpp>
#include <canon/io/feature_matrix.hpp>
#include <canon/models/deep_cca/model.hpp>
#include <chrono>
#include <cmath>
#include <cstdio>
#include <iostream>
#include <optional>

#include "common.hpp"
#include "training_run.hpp"

namespace canon_cli {

namespace {

struct TrainSettings {
  std::string x1, x2, validation_x1, validation_x2, out;
  double validation_fraction = 0.2;
  std::vector<canon::Index> hidden{128, 128}, hidden1, hidden2;
  canon::Index out_dim = 10;
  std::string activation = "tanh";
  double dropout = 0;
  bool standardise = true;
  double weight_decay = 0;
  DccaRun run = [] {
    DccaRun r;
    r.epochs = 100;
    r.batch = 512;
    r.precision = "double";
    return r;
  }();
  Common common;
};

struct Split {
  canon::Matrix<double> x1, x2, v1, v2;
};

// The validation samples: the files given, or a seeded random fraction of the pairs.
Split split(const TrainSettings& s, const PairedViews& all) {
  Split out;
  if (!s.validation_x1.empty() || !s.validation_x2.empty()) {
    if (s.validation_x1.empty() || s.validation_x2.empty())
      throw UsageError("train dcca: --validation-x1 and --validation-x2 go together");
    PairedViews v = read_paired(s.validation_x1, s.validation_x2);
    if (v.x1.rows() != all.x1.rows() || v.x2.rows() != all.x2.rows())
      throw canon::shape_error("the validation views have " + std::to_string(v.x1.rows()) + " and " +
                               std::to_string(v.x2.rows()) + " features; the training views " +
                               std::to_string(all.x1.rows()) + " and " + std::to_string(all.x2.rows()));
    return {all.x1, all.x2, std::move(v.x1), std::move(v.x2)};
  }
  const canon::Index n = all.x1.cols();
  const auto held = canon::Index(std::llround(s.validation_fraction * double(n)));
  canon::Rng rng(canon::stream_seed(s.run.seed, 0x5eed));
  const std::vector<canon::Index> order = rng.permutation(n);
  auto take = [&](const canon::Matrix<double>& x, canon::Index from, canon::Index count) {
    canon::Matrix<double> y(x.rows(), count);
    for (canon::Index j = 0; j < count; ++j) y.col(j) = x.col(order[std::size_t(from + j)]);
    return y;
  };
  out.v1 = take(all.x1, 0, held);
  out.v2 = take(all.x2, 0, held);
  out.x1 = take(all.x1, held, n - held);
  out.x2 = take(all.x2, held, n - held);
  return out;
}

std::vector<canon::Index> branch_sizes(canon::Index input, const std::vector<canon::Index>& hidden, canon::Index out) {
  std::vector<canon::Index> sizes{input};
  sizes.insert(sizes.end(), hidden.begin(), hidden.end());
  sizes.push_back(out);
  return sizes;
}

template <class Scalar>
void train_dcca(const TrainSettings& s, const Json& config) {
  std::ostream& log = s.common.start();
  const auto started = std::chrono::steady_clock::now();
  const PairedViews all = read_paired(s.x1, s.x2);
  const Split data = split(s, all);
  const bool validate = data.v1.cols() > 0;
  if (validate && data.v1.cols() < 2)
    throw canon::value_error("the validation split holds " + std::to_string(data.v1.cols()) +
                             " pair; Deep CCA's validation loss needs at least 2 (raise --validation-fraction or set it to 0)");

  canon::deep_cca::Config model_config;
  model_config.sizes1 = branch_sizes(all.x1.rows(), s.hidden1.empty() ? s.hidden : s.hidden1, s.out_dim);
  model_config.sizes2 = branch_sizes(all.x2.rows(), s.hidden2.empty() ? s.hidden : s.hidden2, s.out_dim);
  model_config.activation = canon::deep_cca::parse_activation(s.activation);
  model_config.dropout = s.dropout;
  model_config.standardise = s.standardise;
  model_config.adam.weight_decay = s.weight_decay;
  auto& training = model_config.training;
  s.run.apply(model_config.dcca, model_config.adam, model_config.components, training, data.x1.cols(), validate,
              s.common, log, s.out);
  // The largest product of a step: a layer of the widest branch on one batch.
  double widest = 0;
  for (const auto* sizes : {&model_config.sizes1, &model_config.sizes2})
    for (std::size_t l = 1; l < sizes->size(); ++l)
      widest = std::max(widest, double((*sizes)[l - 1]) * double((*sizes)[l]) * double(training.batch_size));
  Json effective = config;
  effective["threads"] = s.common.choose_threads(widest);  // repeating the run uses the same count
  write_json(output_file(s.out, "config.json"), effective);

  log << "training Deep CCA: " << data.x1.cols() << " training and " << data.v1.cols() << " validation pairs, "
      << all.x1.rows() << " and " << all.x2.rows() << " features, " << s.out_dim << " outputs, " << s.run.precision
      << "\n";
  canon::deep_cca::Model<Scalar> model(model_config, s.run.seed);
  canon::train::TrainingResult result;
  {
    const StopOnSignal stop_on_signal;
    result = model.fit(data.x1.cast<Scalar>(), data.x2.cast<Scalar>(), data.v1.cast<Scalar>(),
                       data.v2.cast<Scalar>());
  }
  const canon::Vector<double> training_correlations = model.training_correlations().template cast<double>();

  Json report{{"command", "train dcca"},
              {"inputs", {{"x1", s.x1}, {"x2", s.x2}, {"features1", all.x1.rows()}, {"features2", all.x2.rows()},
                          {"training_pairs", data.x1.cols()}, {"validation_pairs", data.v1.cols()}}},
              {"settings", effective},
              {"architecture", {{"sizes1", model_config.sizes1}, {"sizes2", model_config.sizes2}}},
              {"best_epoch", result.best_epoch},
              {"resumed_from_epoch", result.resumed_from_epoch},
              {"warnings", result.warnings},
              {"training_correlations", to_json(training_correlations)}};
  report["history"] = history_json(result);

  std::optional<canon::eval::CrossModalScores> deep, linear;
  if (validate) {
    deep = canon::eval::cross_modal_scores<double>(model.embed1(data.v1.cast<Scalar>()).template cast<double>(),
                                                   model.embed2(data.v2.cast<Scalar>()).template cast<double>());
    // The baseline: linear CCA of the inputs themselves, as many components, same ridge.
    canon::cca::LinearCcaOptions o;
    o.ridge1 = o.ridge2 = s.run.ridge;
    o.components = std::min<canon::Index>(training_correlations.size(),
                                          std::min({all.x1.rows(), all.x2.rows(), data.x1.cols() - 1}));
    canon::cca::LinearCCA<double> baseline(o);
    baseline.fit(data.x1, data.x2);
    linear = canon::eval::cross_modal_scores<double>(baseline.transform_first(data.v1),
                                                     baseline.transform_second(data.v2));
    report["validation"] = {{"deep_cca", to_json(*deep)}, {"linear_cca_baseline", to_json(*linear)}};
  }
  const double seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count();
  report["seconds"] = seconds;
  report["machine"] = machine_json();

  const std::string model_path = output_file(s.out, "model.canon");
  model.save(model_path, {{"precision", s.run.precision}, {"settings", effective.dump()}, {"canon_command", "train dcca"}});
  write_json(output_file(s.out, "report.json"), report);
  write_training_figures(s.out, "Deep CCA", result, deep ? &*deep : nullptr, linear ? &*linear : nullptr,
                         "linear CCA on the inputs");

  const std::string epochs = epochs_done(result);
  std::printf("Deep CCA trained in %.1f s (%s%s)\n", seconds, epochs.c_str(),
              result.best_epoch > 0 ? (", best epoch " + std::to_string(result.best_epoch)).c_str() : "");
  std::printf("training correlations: ");
  for (canon::Index j = 0; j < training_correlations.size(); ++j) std::printf("%.3f ", training_correlations(j));
  std::printf("\n");
  if (deep) {
    std::printf("held out (%ld pairs):       Deep CCA   linear CCA   chance\n", long(deep->items));
    std::printf("  total correlation         %8.3f   %10.3f\n", deep->total_correlation, linear->total_correlation);
    std::printf("  MRR first -> second       %8.3f   %10.3f   %6.3f\n", deep->a_to_b.mrr, linear->a_to_b.mrr,
                deep->chance_mrr);
    std::printf("  MRR second -> first       %8.3f   %10.3f   %6.3f\n", deep->b_to_a.mrr, linear->b_to_a.mrr,
                deep->chance_mrr);
    std::printf("Deep CCA %s linear CCA on the inputs in held-out total correlation\n",
                deep->total_correlation > linear->total_correlation ? "beat" : "did not beat");
  }
  std::printf("wrote %s, %s, %s and figures in %s\n", model_path.c_str(), output_file(s.out, "report.json").c_str(),
              output_file(s.out, "config.json").c_str(), s.out.c_str());
}

}  // namespace

void add_train(CLI::App& app, Commands& commands) {
  CLI::App* train = app.add_subcommand("train", "Train a model (the subcommand names which)");
  train->require_subcommand(1);
  auto settings = std::make_shared<TrainSettings>();
  CLI::App* sub = train->add_subcommand(
      "dcca", "Two-view Deep CCA with fully connected branches on two matrices of paired samples");
  sub->footer(
      "Example:\n"
      "  canon train dcca --x1 view1.npy --x2 view2.npy --hidden 256,256 --out-dim 10 --out run/\n"
      "  canon train dcca --config run/config.json --resume     (after an interruption)\n"
      "Row i of --x1 is paired with row i of --x2. Writes run/model.canon (for 'canon embed'), "
      "run/checkpoint.canon, run/report.json, run/config.json, run/loss.svg, run/correlations.svg.");
  auto options = std::make_unique<Options>(sub, "train dcca");
  TrainSettings& s = *settings;
  options->add("x1", s.x1, std::string("first view: ") + matrix_formats + ", samples x features");
  options->add("x2", s.x2, "second view, row i paired with row i of --x1");
  options->add("out", s.out, "output directory");
  options->add("validation-x1", s.validation_x1, "held-out first view (instead of --validation-fraction)");
  options->add("validation-x2", s.validation_x2, "held-out second view");
  options->add("validation-fraction", s.validation_fraction,
               "share of the pairs held out (seeded) for early stopping and the report; 0: none")
      ->check(CLI::Range(0.0, 0.9));
  options->add("hidden", s.hidden, "hidden layer sizes of both branches")->delimiter(',');
  options->add("hidden1", s.hidden1, "hidden sizes of the first branch (default: --hidden)")->delimiter(',');
  options->add("hidden2", s.hidden2, "hidden sizes of the second branch (default: --hidden)")->delimiter(',');
  options->add("out-dim", s.out_dim, "outputs of each branch")->check(CLI::PositiveNumber);
  options->add("activation", s.activation, "hidden activation")
      ->check(CLI::IsMember({"relu", "leaky_relu", "softplus", "sigmoid", "tanh"}));
  options->add("dropout", s.dropout, "dropout between hidden layers")->check(CLI::Range(0.0, 0.95));
  options->add("standardise", s.standardise, "z-score every input feature with the training statistics");
  s.run.add_to(*options, "pairs per batch (Deep CCA needs many more than --out-dim)",
               "seed of the weights, the split, the shuffles and dropout",
               "Deep CCA objective (frobenius: the authors' code of Raposo 2017)",
               "scalar type the model computes in (float halves memory and is faster)");
  options->add("weight-decay", s.weight_decay, "L2 weight decay")->check(CLI::NonNegativeNumber);
  s.common.add_to(*options);
  options->required("x1");
  options->required("x2");
  options->required("out");
  const Options* table = options.get();
  commands.push_back({std::move(options), [settings, table] {
                        const Json config = table->values();
                        if (settings->run.precision == "float")
                          train_dcca<float>(*settings, config);
                        else
                          train_dcca<double>(*settings, config);
                      }});
  add_train_raposo(train, commands);
}

}  // namespace canon_cli
