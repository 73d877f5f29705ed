// canon/version.hpp must say what CMake's project(VERSION) says (the install's
// canonConfigVersion.cmake is made from the latter).
#include <canon/version.hpp>
#include <string>

#include "canon_test.hpp"

TEST_CASE("canon::version and its macros agree with the CMake project version") {
  const std::string expected = CANON_PROJECT_VERSION;
  CHECK(std::string(canon::version) == expected);
  CHECK(std::to_string(CANON_VERSION_MAJOR) + "." + std::to_string(CANON_VERSION_MINOR) + "." +
            std::to_string(CANON_VERSION_PATCH) ==
        expected);
}
