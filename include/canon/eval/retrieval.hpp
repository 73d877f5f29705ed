// canon/eval/retrieval.hpp — cross-modal retrieval metrics from a score matrix.
//
// Input: a queries x candidates matrix of scores, row q holding the score of every
// candidate for query q. Scores are similarities (higher = better) unless the caller
// says Score::distance (lower = better). The metrics follow the papers canon
// reproduces (see docs/evaluation.md):
//   Raposo 2017 — instance MRR (only the paired item is relevant), class MRR
//                 (reciprocal rank of the first candidate of the query's class);
//   EMER-CL     — MRR and AR (average rank of the paired item);
//   Avramidis   — P@k and mAP with binary relevance (same binarised label);
//   the usual recall@k and median rank.
//
// Ties. Scores can tie (a collapsed model gives every candidate the same score), and
// the papers sort with argsort, which breaks ties by position — an arbitrary choice
// that can flatter a model. canon ranks deterministically by a documented rule:
//   Ties::pessimistic (default) — every irrelevant candidate that ties with a relevant
//       one is ranked before it, so ties never improve a metric and a constant score
//       matrix gets the worst possible value;
//   Ties::optimistic — relevant candidates go first among ties.
// The two bracket the value any tie-breaking order (including argsort's) can give.
// Without ties both rules give the same numbers.
#pragma once

#include <algorithm>
#include <cmath>
#include <map>
#include <string_view>
#include <vector>

#include "canon/core/checks.hpp"
#include "canon/core/error.hpp"
#include "canon/core/types.hpp"

namespace canon::eval {

/// Whether a larger score means a better match (similarity) or a worse one (distance).
enum class Score { similarity, distance };

/// How ties between a relevant and an irrelevant candidate are ordered (see above).
enum class Ties { pessimistic, optimistic };

namespace detail {

template <class Derived>
void check_scores(const Eigen::MatrixBase<Derived>& scores, std::string_view where) {
  if (scores.rows() < 1 || scores.cols() < 1)
    throw shape_error(canon::detail::message(
        where, ": the score matrix (queries x candidates) must be non-empty, got ",
        canon::detail::shape_of(scores)));
  canon::detail::require_finite(scores, where, "the score matrix");
}

/// True when candidate score a ranks strictly before b.
inline bool better(double a, double b, Score score) {
  return score == Score::similarity ? a > b : a < b;
}

/// 1-based position of the first relevant candidate of one query under the tie rule:
/// 1 + the number of irrelevant candidates ranked before the best relevant one.
template <class Row, class Relevant>
Index first_relevant_rank(const Row& row, const Relevant& relevant, Score score, Ties ties) {
  Index best = -1;
  for (Index c = 0; c < row.size(); ++c)
    if (relevant(c) && (best < 0 || better(double(row(c)), double(row(best)), score)))
      best = c;
  if (best < 0) return 0;  // no relevant candidate; callers turn this into an error
  const double s = double(row(best));
  Index before = 0;
  for (Index c = 0; c < row.size(); ++c) {
    if (relevant(c)) continue;
    const double v = double(row(c));
    if (better(v, s, score) || (ties == Ties::pessimistic && v == s)) ++before;
  }
  return before + 1;
}

/// The candidates of one query in ranked order (best first), ties ordered by the rule
/// and then by candidate index, so the order is fully deterministic.
template <class Row, class Relevant>
std::vector<Index> ranked_order(const Row& row, const Relevant& relevant, Score score,
                                Ties ties) {
  std::vector<Index> order(static_cast<std::size_t>(row.size()));
  for (Index c = 0; c < row.size(); ++c) order[std::size_t(c)] = c;
  std::sort(order.begin(), order.end(), [&](Index a, Index b) {
    const double sa = double(row(a)), sb = double(row(b));
    if (sa != sb) return better(sa, sb, score);
    const bool ra = relevant(a), rb = relevant(b);
    if (ra != rb) return ties == Ties::optimistic ? ra : rb;
    return a < b;
  });
  return order;
}

inline void check_pairs(Index queries, Index candidates, const std::vector<Index>& pairs,
                        std::string_view where) {
  if (Index(pairs.size()) != queries)
    throw shape_error(canon::detail::message(where, ": needs one paired candidate per query (",
                                             queries, "), got ", pairs.size()));
  for (std::size_t q = 0; q < pairs.size(); ++q)
    if (pairs[q] < 0 || pairs[q] >= candidates)
      throw value_error(canon::detail::message(where, ": the paired candidate of query ", q,
                                               " is ", pairs[q], "; expected an index in [0, ",
                                               candidates, ")"));
}

inline std::vector<Index> diagonal_pairs(Index queries, Index candidates, std::string_view where) {
  if (queries != candidates)
    throw shape_error(canon::detail::message(
        where, ": without explicit pairs query q is paired with candidate q, so the score "
               "matrix must be square, got ",
        queries, "x", candidates));
  std::vector<Index> pairs(static_cast<std::size_t>(queries));
  for (Index q = 0; q < queries; ++q) pairs[std::size_t(q)] = q;
  return pairs;
}

inline void check_labels(const std::vector<Index>& labels, Index expected, std::string_view where,
                         std::string_view what) {
  if (Index(labels.size()) != expected)
    throw shape_error(canon::detail::message(where, ": needs one label per ", what, " (",
                                             expected, "), got ", labels.size()));
}

}  // namespace detail

/// The 1-based rank of each query's paired candidate (instance relevance: only the
/// paired item counts). `pairs[q]` is the candidate paired with query q.
template <class Derived>
std::vector<Index> paired_ranks(const Eigen::MatrixBase<Derived>& scores,
                                const std::vector<Index>& pairs, Score score = Score::similarity,
                                Ties ties = Ties::pessimistic) {
  detail::check_scores(scores, "paired_ranks");
  detail::check_pairs(scores.rows(), scores.cols(), pairs, "paired_ranks");
  std::vector<Index> ranks(pairs.size());
  for (Index q = 0; q < scores.rows(); ++q) {
    const Index p = pairs[std::size_t(q)];
    ranks[std::size_t(q)] = detail::first_relevant_rank(
        scores.row(q), [p](Index c) { return c == p; }, score, ties);
  }
  return ranks;
}

/// Square score matrix: query q is paired with candidate q.
template <class Derived>
std::vector<Index> paired_ranks(const Eigen::MatrixBase<Derived>& scores,
                                Score score = Score::similarity, Ties ties = Ties::pessimistic) {
  return paired_ranks(scores, detail::diagonal_pairs(scores.rows(), scores.cols(), "paired_ranks"),
                      score, ties);
}

/// The 1-based rank of the first candidate whose class equals the query's class.
/// Throws value_error when a query's class has no candidate.
template <class Derived>
std::vector<Index> class_ranks(const Eigen::MatrixBase<Derived>& scores,
                               const std::vector<Index>& query_classes,
                               const std::vector<Index>& candidate_classes,
                               Score score = Score::similarity, Ties ties = Ties::pessimistic) {
  detail::check_scores(scores, "class_ranks");
  detail::check_labels(query_classes, scores.rows(), "class_ranks", "query");
  detail::check_labels(candidate_classes, scores.cols(), "class_ranks", "candidate");
  std::vector<Index> ranks(query_classes.size());
  for (Index q = 0; q < scores.rows(); ++q) {
    const Index k = query_classes[std::size_t(q)];
    const Index r = detail::first_relevant_rank(
        scores.row(q), [&](Index c) { return candidate_classes[std::size_t(c)] == k; }, score,
        ties);
    if (r == 0)
      throw value_error(canon::detail::message("class_ranks: query ", q, " has class ", k,
                                               " but no candidate has it; its rank is undefined"));
    ranks[std::size_t(q)] = r;
  }
  return ranks;
}

/// Mean reciprocal rank, (1/Q) sum_q 1/rank_q.
inline double mean_reciprocal_rank(const std::vector<Index>& ranks) {
  if (ranks.empty()) throw value_error("mean_reciprocal_rank: no ranks given");
  double sum = 0.0;
  for (Index r : ranks) {
    if (r < 1)
      throw value_error(canon::detail::message("mean_reciprocal_rank: ranks are 1-based, got ", r));
    sum += 1.0 / double(r);
  }
  return sum / double(ranks.size());
}

/// Average rank (AR, EMER-CL): (1/Q) sum_q rank_q.
inline double average_rank(const std::vector<Index>& ranks) {
  if (ranks.empty()) throw value_error("average_rank: no ranks given");
  double sum = 0.0;
  for (Index r : ranks) sum += double(r);
  return sum / double(ranks.size());
}

/// Median rank; for an even number of queries the mean of the two middle ranks.
inline double median_rank(std::vector<Index> ranks) {
  if (ranks.empty()) throw value_error("median_rank: no ranks given");
  std::sort(ranks.begin(), ranks.end());
  const std::size_t n = ranks.size();
  return n % 2 == 1 ? double(ranks[n / 2]) : 0.5 * double(ranks[n / 2 - 1] + ranks[n / 2]);
}

/// Recall@k: the share of queries whose paired item is among the first k.
inline double recall_at(const std::vector<Index>& ranks, Index k) {
  if (ranks.empty()) throw value_error("recall_at: no ranks given");
  if (k < 1) throw value_error(canon::detail::message("recall_at: k must be >= 1, got ", k));
  Index hits = 0;
  for (Index r : ranks) hits += r <= k ? 1 : 0;
  return double(hits) / double(ranks.size());
}

/// Instance MRR of a square score matrix (query q paired with candidate q).
template <class Derived>
double instance_mrr(const Eigen::MatrixBase<Derived>& scores, Score score = Score::similarity,
                    Ties ties = Ties::pessimistic) {
  return mean_reciprocal_rank(paired_ranks(scores, score, ties));
}

/// Class MRR: reciprocal rank of the first candidate of the query's class, averaged.
template <class Derived>
double class_mrr(const Eigen::MatrixBase<Derived>& scores, const std::vector<Index>& query_classes,
                 const std::vector<Index>& candidate_classes, Score score = Score::similarity,
                 Ties ties = Ties::pessimistic) {
  return mean_reciprocal_rank(class_ranks(scores, query_classes, candidate_classes, score, ties));
}

/// Binary relevance of candidate c for query q: relevant[q][c] != 0, given as a
/// queries x candidates matrix of 0/1. `relevance_by_label` builds it from labels.
using Relevance = Eigen::Matrix<unsigned char, Eigen::Dynamic, Eigen::Dynamic>;

inline Relevance relevance_by_label(const std::vector<Index>& query_labels,
                                    const std::vector<Index>& candidate_labels) {
  Relevance rel(Index(query_labels.size()), Index(candidate_labels.size()));
  for (Index q = 0; q < rel.rows(); ++q)
    for (Index c = 0; c < rel.cols(); ++c)
      rel(q, c) = query_labels[std::size_t(q)] == candidate_labels[std::size_t(c)] ? 1 : 0;
  return rel;
}

/// Precision@k per query: (number of relevant among the first k) / k.
template <class Derived>
std::vector<double> precision_at(const Eigen::MatrixBase<Derived>& scores, const Relevance& rel,
                                 Index k, Score score = Score::similarity,
                                 Ties ties = Ties::pessimistic) {
  detail::check_scores(scores, "precision_at");
  canon::detail::require_same_shape(scores, rel, "precision_at", "the score matrix",
                                    "the relevance matrix");
  if (k < 1 || k > scores.cols())
    throw value_error(canon::detail::message("precision_at: k must lie in [1, ", scores.cols(),
                                             "] (the number of candidates), got ", k));
  std::vector<double> out(std::size_t(scores.rows()));
  for (Index q = 0; q < scores.rows(); ++q) {
    auto is_rel = [&](Index c) { return rel(q, c) != 0; };
    const auto order = detail::ranked_order(scores.row(q), is_rel, score, ties);
    Index hits = 0;
    for (Index i = 0; i < k; ++i) hits += is_rel(order[std::size_t(i)]) ? 1 : 0;
    out[std::size_t(q)] = double(hits) / double(k);
  }
  return out;
}

/// Average precision per query: AP = (1/R) sum_{i: item i relevant} P@i, R the number
/// of relevant candidates. A query with no relevant candidate has no defined AP and
/// throws value_error naming it (drop such queries before calling).
template <class Derived>
std::vector<double> average_precision(const Eigen::MatrixBase<Derived>& scores,
                                      const Relevance& rel, Score score = Score::similarity,
                                      Ties ties = Ties::pessimistic) {
  detail::check_scores(scores, "average_precision");
  canon::detail::require_same_shape(scores, rel, "average_precision", "the score matrix",
                                    "the relevance matrix");
  std::vector<double> out(std::size_t(scores.rows()));
  for (Index q = 0; q < scores.rows(); ++q) {
    auto is_rel = [&](Index c) { return rel(q, c) != 0; };
    const auto order = detail::ranked_order(scores.row(q), is_rel, score, ties);
    Index hits = 0;
    double sum = 0.0;
    for (Index i = 0; i < Index(order.size()); ++i)
      if (is_rel(order[std::size_t(i)])) sum += double(++hits) / double(i + 1);
    if (hits == 0)
      throw value_error(canon::detail::message(
          "average_precision: query ", q, " has no relevant candidate; AP is undefined"));
    out[std::size_t(q)] = sum / double(hits);
  }
  return out;
}

/// The Avramidis 2022 authors' "P@10" (their released test code): average precision
/// over the first k results, normalised by the relevant items found *within* those k,
///   AP@k_hits = (1 / h_k) sum_{i <= k: item i relevant} P@i,   h_k = relevant in the top k,
/// and 0 when none of the first k is relevant. It is not precision at k (precision_at),
/// and not the usual AP@k (normalised by min(R, k)): one relevant item at rank 1 scores
/// 1 whatever the other nine are. canon reports it under this name beside the true P@k.
template <class Derived>
std::vector<double> hit_normalised_average_precision_at(const Eigen::MatrixBase<Derived>& scores,
                                                        const Relevance& rel, Index k,
                                                        Score score = Score::similarity,
                                                        Ties ties = Ties::pessimistic) {
  const char* where = "hit_normalised_average_precision_at";
  detail::check_scores(scores, where);
  canon::detail::require_same_shape(scores, rel, where, "the score matrix", "the relevance matrix");
  if (k < 1 || k > scores.cols())
    throw value_error(canon::detail::message(where, ": k must lie in [1, ", scores.cols(),
                                             "] (the number of candidates), got ", k));
  std::vector<double> out(std::size_t(scores.rows()));
  for (Index q = 0; q < scores.rows(); ++q) {
    auto is_rel = [&](Index c) { return rel(q, c) != 0; };
    const auto order = detail::ranked_order(scores.row(q), is_rel, score, ties);
    Index hits = 0;
    double sum = 0.0;
    for (Index i = 0; i < k; ++i)
      if (is_rel(order[std::size_t(i)])) sum += double(++hits) / double(i + 1);
    out[std::size_t(q)] = hits == 0 ? 0.0 : sum / double(hits);
  }
  return out;
}

/// Mean of a per-query metric (mAP = mean of average_precision, mean P@k).
inline double mean_of(const std::vector<double>& values) {
  if (values.empty()) throw value_error("mean_of: no values given");
  double sum = 0.0;
  for (double v : values) sum += v;
  return sum / double(values.size());
}

/// Cosine similarity of every column of a (d x Q) with every column of b (d x C):
/// S(q, c) = <a_q, b_c> / (|a_q| |b_c|). A zero column has no direction and throws.
template <class A, class B>
Matrix<typename A::Scalar> cosine_similarity(const Eigen::MatrixBase<A>& a,
                                             const Eigen::MatrixBase<B>& b) {
  using S = typename A::Scalar;
  if (a.rows() != b.rows())
    throw shape_error(canon::detail::message(
        "cosine_similarity: queries and candidates must have the same dimension (rows), got ",
        canon::detail::shape_of(a), " and ", canon::detail::shape_of(b)));
  canon::detail::require_finite(a, "cosine_similarity", "the queries");
  canon::detail::require_finite(b, "cosine_similarity", "the candidates");
  Vector<S> na = a.colwise().norm().transpose(), nb = b.colwise().norm().transpose();
  for (Index i = 0; i < na.size(); ++i)
    if (!(na(i) > S(0)))
      throw value_error(canon::detail::message("cosine_similarity: query column ", i,
                                               " is zero; its direction is undefined"));
  for (Index i = 0; i < nb.size(); ++i)
    if (!(nb(i) > S(0)))
      throw value_error(canon::detail::message("cosine_similarity: candidate column ", i,
                                               " is zero; its direction is undefined"));
  Matrix<S> s = a.transpose() * b;
  s.array().colwise() /= na.array();
  s.array().rowwise() /= nb.transpose().array();
  return s;
}

/// Euclidean distance of every column of a (d x Q) to every column of b (d x C),
/// computed from the differences (not |a|^2 + |b|^2 - 2ab, which cancels
/// catastrophically for near neighbours). Use with Score::distance.
template <class A, class B>
Matrix<typename A::Scalar> euclidean_distance(const Eigen::MatrixBase<A>& a,
                                              const Eigen::MatrixBase<B>& b) {
  using S = typename A::Scalar;
  if (a.rows() != b.rows())
    throw shape_error(canon::detail::message(
        "euclidean_distance: queries and candidates must have the same dimension (rows), got ",
        canon::detail::shape_of(a), " and ", canon::detail::shape_of(b)));
  Matrix<S> d(a.cols(), b.cols());
  for (Index c = 0; c < b.cols(); ++c)
    for (Index q = 0; q < a.cols(); ++q) d(q, c) = (a.col(q) - b.col(c)).norm();
  return d;
}

/// Aggregates segment-level scores to trial level (Avramidis 2022 rank tracks for an EEG
/// trial by the median of its segment distances): entry (g, h) of the result is the
/// median of S(q, c) over queries q of group g and candidates c of group h (for an even
/// count, the mean of the two middle values). Groups are numbered 0..G-1 and every
/// number must occur.
template <class Derived>
Matrix<typename Derived::Scalar> group_median(const Eigen::MatrixBase<Derived>& scores,
                                              const std::vector<Index>& query_group,
                                              const std::vector<Index>& candidate_group) {
  using S = typename Derived::Scalar;
  detail::check_scores(scores, "group_median");
  detail::check_labels(query_group, scores.rows(), "group_median", "query");
  detail::check_labels(candidate_group, scores.cols(), "group_median", "candidate");
  auto count = [](const std::vector<Index>& g, const char* what) {
    Index n = 0;
    for (Index v : g) {
      if (v < 0)
        throw value_error(canon::detail::message("group_median: ", what,
                                                 " groups must be >= 0, got ", v));
      n = std::max(n, v + 1);
    }
    std::vector<char> seen(std::size_t(n), 0);
    for (Index v : g) seen[std::size_t(v)] = 1;
    for (Index v = 0; v < n; ++v)
      if (!seen[std::size_t(v)])
        throw value_error(canon::detail::message("group_median: ", what, " group ", v,
                                                 " is empty; groups must be numbered 0..G-1"));
    return n;
  };
  const Index gq = count(query_group, "query"), gc = count(candidate_group, "candidate");
  std::vector<std::vector<double>> cells(std::size_t(gq * gc));
  for (Index c = 0; c < scores.cols(); ++c)
    for (Index q = 0; q < scores.rows(); ++q)
      cells[std::size_t(query_group[std::size_t(q)] * gc + candidate_group[std::size_t(c)])]
          .push_back(double(scores(q, c)));
  Matrix<S> out(gq, gc);
  for (Index g = 0; g < gq; ++g)
    for (Index h = 0; h < gc; ++h) {
      auto& v = cells[std::size_t(g * gc + h)];
      std::sort(v.begin(), v.end());
      const std::size_t n = v.size();
      out(g, h) = S(n % 2 == 1 ? v[n / 2] : 0.5 * (v[n / 2 - 1] + v[n / 2]));
    }
  return out;
}

/// Expected MRR of a uniformly random ranking of n candidates with one relevant item:
/// the item's rank is uniform on 1..n, so E[1/rank] = (1/n) sum_{r=1}^n 1/r = H_n / n.
inline double chance_mrr(Index n) {
  if (n < 1) throw value_error(canon::detail::message("chance_mrr: n must be >= 1, got ", n));
  double h = 0.0;
  for (Index r = n; r >= 1; --r) h += 1.0 / double(r);  // small terms first
  return h / double(n);
}

/// Expected reciprocal rank of the first of `relevant` relevant items among n candidates
/// in a uniformly random ranking (class MRR at chance for a class of that size):
///   P(first relevant at i) = [prod_{j<i-1} (n - relevant - j) / (n - j)] * relevant / (n - i + 1),
///   E[1/rank] = sum_i P(i) / i.     relevant = 1 gives chance_mrr(n).
inline double chance_first_relevant_rr(Index n, Index relevant) {
  if (n < 1 || relevant < 1 || relevant > n)
    throw value_error(canon::detail::message("chance_first_relevant_rr: needs 1 <= relevant <= n, got relevant = ",
                                             relevant, ", n = ", n));
  double none_before = 1.0, expected = 0.0;  // none_before: P(no relevant item in the first i - 1)
  for (Index i = 1; i <= n - relevant + 1; ++i) {
    expected += none_before * double(relevant) / double(n - i + 1) / double(i);
    none_before *= double(n - relevant - (i - 1)) / double(n - (i - 1));
  }
  return expected;
}

/// Class MRR of a uniformly random ranking when the queries and the candidates are the
/// same n items with these classes (so every query has at least one item of its class,
/// its own pair): the mean over items of chance_first_relevant_rr(n, the size of the
/// item's class). Throws value_error for no items.
inline double chance_class_mrr(const std::vector<Index>& classes) {
  if (classes.empty()) throw value_error("chance_class_mrr: no items");
  std::map<Index, Index> count;
  for (Index c : classes) ++count[c];
  double sum = 0.0;
  for (Index c : classes) sum += chance_first_relevant_rr(Index(classes.size()), count[c]);
  return sum / double(classes.size());
}

/// Expected rank of the one relevant item in a random ranking of n: (n + 1) / 2.
inline double chance_average_rank(Index n) {
  if (n < 1)
    throw value_error(canon::detail::message("chance_average_rank: n must be >= 1, got ", n));
  return 0.5 * double(n + 1);
}

}  // namespace canon::eval
