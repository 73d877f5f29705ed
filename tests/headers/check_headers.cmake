# cmake -P check_headers.cmake — two checks over every header under include/canon/
# that is not in a detail/ folder, found by globbing when the test runs (so a new
# header is checked without touching this file):
#
#   MODE=reach    every header is reached, through its #include "canon/..." lines, from
#                 one of the umbrella headers (UMBRELLAS); lists the ones that are not.
#   MODE=compile  every header compiles on its own: a translation unit holding only
#                 `#include <that header>`, compiled with -fsyntax-only. A header reached
#                 from an umbrella gets that umbrella's include directories (the first
#                 of UMBRELLAS that reaches it: core headers must not need FFTW, say);
#                 when that umbrella's component is not configured the header is skipped
#                 with a message. SHARD/SHARDS split the headers between ctest runs.
#
# Variables (-D): MODE, INCLUDE_DIR, CXX, WORK_DIR, IMPLICIT_DIRS (the compiler's own,
# dropped from the flags), FLAGS_FILE (defines, per umbrella
# name U, CANON_HEADER_FLAGS_<U> and CANON_HEADER_COMPONENT_<U>_FOUND), UMBRELLAS
# (pairs name=path, ';'-separated, written '|' on the command line), SHARD, SHARDS.
cmake_minimum_required(VERSION 3.16)

string(REPLACE "|" ";" UMBRELLAS "${UMBRELLAS}")
string(REPLACE "|" ";" IMPLICIT_DIRS "${IMPLICIT_DIRS}")
include(${FLAGS_FILE})

file(GLOB_RECURSE all_headers RELATIVE ${INCLUDE_DIR} ${INCLUDE_DIR}/canon/*.hpp)
list(SORT all_headers)
set(headers "")
foreach(h IN LISTS all_headers)
  if(NOT h MATCHES "/detail/")
    list(APPEND headers ${h})
  endif()
endforeach()

# The headers a header includes, directly: its #include "canon/..." or <canon/...> lines.
function(direct_includes header out)
  file(STRINGS ${INCLUDE_DIR}/${header} lines REGEX "^[ \t]*#[ \t]*include[ \t]*[<\"]canon/")
  set(found "")
  foreach(line IN LISTS lines)
    if(line MATCHES "[<\"](canon/[^>\"]+)[>\"]")
      list(APPEND found ${CMAKE_MATCH_1})
    endif()
  endforeach()
  set(${out} ${found} PARENT_SCOPE)
endfunction()

# Every header reached from `start` (itself included).
function(reached start out)
  set(seen ${start})
  set(queue ${start})
  while(queue)
    list(POP_FRONT queue header)
    if(NOT EXISTS ${INCLUDE_DIR}/${header})
      continue()
    endif()
    direct_includes(${header} next)
    foreach(n IN LISTS next)
      if(NOT n IN_LIST seen)
        list(APPEND seen ${n})
        list(APPEND queue ${n})
      endif()
    endforeach()
  endwhile()
  set(${out} ${seen} PARENT_SCOPE)
endfunction()

set(umbrella_names "")
foreach(pair IN LISTS UMBRELLAS)
  string(REPLACE "=" ";" pair ${pair})
  list(GET pair 0 name)
  list(GET pair 1 path)
  list(APPEND umbrella_names ${name})
  if(NOT EXISTS ${INCLUDE_DIR}/${path})
    message(FATAL_ERROR "umbrella header ${path} does not exist")
  endif()
  reached(${path} reach_${name})
  set(path_${name} ${path})
endforeach()

if(MODE STREQUAL "reach")
  set(unreached "")
  foreach(h IN LISTS headers)
    set(found FALSE)
    foreach(name IN LISTS umbrella_names)
      if(h IN_LIST reach_${name})
        set(found TRUE)
        break()
      endif()
    endforeach()
    if(NOT found)
      list(APPEND unreached ${h})
    endif()
  endforeach()
  list(LENGTH headers count)
  if(unreached)
    list(JOIN unreached "\n  " text)
    set(umbrella_text "")
    foreach(name IN LISTS umbrella_names)
      string(APPEND umbrella_text " ${path_${name}}")
    endforeach()
    message(FATAL_ERROR "not reached from any umbrella header (${umbrella_text}); include "
                        "them from the umbrella of their area:\n  ${text}")
  endif()
  message(STATUS "all ${count} headers are reached from an umbrella header")
  return()
endif()

if(NOT MODE STREQUAL "compile")
  message(FATAL_ERROR "MODE must be reach or compile, got '${MODE}'")
endif()
file(MAKE_DIRECTORY ${WORK_DIR})
# Parsing <Eigen/Core> is most of each check's time. With clang it is parsed once into a
# precompiled header and loaded by the checks of the headers that reach
# canon/core/types.hpp, which includes <Eigen/Core> itself: those see exactly the
# declarations they saw before, so nothing that was caught goes unnoticed (a header
# reaching no Eigen is still checked from scratch). Measured on 12 nn/ and loss/ headers:
# 15.9 s plain, 3.4 s with it (clang 14, 2 vCPUs, 2026-12-04).
set(pch_flags "")
if(CXX MATCHES "clang")
  set(core_flags "")
  foreach(flag IN LISTS CANON_HEADER_FLAGS_core)
    string(REGEX REPLACE "^-I" "" dir "${flag}")
    if(NOT dir IN_LIST IMPLICIT_DIRS)
      list(APPEND core_flags ${flag})
    endif()
  endforeach()
  file(WRITE ${WORK_DIR}/eigen_core.hpp "#include <Eigen/Core>\n")
  execute_process(COMMAND ${CXX} -std=c++17 -x c++-header ${core_flags} ${WORK_DIR}/eigen_core.hpp
                          -o ${WORK_DIR}/eigen_core.pch
                  RESULT_VARIABLE pch_result OUTPUT_QUIET ERROR_QUIET)
  if(pch_result EQUAL 0)
    set(pch_flags -include-pch ${WORK_DIR}/eigen_core.pch)
  endif()
endif()
set(index 0)
set(checked 0)
set(failed "")
foreach(h IN LISTS headers)
  math(EXPR mine "${index} % ${SHARDS}")
  math(EXPR index "${index} + 1")
  if(NOT mine EQUAL SHARD)
    continue()
  endif()
  set(umbrella "")
  foreach(name IN LISTS umbrella_names)
    if(h IN_LIST reach_${name})
      set(umbrella ${name})
      break()
    endif()
  endforeach()
  if(umbrella STREQUAL "")
    set(umbrella ALL)  # reached from no umbrella (the reach test says so): every include dir
  endif()
  if(NOT CANON_HEADER_COMPONENT_${umbrella}_FOUND)
    message(STATUS "skipped ${h}: its component (${umbrella}) is not configured")
    continue()
  endif()
  set(flags "")
  foreach(flag IN LISTS CANON_HEADER_FLAGS_${umbrella})
    string(REGEX REPLACE "^-I" "" dir "${flag}")
    if(NOT dir IN_LIST IMPLICIT_DIRS AND NOT flag IN_LIST flags)
      list(APPEND flags ${flag})
    endif()
  endforeach()
  string(MAKE_C_IDENTIFIER ${h} stem)
  set(tu ${WORK_DIR}/${stem}.cpp)
  file(WRITE ${tu} "#include <${h}>\n")
  set(use_pch "")
  if(pch_flags)
    reached(${h} reach)
    if("canon/core/types.hpp" IN_LIST reach)
      set(use_pch ${pch_flags})
    endif()
  endif()
  execute_process(COMMAND ${CXX} -std=c++17 -fsyntax-only ${use_pch} ${flags} ${tu}
                  RESULT_VARIABLE result OUTPUT_VARIABLE output ERROR_VARIABLE output)
  math(EXPR checked "${checked} + 1")
  if(NOT result EQUAL 0)
    message("FAILED: ${h} does not compile on its own (flags of ${umbrella}):\n${output}")
    list(APPEND failed ${h})
  endif()
endforeach()
if(failed)
  list(JOIN failed "\n  " text)
  message(FATAL_ERROR "headers that do not compile on their own:\n  ${text}")
endif()
message(STATUS "${checked} headers compile on their own (shard ${SHARD} of ${SHARDS})")
