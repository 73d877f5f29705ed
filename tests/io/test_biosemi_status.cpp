#include <catch2/catch.hpp>

#include <edflib.h>

#include <cstdio>
#include <set>
#include <string>
#include <vector>

#include "canon/io/biosemi_status.hpp"
#include "canon_test.hpp"

namespace {

// A BDF+ file with one sine channel "Cz" and a trigger channel "Status" at 64 Hz, 3 s.
// The Status words carry amplifier bits 16-23 (0x1A, and 0xFF for negative words) over
// the codes; `identity` chooses BioSemi's identity scaling or a scaled physical range.
void write_status_file(const std::string& path, const std::vector<int>& words, bool identity) {
  const int h = edfopen_file_writeonly(path.c_str(), EDFLIB_FILETYPE_BDFPLUS, 2);
  REQUIRE(h >= 0);
  for (int c = 0; c < 2; ++c) {
    REQUIRE(edf_set_samplefrequency(h, c, 64) == 0);
    REQUIRE(edf_set_digital_maximum(h, c, 8388607) == 0);
    REQUIRE(edf_set_digital_minimum(h, c, -8388608) == 0);
  }
  REQUIRE(edf_set_label(h, 0, "Cz") == 0);
  REQUIRE(edf_set_physical_maximum(h, 0, 1000.0) == 0);
  REQUIRE(edf_set_physical_minimum(h, 0, -1000.0) == 0);
  REQUIRE(edf_set_label(h, 1, "Status") == 0);
  REQUIRE(edf_set_physical_maximum(h, 1, identity ? 8388607.0 : 1000000.0) == 0);
  REQUIRE(edf_set_physical_minimum(h, 1, identity ? -8388608.0 : -1000000.0) == 0);
  for (int r = 0; r < 3; ++r) {
    std::vector<double> x(64);
    for (int t = 0; t < 64; ++t) x[static_cast<std::size_t>(t)] = 300.0 * std::sin(0.3 * (r * 64 + t));
    REQUIRE(edfwrite_physical_samples(h, x.data()) == 0);
    std::vector<int> d(words.begin() + r * 64, words.begin() + (r + 1) * 64);
    REQUIRE(edfwrite_digital_samples(h, d.data()) == 0);
  }
  REQUIRE(edfclose_file(h) == 0);
}

}  // namespace

TEST_CASE("biosemi status edges are changes of the low 16 bits", "[io][biosemi]") {
  const auto e = canon::io::status_events({7, 7, 0, 0, 4, 4, 4, 5, 0});
  REQUIRE(e.size() == 4);
  CHECK((e[0].sample == 2 && e[0].code == 0 && e[0].previous == 7));
  CHECK((e[1].sample == 4 && e[1].code == 4 && e[1].previous == 0));
  CHECK((e[2].sample == 7 && e[2].code == 5 && e[2].previous == 4));
  CHECK((e[3].sample == 8 && e[3].code == 0));
  CHECK(canon::io::status_events({}).empty());
  CHECK(canon::io::status_events({3, 3, 3}).empty());

  // Codes 0, 3, 4, 5 under amplifier bits 0x1A, a system-bit change with the code held
  // (no event), and negative words (bit 23 set: 0xFF0004 is -65532 as 24-bit signed).
  std::vector<int> words(192, 0x1A0000);
  for (int t = 40; t < 80; ++t) words[static_cast<std::size_t>(t)] = 0x1A0003;
  for (int t = 80; t < 100; ++t) words[static_cast<std::size_t>(t)] = 0x1B0003;  // system bits only
  for (int t = 100; t < 150; ++t) words[static_cast<std::size_t>(t)] = 0xFF0004 - 0x1000000;
  for (int t = 150; t < 170; ++t) words[static_cast<std::size_t>(t)] = 0x1A0005;
  for (bool identity : {true, false}) {
    INFO("identity scaling " << identity);
    write_status_file("canon_status.bdf", words, identity);
    const auto s = canon::io::read_biosemi_status("canon_status.bdf");
    CHECK(s.label == "Status");
    CHECK(s.channel == 1);
    CHECK(s.sample_rate == 64.0);
    REQUIRE(s.codes.size() == 192);
    CHECK(s.codes[0] == 0);
    CHECK(s.system[0] == 0x1A);
    CHECK(s.system[90] == 0x1B);
    CHECK(s.system[120] == 0xFF);
    REQUIRE(s.events.size() == 4);
    CHECK((s.events[0].sample == 40 && s.events[0].code == 3));
    CHECK((s.events[1].sample == 100 && s.events[1].code == 4 && s.events[1].previous == 3));
    CHECK((s.events[2].sample == 150 && s.events[2].code == 5));
    CHECK((s.events[3].sample == 170 && s.events[3].code == 0));
    CHECK(canon::io::read_biosemi_status("canon_status.bdf", canon::Index(1)).events.size() == 4);
  }
  // Any channel decodes (EDF stores integers, so every channel inverts exactly): an EEG
  // channel gives meaningless codes, which is why the caller names the channel.
  CHECK(canon::io::read_biosemi_status("canon_status.bdf", "Cz").events.size() > 100);
  // An absent label or index throws.
  CHECK_THROWS_WITH(canon::io::read_biosemi_status("canon_status.bdf", "Trigger"),
                    Catch::Contains("no channel labelled 'Trigger'") && Catch::Contains("Cz Status"));
  CHECK_THROWS_AS(canon::io::read_biosemi_status("canon_status.bdf", canon::Index(2)), canon::value_error);
  std::remove("canon_status.bdf");
}

TEST_CASE("biosemi status of EEGLAB's test.bdf matches an independent decoder", "[io][biosemi][real]") {
  const std::string path = canon_test::shared_data("eeg/eeglab-test/test.bdf");
  if (path.empty()) return;
  // Reference values from a from-the-spec decoder (Python: the 24-bit little-endian
  // words of signal 17 in every record, & 0xFFFF): 60 records of 256 samples, codes
  // toggling 255/254 in 80 edges, bits 16-23 in {28, 29}.
  const auto s = canon::io::read_biosemi_status(path);
  CHECK(s.sample_rate == 256.0);
  REQUIRE(s.codes.size() == 15360);
  CHECK(s.codes[0] == 255);
  REQUIRE(s.events.size() == 80);
  CHECK((s.events[0].sample == 212 && s.events[0].code == 254 && s.events[0].previous == 255));
  CHECK((s.events[1].sample == 414 && s.events[1].code == 255));
  CHECK((s.events[2].sample == 586 && s.events[2].code == 254));
  CHECK((s.events[29].sample == 5872 && s.events[29].code == 255));
  const std::set<int> system(s.system.begin(), s.system.end());
  CHECK(system == std::set<int>{28, 29});
}
