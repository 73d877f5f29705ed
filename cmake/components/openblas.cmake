# canon::openblas — routes Eigen's matrix products through OpenBLAS (EIGEN_USE_BLAS),
# Debian's OpenMP build. On this project's machines it reaches 1.3-1.5x Eigen's own
# SGEMM on 2 threads, but only with OPENBLAS_CORETYPE unset: set to Haswell (as the
# environment here does) it halves. Opt-in: results differ from the pure-Eigen build
# by summation order. Every translation unit of a program must agree on it.
option(CANON_WITH_OPENBLAS "Provide the canon::openblas component" ON)
if(CANON_WITH_OPENBLAS)
  include(${CMAKE_CURRENT_LIST_DIR}/openblas-deps.cmake)
  if(canon_openblas_DEPS_FOUND)
    add_library(canon_openblas INTERFACE)
    target_link_libraries(canon_openblas INTERFACE canon OpenMP::OpenMP_CXX canon_deps::openblas)
    target_compile_definitions(canon_openblas INTERFACE EIGEN_USE_BLAS)
    canon_add_component(openblas canon_openblas ${CMAKE_CURRENT_LIST_DIR}/openblas-deps.cmake)
  else()
    message(STATUS "canon: Debian's libopenblas-openmp-dev not found; canon::openblas is not available")
  endif()
endif()
