// Fixed windows and time-aligned chunking of two streams.
#include <canon/signal/segmentation.hpp>

#include "canon_test.hpp"

using canon::Index;
using canon::Matrix;
namespace sg = canon::signal;

TEST_CASE("fixed windows cut every channel at the same hop", "[signal]") {
  Matrix<double> x(3, 10);
  for (Index c = 0; c < 3; ++c)
    for (Index n = 0; n < 10; ++n) x(c, n) = double(100 * c + n);
  const auto w = sg::fixed_windows(x, 4, 3);  // starts 0, 3, 6; tail 9 dropped
  REQUIRE(w.size() == 3);
  CHECK(w[2].rows() == 3);
  CHECK(w[2].cols() == 4);
  CHECK(w[2](2, 0) == 206.0);
  CHECK(w[2](1, 3) == 109.0);
  CHECK(sg::fixed_windows(x, 10, 1).size() == 1);
  CHECK_THROWS_WITH(sg::fixed_windows(x, 11, 1),
                    Catch::Contains("window") && Catch::Contains("longer"));
  CHECK_THROWS_WITH(sg::fixed_windows(x, 4, 0), Catch::Contains("hop"));
  CHECK_THROWS_WITH(sg::fixed_windows(x, 0, 1), Catch::Contains("window"));
  CHECK_THROWS_WITH(sg::fixed_windows(Matrix<double>(3, 0), 1, 1), Catch::Contains("empty"));
}

TEST_CASE("aligned chunks pair 1.5 s of 22050 Hz audio with 1.5 s of 250 Hz EEG", "[signal]") {
  // 10 s of each; sample values encode time so alignment is checkable.
  Matrix<float> audio(1, 220500);
  for (Index n = 0; n < audio.cols(); ++n) audio(0, n) = float(n) / 22050.0f;
  Matrix<float> eeg(16, 2500);
  for (Index n = 0; n < eeg.cols(); ++n) eeg.col(n).setConstant(float(n) / 250.0f);
  const auto pairs = sg::aligned_chunks(audio, 22050.0, eeg, 250.0);
  REQUIRE(pairs.size() == 6);  // floor(10 / 1.5)
  for (std::size_t k = 0; k < pairs.size(); ++k) {
    CHECK(pairs[k].first.rows() == 1);
    CHECK(pairs[k].first.cols() == 33075);
    CHECK(pairs[k].second.rows() == 16);
    CHECK(pairs[k].second.cols() == 375);
    CHECK(pairs[k].first(0, 0) == Approx(1.5 * double(k)));
    CHECK(pairs[k].second(5, 0) == Approx(1.5 * double(k)));
  }
  sg::AlignedChunkOptions hop;
  hop.hop_seconds = 0.5;
  CHECK(sg::aligned_chunks(audio, 22050.0, eeg, 250.0, hop).size() == 18);  // (10 - 1.5) / 0.5 + 1
  // One second of EEG missing: the streams disagree.
  const Matrix<float> short_eeg = eeg.leftCols(2250);
  CHECK_THROWS_WITH(sg::aligned_chunks(audio, 22050.0, short_eeg, 250.0),
                    Catch::Contains("tolerance_seconds") && Catch::Contains("9 s"));
  sg::AlignedChunkOptions loose;
  loose.tolerance_seconds = 1.5;
  CHECK(sg::aligned_chunks(audio, 22050.0, short_eeg, 250.0, loose).size() == 6);
  sg::AlignedChunkOptions odd;
  odd.chunk_seconds = 1.0 / 3.0;  // not a whole number of samples at 250 Hz
  CHECK_THROWS_WITH(sg::aligned_chunks(audio, 22050.0, eeg, 250.0, odd),
                    Catch::Contains("chunk_seconds"));
  CHECK_THROWS_WITH(sg::aligned_chunks(audio, 0.0, eeg, 250.0), Catch::Contains("rates"));
}
