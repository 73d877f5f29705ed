#!/usr/bin/env bash
# Runs canon's Deep CCA benchmark and the PyTorch peer on the same machine in one go
# and prints how many times faster canon is. Usage: benchmarks/peers/run_dcca.sh [build-dir]
set -euo pipefail
here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
build=${1:-$here/../../build}
source "$here/best_torch_env.sh"
results=$(mktemp)
# canon runs its m x m kernels on one thread (splitting 128 x 128 problems across
# threads costs more than it saves); PyTorch gets its best set-up with 2 threads.
OMP_NUM_THREADS=1 "$build/benchmarks/bench_dcca" --benchmark_repetitions=5 --benchmark_report_aggregates_only=true 2>/dev/null |
  awk '/_median/ {sub("/real_time_median",""); print $1, $2}' >> "$results"
LD_PRELOAD="$TORCH_PRELOAD" "$TORCH_PYTHON" "$here/dcca_peer.py" >> "$results"
printf "%-26s %12s %12s %10s\n" "case (m, o)" "torch ms" "canon ms" "speed-up"
awk '
  /^torch_dcca/ { split($1, p, "/"); torch[p[2] "/" p[3] "/" p[4]] = $2; note[p[2] "/" p[3] "/" p[4]] = $4 " " $5; next }
  { split($1, p, "/"); key = p[2] "/" p[(p[3] ~ /inside/) ? 4 : 3] "/" p[(p[3] ~ /inside/) ? 5 : 4]; label = $1; canon[label] = $2; keyof[label] = key }
  END { for (l in canon) { k = keyof[l]; printf "%-34s %10.3f %12.3f %10.1f %s\n", l, torch[k], canon[l], torch[k] / canon[l], note[k] } }
' "$results" | sort
rm -f "$results"
