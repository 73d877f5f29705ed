// canon/models/avramidis/segments.hpp — from a subject's trials and the stimuli's music
// embeddings to the paired 3 s segments the model trains on (Avramidis 2022, Section 3).
//
// Each trial (32 channels x 60 s at 128 Hz, baseline removed) is cut into 3 s windows
// with a 1 s hop (58 segments) and each becomes its differential-entropy features,
// channels x 12 (signal/differential_entropy.hpp; the paper's bands, or the authors'
// released variant with `authors_features`). Segment s of trial t is paired with music
// window s of the trial's track: column track * windows + s of the embeddings, which are
// one column per 3 s window in track order (the layout of the authors' tracks_embeds.npy,
// transposed). Labels: the subject's rating of the trial for the EEG, the track's mean
// rating for the music, binarised as rating > 5 (the paper: "binarised at 5"; 5 itself is
// negative, as the authors' label_encoder).
//
// Needs the canon::signal component (FFTW) for the STFT.
#pragma once

#include <algorithm>
#include <cmath>
#include <vector>

#include "canon/core/checks.hpp"
#include "canon/signal/differential_entropy.hpp"

namespace canon::avramidis {

enum class Affect { valence, arousal };

inline const char* affect_name(Affect a) { return a == Affect::valence ? "valence" : "arousal"; }

/// rating > 5 -> 1.
inline Index binarise(double rating) { return rating > 5.0 ? 1 : 0; }

/// The stimuli: embedding x (tracks * windows), and each track's mean ratings (1-9).
template <class Scalar>
struct MusicTracks {
  Matrix<Scalar> embeddings;
  Index windows = 58;
  std::vector<double> valence, arousal;
  Index tracks() const { return Index(valence.size()); }
};

/// One subject's paired segments, one column each, trials in the order given.
template <class Scalar>
struct SegmentSet {
  Matrix<Scalar> eeg;                 ///< (channels * 12) x n, the 12 DE values fastest
  Matrix<Scalar> music;               ///< embedding x n, the aligned music window
  Matrix<Scalar> eeg_labels, music_labels;  ///< 1 x n of 0/1
  std::vector<int> track;             ///< per column
  std::vector<Index> segment;         ///< 0 .. windows - 1 within the trial
  Index size() const { return eeg.cols(); }
};

struct SegmentOptions {
  Affect affect = Affect::valence;
  signal::DifferentialEntropyOptions features;  ///< the paper's (default)
  bool authors_features = false;                ///< the authors' released DE variant instead
};

namespace detail {

template <class Scalar>
void require_tracks(const MusicTracks<Scalar>& m, const char* where) {
  if (m.arousal.size() != m.valence.size())
    throw shape_error(canon::detail::message(where, ": ", m.valence.size(), " track valences but ", m.arousal.size(),
                                             " arousals"));
  canon::detail::require_positive(m.windows, where, "music windows per track");
  canon::detail::require_shape(m.embeddings, m.embeddings.rows(), m.tracks() * m.windows, where,
                               "music embeddings (embedding x tracks * windows)");
  canon::detail::require_finite(m.embeddings, where, "music embeddings");
}

}  // namespace detail

/// trials: anything with .eeg (channels x samples), .valence and .arousal (1-9);
/// track_of[i] is the stimulus of trial i (an index into `music`).
template <class Scalar, class Trial>
SegmentSet<Scalar> make_segments(const std::vector<Trial>& trials, const std::vector<int>& track_of,
                                 const MusicTracks<Scalar>& music, const SegmentOptions& o = {}) {
  const char* where = "avramidis::make_segments";
  detail::require_tracks(music, where);
  if (trials.empty()) throw value_error(canon::detail::message(where, ": no trials"));
  if (track_of.size() != trials.size())
    throw shape_error(canon::detail::message(where, ": ", trials.size(), " trials but ", track_of.size(),
                                             " track ids; expected one per trial"));
  std::vector<std::vector<Matrix<Scalar>>> features(trials.size());
  for (std::size_t i = 0; i < trials.size(); ++i) {
    if (track_of[i] < 0 || track_of[i] >= music.tracks())
      throw value_error(canon::detail::message(where, ": trial ", i, " plays track ", track_of[i], "; the music has ",
                                               music.tracks(), " tracks"));
    for (double r : {trials[i].valence, trials[i].arousal})
      if (!(r >= 1.0 && r <= 9.0))
        throw value_error(canon::detail::message(where, ": trial ", i, " has a rating of ", r, "; expected 1-9"));
    const Matrix<Scalar> eeg = trials[i].eeg.template cast<Scalar>();
    features[i] = o.authors_features ? signal::authors_differential_entropy_from_trial<Scalar>(eeg, o.features.fs)
                                     : signal::differential_entropy<Scalar>(eeg, o.features);
    if (Index(features[i].size()) != music.windows)
      throw value_error(canon::detail::message(where, ": trial ", i, " gives ", features[i].size(),
                                               " segments but the music has ", music.windows,
                                               " windows per track; expected the same (60 s: 58)"));
  }
  const Index rows = features[0][0].size();
  const Index n = Index(trials.size()) * music.windows;
  SegmentSet<Scalar> out;
  out.eeg.resize(rows, n);
  out.music.resize(music.embeddings.rows(), n);
  out.eeg_labels.resize(1, n);
  out.music_labels.resize(1, n);
  Index j = 0;
  for (std::size_t i = 0; i < trials.size(); ++i) {
    const int t = track_of[i];
    const double rating = o.affect == Affect::valence ? trials[i].valence : trials[i].arousal;
    const double track_rating = o.affect == Affect::valence ? music.valence[std::size_t(t)] : music.arousal[std::size_t(t)];
    for (Index s = 0; s < music.windows; ++s, ++j) {
      const Matrix<Scalar>& de = features[i][std::size_t(s)];  // channels x 12
      if (de.size() != rows)
        throw shape_error(canon::detail::message(where, ": trial ", i, " has ", de.rows(), " channels; the first had ",
                                                 features[0][0].rows()));
      // Column c * 12 + f: the transpose, stored column-major, puts the 12 values fastest.
      Eigen::Map<Matrix<Scalar>>(out.eeg.col(j).data(), de.cols(), de.rows()) = de.transpose();
      out.music.col(j) = music.embeddings.col(Index(t) * music.windows + s);
      out.eeg_labels(0, j) = Scalar(binarise(rating));
      out.music_labels(0, j) = Scalar(binarise(track_rating));
      out.track.push_back(t);
      out.segment.push_back(s);
    }
  }
  canon::detail::require_finite(out.eeg, where,
                                "DE features (a flat channel has zero band power and -inf entropy)");
  return out;
}

}  // namespace canon::avramidis
