canon_add_benchmark(bench_dcca bench_dcca.cpp)
