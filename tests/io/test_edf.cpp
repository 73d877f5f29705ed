#include <catch2/catch.hpp>

#include <edflib.h>

#include <cmath>
#include <cstdio>
#include <fstream>
#include <sstream>
#include <vector>

#include "canon/io/edf.hpp"
#include "canon_test.hpp"

namespace {

// Writes a 3-channel EDF+ (or BDF+) file with EDFlib: ch0 "Cz" and ch1 "Pz" at 256 Hz
// (uV, physical range +-1000), ch2 "AUX1" at 128 Hz; 4 records of 1 s; one annotation.
void write_small(const std::string& path, bool bdf) {
  const int h = edfopen_file_writeonly(path.c_str(), bdf ? EDFLIB_FILETYPE_BDFPLUS : EDFLIB_FILETYPE_EDFPLUS, 3);
  REQUIRE(h >= 0);
  const char* labels[] = {"Cz", "Pz", "AUX1"};
  const int rates[] = {256, 256, 128};
  for (int c = 0; c < 3; ++c) {
    REQUIRE(edf_set_samplefrequency(h, c, rates[c]) == 0);
    REQUIRE(edf_set_physical_maximum(h, c, 1000.0) == 0);
    REQUIRE(edf_set_physical_minimum(h, c, -1000.0) == 0);
    REQUIRE(edf_set_digital_maximum(h, c, bdf ? 8388607 : 32767) == 0);
    REQUIRE(edf_set_digital_minimum(h, c, bdf ? -8388608 : -32768) == 0);
    REQUIRE(edf_set_label(h, c, labels[c]) == 0);
    REQUIRE(edf_set_physical_dimension(h, c, "uV") == 0);
  }
  for (int record = 0; record < 4; ++record) {
    for (int c = 0; c < 3; ++c) {
      std::vector<double> x(static_cast<std::size_t>(rates[c]));
      for (int t = 0; t < rates[c]; ++t) x[static_cast<std::size_t>(t)] = 500.0 * std::sin(0.05 * (c + 1) * (record * rates[c] + t));
      REQUIRE(edfwrite_physical_samples(h, x.data()) == 0);
    }
  }
  REQUIRE(edfwrite_annotation_latin1(h, 15000, -1, "stimulus onset") == 0);
  REQUIRE(edfclose_file(h) == 0);
}

std::string error_of(const std::string& path, const std::vector<std::string>& labels = {}) {
  try {
    canon::io::read_edf(path, labels);
  } catch (const canon::error& e) {
    return e.what();
  }
  return "no error";
}

}  // namespace

TEST_CASE("edf EDF+ and BDF+ written by EDFlib read back with scaling and annotations", "[io][edf]") {
  for (bool bdf : {false, true}) {
    const std::string path = bdf ? "canon_small.bdf" : "canon_small.edf";
    write_small(path, bdf);
    const auto header = canon::io::read_edf_header(path);
    CHECK(header.type == (bdf ? canon::io::EdfType::bdf_plus : canon::io::EdfType::edf_plus));
    REQUIRE(header.channels.size() == 3);
    CHECK(header.channels[2].label == "AUX1");
    CHECK(header.channels[2].sample_rate == 128.0);
    CHECK(header.channels[0].unit == "uV");
    CHECK(header.duration == 4.0);
    REQUIRE(header.annotations.size() == 1);
    CHECK(header.annotations[0].onset == 1.5);
    CHECK(header.annotations[0].text == "stimulus onset");
    const auto rec = canon::io::read_edf(path, {"Pz", "Cz"});
    CHECK(rec.labels == std::vector<std::string>{"Pz", "Cz"});
    REQUIRE(rec.data.cols() == 1024);
    // Quantisation step of the digital range: 2000 uV / (2^16 - 1) or / (2^24 - 1).
    const double step = 2000.0 / (bdf ? 16777215.0 : 65535.0);
    for (int t : {0, 1, 300, 1023}) {
      CHECK(std::abs(rec.data(0, t) - 500.0 * std::sin(0.10 * t)) <= step);
      CHECK(std::abs(rec.data(1, t) - 500.0 * std::sin(0.05 * t)) <= step);
    }
    CHECK_THROWS_WITH(canon::io::read_edf(path, {"Cz", "Oz"}),
                      Catch::Contains("no channel labelled 'Oz'") && Catch::Contains("Cz Pz AUX1"));
    CHECK_THROWS_AS(canon::io::read_edf(path, {"Cz", "AUX1"}), canon::value_error);
    CHECK_THROWS_WITH(canon::io::read_edf(path), Catch::Contains("128 Hz") && Catch::Contains("resample"));
    std::remove(path.c_str());
  }
}

TEST_CASE("edf rejects empty truncated and garbled files", "[io][edf]") {
  write_small("canon_full.edf", false);
  std::ifstream in("canon_full.edf", std::ios::binary);
  std::stringstream all;
  all << in.rdbuf();
  const std::string bytes = all.str();
  auto write = [](const std::string& p, const std::string& b) { std::ofstream(p, std::ios::binary) << b; };
  write("canon_empty.edf", "");
  write("canon_header_cut.edf", bytes.substr(0, 300));
  write("canon_data_cut.edf", bytes.substr(0, bytes.size() - 700));
  std::string garbled = bytes;
  garbled.replace(236, 8, "abcdefgh");  // number of data records
  write("canon_garbled.edf", garbled);
  for (const char* f : {"canon_empty.edf", "canon_header_cut.edf", "canon_data_cut.edf", "canon_garbled.edf"}) {
    INFO(f);
    CHECK_THAT(error_of(f), Catch::Contains(f));
    std::remove(f);
  }
  CHECK_THAT(error_of("/nonexistent/x.bdf"), Catch::Contains("/nonexistent/x.bdf"));
  std::remove("canon_full.edf");
}

TEST_CASE("edf matches an independent decoder on the real recordings", "[io][edf][real]") {
  std::ifstream fixture(std::string(CANON_FIXTURES_DIR) + "/edf_fixture.txt");
  REQUIRE(fixture);
  std::string line;
  while (std::getline(fixture, line)) {
    std::istringstream in(line);
    std::string rel;
    std::size_t signals = 0;
    double rate = 0;
    canon::Index samples = 0;
    in >> rel >> signals >> rate >> samples;
    const std::string path = canon_test::shared_data(rel);
    if (path.empty()) continue;
    INFO(rel);
    const auto header = canon::io::read_edf_header(path);
    REQUIRE(header.channels.size() == signals);
    std::vector<std::string> labels;
    canon::Index channel = 0, t = 0;
    double expected = 0;
    std::vector<std::tuple<canon::Index, canon::Index, double>> checks;
    while (in >> channel >> t >> expected) checks.emplace_back(channel, t, expected);
    REQUIRE(checks.size() >= 4);
    for (const auto& [c, s, v] : checks) {
      const auto rec = canon::io::read_edf(path, {header.channels[static_cast<std::size_t>(c)].label});
      CHECK(rec.sample_rate == rate);
      REQUIRE(rec.data.cols() == samples);
      CHECK(rec.data(0, s) == Approx(v).epsilon(1e-12).margin(1e-9));
    }
  }
}

TEST_CASE("edf aux channel gives a sample aligned music and EEG pair", "[io][edf][real]") {
  const std::string path = canon_test::shared_data("eeg/music-attention/e_right2_0704_105158_Trial.edf");
  if (path.empty()) return;
  const auto pair = canon::io::read_aux_pair(path, "AUX69");
  CHECK(pair.eeg.sample_rate == 2048.0);
  CHECK(pair.eeg.data.rows() == 64);
  CHECK(pair.eeg.labels.front() == "Fp1");
  CHECK(pair.eeg.labels.back() == "PO8");
  CHECK(pair.audio.cols() == pair.eeg.data.cols());
  CHECK(pair.audio.cols() == 6 * 2048);
  CHECK(pair.audio.allFinite());
  // The music channel carries signal, not a flat line.
  const double mean = pair.audio.mean();
  CHECK((pair.audio.array() - mean).abs().maxCoeff() > 1.0);
  CHECK_THROWS_WITH(canon::io::read_aux_pair(path, "AUX99"), Catch::Contains("AUX69") && Catch::Contains(path));
}

namespace {

// An EDF+ file with EDFlib: channels labelled `labels` (uV, digital and physical
// range +-100, so digital d reads as d uV), 10 Hz, 2 records of 1 s; channel c's
// sample t is c * 10 + t (digital).
std::string write_labelled(const std::string& path, const std::vector<std::string>& labels,
                           const std::vector<std::string>& units = {}) {
  const int n = static_cast<int>(labels.size());
  const int h = edfopen_file_writeonly(path.c_str(), EDFLIB_FILETYPE_EDFPLUS, n);
  REQUIRE(h >= 0);
  for (int c = 0; c < n; ++c) {
    REQUIRE(edf_set_samplefrequency(h, c, 10) == 0);
    REQUIRE(edf_set_physical_maximum(h, c, 100.0) == 0);
    REQUIRE(edf_set_physical_minimum(h, c, -100.0) == 0);
    REQUIRE(edf_set_digital_maximum(h, c, 100) == 0);
    REQUIRE(edf_set_digital_minimum(h, c, -100) == 0);
    REQUIRE(edf_set_label(h, c, labels[static_cast<std::size_t>(c)].c_str()) == 0);
    REQUIRE(edf_set_physical_dimension(h, c, units.empty() ? "uV" : units[std::size_t(c)].c_str()) == 0);
  }
  for (int record = 0; record < 2; ++record)
    for (int c = 0; c < n; ++c) {
      std::vector<int> x(10);
      for (int t = 0; t < 10; ++t) x[static_cast<std::size_t>(t)] = c * 10 + record * 10 + t - 50;
      REQUIRE(edfwrite_digital_samples(h, x.data()) == 0);
    }
  REQUIRE(edfclose_file(h) == 0);
  std::ifstream in(path, std::ios::binary);
  std::stringstream all;
  all << in.rdbuf();
  return all.str();
}

// Byte offset of field `field` (0 label, 1 transducer, 2 unit, 3 phys min, 4 phys max,
// 5 dig min, 6 dig max) of signal `s` in a header of `ns` signals.
std::size_t field_offset(const std::string& bytes, int field, int s) {
  const int ns = std::atoi(bytes.substr(252, 4).c_str());
  const int widths[] = {16, 80, 8, 8, 8, 8, 8};
  std::size_t at = 256;
  for (int f = 0; f < field; ++f) at += static_cast<std::size_t>(widths[f] * ns);
  return at + static_cast<std::size_t>(widths[field] * s);
}

void write_bytes(const std::string& path, const std::string& bytes) { std::ofstream(path, std::ios::binary) << bytes; }

}  // namespace

TEST_CASE("edf samples outside the digital range are scaled, not clipped, and reported", "[io][edf]") {
  std::string bytes = write_labelled("canon_range.edf", {"Cz", "Pz"});
  {
    const auto clean = canon::io::read_edf("canon_range.edf");
    CHECK(clean.warnings.empty());
    CHECK(clean.data(1, 3) == 10 + 3 - 50);
  }
  // Channel 0, sample 3 of record 0 becomes digital 1000 (range +-100); sample 12
  // (record 1) becomes -300.
  const int ns = std::atoi(bytes.substr(252, 4).c_str());
  const std::size_t data = 256 * static_cast<std::size_t>(ns + 1);
  // Record size: sum of samples per record of every signal (annotations included) x 2.
  std::size_t record_bytes = 0;
  {
    const std::size_t spr_at = 256 + static_cast<std::size_t>(ns) * (16 + 80 + 8 + 8 + 8 + 8 + 8 + 80);
    for (int s = 0; s < ns; ++s) record_bytes += 2 * static_cast<std::size_t>(std::atoi(bytes.substr(spr_at + 8 * s, 8).c_str()));
  }
  auto put = [&](std::size_t at, int value) {
    bytes[at] = static_cast<char>(value & 0xff);
    bytes[at + 1] = static_cast<char>((value >> 8) & 0xff);
  };
  put(data + 2 * 3, 1000);
  put(data + record_bytes + 2 * 2, -300);
  write_bytes("canon_range.edf", bytes);
  const auto rec = canon::io::read_edf("canon_range.edf");
  CHECK(rec.data(0, 3) == 1000.0);  // EDFlib's reader returned 100
  CHECK(rec.data(0, 12) == -300.0);
  CHECK(rec.data(0, 4) == 4 - 50);
  REQUIRE(rec.warnings.size() == 1);
  CHECK_THAT(rec.warnings[0], Catch::Contains("'Cz'") && Catch::Contains("2 samples outside") &&
                                  Catch::Contains("[-100, 100]") && Catch::Contains("sample 3") &&
                                  Catch::Contains("1000") && Catch::Contains("not clipped"));
  // A physical range whose width overflows a double: an error, not -inf samples.
  bytes.replace(field_offset(bytes, 3, 0), 8, "-1e308  ");
  bytes.replace(field_offset(bytes, 4, 0), 8, "1e308   ");
  write_bytes("canon_range.edf", bytes);
  const std::string overflow = error_of("canon_range.edf", {"Cz"});
  if (overflow == "no error") {
    // Only if EDFlib read the fields differently; then the samples must still be finite.
    CHECK(canon::io::read_edf("canon_range.edf").data.allFinite());
  } else {
    CHECK_THAT(overflow, Catch::Contains("canon_range.edf") && Catch::Contains("'Cz'") &&
                             Catch::Contains("not a finite"));
  }
  CHECK(canon::io::read_edf("canon_range.edf", {"Pz"}).data.allFinite());
  std::remove("canon_range.edf");
}

namespace io = canon::io;

TEST_CASE("edf channel types: MNE's rules, EEG-only reads, and warnings for channels not in volts", "[io][edf]") {
  const std::string path = "canon-test-edf-types.edf";
  const std::vector<std::string> labels{"Fz", "EEG Cz", "EOG left", "ECG", "emg chin", "Status", "AUX1", "Temp", "EXG1"};
  write_labelled(path, labels, {"uV", "uV", "uV", "mV", "uV", "Boolean", "uV", "degC", "uV"});
  const io::EdfHeader header = io::read_edf_header(path);
  std::vector<std::string> types;
  for (const auto& c : header.channels) types.push_back(io::channel_type_name(c.type));
  CHECK(types == std::vector<std::string>{"eeg", "eeg", "eog", "ecg", "emg", "stim", "misc", "misc", "eeg"});
  CHECK(io::infer_channel_type("STI 014", "V") == io::ChannelType::stim);
  CHECK(io::infer_channel_type("Cz", "\xB5V") == io::ChannelType::eeg);  // Latin-1 micro sign
  CHECK(io::infer_channel_type("Cz", "") == io::ChannelType::misc);

  const io::EegRecording eeg = io::read_edf_of_type(path);
  CHECK(eeg.labels == std::vector<std::string>{"Fz", "EEG Cz", "EXG1"});
  CHECK(eeg.data.row(1)(0) == Approx(1 * 10 - 50));  // channel 1's own samples
  CHECK(eeg.warnings.empty());
  CHECK(io::read_edf_of_type(path, {io::ChannelType::eog, io::ChannelType::ecg}).labels ==
        std::vector<std::string>{"EOG left", "ECG"});

  // Everything, as asked, but the channels not in volts are named.
  const io::EegRecording all = io::read_edf(path);
  REQUIRE(all.labels.size() == labels.size());
  REQUIRE(all.warnings.size() == 2);
  CHECK_THAT(all.warnings[0], Catch::Contains("'Status' has unit 'Boolean' (type stim), not a voltage"));
  CHECK_THAT(all.warnings[1], Catch::Contains("'Temp' has unit 'degC'"));
  CHECK(io::read_edf(path, {"Fz", "ECG"}).warnings.empty());  // mV is a voltage

  const std::string none = "canon-test-edf-no-eeg.edf";
  write_labelled(none, {"Status", "AUX1"}, {"Boolean", "uV"});
  CHECK_THROWS_WITH(io::read_edf_of_type(none), Catch::Contains("no channel of type eeg; the file has Status (stim), AUX1 (misc)"));
  std::remove(path.c_str());
  std::remove(none.c_str());
}

TEST_CASE("edf ambiguous labels are errors listing the candidates", "[io][edf]") {
  write_labelled("canon_dup.edf", {"Cz", "Fz", "Cz", "", ""});
  CHECK_THROWS_WITH(canon::io::read_edf("canon_dup.edf", {"Cz"}),
                    Catch::Contains("canon_dup.edf") && Catch::Contains("'Cz' is ambiguous") &&
                        Catch::Contains("channels 0, 2") && Catch::Contains("read_edf_channels"));
  CHECK_THROWS_WITH(canon::io::read_edf("canon_dup.edf", {""}), Catch::Contains("channels 3, 4"));
  CHECK_THROWS_WITH(canon::io::read_edf_header("canon_dup.edf").channel("Cz"), Catch::Contains("ambiguous"));
  CHECK_THROWS_WITH(canon::io::read_edf("canon_dup.edf", {"Fz", "Fz"}), Catch::Contains("selected twice"));
  // By index every channel is reachable, and each is its own data.
  const auto rec = canon::io::read_edf_channels("canon_dup.edf", {2, 0, 4});
  CHECK(rec.labels == std::vector<std::string>{"Cz", "Cz", ""});
  CHECK(rec.data(0, 0) == 2 * 10 - 50);
  CHECK(rec.data(1, 0) == -50);
  CHECK(rec.data(2, 0) == 4 * 10 - 50);
  CHECK_THROWS_WITH(canon::io::read_edf_channels("canon_dup.edf", {1, 1}), Catch::Contains("selected twice"));
  CHECK_THROWS_WITH(canon::io::read_edf_channels("canon_dup.edf", {5}), Catch::Contains("outside [0, 5)"));
  CHECK_THROWS_WITH(canon::io::read_edf_channels("canon_dup.edf", {}), Catch::Contains("no channels"));
  // The whole file reads (selection by position, not label).
  CHECK(canon::io::read_edf("canon_dup.edf").data.rows() == 5);
  // read_aux_pair: an ambiguous audio label throws; blank labels cannot be the stimulus;
  // the default EEG selection never holds a channel twice.
  CHECK_THROWS_WITH(canon::io::read_aux_pair("canon_dup.edf", "Cz"), Catch::Contains("ambiguous"));
  CHECK_THROWS_WITH(canon::io::read_aux_pair("canon_dup.edf", ""), Catch::Contains("channels 3, 4"));
  write_labelled("canon_dup.edf", {"Cz", "AUX1", "Cz"});
  const auto pair = canon::io::read_aux_pair("canon_dup.edf", "AUX1");
  REQUIRE(pair.eeg.data.rows() == 2);
  CHECK(pair.eeg.data(0, 0) == -50);
  CHECK(pair.eeg.data(1, 0) == 2 * 10 - 50);  // the second Cz, not the first twice
  CHECK(pair.audio(0, 0) == 10 - 50);
  CHECK_THROWS_WITH(canon::io::read_aux_pair("canon_dup.edf", "AUX1", {"Cz"}), Catch::Contains("ambiguous"));
  CHECK_THROWS_WITH(canon::io::read_aux_pair("canon_dup.edf", "AUX1", {"AUX1"}), Catch::Contains("selected twice"));
  std::remove("canon_dup.edf");
}

TEST_CASE("edf headers whose samples per record x records exceed 32 bits are refused", "[io][edf][robust]") {
  for (const bool bdf : {false, true}) {
    write_small("canon_counts.edf", bdf);
    std::ifstream in("canon_counts.edf", std::ios::binary);
    std::stringstream all;
    all << in.rdbuf();
    const std::string bytes = all.str();
    const int ns = std::atoi(bytes.substr(252, 4).c_str());
    const std::size_t spr_at = 256 + static_cast<std::size_t>(ns) * (16 + 80 + 8 * 5 + 80);
    for (const char* records : {"99999999", "-1      ", "4294967 "}) {
      std::string edited = bytes;
      edited.replace(236, 8, records);
      edited.replace(spr_at, 8, "99999999");  // 10^8 samples per record of signal 0
      write_bytes("canon_counts.edf", edited);
      INFO((bdf ? "BDF, records " : "EDF, records ") << records);
      CHECK_THAT(error_of("canon_counts.edf"), Catch::Contains("canon_counts.edf"));
    }
  }
  std::remove("canon_counts.edf");
}
