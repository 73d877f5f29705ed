// canon evaluate: how well two embeddings of the same items agree: paired retrieval
// both ways (MRR, ranks, recall@k, with chance) and the correlation of each dimension.
#include <canon/eval/cross_modal.hpp>
#include <canon/io/feature_matrix.hpp>
#include <cstdio>

#include "common.hpp"

namespace canon_cli {

namespace {

struct EvaluateSettings {
  std::string first, second, output;
  Common common;
};

void run_evaluate(const EvaluateSettings& s) {
  s.common.start();
  const PairedViews z = read_paired(s.first, s.second);
  if (z.x1.rows() != z.x2.rows())
    throw canon::shape_error("'" + s.first + "' has " + std::to_string(z.x1.rows()) + " dimensions and '" + s.second +
                             "' " + std::to_string(z.x2.rows()) + "; paired embeddings share one space");
  const auto scores = canon::eval::cross_modal_scores<double>(z.x1, z.x2);
  std::printf("%ld paired items, cosine similarity     first -> second   second -> first   chance\n",
              long(scores.items));
  std::printf("  MRR                                  %10.4f   %15.4f   %6.4f\n", scores.a_to_b.mrr, scores.b_to_a.mrr,
              scores.chance_mrr);
  std::printf("  median rank                          %10.1f   %15.1f   %6.1f\n", scores.a_to_b.median_rank,
              scores.b_to_a.median_rank, scores.chance_median_rank);
  for (std::size_t k = 0; k < scores.a_to_b.ks.size(); ++k)
    std::printf("  recall@%-3ld                           %10.4f   %15.4f   %6.4f\n", long(scores.a_to_b.ks[k]),
                scores.a_to_b.recall[k], scores.b_to_a.recall[k],
                double(scores.a_to_b.ks[k]) / double(scores.items));
  std::printf("correlation per dimension:");
  for (double r : scores.correlations) std::printf(" %.3f", r);
  std::printf("  (total %.3f)\n", scores.total_correlation);
  if (!s.output.empty()) {
    write_json(s.output, Json{{"first", s.first}, {"second", s.second}, {"scores", to_json(scores)},
                              {"machine", machine_json()}});
    std::printf("wrote %s\n", s.output.c_str());
  }
}

}  // namespace

void add_evaluate(CLI::App& app, Commands& commands) {
  auto settings = std::make_shared<EvaluateSettings>();
  CLI::App* sub = app.add_subcommand("evaluate", "Paired retrieval and per-dimension correlations of two embeddings");
  sub->footer("Example:\n  canon evaluate --first z1.npy --second z2.npy --output scores.json\n"
              "Row i of --first and row i of --second embed the same item.");
  auto options = std::make_unique<Options>(sub, "evaluate");
  options->add("first", settings->first, std::string("embeddings of view 1 (") + matrix_formats + "), one item per row");
  options->add("second", settings->second, "embeddings of view 2, row i the same item as row i of --first");
  options->add("output", settings->output, "JSON report to write (none: print only)");
  settings->common.add_to(*options);
  options->required("first");
  options->required("second");
  commands.push_back({std::move(options), [settings] { run_evaluate(*settings); }});
}

}  // namespace canon_cli
