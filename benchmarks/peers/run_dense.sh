#!/usr/bin/env bash
# Runs canon's Dense benchmark (pure Eigen and through OpenBLAS) and the PyTorch peer
# on the same machine in one go, and prints canon's speed relative to PyTorch.
# Usage: benchmarks/peers/run_dense.sh [build-dir]     (after scripts/build)
set -euo pipefail
here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
build=${1:-$here/../../build}
source "$here/best_torch_env.sh"
results=$(mktemp)
args=(--benchmark_filter=dense_step --benchmark_repetitions=5 --benchmark_report_aggregates_only=true --benchmark_min_time=0.3)
"$build/benchmarks/bench_dense" "${args[@]}" 2>/dev/null | awk '/_median/ {sub("/real_time_median",""); print "eigen_" $1, $2}' >> "$results"
if [ -x "$build/benchmarks/bench_dense_openblas" ]; then
  "$build/benchmarks/bench_dense_openblas" "${args[@]}" 2>/dev/null | awk '/_median/ {sub("/real_time_median",""); print "openblas_" $1, $2}' >> "$results"
fi
LD_PRELOAD="$TORCH_PRELOAD" "$TORCH_PYTHON" "$here/dense_peer.py" | awk '{print $1, $2}' >> "$results"
printf "%-22s %10s %12s %10s %16s %14s\n" "shape" "torch ms" "eigen ms" "x torch" "openblas ms" "x torch"
awk '
  /^torch_dense/ { key=$1; sub("torch_dense", "", key); torch[key]=$2; next }
  { split($1, a, "_dense_step"); key=a[2]; t[a[1] key]=$2; keys[key]=1 }
  END {
    for (k in keys) printf "%-22s %10.3f %12.3f %10.2f %16.3f %14.2f\n", k, torch[k], t["eigen" k], torch[k]/t["eigen" k], t["openblas" k], (t["openblas" k] ? torch[k]/t["openblas" k] : 0)
  }' "$results" | sort
rm -f "$results"
