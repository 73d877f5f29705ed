// canon/io/edf.hpp — EEG recordings in EDF, EDF+ and BDF (BioSemi 24-bit) through EDFlib.
//
// EDFlib reads the header and annotations; canon decodes the data records itself, so
// that a sample outside the header's digital range is not clipped to it (EDFlib's
// sample readers clip). Values are physical,
//   x = phys_min + (d - dig_min) * (phys_max - phys_min) / (dig_max - dig_min),
// in the channel's unit (usually uV), for every digital value d, inside the declared
// digital range or not; samples outside it are counted in the recording's `warnings`.
// A channel whose scaling is not finite (a physical range that overflows) throws.
// Channels are chosen by label (trailing blanks of the 16-character header field
// trimmed); an unknown label throws listing the labels that exist, a label carried by
// several channels throws listing their indices (select those by index with
// read_edf_channels), and a channel selected twice throws. The selected channels must
// share one sampling rate, else a value_error names the rates: resample first
// (canon::signal::resample_poly) rather than mixing rates silently.
//
// The aux-channel form: recordings such as ../shared/data/eeg/music-attention store
// the stimulus audio on an auxiliary channel (AUX69) of the same amplifier, so it is
// sample-aligned with the EEG by construction; read_aux_pair returns both.
#pragma once

#include <edflib.h>
#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <cmath>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <limits>
#include <fstream>
#include <functional>
#include <sstream>
#include <memory>
#include <string>
#include <vector>

#include "canon/core/error.hpp"
#include "canon/core/types.hpp"
#include "canon/io/channel_type.hpp"

namespace canon::io {

enum class EdfType { edf, edf_plus, bdf, bdf_plus };

struct EdfChannel {
  std::string label;
  std::string unit;  ///< physical dimension, e.g. "uV"
  std::string transducer;
  std::string prefilter;
  double sample_rate = 0;  ///< Hz
  long long samples = 0;   ///< samples of this channel in the file
  double physical_min = 0, physical_max = 0;
  int digital_min = 0, digital_max = 0;
  ChannelType type = ChannelType::eeg;  ///< from the label and unit (io/channel_type.hpp)
};

struct EdfAnnotation {
  double onset = 0;       ///< seconds from the start of the recording
  double duration = -1;   ///< seconds, or -1 when the file gives none
  std::string text;
};

struct EdfHeader {
  std::string path;
  EdfType type = EdfType::edf;
  double duration = 0;  ///< seconds
  std::vector<EdfChannel> channels;
  std::vector<EdfAnnotation> annotations;
  /// Conditions that did not stop the read but changed what it returned (e.g. the
  /// partial last record of a BioSemi file whose record count is unknown).
  std::vector<std::string> warnings;

  std::vector<std::string> labels() const {
    std::vector<std::string> out;
    for (const auto& c : channels) out.push_back(c.label);
    return out;
  }

  /// The index of the channel with this label; throws io_error listing the labels
  /// when none has it, and listing the candidates when several have it.
  Index channel(const std::string& label) const {
    std::vector<Index> found;
    for (std::size_t i = 0; i < channels.size(); ++i)
      if (channels[i].label == label) found.push_back(static_cast<Index>(i));
    if (found.size() == 1) return found.front();
    if (found.size() > 1) {
      std::string candidates;
      for (Index i : found) candidates += canon::detail::message(candidates.empty() ? "" : ", ", i);
      throw io_error(canon::detail::message(path, ": the label '", label, "' is ambiguous: channels ", candidates,
                                            " (0-based) all carry it; select one by index (read_edf_channels)"));
    }
    std::string available;
    for (const auto& c : channels) available += (available.empty() ? "" : " ") + c.label;
    throw io_error(canon::detail::message(path, ": no channel labelled '", label,
                                          "' (the file has: ", available, ")"));
  }
};

/// EEG samples of the selected channels: channels x samples, one shared rate.
struct EegRecording {
  EdfHeader header;
  std::vector<std::string> labels;  ///< the rows of data, in order
  double sample_rate = 0;
  Matrix<double> data;
  /// The header's warnings and those of the samples read (e.g. "channel 'Cz': 3
  /// samples outside the digital range ..."); empty for a clean file.
  std::vector<std::string> warnings;
};

/// A sample-aligned stimulus/EEG pair from one recording.
struct AuxPair {
  EegRecording eeg;
  RowVector<double> audio;  ///< the auxiliary channel, same length and rate as eeg.data
  std::string audio_label;
};

namespace detail {

inline std::string trim_label(const char* text) {
  std::string s(text);
  while (!s.empty() && (s.back() == ' ' || s.back() == '\0')) s.pop_back();
  std::size_t b = 0;
  while (b < s.size() && s[b] == ' ') ++b;
  return s.substr(b);
}

inline const char* edflib_error_text(int code) {
  switch (code) {
    case -1: return "out of memory";
    case -2: return "the file could not be opened";
    case -3: return "the header contains format errors (not an EDF/BDF file, or a damaged one)";
    case -4: return "too many files are open in EDFlib";
    case -5: return "a read error occurred";
    case -6: return "the file is already open";
    case -7: return "the file type is wrong";
    case -8: return "a write error occurred";
    case -9: return "the number of signals is invalid";
    case -10: return "the file is discontinuous (EDF+D/BDF+D are not supported)";
    case -11: return "the file has an invalid read_annotations argument";
    default: return "unknown EDFlib error";
  }
}

/// Opens a file and closes it on scope exit; holds the (large) header on the heap.
class EdfFile {
 public:
  explicit EdfFile(const std::string& path) : path_(path), hdr_(new edf_hdr_struct{}) {
    if (edfopen_file_readonly(path.c_str(), hdr_.get(), EDFLIB_READ_ALL_ANNOTATIONS) != 0) {
      const int code = hdr_->filetype;
      // BioSemi writes -1 ("unknown") as the record count while recording, and
      // EEGLAB's test.bdf keeps it; EDFlib rejects that. Such a file is read through a
      // temporary copy whose count is the number of whole records present.
      if (code == EDFLIB_FILE_CONTAINS_FORMAT_ERRORS) {
        const std::string patched = patch_unknown_record_count(path);
        if (!patched.empty()) {
          const int status = edfopen_file_readonly(patched.c_str(), hdr_.get(), EDFLIB_READ_ALL_ANNOTATIONS);
          std::remove(patched.c_str());  // the open handle keeps the data readable
          if (status == 0) {
            open_ = true;
            read_layout();
            warnings_.push_back(canon::detail::message(
                path, ": the header's record count is -1 (unknown, as BioSemi writes while recording); read the ",
                hdr_->datarecords_in_file, " whole records present",
                patched_leftover_ > 0 ? canon::detail::message(" and ignored the ", patched_leftover_,
                                                               " bytes of a partial last record")
                                      : std::string()));
            return;
          }
        }
      }
      throw io_error(canon::detail::message("cannot read EEG file '", path, "': ", edflib_error_text(code),
                                            " (EDFlib error ", code, "; expected EDF, EDF+ or BDF)"));
    }
    open_ = true;
    read_layout();
  }
  ~EdfFile() {
    if (open_) edfclose_file(hdr_->handle);
  }
  EdfFile(const EdfFile&) = delete;
  EdfFile& operator=(const EdfFile&) = delete;

  const edf_hdr_struct& hdr() const { return *hdr_; }
  int handle() const { return hdr_->handle; }

  EdfHeader header() const {
    EdfHeader h;
    h.path = path_;
    switch (hdr_->filetype) {
      case EDFLIB_FILETYPE_EDFPLUS: h.type = EdfType::edf_plus; break;
      case EDFLIB_FILETYPE_BDF: h.type = EdfType::bdf; break;
      case EDFLIB_FILETYPE_BDFPLUS: h.type = EdfType::bdf_plus; break;
      default: h.type = EdfType::edf; break;
    }
    h.duration = static_cast<double>(hdr_->file_duration) / EDFLIB_TIME_DIMENSION;
    h.warnings = warnings_;
    if (hdr_->edfsignals <= 0)
      throw io_error(canon::detail::message(path_, ": the file holds no signals (expected at least one channel)"));
    if (hdr_->datarecord_duration <= 0)
      throw io_error(canon::detail::message(path_, ": data record duration is ", hdr_->datarecord_duration,
                                            " (expected a positive duration)"));
    for (int i = 0; i < hdr_->edfsignals; ++i) {
      const edf_param_struct& p = hdr_->signalparam[i];
      EdfChannel c;
      c.label = trim_label(p.label);
      c.unit = trim_label(p.physdimension);
      c.transducer = trim_label(p.transducer);
      c.prefilter = trim_label(p.prefilter);
      // sf = samples per record / record duration (EDFlib's documented formula).
      c.sample_rate = static_cast<double>(p.smp_in_datarecord) * EDFLIB_TIME_DIMENSION /
                      static_cast<double>(hdr_->datarecord_duration);
      c.samples = p.smp_in_file;
      // EDFlib's count, checked against the product in 64 bits (an overflow there would
      // give a count that no read can meet).
      const long long expected = static_cast<long long>(p.smp_in_datarecord) * hdr_->datarecords_in_file;
      if (p.smp_in_datarecord < 0 || hdr_->datarecords_in_file < 0 || c.samples != expected)
        throw io_error(canon::detail::message(path_, ": channel ", i, " has ", p.smp_in_datarecord,
                                              " samples per record x ", hdr_->datarecords_in_file,
                                              " records, but its sample count reads ", c.samples,
                                              " (overflow or corrupt header)"));
      c.physical_min = p.phys_min;
      c.physical_max = p.phys_max;
      c.digital_min = p.dig_min;
      c.digital_max = p.dig_max;
      c.type = infer_channel_type(c.label, c.unit);
      h.channels.push_back(c);
    }
    for (long long n = 0; n < hdr_->annotations_in_file; ++n) {
      edf_annotation_struct a{};
      if (edf_get_annotation(hdr_->handle, static_cast<int>(n), &a) != 0)
        throw io_error(canon::detail::message(path_, ": annotation ", n, " cannot be read"));
      EdfAnnotation out;
      out.onset = static_cast<double>(a.onset) / EDFLIB_TIME_DIMENSION;
      out.duration = a.duration_l < 0 ? -1.0 : static_cast<double>(a.duration_l) / EDFLIB_TIME_DIMENSION;
      out.text = a.annotation;
      h.annotations.push_back(out);
    }
    return h;
  }

  /// All samples of the channels `picks` (EDFlib's signal indices, annotation signals
  /// excluded) in physical units, one row each, decoded from the data records. Digital
  /// values outside [dig_min, dig_max] go through the same linear formula and are
  /// counted in `warnings`; a non-finite scaling or result throws.
  Matrix<double> read_channels(const std::vector<Index>& picks, std::vector<std::string>& warnings) const {
    struct Pick {
      std::size_t offset = 0;  // bytes into a record
      long long per_record = 0;
      double scale = 0, phys_min = 0;
      long long dig_min = 0, dig_max = 0;
      long long outside = 0, first_outside = -1, first_value = 0;
    };
    std::vector<Pick> ps;
    long long per_record = -1;
    for (Index p : picks) {
      const edf_param_struct& param = hdr_->signalparam[p];
      Pick k;
      k.offset = layout_offset_[static_cast<std::size_t>(p)];
      k.per_record = param.smp_in_datarecord;
      k.phys_min = param.phys_min;
      k.dig_min = param.dig_min;
      k.dig_max = param.dig_max;
      k.scale = (param.phys_max - param.phys_min) / static_cast<double>(k.dig_max - k.dig_min);
      if (!std::isfinite(param.phys_min) || !std::isfinite(param.phys_max) || !std::isfinite(k.scale) ||
          k.scale == 0.0)
        throw io_error(canon::detail::message(path_, ": channel '", trim_label(param.label), "' has physical range [",
                                              param.phys_min, ", ", param.phys_max, "] over digital range [",
                                              k.dig_min, ", ", k.dig_max,
                                              "]: the scaling is not a finite non-zero number"));
      if (per_record >= 0 && per_record != k.per_record)
        throw io_error(canon::detail::message(path_, ": channels of different rates cannot be read together"));
      per_record = k.per_record;
      ps.push_back(k);
    }
    const long long records = hdr_->datarecords_in_file;
    // Sizes come from the header: check them in 64 bits against the bytes the file
    // holds before allocating (samples per record x records can exceed 32 bits, and a
    // lying record count would otherwise ask for the memory before the read fails).
    const long long present = file_bytes_ - header_bytes_;
    if (records < 0 || record_bytes_ <= 0 || (records > 0 && records > present / record_bytes_))
      throw io_error(canon::detail::message(path_, ": the header declares ", records, " data records of ",
                                            record_bytes_, " bytes, but the file holds ", present,
                                            " bytes after its header (truncated or a corrupt record count?)"));
    if (per_record < 0 || (records > 0 && per_record > std::numeric_limits<Index>::max() / records))
      throw io_error(canon::detail::message(path_, ": ", per_record, " samples per record x ", records,
                                            " records does not fit a 64-bit count"));
    Matrix<double> out(static_cast<Index>(picks.size()), static_cast<Index>(per_record * records));
    std::ifstream in(path_, std::ios::binary);
    if (!in) throw io_error(canon::detail::message("cannot open '", path_, "' for reading"));
    in.seekg(static_cast<std::streamoff>(header_bytes_));
    std::vector<unsigned char> record(static_cast<std::size_t>(record_bytes_));
    const int width = bytes_per_sample_;
    for (long long r = 0; r < records; ++r) {
      if (!in.read(reinterpret_cast<char*>(record.data()), static_cast<std::streamsize>(record.size())))
        throw io_error(canon::detail::message(path_, ": data record ", r, " of ", records,
                                              " cannot be read (the file ends early: truncated?)"));
      for (std::size_t i = 0; i < ps.size(); ++i) {
        Pick& k = ps[i];
        const unsigned char* at = record.data() + k.offset;
        for (long long t = 0; t < k.per_record; ++t, at += width) {
          long long d = 0;
          if (width == 2) {
            d = static_cast<std::int16_t>(static_cast<std::uint16_t>(at[0] | (at[1] << 8)));
          } else {
            const std::uint32_t u = static_cast<std::uint32_t>(at[0]) | (static_cast<std::uint32_t>(at[1]) << 8) |
                                    (static_cast<std::uint32_t>(at[2]) << 16);
            d = (u & 0x800000u) != 0 ? static_cast<long long>(u) - 0x1000000 : static_cast<long long>(u);
          }
          const long long sample = r * k.per_record + t;
          if (d < k.dig_min || d > k.dig_max) {
            if (k.outside++ == 0) {
              k.first_outside = sample;
              k.first_value = d;
            }
          }
          const double x = k.phys_min + static_cast<double>(d - k.dig_min) * k.scale;
          if (!std::isfinite(x))
            throw io_error(canon::detail::message(path_, ": channel '", trim_label(hdr_->signalparam[picks[i]].label),
                                                  "' sample ", sample, ": digital value ", d,
                                                  " scales to a non-finite physical value"));
          out(static_cast<Index>(i), static_cast<Index>(sample)) = x;
        }
      }
    }
    for (std::size_t i = 0; i < ps.size(); ++i)
      if (ps[i].outside > 0)
        warnings.push_back(canon::detail::message(
            path_, ": channel '", trim_label(hdr_->signalparam[picks[i]].label), "': ", ps[i].outside,
            " samples outside the declared digital range [", ps[i].dig_min, ", ", ps[i].dig_max, "] (first: sample ",
            ps[i].first_outside, ", digital ", ps[i].first_value,
            "), converted with the header's linear scaling, not clipped"));
    return out;
  }

 private:
  /// Where each signal sits in a data record, from the raw header (EDFlib does not
  /// expose it): annotation signals of EDF+/BDF+ take space in every record too.
  void read_layout() {
    const auto bad = [&](const std::string& what) {
      return io_error(canon::detail::message(path_, ": ", what));
    };
    std::ifstream in(path_, std::ios::binary);
    std::string head(256, '\0');
    if (!in || !in.read(&head[0], 256)) throw bad("cannot read the header");
    const int signals = std::atoi(head.substr(252, 4).c_str());
    if (signals <= 0 || signals > 4096) throw bad("the header's signal count cannot be read");
    std::string rest(static_cast<std::size_t>(256) * static_cast<std::size_t>(signals), '\0');
    if (!in.read(&rest[0], static_cast<std::streamsize>(rest.size()))) throw bad("the signal headers are cut short");
    const bool plus = hdr_->filetype == EDFLIB_FILETYPE_EDFPLUS || hdr_->filetype == EDFLIB_FILETYPE_BDFPLUS;
    const bool bdf = hdr_->filetype == EDFLIB_FILETYPE_BDF || hdr_->filetype == EDFLIB_FILETYPE_BDFPLUS;
    bytes_per_sample_ = bdf ? 3 : 2;
    header_bytes_ = 256LL * (signals + 1);
    const std::size_t spr_offset = static_cast<std::size_t>(signals) * (16 + 80 + 8 + 8 + 8 + 8 + 8 + 80);
    long long offset = 0;
    for (int i = 0; i < signals; ++i) {
      const std::string label = trim_label(rest.substr(16 * static_cast<std::size_t>(i), 16).c_str());
      const long long spr = std::atoll(rest.substr(spr_offset + 8 * static_cast<std::size_t>(i), 8).c_str());
      if (spr <= 0 || spr > (1LL << 31)) throw bad(canon::detail::message("signal ", i, " has ", spr, " samples per record"));
      const bool annotation = plus && (label == "EDF Annotations" || label == "BDF Annotations");
      if (!annotation) {
        const std::size_t k = layout_offset_.size();
        if (k >= static_cast<std::size_t>(hdr_->edfsignals) || hdr_->signalparam[k].smp_in_datarecord != spr)
          throw bad("the signal layout does not match EDFlib's reading of the header");
        layout_offset_.push_back(static_cast<std::size_t>(offset));
      }
      offset += spr * bytes_per_sample_;
    }
    if (layout_offset_.size() != static_cast<std::size_t>(hdr_->edfsignals))
      throw bad("the signal layout does not match EDFlib's reading of the header");
    record_bytes_ = offset;
    in.seekg(0, std::ios::end);
    file_bytes_ = static_cast<long long>(in.tellg());
    if (file_bytes_ < header_bytes_) throw bad("the file is shorter than its header");
  }


  /// Returns the path of a patched temporary copy, or "" if the file's record count is
  /// not the "-1" marker (or the header cannot be understood).
  std::string patch_unknown_record_count(const std::string& path) {
    std::ifstream in(path, std::ios::binary);
    if (!in) return "";
    std::string head(256, '\0');
    if (!in.read(&head[0], 256)) return "";
    if (trim_label(head.substr(236, 8).c_str()) != "-1") return "";
    const int signals = std::atoi(head.substr(252, 4).c_str());
    if (signals <= 0 || signals > EDFLIB_MAXSIGNALS) return "";
    const bool bdf = static_cast<unsigned char>(head[0]) == 255;
    std::string rest(static_cast<std::size_t>(256 * signals), '\0');
    if (!in.read(&rest[0], static_cast<std::streamsize>(rest.size()))) return "";
    long long record_bytes = 0;
    const std::size_t spr_offset = static_cast<std::size_t>(signals) * (16 + 80 + 8 + 8 + 8 + 8 + 8 + 80);
    for (int i = 0; i < signals; ++i) {
      const int spr = std::atoi(rest.substr(spr_offset + 8 * static_cast<std::size_t>(i), 8).c_str());
      if (spr <= 0) return "";
      record_bytes += static_cast<long long>(spr) * (bdf ? 3 : 2);
    }
    std::ostringstream data;
    data << in.rdbuf();
    const std::string body = data.str();
    const long long records = static_cast<long long>(body.size()) / record_bytes;
    if (records <= 0 || records > 99999999) return "";
    patched_leftover_ = static_cast<long long>(body.size()) - records * record_bytes;
    std::string count = std::to_string(records);
    count.resize(8, ' ');
    head.replace(236, 8, count);
    const std::string temporary = (std::filesystem::temp_directory_path() /
                                   ("canon-edf-" + std::to_string(::getpid()) + "-" + std::to_string(++counter()) + "-" +
                                    std::to_string(std::hash<std::string>{}(path)) + ".tmp"))
                                      .string();
    std::ofstream out(temporary, std::ios::binary | std::ios::trunc);
    out << head << rest;
    out.write(body.data(), static_cast<std::streamsize>(records * record_bytes));
    if (!out) {
      std::remove(temporary.c_str());
      return "";
    }
    return temporary;
  }

  static std::atomic<unsigned long>& counter() {
    static std::atomic<unsigned long> value{0};
    return value;
  }

  std::string path_;
  std::unique_ptr<edf_hdr_struct> hdr_;
  bool open_ = false;
  std::vector<std::size_t> layout_offset_;  // byte offset of each EDFlib signal in a record
  long long header_bytes_ = 0, record_bytes_ = 0, file_bytes_ = 0;
  int bytes_per_sample_ = 2;
  long long patched_leftover_ = 0;
  std::vector<std::string> warnings_;
};

}  // namespace detail

/// Header, channel table and annotations, without the samples.
inline EdfHeader read_edf_header(const std::string& path) { return detail::EdfFile(path).header(); }

namespace detail {

inline EegRecording read_edf_picks(const EdfFile& file, EdfHeader header, const std::vector<Index>& picks) {
  EegRecording rec;
  rec.header = std::move(header);
  if (picks.empty()) throw value_error(canon::detail::message(rec.header.path, ": no channels selected"));
  for (std::size_t i = 0; i < picks.size(); ++i) {
    if (picks[i] < 0 || picks[i] >= static_cast<Index>(rec.header.channels.size()))
      throw value_error(canon::detail::message(rec.header.path, ": channel index ", picks[i], " is outside [0, ",
                                               rec.header.channels.size(), ")"));
    for (std::size_t j = 0; j < i; ++j)
      if (picks[j] == picks[i])
        throw value_error(canon::detail::message(rec.header.path, ": channel ", picks[i], " ('",
                                                 rec.header.channels[static_cast<std::size_t>(picks[i])].label,
                                                 "') is selected twice (positions ", j, " and ", i, ")"));
  }
  const EdfChannel& first = rec.header.channels[static_cast<std::size_t>(picks.front())];
  for (Index p : picks) {
    const EdfChannel& c = rec.header.channels[static_cast<std::size_t>(p)];
    if (c.sample_rate != first.sample_rate || c.samples != first.samples)
      throw value_error(canon::detail::message(
          rec.header.path, ": channel '", c.label, "' has ", c.sample_rate, " Hz (", c.samples, " samples) but '",
          first.label, "' has ", first.sample_rate, " Hz (", first.samples,
          " samples); select channels with one rate or resample them first"));
  }
  rec.sample_rate = first.sample_rate;
  rec.warnings = rec.header.warnings;
  rec.data = file.read_channels(picks, rec.warnings);
  if (rec.data.cols() != first.samples)
    throw io_error(canon::detail::message(rec.header.path, ": decoded ", rec.data.cols(), " samples per channel but the header says ",
                                          first.samples));
  for (Index p : picks) rec.labels.push_back(rec.header.channels[static_cast<std::size_t>(p)].label);
  return rec;
}

/// read_edf_picks for the public readers, which also name in the warnings every channel
/// read whose unit is not a voltage: a trigger or temperature channel cleaned and
/// embedded as EEG is a silent error otherwise.
inline EegRecording read_edf_warned(const EdfFile& file, EdfHeader header, const std::vector<Index>& picks) {
  EegRecording rec = read_edf_picks(file, std::move(header), picks);
  for (Index p : picks) {
    const EdfChannel& c = rec.header.channels[static_cast<std::size_t>(p)];
    if (!is_voltage_unit(c.unit))
      rec.warnings.push_back(canon::detail::message(
          "channel '", c.label, "' has unit '", c.unit, "' (type ", channel_type_name(c.type),
          "), not a voltage; read_edf_of_type(path) reads only the EEG channels"));
  }
  return rec;
}

}  // namespace detail

/// Reads the channels named in `labels` (all channels when empty) in that order. A
/// label no channel has, or several channels have, throws; so does a label given twice.
/// Every channel read whose unit is not a voltage is named in the recording's warnings.
inline EegRecording read_edf(const std::string& path, const std::vector<std::string>& labels = {}) {
  detail::EdfFile file(path);
  EdfHeader header = file.header();
  std::vector<Index> picks;
  if (labels.empty()) {
    for (std::size_t i = 0; i < header.channels.size(); ++i) picks.push_back(static_cast<Index>(i));
  } else {
    for (const auto& l : labels) picks.push_back(header.channel(l));
  }
  return detail::read_edf_warned(file, std::move(header), picks);
}

/// Reads the channels of the given types (io/channel_type.hpp: by default the EEG ones,
/// which leaves out BioSemi's Status channel, "EOG ..."/"ECG ..." channels, AUX inputs
/// and anything not in volts), in file order, as MNE's picks by type do. A file with no
/// channel of those types throws, listing each channel with its type.
inline EegRecording read_edf_of_type(const std::string& path, const std::vector<ChannelType>& types = {ChannelType::eeg}) {
  detail::EdfFile file(path);
  EdfHeader header = file.header();
  std::vector<Index> picks;
  std::string table;
  for (std::size_t i = 0; i < header.channels.size(); ++i) {
    const EdfChannel& c = header.channels[i];
    if (std::find(types.begin(), types.end(), c.type) != types.end()) picks.push_back(static_cast<Index>(i));
    table += canon::detail::message(table.empty() ? "" : ", ", c.label, " (", channel_type_name(c.type), ")");
  }
  if (picks.empty()) {
    std::string wanted;
    for (ChannelType t : types) wanted += (wanted.empty() ? "" : "/") + std::string(channel_type_name(t));
    throw value_error(canon::detail::message(path, ": no channel of type ", wanted.empty() ? "(none given)" : wanted,
                                             "; the file has ", table));
  }
  return detail::read_edf_warned(file, std::move(header), picks);
}

/// Reads channels by 0-based index (as in EdfHeader::channels), for files whose labels
/// are blank or repeated. An index outside the file or given twice throws.
inline EegRecording read_edf_channels(const std::string& path, const std::vector<Index>& indices) {
  detail::EdfFile file(path);
  EdfHeader header = file.header();
  return detail::read_edf_warned(file, std::move(header), indices);
}

/// The aux-channel form: EEG channels `eeg_labels` (when empty: every channel of type
/// eeg, io/channel_type.hpp, other than the audio channel) and the stimulus on
/// `audio_label`, sample-aligned and at one rate.
inline AuxPair read_aux_pair(const std::string& path, const std::string& audio_label = "AUX69",
                             std::vector<std::string> eeg_labels = {}) {
  detail::EdfFile file(path);
  EdfHeader header = file.header();
  const Index audio = header.channel(audio_label);  // throws when absent or ambiguous
  std::vector<Index> picks;
  if (eeg_labels.empty()) {
    for (std::size_t i = 0; i < header.channels.size(); ++i) {
      if (header.channels[i].type == ChannelType::eeg && static_cast<Index>(i) != audio)
        picks.push_back(static_cast<Index>(i));
    }
    if (picks.empty())
      throw io_error(canon::detail::message(path, ": no EEG channels (type eeg: a voltage, not AUX/Status/EOG/...) "
                                            "besides '", audio_label, "'"));
  } else {
    for (const auto& l : eeg_labels) picks.push_back(header.channel(l));
  }
  picks.push_back(audio);  // read_edf_picks rejects the audio channel among the EEG ones
  EegRecording rec = detail::read_edf_picks(file, std::move(header), picks);
  AuxPair pair;
  pair.audio = rec.data.row(rec.data.rows() - 1);
  pair.audio_label = audio_label;
  pair.eeg.header = std::move(rec.header);
  pair.eeg.sample_rate = rec.sample_rate;
  pair.eeg.labels.assign(rec.labels.begin(), rec.labels.end() - 1);
  pair.eeg.data = rec.data.topRows(rec.data.rows() - 1);
  pair.eeg.warnings = std::move(rec.warnings);
  return pair;
}

}  // namespace canon::io
