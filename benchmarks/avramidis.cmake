canon_add_benchmark(bench_avramidis bench_avramidis.cpp)
if(TARGET canon::openblas)
  # Eigen's products through OpenBLAS; run with OPENBLAS_CORETYPE unset.
  canon_add_benchmark(bench_avramidis_openblas bench_avramidis.cpp canon::openblas)
endif()
