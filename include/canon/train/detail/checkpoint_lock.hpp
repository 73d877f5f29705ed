// canon/train/detail/checkpoint_lock.hpp — one training run per checkpoint.
//
// Two runs writing one checkpoint overwrite each other's progress, and the one that
// resumes continues whichever run saved last. train::fit therefore holds an exclusive
// advisory lock (flock) on "<checkpoint>.lock" for the whole run and refuses to start
// when another process (or another fit in this one) holds it. The kernel releases the
// lock when the holder exits, killed or not, so a crashed run never blocks its resume.
// The lock file stays on the disk (removing it would race with a run taking it); it
// holds the pid of the run that last took it, for the message.
// Under the lock the run also removes temporaries that killed runs left beside the
// checkpoint (core/atomic_file.hpp): nobody else can be writing them.
#pragma once

#include <fcntl.h>
#include <sys/file.h>
#include <unistd.h>

#include <filesystem>
#include <string>

#include "canon/core/atomic_file.hpp"
#include "canon/core/error.hpp"

namespace canon::train::detail {

class CheckpointLock {
 public:
  CheckpointLock(const std::string& checkpoint, const char* where) {
    const std::string lock = checkpoint + ".lock";
    fd_ = ::open(lock.c_str(), O_RDWR | O_CREAT | O_CLOEXEC, 0644);
    if (fd_ < 0)
      throw io_error(canon::detail::message(where, ": cannot create the lock file '", lock,
                                            "' beside the checkpoint"));
    if (::flock(fd_, LOCK_EX | LOCK_NB) != 0) {
      char pid[32] = {};
      const auto got = ::pread(fd_, pid, sizeof pid - 1, 0);
      ::close(fd_);
      throw io_error(canon::detail::message(
          where, ": another training run (pid ", got > 0 ? std::string(pid, std::size_t(got)) : "?",
          ") is writing the checkpoint '", checkpoint, "' (it holds '", lock,
          "'); two runs on one checkpoint overwrite each other. Give this run its own checkpoint_path"));
    }
    // The pid is only for the message of a refused run: failing to write it is harmless.
    const std::string me = std::to_string(long(::getpid()));
    if (::ftruncate(fd_, 0) == 0) {
      [[maybe_unused]] const auto written = ::pwrite(fd_, me.data(), me.size(), 0);
    }
    remove_stale_temporaries(checkpoint);
  }
  ~CheckpointLock() { ::close(fd_); }  // closing releases the lock
  CheckpointLock(const CheckpointLock&) = delete;
  CheckpointLock& operator=(const CheckpointLock&) = delete;

 private:
  static void remove_stale_temporaries(const std::string& checkpoint) {
    namespace fs = std::filesystem;
    const std::string prefix = canon::detail::temporary_prefix(fs::path(checkpoint).filename().string());
    std::error_code ec;
    for (const auto& entry : fs::directory_iterator(canon::detail::directory_of(checkpoint), ec))
      if (entry.path().filename().string().rfind(prefix, 0) == 0) fs::remove(entry.path(), ec);
  }

  int fd_ = -1;
};

}  // namespace canon::train::detail
