// benchmarks/sgemm_reference.hpp — the machine's own SGEMM (2048 x 2048, Eigen's kernel or
// OpenBLAS's, whichever the including benchmark links), measured in the same binary as the
// work it is compared with, so that "GFLOP/s against SGEMM" is like for like whatever the
// CPU and the flags. Include it once, in one benchmark's translation unit: it registers
// the benchmark `sgemm/2048` that the run_*.sh scripts read.
#pragma once

#include <benchmark/benchmark.h>

#include <canon/core/rng.hpp>

namespace canon_bench {

inline void sgemm(benchmark::State& state) {
  const canon::Index n = state.range(0);
  canon::Rng rng(1);
  canon::Matrix<float> a(n, n), b(n, n), c(n, n);
  canon::fill_normal(a, rng);
  canon::fill_normal(b, rng);
  for (auto _ : state) {
    c.noalias() = a * b;
    benchmark::DoNotOptimize(c.data());
  }
  state.counters["GFLOP/s"] = benchmark::Counter(2.0 * double(n) * n * n, benchmark::Counter::kIsIterationInvariantRate,
                                                 benchmark::Counter::kIs1000);
}

}  // namespace canon_bench

BENCHMARK(canon_bench::sgemm)->Name("sgemm")->Arg(2048)->Unit(benchmark::kMillisecond)->UseRealTime()->MinTime(1.0);
