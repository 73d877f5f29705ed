// canon/version.hpp — the library version (kept equal to project(VERSION) in CMake).
#pragma once

#define CANON_VERSION_MAJOR 0
#define CANON_VERSION_MINOR 1
#define CANON_VERSION_PATCH 0

namespace canon {
inline constexpr const char* version = "0.1.0";
}
