// canon cca: linear CCA of two matrices, its correlations with their permutation
// p-values and chance level, and the projection as a model file for `canon embed`.
#include <canon/cca/permutation_test.hpp>
#include <canon/report/svg_plot.hpp>
#include <chrono>
#include <cstdio>
#include <iostream>

#include "common.hpp"
#include "model_file.hpp"

namespace canon_cli {

namespace {

struct CcaSettings {
  std::string x1, x2, out;
  canon::Index components = 0;
  double ridge1 = 0, ridge2 = 0;
  canon::Index permutations = 999;
  std::uint64_t seed = 1;
  Common common;
};

void run_cca(const CcaSettings& s, const Json& config) {
  s.common.start();
  const auto started = std::chrono::steady_clock::now();
  const PairedViews views = read_paired(s.x1, s.x2);
  canon::cca::PermutationTestOptions options;
  options.permutations = s.permutations;
  options.seed = s.seed;
  options.cca.components = s.components;
  options.cca.ridge1 = s.ridge1;
  options.cca.ridge2 = s.ridge2;
  const auto test = canon::cca::permutation_test(views.x1, views.x2, options);
  const double seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count();

  std::printf("linear CCA of '%s' (%ld features) and '%s' (%ld features), %ld paired samples\n", s.x1.c_str(),
              long(views.x1.rows()), s.x2.c_str(), long(views.x2.rows()), long(views.x1.cols()));
  std::printf("%-10s %-12s %s\n", "component", "correlation", ("p (" + std::to_string(s.permutations) +
                                                                " permutations, family-wise)").c_str());
  for (canon::Index j = 0; j < test.correlations.size(); ++j)
    std::printf("%-10ld %-12.4f %.4g%s\n", long(j + 1), test.correlations(j), test.p_values(j),
                test.p_values(j) <= 0.05 ? "  *" : "");
  std::printf("chance level (95th percentile of the largest correlation after permuting the pairs): %.4f\n",
              test.chance_level);
  if (s.out.empty()) return;

  Json report{{"command", "cca"},
              {"inputs", {{"x1", s.x1}, {"x2", s.x2}, {"features1", views.x1.rows()},
                          {"features2", views.x2.rows()}, {"samples", views.x1.cols()}}},
              {"options", {{"components", s.components}, {"ridge1", s.ridge1}, {"ridge2", s.ridge2},
                           {"permutations", s.permutations}, {"seed", s.seed}}},
              {"correlations", to_json(test.correlations)},
              {"p_values", to_json(test.p_values)},
              {"p_value_method", "max statistic over components, (1 + b) / (1 + P); family-wise"},
              {"chance_level", test.chance_level},
              {"null_largest", to_json(test.null_largest)},
              {"seconds", seconds},
              {"machine", machine_json()}};
  const std::string model_path = output_file(s.out, "cca.canon");
  save_linear_cca(model_path, views.x1, views.x2, options.cca,
                  {{"report", report.dump()}, {"canon_command", "cca"}});
  write_json(output_file(s.out, "report.json"), report);
  write_json(output_file(s.out, "config.json"), config);

  canon::report::Chart chart;
  chart.kind = canon::report::Chart::Kind::bars;
  chart.title = "Canonical correlations (n = " + std::to_string(views.x1.cols()) + " samples)";
  chart.x_label = "component";
  chart.y_label = "correlation";
  canon::report::Series bars{"observed", {}, {}};
  for (canon::Index j = 0; j < test.correlations.size(); ++j) {
    bars.x.push_back(double(j + 1));
    bars.y.push_back(test.correlations(j));
  }
  chart.series.push_back(bars);
  chart.references.push_back({"chance (95% of permuted largest)", test.chance_level});
  canon::report::write_svg(chart, output_file(s.out, "correlations.svg"));
  std::printf("wrote %s, %s and %s\n", model_path.c_str(), output_file(s.out, "report.json").c_str(),
              output_file(s.out, "correlations.svg").c_str());
}

}  // namespace

void add_cca(CLI::App& app, Commands& commands) {
  auto settings = std::make_shared<CcaSettings>();
  CLI::App* sub = app.add_subcommand("cca", "Linear CCA of two matrices: correlations, permutation p-values, "
                                            "chance level, and a projection model for 'canon embed'");
  sub->footer("Example:\n  canon cca --x1 audio_features.npy --x2 eeg_features.npy --permutations 999 --out cca/\n"
              "Row i of --x1 and row i of --x2 are one pair. The permutation test assumes exchangeable pairs: "
              "use one row per trial or song, not overlapping chunks of one recording.");
  auto options = std::make_unique<Options>(sub, "cca");
  options->add("x1", settings->x1, std::string("first view: ") + matrix_formats + ", samples x features");
  options->add("x2", settings->x2, "second view, row i paired with row i of --x1");
  options->add("out", settings->out, "directory for cca.canon, report.json and correlations.svg (none: print only)");
  options->add("components", settings->components, "canonical pairs to keep (0: all the data support)")
      ->check(CLI::NonNegativeNumber);
  options->add("ridge1", settings->ridge1, "ridge added to the first view's covariance")->check(CLI::NonNegativeNumber);
  options->add("ridge2", settings->ridge2, "ridge added to the second view's covariance")->check(CLI::NonNegativeNumber);
  options->add("permutations", settings->permutations, "permutations of the pairing for the p-values (>= 19)")
      ->check(CLI::Range(canon::Index(19), canon::Index(100000000)));
  options->add("seed", settings->seed, "seed of the permutations");
  settings->common.add_to(*options);
  options->required("x1");
  options->required("x2");
  const Options* table = options.get();
  commands.push_back({std::move(options), [settings, table] { run_cca(*settings, table->values()); }});
}

}  // namespace canon_cli
