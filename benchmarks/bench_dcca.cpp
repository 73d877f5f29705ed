// Deep CCA objective + gradient (forward + backward of canon::loss::DeepCCA) at the
// sizes of the issue: (m = 102, o = 128), Raposo's batch and output size, and
// (m = 128, o = 1024), EMER-CL's output size. Float models compute in double by default
// ("float/double-inside"); "float/float-inside" computes in float.
#include <benchmark/benchmark.h>

#include <canon/core/rng.hpp>
#include <canon/loss/dcca.hpp>

namespace {

template <class Scalar, bool DoubleInside>
void dcca_step(benchmark::State& state) {
  const canon::Index m = state.range(0), o = state.range(1);
  canon::Rng rng(1);
  canon::Matrix<Scalar> z(8, m), h1(o, m), h2(o, m), a(o, 8), b(o, 8);
  canon::fill_normal(z, rng);
  canon::fill_normal(a, rng);
  canon::fill_normal(b, rng);
  canon::fill_normal(h1, rng);
  canon::fill_normal(h2, rng);
  h1 += a * z;  // shared latent signal, as trained outputs would have
  h2 += b * z;
  canon::loss::DccaOptions options;
  options.double_precision = DoubleInside;
  canon::loss::DeepCCA<Scalar> dcca(options);
  for (auto _ : state) {
    benchmark::DoNotOptimize(dcca.forward(h1, h2));
    benchmark::DoNotOptimize(dcca.backward().first.data());
  }
}

void shapes(benchmark::internal::Benchmark* b) {
  b->Args({102, 128})->Args({128, 1024})->Unit(benchmark::kMillisecond)->UseRealTime();
}

}  // namespace

BENCHMARK_TEMPLATE(dcca_step, float, true)->Apply(shapes)->Name("dcca/float/double-inside");
BENCHMARK_TEMPLATE(dcca_step, float, false)->Apply(shapes)->Name("dcca/float/float-inside");
BENCHMARK_TEMPLATE(dcca_step, double, true)->Apply(shapes)->Name("dcca/double");
BENCHMARK_MAIN();
