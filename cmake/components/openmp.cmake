# canon::openmp — links OpenMP so that Eigen's GEMM and canon's own loops run on
# several threads. Results are identical for the same thread count (static schedules,
# fixed reduction order).
option(CANON_WITH_OPENMP "Provide the canon::openmp component" ON)
if(CANON_WITH_OPENMP)
  include(${CMAKE_CURRENT_LIST_DIR}/openmp-deps.cmake)
  if(canon_openmp_DEPS_FOUND)
    add_library(canon_openmp INTERFACE)
    target_link_libraries(canon_openmp INTERFACE canon OpenMP::OpenMP_CXX)
    canon_add_component(openmp canon_openmp ${CMAKE_CURRENT_LIST_DIR}/openmp-deps.cmake)
  else()
    message(STATUS "canon: OpenMP not found; canon::openmp is not available")
  endif()
endif()
