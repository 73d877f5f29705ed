// libFuzzer target for the paired audio/EEG manifest reader.
#include <cmath>
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <string>

#include "canon/io/datasets/manifest.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string text(reinterpret_cast<const char*>(data), size);
  try {
    for (const auto& e : canon::io::parse_manifest(text, "fuzz_manifest.csv", "/base")) {
      if (e.audio.empty() || e.eeg.empty()) std::abort();
      if (!(e.audio_offset >= 0) || !(e.eeg_offset >= 0) || !std::isfinite(e.audio_offset)) std::abort();
    }
  } catch (const canon::io_error&) {
  }
  return 0;
}
