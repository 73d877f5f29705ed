#include <catch2/catch.hpp>

#include <cmath>
#include <cstdio>
#include <fstream>
#include <sstream>
#include <string>
#include <vector>

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

namespace {

std::string file_bytes(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  std::stringstream all;
  all << in.rdbuf();
  return all.str();
}

// A minimal RIFF/WAVE file: one fmt chunk (format tag, channels, rate, bits) and data.
std::string wav_bytes(int format_tag, int channels, int rate, int bits, const std::string& data) {
  auto le = [](std::uint32_t v, int n) {
    std::string out;
    for (int i = 0; i < n; ++i) out += static_cast<char>((v >> (8 * i)) & 0xff);
    return out;
  };
  const int block = channels * ((bits + 7) / 8);
  const std::string fmt = le(static_cast<std::uint32_t>(format_tag), 2) + le(static_cast<std::uint32_t>(channels), 2) +
                          le(static_cast<std::uint32_t>(rate), 4) + le(static_cast<std::uint32_t>(rate * block), 4) +
                          le(static_cast<std::uint32_t>(block), 2) + le(static_cast<std::uint32_t>(bits), 2);
  const std::string body = "WAVEfmt " + le(16, 4) + fmt + "data" + le(static_cast<std::uint32_t>(data.size()), 4) + data;
  return "RIFF" + le(static_cast<std::uint32_t>(body.size()), 4) + body;
}

std::string floats(std::initializer_list<float> values) {
  std::string out;
  for (float v : values) out.append(reinterpret_cast<const char*>(&v), 4);
  return out;
}

// Writes `audio` with libsndfile in any format it can encode; false if it cannot.
bool write_with_sndfile(const std::string& path, const canon::io::Audio& audio, int format) {
  SF_INFO info{};
  info.channels = static_cast<int>(audio.channels());
  info.samplerate = static_cast<int>(audio.sample_rate);
  info.format = format;
  SNDFILE* f = sf_open(path.c_str(), SFM_WRITE, &info);
  if (f == nullptr) return false;
  const canon::Matrix<float> interleaved = audio.samples;
  const bool ok = sf_writef_float(f, interleaved.data(), audio.frames()) == audio.frames();
  sf_close(f);
  return ok;
}

}  // namespace

TEST_CASE("audio MP3 cut short is reported and a whole MP3 reads", "[io][audio]") {
  // Synthesised with libsndfile's MP3 encoder (LAME writes an Info header with the
  // frame count); also the real DEAM clip when present.
  std::vector<std::string> sources;
  if (write_with_sndfile("canon_tone.mp3", tone(1, 44100 * 3, 44100), SF_FORMAT_MPEG | SF_FORMAT_MPEG_LAYER_III))
    sources.push_back("canon_tone.mp3");
  else
    WARN("libsndfile cannot encode MP3 here; only the real clip is cut");
  const std::string real = canon_test::shared_data("deam-2013/mp3/2.mp3");
  if (!real.empty()) sources.push_back(real);
  else WARN("skipping the real DEAM clip: deam-2013/mp3/2.mp3 is absent");
  for (const auto& source : sources) {
    INFO(source);
    const std::string bytes = file_bytes(source);
    const auto whole = canon::io::read_audio(source);
    CHECK(whole.frames() > 0);
    CHECK(whole.warnings.empty());
    // Half the file (a cut inside a frame) and the same cut moved back to a frame
    // boundary (only the Info header's count can tell).
    write_bytes("canon_half.mp3", bytes.substr(0, bytes.size() / 2));
    CHECK_THAT(error_of("canon_half.mp3"), Catch::Contains("canon_half.mp3") && Catch::Contains("truncated"));
    // Walk the frames (after any ID3v2 tag) to the first boundary past the middle.
    const auto* u = reinterpret_cast<const unsigned char*>(bytes.data());
    std::size_t boundary = 0;
    if (bytes.compare(0, 3, "ID3") == 0)
      boundary = 10 + ((std::size_t{u[6]} << 21) | (std::size_t{u[7]} << 14) | (std::size_t{u[8]} << 7) | u[9]);
    canon::io::detail::MpegFrame frame;
    while (boundary < bytes.size() / 2) {
      REQUIRE(canon::io::detail::mpeg_frame(u + boundary, frame));
      boundary += frame.length;
    }
    write_bytes("canon_half.mp3", bytes.substr(0, boundary));
    CHECK_THAT(error_of("canon_half.mp3"), Catch::Contains("truncated") && Catch::Contains("MPEG frames"));
    // The same bytes from memory.
    CHECK_THROWS_WITH(canon::io::read_audio_bytes(bytes.substr(0, boundary), "mem.mp3"), Catch::Contains("mem.mp3"));
    CHECK(canon::io::read_audio_bytes(bytes, "mem.mp3").frames() == whole.frames());
  }
  std::remove("canon_tone.mp3");
  std::remove("canon_half.mp3");
}

TEST_CASE("audio Ogg cut short is reported", "[io][audio]") {
  if (!write_with_sndfile("canon_tone.ogg", tone(2, 44100, 44100), SF_FORMAT_OGG | SF_FORMAT_VORBIS)) {
    WARN("skipping: libsndfile cannot encode Ogg Vorbis here");
    return;
  }
  const std::string bytes = file_bytes("canon_tone.ogg");
  CHECK(canon::io::read_audio("canon_tone.ogg").frames() == 44100);
  write_bytes("canon_cut.ogg", bytes.substr(0, bytes.size() * 2 / 3));
  CHECK_THAT(error_of("canon_cut.ogg"), Catch::Contains("canon_cut.ogg") && Catch::Contains("truncated"));
  // Cut at a page boundary: the last page does not end the stream.
  const std::size_t page = bytes.rfind("OggS");
  REQUIRE(page != std::string::npos);
  write_bytes("canon_cut.ogg", bytes.substr(0, page));
  CHECK_THAT(error_of("canon_cut.ogg"), Catch::Contains("end-of-stream"));
  std::remove("canon_tone.ogg");
  std::remove("canon_cut.ogg");
}

TEST_CASE("audio WAV sample sizes and non-finite float samples", "[io][audio]") {
  // 7 bits per sample was read as 8-bit PCM, 12 as 16-bit.
  write_bytes("canon_b7.wav", wav_bytes(1, 1, 8000, 7, std::string("\x80\x90\xa0\x70", 4)));
  CHECK_THAT(error_of("canon_b7.wav"), Catch::Contains("canon_b7.wav") && Catch::Contains("declares 7 bits") &&
                                           Catch::Contains("expected 8"));
  write_bytes("canon_b7.wav", wav_bytes(1, 1, 8000, 12, std::string("\x00\x10\x00\x20", 4)));
  CHECK_THAT(error_of("canon_b7.wav"), Catch::Contains("declares 12 bits"));
  write_bytes("canon_b7.wav", wav_bytes(1, 1, 8000, 8, std::string("\x80\x90\xa0\x70", 4)));
  CHECK(canon::io::read_audio("canon_b7.wav").samples(0, 1) == 0.125f);
  // Float WAV: NaN and Inf are errors naming the frame; values beyond [-1, 1] are kept
  // and reported.
  write_bytes("canon_f.wav", wav_bytes(3, 2, 8000, 32, floats({0.5f, -0.5f, 0.25f, NAN})));
  CHECK_THAT(error_of("canon_f.wav"), Catch::Contains("channel 1, frame 1") && Catch::Contains("finite"));
  write_bytes("canon_f.wav", wav_bytes(3, 1, 8000, 32, floats({0.5f, INFINITY})));
  CHECK_THAT(error_of("canon_f.wav"), Catch::Contains("frame 1"));
  write_bytes("canon_f.wav", wav_bytes(3, 1, 8000, 32, floats({0.5f, 2.5f, -3.0f})));
  const auto loud = canon::io::read_audio("canon_f.wav");
  CHECK(loud.samples(0, 1) == 2.5f);
  CHECK(loud.samples(0, 2) == -3.0f);
  REQUIRE(loud.warnings.size() == 1);
  CHECK_THAT(loud.warnings[0], Catch::Contains("2 samples") && Catch::Contains("peak 3") &&
                                   Catch::Contains("not clipped"));
  for (const char* f : {"canon_b7.wav", "canon_f.wav"}) std::remove(f);
}

TEST_CASE("write_audio refuses what it would have to round or clip", "[io][audio]") {
  auto a = tone(1, 100, 8000);
  auto error_writing = [](const canon::io::Audio& x, canon::io::AudioFormat f) -> std::string {
    try {
      canon::io::write_audio("canon_w.wav", x, f);
    } catch (const canon::value_error& e) {
      return e.what();
    }
    return "no error";
  };
  a.sample_rate = 22050.5;
  CHECK_THAT(error_writing(a, canon::io::AudioFormat::wav_pcm16), Catch::Contains("22050.5") && Catch::Contains("integer"));
  a.sample_rate = 8000;
  a.samples(0, 7) = NAN;
  for (auto f : {canon::io::AudioFormat::wav_pcm16, canon::io::AudioFormat::wav_float, canon::io::AudioFormat::flac_pcm16})
    CHECK_THAT(error_writing(a, f), Catch::Contains("frame 7") && Catch::Contains("finite"));
  a.samples(0, 7) = 1.5f;
  CHECK_THAT(error_writing(a, canon::io::AudioFormat::wav_pcm16), Catch::Contains("frame 7") && Catch::Contains("[-1, 1]"));
  CHECK_THAT(error_writing(a, canon::io::AudioFormat::flac_pcm16), Catch::Contains("[-1, 1]"));
  // Float WAV keeps it.
  canon::io::write_audio("canon_w.wav", a, canon::io::AudioFormat::wav_float);
  const auto back = canon::io::read_audio("canon_w.wav");
  CHECK(back.samples(0, 7) == 1.5f);
  CHECK(back.warnings.size() == 1);
  // Full scale is allowed in PCM and reads back within one step.
  a.samples(0, 7) = 1.0f;
  a.samples(0, 8) = -1.0f;
  canon::io::write_audio("canon_w.wav", a);
  const auto pcm = canon::io::read_audio("canon_w.wav");
  CHECK(pcm.samples(0, 7) == Approx(1.0f).margin(1.0 / 32768));
  CHECK(pcm.samples(0, 8) == Approx(-1.0f).margin(1.0 / 32768));
  std::remove("canon_w.wav");
}

TEST_CASE("audio FLAC cut short is reported", "[io][audio]") {
  canon::io::write_audio("canon_full.flac", tone(1, 20000, 8000), canon::io::AudioFormat::flac_pcm16);
  const std::string bytes = file_bytes("canon_full.flac");
  CHECK(canon::io::read_audio("canon_full.flac").frames() == 20000);
  write_bytes("canon_cut.flac", bytes.substr(0, bytes.size() / 2));
  CHECK_THAT(error_of("canon_cut.flac"), Catch::Contains("canon_cut.flac") &&
                                             (Catch::Contains("truncated") || Catch::Contains("decoding failed")));
  std::remove("canon_full.flac");
  std::remove("canon_cut.flac");
}
