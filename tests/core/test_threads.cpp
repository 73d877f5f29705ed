// canon's parallel loops cut their work by the thread count asked for, not by the
// count the OpenMP runtime grants, so OMP_DYNAMIC (which grants fewer under load) and
// OMP_THREAD_LIMIT do not change results; DeterministicThreads turns dynamic
// adjustment off for a scope and restores it.
#include <canon/core/threads.hpp>
#include <omp.h>

#include <array>
#include <cstdio>
#include <memory>
#include <string>

#include "canon_test.hpp"

namespace {
std::string worker_output(const std::string& environment) {
  const std::string command = "env " + environment + " " + CANON_THREADS_WORKER;
  std::unique_ptr<FILE, int (*)(FILE*)> pipe(popen(command.c_str(), "r"), pclose);
  REQUIRE(pipe != nullptr);
  std::array<char, 64> line{};
  REQUIRE(std::fgets(line.data(), int(line.size()), pipe.get()) != nullptr);
  return line.data();
}
}  // namespace

TEST_CASE("parallel loops give the same bits whatever number of threads the runtime grants", "[robust]") {
  const std::string asked_two = worker_output("OMP_NUM_THREADS=2 OMP_DYNAMIC=false");
  // The runtime grants one thread for a request of two: the work is still cut in two
  // parts, summed in part order. (Before, the parts were the granted threads' shares.)
  CHECK(worker_output("OMP_NUM_THREADS=2 OMP_THREAD_LIMIT=1") == asked_two);
  CHECK(worker_output("OMP_NUM_THREADS=2 OMP_DYNAMIC=true") == asked_two);
  // Asking for one thread is another partition, and the test can tell (float sums in
  // another order round differently).
  CHECK(worker_output("OMP_NUM_THREADS=1") != asked_two);
}

TEST_CASE("DeterministicThreads switches dynamic adjustment off and restores it") {
  omp_set_dynamic(1);
  {
    const canon::DeterministicThreads fixed;
    CHECK(fixed.was_dynamic());
    CHECK(omp_get_dynamic() == 0);
  }
  CHECK(omp_get_dynamic() != 0);
  omp_set_dynamic(0);
}
