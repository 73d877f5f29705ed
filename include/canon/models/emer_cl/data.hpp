// canon/models/emer_cl/data.hpp — paired music and emotion sequences, one column per
// song, in the sequence layout of docs/layer-contract.md (features fastest, then steps):
// music frames (F_m features x T_m frames; VGGish: 128 per 0.96 s) and the emotion
// sequence ((arousal, valence) x T_e steps at 2 Hz), each with per-song lengths. Songs
// shorter than the longest are zero-padded; the lengths tell the encoders where each
// song ends, so the padding never matters (PMEmo's choruses vary in length).
#pragma once

#include <string>
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

}  // namespace canon::emer_cl
