# Fails when a header outside the canon::xtensor component (include/canon/xtensor/ and its
# umbrella canon/xtensor.hpp) includes an xtensor or xtl header, directly or through
# #include_next, so that layers, losses and signal code never need xtensor.
# Usage: cmake -DCANON_INCLUDE_DIR=<include> -P check_xtensor_confined.cmake
file(GLOB_RECURSE headers RELATIVE "${CANON_INCLUDE_DIR}" "${CANON_INCLUDE_DIR}/canon/*.hpp")
set(found "")
set(inside 0)
foreach(header IN LISTS headers)
  if(header MATCHES "^canon/xtensor/" OR header STREQUAL "canon/xtensor.hpp")
    math(EXPR inside "${inside} + 1")
    continue()
  endif()
  file(STRINGS "${CANON_INCLUDE_DIR}/${header}" lines
       REGEX "^[ \t]*#[ \t]*include(_next)?[ \t]*[<\"](xtensor|xtl|xsimd)/")
  foreach(line IN LISTS lines)
    string(APPEND found "\n  ${header}: ${line}")
  endforeach()
endforeach()
if(inside EQUAL 0)
  message(FATAL_ERROR "no headers under ${CANON_INCLUDE_DIR}/canon/xtensor/: is CANON_INCLUDE_DIR right?")
endif()
if(found)
  message(FATAL_ERROR "xtensor included outside canon/xtensor/ (keep it in the canon::xtensor component):${found}")
endif()
message(STATUS "xtensor is included only by the ${inside} headers of canon::xtensor")
