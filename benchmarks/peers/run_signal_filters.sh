#!/bin/sh
# Runs canon's signal-filter benchmark and its scipy/pywt peer on the same machine.
#   benchmarks/peers/run_signal_filters.sh [build-dir]     (default: build)
# Build first:  cmake --build build -j1 --target bench_signal_filters
set -eu
here=$(cd "$(dirname "$0")" && pwd)
build=${1:-build}
echo "== canon (1 and 2 OpenMP threads; the DWT uses one WaveletTransform per thread)"
"$build/benchmarks/bench_signal_filters" --benchmark_min_time=1 --benchmark_counters_tabular=true
echo "== peers"
/usr/bin/python3 "$here/signal_filters_peer.py" 3
