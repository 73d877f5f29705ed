// canon/core/detail/parallel_columns.hpp — splitting a matrix's columns among OpenMP
// threads for memory-bound element-wise passes (activations, batch norm, pooling).
//
// Thread t of T gets columns [n t / T, n (t + 1) / T): a fixed partition, so any
// per-thread partial result combined in thread order is the same on every run with the
// same thread count. Small matrices stay on one thread (waking threads costs more).
// Without OpenMP, or inside an enclosing parallel region, it runs serially.
#pragma once

#include <algorithm>

#include "canon/core/types.hpp"

#ifdef _OPENMP
#include <omp.h>
#endif

namespace canon::detail {

/// Threads parallel_columns will use for `cols` columns of `rows` values each.
inline int column_threads(Index rows, Index cols) {
#ifdef _OPENMP
  constexpr Index serial_below = Index(1) << 16;  // values; below this one thread is faster
  if (rows * cols < serial_below || omp_in_parallel()) return 1;
  return int(std::min<Index>(omp_get_max_threads(), cols));
#else
  (void)rows;
  (void)cols;
  return 1;
#endif
}

/// Calls f(thread, first_column, column_count) for every part of the partition.
template <class F>
void parallel_columns(Index rows, Index cols, F&& f) {
  const int threads = column_threads(rows, cols);
#ifdef _OPENMP
#pragma omp parallel for schedule(static) num_threads(threads) if (threads > 1)
#endif
  for (int t = 0; t < threads; ++t) {
    const Index begin = cols * t / threads, end = cols * (t + 1) / threads;
    f(t, begin, end - begin);
  }
}

}  // namespace canon::detail
