// canon/models/emer_cl/protocol.hpp — EMER-CL's evaluation protocol (Takashima et al.,
// Section IV-B): R runs (10 in the paper), each a fresh random split of the songs into
// 80 % training and 20 % test and a fresh initialisation; M2E and E2M MRR and AR on the
// test pairs, reported as mean and standard deviation over runs.
//
// Run r shuffles the songs with Rng(seed + r), initialises the model from seed + 1000 r
// and trains with the generic loop (shuffles from loop.seed + 1000 r). The paper trains
// a fixed number of epochs (5001 on DEAM, 10001 on PMEmo) with no validation split;
// validation_fraction > 0 carves one from the training songs (never the test songs) for
// early stopping instead.
#pragma once

#include <array>
#include <cmath>
#include <functional>
#include <vector>

#include "canon/core/rng.hpp"
#include "canon/models/emer_cl/retrieval.hpp"
#include "canon/models/emer_cl/task.hpp"
#include "canon/optim/adam.hpp"

namespace canon::emer_cl {

struct ProtocolConfig {
  ModelConfig model;
  LossOptions loss;
  RetrievalOptions retrieval;
  optim::AdamOptions adam{1e-5};   ///< the paper's learning rate
  train::LoopOptions loop;         ///< epochs, batch (128 here; the authors' code 512), seed, log
  int runs = 10;
  double test_fraction = 0.2;
  double validation_fraction = 0.0;
  std::uint64_t seed = 1;

  /// (P, alpha, lambda) = (0.4, 1.0, 0.5): the paper's defaults; DEAM's tuned values are
  /// (0.5, 1.0, 0.6), PMEmo's (0.7, 2.0, 0.5).
  void set_hyper_parameters(double p, double alpha, double lambda) {
    retrieval.threshold = p;
    loss.kl.margin = alpha;
    loss.lambda = lambda;
    retrieval.lambda = lambda;
  }
};

struct RunReport {
  int run = 0;
  Index training_pairs = 0, validation_pairs = 0, test_pairs = 0;
  train::TrainingResult training;
  RetrievalScores test;
  RetrievalScores chance;
};

/// The split of run r: {training, validation, test} song indices.
inline std::array<std::vector<Index>, 3> protocol_split(Index songs, double test_fraction,
                                                        double validation_fraction, std::uint64_t seed) {
  const char* where = "emer_cl::protocol_split";
  canon::detail::require_in_range(test_fraction, 0.0, 1.0, where, "test_fraction");
  canon::detail::require_in_range(validation_fraction, 0.0, 1.0, where, "validation_fraction");
  Rng rng(seed);
  const std::vector<Index> order = rng.permutation(songs);
  const Index test = Index(std::llround(test_fraction * double(songs)));
  const Index validation = Index(std::llround(validation_fraction * double(songs - test)));
  if (test < 2 || songs - test - validation < 2)
    throw value_error(canon::detail::message(where, ": ", songs, " songs give ", test, " test and ",
                                             songs - test - validation,
                                             " training pairs; each needs at least 2"));
  std::array<std::vector<Index>, 3> parts;
  parts[2].assign(order.begin(), order.begin() + test);
  parts[1].assign(order.begin() + test, order.begin() + test + validation);
  parts[0].assign(order.begin() + test + validation, order.end());
  return parts;
}

/// Runs the protocol; `on_run` (optional) sees each report as it is done.
template <class Scalar>
std::vector<RunReport> run_protocol(const PairSet<Scalar>& data, const ProtocolConfig& config,
                                    const std::function<void(const RunReport&)>& on_run = {}) {
  data.validate("emer_cl::run_protocol");
  canon::detail::require_positive(config.runs, "emer_cl::run_protocol", "runs");
  std::vector<RunReport> reports;
  for (int run = 0; run < config.runs; ++run) {
    const auto split = protocol_split(data.size(), config.test_fraction, config.validation_fraction,
                                      config.seed + std::uint64_t(run));
    const PairSet<Scalar> training = data.subset(split[0]);
    const PairSet<Scalar> validation = data.subset(split[1]);
    const PairSet<Scalar> test = data.subset(split[2]);
    Model<Scalar> model(config.model, config.seed + 1000 * std::uint64_t(run));
    CompositeLoss<Scalar> loss(config.loss);
    optim::Adam<Scalar> adam(config.adam);
    Task<Scalar> task(model, loss, training, validation);
    train::LoopOptions loop = config.loop;
    loop.seed = config.loop.seed + 1000 * std::uint64_t(run);
    if (!config.loop.checkpoint_path.empty())
      loop.checkpoint_path = canon::detail::message(config.loop.checkpoint_path, ".run", run);
    RunReport report;
    report.run = run;
    report.training_pairs = training.size();
    report.validation_pairs = validation.size();
    report.test_pairs = test.size();
    report.training = train::fit(task, adam, loop);
    Retriever<Scalar> retriever(config.retrieval);
    retriever.fit(model, training);
    report.test = retriever.evaluate(model, test);
    report.chance = chance_scores(test.size());
    if (on_run) on_run(report);
    reports.push_back(std::move(report));
  }
  return reports;
}

}  // namespace canon::emer_cl
