// canon/signal/iir.hpp against scipy.signal 1.10 (fixture made by
// tests/fixtures/make_signal_filters_fixture.py).
#include <canon/signal/iir.hpp>

#include "signal_support.hpp"

using canon::Index;
using canon::Matrix;
using canon::signal::BandType;
using signal_test::block;

namespace {

struct Design {
  const char* name;
  int order;
  std::vector<double> cutoff;
  BandType type;
  double fs;
};

const std::vector<Design>& designs() {
  static const std::vector<Design> d = {
      {"butter_lp1", 1, {30.0}, BandType::lowpass, 250.0},
      {"butter_lp4", 4, {30.0}, BandType::lowpass, 250.0},
      {"butter_lp7", 7, {12.5}, BandType::lowpass, 128.0},
      {"butter_hp5", 5, {0.5}, BandType::highpass, 250.0},
      {"butter_hp2", 2, {1.0}, BandType::highpass, 128.0},
      {"butter_hp3", 3, {40.0}, BandType::highpass, 250.0},
      {"butter_bp1", 1, {8.0, 13.0}, BandType::bandpass, 128.0},
      {"butter_bp4", 4, {4.0, 7.0}, BandType::bandpass, 128.0},
      {"butter_bp5", 5, {0.5, 49.5}, BandType::bandpass, 250.0},
      {"butter_bs2", 2, {48.0, 52.0}, BandType::bandstop, 250.0},
      {"butter_bs5", 5, {49.0, 51.0}, BandType::bandstop, 250.0},
      {"butter_bs3", 3, {10.0, 20.0}, BandType::bandstop, 128.0},
  };
  return d;
}

template <class S>
Matrix<S> input() {
  return block("filt_x").cast<S>();
}

}  // namespace

TEST_CASE("butter matches scipy sos for every type and order", "[signal][iir]") {
  for (const Design& d : designs()) {
    INFO(d.name);
    const canon::signal::Sos sos = canon::signal::butter(d.order, d.cutoff, d.type, d.fs);
    const Matrix<double>& ref = block(d.name);
    REQUIRE(sos.rows() == ref.rows());
    REQUIRE(sos.cols() == 6);
    // Row by row (section order and pairing must agree, not only the cascade).
    for (Index s = 0; s < sos.rows(); ++s) {
      INFO("section " << s);
      CHECK(canon_test::relative_gap(sos.row(s), ref.row(s)) < 1e-9);
    }
  }
}

TEST_CASE("iirnotch matches scipy", "[signal][iir]") {
  CHECK(canon_test::relative_gap(canon::signal::iirnotch(50.0, 30.0, 250.0),
                                 block("iirnotch_50_30_250")) < 1e-12);
  CHECK(canon_test::relative_gap(canon::signal::iirnotch(60.0, 10.0, 512.0),
                                 block("iirnotch_60_10_512")) < 1e-12);
}

TEST_CASE("sosfilt_zi matches scipy", "[signal][iir]") {
  const auto sos = canon::signal::butter(4, 30.0, BandType::lowpass, 250.0);
  CHECK(canon_test::relative_gap(canon::signal::sosfilt_zi(sos), block("sosfilt_zi_lp4")) < 1e-9);
}

TEMPLATE_TEST_CASE("sosfilt matches scipy with and without initial state", "[signal][iir]", float,
                   double) {
  using S = TestType;
  const auto sos = canon::signal::butter(4, 30.0, BandType::lowpass, 250.0);
  const Matrix<S> y = canon::signal::sosfilt(sos, input<S>());
  CHECK(canon_test::relative_gap(y.template cast<double>(), block("sosfilt_lp4")) <
        signal_test::tolerance<S>());
  Matrix<S> state = block("sosfilt_zi_in").cast<S>();
  const Matrix<S> y2 = canon::signal::sosfilt(sos, input<S>(), &state);
  CHECK(canon_test::relative_gap(y2.template cast<double>(), block("sosfilt_zi_out")) <
        signal_test::tolerance<S>());
  CHECK(canon_test::relative_gap(state.template cast<double>(), block("sosfilt_zi_final")) <
        signal_test::tolerance<S>());
}

TEMPLATE_TEST_CASE("sosfiltfilt matches scipy default odd padding", "[signal][iir]", float, double) {
  using S = TestType;
  struct Case {
    const char* name;
    canon::signal::Sos sos;
  };
  const std::vector<Case> cases = {
      {"sosfiltfilt_lp4", canon::signal::butter(4, 30.0, BandType::lowpass, 250.0)},
      {"sosfiltfilt_hp3", canon::signal::butter(3, 1.0, BandType::highpass, 250.0)},
      {"sosfiltfilt_bp2", canon::signal::butter(2, {4.0, 7.0}, BandType::bandpass, 128.0)},
      {"sosfiltfilt_notch", canon::signal::iirnotch(50.0, 30.0, 250.0)},
  };
  for (const Case& c : cases) {
    INFO(c.name);
    const Matrix<S> y = canon::signal::sosfiltfilt(c.sos, input<S>());
    // Float: the high-pass at 1 Hz / 250 Hz has poles within 1e-2 of z = 1, which
    // amplifies rounding; 1e-4 relative is float's honest reach there.
    const double tol = std::is_same_v<S, float> ? 1e-4 : 1e-9;
    CHECK(canon_test::relative_gap(y.template cast<double>(), block(c.name)) < tol);
  }
}

TEST_CASE("sosfiltfilt into a reused output and in place", "[signal][iir]") {
  const auto sos = canon::signal::butter(2, {4.0, 7.0}, BandType::bandpass, 128.0);
  const Matrix<double> x = block("filt_x");
  Matrix<double> out(5, 5);  // wrong shape: resized
  canon::signal::sosfiltfilt(sos, x, out);
  CHECK(canon_test::relative_gap(out, block("sosfiltfilt_bp2")) < 1e-9);
  Matrix<double> in_place = x;
  canon::signal::sosfiltfilt(sos, in_place, in_place);
  CHECK((in_place - out).cwiseAbs().maxCoeff() == 0.0);
}

TEST_CASE("sosfiltfilt padlen follows scipy's rule", "[signal][iir]") {
  // Odd order: the first-order section has b2 = a2 = 0, one tap fewer.
  CHECK(canon::signal::sosfiltfilt_padlen(canon::signal::butter(3, 1.0, BandType::highpass, 250.0)) ==
        3 * (2 * 2 + 1 - 1));
  CHECK(canon::signal::sosfiltfilt_padlen(canon::signal::butter(4, 30.0, BandType::lowpass, 250.0)) ==
        3 * (2 * 2 + 1));
}

TEST_CASE("sosfiltfilt results do not depend on the channel count", "[signal][iir]") {
  // Each channel is filtered alone: a channel's output is the same in any batch (and
  // hence with any number of OpenMP threads).
  // 11 channels: one full block of 8 (filtered in place) and one partial block of 3
  // (zero-padded copy); alone, each channel is a partial block of 1.
  const auto sos = canon::signal::butter(5, 0.5, BandType::highpass, 250.0);
  const Matrix<double> x = canon_test::random_matrix(11, 500, 3);
  const Matrix<double> all = canon::signal::sosfiltfilt(sos, x);
  const Matrix<double> causal = canon::signal::sosfilt(sos, x);
  for (Index c = 0; c < x.rows(); ++c) {
    INFO("channel " << c);
    const Matrix<double> row = x.row(c);
    CHECK((canon::signal::sosfiltfilt(sos, row).row(0) - all.row(c)).cwiseAbs().maxCoeff() == 0.0);
    CHECK((canon::signal::sosfilt(sos, row).row(0) - causal.row(c)).cwiseAbs().maxCoeff() == 0.0);
  }
  // And the batch result is the scipy-equivalent result: spot-check against the
  // 2-channel fixture placed in the middle of a 10-channel batch (full-block path).
  const auto lp = canon::signal::butter(4, 30.0, BandType::lowpass, 250.0);
  Matrix<double> wide = canon_test::random_matrix(10, 300, 4);
  wide.middleRows(3, 2) = block("filt_x");
  CHECK(canon_test::relative_gap(Matrix<double>(canon::signal::sosfiltfilt(lp, wide).middleRows(3, 2)),
                                 block("sosfiltfilt_lp4")) < 1e-9);
  CHECK(canon_test::relative_gap(Matrix<double>(canon::signal::sosfilt(lp, wide).middleRows(3, 2)),
                                 block("sosfilt_lp4")) < 1e-9);
}

TEST_CASE("iir rejects bad arguments with a message naming them", "[signal][iir]") {
  using canon::value_error;
  using canon::shape_error;
  using Catch::Matchers::Contains;
  CHECK_THROWS_WITH(canon::signal::butter(0, 10.0, BandType::lowpass, 250.0), Contains("order must be >= 1"));
  CHECK_THROWS_WITH(canon::signal::butter(2, 125.0, BandType::lowpass, 250.0), Contains("cutoff") && Contains("Nyquist"));
  CHECK_THROWS_WITH(canon::signal::butter(2, 0.0, BandType::highpass, 250.0), Contains("cutoff"));
  CHECK_THROWS_WITH(canon::signal::butter(2, -1.0, BandType::highpass, 250.0), Contains("cutoff"));
  CHECK_THROWS_AS(canon::signal::butter(2, std::vector<double>{10.0}, BandType::bandpass, 250.0), value_error);
  CHECK_THROWS_WITH(canon::signal::butter(2, {20.0, 10.0}, BandType::bandpass, 250.0), Contains("low < high"));
  CHECK_THROWS_WITH(canon::signal::butter(2, {10.0, 130.0}, BandType::bandstop, 250.0), Contains("Nyquist"));
  CHECK_THROWS_WITH(canon::signal::butter(2, 10.0, BandType::lowpass, -1.0), Contains("fs"));
  CHECK_THROWS_WITH(canon::signal::iirnotch(125.0, 30.0, 250.0), Contains("w0"));
  CHECK_THROWS_WITH(canon::signal::iirnotch(50.0, 0.0, 250.0), Contains("Q must be positive"));
  const auto sos = canon::signal::butter(4, 30.0, BandType::lowpass, 250.0);
  CHECK_THROWS_WITH(canon::signal::sosfiltfilt(sos, Matrix<double>(Matrix<double>::Ones(2, 15))),
                    Contains("padlen = 15"));
  Matrix<double> x = Matrix<double>::Ones(2, 100);
  x(1, 7) = std::numeric_limits<double>::quiet_NaN();
  CHECK_THROWS_WITH(canon::signal::sosfiltfilt(sos, x), Contains("non-finite") && Contains("row 1"));
  x(1, 7) = std::numeric_limits<double>::infinity();
  CHECK_THROWS_AS(canon::signal::sosfilt(sos, x), value_error);
  CHECK_THROWS_AS(canon::signal::sosfiltfilt(sos, Matrix<double>(2, 0)), shape_error);
  CHECK_THROWS_AS(canon::signal::sosfilt(sos, Matrix<double>(0, 10)), shape_error);
  Matrix<double> wrong_state(2, 3);
  CHECK_THROWS_AS(canon::signal::sosfilt(sos, Matrix<double>(Matrix<double>::Ones(2, 10)), &wrong_state), shape_error);
}
