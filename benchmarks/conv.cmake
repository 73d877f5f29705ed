canon_add_benchmark(bench_conv bench_conv.cpp)
if(TARGET canon::openblas)
  # Eigen's products through OpenBLAS; run with OPENBLAS_CORETYPE unset.
  canon_add_benchmark(bench_conv_openblas bench_conv.cpp canon::openblas)
endif()
