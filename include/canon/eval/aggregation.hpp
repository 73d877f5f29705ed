// canon/eval/aggregation.hpp — pooling per-chunk results into per-item results.
//
// Raposo et al. 2017 embed a song as the mean of the embeddings of its 1.5 s chunks:
//   e_song = 1/|C| sum_{c in C(song)} e_c
// group_means does this for any grouping (songs, trials, subjects).
#pragma once

#include <map>
#include <vector>

#include "canon/core/checks.hpp"

namespace canon::eval {

template <class Scalar>
struct GroupedMatrix {
  Matrix<Scalar> values;    // one column per group
  std::vector<int> groups;  // the group of each column, in increasing order
  std::vector<Index> sizes; // how many columns of the input each group averaged
};

/// Column means per group: `columns` is features x samples, groups[j] the group of
/// column j. Groups come out sorted by their id.
template <class Scalar>
GroupedMatrix<Scalar> group_means(const Matrix<Scalar>& columns, const std::vector<int>& groups) {
  if (Index(groups.size()) != columns.cols())
    throw shape_error(canon::detail::message("group_means: ", groups.size(), " group ids for ",
                                             columns.cols(), " columns; expected one per column"));
  canon::detail::require_batch(columns, 1, "group_means");
  std::map<int, Index> position;
  for (const int g : groups) position.emplace(g, 0);
  GroupedMatrix<Scalar> out;
  for (auto& [group, index] : position) {
    index = Index(out.groups.size());
    out.groups.push_back(group);
  }
  out.values = Matrix<Scalar>::Zero(columns.rows(), Index(out.groups.size()));
  out.sizes.assign(out.groups.size(), 0);
  for (Index j = 0; j < columns.cols(); ++j) {
    const Index k = position[groups[std::size_t(j)]];
    out.values.col(k) += columns.col(j);
    ++out.sizes[std::size_t(k)];
  }
  for (std::size_t k = 0; k < out.groups.size(); ++k)
    out.values.col(Index(k)) /= Scalar(out.sizes[k]);
  return out;
}

}  // namespace canon::eval
