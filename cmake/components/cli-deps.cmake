# Dependencies of the canon program (cmake/components/cli.cmake): CLI11 for the command
# line and nlohmann-json for configs and reports (Debian: libcli11-dev,
# nlohmann-json3-dev), both header-only with CMake package files.
set(canon_cli_NEEDS "CLI11 2 and nlohmann-json 3.9 with their CMake package files (Debian: libcli11-dev nlohmann-json3-dev)")
set(canon_cli_DEPS_FOUND FALSE)
find_package(CLI11 2 CONFIG QUIET)
find_package(nlohmann_json 3.9 CONFIG QUIET)
if(TARGET CLI11::CLI11 AND TARGET nlohmann_json::nlohmann_json)
  set(canon_cli_DEPS_FOUND TRUE)
endif()
