// libFuzzer target for the .npy parser: it must return an array whose element count
// matches its shape, or throw canon::io_error.
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <string>

#include "canon/io/npy.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string bytes(reinterpret_cast<const char*>(data), size);
  try {
    const canon::io::NpyArray a = canon::io::parse_npy(bytes, "fuzz.npy");
    std::size_t count = 1;
    for (auto d : a.shape) count *= static_cast<std::size_t>(d);
    if (count != a.data.size()) std::abort();
  } catch (const canon::io_error&) {
  }
  return 0;
}
