// The Raposo 2017 cleaning on real EEG: the music-attention trials in ../shared/data
// (64 channels at 2048 Hz, recorded in Tokyo where the mains is 50 Hz). Skips when the
// data are absent.
#include <canon/io/edf.hpp>
#include <canon/signal/eeg_cleaning.hpp>
#include <cmath>

#include "canon_test.hpp"

using namespace canon;

namespace {

// Power of every channel at frequency f: |sum_n w_n x_n e^{-2 pi i f n / fs}|^2 with a
// Hann window, summed over channels.
double power_at(const Matrix<double>& x, double fs, double f) {
  const Index n = x.cols();
  double total = 0;
  for (Index c = 0; c < x.rows(); ++c) {
    double re = 0, im = 0;
    for (Index t = 0; t < n; ++t) {
      const double w = 0.5 - 0.5 * std::cos(2 * M_PI * double(t) / double(n - 1));
      const double phase = 2 * M_PI * f * double(t) / fs;
      re += w * x(c, t) * std::cos(phase);
      im -= w * x(c, t) * std::sin(phase);
    }
    total += re * re + im * im;
  }
  return total;
}

double band_power(const Matrix<double>& x, double fs, double lo, double hi) {
  double total = 0;
  for (double f = lo; f <= hi; f += 0.5) total += power_at(x, fs, f);
  return total;
}

// Line noise: the power at 50 Hz in excess of the broadband floor around it (the mean
// power at 44-47 and 53-56 Hz, outside the notch). A Hann window over a few seconds
// has a main lobe of about +-1 Hz, so the raw power at 50 Hz also holds EEG that no
// notch should remove; only the excess is the mains.
double line_excess(const Matrix<double>& x, double fs, double mains) {
  double floor = 0;
  int count = 0;
  for (double f = mains - 6; f <= mains - 3; f += 0.5, ++count) floor += power_at(x, fs, f);
  for (double f = mains + 3; f <= mains + 6; f += 0.5, ++count) floor += power_at(x, fs, f);
  return power_at(x, fs, mains) - floor / count;
}

}  // namespace

TEST_CASE("EEG cleaning on real recordings: mains drops by 30 dB, 8-30 Hz keeps its power") {
  for (const std::string name : {"s_right2_0620_103747_Trial.edf", "e_right2_0704_105158_Trial.edf"}) {
    const std::string path = canon_test::shared_data("eeg/music-attention/" + name);
    if (path.empty()) return;
    const auto pair = io::read_aux_pair(path, "AUX69");
    // 16 channels as in Raposo's montage, to keep the test quick.
    const Matrix<double> raw = pair.eeg.data.topRows(16);
    const double fs = pair.eeg.sample_rate;
    REQUIRE(fs == 2048);
    const Matrix<double> filtered = signal::eeg_notch(signal::eeg_highpass(raw, fs), fs);
    const double line_before = line_excess(raw, fs, 50), line_after = line_excess(filtered, fs, 50);
    REQUIRE(line_before > 0);  // the recordings do carry mains
    // Remaining line noise at most 1/1000 of the original (30 dB); at or below the
    // floor counts as removed.
    const double mains_drop_db = line_after <= 0 ? INFINITY : 10 * std::log10(line_before / line_after);
    const double band_change_db = 10 * std::log10(band_power(filtered, fs, 8, 30) / band_power(raw, fs, 8, 30));
    INFO(name << ": line excess " << line_before << " -> " << line_after << ", 50 Hz line drops by " << mains_drop_db << " dB, 8-30 Hz changes by " << band_change_db << " dB");
    CHECK(mains_drop_db >= 30);
    CHECK(std::abs(band_change_db) < 1.0);

    // The whole pipeline in the paper's order runs on real data (semblance denoising
    // comes after the [-1, 1] scaling, so its output may step slightly outside it).
    const Matrix<double> cleaned = signal::clean_eeg(raw, fs);
    CHECK(cleaned.rows() == raw.rows());
    CHECK(cleaned.cols() == raw.cols());
    CHECK(cleaned.allFinite());
  }
}
