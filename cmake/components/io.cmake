# canon::io — reading real data: CSV tables, .npy arrays (canon's own parser, no extra
# dependency), audio through libsndfile (WAV/FLAC/OGG/MP3), EEG through EDFlib
# (EDF/EDF+/BDF), and the dataset loaders built on them (DEAM, PMEmo, DEAP, manifests).
option(CANON_WITH_IO "Provide the canon::io component" ON)
if(CANON_WITH_IO)
  include(${CMAKE_CURRENT_LIST_DIR}/io-deps.cmake)
  if(canon_io_DEPS_FOUND)
    add_library(canon_io INTERFACE)
    target_link_libraries(canon_io INTERFACE canon PkgConfig::CANON_SNDFILE canon_io_edflib)
    canon_add_component(io canon_io ${CMAKE_CURRENT_LIST_DIR}/io-deps.cmake)
  else()
    message(STATUS "canon: libsndfile (pkg-config sndfile) or EDFlib (edflib.h, libedf) "
                   "not found; canon::io is not available")
  endif()
endif()
