# Dependencies of canon::xtensor (included by canon's build and by canonConfig.cmake, so it
# must work on its own): xtensor 0.24 or newer through its own CMake package, which finds
# xtl (Debian: libxtensor-dev, which brings xtl-dev). Both are header-only. xsimd is not
# needed: canon's adaptors neither define XTENSOR_USE_XSIMD nor link xtensor::use_xsimd.
set(canon_xtensor_NEEDS "xtensor 0.24 or newer and xtl through find_package(xtensor) (Debian: libxtensor-dev)")
set(canon_xtensor_DEPS_FOUND FALSE)
find_package(xtensor 0.24 QUIET)
if(xtensor_FOUND AND TARGET xtensor)
  set(canon_xtensor_DEPS_FOUND TRUE)
endif()
