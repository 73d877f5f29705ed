# Avramidis 2022: the music branch on the authors' released embeddings (needs .npy: io).
if(TARGET canon::io)
  canon_add_example(05_avramidis_music canon::io ARGS --seeds 1)
endif()
# The whole system on the embedded default (DE features need canon::signal).
if(TARGET canon::signal AND TARGET canon::io)
  canon_add_example(06_avramidis_demo canon::signal canon::io
                    ARGS --quick --out ${CMAKE_CURRENT_BINARY_DIR}/avramidis-quick)
endif()
