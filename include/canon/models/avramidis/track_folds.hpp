// canon/models/avramidis/track_folds.hpp — the paper's folds: whole tracks, stratified by
// the track's label, and a validation set carved from each fold's training tracks.
//
// Fold f tests its tracks (group_k_fold over tracks, so 34 tracks give 7, 7, 7, 7, 6);
// from the others, `validation_fraction` of each class (rounded) goes to validation for
// early stopping, and the rest is fitted. The folds come from Rng(seed), the carve of fold
// f from Rng(seed + 100 + f): the music-only experiment and the joint protocol with the
// same seed split the same tracks the same way.
#pragma once

#include <algorithm>
#include <cmath>
#include <map>
#include <utility>
#include <vector>

#include "canon/core/rng.hpp"
#include "canon/eval/cross_validation.hpp"

namespace canon::avramidis {

struct TrackFold {
  std::vector<int> fit, validation, test;  ///< track ids
};

namespace detail {

/// Training tracks split into {fit, validation}, `fraction` of each class to validation.
inline std::pair<std::vector<int>, std::vector<int>> carve_validation(const std::vector<int>& tracks,
                                                                      const std::map<int, int>& label_of,
                                                                      double fraction, Rng& rng) {
  std::map<int, std::vector<int>> by_label;
  for (int t : tracks) by_label[label_of.at(t)].push_back(t);
  std::vector<int> fit, validation;
  for (auto& [label, members] : by_label) {
    rng.shuffle(members);
    const std::size_t held = std::size_t(std::llround(fraction * double(members.size())));
    validation.insert(validation.end(), members.begin(), members.begin() + long(held));
    fit.insert(fit.end(), members.begin() + long(held), members.end());
  }
  return {fit, validation};
}

}  // namespace detail

/// track_of[j] and label[j] (0/1) per sample; every sample of a track must share its label
/// (`what` names the samples in the message: "windows", "EEG segments").
inline std::vector<TrackFold> track_folds(const std::vector<int>& track_of, const std::vector<Index>& label, int folds,
                                          double validation_fraction, std::uint64_t seed, const char* where,
                                          const char* what) {
  if (label.size() != track_of.size())
    throw shape_error(canon::detail::message(where, ": ", track_of.size(), " track ids but ", label.size(), " labels"));
  canon::detail::require_in_range(validation_fraction, 0.0, 0.9, where, "validation_fraction");
  std::map<int, int> label_of_track;
  for (std::size_t j = 0; j < track_of.size(); ++j) {
    const Index l = label[j];
    if (l != 0 && l != 1)
      throw value_error(canon::detail::message(where, ": sample ", j, " has label ", l, "; expected 0 or 1"));
    const auto [it, inserted] = label_of_track.emplace(track_of[j], int(l));
    if (!inserted && it->second != int(l))
      throw value_error(canon::detail::message(where, ": track ", track_of[j], " has ", what,
                                               " of both labels; a track has one label"));
  }
  Rng fold_rng(seed);
  const auto split = eval::group_k_fold(track_of, folds, fold_rng, label_of_track);
  std::vector<TrackFold> out;
  for (int f = 0; f < folds; ++f) {
    TrackFold fold;
    for (Index j : split[std::size_t(f)].test)
      if (std::find(fold.test.begin(), fold.test.end(), track_of[std::size_t(j)]) == fold.test.end())
        fold.test.push_back(track_of[std::size_t(j)]);
    std::vector<int> training;
    for (const auto& [t, l] : label_of_track)
      if (std::find(fold.test.begin(), fold.test.end(), t) == fold.test.end()) training.push_back(t);
    Rng carve_rng(seed + 100 + std::uint64_t(f));
    std::tie(fold.fit, fold.validation) = detail::carve_validation(training, label_of_track, validation_fraction, carve_rng);
    out.push_back(std::move(fold));
  }
  return out;
}

}  // namespace canon::avramidis
