#!/bin/sh
# Runs canon's signal-filter benchmark and its scipy/pywt peer on the same machine.
#   benchmarks/peers/run_signal_filters.sh [build-dir]     (default: build)
# Build first:  cmake --build build -j1 --target bench_signal_filters
#
# canon is run twice: with glibc's default allocator settings, and with the allocator
# keeping freed memory (mmap threshold 32 MB, no trimming). On virtual machines a fresh
# page costs a hypervisor round trip, and glibc returns every block above its mmap
# threshold to the kernel on free, so wavedec/waverec's per-level vectors page-fault
# on every call; numpy avoids much of this with huge pages. The second run shows the
# kernels themselves.
set -eu
here=$(cd "$(dirname "$0")" && pwd)
build=${1:-build}
echo "== canon, default glibc allocator"
"$build/benchmarks/bench_signal_filters" --benchmark_min_time=1 --benchmark_counters_tabular=true
echo "== canon, glibc keeping freed memory"
GLIBC_TUNABLES=glibc.malloc.mmap_threshold=33554432:glibc.malloc.trim_threshold=1073741824 \
  "$build/benchmarks/bench_signal_filters" --benchmark_min_time=1 --benchmark_counters_tabular=true
echo "== peers"
/usr/bin/python3 "$here/signal_filters_peer.py" 3
