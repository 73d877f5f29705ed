#include "training_run.hpp"

#include <canon/report/svg_plot.hpp>
#include <algorithm>
#include <cmath>

namespace canon_cli {

canon::loss::DccaObjective dcca_objective(const std::string& name) {
  using O = canon::loss::DccaObjective;
  if (name == "trace_norm") return O::trace_norm;
  if (name == "top_k") return O::top_k;
  if (name == "frobenius") return O::frobenius;
  if (name == "squared_frobenius") return O::squared_frobenius;
  if (name == "eckart_young") return O::eckart_young;
  throw UsageError("--objective '" + name + "': expected one of trace_norm, top_k, frobenius, squared_frobenius, "
                   "eckart_young");
}

void DccaRun::add_to(Options& options, const std::string& batch_help, const std::string& seed_help,
                     const std::string& objective_help, const std::string& precision_help) {
  options.add("objective", objective, objective_help)->check(CLI::IsMember(dcca_objectives));
  options.add("top-k", top_k, "correlations summed by --objective top_k")->check(CLI::NonNegativeNumber);
  options.add("ridge", ridge, "ridge added to both covariances (loss and final linear CCA)")
      ->check(CLI::NonNegativeNumber);
  options.add("components", components, "linear CCA components kept after training (0: all)")
      ->check(CLI::NonNegativeNumber);
  options.add("epochs", epochs, "epochs")->check(CLI::PositiveNumber);
  options.add("batch", batch, batch_help)->check(CLI::Range(canon::Index(2), canon::Index(1) << 40));
  options.add("learning-rate", learning_rate, "Adam's learning rate")->check(CLI::PositiveNumber);
  options.add("patience", patience, "epochs without a better validation loss before stopping")
      ->check(CLI::PositiveNumber);
  options.add("seed", seed, seed_help);
  options.add("precision", precision, precision_help)->check(CLI::IsMember({"float", "double"}));
  options.add_switch("resume", resume, "continue from --out/checkpoint.canon if it exists");
}

void DccaRun::apply(canon::loss::DccaOptions& dcca, canon::optim::AdamOptions& adam, canon::Index& kept,
                    canon::train::LoopOptions& loop, canon::Index training_size, bool validate,
                    const Common& common, std::ostream& log, const std::string& out) const {
  dcca.objective = dcca_objective(objective);
  dcca.k = top_k;
  dcca.ridge1 = dcca.ridge2 = ridge;
  adam.learning_rate = learning_rate;
  kept = components;
  loop.epochs = epochs;
  loop.batch_size = std::min<canon::Index>(batch, training_size);
  loop.min_batch = std::max<canon::Index>(2, loop.batch_size / 2);
  loop.seed = seed;
  loop.patience = validate ? patience : 1000000;
  set_run_options(loop, common, log, out, resume);
  if (batch > training_size)
    log << "note: --batch " << batch << " exceeds the " << training_size
        << " training samples; training on the whole set each step\n";
}

void set_run_options(canon::train::LoopOptions& options, const Common& common, std::ostream& log,
                     const std::string& out, bool resume) {
  options.checkpoint_path = output_file(out, "checkpoint.canon");
  options.resume = resume;
  options.log = &log;
  options.log_rewrites_line = common.on_terminal();
  options.log_interval_seconds = options.log_rewrites_line ? 0.25 : 2.0;
  options.stop_requested = [] { return stop_requested.load(); };
}

void write_training_figures(const std::string& out, const std::string& title,
                            const canon::train::TrainingResult& result, const canon::eval::CrossModalScores* held_out,
                            const canon::eval::CrossModalScores* baseline, const std::string& baseline_name) {
  canon::report::Chart loss;
  loss.title = title + " loss (minus the objective) per epoch";
  loss.x_label = "epoch";
  loss.y_label = "loss";
  canon::report::Series train{"training (mean over batches)", {}, {}}, validation{"validation", {}, {}};
  for (const auto& e : result.history) {
    train.x.push_back(double(e.epoch));
    train.y.push_back(e.train_loss);
    if (std::isfinite(e.validation_loss)) {
      validation.x.push_back(double(e.epoch));
      validation.y.push_back(e.validation_loss);
    }
  }
  loss.series.push_back(train);
  if (!validation.x.empty()) loss.series.push_back(validation);
  canon::report::write_svg(loss, output_file(out, "loss.svg"));
  if (!held_out) return;
  canon::report::Chart bars;
  bars.kind = canon::report::Chart::Kind::bars;
  bars.title = "Held-out correlation per component (" + std::to_string(held_out->items) + " validation pairs)";
  bars.x_label = "component";
  bars.y_label = "correlation";
  for (const auto* scores : {held_out, baseline}) {
    if (!scores) continue;
    canon::report::Series s{scores == held_out ? title : baseline_name, {}, {}};
    for (std::size_t j = 0; j < scores->correlations.size(); ++j) {
      s.x.push_back(double(j + 1));
      s.y.push_back(scores->correlations[j]);
    }
    bars.series.push_back(s);
  }
  canon::report::write_svg(bars, output_file(out, "correlations.svg"));
}

Json history_json(const canon::train::TrainingResult& result) {
  Json history = Json::array();
  for (const auto& e : result.history)
    history.push_back({{"epoch", e.epoch}, {"train_loss", e.train_loss},
                       {"validation_loss", std::isfinite(e.validation_loss) ? Json(e.validation_loss) : Json()}});
  return history;
}

std::string epochs_done(const canon::train::TrainingResult& result) {
  if (result.resumed_from_epoch > 0)
    return "epochs " + std::to_string(result.resumed_from_epoch + 1) + "-" +
           std::to_string(result.resumed_from_epoch + long(result.history.size())) + " after resuming";
  return std::to_string(result.history.size()) + " epochs";
}

}  // namespace canon_cli
