# STFT + differential entropy (canon::signal) on 32 channels x 60 min at 128 Hz;
# peer: benchmarks/peers/signal_spectral_peer.py, both run by
# benchmarks/peers/compare_signal_spectral.py.
if(TARGET canon::signal)
  canon_add_benchmark(bench_signal_spectral bench_signal_spectral.cpp canon::signal)
endif()
