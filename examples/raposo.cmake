# The Raposo 2017 demo needs the spectral features (FFTW) and the file readers.
if(TARGET canon::signal AND TARGET canon::io)
  canon_add_example(04_raposo_demo canon::signal canon::io
                    ARGS --quick --out ${CMAKE_CURRENT_BINARY_DIR}/demo-quick)
endif()
