# The canon program (tools/canon/, docs/cli.md): train, embed, retrieve, evaluate, cca
# and info from the command line on a user's own files. Built on CLI11 and
# nlohmann-json (cli-deps.cmake); the library itself stays Eigen-only. It is a program,
# not a library component: `cmake --install` puts it in bin/.
# On by default when canon is the top-level project (not when a program adds canon with
# add_subdirectory: it would compile a program it does not use).
option(CANON_WITH_CLI "Build the canon program (CLI11, nlohmann-json)" ${CANON_TOP_LEVEL})
if(CANON_WITH_CLI)
  include(${CMAKE_CURRENT_LIST_DIR}/cli-deps.cmake)
  if(canon_cli_DEPS_FOUND)
    set(dir ${PROJECT_SOURCE_DIR}/tools/canon)
    # One translation unit per command: they compile in parallel, and none holds the
    # whole library at once.
    add_executable(canon_program ${dir}/main.cpp ${dir}/options.cpp ${dir}/common.cpp
                   ${dir}/model_file.cpp ${dir}/cmd_cca.cpp ${dir}/cmd_train.cpp ${dir}/cmd_embed.cpp
                   ${dir}/cmd_retrieve.cpp ${dir}/cmd_evaluate.cpp ${dir}/cmd_info.cpp)
    set_target_properties(canon_program PROPERTIES OUTPUT_NAME canon
                          RUNTIME_OUTPUT_DIRECTORY ${PROJECT_BINARY_DIR}/bin)
    # canon_openmp and canon_npz are defined by component files read after this one;
    # without zlib the program reads .npy and CSV only and says so for an .npz.
    target_link_libraries(canon_program PRIVATE canon CLI11::CLI11 nlohmann_json::nlohmann_json canon_warnings
                          $<TARGET_NAME_IF_EXISTS:canon_openmp> $<TARGET_NAME_IF_EXISTS:canon_npz>)
    target_compile_definitions(canon_program PRIVATE $<$<TARGET_EXISTS:canon_npz>:CANON_CLI_NPZ>)
    if(CANON_INSTALL)
      install(TARGETS canon_program RUNTIME DESTINATION ${CMAKE_INSTALL_BINDIR})
    endif()
    message(STATUS "canon: the canon program will be built (bin/canon)")
  else()
    message(STATUS "canon: CLI11 or nlohmann-json not found; the canon program is not built "
                   "(Debian: libcli11-dev nlohmann-json3-dev)")
  endif()
endif()
