// One training step of the Avramidis et al. 2022 joint model (models/avramidis) at the
// authors' sizes (avramidis::ModelConfig{}: 32 EEG channels x 12 DE values, LSTM 12 -> 128
// and 128 -> 256 over the channels, attention over the 32 steps, Dense 8192 -> 128;
// music Dense 128 -> 128; common 64; discriminator 64 -> 64 -> 1), fp32, beside the
// machine's SGEMM measured in the same binary (issue #11):
//   avramidis_step/N     J with the authors' weights, forward + backward + Adam, every
//                        dropout on (train mode), N/2 pairs to the discriminator
//   avramidis_forward/N  the forward and J alone (train mode), to split the step
// N = 64 is the batch, N = 32 the protocol's (protocol.hpp: the authors' 16 + 16).
// peers/avramidis_peer.py is the same step in PyTorch; peers/run_avramidis.sh runs both.
//
// FLOP counts: the GEMMs a training step needs, 2 M N K each (the convention of
// bench_rnn.cpp, which peers/avramidis_peer.py repeats): forward products, weight
// gradients, and input gradients of every layer except the first one of each branch
// (nothing asks for the gradient of the data). Per LSTM layer with G = 4H gate rows, F
// inputs and T*N columns: forward W_ih X and the T products W_hh h, backward dW_ih,
// dW_hh and the T products W_hh^T dA, and dX = W_ih^T dA when the input needs one:
//   2 G T N (2 F + 3 H) + [2 G F T N].
// Attention's linear score is three products of 1 x H by H x T N; elementwise work
// (gates, softmax, batch norm, activations, Adam) is not counted. At N = 64 that is
// 6.10 GFLOP, which is what PyTorch's profiler counts for its step (the peer prints both).
#include <benchmark/benchmark.h>

#include "sgemm_reference.hpp"

#include <canon/models/avramidis/task.hpp>
#include <canon/optim/adam.hpp>

namespace {

using canon::Index;
using canon::Matrix;


// 2 M N K for out x in weights over `columns` samples; `input_gradient` adds W^T dY.
double dense_flops(double out, double in, double columns, bool input_gradient) {
  return (input_gradient ? 3.0 : 2.0) * 2.0 * out * in * columns;
}

double lstm_flops(double inputs, double hidden, double steps, double batch, bool input_gradient) {
  const double g = 4 * hidden, tn = steps * batch;
  return 2 * g * tn * (2 * inputs + 3 * hidden) + (input_gradient ? 2 * g * inputs * tn : 0.0);
}

double step_flops(const canon::avramidis::ModelConfig& c, double n) {
  const double t = double(c.eeg.channels), h2 = double(c.eeg.hidden2);
  const double h = std::floor(n / 2);
  return lstm_flops(double(c.eeg.features), double(c.eeg.hidden1), t, n, false) +
         lstm_flops(double(c.eeg.hidden1), h2, t, n, true) + 3 * 2 * h2 * t * n +
         dense_flops(double(c.eeg.output), h2 * t, n, true) +
         dense_flops(double(c.music.hidden), double(c.music.embedding), n, false) +
         dense_flops(double(c.music.common), double(c.music.hidden), 2 * n, true) +
         dense_flops(1, double(c.music.common), 2 * n, true) +
         dense_flops(double(c.discriminator_hidden), double(c.music.common), 2 * h, true) +
         dense_flops(1, double(c.discriminator_hidden), 2 * h, true);
}

struct Fixture {
  canon::avramidis::ModelConfig config{};
  canon::avramidis::JointModel<float> model{config, 1};
  Matrix<float> eeg, music, eeg_labels, music_labels;
  canon::avramidis::JointObjective<float> objective;
  canon::optim::Adam<float> adam{canon::optim::AdamOptions{1e-4}};

  static Matrix<float> labels(Index n, std::uint64_t seed) {
    canon::Rng rng(seed);
    Matrix<float> y(1, n);
    canon::fill_uniform(y, rng, 0.0, 1.0);
    for (Index j = 0; j < n; ++j) y(0, j) = (j < 2 ? float(j) : float(y(0, j) < 0.5f));
    return y;
  }
  explicit Fixture(Index n)
      : eeg(config.eeg.channels * config.eeg.features, n), music(config.music.embedding, n),
        eeg_labels(labels(n, 3)), music_labels(labels(n, 4)),
        objective(canon::avramidis::LossWeights::authors(), eeg_labels, music_labels) {
    canon::Rng rng(2);
    canon::fill_normal(eeg, rng);
    canon::fill_normal(music, rng);
  }
  double run(bool backward) {
    const auto l = objective.evaluate(model, eeg, music, eeg_labels, music_labels, eeg.cols() / 2,
                                      canon::Mode::train, backward);
    if (backward) adam.step(model);
    return l.total;
  }
};

void set_counters(benchmark::State& state, double flops) {
  state.counters["GFLOP/s"] = benchmark::Counter(flops, benchmark::Counter::kIsIterationInvariantRate,
                                                 benchmark::Counter::kIs1000);
  state.counters["GFLOP"] = flops * 1e-9;
}

void avramidis_step(benchmark::State& state) {
  Fixture f(state.range(0));
  f.run(true);  // allocation, first touch and Adam's state, outside the timing
  for (auto _ : state) benchmark::DoNotOptimize(f.run(true));
  set_counters(state, step_flops(f.config, double(state.range(0))));
}
BENCHMARK(avramidis_step)->Arg(64)->Arg(32)->Unit(benchmark::kMillisecond)->UseRealTime()->MinTime(2.0);

void avramidis_forward(benchmark::State& state) {
  Fixture f(state.range(0));
  f.run(false);
  for (auto _ : state) benchmark::DoNotOptimize(f.run(false));
}
BENCHMARK(avramidis_forward)->Arg(64)->Unit(benchmark::kMillisecond)->UseRealTime()->MinTime(1.0);

}  // namespace

BENCHMARK_MAIN();
