// canon/signal/fft.hpp — real-to-complex FFTs through FFTW, one plan per (size, precision).
//
// FFTW's planner is not thread-safe, its execute functions are. So plans live in a
// process-wide cache guarded by a mutex (created once per size with FFTW_ESTIMATE, never
// destroyed), and every RealFft object owns its own SIMD-aligned input and output
// buffers that it passes to the new-array execute (fftw_execute_dft_r2c). One RealFft
// per thread (e.g. constructed inside an OpenMP parallel region) is therefore safe.
//
// Output: the unnormalised one-sided DFT X[k] = sum_n x[n] exp(-2 pi i k n / N),
// k = 0 .. N/2 (numpy.fft.rfft).
#pragma once

#include <fftw3.h>

#include <complex>
#include <map>
#include <mutex>

#include "canon/core/error.hpp"
#include "canon/core/types.hpp"

namespace canon::signal {
namespace detail {

template <class S>
struct fftw_traits;

template <>
struct fftw_traits<double> {
  using plan = fftw_plan;
  using complex = fftw_complex;
  static void* malloc(std::size_t bytes) { return fftw_malloc(bytes); }
  static void free(void* p) { fftw_free(p); }
  static plan make(int n, double* in, complex* out) {
    return fftw_plan_dft_r2c_1d(n, in, out, FFTW_ESTIMATE);
  }
  static void execute(plan p, double* in, complex* out) { fftw_execute_dft_r2c(p, in, out); }
  static void destroy(plan p) { fftw_destroy_plan(p); }
};

template <>
struct fftw_traits<float> {
  using plan = fftwf_plan;
  using complex = fftwf_complex;
  static void* malloc(std::size_t bytes) { return fftwf_malloc(bytes); }
  static void free(void* p) { fftwf_free(p); }
  static plan make(int n, float* in, complex* out) {
    return fftwf_plan_dft_r2c_1d(n, in, out, FFTW_ESTIMATE);
  }
  static void execute(plan p, float* in, complex* out) { fftwf_execute_dft_r2c(p, in, out); }
  static void destroy(plan p) { fftwf_destroy_plan(p); }
};

/// One mutex for every call into FFTW's (shared, non-reentrant) planner.
inline std::mutex& fftw_planner_mutex() {
  static std::mutex m;
  return m;
}

/// The process's r2c plans by size, destroyed at exit (so that a leak checker sees none).
template <class S>
struct PlanCache {
  std::map<int, typename fftw_traits<S>::plan> plans;
  ~PlanCache() {
    for (auto& entry : plans) fftw_traits<S>::destroy(entry.second);
  }
};

/// The cached r2c plan of size n. Plans are created on fftw_malloc'ed arrays, so they
/// apply to any other fftw_malloc'ed arrays (same SIMD alignment).
template <class S>
typename fftw_traits<S>::plan r2c_plan(int n) {
  using T = fftw_traits<S>;
  static PlanCache<S> cached;
  auto& cache = cached.plans;
  std::lock_guard<std::mutex> lock(fftw_planner_mutex());
  auto it = cache.find(n);
  if (it != cache.end()) return it->second;
  S* in = static_cast<S*>(T::malloc(sizeof(S) * std::size_t(n)));
  auto* out = static_cast<typename T::complex*>(
      T::malloc(sizeof(typename T::complex) * std::size_t(n / 2 + 1)));
  auto p = T::make(n, in, out);
  T::free(in);
  T::free(out);
  if (p == nullptr)
    throw numerical_error(canon::detail::message("signal::RealFft: FFTW could not plan a ",
                                                 "real transform of size ", n));
  cache.emplace(n, p);
  return p;
}

}  // namespace detail

/// A reusable real-to-complex FFT of a fixed size. Not shareable between threads; make
/// one per thread (cheap after the first: the plan comes from the cache).
template <class S>
class RealFft {
 public:
  using traits = detail::fftw_traits<S>;

  explicit RealFft(Index size) : size_(size) {
    CANON_REQUIRE_SCALAR(S);
    if (size < 1 || size > Index(1) << 30)
      throw value_error(
          canon::detail::message("signal::RealFft: size must lie in [1, 2^30], ", "got ", size));
    plan_ = detail::r2c_plan<S>(int(size));
    in_ = static_cast<S*>(traits::malloc(sizeof(S) * std::size_t(size)));
    out_ = static_cast<typename traits::complex*>(
        traits::malloc(sizeof(typename traits::complex) * std::size_t(bins())));
    if (in_ == nullptr || out_ == nullptr) {
      release();
      throw std::bad_alloc();
    }
  }
  RealFft(const RealFft&) = delete;
  RealFft& operator=(const RealFft&) = delete;
  ~RealFft() { release(); }

  Index size() const { return size_; }
  /// Number of one-sided bins, N/2 + 1.
  Index bins() const { return size_ / 2 + 1; }

  /// The input buffer (size() samples) to fill before execute().
  S* input() { return in_; }
  /// Transforms input() into output() (bins() complex numbers).
  void execute() { traits::execute(plan_, in_, out_); }
  const std::complex<S>* output() const {
    // fftw_complex is S[2], layout-compatible with std::complex<S> (FFTW manual 4.1.1).
    return reinterpret_cast<const std::complex<S>*>(out_);
  }
  /// |X[k]|^2 of the last transform.
  S power(Index k) const { return out_[k][0] * out_[k][0] + out_[k][1] * out_[k][1]; }

 private:
  void release() {
    if (in_) traits::free(in_);
    if (out_) traits::free(out_);
    in_ = nullptr;
    out_ = nullptr;
  }

  Index size_;
  typename traits::plan plan_{};
  S* in_ = nullptr;
  typename traits::complex* out_ = nullptr;
};

}  // namespace canon::signal
