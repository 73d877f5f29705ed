// canon::signal with OpenMP: channels run in parallel, and every result is identical
// (bit for bit) for one and for several threads, because each channel is computed by
// one thread with the same sequential code.
#include <canon/signal/eeg_cleaning.hpp>
#include <canon/signal/resample.hpp>

#include "signal_support.hpp"

#if defined(_OPENMP)
#include <omp.h>
#endif

using canon::Matrix;
using canon::signal::BandType;

TEST_CASE("signal results do not depend on the thread count", "[signal][openmp]") {
#if !defined(_OPENMP)
  FAIL("test_filter_threads was built without OpenMP");
#else
  const Matrix<double> x = canon_test::random_matrix(6, 3000, 77);
  const auto sos = canon::signal::butter(4, {1.0, 40.0}, BandType::bandpass, 250.0);
  auto run = [&](int threads) {
    omp_set_num_threads(threads);
    std::vector<Matrix<double>> r;
    r.push_back(canon::signal::sosfiltfilt(sos, x));
    r.push_back(canon::signal::sosfilt(sos, x));
    r.push_back(canon::signal::resample_poly(x, 128, 250));
    r.push_back(canon::signal::wavelet_artifact_removal(x, 3.0));
    r.push_back(canon::signal::wavelet_semblance_denoising(canon::signal::scale_channels(x), 0.5));
    return r;
  };
  const auto one = run(1);
  const auto many = run(3);
  for (std::size_t i = 0; i < one.size(); ++i) {
    INFO("result " << i);
    CHECK((one[i] - many[i]).cwiseAbs().maxCoeff() == 0.0);
  }
#endif
}
