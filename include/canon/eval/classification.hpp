// canon/eval/classification.hpp — accuracy with per-trial majority vote, and the
// regression scores R^2, RMSE and Pearson r (formulas in docs/evaluation.md).
#pragma once

#include <cmath>
#include <map>
#include <vector>

#include "canon/core/error.hpp"
#include "canon/core/types.hpp"

namespace canon::eval {

/// Share of positions where predicted equals truth.
inline double accuracy(const std::vector<Index>& predicted, const std::vector<Index>& truth) {
  if (predicted.size() != truth.size())
    throw shape_error(canon::detail::message("accuracy: ", predicted.size(),
                                             " predictions for ", truth.size(), " labels"));
  if (truth.empty()) throw value_error("accuracy: no labels given");
  std::size_t hits = 0;
  for (std::size_t i = 0; i < truth.size(); ++i) hits += predicted[i] == truth[i] ? 1 : 0;
  return double(hits) / double(truth.size());
}

/// Per-trial majority vote over segment predictions (Avramidis 2022 aggregates the
/// 3 s segments of a trial this way). Returns trial id -> voted label, trials in
/// increasing id. A tied vote goes to the smallest label (deterministic; with
/// binary labels 0/1 that is 0).
inline std::map<Index, Index> majority_vote(const std::vector<Index>& predicted,
                                            const std::vector<Index>& trial) {
  if (predicted.size() != trial.size())
    throw shape_error(canon::detail::message("majority_vote: ", predicted.size(),
                                             " predictions for ", trial.size(), " trial ids"));
  if (trial.empty()) throw value_error("majority_vote: no predictions given");
  std::map<Index, std::map<Index, Index>> counts;
  for (std::size_t i = 0; i < trial.size(); ++i) ++counts[trial[i]][predicted[i]];
  std::map<Index, Index> vote;
  for (const auto& [t, by_label] : counts) {
    Index best = 0, best_count = -1;
    for (const auto& [label, n] : by_label)  // increasing label: strict > keeps the smallest
      if (n > best_count) best = label, best_count = n;
    vote[t] = best;
  }
  return vote;
}

/// Trial-level accuracy: majority vote of the segment predictions of each trial against
/// the trial's label. Every segment of a trial must carry the same true label.
inline double trial_accuracy(const std::vector<Index>& predicted, const std::vector<Index>& truth,
                             const std::vector<Index>& trial) {
  if (truth.size() != trial.size())
    throw shape_error(canon::detail::message("trial_accuracy: ", truth.size(), " labels for ",
                                             trial.size(), " trial ids"));
  const auto vote = majority_vote(predicted, trial);
  std::map<Index, Index> label;
  for (std::size_t i = 0; i < trial.size(); ++i) {
    auto [it, inserted] = label.emplace(trial[i], truth[i]);
    if (!inserted && it->second != truth[i])
      throw value_error(canon::detail::message("trial_accuracy: trial ", trial[i],
                                               " has segments labelled ", it->second, " and ",
                                               truth[i], "; a trial must have one label"));
  }
  std::size_t hits = 0;
  for (const auto& [t, v] : vote) hits += v == label[t] ? 1 : 0;
  return double(hits) / double(vote.size());
}

namespace detail {
template <class A, class B>
void check_pair(const Eigen::MatrixBase<A>& a, const Eigen::MatrixBase<B>& b, const char* where,
                Index minimum) {
  if (a.size() != b.size())
    throw shape_error(canon::detail::message(where, ": predictions (", a.size(),
                                             " values) and targets (", b.size(),
                                             " values) must have the same size"));
  if (a.size() < minimum)
    throw value_error(canon::detail::message(where, ": needs at least ", minimum,
                                             " values, got ", a.size()));
}
}  // namespace detail

/// Root mean squared error sqrt(mean((p - y)^2)) over all entries.
template <class A, class B>
double rmse(const Eigen::MatrixBase<A>& predicted, const Eigen::MatrixBase<B>& target) {
  detail::check_pair(predicted, target, "rmse", 1);
  double sum = 0.0;
  for (Index i = 0; i < target.size(); ++i) {
    const double d = double(predicted.derived().coeff(i)) - double(target.derived().coeff(i));
    sum += d * d;
  }
  return std::sqrt(sum / double(target.size()));
}

/// Coefficient of determination R^2 = 1 - sum (y - p)^2 / sum (y - mean y)^2.
/// Throws when the target is constant (the denominator is zero).
template <class A, class B>
double r_squared(const Eigen::MatrixBase<A>& predicted, const Eigen::MatrixBase<B>& target) {
  detail::check_pair(predicted, target, "r_squared", 2);
  double mean = 0.0;
  for (Index i = 0; i < target.size(); ++i) mean += double(target.derived().coeff(i));
  mean /= double(target.size());
  double ss_res = 0.0, ss_tot = 0.0;
  for (Index i = 0; i < target.size(); ++i) {
    const double y = double(target.derived().coeff(i));
    const double d = y - double(predicted.derived().coeff(i));
    ss_res += d * d;
    ss_tot += (y - mean) * (y - mean);
  }
  if (!(ss_tot > 0.0)) throw value_error("r_squared: the target is constant; R^2 is undefined");
  return 1.0 - ss_res / ss_tot;
}

/// Pearson correlation, computed from centred values (two-pass) for accuracy.
/// Throws when either input is constant.
template <class A, class B>
double pearson(const Eigen::MatrixBase<A>& x, const Eigen::MatrixBase<B>& y) {
  detail::check_pair(x, y, "pearson", 2);
  const Index n = x.size();
  double mx = 0.0, my = 0.0;
  for (Index i = 0; i < n; ++i) {
    mx += double(x.derived().coeff(i));
    my += double(y.derived().coeff(i));
  }
  mx /= double(n);
  my /= double(n);
  double sxy = 0.0, sxx = 0.0, syy = 0.0;
  for (Index i = 0; i < n; ++i) {
    const double a = double(x.derived().coeff(i)) - mx, b = double(y.derived().coeff(i)) - my;
    sxy += a * b;
    sxx += a * a;
    syy += b * b;
  }
  if (!(sxx > 0.0) || !(syy > 0.0))
    throw value_error("pearson: an input is constant; the correlation is undefined");
  return sxy / std::sqrt(sxx * syy);
}

}  // namespace canon::eval
