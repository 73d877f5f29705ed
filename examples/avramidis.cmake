# Avramidis 2022: the music branch on the authors' released embeddings (needs .npy: io).
if(TARGET canon::io)
  canon_add_example(05_avramidis_music canon::io ARGS --seeds 1)
endif()
