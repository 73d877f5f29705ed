# Builds tests/consumer twice: against an install of canon into a temporary prefix
# (find_package), and with canon's source tree added by add_subdirectory.
# Run with: cmake -DCANON_SOURCE_DIR=... -DWORK_DIR=... -DGENERATOR=... [-DWITH_XTENSOR=ON] -P run.cmake
# WITH_XTENSOR (canon's build has canon::xtensor): the consumer also builds and runs a
# program on canon::xtensor, and a find_package of it without xtensor must be refused.
file(REMOVE_RECURSE ${WORK_DIR})
set(consumer ${CANON_SOURCE_DIR}/tests/consumer)
if(NOT DEFINED WITH_XTENSOR)
  set(WITH_XTENSOR OFF)
endif()

function(run)
  execute_process(COMMAND ${ARGN} RESULT_VARIABLE result OUTPUT_VARIABLE out ERROR_VARIABLE err)
  if(NOT result EQUAL 0)
    message(FATAL_ERROR "failed: ${ARGN}\n${out}\n${err}")
  endif()
  message(STATUS "${out}")
endfunction()

# 1. install canon (headers and CMake package only) and consume it with find_package
run(${CMAKE_COMMAND} -S ${CANON_SOURCE_DIR} -B ${WORK_DIR}/canon-build -G ${GENERATOR}
    -DCANON_BUILD_TESTS=OFF -DCANON_BUILD_BENCHMARKS=OFF -DCANON_BUILD_EXAMPLES=OFF
    -DCANON_INSTALL=ON -DCANON_WITH_CLI=OFF -DCMAKE_INSTALL_PREFIX=${WORK_DIR}/prefix)
run(${CMAKE_COMMAND} --install ${WORK_DIR}/canon-build)
run(${CMAKE_COMMAND} -S ${consumer} -B ${WORK_DIR}/by-package -G ${GENERATOR}
    -DCMAKE_BUILD_TYPE=Release -DCMAKE_PREFIX_PATH=${WORK_DIR}/prefix
    -DCANON_CONSUMER_MODE=find_package -DCANON_CONSUMER_XTENSOR=${WITH_XTENSOR})
run(${CMAKE_COMMAND} --build ${WORK_DIR}/by-package)
run(${WORK_DIR}/by-package/consumer)
if(WITH_XTENSOR)
  run(${WORK_DIR}/by-package/consumer_xtensor ${WORK_DIR}/by-package/batch.npy)
endif()

# 1b. a component that cannot be had is named, with what it needs
function(expect_refusal name pattern)
  execute_process(COMMAND ${ARGN} RESULT_VARIABLE result OUTPUT_VARIABLE out ERROR_VARIABLE err)
  if(result EQUAL 0)
    message(FATAL_ERROR "${name}: configuring succeeded, expected a refusal: ${ARGN}\n${out}\n${err}")
  endif()
  string(REGEX REPLACE "[ \t\r\n]+" " " flat "${err}")  # CMake wraps long messages
  if(NOT flat MATCHES "${pattern}")
    message(FATAL_ERROR "${name}: the message does not match '${pattern}':\n${err}")
  endif()
  message(STATUS "${name}: refused as expected")
endfunction()
file(WRITE ${WORK_DIR}/wants/CMakeLists.txt
     "cmake_minimum_required(VERSION 3.16)\nproject(wants LANGUAGES CXX)\nfind_package(canon 0.1 REQUIRED COMPONENTS \${WANT})\n")
expect_refusal("unknown component" "'nosuch' is not a component of canon \\(this installation has: [a-z, ]*openmp"
               ${CMAKE_COMMAND} -S ${WORK_DIR}/wants -B ${WORK_DIR}/wants-nosuch -G ${GENERATOR}
               -DCMAKE_PREFIX_PATH=${WORK_DIR}/prefix -DWANT=nosuch)
# FFTW is found through pkg-config: without a pkg-config program it cannot be found.
expect_refusal("missing dependency" "canon::signal needs FFTW3 .*libfftw3-dev.*which was not found"
               ${CMAKE_COMMAND} -S ${WORK_DIR}/wants -B ${WORK_DIR}/wants-signal -G ${GENERATOR}
               -DCMAKE_PREFIX_PATH=${WORK_DIR}/prefix -DWANT=signal -DPKG_CONFIG_EXECUTABLE=${WORK_DIR}/no-pkg-config)
if(WITH_XTENSOR)
  expect_refusal("missing xtensor" "canon::xtensor needs xtensor 0.24 or newer .*libxtensor-dev.*which was not found"
                 ${CMAKE_COMMAND} -S ${WORK_DIR}/wants -B ${WORK_DIR}/wants-xtensor -G ${GENERATOR}
                 -DCMAKE_PREFIX_PATH=${WORK_DIR}/prefix -DWANT=xtensor -DCMAKE_DISABLE_FIND_PACKAGE_xtensor=ON)
endif()

# 2. add_subdirectory
run(${CMAKE_COMMAND} -S ${consumer} -B ${WORK_DIR}/by-subdirectory -G ${GENERATOR}
    -DCMAKE_BUILD_TYPE=Release -DCANON_CONSUMER_MODE=add_subdirectory
    -DCANON_SOURCE_DIR=${CANON_SOURCE_DIR} -DCANON_CONSUMER_XTENSOR=${WITH_XTENSOR})
run(${CMAKE_COMMAND} --build ${WORK_DIR}/by-subdirectory)
run(${WORK_DIR}/by-subdirectory/consumer)
if(WITH_XTENSOR)
  run(${WORK_DIR}/by-subdirectory/consumer_xtensor ${WORK_DIR}/by-subdirectory/batch.npy)
endif()
