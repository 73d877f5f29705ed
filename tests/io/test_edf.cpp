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
