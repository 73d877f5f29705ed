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

namespace canon {

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
