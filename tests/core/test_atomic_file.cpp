#include <canon/core/atomic_file.hpp>
#include <fstream>
#include <sstream>

#include "canon_test.hpp"

using namespace canon;

namespace {
std::string contents(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  std::ostringstream s;
  s << in.rdbuf();
  return s.str();
}
}  // namespace

TEST_CASE("write_file_atomically: writes the file and leaves no temporary") {
  write_file_atomically("atomic.txt", [](std::ostream& out) { out << "first"; });
  CHECK(contents("atomic.txt") == "first");
  write_file_atomically("atomic.txt", [](std::ostream& out) { out << "second"; });
  CHECK(contents("atomic.txt") == "second");
  CHECK_FALSE(std::ifstream("atomic.txt.tmp-canon").good());
}

TEST_CASE("write_file_atomically: bad paths and failing writers leave the old file") {
  write_file_atomically("kept.txt", [](std::ostream& out) { out << "kept"; });
  CHECK_THROWS_AS(write_file_atomically("", [](std::ostream&) {}), io_error);
  CHECK_THROWS_AS(write_file_atomically("no/such/directory/file.txt", [](std::ostream&) {}), io_error);
  CHECK_THROWS_WITH(write_file_atomically("kept.txt", [](std::ostream&) { throw value_error("halfway"); }),
                    Catch::Contains("halfway"));
  CHECK(contents("kept.txt") == "kept");
  CHECK_FALSE(std::ifstream("kept.txt.tmp-canon").good());
}
