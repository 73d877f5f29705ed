// canon/models/raposo/data.hpp — from paired recordings (a song's audio and a listener's
// EEG while hearing it) to the time-aligned 1.5 s chunks that Raposo et al. 2017 train on.
//
// Per recording, in this order (design/SYSTEMS.md, section R):
//   1. EEG resampled to the model's rate (resample_poly, rational factor of the rates),
//      then cleaned: high-pass 0.5 Hz, mains notch, wavelet artifact removal, per-channel
//      scaling to [-1, 1], wavelet semblance denoising (signal/eeg_cleaning.hpp).
//   2. Audio mixed to mono by the caller, resampled to the model's rate, scaled to
//      [-1, 1] by its largest magnitude: x / max|x|.
//   3. Cut into chunks covering the same time span (signal::aligned_chunks): chunk k is
//      audio samples [k h_a, k h_a + L_a) with EEG samples [k h_e, k h_e + L_e).
// Chunks become columns: audio as L_a x 1 signals, EEG as C x L_e signals in the
// channels-fastest layout of the convolution layers (docs/layer-contract-signals.md),
// which is exactly the column-major storage of the C x L_e chunk.
// Every chunk remembers its recording, song and subject, so folds can hold out songs
// and song embeddings can average chunks.
#pragma once

#include <numeric>
#include <vector>

#include "canon/core/checks.hpp"
#include "canon/core/columns.hpp"
#include "canon/signal/eeg_cleaning.hpp"
#include "canon/signal/resample.hpp"
#include "canon/signal/segmentation.hpp"

namespace canon::raposo {

/// One listening session: a song's audio and the EEG recorded while it played, starting
/// together.
template <class Scalar>
struct Recording {
  RowVector<Scalar> audio;  ///< mono samples (any scale; scaled to [-1, 1] here)
  double audio_rate = 0.0;  ///< Hz
  Matrix<Scalar> eeg;       ///< channels x samples
  double eeg_rate = 0.0;    ///< Hz
  int song = 0;             ///< the stimulus (held out together in cross-validation)
  int subject = 0;          ///< the listener
};

struct ChunkingOptions {
  double audio_rate = 22050.0;  ///< the audio branch's rate (1.5 s = 33075 samples)
  double eeg_rate = 250.0;      ///< the EEG branch's rate (1.5 s = 375 samples)
  signal::AlignedChunkOptions chunks;  ///< 1.5 s, no overlap by default
  bool clean_eeg = true;        ///< run the paper's cleaning (off: EEG used as given)
  signal::EegCleaningOptions cleaning;
};

/// Paired chunks of many recordings, one column per chunk.
template <class Scalar>
struct ChunkSet {
  Matrix<Scalar> audio;          ///< audio_length x chunks
  Matrix<Scalar> eeg;            ///< (channels * eeg_length) x chunks
  Index eeg_channels = 0;
  std::vector<int> song, subject, recording;  ///< per chunk

  Index size() const { return audio.cols(); }

  /// The chunks at `indices`, in that order.
  ChunkSet subset(const std::vector<Index>& indices) const {
    for (const Index j : indices)
      if (j < 0 || j >= size())
        throw value_error(canon::detail::message("ChunkSet::subset: index ", j, " outside [0, ",
                                                 size(), ")"));
    ChunkSet out;
    out.eeg_channels = eeg_channels;
    out.audio = columns(audio, indices);
    out.eeg = columns(eeg, indices);
    for (const Index j : indices) {
      out.song.push_back(song[std::size_t(j)]);
      out.subject.push_back(subject[std::size_t(j)]);
      out.recording.push_back(recording[std::size_t(j)]);
    }
    return out;
  }
};

namespace detail {

/// x resampled from `from` Hz to `to` Hz by resample_poly with up/down = to/from reduced;
/// both rates must be whole numbers of Hz (as every recording device's are).
template <class Scalar>
Matrix<Scalar> resample_rows(const Matrix<Scalar>& x, double from, double to, const char* what) {
  if (from == to) return x;
  const auto whole = [&](double rate) {
    if (!(rate > 0.0) || rate != std::floor(rate) || rate > 1e9)
      throw value_error(canon::detail::message("prepare_chunks: the ", what, " rate ", rate,
                                               " Hz is not a positive whole number of Hz; "
                                               "resample it yourself to the model's rate"));
    return Index(rate);
  };
  const Index f = whole(from), t = whole(to);
  const Index g = std::gcd(f, t);
  return signal::resample_poly(x, t / g, f / g);
}

}  // namespace detail

/// Step 1 for one EEG stream (channels x samples at `rate` Hz): resampled to the
/// model's rate, then cleaned when options.clean_eeg.
template <class Scalar>
Matrix<Scalar> prepared_eeg(const Matrix<Scalar>& eeg, double rate, const ChunkingOptions& options) {
  Matrix<Scalar> out = detail::resample_rows(eeg, rate, options.eeg_rate, "EEG");
  if (options.clean_eeg) out = signal::clean_eeg(out, options.eeg_rate, options.cleaning);
  return out;
}

/// Step 2 for one mono audio stream: resampled to the model's rate (1 x samples), then
/// scaled by its largest magnitude; silent audio throws, naming `which` (the caller
/// and the recording).
template <class Scalar>
Matrix<Scalar> prepared_audio(const RowVector<Scalar>& audio, double rate, const ChunkingOptions& options,
                              const std::string& which = "raposo::audio_chunks: the") {
  Matrix<Scalar> out = detail::resample_rows(Matrix<Scalar>(audio), rate, options.audio_rate, "audio");
  const Scalar peak = out.cwiseAbs().maxCoeff();
  if (!(peak > Scalar(0)))
    throw value_error(canon::detail::message(which, " audio is silent; it cannot be scaled to [-1, 1]"));
  out /= peak;
  return out;
}

namespace detail {
/// Fixed windows of a prepared stream at `rate` as columns (channels * length x chunks),
/// with the chunk length and hop of options.chunks.
template <class Scalar>
Matrix<Scalar> window_columns(const Matrix<Scalar>& x, double rate, const ChunkingOptions& options, const char* what) {
  const char* where = "raposo chunks";
  const auto& c = options.chunks;
  const Index length = signal::detail::whole_samples(c.chunk_seconds, rate, where, "chunk_seconds");
  const Index hop = signal::detail::whole_samples(c.hop_seconds == 0.0 ? c.chunk_seconds : c.hop_seconds, rate,
                                                  where, "hop_seconds");
  if (x.cols() < length)
    throw value_error(canon::detail::message(where, ": the ", what, " lasts ", double(x.cols()) / rate,
                                             " s; expected at least one chunk of ", c.chunk_seconds, " s"));
  const auto windows = signal::fixed_windows(x, length, hop);
  Matrix<Scalar> out(x.rows() * length, Index(windows.size()));
  for (std::size_t j = 0; j < windows.size(); ++j) out.col(Index(j)) = windows[j].reshaped();
  return out;
}
}  // namespace detail

/// One song's audio alone, as the audio branch sees it (steps 2 and 3): chunks as
/// columns (audio_length x chunks), e.g. to embed music that has no EEG.
/// Takes any Eigen row expression (evaluated once).
template <class Derived>
Matrix<typename Derived::Scalar> audio_chunks(const Eigen::MatrixBase<Derived>& audio, double rate,
                                              const ChunkingOptions& options = {}) {
  using Scalar = typename Derived::Scalar;
  if (audio.rows() != 1 || audio.size() == 0)
    throw shape_error(canon::detail::message("raposo::audio_chunks: the audio is ", canon::detail::shape_of(audio),
                                             "; expected one row of mono samples (mix channels first)"));
  const RowVector<Scalar> samples = audio;
  canon::detail::require_finite(samples, "raposo::audio_chunks", "audio");
  return detail::window_columns(prepared_audio(samples, rate, options), options.audio_rate, options, "audio");
}

/// One EEG recording alone, as the EEG branch sees it (steps 1 and 3): chunks as
/// columns ((channels * eeg_length) x chunks).
/// Takes any Eigen expression of channels x samples (evaluated once).
template <class Derived>
Matrix<typename Derived::Scalar> eeg_chunks(const Eigen::MatrixBase<Derived>& eeg, double rate,
                                            const ChunkingOptions& options = {}) {
  const Matrix<typename Derived::Scalar> samples = eeg;
  if (samples.size() == 0) throw value_error("raposo::eeg_chunks: the EEG is empty");
  canon::detail::require_finite(samples, "raposo::eeg_chunks", "EEG");
  return detail::window_columns(prepared_eeg(samples, rate, options), options.eeg_rate, options, "EEG");
}

/// Cleans, scales, resamples and chunks every recording (see the file comment).
template <class Scalar>
ChunkSet<Scalar> prepare_chunks(const std::vector<Recording<Scalar>>& recordings,
                                const ChunkingOptions& options = {}) {
  using canon::detail::message;
  const char* where = "prepare_chunks";
  if (recordings.empty()) throw value_error(message(where, ": no recordings given"));
  std::vector<std::pair<Matrix<Scalar>, Matrix<Scalar>>> chunks;
  ChunkSet<Scalar> out;
  for (std::size_t r = 0; r < recordings.size(); ++r) {
    const Recording<Scalar>& rec = recordings[r];
    const std::string which = message("recording ", r, " (song ", rec.song, ", subject ", rec.subject, ")");
    if (rec.audio.size() == 0 || rec.eeg.size() == 0)
      throw value_error(message(where, ": ", which, " has an empty audio or EEG stream"));
    canon::detail::require_finite(rec.audio, where, which + " audio");
    canon::detail::require_finite(rec.eeg, where, which + " EEG");
    if (out.eeg_channels == 0) out.eeg_channels = rec.eeg.rows();
    if (rec.eeg.rows() != out.eeg_channels)
      throw shape_error(message(where, ": ", which, " has ", rec.eeg.rows(),
                                " EEG channels; the first recording has ", out.eeg_channels));
    const Matrix<Scalar> eeg = prepared_eeg(rec.eeg, rec.eeg_rate, options);
    const Matrix<Scalar> audio = prepared_audio(rec.audio, rec.audio_rate, options, message(where, ": ", which));
    auto pairs = signal::aligned_chunks(audio, options.audio_rate, eeg, options.eeg_rate, options.chunks);
    for (auto& pair : pairs) {
      chunks.push_back(std::move(pair));
      out.song.push_back(rec.song);
      out.subject.push_back(rec.subject);
      out.recording.push_back(int(r));
    }
  }
  const Index n = Index(chunks.size());
  out.audio.resize(chunks.front().first.size(), n);
  out.eeg.resize(chunks.front().second.size(), n);
  for (Index j = 0; j < n; ++j) {
    // Column-major storage of a C x L chunk is the channels-fastest signal layout.
    out.audio.col(j) = chunks[std::size_t(j)].first.reshaped();
    out.eeg.col(j) = chunks[std::size_t(j)].second.reshaped();
  }
  return out;
}

}  // namespace canon::raposo
