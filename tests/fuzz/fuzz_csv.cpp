// libFuzzer target: parse_csv must either return a rectangular table or throw
// canon::io_error; anything else (a crash, another exception, a sanitizer report) is a bug.
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <string>

#include "canon/io/csv.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string text(reinterpret_cast<const char*>(data), size);
  try {
    const canon::io::Table t = canon::io::parse_csv(text, "fuzz.csv");
    for (const auto& row : t.rows)
      if (row.size() != t.header.size()) std::abort();
    for (canon::Index r = 0; r < t.row_count(); ++r)
      for (canon::Index c = 0; c < t.column_count(); ++c) {
        try {
          (void)t.number(r, c);
        } catch (const canon::io_error&) {
        }
      }
  } catch (const canon::io_error&) {
  }
  return 0;
}
