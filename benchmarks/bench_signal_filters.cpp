// Zero-phase filtering (sosfiltfilt) and DWT + IDWT (wavedec + waverec, db8, symmetric,
// maximum level) on 60 minutes of EEG: 32 channels at 128 Hz and 16 channels at 250 Hz,
// on 1 and 2 OpenMP threads. Reports samples per second (channels x samples / time).
// The filter is the authors' of Raposo 2017: Butterworth order 5, band-pass 0.5-49.5 Hz.
// Peer: benchmarks/peers/signal_filters_peer.py (scipy.signal.sosfiltfilt, pywt).
#include <benchmark/benchmark.h>

#include <canon/core/rng.hpp>
#include <canon/signal/iir.hpp>
#include <canon/signal/wavelet_transform.hpp>

#if defined(_OPENMP)
#include <omp.h>
#endif

namespace {

using canon::Index;
using canon::Matrix;

Matrix<double> eeg(Index channels, double fs) {
  canon::Rng rng(7);
  Matrix<double> x(channels, static_cast<Index>(60 * 60 * fs));
  canon::fill_normal(x, rng);
  return x;
}

void set_threads(benchmark::State& state) {
#if defined(_OPENMP)
  omp_set_num_threads(static_cast<int>(state.range(2)));
#else
  if (state.range(2) != 1) state.SkipWithError("built without OpenMP");
#endif
}

void samples_per_second(benchmark::State& state, const Matrix<double>& x) {
  state.counters["samples/s"] = benchmark::Counter(static_cast<double>(x.size()),
                                                   benchmark::Counter::kIsIterationInvariantRate);
}

// Args: channels, sampling rate (Hz), threads.
void sosfiltfilt_eeg(benchmark::State& state) {
  set_threads(state);
  const double fs = static_cast<double>(state.range(1));
  const Matrix<double> x = eeg(state.range(0), fs);
  const auto sos = canon::signal::butter(5, {0.5, 49.5}, canon::signal::BandType::bandpass, fs);
  Matrix<double> y(x.rows(), x.cols());  // reused, as a streaming pipeline would
  for (auto _ : state) {
    canon::signal::sosfiltfilt(sos, x, y);
    benchmark::DoNotOptimize(y.data());
  }
  samples_per_second(state, x);
}

// One WaveletTransform per thread, built outside the timing (as a pipeline would keep it).
void dwt_idwt_eeg(benchmark::State& state) {
  set_threads(state);
  const Matrix<double> x = eeg(state.range(0), static_cast<double>(state.range(1)));
  const canon::signal::WaveletTransform<double> prototype(canon::signal::daubechies(8),
                                                          canon::signal::WaveletMode::symmetric, x.cols());
  Matrix<double> y(x.rows(), x.cols());
  std::vector<canon::signal::WaveletTransform<double>> per_thread(std::size_t(state.range(2)), prototype);
  for (auto _ : state) {
#if defined(_OPENMP)
#pragma omp parallel for schedule(static)
#endif
    for (Index c = 0; c < x.rows(); ++c) {
#if defined(_OPENMP)
      auto& t = per_thread[std::size_t(omp_get_thread_num())];
#else
      auto& t = per_thread[0];
#endif
      t.decompose(x.row(c));
      t.reconstruct(y.row(c));
    }
    benchmark::DoNotOptimize(y.data());
  }
  samples_per_second(state, x);
}

void eeg_args(benchmark::internal::Benchmark* b) {
  for (int threads : {1, 2}) {
    b->Args({32, 128, threads});
    b->Args({16, 250, threads});
  }
  b->ArgNames({"channels", "fs", "threads"})->Unit(benchmark::kMillisecond)->UseRealTime();
}

}  // namespace

BENCHMARK(sosfiltfilt_eeg)->Apply(eeg_args);
BENCHMARK(dwt_idwt_eeg)->Apply(eeg_args);

BENCHMARK_MAIN();
