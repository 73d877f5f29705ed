// The Raposo 2017 model at the paper's sizes: each convolution of the audio branch
// alone (forward + backward), one full training step of both branches (forward,
// backward, Adam), and the machine's SGEMM measured in the same binary.
//
// The DCCA loss is not part of this benchmark: the step feeds a fixed random gradient
// of the right shape (128 x batch per branch) into backward, which costs nothing next
// to the convolutions (~8 ms in PyTorch, see design/PERFORMANCE.md).
// FLOP counts: a convolution is 2 C_out K C_in T_out N per GEMM, three GEMMs per
// training step (forward, weight gradient, input gradient).
//
// Run: build/benchmarks/bench_conv --benchmark_filter=... (the full step is ~1 TFLOP;
// it runs a fixed 3 iterations).
#include <benchmark/benchmark.h>

#include "sgemm_reference.hpp"

#include <canon/models/raposo/branch.hpp>
#include <canon/optim/adam.hpp>

namespace {

using canon::Index;
using canon::Matrix;


// One audio-branch convolution: args (C_in, T_in, C_out, width, stride, batch, omp, algo),
// omp = 1: OpenMP over samples, 0: one sample at a time with Eigen's threaded GEMM;
// algo = -1: direct, 0: automatic (Winograd where it applies), > 0: Winograd on chunks
// of that many output times with m outputs per tile (a ninth argument, conv_chunk only).
void conv_layer(benchmark::State& state) {
  const Index cin = state.range(0), length = state.range(1), cout = state.range(2),
              width = state.range(3), stride = state.range(4), batch = state.range(5);
  canon::Rng rng(1);
  canon::nn::Conv1D<float> conv(cin, length, cout, width, stride, canon::nn::Padding::same, rng);
  conv.set_parallel_over_samples(state.range(6) != 0);
  const Index algo = state.range(7);
  if (algo < 0) conv.set_algorithm(canon::nn::ConvAlgorithm::direct);
  if (algo > 0) conv.set_algorithm(canon::nn::ConvAlgorithm::winograd, algo, state.range(8));
  Matrix<float> x(cin * length, batch), dy(cout * conv.out_length(), batch);
  canon::fill_normal(x, rng);
  canon::fill_normal(dy, rng);
  conv.forward(x, canon::Mode::train);  // first touch of every buffer, outside the timing
  conv.backward(dy);
  for (auto _ : state) {
    benchmark::DoNotOptimize(conv.forward(x, canon::Mode::train).data());
    benchmark::DoNotOptimize(conv.backward(dy).data());
  }
  const double flops = 3.0 * 2.0 * double(cout) * double(width * cin) *
                       double(conv.out_length()) * double(batch);
  state.counters["GFLOP/s"] = benchmark::Counter(flops, benchmark::Counter::kIsIterationInvariantRate,
                                                 benchmark::Counter::kIs1000);
}
BENCHMARK(conv_layer)
    ->ArgNames({"cin", "T", "cout", "K", "s", "N", "omp", "algo"})
    ->Args({1, 33075, 128, 3, 3, 102, 1, 0})
    ->Args({128, 11025, 128, 3, 1, 102, 1, 0})
    ->Args({128, 11025, 128, 3, 1, 102, 1, -1})
    ->Args({128, 11025, 128, 3, 1, 102, 0, -1})
    ->Args({128, 3675, 256, 3, 1, 102, 1, 0})
    ->Args({128, 3675, 256, 3, 1, 102, 1, -1})
    ->Args({256, 1225, 256, 5, 1, 102, 1, 0})
    ->Args({256, 1225, 256, 5, 1, 102, 1, -1})
    ->Args({256, 245, 512, 5, 1, 102, 1, 0})
    ->Args({256, 245, 512, 5, 1, 102, 1, -1})
    ->Args({512, 49, 512, 7, 1, 102, 1, 0})
    ->Args({512, 7, 1024, 7, 1, 102, 1, 0})
    ->Args({1024, 1, 128, 1, 1, 102, 1, 0})
    ->Unit(benchmark::kMillisecond)
    ->UseRealTime()
    ->Iterations(3);

// Winograd chunk sizes (output times per chunk) and tile sizes m on the 3- and 5-tap layers.
BENCHMARK(conv_layer)
    ->Name("conv_chunk")
    ->ArgNames({"cin", "T", "cout", "K", "s", "N", "omp", "algo", "m"})
    ->ArgsProduct({{128}, {11025}, {128}, {3}, {1}, {102}, {1}, {512, 1024, 2048}, {4, 6}})
    ->Args({256, 1225, 256, 5, 1, 102, 1, 512, 2})
    ->Args({256, 1225, 256, 5, 1, 102, 1, 512, 4})
    ->Args({256, 1225, 256, 5, 1, 102, 1, 1024, 4})
    ->Unit(benchmark::kMillisecond)
    ->UseRealTime()
    ->Iterations(3);

// Multiply-adds of every convolution in a branch, for the GFLOP/s counter.
double branch_flops(const char* spec, canon::raposo::SignalShape input, Index batch) {
  const auto layers = canon::raposo::parse_branch(spec);
  const auto shapes = canon::raposo::branch_shapes(layers, input);
  double flops = 0;
  for (std::size_t i = 0; i < layers.size(); ++i)
    if (layers[i].kind == canon::raposo::BranchLayer::Kind::conv)
      flops += 3.0 * 2.0 * double(shapes[i + 1].channels) * double(layers[i].width) *
               double(shapes[i].channels) * double(shapes[i + 1].length) * double(batch);
  return flops;
}

void training_step(benchmark::State& state) {
  const Index batch = state.range(0);
  canon::Rng rng(1);
  using canon::raposo::make_branch;
  auto audio = make_branch<float>(canon::raposo::paper_audio_branch(), {1, 33075}, rng);
  auto eeg = make_branch<float>(canon::raposo::paper_eeg_branch(), {16, 375}, rng);
  canon::optim::Adam<float> adam_audio, adam_eeg;
  Matrix<float> xa(33075, batch), xe(16 * 375, batch), ga(128, batch), ge(128, batch);
  canon::fill_uniform(xa, rng, -1.0, 1.0);
  canon::fill_normal(xe, rng);
  canon::fill_normal(ga, rng);
  canon::fill_normal(ge, rng);
  auto step = [&] {
    benchmark::DoNotOptimize(audio.forward(xa, canon::Mode::train).data());
    benchmark::DoNotOptimize(eeg.forward(xe, canon::Mode::train).data());
    benchmark::DoNotOptimize(audio.backward(ga).data());
    benchmark::DoNotOptimize(eeg.backward(ge).data());
    adam_audio.step(audio);
    adam_eeg.step(eeg);
  };
  step();  // allocation and first touch, outside the timing
  for (auto _ : state) step();
  const double flops = branch_flops(canon::raposo::paper_audio_branch(), {1, 33075}, batch) +
                       branch_flops(canon::raposo::paper_eeg_branch(), {16, 375}, batch);
  state.counters["GFLOP/s"] = benchmark::Counter(flops, benchmark::Counter::kIsIterationInvariantRate,
                                                 benchmark::Counter::kIs1000);
}
BENCHMARK(training_step)->Arg(102)->Unit(benchmark::kMillisecond)->UseRealTime()->Iterations(3);

}  // namespace

BENCHMARK_MAIN();
