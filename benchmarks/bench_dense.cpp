// Dense forward + backward against the three GEMMs it is made of, same shapes, same
// binary. Ratio = GEMM time / Dense time (1.0 means no overhead at all).
//
//   forward   Y  = W X + b        (out x in) (in x m)
//   backward  dW = dY X^T, dX = W^T dY
#include <benchmark/benchmark.h>

#include <canon/nn/dense.hpp>

namespace {

template <class Scalar>
void dense_step(benchmark::State& state) {
  const canon::Index in = state.range(0), out = state.range(1), batch = state.range(2);
  canon::Rng rng(1);
  canon::nn::Dense<Scalar> layer(in, out, rng);
  canon::Matrix<Scalar> x(in, batch), dy(out, batch);
  canon::fill_normal(x, rng);
  canon::fill_normal(dy, rng);
  for (auto _ : state) {
    benchmark::DoNotOptimize(layer.forward(x, canon::Mode::train).data());
    benchmark::DoNotOptimize(layer.backward(dy).data());
  }
  const double flops = 3.0 * 2.0 * double(in) * double(out) * double(batch);
  state.counters["GFLOP/s"] = benchmark::Counter(flops, benchmark::Counter::kIsIterationInvariantRate, benchmark::Counter::kIs1000);
  state.counters["threads"] = Eigen::nbThreads();
}

template <class Scalar>
void gemm_only(benchmark::State& state) {
  const canon::Index in = state.range(0), out = state.range(1), batch = state.range(2);
  canon::Rng rng(1);
  canon::Matrix<Scalar> w(out, in), x(in, batch), dy(out, batch), y(out, batch), dw(out, in),
      dx(in, batch);
  canon::fill_normal(w, rng);
  canon::fill_normal(x, rng);
  canon::fill_normal(dy, rng);
  for (auto _ : state) {
    y.noalias() = w * x;
    dw.noalias() = dy * x.transpose();
    dx.noalias() = w.transpose() * dy;
    benchmark::DoNotOptimize(y.data());
    benchmark::DoNotOptimize(dw.data());
    benchmark::DoNotOptimize(dx.data());
  }
  const double flops = 3.0 * 2.0 * double(in) * double(out) * double(batch);
  state.counters["GFLOP/s"] = benchmark::Counter(flops, benchmark::Counter::kIsIterationInvariantRate, benchmark::Counter::kIs1000);
  state.counters["threads"] = Eigen::nbThreads();
}

void shapes(benchmark::internal::Benchmark* b) {
  b->Args({1024, 1024, 128})->Args({512, 256, 128})->Args({128, 1024, 102})->Unit(benchmark::kMillisecond)->UseRealTime();
}

}  // namespace

BENCHMARK_TEMPLATE(dense_step, float)->Apply(shapes);
BENCHMARK_TEMPLATE(gemm_only, float)->Apply(shapes);
BENCHMARK_TEMPLATE(dense_step, double)->Apply(shapes);
BENCHMARK_TEMPLATE(gemm_only, double)->Apply(shapes);
BENCHMARK_MAIN();
