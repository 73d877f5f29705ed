#include <canon/core/atomic_file.hpp>
#include <atomic>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <thread>
#include <vector>

#include "canon_test.hpp"

using namespace canon;

namespace {
std::string contents(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  std::ostringstream s;
  s << in.rdbuf();
  return s.str();
}

/// Temporaries of `path` left in its directory.
int leftovers(const std::string& path) {
  int found = 0;
  for (const auto& entry : std::filesystem::directory_iterator("."))
    found += entry.path().filename().string().rfind(path + ".tmp-canon", 0) == 0;
  return found;
}
}  // namespace

TEST_CASE("write_file_atomically: writes the file and leaves no temporary") {
  write_file_atomically("atomic.txt", [](std::ostream& out) { out << "first"; });
  CHECK(contents("atomic.txt") == "first");
  write_file_atomically("atomic.txt", [](std::ostream& out) { out << "second"; });
  CHECK(contents("atomic.txt") == "second");
  CHECK(leftovers("atomic.txt") == 0);
}

TEST_CASE("write_file_atomically: bad paths and failing writers leave the old file") {
  write_file_atomically("kept.txt", [](std::ostream& out) { out << "kept"; });
  CHECK_THROWS_AS(write_file_atomically("", [](std::ostream&) {}), io_error);
  CHECK_THROWS_AS(write_file_atomically("no/such/directory/file.txt", [](std::ostream&) {}), io_error);
  CHECK_THROWS_WITH(write_file_atomically("kept.txt", [](std::ostream&) { throw value_error("halfway"); }),
                    Catch::Contains("halfway"));
  CHECK(contents("kept.txt") == "kept");
  CHECK(leftovers("kept.txt") == 0);
}

TEST_CASE("write_file_atomically: concurrent writers to one path never mix or lose a file", "[robust]") {
  // Four threads (as two processes would) save 40 versions each of 64 KiB to one path;
  // a reader meanwhile must always see one writer's complete version. With one fixed
  // temporary name the writers truncated each other's temporary and renames failed.
  const std::string path = "concurrent.bin";
  write_file_atomically(path, [](std::ostream& out) { out << std::string(65536, 'a'); });
  std::vector<std::thread> writers;
  std::atomic<int> failures{0};
  for (int w = 0; w < 4; ++w)
    writers.emplace_back([&, w] {
      for (int k = 0; k < 40; ++k) {
        try {
          write_file_atomically(path, [&](std::ostream& out) { out << std::string(65536, char('b' + w)); });
        } catch (const io_error&) {
          ++failures;
        }
      }
    });
  int torn = 0;
  for (int r = 0; r < 200; ++r) {
    const std::string seen = contents(path);
    torn += seen.size() != 65536 || seen.find_first_not_of(seen[0]) != std::string::npos;
  }
  for (auto& t : writers) t.join();
  CHECK(failures == 0);
  CHECK(torn == 0);
  CHECK(leftovers(path) == 0);
  const std::string last = contents(path);
  CHECK(last.size() == 65536);
  CHECK(std::string("bcde").find(last[0]) != std::string::npos);
}

TEST_CASE("write_file_atomically: never writes through a name another writer made", "[robust]") {
  // The temporary is created with O_EXCL; each call takes a fresh name.
  const std::string first = detail::create_temporary("x.bin"), second = detail::create_temporary("x.bin");
  CHECK(first != second);
  CHECK(first.rfind(detail::temporary_prefix("x.bin"), 0) == 0);
  std::remove(first.c_str());
  std::remove(second.c_str());
}
