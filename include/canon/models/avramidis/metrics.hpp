// canon/models/avramidis/metrics.hpp — retrieval of music for EEG queries in the common
// space (Avramidis 2022, Section 4.2 and Tables 1-2), computed on one test fold.
//
// Queries: the test EEG segments; candidates: the test music windows (one per test
// segment, so each test track appears `windows` times). Similarity: cosine (the authors'
// cdist(..., "cosine")). Two relevances:
//   label    a candidate is relevant when its music label equals the query's EEG label
//            (the paper's "related track retrieval", its P@10 and mAP);
//   stimulus a candidate is relevant when it is a window of the query's own track
//            ("exact stimulus retrieval").
// Per relevance: true precision at 10 (eval::precision_at), the authors' "P@10"
// (eval::hit_normalised_average_precision_at: AP over the first 10 normalised by the hits
// found there; named `authors_p_at_10`), and mAP over all candidates. A query without
// any relevant candidate (every test track's music label differs from its EEG label) has
// no AP; such queries are left out and counted.
// Trial level: the similarity of an EEG trial and a track is the median of the segment
// similarities over all their pairs (eval::group_median), and tracks are ranked per trial.
// `random` repeats every metric with a random ranking (scores uniform on [0, 1), seeded)
// on the same relevance: the chance level of this very fold.
#pragma once

#include <limits>
#include <map>
#include <vector>

#include "canon/core/rng.hpp"
#include "canon/eval/retrieval.hpp"

namespace canon::avramidis {

struct RetrievalScores {
  double p_at_10 = 0, authors_p_at_10 = 0, map = 0;
};

struct FoldRetrieval {
  RetrievalScores label, stimulus;              ///< segment level
  RetrievalScores label_random, stimulus_random;  ///< the same on a random ranking
  double trial_label_map = 0, trial_stimulus_mrr = 0;  ///< trial level (median of segment similarities)
  Index queries_without_relevant = 0;           ///< left out of the label metrics
  std::vector<double> label_ap_by_step;         ///< mean label AP of the queries of each segment index
};

namespace detail {

inline RetrievalScores retrieval_scores(const Matrix<double>& s, const eval::Relevance& rel) {
  RetrievalScores r;
  const Index k = std::min<Index>(10, s.cols());
  r.p_at_10 = eval::mean_of(eval::precision_at(s, rel, k));
  r.authors_p_at_10 = eval::mean_of(eval::hit_normalised_average_precision_at(s, rel, k));
  r.map = eval::mean_of(eval::average_precision(s, rel));
  return r;
}

/// Rows of s and rel whose relevance row has a relevant candidate.
inline std::vector<Index> answerable(const eval::Relevance& rel) {
  std::vector<Index> rows;
  for (Index q = 0; q < rel.rows(); ++q)
    if ((rel.row(q).array() != 0).any()) rows.push_back(q);
  return rows;
}

}  // namespace detail

/// eeg_common, music_common: common x n (test pairs, column j the same pair); labels 0/1,
/// track and segment index per column.
inline FoldRetrieval retrieve_music(const Matrix<double>& eeg_common, const Matrix<double>& music_common,
                                    const std::vector<Index>& eeg_labels, const std::vector<Index>& music_labels,
                                    const std::vector<int>& track, const std::vector<Index>& segment,
                                    Index windows, std::uint64_t seed) {
  const char* where = "avramidis::retrieve_music";
  const Index n = eeg_common.cols();
  canon::detail::require_same_shape(eeg_common, music_common, where, "EEG points", "music points");
  if (Index(eeg_labels.size()) != n || Index(music_labels.size()) != n || Index(track.size()) != n ||
      Index(segment.size()) != n)
    throw shape_error(canon::detail::message(where, ": ", n, " pairs but ", eeg_labels.size(), " EEG labels, ",
                                             music_labels.size(), " music labels, ", track.size(), " tracks, ",
                                             segment.size(), " segment indices"));
  const double nan = std::numeric_limits<double>::quiet_NaN();
  FoldRetrieval out;
  const Matrix<double> s = eval::cosine_similarity(eeg_common, music_common);
  Rng rng(seed);
  Matrix<double> random(n, n);
  for (Index j = 0; j < n; ++j)
    for (Index i = 0; i < n; ++i) random(i, j) = rng.uniform();

  // Label relevance, without the queries that have nothing to find.
  const eval::Relevance label_rel = eval::relevance_by_label(eeg_labels, music_labels);
  const auto rows = detail::answerable(label_rel);
  out.queries_without_relevant = n - Index(rows.size());
  if (!rows.empty()) {
    Matrix<double> s_rows(Index(rows.size()), n), r_rows(Index(rows.size()), n);
    eval::Relevance rel_rows(Index(rows.size()), n);
    for (std::size_t q = 0; q < rows.size(); ++q) {
      s_rows.row(Index(q)) = s.row(rows[q]);
      r_rows.row(Index(q)) = random.row(rows[q]);
      rel_rows.row(Index(q)) = label_rel.row(rows[q]);
    }
    out.label = detail::retrieval_scores(s_rows, rel_rows);
    out.label_random = detail::retrieval_scores(r_rows, rel_rows);
    const auto ap = eval::average_precision(s_rows, rel_rows);
    std::vector<double> sum(std::size_t(windows), 0.0);
    std::vector<Index> count(std::size_t(windows), 0);
    for (std::size_t q = 0; q < rows.size(); ++q) {
      const Index step = segment[std::size_t(rows[q])];
      if (step < 0 || step >= windows)
        throw value_error(canon::detail::message(where, ": segment index ", step, " outside 0..", windows - 1));
      sum[std::size_t(step)] += ap[q];
      ++count[std::size_t(step)];
    }
    out.label_ap_by_step.resize(std::size_t(windows));
    for (std::size_t w = 0; w < sum.size(); ++w)
      out.label_ap_by_step[w] = count[w] == 0 ? nan : sum[w] / double(count[w]);
  } else {
    out.label = out.label_random = {nan, nan, nan};
    out.label_ap_by_step.assign(std::size_t(windows), nan);
  }

  // Stimulus relevance: every query has its own track's windows.
  std::vector<Index> track_index(track.begin(), track.end());
  const eval::Relevance stimulus_rel = eval::relevance_by_label(track_index, track_index);
  out.stimulus = detail::retrieval_scores(s, stimulus_rel);
  out.stimulus_random = detail::retrieval_scores(random, stimulus_rel);

  // Trial level: groups numbered 0..G-1 in order of first appearance.
  std::map<int, Index> group_of;
  std::vector<Index> group(static_cast<std::size_t>(n));
  for (Index j = 0; j < n; ++j) group[std::size_t(j)] = group_of.emplace(track[std::size_t(j)], Index(group_of.size())).first->second;
  const Matrix<double> trial_s = eval::group_median(s, group, group);
  std::vector<Index> trial_eeg_label(group_of.size()), trial_music_label(group_of.size());
  for (Index j = 0; j < n; ++j) {
    trial_eeg_label[std::size_t(group[std::size_t(j)])] = eeg_labels[std::size_t(j)];
    trial_music_label[std::size_t(group[std::size_t(j)])] = music_labels[std::size_t(j)];
  }
  const eval::Relevance trial_rel = eval::relevance_by_label(trial_eeg_label, trial_music_label);
  const auto trial_rows = detail::answerable(trial_rel);
  if (!trial_rows.empty()) {
    Matrix<double> ts(Index(trial_rows.size()), trial_s.cols());
    eval::Relevance tr(Index(trial_rows.size()), trial_s.cols());
    for (std::size_t q = 0; q < trial_rows.size(); ++q) {
      ts.row(Index(q)) = trial_s.row(trial_rows[q]);
      tr.row(Index(q)) = trial_rel.row(trial_rows[q]);
    }
    out.trial_label_map = eval::mean_of(eval::average_precision(ts, tr));
  } else {
    out.trial_label_map = nan;
  }
  out.trial_stimulus_mrr = eval::instance_mrr(trial_s);
  return out;
}

}  // namespace canon::avramidis
