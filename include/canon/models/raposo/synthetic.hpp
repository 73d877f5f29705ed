// canon/models/raposo/synthetic.hpp — canon's semi-synthetic sessions
// (canon/data/synthetic.hpp) as Raposo recordings: the session's song and the EEG of
// the listener who heard it, ready for prepare_chunks.
#pragma once

#include "canon/core/checks.hpp"
#include "canon/data/synthetic.hpp"
#include "canon/models/raposo/data.hpp"

namespace canon::raposo {

/// The session's audio (as a row of samples) and EEG with their rates, labelled with
/// the given song and subject (the generator knows neither: one session is one song
/// heard by one listener). Throws value_error for a session with no audio or EEG or a
/// rate that is not positive.
template <class Scalar>
Recording<Scalar> to_recording(const data::SyntheticSession<Scalar>& session, int song, int subject) {
  const char* where = "raposo::to_recording";
  if (session.audio.size() == 0 || session.eeg.size() == 0)
    throw value_error(canon::detail::message(where, ": the session has no audio or no EEG"));
  canon::detail::require_positive(session.audio_rate, where, "the audio rate");
  canon::detail::require_positive(session.eeg_rate, where, "the EEG rate");
  Recording<Scalar> r;
  r.audio = session.audio.transpose();
  r.audio_rate = session.audio_rate;
  r.eeg = session.eeg;
  r.eeg_rate = session.eeg_rate;
  r.song = song;
  r.subject = subject;
  return r;
}

}  // namespace canon::raposo
