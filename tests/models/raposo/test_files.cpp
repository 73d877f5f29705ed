// Raposo's recordings from real file formats: a manifest of WAV and EDF+ files written
// here (EDFlib, libsndfile) read into Recordings, the EEG picked by type or by label,
// the music taken from a channel of the EDF, offsets, and the manifests it refuses.
#include <canon/models/raposo/files.hpp>
#include <cmath>
#include <cstdio>
#include <edflib.h>
#include <filesystem>
#include <fstream>

#include "canon_test.hpp"

using canon::Index;
using canon::Matrix;

namespace {

// An EDF+ of `labels` at 200 Hz for `seconds` s: channel c at record r, sample k holds
// 20 c + (r * 200 + k) / 100 uV (16 bits over +-100 uV: steps of 0.003 uV); "Status" is in "Boolean".
void write_edf(const std::string& path, const std::vector<std::string>& labels, int seconds) {
  const int n = int(labels.size());
  const int h = edfopen_file_writeonly(path.c_str(), EDFLIB_FILETYPE_EDFPLUS, n);
  REQUIRE(h >= 0);
  for (int c = 0; c < n; ++c) {
    REQUIRE(edf_set_samplefrequency(h, c, 200) == 0);
    REQUIRE(edf_set_digital_maximum(h, c, 32767) == 0);
    REQUIRE(edf_set_digital_minimum(h, c, -32768) == 0);
    REQUIRE(edf_set_physical_maximum(h, c, 100.0) == 0);
    REQUIRE(edf_set_physical_minimum(h, c, -100.0) == 0);
    REQUIRE(edf_set_label(h, c, labels[std::size_t(c)].c_str()) == 0);
    REQUIRE(edf_set_physical_dimension(h, c, labels[std::size_t(c)] == "Status" ? "Boolean" : "uV") == 0);
  }
  for (int r = 0; r < seconds; ++r)
    for (int c = 0; c < n; ++c) {
      std::vector<double> x(200);
      for (int k = 0; k < 200; ++k) x[std::size_t(k)] = 20 * c + (r * 200 + k) / 100.0;
      REQUIRE(edfwrite_physical_samples(h, x.data()) == 0);
    }
  REQUIRE(edfclose_file(h) == 0);
}

// A fresh folder under the test's working directory (tests/support/main.cpp runs each
// test binary in its own temporary directory).
std::string scratch(const std::string& name) {
  std::filesystem::remove_all(name);
  std::filesystem::create_directories(name);
  return name;
}

void write_wav(const std::string& path, Index channels, double seconds, double rate = 8000) {
  canon::io::Audio a;
  a.sample_rate = rate;
  a.samples.resize(channels, Index(seconds * rate));
  for (Index c = 0; c < channels; ++c)
    for (Index i = 0; i < a.samples.cols(); ++i) a.samples(c, i) = float(0.25 * (c + 1) * std::sin(0.01 * double(i)));
  canon::io::write_audio(path, a);
}

}  // namespace

TEST_CASE("raposo::read_recordings: songs, subjects, EEG by type or label, music from an EDF channel",
          "[models][io]") {
  const std::string dir = scratch("raposo-files");
  write_wav(dir + "/a.wav", 2, 3.0);
  write_edf(dir + "/a.edf", {"Fz", "Cz", "Status", "Pz"}, 3);
  write_edf(dir + "/b.edf", {"Fz", "Cz", "Status", "Pz"}, 4);
  std::ofstream(dir + "/m.csv") << "audio,eeg,song,subject,audio_offset,eeg_offset\n"
                                << "a.wav,a.edf,tune,ann,,\n"
                                << "b.edf:Status,b.edf,other,,0.5,0.5\n"
                                << "a.wav,b.edf,tune,bob,,\n";
  const auto entries = canon::io::read_manifest(dir + "/m.csv");
  const auto files = canon::raposo::read_recordings<double>(entries);
  REQUIRE(files.recordings.size() == 3);
  CHECK(files.eeg_labels == std::vector<std::string>{"Fz", "Cz", "Pz"});  // Status is not EEG
  CHECK(files.songs == std::vector<std::string>{"tune", "other"});
  CHECK(files.subjects == std::vector<std::string>{"ann", "subject", "bob"});  // an empty cell: the default
  const auto& first = files.recordings[0];
  CHECK(first.song == 0);
  CHECK(files.recordings[1].song == 1);
  CHECK(files.recordings[2].song == 0);
  CHECK(files.recordings[2].subject == 2);
  // Stereo mixed to mono: the mean of 0.25 s and 0.5 s.
  CHECK(first.audio_rate == 8000);
  CHECK(first.audio.size() == 24000);
  CHECK(first.audio(100) == Approx(0.375 * std::sin(1.0)).epsilon(1e-4));
  CHECK(first.eeg_rate == 200);
  REQUIRE(first.eeg.rows() == 3);
  CHECK(first.eeg(2, 10) == Approx(60 + 0.1).margin(4e-3));  // Pz is file channel 3
  // The music on a channel of the EDF, and both offsets: 0.5 s = 100 samples dropped.
  const auto& second = files.recordings[1];
  CHECK(second.audio_rate == 200);
  CHECK(second.audio.size() == 700);
  CHECK(second.audio(0) == Approx(40 + 1.0).margin(4e-3));
  CHECK(second.eeg.cols() == 700);
  CHECK(second.eeg(0, 0) == Approx(1.0).margin(4e-3));
  // A stimulus channel is not in volts, which read_edf would warn about: expected here.
  for (const auto& w : files.warnings) CHECK_THAT(w, !Catch::Contains("Status"));

  canon::raposo::FileOptions by_label;
  by_label.eeg_labels = {"Pz", "Fz"};
  const auto picked = canon::raposo::read_recordings<float>(entries, by_label);
  CHECK(picked.eeg_labels == by_label.eeg_labels);
  CHECK(picked.recordings[0].eeg(0, 0) == Approx(60.0).margin(4e-3));
  CHECK(picked.recordings[0].eeg(1, 0) == Approx(0.0).margin(4e-3));
}

TEST_CASE("raposo::read_recordings refuses what it cannot pair, naming the file", "[models][io]") {
  const std::string dir = scratch("raposo-files-bad");
  write_wav(dir + "/a.wav", 1, 2.0);
  write_edf(dir + "/a.edf", {"Fz", "Cz"}, 2);
  write_edf(dir + "/c.edf", {"Fz", "C3"}, 2);
  auto read = [&](const std::string& text) {
    std::ofstream(dir + "/m.csv") << text;
    return canon::raposo::read_recordings<double>(canon::io::read_manifest(dir + "/m.csv"));
  };
  CHECK_THROWS_WITH(read("audio,eeg\na.wav,a.edf\na.wav,c.edf\n"),
                    Catch::Contains("c.edf") && Catch::Contains("[Fz C3]") && Catch::Contains("[Fz Cz]"));
  CHECK_THROWS_WITH(read("audio,eeg,audio_offset\na.wav,a.edf,2\n"), Catch::Contains("at or past its end"));
  CHECK_THROWS_WITH(read("audio,eeg\na.edf:T7,a.edf\n"), Catch::Contains("no channel labelled 'T7'"));
  CHECK_THROWS_WITH(read("audio,eeg\nnone.wav,a.edf\n"), Catch::Contains("none.wav"));
  CHECK_THROWS_WITH(read("audio,eeg\n"), Catch::Contains("lists no recordings"));
  CHECK(canon::raposo::detail::split_channel_spec("x.BDF:Status").second == "Status");
  CHECK(canon::raposo::detail::split_channel_spec("C:/music/a.wav").second.empty());
}
