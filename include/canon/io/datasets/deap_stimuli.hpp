// canon/io/datasets/deap_stimuli.hpp — per-window music embeddings of stimuli with their
// mean ratings, in the layout of the Avramidis 2022 authors' release
// (klean2050/EEG_CrossModal data/stimuli; ../shared/data/deap-stimuli-musicnn):
//
//   tracks_embeds.npy   (tracks * windows) x D, row t * windows + s = window s of track t
//   tracks_labels.npy   (tracks * windows) x 3: [valence, arousal, track id], the track's
//                       mean rating (1-9) repeated on each of its windows
//
// Any tagger's features can be exported this way (one row per 3 s window, 1 s hop, the
// windows of a track consecutive, tracks in the order of the EEG trials' track ids).
#pragma once

#include <cmath>
#include <string>
#include <vector>

#include "canon/io/npy.hpp"

namespace canon::io {

struct StimulusEmbeddings {
  Matrix<double> embeddings;          ///< D x (tracks * windows), one column per window
  Index windows = 0;                  ///< per track
  std::vector<double> valence, arousal;  ///< per track, 1-9
  Index tracks() const { return Index(valence.size()); }
};

inline StimulusEmbeddings read_stimulus_embeddings(const std::string& embeds_npy, const std::string& labels_npy) {
  using canon::detail::message;
  const Matrix<double> x = read_npy(embeds_npy).matrix<double>();
  const Matrix<double> y = read_npy(labels_npy).matrix<double>();
  if (x.rows() == 0 || x.cols() == 0)
    throw io_error(message(embeds_npy, ": no embeddings; expected (tracks * windows) x D"));
  if (y.rows() != x.rows() || y.cols() < 3)
    throw io_error(message(labels_npy, ": ", y.rows(), " x ", y.cols(), " labels for ", x.rows(),
                           " embeddings; expected one row [valence, arousal, track] per embedding row"));
  if (!x.allFinite()) throw io_error(message(embeds_npy, ": the embeddings contain NaN or Inf"));
  StimulusEmbeddings out;
  Index row = 0;
  while (row < y.rows()) {
    const double id = y(row, 2);
    if (id != double(out.tracks()))
      throw io_error(message(labels_npy, ": row ", row, " has track id ", id, "; expected ", out.tracks(),
                             " (tracks numbered 0, 1, ... with their windows consecutive)"));
    Index end = row;
    while (end < y.rows() && y(end, 2) == id) ++end;
    if (out.windows == 0) out.windows = end - row;
    if (end - row != out.windows)
      throw io_error(message(labels_npy, ": track ", id, " has ", end - row, " windows, track 0 has ", out.windows,
                             "; expected the same number for every track"));
    for (Index r = row; r < end; ++r)
      if (y(r, 0) != y(row, 0) || y(r, 1) != y(row, 1))
        throw io_error(message(labels_npy, ": the ratings of track ", id, " change at row ", r,
                               "; expected the track's mean rating on every window"));
    for (double v : {y(row, 0), y(row, 1)})
      if (!(v >= 1.0 && v <= 9.0))
        throw io_error(message(labels_npy, ": track ", id, " has a rating of ", v, "; expected 1-9"));
    out.valence.push_back(y(row, 0));
    out.arousal.push_back(y(row, 1));
    row = end;
  }
  out.embeddings = x.transpose();
  return out;
}

}  // namespace canon::io
