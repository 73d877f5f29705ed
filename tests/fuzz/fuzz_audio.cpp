// libFuzzer target for the audio reader (WAV/FLAC/OGG/MP3 through libsndfile's virtual
// I/O, plus canon's MP3/Ogg completeness checks): it must return finite samples at a
// positive rate, or throw canon::io_error.
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <string>

#include "canon/io/audio.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string bytes(reinterpret_cast<const char*>(data), size);
  try {
    const canon::io::Audio a = canon::io::read_audio_bytes(bytes, "fuzz.audio");
    if (a.channels() <= 0 || a.frames() <= 0 || !(a.sample_rate > 0)) std::abort();
    if (!a.samples.allFinite()) std::abort();
  } catch (const canon::io_error&) {
  }
  return 0;
}
