// Recurrent layers at the sizes of the systems canon reproduces, forward + backward in
// fp32, beside the machine's SGEMM measured in the same binary:
//   avramidis_eeg   LSTM(12 -> 128), dropout 0.5, LSTM(128 -> 256), 32 steps, batch 64
//                   (Avramidis 2022: the 32 EEG channels as steps)
//   emercl_emotion  BiGRU(2 -> 512), 60 steps, batch 128   (EMER-CL emotion encoder)
//   emercl_music    BiGRU(128 -> 512), 31 steps, batch 128 (EMER-CL music encoder)
// Every layer returns its whole sequence and receives a fixed random gradient of it;
// the input gradient is computed too (the peer, peers/rnn_peer.py, asks for it).
//
// FLOP counts: the GEMMs only, 2 M N K each. Per layer and direction with G gate rows
// (4H LSTM, 3H GRU), F inputs, H hidden and T*N columns: forward W_ih X and the T
// recurrent W_hh h products, backward dW_ih, dX and dW_hh plus the T products W_hh^T dA:
//   3 * 2 G F T N + 3 * 2 G H T N.
// Run: bench_rnn --benchmark_filter=... ; peers/run_rnn.sh runs it beside PyTorch.
#include <benchmark/benchmark.h>

#include "sgemm_reference.hpp"

#include <canon/nn/bidirectional.hpp>
#include <canon/nn/dropout.hpp>
#include <canon/nn/gru.hpp>
#include <canon/nn/lstm.hpp>

namespace {

using canon::Index;
using canon::Matrix;


double layer_flops(double gates, double inputs, double hidden, double steps, double batch) {
  return 3.0 * 2.0 * gates * (inputs + hidden) * steps * batch;
}

void set_counters(benchmark::State& state, double flops) {
  state.counters["GFLOP/s"] = benchmark::Counter(flops, benchmark::Counter::kIsIterationInvariantRate,
                                                 benchmark::Counter::kIs1000);
  state.counters["GFLOP"] = flops * 1e-9;
}

void avramidis_eeg(benchmark::State& state) {
  const Index steps = 32, batch = 64;
  canon::Rng rng(1);
  canon::nn::LSTM<float> first(12, 128, rng), second(128, 256, rng);
  canon::nn::Dropout<float> dropout(0.5, 7);
  Matrix<float> x(12 * steps, batch), dy(256 * steps, batch);
  canon::fill_normal(x, rng);
  canon::fill_normal(dy, rng);
  auto step = [&] {
    const Matrix<float>& h1 = first.forward(x, canon::Mode::train);
    const Matrix<float>& d1 = dropout.forward(h1, canon::Mode::train);
    benchmark::DoNotOptimize(second.forward(d1, canon::Mode::train).data());
    const Matrix<float>& g2 = second.backward(dy);
    benchmark::DoNotOptimize(first.backward(dropout.backward(g2)).data());
  };
  step();  // allocation and first touch, outside the timing
  for (auto _ : state) step();
  set_counters(state, layer_flops(4 * 128, 12, 128, steps, batch) + layer_flops(4 * 256, 128, 256, steps, batch));
}
BENCHMARK(avramidis_eeg)->Unit(benchmark::kMillisecond)->UseRealTime()->MinTime(2.0);

// args: inputs, steps (hidden 512, batch 128)
void emercl_bigru(benchmark::State& state) {
  const Index inputs = state.range(0), steps = state.range(1), hidden = 512, batch = 128;
  canon::Rng rng(1);
  canon::nn::Bidirectional<canon::nn::GRU<float>> gru(inputs, hidden, rng);
  Matrix<float> x(inputs * steps, batch), dy(2 * hidden * steps, batch);
  canon::fill_normal(x, rng);
  canon::fill_normal(dy, rng);
  auto step = [&] {
    benchmark::DoNotOptimize(gru.forward(x, canon::Mode::train).data());
    benchmark::DoNotOptimize(gru.backward(dy).data());
  };
  step();
  for (auto _ : state) step();
  set_counters(state, 2 * layer_flops(3 * hidden, double(inputs), hidden, double(steps), batch));
}
BENCHMARK(emercl_bigru)->Name("emercl_emotion")->ArgNames({"F", "T"})->Args({2, 60})
    ->Unit(benchmark::kMillisecond)->UseRealTime()->MinTime(3.0);
BENCHMARK(emercl_bigru)->Name("emercl_music")->ArgNames({"F", "T"})->Args({128, 31})
    ->Unit(benchmark::kMillisecond)->UseRealTime()->MinTime(3.0);

}  // namespace

BENCHMARK_MAIN();
