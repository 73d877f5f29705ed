# Dependencies of canon::openblas: Debian's OpenMP build of OpenBLAS (package
# libopenblas-openmp-dev) and OpenMP. Included by canon's build and by canonConfig.cmake.
set(canon_openblas_NEEDS "OpenBLAS built with OpenMP, in lib/<arch>/openblas-openmp, and OpenMP (Debian: libopenblas-openmp-dev)")
find_package(OpenMP QUIET COMPONENTS CXX)
if(NOT CMAKE_LIBRARY_ARCHITECTURE)
  set(CMAKE_LIBRARY_ARCHITECTURE x86_64-linux-gnu)
endif()
find_library(CANON_OPENBLAS_LIBRARY NAMES openblas
             PATHS /usr/lib/${CMAKE_LIBRARY_ARCHITECTURE}/openblas-openmp NO_DEFAULT_PATH)
set(canon_openblas_DEPS_FOUND FALSE)
if(CANON_OPENBLAS_LIBRARY AND OpenMP_CXX_FOUND)
  if(NOT TARGET canon_deps::openblas)
    add_library(canon_deps::openblas UNKNOWN IMPORTED)
    set_target_properties(canon_deps::openblas PROPERTIES IMPORTED_LOCATION ${CANON_OPENBLAS_LIBRARY})
  endif()
  set(canon_openblas_DEPS_FOUND TRUE)
endif()
