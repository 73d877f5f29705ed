// The Catch2 main shared by every test executable.
//
// ctest runs every test case as its own process, several at once, all started in the
// same directory. Test cases that write files (checkpoints, CSV, WAV) would race on
// the same names there, so each process works in a private directory of its own,
// created here and removed when the run ends.
#define CATCH_CONFIG_RUNNER
#include <catch2/catch.hpp>

#include <cstdlib>
#include <filesystem>
#include <iostream>
#include <string>
#include <unistd.h>

int main(int argc, char* argv[]) {
  namespace fs = std::filesystem;
  const fs::path start = fs::current_path();
  std::string pattern = (fs::temp_directory_path() / "canon-test-XXXXXX").string();
  if (::mkdtemp(pattern.data()) == nullptr) {
    std::cerr << "cannot create a private working directory from " << pattern << "\n";
    return EXIT_FAILURE;
  }
  const fs::path private_dir = pattern;
  fs::current_path(private_dir);
  const int failed = Catch::Session().run(argc, argv);
  fs::current_path(start);
  std::error_code ignored;
  fs::remove_all(private_dir, ignored);
  return failed;
}
