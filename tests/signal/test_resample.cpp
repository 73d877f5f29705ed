// canon/signal/resample.hpp against scipy.signal.resample_poly 1.10 (fixture made by
// tests/fixtures/make_signal_filters_fixture.py).
#include <canon/signal/resample.hpp>

#include "signal_support.hpp"

using canon::Index;
using canon::Matrix;
using signal_test::block;

TEMPLATE_TEST_CASE("resample_poly matches scipy for EEG and audio rates", "[signal][resample]", float,
                   double) {
  using S = TestType;
  struct Case {
    const char* input;
    const char* output;
    Index up, down;
  };
  for (const Case& c : {Case{"resample_x", "resample_2048_250", 250, 2048},
                        Case{"resample_x", "resample_2048_128", 128, 2048},
                        Case{"resample_audio_x", "resample_44100_22050", 22050, 44100},
                        Case{"resample_audio_x", "resample_3_2", 3, 2}}) {
    INFO(c.output);
    const Matrix<S> x = block(c.input).template cast<S>();
    const Matrix<S> y = canon::signal::resample_poly(x, c.up, c.down);
    const Matrix<double>& ref = block(c.output);
    REQUIRE(y.rows() == ref.rows());
    REQUIRE(y.cols() == ref.cols());
    CHECK(canon_test::relative_gap(y.template cast<double>(), ref) < signal_test::tolerance<S>());
  }
}

TEST_CASE("resample_poly keeps a low tone and rejects bad arguments", "[signal][resample]") {
  // A 5 Hz tone at 2048 Hz stays a 5 Hz tone of the same amplitude at 128 Hz.
  const Index n = 4096;
  Matrix<double> x(1, n);
  const double pi = 3.14159265358979323846;
  for (Index i = 0; i < n; ++i) x(0, i) = std::sin(2 * pi * 5.0 * static_cast<double>(i) / 2048.0);
  const Matrix<double> y = canon::signal::resample_poly(x, 128, 2048);
  REQUIRE(y.cols() == 256);
  double worst = 0;
  for (Index i = 20; i < 236; ++i)
    worst = std::max(worst, std::abs(y(0, i) - std::sin(2 * pi * 5.0 * static_cast<double>(i) / 128.0)));
  CHECK(worst < 3e-3);  // Kaiser(5) pass-band ripple is about 1e-3 (scipy: the same)
  using Catch::Matchers::Contains;
  CHECK_THROWS_WITH(canon::signal::resample_poly(x, 0, 2), Contains("up and down must be >= 1"));
  CHECK_THROWS_AS(canon::signal::resample_poly(Matrix<double>(1, 0), 1, 2), canon::shape_error);
  x(0, 9) = std::numeric_limits<double>::infinity();
  CHECK_THROWS_WITH(canon::signal::resample_poly(x, 1, 2), Contains("non-finite"));
}
