#include <catch2/catch.hpp>

#include <cmath>
#include <cstdio>
#include <fstream>
#include <sstream>

#include "canon/io/audio.hpp"
#include "canon/io/csv.hpp"
#include "canon_test.hpp"

namespace {

canon::io::Audio tone(int channels, int frames, double rate) {
  canon::io::Audio a;
  a.sample_rate = rate;
  a.samples.resize(channels, frames);
  for (int c = 0; c < channels; ++c)
    for (int t = 0; t < frames; ++t)
      a.samples(c, t) = static_cast<float>(0.5 * std::sin(0.01 * (c + 1) * t));
  return a;
}

std::string error_of(const std::string& path) {
  try {
    canon::io::read_audio(path);
  } catch (const canon::io_error& e) {
    return e.what();
  }
  return "no error";
}

void write_bytes(const std::string& path, const std::string& bytes) {
  std::ofstream(path, std::ios::binary) << bytes;
}

}  // namespace

TEST_CASE("audio WAV and FLAC written by libsndfile round trip", "[io][audio]") {
  const auto a = tone(2, 3000, 22050);
  for (auto format : {canon::io::AudioFormat::wav_pcm16, canon::io::AudioFormat::flac_pcm16,
                      canon::io::AudioFormat::wav_float}) {
    const std::string path = format == canon::io::AudioFormat::flac_pcm16 ? "canon_rt.flac" : "canon_rt.wav";
    canon::io::write_audio(path, a, format);
    const auto b = canon::io::read_audio(path);
    CHECK(b.sample_rate == 22050);
    REQUIRE(b.channels() == 2);
    REQUIRE(b.frames() == 3000);
    const double tolerance = format == canon::io::AudioFormat::wav_float ? 0.0 : 1.0 / 32768;
    CHECK((b.samples - a.samples).cwiseAbs().maxCoeff() <= tolerance);
    const auto m = b.mono();
    CHECK(m(0, 100) == Approx(0.5f * (b.samples(0, 100) + b.samples(1, 100))));
    std::remove(path.c_str());
  }
}

TEST_CASE("audio rejects empty truncated and garbled files", "[io][audio]") {
  write_bytes("canon_empty.wav", "");
  CHECK_THAT(error_of("canon_empty.wav"), Catch::Contains("canon_empty.wav"));
  write_bytes("canon_garbled.wav", "RIFF\x10\x00\x00\x00WAVEjunkjunkjunk");
  CHECK_THAT(error_of("canon_garbled.wav"), Catch::Contains("canon_garbled.wav"));
  CHECK_THAT(error_of("/nonexistent/a.mp3"), Catch::Contains("/nonexistent/a.mp3"));
  // A valid header with the data cut short.
  canon::io::write_audio("canon_full.wav", tone(1, 4000, 8000));
  std::ifstream in("canon_full.wav", std::ios::binary);
  std::stringstream all;
  all << in.rdbuf();
  write_bytes("canon_cut.wav", all.str().substr(0, all.str().size() / 2));
  CHECK_THAT(error_of("canon_cut.wav"), Catch::Contains("truncated") && Catch::Contains("canon_cut.wav"));
  CHECK(error_of("canon_cut.wav") != "no error");
  CHECK_THROWS_AS(canon::io::write_audio("x.wav", canon::io::Audio{}), canon::shape_error);
  for (const char* f : {"canon_empty.wav", "canon_garbled.wav", "canon_full.wav", "canon_cut.wav"}) std::remove(f);
}

TEST_CASE("audio matches scipy wavfile on the real WAVs", "[io][audio][real]") {
  std::ifstream fixture(std::string(CANON_FIXTURES_DIR) + "/wav_fixture.txt");
  REQUIRE(fixture);
  std::string line;
  int checked = 0;
  while (std::getline(fixture, line)) {
    std::istringstream in(line);
    std::string rel;
    double rate = 0;
    canon::Index channels = 0, frames = 0;
    in >> rel >> rate >> channels >> frames;
    const std::string path = canon_test::shared_data(rel);
    if (path.empty()) continue;
    INFO(rel);
    const auto a = canon::io::read_audio(path);
    CHECK(a.sample_rate == rate);
    REQUIRE(a.channels() == channels);
    REQUIRE(a.frames() == frames);
    canon::Index frame = 0, channel = 0;
    double value = 0;
    while (in >> frame >> channel >> value) {
      CHECK(a.samples(channel, frame) == static_cast<float>(value));
      ++checked;
    }
  }
  if (checked > 0) CHECK(checked >= 7);
}

TEST_CASE("audio decodes the DEAM MP3 clips", "[io][audio][real]") {
  for (const char* id : {"2", "3", "4", "5", "7", "8", "10", "12", "13", "17"}) {
    const std::string path = canon_test::shared_data(std::string("deam-2013/mp3/") + id + ".mp3");
    if (path.empty()) continue;
    INFO(path);
    const auto a = canon::io::read_audio(path);
    CHECK(a.sample_rate == 44100);
    CHECK(a.seconds() > 44.0);
    CHECK(a.seconds() < 47.0);
    CHECK(a.samples.allFinite());
    CHECK(a.samples.cwiseAbs().maxCoeff() > 0.05f);  // not silence
    CHECK(a.samples.cwiseAbs().maxCoeff() <= 1.0f);
  }
  // The MP3 of song 2 and its WAV are the same clip: equal length to within a frame
  // of MP3 padding and equal loudness.
  const std::string mp3 = canon_test::shared_data("deam-2013/mp3/2.mp3");
  const std::string wav = canon_test::shared_data("deam-2013/wav/2.wav");
  if (mp3.empty() || wav.empty()) return;
  const auto a = canon::io::read_audio(mp3).mono();
  const auto b = canon::io::read_audio(wav).mono();
  CHECK(std::abs(a.cols() - b.cols()) < 4096);
  const double ra = std::sqrt(a.squaredNorm() / a.cols()), rb = std::sqrt(b.squaredNorm() / b.cols());
  CHECK(ra == Approx(rb).epsilon(0.05));
}
