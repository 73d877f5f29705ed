// canon/core/atomic_file.hpp — write a file so that a reader never sees half
// of it: the bytes go to a temporary name in the same directory, are flushed, and the
// temporary is renamed over the target (rename is atomic within a file system). If
// anything fails the temporary is removed and the old file, if any, is untouched.
#pragma once

#include <cstdio>
#include <fstream>
#include <functional>
#include <string>

#include "canon/core/error.hpp"

namespace canon {

/// Calls write(stream) on a temporary file beside `path` and renames it over `path`.
/// Throws io_error (path unchanged) when the file cannot be opened, written or renamed;
/// an exception thrown by `write` is passed on, the temporary removed.
inline void write_file_atomically(const std::string& path,
                                  const std::function<void(std::ostream&)>& write) {
  if (path.empty()) throw io_error("write_file_atomically: empty file name");
  const std::string temporary = path + ".tmp-canon";
  {
    std::ofstream out(temporary, std::ios::binary | std::ios::trunc);
    if (!out) throw io_error(detail::message("cannot open '", temporary, "' for writing"));
    try {
      write(out);
    } catch (...) {
      out.close();
      std::remove(temporary.c_str());
      throw;
    }
    out.flush();
    if (!out) {
      out.close();
      std::remove(temporary.c_str());
      throw io_error(detail::message("writing '", temporary, "' failed (disk full?); '", path,
                             "' was left unchanged"));
    }
  }
  if (std::rename(temporary.c_str(), path.c_str()) != 0) {
    std::remove(temporary.c_str());
    throw io_error(detail::message("cannot rename '", temporary, "' to '", path, "'"));
  }
}

}  // namespace canon
