// FFTW plans under OpenMP: plans of many sizes requested concurrently from several
// threads (the cache serialises FFTW's planner), and multichannel results independent of
// the number of threads.
#include <omp.h>

#include <canon/signal/differential_entropy.hpp>

#include "canon_test.hpp"

using canon::Index;
using canon::Matrix;
namespace sg = canon::signal;

TEST_CASE("RealFft is safe to create and run from several threads", "[signal]") {
  // Each thread plans sizes 8..71 in a different order and checks the DC bin of ones.
  int failures = 0;
#pragma omp parallel num_threads(4) reduction(+ : failures)
  {
    const int t = omp_get_thread_num();
    for (int i = 0; i < 64; ++i) {
      const Index n = 8 + (i * 7 + t * 13) % 64;
      sg::RealFft<double> fft(n);
      for (Index j = 0; j < n; ++j) fft.input()[j] = 1.0;
      fft.execute();
      if (std::abs(fft.output()[0].real() - double(n)) > 1e-12) ++failures;
      if (n > 2 && std::abs(fft.output()[1]) > 1e-12) ++failures;
    }
  }
  CHECK(failures == 0);
}

TEST_CASE("STFT and DE do not depend on the number of threads", "[signal]") {
  const Matrix<double> x = canon_test::random_matrix(7, 20 * 128, 9);
  sg::StftOptions o;
  o.fs = 128.0;
  o.nperseg = 100;
  omp_set_num_threads(1);
  const auto one = sg::stft<double>(x, o);
  const auto de_one = sg::differential_entropy<double>(x);
  omp_set_num_threads(2);
  auto two = sg::stft<double>(x, o);
  const auto de_two = sg::differential_entropy<double>(x);
  for (std::size_t c = 0; c < one.values.size(); ++c) CHECK(one.values[c] == two.values[c]);
  for (std::size_t s = 0; s < de_one.size(); ++s) CHECK(de_one[s] == de_two[s]);
  // stft_into reuses the buffers and resizes them when the signal length changes.
  const Matrix<double> shorter = x.leftCols(1000);
  sg::stft_into(shorter, o, two);
  CHECK(two.values[3] == sg::stft<double>(shorter, o).values[3]);
  CHECK(two.times.size() == two.values[3].cols());
}
