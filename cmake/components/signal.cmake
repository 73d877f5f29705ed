# canon::signal — windows, FFTW-backed STFT and spectra, differential entropy, log-mel
# features and segmentation (headers under include/canon/signal/). Needs FFTW3 in double
# and single precision (Debian: libfftw3-dev, found through pkg-config).
option(CANON_WITH_SIGNAL "Provide the canon::signal component" ON)
if(CANON_WITH_SIGNAL)
  include(${CMAKE_CURRENT_LIST_DIR}/signal-deps.cmake)
  if(canon_signal_DEPS_FOUND)
    add_library(canon_signal INTERFACE)
    target_link_libraries(canon_signal INTERFACE canon PkgConfig::CANON_FFTW3
                          PkgConfig::CANON_FFTW3F)
    canon_add_component(signal canon_signal ${CMAKE_CURRENT_LIST_DIR}/signal-deps.cmake)
  else()
    message(STATUS "canon: FFTW3 (fftw3, fftw3f via pkg-config) not found; "
                   "canon::signal is not available")
  endif()
endif()
