#!/usr/bin/env bash
# Runs canon's bench_avramidis (pure Eigen, and through OpenBLAS when
# bench_avramidis_openblas is built) and the PyTorch peer side by side: one training step
# of the Avramidis joint model at the authors' sizes (forward + J + backward + Adam,
# fp32), batch 64 (issue #11) and 32 (the protocol's). Prints each time, PyTorch's over
# canon's, and GFLOP/s of the step beside the SGEMM measured in the same binary (FLOPs:
# the analytic GEMM count of bench_avramidis.cpp, which the peer repeats and checks
# against PyTorch's profiler). PyTorch gets its best set-up (best_torch_env.sh).
# Run it on a quiet machine: with another job on the 2 cores, OpenMP's 2 threads wait
# on each other and both sides slow down by large, unequal factors.
# Usage: benchmarks/peers/run_avramidis.sh [build-dir] [peer iterations]
set -euo pipefail
here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
build=${1:-$here/../../build}
iterations=${2:-30}
bench="$build/benchmarks/bench_avramidis"
[ -x "$bench" ] || { echo "run_avramidis.sh: $bench not built (cmake --build $build --target bench_avramidis)" >&2; exit 1; }
source "$here/best_torch_env.sh"
results=$(mktemp)
trap 'rm -f "$results"' EXIT
grep -m1 'model name' /proc/cpuinfo | sed 's/.*: /cpu: /'
echo "load before: $(cut -d' ' -f1-3 /proc/loadavg)"
run_canon() {  # label binary
  OMP_NUM_THREADS=2 "$2" --benchmark_repetitions=3 --benchmark_report_aggregates_only=true 2>/dev/null |
    awk -v l="$1" '/_median/ { name=$1; sub("/min_time.*", "", name); sub("/", "_", name); print l "_" name, $2, $4
                               for (i = 1; i <= NF; i++) if ($i ~ /GFLOP\/s=/) { g=$i; sub("GFLOP/s=", "", g); sub("G/s", "", g); print l "_gflops_" name, g } }' >> "$results"
}
run_canon eigen "$bench"
[ -x "$build/benchmarks/bench_avramidis_openblas" ] && run_canon openblas "$build/benchmarks/bench_avramidis_openblas"
LD_PRELOAD="$TORCH_PRELOAD" "$TORCH_PYTHON" "$here/avramidis_peer.py" "$iterations" | awk '{print $1, $2, $4}' >> "$results"
echo "load after: $(cut -d' ' -f1-3 /proc/loadavg)"
awk '
  { v[$1] = $2; cpu[$1] = $3 }
  END {
    printf "%-20s %9s %9s %7s %11s %7s   %s\n", "workload", "torch ms", "eigen ms", "x torch", "openblas ms", "x torch", "GFLOP/s eigen | openblas | torch (GFLOP)"
    split("step_64 step_32", w, " ")
    for (i = 1; i <= 2; i++) {
      k = w[i]; n = k; sub("step_", "", n); t = v["torch_" k]; e = v["eigen_avramidis_" k]; o = v["openblas_avramidis_" k]
      g = v["torch_gflop_" n]
      printf "%-20s %9.1f %9.1f %7.2f %11s %7s   %.1f | %s | %.1f (%.3f; profiler %.3f)\n", "avramidis_" k, t, e, t / e,
             (o ? sprintf("%.1f", o) : "-"), (o ? sprintf("%.2f", t / o) : "-"), v["eigen_gflops_avramidis_" k],
             (o ? sprintf("%.1f", v["openblas_gflops_avramidis_" k]) : "-"), g / t * 1000, g, v["torch_profiler_gflop_" n]
    }
    printf "%-20s %9s %9.1f %7s %11s\n", "avramidis_forward_64", "", v["eigen_avramidis_forward_64"], "",
           (v["openblas_avramidis_forward_64"] ? sprintf("%.1f", v["openblas_avramidis_forward_64"]) : "-")
    printf "sgemm 2048 GFLOP/s: eigen %s, openblas %s\n", v["eigen_gflops_sgemm_2048"], v["openblas_gflops_sgemm_2048"]
  }' "$results"
