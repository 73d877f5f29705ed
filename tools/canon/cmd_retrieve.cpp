// canon retrieve: every query's best matches in a catalogue of embeddings, ranked, as
// CSV (query, rank, item, score) or JSON.
#include <canon/eval/retrieval.hpp>
#include <canon/core/atomic_file.hpp>
#include <canon/io/feature_matrix.hpp>
#include <algorithm>
#include <cstdio>
#include <numeric>

#include "common.hpp"

namespace canon_cli {

namespace {

struct RetrieveSettings {
  std::string queries, catalogue, output, metric = "cosine";
  canon::Index top = 10;
  Common common;
};

void run_retrieve(const RetrieveSettings& s) {
  s.common.start();
  const canon::Matrix<double> q = read_matrix(s.queries, "the queries");
  const canon::Matrix<double> c = read_matrix(s.catalogue, "the catalogue");
  if (q.rows() != c.rows())
    throw canon::shape_error("the queries have " + std::to_string(q.rows()) + " dimensions and the catalogue " +
                             std::to_string(c.rows()) + "; embed both into the same space first");
  const bool cosine = s.metric == "cosine";
  const canon::Matrix<double> scores = cosine ? canon::eval::cosine_similarity(q, c) : canon::eval::euclidean_distance(q, c);
  const canon::Index top = std::min(s.top, c.cols());
  const bool json = canon::io::detail::ends_with(s.output, ".json");
  Json results = Json::array();
  std::string csv = std::string("query,rank,item,") + (cosine ? "cosine_similarity" : "euclidean_distance") + "\n";
  std::vector<canon::Index> order(std::size_t(c.cols()));
  for (canon::Index i = 0; i < q.cols(); ++i) {
    std::iota(order.begin(), order.end(), canon::Index(0));
    // Best first; ties by catalogue position, so the output does not depend on the sort.
    std::partial_sort(order.begin(), order.begin() + top, order.end(), [&](canon::Index a, canon::Index b) {
      const double sa = scores(i, a), sb = scores(i, b);
      if (sa != sb) return cosine ? sa > sb : sa < sb;
      return a < b;
    });
    Json matches = Json::array();
    for (canon::Index r = 0; r < top; ++r) {
      const canon::Index item = order[std::size_t(r)];
      char line[96];
      std::snprintf(line, sizeof line, "%ld,%ld,%ld,%.9g\n", long(i), long(r + 1), long(item), scores(i, item));
      csv += line;
      matches.push_back({{"item", item}, {"score", scores(i, item)}});
    }
    results.push_back({{"query", i}, {"matches", matches}});
  }
  if (json)
    write_json(s.output, Json{{"metric", s.metric}, {"queries", s.queries}, {"catalogue", s.catalogue},
                              {"results", results}});
  else
    canon::write_file_atomically(s.output, [&](std::ostream& out) { out << csv; });
  std::printf("ranked the %ld best of %ld catalogue items for %ld queries (%s): %s\n", long(top), long(c.cols()),
              long(q.cols()), s.metric.c_str(), s.output.c_str());
}

}  // namespace

void add_retrieve(CLI::App& app, Commands& commands) {
  auto settings = std::make_shared<RetrieveSettings>();
  CLI::App* sub = app.add_subcommand("retrieve", "Rank a catalogue of embeddings for every query embedding");
  sub->footer("Example:\n  canon retrieve --queries z_eeg.npy --catalogue z_songs.npy --top 5 --output matches.csv\n"
              "Rows are items; query and item numbers count rows from 0. Ties keep catalogue order.");
  auto options = std::make_unique<Options>(sub, "retrieve");
  options->add("queries", settings->queries, std::string(matrix_formats) + ", one query embedding per row");
  options->add("catalogue", settings->catalogue, std::string(matrix_formats) + ", one item embedding per row");
  options->add("output", settings->output, "results: .csv (query,rank,item,score) or .json");
  options->add("top", settings->top, "matches per query")->check(CLI::PositiveNumber);
  options->add("metric", settings->metric, "cosine similarity or euclidean distance")
      ->check(CLI::IsMember({"cosine", "euclidean"}));
  settings->common.add_to(*options);
  options->required("queries");
  options->required("catalogue");
  options->required("output");
  commands.push_back({std::move(options), [settings] { run_retrieve(*settings); }});
}

}  // namespace canon_cli
