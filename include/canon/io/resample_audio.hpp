// canon/io/resample_audio.hpp — audio at the rate a model expects: the polyphase
// resampler of canon::signal (scipy's resample_poly) applied to decoded audio.
//
// The rate ratio target / source must be rational with small terms: it is reduced by
// the gcd of the two rates (44100 -> 22050 is 1/2, 48000 -> 22050 is 147/320). Rates
// that are not whole numbers of hertz are refused rather than approximated.
#pragma once

#include <cmath>
#include <numeric>

#include "canon/io/audio.hpp"
#include "canon/signal/resample.hpp"

namespace canon::io {

/// The audio resampled to `target_rate` (every channel); unchanged if the rates agree.
inline Audio resample(const Audio& audio, double target_rate) {
  const char* where = "io::resample";
  for (const double rate : {audio.sample_rate, target_rate})
    if (!(rate > 0) || std::floor(rate) != rate || rate > 1e7)
      throw value_error(canon::detail::message(where, ": sample rates must be whole numbers of Hz in (0, 1e7], got ",
                                               rate));
  if (audio.frames() == 0) throw value_error(canon::detail::message(where, ": the audio has no samples"));
  if (audio.sample_rate == target_rate) return audio;
  const auto source = static_cast<long long>(audio.sample_rate), target = static_cast<long long>(target_rate);
  const long long divisor = std::gcd(source, target);
  Audio out;
  out.sample_rate = target_rate;
  out.samples = signal::resample_poly(audio.samples, Index(target / divisor), Index(source / divisor));
  return out;
}

/// read_audio followed by resample: a file decoded straight to the model's rate.
inline Audio read_audio(const std::string& path, double target_rate) {
  return resample(read_audio(path), target_rate);
}

}  // namespace canon::io
