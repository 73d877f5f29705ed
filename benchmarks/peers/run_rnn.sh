#!/usr/bin/env bash
# Runs canon's bench_rnn (pure Eigen, and through OpenBLAS when bench_rnn_openblas is
# built) and the PyTorch peer side by side, and prints PyTorch's time over canon's for
# each workload (target: >= 2). PyTorch gets its best set-up (best_torch_env.sh:
# OpenMP OpenBLAS, OPENBLAS_CORETYPE unset, jemalloc without purging, 2 threads).
# Usage: benchmarks/peers/run_rnn.sh [build-dir] [peer iterations]
set -euo pipefail
here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
build=${1:-$here/../../build}
iterations=${2:-10}
bench="$build/benchmarks/bench_rnn"
[ -x "$bench" ] || { echo "run_rnn.sh: $bench not built (cmake --build $build --target bench_rnn)" >&2; exit 1; }
source "$here/best_torch_env.sh"
results=$(mktemp)
trap 'rm -f "$results"' EXIT
grep -m1 'model name' /proc/cpuinfo | sed 's/.*: /cpu: /'
run_canon() {  # label binary
  OMP_NUM_THREADS=2 "$2" --benchmark_repetitions=3 --benchmark_report_aggregates_only=true 2>/dev/null |
    awk -v l="$1" '/_median/ { name=$1; sub("/.*", "", name); print l "_" name, $2
                               for (i = 1; i <= NF; i++) if ($i ~ /GFLOP\/s=/) { g=$i; sub("GFLOP/s=", "", g); sub("G/s", "", g); print l "_gflops_" name, g } }' >> "$results"
}
run_canon eigen "$bench"
[ -x "$build/benchmarks/bench_rnn_openblas" ] && run_canon openblas "$build/benchmarks/bench_rnn_openblas"
LD_PRELOAD="$TORCH_PRELOAD" "$TORCH_PYTHON" "$here/rnn_peer.py" "$iterations" | awk '{print $1, $2}' >> "$results"
awk '
  { v[$1] = $2 }
  END {
    printf "%-16s %10s %10s %8s %12s %8s   %s\n", "workload", "torch ms", "eigen ms", "x torch", "openblas ms", "x torch", "GFLOP/s eigen (sgemm)"
    split("avramidis_eeg emercl_emotion emercl_music", w, " ")
    for (i = 1; i <= 3; i++) {
      k = w[i]; t = v["torch_" k]; e = v["eigen_" k]; o = v["openblas_" k]
      printf "%-16s %10.1f %10.1f %8.2f %12s %8s   %s (%s)\n", k, t, e, t / e, (o ? sprintf("%.1f", o) : "-"),
             (o ? sprintf("%.2f", t / o) : "-"), v["eigen_gflops_" k], v["eigen_gflops_sgemm"]
    }
  }' "$results"
