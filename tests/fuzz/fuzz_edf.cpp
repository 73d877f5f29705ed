// libFuzzer target for the EDF/EDF+/BDF reader (EDFlib header + canon's record
// decoder): it must return finite samples of the shape the header gives, or throw a
// canon::error. The input is written to a temporary file (EDFlib reads paths).
#include <cmath>
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <string>

#include "canon/io/edf.hpp"
#include "fuzz_support.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string path =
      canon_fuzz::write_file("input.edf", std::string(reinterpret_cast<const char*>(data), size));
  try {
    const canon::io::EdfHeader header = canon::io::read_edf_header(path);
    if (header.channels.empty()) std::abort();
    for (std::size_t i = 0; i < header.channels.size() && i < 8; ++i) {
      try {
        const auto rec = canon::io::read_edf_channels(path, {static_cast<canon::Index>(i)});
        if (rec.data.rows() != 1 || rec.data.cols() != header.channels[i].samples) std::abort();
        if (!rec.data.allFinite()) std::abort();
        (void)header.channel(header.channels[i].label);  // found once, or ambiguous: throws
      } catch (const canon::error&) {
      }
    }
    try {
      const auto all = canon::io::read_edf(path);
      if (all.data.rows() != static_cast<canon::Index>(header.channels.size()) || !all.data.allFinite()) std::abort();
    } catch (const canon::error&) {
    }
  } catch (const canon::error&) {
  }
  return 0;
}
