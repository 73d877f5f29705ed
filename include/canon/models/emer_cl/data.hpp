// canon/models/emer_cl/data.hpp — paired music and emotion sequences, one column per
// song, in the sequence layout of docs/layer-contract.md (features fastest, then steps):
// music frames (F_m features x T_m frames; VGGish: 128 per 0.96 s) and the emotion
// sequence ((arousal, valence) x T_e steps at 2 Hz), each with per-song lengths. Songs
// shorter than the longest are zero-padded; the lengths tell the encoders where each
// song ends, so the padding never matters (PMEmo's choruses vary in length).
#pragma once

#include <algorithm>
#include <cmath>
#include <map>
#include <string>
#include <utility>
#include <vector>

#include "canon/core/checks.hpp"

namespace canon::emer_cl {

template <class Scalar>
struct PairSet {
  Matrix<Scalar> music;               ///< (music_features * T_m) x N
  Index music_features = 0;
  std::vector<Index> music_lengths;   ///< frames per song (empty: all T_m)
  Matrix<Scalar> emotion;             ///< (2 * T_e) x N: arousal, valence per step
  std::vector<Index> emotion_lengths; ///< steps per song (empty: all T_e)
  std::vector<std::string> ids;       ///< per song (optional)

  Index size() const { return music.cols(); }

  /// Throws unless the parts agree (columns, lengths, feature counts).
  void validate(const char* where) const {
    if (music_features < 1 || music.rows() % music_features != 0)
      throw shape_error(canon::detail::message(where, ": music has ", music.rows(),
                                               " rows, not a multiple of music_features = ",
                                               music_features));
    if (emotion.rows() % 2 != 0)
      throw shape_error(canon::detail::message(where, ": emotion has ", emotion.rows(),
                                               " rows; expected 2 per step (arousal, valence)"));
    if (emotion.cols() != music.cols())
      throw shape_error(canon::detail::message(where, ": ", music.cols(), " music and ", emotion.cols(),
                                               " emotion columns; they must be paired"));
    auto check_lengths = [&](const std::vector<Index>& lengths, Index steps, const char* what) {
      if (lengths.empty()) return;
      if (Index(lengths.size()) != music.cols())
        throw shape_error(canon::detail::message(where, ": ", lengths.size(), " ", what, " lengths for ",
                                                 music.cols(), " songs"));
      for (std::size_t j = 0; j < lengths.size(); ++j)
        if (lengths[j] < 1 || lengths[j] > steps)
          throw value_error(canon::detail::message(where, ": song ", j, " has ", what, " length ",
                                                   lengths[j], "; expected [1, ", steps, "]"));
    };
    check_lengths(music_lengths, music.rows() / music_features, "music");
    check_lengths(emotion_lengths, emotion.rows() / 2, "emotion");
    if (!ids.empty() && Index(ids.size()) != music.cols())
      throw shape_error(canon::detail::message(where, ": ", ids.size(), " ids for ", music.cols(), " songs"));
    canon::detail::require_finite(music, where, "music features");
    canon::detail::require_finite(emotion, where, "emotion sequences");
  }

  /// The songs at `indices`, in that order.
  PairSet subset(const std::vector<Index>& indices) const {
    PairSet out;
    out.music_features = music_features;
    out.music.resize(music.rows(), Index(indices.size()));
    out.emotion.resize(emotion.rows(), Index(indices.size()));
    for (std::size_t k = 0; k < indices.size(); ++k) {
      const Index j = indices[k];
      if (j < 0 || j >= size())
        throw value_error(canon::detail::message("emer_cl::PairSet::subset: index ", j,
                                                 " outside [0, ", size(), ")"));
      out.music.col(Index(k)) = music.col(j);
      out.emotion.col(Index(k)) = emotion.col(j);
      if (!music_lengths.empty()) out.music_lengths.push_back(music_lengths[std::size_t(j)]);
      if (!emotion_lengths.empty()) out.emotion_lengths.push_back(emotion_lengths[std::size_t(j)]);
      if (!ids.empty()) out.ids.push_back(ids[std::size_t(j)]);
    }
    return out;
  }

  /// Mean (arousal, valence) over each song's own steps: 2 x N.
  Matrix<Scalar> mean_emotion() const {
    Matrix<Scalar> out(2, size());
    const Index steps = emotion.rows() / 2;
    for (Index j = 0; j < size(); ++j) {
      const Index len = emotion_lengths.empty() ? steps : emotion_lengths[std::size_t(j)];
      out.col(j) = Eigen::Map<const Matrix<Scalar>>(emotion.col(j).data(), 2, len).rowwise().mean();
    }
    return out;
  }
};

/// One song's emotion sequence as read from an annotation file: (arousal, valence) every
/// `step` seconds from `start` (seconds of the song). Values keep the file's scale: DEAM
/// in [-1, 1], PMEmo and DEAM rewritten in PMEmo's layout in [0, 1].
struct SongEmotion {
  std::string id;
  double start = 0;
  double step = 0.5;
  std::vector<double> arousal, valence;

  Index steps() const { return Index(arousal.size()); }
  double seconds() const { return double(arousal.size()) * step; }
};

/// One song's music frames (features x frames, one column per frame, `hop` seconds apart).
struct SongMusic {
  std::string id;
  Matrix<double> frames;
  double hop = 0.96;  ///< seconds between frames (0.96 for canon's default and VGGish)

  double seconds() const { return double(frames.cols()) * hop; }
};

/// How make_pair_set treats songs that cannot be paired.
struct PairingOptions {
  /// false: a song with emotion but no music (or music but no emotion) throws, naming
  /// it; true: it is left out and listed in PairingReport::dropped with the reason.
  bool drop_unmatched = false;
  /// Music and emotion of one song must span the same time to within this many seconds
  /// (a song whose features cover the whole track while its emotion was cut to 15-45 s,
  /// or features of another song, shows here); <= 0 turns the check off. A mismatch
  /// always throws: it is a mistake in the inputs, not a property of a song.
  double max_duration_gap_s = 2.0;
};

struct PairingReport {
  std::vector<std::string> dropped;  ///< "<id>: <reason>", in input order
};

/// Pairs emotion sequences with music frames by song id, in the order of `emotions`.
/// Throws on duplicate ids on either side, on a song whose parts do not match (feature
/// count, duration; see PairingOptions), on NaN/Inf, and on unmatched songs unless
/// `drop_unmatched`. Lengths are each song's own; shorter songs are zero-padded.
template <class Scalar>
PairSet<Scalar> make_pair_set(const std::vector<SongEmotion>& emotions, const std::vector<SongMusic>& music,
                              const PairingOptions& options = {}, PairingReport* report = nullptr) {
  const char* where = "emer_cl::make_pair_set";
  std::map<std::string, std::size_t> music_of;
  for (std::size_t i = 0; i < music.size(); ++i)
    if (!music_of.emplace(music[i].id, i).second)
      throw value_error(canon::detail::message(where, ": song '", music[i].id, "' has music twice (entries ",
                                               music_of[music[i].id], " and ", i, ")"));
  std::map<std::string, std::size_t> emotion_of;
  for (std::size_t i = 0; i < emotions.size(); ++i)
    if (!emotion_of.emplace(emotions[i].id, i).second)
      throw value_error(canon::detail::message(where, ": song '", emotions[i].id, "' has two emotion sequences (entries ",
                                               emotion_of[emotions[i].id], " and ", i, ")"));
  std::vector<std::string> dropped;
  auto unmatched = [&](const std::string& id, const char* reason) {
    if (!options.drop_unmatched)
      throw value_error(canon::detail::message(where, ": song '", id, "' ", reason,
                                               " (set PairingOptions::drop_unmatched to leave such songs out)"));
    dropped.push_back(id + ": " + reason);
  };
  std::vector<std::pair<std::size_t, std::size_t>> pairs;  // (emotion, music)
  for (std::size_t e = 0; e < emotions.size(); ++e) {
    const auto m = music_of.find(emotions[e].id);
    if (m == music_of.end()) {
      unmatched(emotions[e].id, "has an emotion sequence but no music");
      continue;
    }
    pairs.emplace_back(e, m->second);
  }
  for (const auto& m : music)
    if (emotion_of.count(m.id) == 0) unmatched(m.id, "has music but no emotion sequence");
  if (pairs.empty()) throw value_error(canon::detail::message(where, ": no song has both music and emotion"));
  const Index features = music[pairs[0].second].frames.rows();
  Index t_m = 0, t_e = 0;
  for (const auto& [e, m] : pairs) {
    const SongEmotion& em = emotions[e];
    const SongMusic& mu = music[m];
    if (mu.frames.rows() != features || mu.frames.cols() < 1)
      throw shape_error(canon::detail::message(where, ": song '", mu.id, "' has ", mu.frames.rows(), " x ",
                                               mu.frames.cols(), " music frames; expected ", features,
                                               " features (as song '", music[pairs[0].second].id,
                                               "') and at least one frame"));
    if (em.arousal.size() != em.valence.size() || em.arousal.empty())
      throw value_error(canon::detail::message(where, ": song '", em.id, "' has ", em.arousal.size(), " arousal and ",
                                               em.valence.size(), " valence values; expected as many, at least one"));
    if (!mu.frames.allFinite())
      throw value_error(canon::detail::message(where, ": song '", mu.id, "' has NaN or Inf music features"));
    for (std::size_t t = 0; t < em.arousal.size(); ++t)
      if (!std::isfinite(em.arousal[t]) || !std::isfinite(em.valence[t]))
        throw value_error(canon::detail::message(where, ": song '", em.id, "' step ", t, " (", em.start + double(t) * em.step,
                                                 " s) is not finite"));
    if (options.max_duration_gap_s > 0 && std::abs(mu.seconds() - em.seconds()) > options.max_duration_gap_s)
      throw value_error(canon::detail::message(where, ": song '", em.id, "' has ", mu.seconds(), " s of music (",
                                               mu.frames.cols(), " frames of ", mu.hop, " s) but ", em.seconds(),
                                               " s of emotion (", em.steps(), " steps of ", em.step,
                                               " s); cut both to the same window, or raise max_duration_gap_s"));
    t_m = std::max(t_m, mu.frames.cols());
    t_e = std::max(t_e, em.steps());
  }
  PairSet<Scalar> out;
  out.music_features = features;
  out.music.setZero(features * t_m, Index(pairs.size()));
  out.emotion.setZero(2 * t_e, Index(pairs.size()));
  for (std::size_t j = 0; j < pairs.size(); ++j) {
    const SongEmotion& em = emotions[pairs[j].first];
    const SongMusic& mu = music[pairs[j].second];
    out.music.col(Index(j)).head(mu.frames.size()) =
        Eigen::Map<const Vector<double>>(mu.frames.data(), mu.frames.size()).template cast<Scalar>();
    for (Index t = 0; t < em.steps(); ++t) {
      out.emotion(2 * t, Index(j)) = Scalar(em.arousal[std::size_t(t)]);
      out.emotion(2 * t + 1, Index(j)) = Scalar(em.valence[std::size_t(t)]);
    }
    out.music_lengths.push_back(mu.frames.cols());
    out.emotion_lengths.push_back(em.steps());
    out.ids.push_back(em.id);
  }
  if (report) report->dropped = std::move(dropped);
  out.validate(where);
  return out;
}

}  // namespace canon::emer_cl
