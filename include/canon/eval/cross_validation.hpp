// canon/eval/cross_validation.hpp — seeded k-fold splits.
//
//   k_fold               samples dealt into k folds of sizes differing by at most one
//   stratified_k_fold    each class dealt separately, so every fold keeps the class
//                        proportions (up to one sample per class)
//   group_k_fold         whole groups (a song, a track, a subject) go to one fold, never
//                        split; folds differ by at most one group. With labels per
//                        group, groups are dealt class by class, so the folds are also
//                        stratified: Avramidis et al.'s "5-fold stratified CV by track
//                        (7 tracks per fold)" and Raposo et al.'s "balanced folds".
// Every split shuffles with the given Rng (same seed, same folds) and returns, per
// fold, the sorted indices of its test samples and of the remaining training samples.
//   fold_split           one round of k folds with a validation fold beside the test
//                        fold: train / validation / test indices (early stopping)
#pragma once

#include <algorithm>
#include <map>
#include <vector>

#include "canon/core/checks.hpp"
#include "canon/core/rng.hpp"

namespace canon::eval {

struct Fold {
  std::vector<Index> train;
  std::vector<Index> test;
};

/// The samples of one cross-validation round: to train on, to stop early on, to test on.
struct FoldSplit {
  std::vector<Index> train;
  std::vector<Index> validation;  ///< empty when the round has no validation fold
  std::vector<Index> test;
};

namespace detail {

inline void require_folds(Index units, int k, const char* where, const char* unit_name) {
  if (k < 2)
    throw value_error(canon::detail::message(where, ": k must be at least 2, got ", k));
  if (Index(k) > units)
    throw value_error(canon::detail::message(where, ": cannot make ", k, " folds from ", units, " ",
                                             unit_name, "; expected k <= ", units));
}

/// Builds folds from a fold number per sample.
inline std::vector<Fold> folds_from_assignment(const std::vector<int>& fold_of, int k) {
  std::vector<Fold> folds(static_cast<std::size_t>(k));
  for (std::size_t i = 0; i < fold_of.size(); ++i)
    for (int f = 0; f < k; ++f)
      (f == fold_of[i] ? folds[std::size_t(f)].test : folds[std::size_t(f)].train).push_back(Index(i));
  return folds;
}

/// Deals `units` (already in the order to deal them) round-robin into k folds,
/// continuing from `next` so that consecutive classes keep the folds balanced.
inline void deal(const std::vector<Index>& units, int k, int& next, std::vector<int>& fold_of_unit) {
  for (const Index u : units) {
    fold_of_unit[std::size_t(u)] = next;
    next = (next + 1) % k;
  }
}

/// Units grouped by label, each group shuffled, labels in increasing order.
inline std::vector<std::vector<Index>> shuffled_by_label(const std::vector<int>& labels, Rng& rng) {
  std::map<int, std::vector<Index>> by_label;
  for (std::size_t i = 0; i < labels.size(); ++i) by_label[labels[i]].push_back(Index(i));
  std::vector<std::vector<Index>> classes;
  for (auto& [label, members] : by_label) {
    rng.shuffle(members);
    classes.push_back(std::move(members));
  }
  return classes;
}

}  // namespace detail

inline std::vector<Fold> k_fold(Index samples, int k, Rng& rng) {
  detail::require_folds(samples, k, "k_fold", "samples");
  std::vector<int> fold_of(static_cast<std::size_t>(samples));
  int next = 0;
  detail::deal(rng.permutation(samples), k, next, fold_of);
  return detail::folds_from_assignment(fold_of, k);
}

inline std::vector<Fold> stratified_k_fold(const std::vector<int>& labels, int k, Rng& rng) {
  detail::require_folds(Index(labels.size()), k, "stratified_k_fold", "samples");
  std::vector<int> fold_of(labels.size());
  int next = 0;
  for (const auto& members : detail::shuffled_by_label(labels, rng)) detail::deal(members, k, next, fold_of);
  return detail::folds_from_assignment(fold_of, k);
}

/// groups[i]: the group of sample i (any integers). group_labels: empty, or a map from
/// group to its class for stratification (every group must have one).
inline std::vector<Fold> group_k_fold(const std::vector<int>& groups, int k, Rng& rng,
                                      const std::map<int, int>& group_labels = {}) {
  // Groups numbered in sorted order, so the folds depend on the set of groups and the
  // seed, not on the order of the samples.
  std::map<int, Index> group_index;
  for (const int g : groups) group_index.emplace(g, 0);
  detail::require_folds(Index(group_index.size()), k, "group_k_fold", "groups");
  std::vector<int> labels(group_index.size(), 0);  // all one class without stratification
  Index position = 0;
  for (auto& [group, index] : group_index) {
    index = position;
    if (!group_labels.empty()) {
      const auto found = group_labels.find(group);
      if (found == group_labels.end())
        throw value_error(canon::detail::message("group_k_fold: group ", group,
                                                 " has no label; expected one label per group"));
      labels[std::size_t(position)] = found->second;
    }
    ++position;
  }
  std::vector<int> fold_of_group(group_index.size());
  int next = 0;
  for (const auto& members : detail::shuffled_by_label(labels, rng)) detail::deal(members, k, next, fold_of_group);
  std::vector<int> fold_of(groups.size());
  for (std::size_t i = 0; i < groups.size(); ++i)
    fold_of[i] = fold_of_group[std::size_t(group_index.at(groups[i]))];
  return detail::folds_from_assignment(fold_of, k);
}

/// Round `test_fold` of `folds` (from any split above) with a validation fold:
///   test       = the test samples of fold test_fold
///   validation = those of fold (test_fold + 1) mod k; none when `with_validation` is
///                false or k = 2 (the next fold would be all that is left to train on)
///   train      = those of every other fold, fold by fold in fold order (not sorted:
///                with k = 5 and a validation fold, the test samples of the 3 others)
/// Throws value_error for fewer than 2 folds or a test_fold outside [0, k).
inline FoldSplit fold_split(const std::vector<Fold>& folds, int test_fold, bool with_validation = true) {
  const int k = int(folds.size());
  if (k < 2) throw value_error(canon::detail::message("fold_split: needs at least 2 folds, got ", k));
  if (test_fold < 0 || test_fold >= k)
    throw value_error(canon::detail::message("fold_split: test_fold ", test_fold, " outside [0, ", k, ")"));
  const bool validate = with_validation && k > 2;
  const int v = (test_fold + 1) % k;
  FoldSplit split;
  for (int g = 0; g < k; ++g)
    if (g != test_fold && !(validate && g == v))
      split.train.insert(split.train.end(), folds[std::size_t(g)].test.begin(), folds[std::size_t(g)].test.end());
  if (validate) split.validation = folds[std::size_t(v)].test;
  split.test = folds[std::size_t(test_fold)].test;
  return split;
}

}  // namespace canon::eval
