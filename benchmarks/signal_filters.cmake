# Zero-phase filtering and DWT + IDWT on hour-long multichannel EEG (canon::signal's
# pure-Eigen half); compare with benchmarks/peers/signal_filters_peer.py through
# benchmarks/peers/run_signal_filters.sh.
canon_add_benchmark(bench_signal_filters bench_signal_filters.cpp)
