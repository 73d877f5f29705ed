// canon/core/threads.hpp — the thread count a result depends on, and how to keep it fixed.
//
// Same seed, same thread count, same CPU: same result, bit for bit. canon's own parallel
// loops split their work into as many fixed parts as threads were *asked for*
// (omp_get_max_threads(), capped by the problem's size; core/detail/parallel_columns.hpp)
// and add partial results in part order, so they do not depend on how many threads the
// OpenMP runtime actually grants. Eigen's threaded products do: they block the product
// by the team size they get. With OMP_DYNAMIC=true the runtime may grant fewer threads
// under load, and results then change with the load. DeterministicThreads switches
// dynamic adjustment off while it lives (train::fit holds one for the whole run);
// wrap inference in one for the same guarantee. The thread count itself is the
// user's: OMP_NUM_THREADS, omp_set_num_threads or Eigen::setNbThreads.
#pragma once

#ifdef _OPENMP
#include <omp.h>
#endif

#include <algorithm>

namespace canon {

/// canon's thread policy for a model whose largest matrix product of one training step
/// takes `multiply_adds` (m n k for an m x k by k x n product): one thread below 2^21,
/// every thread OpenMP offers above. Measured with `canon train dcca` on 2 vCPUs
/// (Intel Xeon, AVX-512, 2026-12-03; docs/training.md#threads): for 32-32 branches at
/// batch 200 (about 2e5 multiply-adds) two threads gained 5 % on an idle machine and
/// were 15 times slower with one core busy elsewhere (OpenMP's threads spin at every
/// barrier waiting for the one that is not scheduled); at 256-256 and batch 500 (3e7)
/// two threads were 1.7 times faster idle. The count depends on the model alone, not on
/// the load, so the same command keeps giving the same bits.
inline int threads_for_work(double multiply_adds) {
  if (!(multiply_adds >= double(1 << 21))) return 1;
#ifdef _OPENMP
  return std::max(1, omp_get_max_threads());
#else
  return 1;
#endif
}

class DeterministicThreads {
 public:
  DeterministicThreads() {
#ifdef _OPENMP
    was_dynamic_ = omp_get_dynamic() != 0;
    omp_set_dynamic(0);
#endif
  }
  ~DeterministicThreads() {
#ifdef _OPENMP
    omp_set_dynamic(was_dynamic_ ? 1 : 0);
#endif
  }
  DeterministicThreads(const DeterministicThreads&) = delete;
  DeterministicThreads& operator=(const DeterministicThreads&) = delete;

  /// Whether OpenMP had dynamic adjustment on before this guard.
  bool was_dynamic() const { return was_dynamic_; }

 private:
  bool was_dynamic_ = false;
};

}  // namespace canon
