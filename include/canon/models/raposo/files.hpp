// canon/models/raposo/files.hpp — Raposo's recordings from real files: a manifest of
// paired audio and EEG files (io/datasets/manifest.hpp) read into Recordings for
// prepare_chunks, and single audio or EEG files for embedding.
//
//   audio,eeg,song,subject,audio_offset,eeg_offset
//   music/song1.flac,eeg/s01_t01.bdf,song1,s01,0,2.5
//   s02_t07.edf:AUX69,s02_t07.edf,song7,s02,,
//
// - audio: any file libsndfile reads (WAV, FLAC, OGG, MP3), mixed to mono; or
//   "file.edf:LABEL" / "file.bdf:LABEL", the stimulus as recorded on a channel of the EEG
//   file itself (the music-attention recordings keep it on AUX69, sample-aligned).
// - eeg: EDF/EDF+/BDF/BDF+. The channels are those labelled in FileOptions::eeg_labels,
//   in that order, or else every channel of type eeg (io/channel_type.hpp: not Status,
//   EOG, ECG, AUX inputs, nor anything not in volts); either way every recording must
//   give the same labels in the same order, since a channel is a fixed row of the
//   EEG branch's input.
// - song, subject: names (any text). Chunks of one song are held out together; without
//   a song column every audio file is its own song, without a subject column all
//   recordings are one subject's.
// - offsets: seconds into each file where the pair starts (default 0).
// Needs the canon::io component (libsndfile, EDFlib); reached from
// canon/models/raposo_files.hpp.
#pragma once

#include <algorithm>
#include <cctype>
#include <cmath>
#include <map>
#include <string>
#include <vector>

#include "canon/io/audio.hpp"
#include "canon/io/datasets/manifest.hpp"
#include "canon/io/edf.hpp"
#include "canon/models/raposo/data.hpp"

namespace canon::raposo {

struct FileOptions {
  /// EEG channels by label, in this order; empty: every channel of type eeg.
  std::vector<std::string> eeg_labels;
};

/// A mono audio stream as read from a file.
struct AudioStream {
  RowVector<double> samples;
  double rate = 0;  ///< Hz
  std::vector<std::string> warnings;
};

/// EEG as read from a file: channels x samples.
struct EegStream {
  Matrix<double> samples;
  double rate = 0;  ///< Hz
  std::vector<std::string> labels, warnings;
};

namespace detail {

/// "file.edf:LABEL" -> ("file.edf", "LABEL"); anything else -> (spec, "").
inline std::pair<std::string, std::string> split_channel_spec(const std::string& spec) {
  const auto colon = spec.rfind(':');
  if (colon == std::string::npos || colon < 4) return {spec, ""};
  std::string ext = spec.substr(colon - 4, 4);
  std::transform(ext.begin(), ext.end(), ext.begin(), [](unsigned char c) { return char(std::tolower(c)); });
  if (ext != ".edf" && ext != ".bdf") return {spec, ""};
  return {spec.substr(0, colon), spec.substr(colon + 1)};
}

/// The samples from `offset_seconds` on; an offset at or past the end throws.
template <class M>
M from_offset(const M& x, double rate, double offset_seconds, const std::string& what) {
  if (!(offset_seconds >= 0) || !std::isfinite(offset_seconds))
    throw value_error(canon::detail::message(what, ": offset ", offset_seconds, " s; expected a finite offset >= 0"));
  const auto skip = Index(std::llround(offset_seconds * rate));
  if (skip == 0) return x;
  if (skip >= x.cols())
    throw value_error(canon::detail::message(what, ": the offset ", offset_seconds, " s is at or past its end (",
                                             double(x.cols()) / rate, " s)"));
  return x.rightCols(x.cols() - skip);
}

}  // namespace detail

/// Audio from a sound file (mixed to mono) or from "file.edf:LABEL", from
/// `offset_seconds` on.
inline AudioStream read_audio_stream(const std::string& spec, double offset_seconds = 0) {
  AudioStream out;
  const auto [path, label] = detail::split_channel_spec(spec);
  if (label.empty()) {
    io::Audio audio = io::read_audio(path);
    out.rate = audio.sample_rate;
    out.samples = audio.mono().cast<double>();
    out.warnings = std::move(audio.warnings);
  } else {
    // The unchecked-unit reader, as read_aux_pair reads its stimulus: the public readers
    // warn that a channel is not in volts, which is what a stimulus channel is expected
    // to be. The file's other warnings (header, digital range) still come through.
    const io::detail::EdfFile file(path);
    io::EdfHeader header = file.header();
    const Index channel = header.channel(label);  // throws, listing the labels, when absent
    io::EegRecording read = io::detail::read_edf_picks(file, std::move(header), {channel});
    out.rate = read.sample_rate;
    out.samples = read.data.row(0);
    out.warnings = std::move(read.warnings);
  }
  out.samples = detail::from_offset(out.samples, out.rate, offset_seconds, "'" + spec + "'");
  return out;
}

/// EEG channels of an EDF/BDF file (by label, or every channel of type eeg), from
/// `offset_seconds` on.
inline EegStream read_eeg_stream(const std::string& path, const std::vector<std::string>& labels = {},
                                 double offset_seconds = 0) {
  io::EegRecording recording = labels.empty() ? io::read_edf_of_type(path) : io::read_edf(path, labels);
  EegStream out;
  out.rate = recording.sample_rate;
  out.labels = std::move(recording.labels);
  out.warnings = std::move(recording.warnings);
  out.samples = detail::from_offset(recording.data, out.rate, offset_seconds, "'" + path + "'");
  return out;
}

/// The recordings of a manifest, with the names behind their song and subject numbers.
template <class Scalar>
struct RecordingFiles {
  std::vector<Recording<Scalar>> recordings;
  std::vector<std::string> songs, subjects;  ///< Recording::song indexes songs, ::subject subjects
  std::vector<std::string> eeg_labels;       ///< the EEG rows, the same for every recording
  std::vector<std::string> warnings;         ///< each prefixed with its file
};

/// Reads every entry of a manifest (see the file comment).
template <class Scalar>
RecordingFiles<Scalar> read_recordings(const std::vector<io::ManifestEntry>& entries, const FileOptions& options = {}) {
  using canon::detail::message;
  if (entries.empty()) throw value_error("raposo::read_recordings: the manifest lists no recordings");
  RecordingFiles<Scalar> out;
  std::map<std::string, int> song_ids, subject_ids;
  auto id = [](std::map<std::string, int>& ids, std::vector<std::string>& names, const std::string& name) {
    const auto found = ids.emplace(name, int(names.size()));
    if (found.second) names.push_back(name);
    return found.first->second;
  };
  auto label = [](const io::ManifestEntry& e, const char* column, const std::string& fallback) {
    const auto f = e.labels.find(column);
    return f == e.labels.end() || f->second.empty() ? fallback : f->second;
  };
  for (const io::ManifestEntry& e : entries) {
    const std::string where = message(e.source, ": line ", e.line);
    const AudioStream audio = read_audio_stream(e.audio, e.audio_offset);
    const EegStream eeg = read_eeg_stream(e.eeg, options.eeg_labels, e.eeg_offset);
    if (out.recordings.empty()) {
      out.eeg_labels = eeg.labels;
    } else if (eeg.labels != out.eeg_labels) {
      std::string got, first;
      for (const auto& l : eeg.labels) got += (got.empty() ? "" : " ") + l;
      for (const auto& l : out.eeg_labels) first += (first.empty() ? "" : " ") + l;
      throw value_error(message(where, ": '", e.eeg, "' gives the EEG channels [", got, "]; the first recording ",
                                "gave [", first, "] (every recording needs the same channels in the same order: ",
                                "name them with eeg_labels)"));
    }
    for (const auto& w : audio.warnings) out.warnings.push_back(e.audio + ": " + w);
    for (const auto& w : eeg.warnings) out.warnings.push_back(e.eeg + ": " + w);
    Recording<Scalar> r;
    r.audio = audio.samples.cast<Scalar>();
    r.audio_rate = audio.rate;
    r.eeg = eeg.samples.cast<Scalar>();
    r.eeg_rate = eeg.rate;
    r.song = id(song_ids, out.songs, label(e, "song", e.audio));
    r.subject = id(subject_ids, out.subjects, label(e, "subject", "subject"));
    out.recordings.push_back(std::move(r));
  }
  return out;
}

}  // namespace canon::raposo
