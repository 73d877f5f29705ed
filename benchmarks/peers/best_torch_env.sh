# Sourced by the run_*.sh scripts: gives PyTorch (Debian python3-torch) its best set-up
# on these machines, as measured in ../shared/design/PERFORMANCE.md: Debian's OpenMP
# OpenBLAS, OPENBLAS_CORETYPE unset (AVX-512 kernels), jemalloc with page purging off.
# Usage: source best_torch_env.sh; then run "$TORCH_PYTHON" script.py
multiarch=$(gcc -print-multiarch 2>/dev/null || echo x86_64-linux-gnu)
openblas_dir=/usr/lib/$multiarch/openblas-openmp
jemalloc=/usr/lib/$multiarch/libjemalloc.so.2
for need in "$openblas_dir/libopenblas.so.0" "$jemalloc" /usr/lib/python3/dist-packages/torch/__init__.py; do
  if [ ! -e "$need" ]; then
    echo "peer set-up: $need is missing; install python3-torch libopenblas0-openmp libjemalloc2" >&2
    return 1 2>/dev/null || exit 1
  fi
done
unset OPENBLAS_CORETYPE
export LD_LIBRARY_PATH="$openblas_dir${LD_LIBRARY_PATH:+:$LD_LIBRARY_PATH}"
export TORCH_PRELOAD="$jemalloc"
export MALLOC_CONF=dirty_decay_ms:-1,muzzy_decay_ms:-1
export OMP_NUM_THREADS=2
TORCH_PYTHON=/usr/bin/python3
