canon_add_benchmark(bench_rnn bench_rnn.cpp)
if(TARGET canon::openblas)
  # Eigen's products through OpenBLAS; run with OPENBLAS_CORETYPE unset.
  canon_add_benchmark(bench_rnn_openblas bench_rnn.cpp canon::openblas)
endif()
