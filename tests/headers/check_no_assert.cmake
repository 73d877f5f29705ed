# Fails when a public header uses assert() (or eigen_assert): such checks vanish under
# -DNDEBUG, so a precondition must be a thrown canon::error instead (docs/reliability.md).
# Usage: cmake -DCANON_INCLUDE_DIR=<include> -P check_no_assert.cmake
file(GLOB_RECURSE headers "${CANON_INCLUDE_DIR}/canon/*.hpp")
set(found "")
foreach(header IN LISTS headers)
  file(STRINGS "${header}" lines REGEX "(^|[^_a-zA-Z])(eigen_)?assert[ \t]*\\(")
  foreach(line IN LISTS lines)
    if(NOT line MATCHES "^[ \t]*//")
      string(APPEND found "\n  ${header}: ${line}")
    endif()
  endforeach()
endforeach()
if(found)
  message(FATAL_ERROR "assert() in public headers (use a check that throws canon::error):${found}")
endif()
