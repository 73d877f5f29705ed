if(TARGET canon::io)
  canon_add_benchmark(bench_io bench_io.cpp canon::io)
endif()
