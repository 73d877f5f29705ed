// canon/models/raposo/transfer.hpp — the transfer protocol of Raposo et al. 2017: are song
// embeddings good audio features for another cross-modal task?
//
// Given per-item features of two views (song embeddings or handcrafted audio features as
// the first; lyrics or any text embedding as the second) and a class per item:
//   items are dealt into k folds stratified by class; for each fold
//     standardise both views with the training items' mean and standard deviation
//     train a fully connected Deep CCA model, 512-256-128-64 per branch (the paper), with
//       the top-32 correlation objective, Adam, 500 epochs, batch 1000
//     linear CCA with 32 components on the training outputs
//     embed the held-out items, cosine similarities, and rank in both directions:
//       instance MRR  only the paired item is relevant
//       class MRR     the first item of the query's class counts (the paired one is of it)
// Chance levels are exact for the held-out set: H_n / n for instance MRR and the
// expected reciprocal rank of the first of the class's items for class MRR.
// The hidden activation is not stated in the paper; ReLU is the default (config.mlp).
#pragma once

#include <vector>

#include "canon/cca/linear_cca.hpp"
#include "canon/core/columns.hpp"
#include "canon/data/standardise.hpp"
#include "canon/eval/cross_validation.hpp"
#include "canon/eval/retrieval.hpp"
#include "canon/loss/dcca.hpp"
#include "canon/nn/mlp.hpp"
#include "canon/optim/adam.hpp"
#include "canon/train/trainer.hpp"
#include "canon/train/two_view.hpp"

namespace canon::raposo {

struct TransferConfig {
  std::vector<Index> layers = {512, 256, 128, 64};  ///< per branch; the last is the output
  nn::MlpOptions mlp;                               ///< ReLU hidden layers, linear output
  Index components = 32;                            ///< canonical components
  loss::DccaOptions dcca = top_k(32);
  optim::AdamOptions adam;
  train::TrainerOptions training = paper_training();
  int folds = 5;
  std::uint64_t seed = 1;

  static loss::DccaOptions top_k(Index k) {
    loss::DccaOptions o;
    o.objective = loss::DccaObjective::top_k;
    o.k = k;
    return o;
  }
  static train::TrainerOptions paper_training() {
    train::TrainerOptions o;
    o.epochs = 500;
    o.batch_size = 1000;
    return o;
  }
};

/// Retrieval of one fold, or the mean over folds.
struct TransferScores {
  double instance_mrr_first_to_second = 0.0, instance_mrr_second_to_first = 0.0;
  double class_mrr_first_to_second = 0.0, class_mrr_second_to_first = 0.0;
  double chance_instance_mrr = 0.0, chance_class_mrr = 0.0;
  Index test_items = 0;
};

struct TransferReport {
  std::vector<TransferScores> folds;
  TransferScores mean;  ///< unweighted mean over folds
};

template <class Scalar>
TransferReport transfer_retrieval(const Matrix<Scalar>& first, const Matrix<Scalar>& second,
                                  const std::vector<int>& classes, const TransferConfig& config) {
  using canon::detail::message;
  const char* where = "raposo::transfer_retrieval";
  if (first.cols() != second.cols() || Index(classes.size()) != first.cols())
    throw shape_error(message(where, ": ", first.cols(), " and ", second.cols(), " items with ",
                              classes.size(), " classes; expected one column per item in both "
                              "views and one class per item"));
  canon::detail::require_finite(first, where, "first view");
  canon::detail::require_finite(second, where, "second view");
  if (config.layers.empty() || config.components < 1 || config.components > config.layers.back())
    throw value_error(message(where, ": components (", config.components,
                              ") must lie in [1, the output size ",
                              config.layers.empty() ? 0 : config.layers.back(), "]"));
  Rng fold_rng(config.seed);
  const std::vector<eval::Fold> folds = eval::stratified_k_fold(classes, config.folds, fold_rng);
  TransferReport report;
  for (std::size_t f = 0; f < folds.size(); ++f) {
    const auto& fold = folds[f];
    data::Standardiser<Scalar> standardise_a, standardise_b;  // on the training items only
    const Matrix<Scalar> a_train = standardise_a.fit_transform(columns(first, fold.train));
    const Matrix<Scalar> b_train = standardise_b.fit_transform(columns(second, fold.train));
    const Matrix<Scalar> a_test = standardise_a.transform(columns(first, fold.test));
    const Matrix<Scalar> b_test = standardise_b.transform(columns(second, fold.test));

    Rng rng(config.seed + 1 + f);
    std::vector<Index> sizes_a{first.rows()}, sizes_b{second.rows()};
    sizes_a.insert(sizes_a.end(), config.layers.begin(), config.layers.end());
    sizes_b.insert(sizes_b.end(), config.layers.begin(), config.layers.end());
    train::TwoView<nn::Sequential<Scalar>, nn::Sequential<Scalar>> model(
        nn::make_mlp<Scalar>(sizes_a, rng, config.mlp), nn::make_mlp<Scalar>(sizes_b, rng, config.mlp),
        "first", "second");
    loss::DeepCCA<Scalar> objective(config.dcca);
    optim::Adam<Scalar> adam(config.adam);
    train::TrainerOptions training = config.training;
    training.seed = config.training.seed + f;
    const Matrix<Scalar> none;
    train::train_two_view(model, objective, adam, a_train, b_train, none, none, training);

    cca::LinearCcaOptions lo;
    lo.ridge1 = config.dcca.ridge1;
    lo.ridge2 = config.dcca.ridge2;
    lo.components = config.components;
    cca::LinearCCA<Scalar> lcca(lo);
    const Matrix<Scalar> ha = model.first().forward(a_train, Mode::eval);
    const Matrix<Scalar> hb = model.second().forward(b_train, Mode::eval);
    lcca.fit(ha, hb);
    const Matrix<Scalar> za = lcca.transform_first(model.first().forward(a_test, Mode::eval));
    const Matrix<Scalar> zb = lcca.transform_second(model.second().forward(b_test, Mode::eval));

    std::vector<Index> test_classes;
    for (Index j : fold.test) test_classes.push_back(classes[std::size_t(j)]);
    const Matrix<Scalar> s = eval::cosine_similarity(za, zb);
    TransferScores scores;
    scores.test_items = Index(fold.test.size());
    scores.instance_mrr_first_to_second = eval::instance_mrr(s);
    scores.instance_mrr_second_to_first = eval::instance_mrr(s.transpose());
    scores.class_mrr_first_to_second = eval::class_mrr(s, test_classes, test_classes);
    scores.class_mrr_second_to_first = eval::class_mrr(s.transpose(), test_classes, test_classes);
    scores.chance_instance_mrr = eval::chance_mrr(scores.test_items);
    scores.chance_class_mrr = eval::chance_class_mrr(test_classes);
    report.folds.push_back(scores);
  }
  auto& m = report.mean;
  for (const auto& s : report.folds) {
    m.instance_mrr_first_to_second += s.instance_mrr_first_to_second;
    m.instance_mrr_second_to_first += s.instance_mrr_second_to_first;
    m.class_mrr_first_to_second += s.class_mrr_first_to_second;
    m.class_mrr_second_to_first += s.class_mrr_second_to_first;
    m.chance_instance_mrr += s.chance_instance_mrr;
    m.chance_class_mrr += s.chance_class_mrr;
    m.test_items += s.test_items;
  }
  const double k = double(report.folds.size());
  m.instance_mrr_first_to_second /= k;
  m.instance_mrr_second_to_first /= k;
  m.class_mrr_first_to_second /= k;
  m.class_mrr_second_to_first /= k;
  m.chance_instance_mrr /= k;
  m.chance_class_mrr /= k;
  return report;
}

}  // namespace canon::raposo
