// libFuzzer target for the EDF/EDF+/BDF reader (EDFlib header + canon's record
// decoder): it must return finite samples of the shape the header gives, or throw a
// canon::error. Each input is read twice through a temporary file (EDFlib reads
// paths): as the file's bytes, and as the recipe of a well-formed EDF or BDF header
// (channel count, labels — repeated and blank ones included —, physical and digital
// ranges from a table of ordinary and extreme values, samples per record) followed by
// the remaining bytes as data records. Now and then the recipe declares huge samples
// per record or record counts (their product beyond 32 bits) over a short file. EDFlib is not instrumented, so raw bytes alone
// rarely get past its header checks to canon's decoder; the recipe always does.
#include <algorithm>
#include <cmath>
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <string>

#include "canon/io/edf.hpp"
#include "fuzz_support.hpp"

namespace {

void read_all_ways(const std::string& path) {
  try {
    const canon::io::EdfHeader header = canon::io::read_edf_header(path);
    if (header.channels.empty()) std::abort();
    for (std::size_t i = 0; i < header.channels.size() && i < 8; ++i) {
      try {
        const auto rec = canon::io::read_edf_channels(path, {static_cast<canon::Index>(i)});
        if (rec.data.rows() != 1 || rec.data.cols() != header.channels[i].samples) std::abort();
        if (!rec.data.allFinite()) std::abort();
        (void)header.channel(header.channels[i].label);  // found once, or ambiguous: throws
      } catch (const canon::error&) {
      }
    }
    try {
      const auto all = canon::io::read_edf(path);
      if (all.data.rows() != static_cast<canon::Index>(header.channels.size()) || !all.data.allFinite()) std::abort();
    } catch (const canon::error&) {
    }
    try {
      const auto pair = canon::io::read_aux_pair(path, "AUX1");
      if (pair.audio.cols() != pair.eeg.data.cols() || !pair.audio.allFinite()) std::abort();
    } catch (const canon::error&) {
    }
  } catch (const canon::error&) {
  }
}

std::string field(const std::string& text, std::size_t width) {
  std::string out = text.substr(0, width);
  out.resize(width, ' ');
  return out;
}

std::string recipe(const std::uint8_t* data, std::size_t size) {
  std::size_t at = 0;
  auto next = [&]() -> unsigned { return at < size ? data[at++] : 0u; };
  const unsigned first = next();
  const bool bdf = (first & 0x10) != 0;
  const int signals = 1 + static_cast<int>(first % 4);
  // Mostly small record counts; sometimes the 8-digit maximum, so that samples per
  // record x records exceeds 32 bits (the data then cannot be all there).
  const unsigned record_choice = next();
  const long long records = record_choice >= 250 ? 99999999LL : 1 + static_cast<long long>(record_choice % 4);
  static const char* const labels[] = {"Cz", "Pz", "", "AUX1"};
  static const char* const physical[] = {"-100", "100", "0", "-1e308", "1e308", "99999999", "-9999999", "1e-300",
                                         "-0.001", "3.5"};
  static const char* const digital_edf[] = {"-32768", "32767", "-100", "100", "0", "1"};
  static const char* const digital_bdf[] = {"-8388608", "8388607", "-100", "100", "0", "1"};
  const char* const* digital = bdf ? digital_bdf : digital_edf;
  std::string label, transducer, unit, pmin, pmax, dmin, dmax, prefilter, spr, reserved;
  long long record_bytes = 0;
  for (int s = 0; s < signals; ++s) {
    const unsigned a = next(), b = next(), c = next();
    label += field(labels[a % 4], 16);
    transducer += field("", 80);
    unit += field("uV", 8);
    pmin += field(physical[b % 10], 8);
    pmax += field(physical[(b / 10) % 10], 8);
    dmin += field(digital[c % 6], 8);
    dmax += field(digital[(c / 6) % 6], 8);
    prefilter += field("", 80);
    static const long long huge_per_record[] = {65536, 99999999, 2147483647};
    const long long per_record = a >= 244 ? huge_per_record[a % 3] : 1 + static_cast<long long>(a / 4 % 8);
    spr += field(std::to_string(per_record), 8);
    reserved += field("", 32);
    record_bytes += per_record * (bdf ? 3 : 2);
  }
  std::string out = bdf ? std::string("\xff" "BIOSEMI", 8) : field("0", 8);
  out += field("X X X X", 80) + field("Startdate X X X X", 80) + "01.01.01" + "00.00.00";
  out += field(std::to_string(256 * (signals + 1)), 8) + field(bdf ? "24BIT" : "", 44);
  out += field(std::to_string(records), 8) + field("1", 8) + field(std::to_string(signals), 4);
  out += label + transducer + unit + pmin + pmax + dmin + dmax + prefilter + spr + reserved;
  std::string body(reinterpret_cast<const char*>(data) + std::min(at, size), size - std::min(at, size));
  // At most 64 KiB of records: a header that declares more describes a short file.
  body.resize(static_cast<std::size_t>(std::min(record_bytes * records, 1LL << 16)), '\0');
  return out + body;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  read_all_ways(canon_fuzz::write_file("input.edf", std::string(reinterpret_cast<const char*>(data), size)));
  read_all_ways(canon_fuzz::write_file("recipe.edf", recipe(data, size)));
  return 0;
}
