// STFT and differential entropy on 60 minutes of EEG: 32 channels at 128 Hz (DEAP-sized)
// and 16 channels at 250 Hz, reported as input samples (channels x samples) per second.
// Arguments: channels, sampling rate. Channels run in parallel under OpenMP: set
// OMP_NUM_THREADS=1 / 2 to compare. The same work in scipy:
// benchmarks/peers/signal_spectral_peer.py (both run by compare_signal_spectral.py).
#include <benchmark/benchmark.h>

#include <canon/core/rng.hpp>
#include <canon/signal/differential_entropy.hpp>

namespace {

template <class S>
canon::Matrix<S> eeg(canon::Index channels, canon::Index fs) {
  canon::Rng rng(7);
  canon::Matrix<S> x(channels, 60 * 60 * fs);
  canon::fill_normal(x, rng);
  return x;
}

template <class S>
void de_paper(benchmark::State& state) {
  const auto x = eeg<S>(state.range(0), state.range(1));
  canon::signal::DifferentialEntropyOptions o;
  o.fs = double(state.range(1));
  for (auto _ : state) {
    auto de = canon::signal::differential_entropy<S>(x, o);
    benchmark::DoNotOptimize(de.data());
  }
  state.counters["samples/s"] =
      benchmark::Counter(double(x.size()), benchmark::Counter::kIsIterationInvariantRate);
}

template <class S>
void stft_complex(benchmark::State& state) {
  const auto x = eeg<S>(state.range(0), state.range(1));
  canon::signal::StftOptions o;
  o.fs = double(state.range(1));
  o.nperseg = state.range(1);  // 1 s windows, default overlap (half), boundary zeros, padded
  // Output reused across iterations and touched once before timing (scipy's peer is timed
  // best-of-3, i.e. with numpy's allocator warm).
  canon::signal::Stft<S> z;
  canon::signal::stft_into(x, o, z);
  for (auto _ : state) {
    canon::signal::stft_into(x, o, z);
    benchmark::DoNotOptimize(z.values.data());
  }
  state.counters["samples/s"] =
      benchmark::Counter(double(x.size()), benchmark::Counter::kIsIterationInvariantRate);
}

void shapes(benchmark::internal::Benchmark* b) {
  b->Args({32, 128})->Args({16, 250})->Unit(benchmark::kMillisecond)->UseRealTime();
}

}  // namespace

BENCHMARK_TEMPLATE(de_paper, double)->Apply(shapes);
BENCHMARK_TEMPLATE(de_paper, float)->Apply(shapes);
BENCHMARK_TEMPLATE(stft_complex, double)->Apply(shapes);
BENCHMARK_TEMPLATE(stft_complex, float)->Apply(shapes);
BENCHMARK_MAIN();
