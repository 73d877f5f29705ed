# Dependencies of canon::openmp (included by canon's build and by canonConfig.cmake).
set(canon_openmp_NEEDS "OpenMP for C++ (GCC's libgomp ships with g++; clang needs Debian's libomp-dev)")
find_package(OpenMP QUIET COMPONENTS CXX)
set(canon_openmp_DEPS_FOUND ${OpenMP_CXX_FOUND})
