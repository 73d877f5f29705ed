// Shared by the fuzz targets whose readers take a path: a private temporary folder per
// process, and writing the input (or a piece of it) to a file there.
#pragma once

#include <unistd.h>

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <string>
#include <vector>

namespace canon_fuzz {

inline const std::string& folder() {
  static const std::string dir = [] {
    // Memory-backed when available: a disk write per input slows fuzzing tenfold.
    std::string pattern = access("/dev/shm", W_OK) == 0 ? "/dev/shm/canon-fuzz-XXXXXX" : "/tmp/canon-fuzz-XXXXXX";
    if (mkdtemp(&pattern[0]) == nullptr) std::abort();
    static std::string to_remove;
    to_remove = pattern;
    std::atexit([] { std::filesystem::remove_all(to_remove); });
    return pattern;
  }();
  return dir;
}

inline std::string write_file(const std::string& name, const std::string& bytes) {
  const std::string path = folder() + "/" + name;
  std::ofstream out(path, std::ios::binary | std::ios::trunc);
  out.write(bytes.data(), static_cast<std::streamsize>(bytes.size()));
  if (!out) std::abort();
  return path;
}

/// Splits text at every "\n--\n" (the separator the seeds use between files).
inline std::vector<std::string> split(const std::string& text) {
  std::vector<std::string> parts;
  std::size_t begin = 0;
  for (;;) {
    const std::size_t at = text.find("\n--\n", begin);
    if (at == std::string::npos) {
      parts.push_back(text.substr(begin));
      return parts;
    }
    parts.push_back(text.substr(begin, at - begin));
    begin = at + 4;
  }
}

}  // namespace canon_fuzz
