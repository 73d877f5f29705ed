#!/bin/sh
# Runs canon's bench_conv training step (pure Eigen, and with canon::openblas when
# bench_conv_openblas is built) and the PyTorch peer side by side and prints the ratio
# of times and of peak memory (max RSS from /usr/bin/time -v).
# PyTorch gets its best configuration here (design/PERFORMANCE.md): OpenMP OpenBLAS
# (libopenblas0-openmp) first in LD_LIBRARY_PATH, OPENBLAS_CORETYPE unset, jemalloc
# preloaded with page purging off, 2 threads (set in conv_peer.py).
# Usage: benchmarks/peers/run_conv.sh [build-dir] [iterations]
set -eu
here=$(cd "$(dirname "$0")" && pwd)
build=${1:-$here/../../build}
iterations=${2:-3}
bench="$build/benchmarks/bench_conv"
[ -x "$bench" ] || { echo "run_conv.sh: $bench not built (cmake --build $build --target bench_conv)" >&2; exit 1; }
openblas_dir=$(dirname "$(dpkg -L libopenblas0-openmp | grep 'libopenblas.*\.so' | head -n 1)")
jemalloc=$(dpkg -L libjemalloc2 | grep 'libjemalloc\.so\.2$' | head -n 1)
[ -n "$openblas_dir" ] && [ -n "$jemalloc" ] || { echo "run_conv.sh: needs libopenblas0-openmp and libjemalloc2" >&2; exit 1; }
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

run_canon() {  # name binary
  echo "== canon $1 (training_step, OMP_NUM_THREADS=2)"
  env -u OPENBLAS_CORETYPE OMP_NUM_THREADS=2 /usr/bin/time -v "$2" --benchmark_filter='training_step|sgemm' \
    --benchmark_format=csv >"$tmp/$1.csv" 2>"$tmp/$1.time"
  grep -E 'training_step|sgemm' "$tmp/$1.csv"
}
run_canon eigen "$bench"
[ -x "$build/benchmarks/bench_conv_openblas" ] && run_canon openblas "$build/benchmarks/bench_conv_openblas"
echo "== PyTorch (OpenMP OpenBLAS from $openblas_dir, jemalloc, 2 threads)"
env -u OPENBLAS_CORETYPE LD_LIBRARY_PATH="$openblas_dir" LD_PRELOAD="$jemalloc" \
  MALLOC_CONF=dirty_decay_ms:-1,muzzy_decay_ms:-1 \
  /usr/bin/time -v /usr/bin/python3 "$here/conv_peer.py" 102 "$iterations" \
  >"$tmp/torch.out" 2>"$tmp/torch.time"
cat "$tmp/torch.out"
torch_ms=$(sed -n 's/.*median \([0-9.]*\) ms.*/\1/p' "$tmp/torch.out")
torch_rss=$(sed -n 's/.*Maximum resident set size (kbytes): //p' "$tmp/torch.time")
echo "torch: $torch_ms ms per step (median), peak RSS $torch_rss kB"
for name in eigen openblas; do
  [ -f "$tmp/$name.csv" ] || continue
  canon_ms=$(grep '^"training_step' "$tmp/$name.csv" | head -n 1 | cut -d, -f3)
  canon_rss=$(sed -n 's/.*Maximum resident set size (kbytes): //p' "$tmp/$name.time")
  awk -v n="$name" -v c="$canon_ms" -v t="$torch_ms" -v cr="$canon_rss" -v tr="$torch_rss" 'BEGIN {
    printf "canon %-8s %.0f ms per step, peak RSS %d kB: speed-up over PyTorch %.2fx (target >= 1.5x), memory %.2f of PyTorch (target < 1)\n",
      n, c, cr, t / c, cr / tr }'
done
