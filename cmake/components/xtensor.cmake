# canon::xtensor — interop with xtensor (headers under include/canon/xtensor/, umbrella
# canon/xtensor.hpp): zero-copy xt adaptors over canon's batches (features, signals,
# sequences, Avramidis's DE segments) and Eigen maps over xt arrays whose strides already
# are canon's layout, copying conversions for the rest, and .npy files straight into
# xt::xarray through canon's own parser and writer (docs/xtensor.md). .npz archives into
# xt::xarray (canon/xtensor/npz.hpp) need canon::npz (zlib) as well: link both.
option(CANON_WITH_XTENSOR "Provide the canon::xtensor component (xtensor)" ON)
if(CANON_WITH_XTENSOR)
  include(${CMAKE_CURRENT_LIST_DIR}/xtensor-deps.cmake)
  if(canon_xtensor_DEPS_FOUND)
    add_library(canon_xtensor INTERFACE)
    target_link_libraries(canon_xtensor INTERFACE canon xtensor)
    canon_add_component(xtensor canon_xtensor ${CMAKE_CURRENT_LIST_DIR}/xtensor-deps.cmake)
  else()
    message(STATUS "canon: xtensor 0.24 (find_package(xtensor)) not found; "
                   "canon::xtensor is not available (Debian: libxtensor-dev)")
  endif()
endif()
