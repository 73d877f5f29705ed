// canon/core/atomic_file.hpp — write a file so that a reader never sees half of it and a
// crash never loses the previous version: the bytes go to a temporary file of a name no
// other writer uses, in the same directory; it is flushed to the disk (fsync) and renamed
// over the target (rename is atomic within a file system), and the directory entry is
// flushed too. If anything fails the temporary is removed and the old file, if any, is
// untouched. Two processes (or threads) saving to the same path at once each write their
// own temporary, so the file is always one writer's complete version (the last rename
// wins). A process killed mid-write leaves its temporary behind, "<name>.tmp-canon.<pid>.<n>"
// (train::fit removes its checkpoint's on start, under the checkpoint lock).
#pragma once

#include <fcntl.h>
#include <unistd.h>

#include <atomic>
#include <cstdio>
#include <fstream>
#include <functional>
#include <string>

#include "canon/core/error.hpp"

namespace canon {

namespace detail {

/// What every temporary of `path` starts with.
inline std::string temporary_prefix(const std::string& path) { return path + ".tmp-canon."; }

/// Creates an empty temporary beside `path` under a name that no other process or thread
/// uses, and returns the name. O_EXCL: the file is ours alone, never a file (or link)
/// someone else made. Throws io_error when it cannot be created.
inline std::string create_temporary(const std::string& path) {
  static std::atomic<unsigned long> counter{0};
  const std::string name =
      temporary_prefix(path) + std::to_string(long(::getpid())) + "." + std::to_string(counter++);
  const int fd = ::open(name.c_str(), O_WRONLY | O_CREAT | O_EXCL, 0644);
  if (fd < 0) throw io_error(message("cannot create '", name, "' for writing"));
  ::close(fd);
  return name;
}

/// Flushes a file (or directory) to the disk; false if it could not be opened or synced.
inline bool sync_to_disk(const std::string& path, int flags) {
  const int fd = ::open(path.c_str(), flags);
  if (fd < 0) return false;
  const bool ok = ::fsync(fd) == 0;
  ::close(fd);
  return ok;
}

inline std::string directory_of(const std::string& path) {
  const auto slash = path.find_last_of('/');
  return slash == std::string::npos ? std::string(".") : slash == 0 ? std::string("/") : path.substr(0, slash);
}

/// Makes a finished temporary the file `path`: flushes it to the disk, renames it over
/// `path` and flushes the directory entry. Throws io_error (temporary removed, `path`
/// unchanged) when the flush or the rename fails.
inline void commit_temporary(const std::string& temporary, const std::string& path) {
  // Without the fsync a crash soon after the rename can leave an empty file under the
  // new name on file systems that reorder metadata and data (ext4 delalloc, XFS).
  const bool synced = sync_to_disk(temporary, O_RDONLY);
  if (!synced || std::rename(temporary.c_str(), path.c_str()) != 0) {
    std::remove(temporary.c_str());
    throw io_error(message(synced ? "cannot rename '" : "cannot flush '", temporary,
                           synced ? "' to '" + path + "'" : std::string("' to the disk"),
                           "; '", path, "' was left unchanged"));
  }
  // The rename itself is durable once the directory is synced; failing that is not an
  // error for the file's content (some file systems refuse fsync on directories).
  sync_to_disk(directory_of(path), O_RDONLY | O_DIRECTORY);
}

}  // namespace detail

/// Calls write(stream) on a temporary file beside `path` and renames it over `path`.
/// Throws io_error (path unchanged) when the file cannot be created, written, synced or
/// renamed; an exception thrown by `write` is passed on, the temporary removed.
inline void write_file_atomically(const std::string& path,
                                  const std::function<void(std::ostream&)>& write) {
  if (path.empty()) throw io_error("write_file_atomically: empty file name");
  const std::string temporary = detail::create_temporary(path);
  auto fail = [&](const std::string& what) {
    std::remove(temporary.c_str());
    throw io_error(detail::message(what, "; '", path, "' was left unchanged"));
  };
  {
    std::ofstream out(temporary, std::ios::binary | std::ios::trunc);
    if (!out) fail(detail::message("cannot open '", temporary, "' for writing"));
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
      fail(detail::message("writing '", temporary, "' failed (disk full?)"));
    }
  }
  detail::commit_temporary(temporary, path);
}

}  // namespace canon
