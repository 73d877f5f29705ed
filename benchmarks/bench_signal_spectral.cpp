// STFT and differential entropy on 32 channels x 60 minutes at 128 Hz (one DEAP-sized
// subject-hour), reported as input samples (channels x samples) per second. Channels run
// in parallel under OpenMP: set OMP_NUM_THREADS=1 / 2 to compare. The same work in scipy:
// benchmarks/peers/signal_spectral_peer.py.
#include <benchmark/benchmark.h>

#include <canon/core/rng.hpp>
#include <canon/signal/differential_entropy.hpp>

namespace {

constexpr canon::Index channels = 32;
constexpr canon::Index samples = 60 * 60 * 128;

template <class S>
canon::Matrix<S> eeg() {
  canon::Rng rng(7);
  canon::Matrix<S> x(channels, samples);
  canon::fill_normal(x, rng);
  return x;
}

template <class S>
void de_paper(benchmark::State& state) {
  const auto x = eeg<S>();
  for (auto _ : state) {
    auto de = canon::signal::differential_entropy<S>(x);
    benchmark::DoNotOptimize(de.data());
  }
  state.counters["samples/s"] =
      benchmark::Counter(double(channels * samples), benchmark::Counter::kIsIterationInvariantRate);
}

template <class S>
void stft_complex(benchmark::State& state) {
  const auto x = eeg<S>();
  canon::signal::StftOptions o;
  o.fs = 128.0;
  o.nperseg = 128;  // default noverlap = 64, boundary zeros, padded
  // Output reused across iterations and touched once before timing (scipy's peer is timed
  // best-of-3, i.e. with numpy's allocator warm).
  canon::signal::Stft<S> z;
  canon::signal::stft_into(x, o, z);
  for (auto _ : state) {
    canon::signal::stft_into(x, o, z);
    benchmark::DoNotOptimize(z.values.data());
  }
  state.counters["samples/s"] =
      benchmark::Counter(double(channels * samples), benchmark::Counter::kIsIterationInvariantRate);
}

}  // namespace

BENCHMARK_TEMPLATE(de_paper, double)->Unit(benchmark::kMillisecond)->UseRealTime();
BENCHMARK_TEMPLATE(de_paper, float)->Unit(benchmark::kMillisecond)->UseRealTime();
BENCHMARK_TEMPLATE(stft_complex, double)->Unit(benchmark::kMillisecond)->UseRealTime();
BENCHMARK_TEMPLATE(stft_complex, float)->Unit(benchmark::kMillisecond)->UseRealTime();
BENCHMARK_MAIN();
