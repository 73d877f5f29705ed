# Dependencies of canon::io (included by canon's build and by canonConfig.cmake, so it
# must work on its own): libsndfile through pkg-config, EDFlib (Debian libedf-dev ships
# edflib.h and libedf.so but no pkg-config or CMake file, so it is found by hand).
set(canon_io_NEEDS "libsndfile through pkg-config and EDFlib, edflib.h and libedf (Debian: libsndfile1-dev libedf-dev pkg-config)")
set(canon_io_DEPS_FOUND FALSE)
find_package(PkgConfig QUIET)
if(PkgConfig_FOUND)
  pkg_check_modules(CANON_SNDFILE QUIET IMPORTED_TARGET GLOBAL sndfile)
endif()
find_path(CANON_EDFLIB_INCLUDE_DIR edflib.h)
find_library(CANON_EDFLIB_LIBRARY NAMES edf edflib)
if(CANON_EDFLIB_INCLUDE_DIR AND CANON_EDFLIB_LIBRARY AND NOT TARGET canon_io_edflib)
  add_library(canon_io_edflib UNKNOWN IMPORTED GLOBAL)
  set_target_properties(canon_io_edflib PROPERTIES
    IMPORTED_LOCATION "${CANON_EDFLIB_LIBRARY}"
    INTERFACE_INCLUDE_DIRECTORIES "${CANON_EDFLIB_INCLUDE_DIR}")
endif()
if(TARGET PkgConfig::CANON_SNDFILE AND TARGET canon_io_edflib)
  set(canon_io_DEPS_FOUND TRUE)
endif()
