// canon/report/machine.hpp — what a measured number came from: the CPU, the vector
// instructions this build was compiled for, and the threads it ran on. Reports carry it
// because timings and even the last digits of results (-march=native changes rounding)
// depend on it.
#pragma once

#include <fstream>
#include <string>
#include <thread>

#ifdef _OPENMP
#include <omp.h>
#endif

namespace canon::report {

struct Machine {
  std::string cpu;           // "model name" of /proc/cpuinfo; "unknown" elsewhere
  unsigned logical_cores;    // std::thread::hardware_concurrency()
  int threads;               // OpenMP threads a parallel region gets now (1 without OpenMP)
  std::string instructions;  // the widest vector extension compiled in, e.g. "AVX2+FMA"
};

inline std::string compiled_instructions() {
#if defined(__AVX512F__)
  return "AVX-512";
#elif defined(__AVX2__) && defined(__FMA__)
  return "AVX2+FMA";
#elif defined(__AVX2__)
  return "AVX2";
#elif defined(__AVX__)
  return "AVX";
#elif defined(__SSE4_2__)
  return "SSE4.2";
#elif defined(__SSE2__)
  return "SSE2";
#elif defined(__ARM_NEON)
  return "NEON";
#else
  return "scalar";
#endif
}

inline Machine this_machine() {
  Machine m{"unknown", std::thread::hardware_concurrency(), 1, compiled_instructions()};
  std::ifstream info("/proc/cpuinfo");
  for (std::string line; std::getline(info, line);)
    if (line.rfind("model name", 0) == 0) {
      const auto colon = line.find(':');
      if (colon != std::string::npos) m.cpu = line.substr(line.find_first_not_of(' ', colon + 1));
      break;
    }
#ifdef _OPENMP
  m.threads = omp_get_max_threads();
#endif
  return m;
}

}  // namespace canon::report
