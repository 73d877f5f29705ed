# Dependencies of canon::npz (included by canon's build and by canonConfig.cmake, so it
# must work on its own): zlib, for the deflated members of .npz archives and their CRC-32
# (Debian: zlib1g-dev).
set(canon_npz_NEEDS "zlib (Debian: zlib1g-dev)")
set(canon_npz_DEPS_FOUND FALSE)
find_package(ZLIB QUIET)
if(TARGET ZLIB::ZLIB)
  set(canon_npz_DEPS_FOUND TRUE)
endif()
