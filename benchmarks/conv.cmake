canon_add_benchmark(bench_conv bench_conv.cpp)
