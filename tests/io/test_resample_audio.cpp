#include <canon/io/resample_audio.hpp>
#include <cmath>

#include "canon_test.hpp"

using namespace canon;

TEST_CASE("io::resample: 44.1 kHz to 22.05 kHz keeps a 1 kHz tone and halves the length") {
  io::Audio audio;
  audio.sample_rate = 44100;
  audio.samples.resize(2, 44100);
  for (Index t = 0; t < 44100; ++t) {
    audio.samples(0, t) = float(0.5 * std::sin(2 * M_PI * 1000.0 * double(t) / 44100));
    audio.samples(1, t) = float(0.25 * std::sin(2 * M_PI * 1000.0 * double(t) / 44100));
  }
  const io::Audio half = io::resample(audio, 22050);
  CHECK(half.sample_rate == 22050);
  REQUIRE(half.frames() == 22050);
  CHECK(half.channels() == 2);
  // Away from the edges the tone is the same tone at the new rate.
  double worst = 0;
  for (Index t = 1000; t < 21000; ++t)
    worst = std::max(worst, std::abs(double(half.samples(0, t)) - 0.5 * std::sin(2 * M_PI * 1000.0 * double(t) / 22050)));
  CHECK(worst < 1e-3);
  CHECK(io::resample(audio, 44100).samples == audio.samples);
  CHECK_THROWS_AS(io::resample(audio, 22050.5), value_error);
  CHECK_THROWS_AS(io::resample(audio, 0), value_error);
}

TEST_CASE("io::read_audio with a target rate reads a real clip at the model's rate") {
  const std::string path = canon_test::shared_data("deam-2013/wav/2.wav");
  if (path.empty()) return;
  const io::Audio original = io::read_audio(path);
  const io::Audio resampled = io::read_audio(path, 22050);
  CHECK(resampled.sample_rate == 22050);
  CHECK(std::abs(double(resampled.frames()) - double(original.frames()) * 22050 / original.sample_rate) <= 1);
}
