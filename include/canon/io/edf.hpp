// canon/io/edf.hpp — EEG recordings in EDF, EDF+ and BDF (BioSemi 24-bit) through EDFlib.
//
// Values are physical (EDFlib applies  x = phys_min + (d - dig_min) * (phys_max -
// phys_min) / (dig_max - dig_min)  per channel), in the channel's unit (usually uV).
// Channels are chosen by label (trailing blanks of the 16-character header field
// trimmed); an unknown label throws listing the labels that exist. The selected
// channels must share one sampling rate, else a value_error names the rates: resample
// first (canon::signal::resample_poly) rather than mixing rates silently.
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
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <functional>
#include <sstream>
#include <memory>
#include <string>
#include <vector>

#include "canon/core/error.hpp"
#include "canon/core/types.hpp"

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

  std::vector<std::string> labels() const {
    std::vector<std::string> out;
    for (const auto& c : channels) out.push_back(c.label);
    return out;
  }

  /// The index of the channel with this label; throws io_error listing the labels.
  Index channel(const std::string& label) const {
    for (std::size_t i = 0; i < channels.size(); ++i)
      if (channels[i].label == label) return static_cast<Index>(i);
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
            return;
          }
        }
      }
      throw io_error(canon::detail::message("cannot read EEG file '", path, "': ", edflib_error_text(code),
                                            " (EDFlib error ", code, "; expected EDF, EDF+ or BDF)"));
    }
    open_ = true;
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
      c.physical_min = p.phys_min;
      c.physical_max = p.phys_max;
      c.digital_min = p.dig_min;
      c.digital_max = p.dig_max;
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

  /// All samples of channel `index` in physical units.
  RowVector<double> read_channel(int index, long long count) const {
    RowVector<double> out(static_cast<Index>(count));
    if (edfseek(hdr_->handle, index, 0, EDFSEEK_SET) != 0)
      throw io_error(canon::detail::message(path_, ": cannot seek channel ", index));
    long long done = 0;
    while (done < count) {
      const int chunk = static_cast<int>(std::min<long long>(count - done, 1 << 20));
      const int got = edfread_physical_samples(hdr_->handle, index, chunk, out.data() + done);
      if (got <= 0)
        throw io_error(canon::detail::message(path_, ": channel ", index, " ends after ", done, " of ", count,
                                              " samples (truncated file?)"));
      done += got;
    }
    return out;
  }

 private:
  /// Returns the path of a patched temporary copy, or "" if the file's record count is
  /// not the "-1" marker (or the header cannot be understood).
  static std::string patch_unknown_record_count(const std::string& path) {
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
};

}  // namespace detail

/// Header, channel table and annotations, without the samples.
inline EdfHeader read_edf_header(const std::string& path) { return detail::EdfFile(path).header(); }

/// Reads the channels named in `labels` (all channels when empty) in that order.
inline EegRecording read_edf(const std::string& path, const std::vector<std::string>& labels = {}) {
  detail::EdfFile file(path);
  EegRecording rec;
  rec.header = file.header();
  std::vector<Index> picks;
  if (labels.empty()) {
    for (std::size_t i = 0; i < rec.header.channels.size(); ++i) picks.push_back(static_cast<Index>(i));
  } else {
    for (const auto& l : labels) picks.push_back(rec.header.channel(l));
  }
  const EdfChannel& first = rec.header.channels[static_cast<std::size_t>(picks.front())];
  for (Index p : picks) {
    const EdfChannel& c = rec.header.channels[static_cast<std::size_t>(p)];
    if (c.sample_rate != first.sample_rate || c.samples != first.samples)
      throw value_error(canon::detail::message(
          path, ": channel '", c.label, "' has ", c.sample_rate, " Hz (", c.samples, " samples) but '", first.label,
          "' has ", first.sample_rate, " Hz (", first.samples,
          " samples); select channels with one rate or resample them first"));
  }
  rec.sample_rate = first.sample_rate;
  rec.data.resize(static_cast<Index>(picks.size()), static_cast<Index>(first.samples));
  for (std::size_t i = 0; i < picks.size(); ++i) {
    rec.labels.push_back(rec.header.channels[static_cast<std::size_t>(picks[i])].label);
    rec.data.row(static_cast<Index>(i)) = file.read_channel(static_cast<int>(picks[i]), first.samples);
  }
  return rec;
}

/// The aux-channel form: EEG channels `eeg_labels` (when empty: every channel whose
/// unit is a voltage — uV/mV/V — other than the audio channel) and the stimulus on
/// `audio_label`, sample-aligned and at one rate.
inline AuxPair read_aux_pair(const std::string& path, const std::string& audio_label = "AUX69",
                             std::vector<std::string> eeg_labels = {}) {
  const EdfHeader header = read_edf_header(path);
  (void)header.channel(audio_label);  // throws listing labels when absent
  if (eeg_labels.empty()) {
    for (const auto& c : header.channels) {
      const bool voltage = c.unit == "uV" || c.unit == "mV" || c.unit == "V" || c.unit == "\xC2\xB5V";
      const bool auxiliary = c.label.compare(0, 3, "AUX") == 0 || c.label.compare(0, 3, "BIP") == 0 ||
                             c.label == "Status" || c.label == "Digi";
      if (voltage && !auxiliary && c.label != audio_label) eeg_labels.push_back(c.label);
    }
    if (eeg_labels.empty())
      throw io_error(canon::detail::message(path, ": no EEG channels (unit uV/mV/V) besides '", audio_label, "'"));
  }
  std::vector<std::string> all = eeg_labels;
  all.push_back(audio_label);
  EegRecording rec = read_edf(path, all);
  AuxPair pair;
  pair.audio = rec.data.row(rec.data.rows() - 1);
  pair.audio_label = audio_label;
  pair.eeg.header = std::move(rec.header);
  pair.eeg.sample_rate = rec.sample_rate;
  pair.eeg.labels = eeg_labels;
  pair.eeg.data = rec.data.topRows(rec.data.rows() - 1);
  return pair;
}

}  // namespace canon::io
