# Dependencies of canon::openmp (included by canon's build and by canonConfig.cmake).
find_package(OpenMP QUIET COMPONENTS CXX)
set(canon_openmp_DEPS_FOUND ${OpenMP_CXX_FOUND})
