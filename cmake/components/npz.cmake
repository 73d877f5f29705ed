# canon::npz — NumPy .npz archives (np.savez, np.savez_compressed, zip64) read and
# written by canon's own zip reader (include/canon/io/npz.hpp, umbrella canon/npz.hpp),
# with zlib for deflate and CRC-32.
option(CANON_WITH_NPZ "Provide the canon::npz component (zlib)" ON)
if(CANON_WITH_NPZ)
  include(${CMAKE_CURRENT_LIST_DIR}/npz-deps.cmake)
  if(canon_npz_DEPS_FOUND)
    add_library(canon_npz INTERFACE)
    target_link_libraries(canon_npz INTERFACE canon ZLIB::ZLIB)
    canon_add_component(npz canon_npz ${CMAKE_CURRENT_LIST_DIR}/npz-deps.cmake)
  else()
    message(STATUS "canon: zlib not found; canon::npz is not available (Debian: zlib1g-dev)")
  endif()
endif()
