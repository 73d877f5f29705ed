// canon/eval/cross_modal.hpp — how well two embeddings of the same items agree: paired
// retrieval in both directions and the correlation of each embedded dimension.
//
// Input: a (k x n) and b (k x n), column j of both embedding item j (a held-out chunk's
// audio and its EEG, a song's audio and its lyrics). Scores are cosine similarities,
// so S = cos(a, b) is n x n and query j's paired candidate is j.
//   a -> b: rows of S rank the b items for every a query; b -> a: rows of S^T.
//   per component i: rho_i = pearson(a_i., b_i.)   (held-out canonical correlation)
//   total correlation = sum_i rho_i                  (the trace-norm objective's value)
// Chance: a random ranking gives MRR H_n / n and median rank (n + 1) / 2.
#pragma once

#include <vector>

#include "canon/eval/classification.hpp"
#include "canon/eval/retrieval.hpp"

namespace canon::eval {

/// Paired retrieval in one direction.
struct RetrievalScores {
  double mrr = 0.0;
  double median_rank = 0.0;
  double average_rank = 0.0;
  std::vector<Index> ks;        // the cut-offs of `recall`
  std::vector<double> recall;   // recall@k for every k in ks
  std::vector<Index> ranks;     // the paired item's rank for every query
};

struct CrossModalScores {
  Index items = 0;
  RetrievalScores a_to_b, b_to_a;
  double chance_mrr = 0.0;
  double chance_median_rank = 0.0;
  std::vector<double> correlations;  // per embedded dimension, in row order
  double total_correlation = 0.0;    // their sum
};

namespace detail {
inline RetrievalScores retrieval_scores(std::vector<Index> ranks, const std::vector<Index>& ks) {
  RetrievalScores s;
  s.mrr = mean_reciprocal_rank(ranks);
  s.median_rank = median_rank(ranks);
  s.average_rank = average_rank(ranks);
  s.ks = ks;
  for (const Index k : ks) s.recall.push_back(recall_at(ranks, k));
  s.ranks = std::move(ranks);
  return s;
}
}  // namespace detail

/// Retrieval both ways and per-dimension correlations of paired embeddings a, b (k x n).
/// Recall cut-offs larger than n are dropped (recall@k >= n is 1 by definition).
template <class Scalar>
CrossModalScores cross_modal_scores(const Matrix<Scalar>& a, const Matrix<Scalar>& b,
                                    const std::vector<Index>& ks = {1, 5, 10}) {
  const char* where = "cross_modal_scores";
  canon::detail::require_same_shape(a, b, where, "first embedding", "second embedding");
  canon::detail::require_batch(a, 2, where, "retrieval needs at least two items");
  canon::detail::require_finite(a, where, "first embedding");
  canon::detail::require_finite(b, where, "second embedding");
  const Index n = a.cols();
  std::vector<Index> cut_offs;
  for (const Index k : ks)
    if (k < n) cut_offs.push_back(k);
  const Matrix<Scalar> s = cosine_similarity(a, b);
  CrossModalScores out;
  out.items = n;
  out.a_to_b = detail::retrieval_scores(paired_ranks(s), cut_offs);
  out.b_to_a = detail::retrieval_scores(paired_ranks(s.transpose()), cut_offs);
  out.chance_mrr = chance_mrr(n);
  out.chance_median_rank = chance_average_rank(n);  // the median of a uniform rank is (n + 1) / 2
  for (Index i = 0; i < a.rows(); ++i) {
    const double r = pearson(a.row(i), b.row(i));
    out.correlations.push_back(r);
    out.total_correlation += r;
  }
  return out;
}

}  // namespace canon::eval
