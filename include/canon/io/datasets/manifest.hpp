// canon/io/datasets/manifest.hpp — a small CSV describing paired audio/EEG recordings:
//
//   audio,eeg,audio_offset,eeg_offset,arousal,valence
//   music/song1.wav,eeg/s01_t01.bdf,0,2.5,0.7,0.3
//
// `audio` and `eeg` are required (relative paths are taken from the manifest's
// folder); offsets (seconds into each file where the pair starts) default to 0 and
// must be finite and >= 0; every other column is a label kept as text; number(name)
// reads one as a number, with an error naming the line.
#pragma once

#include <cmath>
#include <map>
#include <string>
#include <vector>

#include "canon/io/csv.hpp"

namespace canon::io {

struct ManifestEntry {
  std::string audio, eeg;
  double audio_offset = 0, eeg_offset = 0;
  std::map<std::string, std::string> labels;
  std::size_t line = 0;  ///< where it came from, for messages
  std::string source;

  double number(const std::string& name) const {
    const auto f = labels.find(name);
    if (f == labels.end())
      throw io_error(canon::detail::message(source, ": line ", line, ": no label column '", name, "'"));
    double v = 0;
    if (!detail::parse_double(f->second, v))
      throw io_error(canon::detail::message(source, ": line ", line, ", column '", name,
                                            "': expected a finite number, found ", detail::show(f->second)));
    return v;
  }
};

inline std::vector<ManifestEntry> parse_manifest(const std::string& text, const std::string& source,
                                                 const std::string& base_dir = "") {
  const Table t = parse_csv(text, source);
  const Index audio = t.column("audio"), eeg = t.column("eeg");
  const Index ao = t.has_column("audio_offset") ? t.column("audio_offset") : -1;
  const Index eo = t.has_column("eeg_offset") ? t.column("eeg_offset") : -1;
  auto resolve = [&](const std::string& path) {
    if (path.empty() || path[0] == '/' || base_dir.empty()) return path;
    return base_dir + "/" + path;
  };
  std::vector<ManifestEntry> out;
  for (Index r = 0; r < t.row_count(); ++r) {
    ManifestEntry e;
    e.line = t.lines[static_cast<std::size_t>(r)];
    e.source = source;
    for (Index c : {audio, eeg})
      if (t.cell(r, c).empty())
        throw io_error(canon::detail::message(source, ": line ", e.line, ": column '",
                                              t.header[static_cast<std::size_t>(c)], "' is empty (expected a file path)"));
    e.audio = resolve(t.cell(r, audio));
    e.eeg = resolve(t.cell(r, eeg));
    for (auto [column, target] : {std::pair<Index, double*>{ao, &e.audio_offset}, {eo, &e.eeg_offset}}) {
      if (column < 0 || t.cell(r, column).empty()) continue;
      *target = t.number(r, column);
      if (*target < 0)
        throw io_error(canon::detail::message(source, ": line ", e.line, ": column '",
                                              t.header[static_cast<std::size_t>(column)], "' is ", *target,
                                              " (expected an offset >= 0 seconds)"));
    }
    for (Index c = 0; c < t.column_count(); ++c)
      if (c != audio && c != eeg && c != ao && c != eo)
        e.labels[t.header[static_cast<std::size_t>(c)]] = t.cell(r, c);
    out.push_back(std::move(e));
  }
  return out;
}

inline std::vector<ManifestEntry> read_manifest(const std::string& path) {
  const auto slash = path.find_last_of('/');
  return parse_manifest(read_text_file(path), path, slash == std::string::npos ? "" : path.substr(0, slash));
}

}  // namespace canon::io
