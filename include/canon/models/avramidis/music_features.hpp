// canon/models/avramidis/music_features.hpp — canon's own music embedding of the 3 s of
// audio aligned with each EEG segment, for when no pretrained tagger's embedding (the
// paper's MusiCNN pool5) is at hand.
//
// Choice: log-mel statistics, not the audio branch of a trained Raposo model. They need
// no training data (a Raposo branch would have to be trained on paired EEG first, and
// would carry that dataset's EEG into the music side), they are deterministic and cheap,
// and they keep what the affect literature reads from audio: loudness and its variation
// (the band means and spreads), brightness (the balance of high and low bands) and, through
// the spread over frames, rhythmic activity. The front end is VGGish's (signal/mel.hpp:
// 16 kHz mono, 25 ms periodic-Hann frames every 10 ms, 64 Slaney mel bands over 125-7500 Hz,
// log(mel + 0.01)); window s of a track covers [s hop, s hop + window) seconds, and its
// embedding is [mean over the frames that lie wholly inside the window of each band ;
// population standard deviation of each band] (64 + 64 = 128, the size of MusiCNN pool5,
// so the music network's sizes stay the authors'). 60 s of audio give 58 windows of 3 s.
//
// Needs the canon::signal component (FFTW).
#pragma once

#include <cmath>

#include "canon/signal/mel.hpp"

namespace canon::avramidis {

struct MusicWindowOptions {
  double window_seconds = 3.0;
  double hop_seconds = 1.0;
};

/// audio_16k: mono 16 kHz audio, 1 x samples. Returns 128 x windows, one column per window.
template <class Requested = void, class Derived, class S = scalar_or_t<Requested, Derived>>
Matrix<S> music_window_embeddings(const Eigen::MatrixBase<Derived>& audio_16k, const MusicWindowOptions& o = {}) {
  CANON_REQUIRE_SCALAR(S);
  using canon::detail::message;
  const char* where = "avramidis::music_window_embeddings";
  if (audio_16k.rows() != 1)
    throw shape_error(message(where, ": expected mono audio as 1 x samples at 16 kHz, got ",
                              canon::detail::shape_of(audio_16k)));
  if (!(o.window_seconds >= 0.5 && o.window_seconds <= 60.0) || !(o.hop_seconds > 0.0 && o.hop_seconds <= 60.0))
    throw value_error(message(where, ": window_seconds must lie in [0.5, 60] and hop_seconds in (0, 60], got ",
                              o.window_seconds, " and ", o.hop_seconds));
  canon::detail::require_finite(audio_16k, where, "audio");
  constexpr double rate = 16000.0;
  constexpr Index frame = 400, hop = 160;
  const double window_samples = o.window_seconds * rate, hop_samples = o.hop_seconds * rate;
  if (double(audio_16k.cols()) < window_samples)
    throw value_error(message(where, ": the audio has ", audio_16k.cols(), " samples (", double(audio_16k.cols()) / rate,
                              " s at 16 kHz), shorter than one window of ", o.window_seconds, " s"));
  const Index windows = Index(std::floor((double(audio_16k.cols()) - window_samples) / hop_samples + 1e-9)) + 1;
  const Matrix<S> lm = signal::log_mel<S>(signal::mel_spectrogram<S>(audio_16k, signal::vggish_mel_options())[0]);
  Matrix<S> out(2 * lm.rows(), windows);
  for (Index w = 0; w < windows; ++w) {
    // Frames f with [hop f, hop f + frame) inside [start, start + window).
    const double start = double(w) * hop_samples;
    const Index first = Index(std::ceil(start / double(hop) - 1e-9));
    const Index last = std::min<Index>(lm.cols() - 1, Index(std::floor((start + window_samples - double(frame)) / double(hop) + 1e-9)));
    signal::log_mel_statistics<S>(lm.middleCols(first, last - first + 1), out.col(w));
  }
  return out;
}

}  // namespace canon::avramidis
