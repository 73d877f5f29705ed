// canon/io/biosemi_status.hpp — the Status channel of BioSemi BDF recordings: trigger
// codes and the samples where they change.
//
// BioSemi's ActiveTwo stores, in the last channel of a .bdf file (label "Status"), one
// 24-bit word per sample: bits 0–15 are the 16 trigger input lines, set by the stimulus
// PC; bits 16–23 are the amplifier's own state (bit 16 marks the start of a new epoch,
// others CMS in range, battery, speed mode), which change during a recording for
// reasons that have nothing to do with the experiment (BioSemi FAQ
// www.biosemi.com/faq/trigger_signals.htm, as cited in sccn/eeglab issue #73). EEGLAB's
// test.bdf shows it: bits 16–23 alternate between 28 and 29 while the low 16 bits
// toggle 255/254. The trigger code is therefore the low 16 bits,
//   code[t] = d[t] & 0xFFFF,      d[t] the 24-bit digital sample,
// and an event is an edge: a sample t > 0 with code[t] != code[t - 1].
// DEAP's Geneva files (s24–s32) show why the mask matters: their Status words start at
// 1703680 = 0x1A0000 and carry the DEAP codes as 0x190001 = 1638145 for code 1, etc.
// (gzoumpourlis/DEAP_MNE_preprocessing, clean_DEAP.py, f58f031: "subtracting initial
// value", "modulo with 65536"); masking yields 1..7 for both sites.
//
// canon's EDF reader returns physical values; the Status channel's digital word is
// recovered by inverting the header's linear scaling,
//   d = dig_min + (x - phys_min) * (dig_max - dig_min) / (phys_max - phys_min),
// exact for BioSemi's identity scaling (physical range = digital range) and within
// rounding for any other, since x came from an integer d; a result further than 1e-3
// from an integer means the arithmetic broke and throws io_error. Nothing here can
// tell a trigger channel from an EEG channel (both hold integers): the caller names it.
#pragma once

#include <cmath>
#include <cstdint>
#include <string>
#include <vector>

#include "canon/core/error.hpp"
#include "canon/core/types.hpp"
#include "canon/io/edf.hpp"

namespace canon::io {

/// One change of the trigger code.
struct StatusEvent {
  Index sample = 0;   ///< first sample carrying `code`
  int code = 0;       ///< low 16 bits of the Status word from this sample on
  int previous = 0;   ///< the code before this sample
};

/// The decoded Status channel of one recording.
struct BiosemiStatus {
  std::string label;          ///< the channel read (BioSemi: "Status")
  Index channel = 0;          ///< its 0-based index in the file
  double sample_rate = 0;     ///< Hz
  std::vector<int> codes;     ///< low 16 bits of every sample
  std::vector<int> system;    ///< bits 16–23 of every sample (BioSemi's amplifier state)
  std::vector<StatusEvent> events;  ///< every edge of `codes`, in time order
};

/// The edges of a code sequence: every t > 0 with codes[t] != codes[t - 1]. The value
/// at t = 0 is the initial state, not an event (there is no earlier sample to differ
/// from).
inline std::vector<StatusEvent> status_events(const std::vector<int>& codes) {
  std::vector<StatusEvent> out;
  for (std::size_t t = 1; t < codes.size(); ++t)
    if (codes[t] != codes[t - 1]) out.push_back({static_cast<Index>(t), codes[t], codes[t - 1]});
  return out;
}

namespace detail {

inline BiosemiStatus decode_status(const EdfHeader& header, Index index, const Matrix<double>& physical) {
  const EdfChannel& c = header.channels[static_cast<std::size_t>(index)];
  BiosemiStatus s;
  s.label = c.label;
  s.channel = index;
  s.sample_rate = c.sample_rate;
  const double per_unit = static_cast<double>(c.digital_max - c.digital_min) / (c.physical_max - c.physical_min);
  s.codes.resize(static_cast<std::size_t>(physical.cols()));
  s.system.resize(s.codes.size());
  for (Index t = 0; t < physical.cols(); ++t) {
    const double d = c.digital_min + (physical(0, t) - c.physical_min) * per_unit;
    const double rounded = std::round(d);
    if (!(std::abs(d - rounded) <= 1e-3))
      throw io_error(canon::detail::message(
          header.path, ": channel '", c.label, "' sample ", t, " is ", physical(0, t), " ", c.unit,
          ", which is digital value ", d,
          " under the header's scaling (expected an integer: the scaling cannot be inverted)"));
    // Two's complement keeps the low bits of a negative word: -1 & 0xFFFF = 0xFFFF.
    const auto word = static_cast<std::int64_t>(rounded);
    s.codes[static_cast<std::size_t>(t)] = static_cast<int>(word & 0xFFFF);
    s.system[static_cast<std::size_t>(t)] = static_cast<int>((word >> 16) & 0xFF);
  }
  s.events = status_events(s.codes);
  return s;
}

}  // namespace detail

/// Reads and decodes the Status channel at 0-based `index` of a BDF (or EDF) file.
inline BiosemiStatus read_biosemi_status(const std::string& path, Index index) {
  const EdfHeader header = read_edf_header(path);
  if (index < 0 || index >= static_cast<Index>(header.channels.size()))
    throw value_error(canon::detail::message(path, ": status channel index ", index, " is outside [0, ",
                                             header.channels.size(), ")"));
  const EegRecording rec = read_edf_channels(path, {index});
  return detail::decode_status(header, index, rec.data);
}

/// Reads and decodes the channel labelled `label` (default "Status", BioSemi's name).
/// An absent label throws io_error listing the labels the file has.
inline BiosemiStatus read_biosemi_status(const std::string& path, const std::string& label = "Status") {
  return read_biosemi_status(path, read_edf_header(path).channel(label));
}

}  // namespace canon::io
