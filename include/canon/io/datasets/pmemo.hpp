// canon/io/datasets/pmemo.hpp — PMEmo 2019 annotations (and DEAM rewritten in its layout).
//
// dynamic_annotations.csv is long: musicId, frameTime, Arousal(mean), Valence(mean),
// one row per 0.5 s frame (from 15 s in PMEmo), values in [0, 1]; a song's rows must be
// contiguous with frame times rising by one step. static_annotations.csv: musicId,
// Arousal(mean), Valence(mean). EMER-CL drops songs shorter than 7 s: here a song's
// length is its annotated span (frames x step), and songs below `min_seconds` are
// dropped (counted in `dropped`).
#pragma once

#include <cmath>
#include <limits>
#include <map>
#include <string>
#include <vector>

#include "canon/io/csv.hpp"

namespace canon::io {

struct PmemoSong {
  long long id = 0;
  double start = 0;  ///< seconds of the first frame
  double step = 0.5;
  std::vector<double> arousal, valence;
  double static_arousal = std::numeric_limits<double>::quiet_NaN();
  double static_valence = std::numeric_limits<double>::quiet_NaN();
  std::string audio;  ///< <audio_dir>/<id>.mp3 when an audio folder was given (PMEmo chorus clips)
};

struct PmemoData {
  std::vector<PmemoSong> songs;
  std::vector<long long> dropped;  ///< songs shorter than min_seconds
};

struct PmemoPaths {
  std::string dynamic;    ///< required dynamic_annotations.csv
  std::string statics;    ///< optional static_annotations.csv
  std::string audio_dir;  ///< optional chorus folder
  double step = 0.5;      ///< expected seconds between frames
  double min_seconds = 7.0;
};

inline PmemoData load_pmemo(const PmemoPaths& p) {
  if (!std::isfinite(p.step) || !(p.step > 0))
    throw value_error(canon::detail::message("load_pmemo: step must be a positive number of seconds, got ", p.step));
  if (!std::isfinite(p.min_seconds) || !(p.min_seconds >= 0))
    throw value_error(canon::detail::message("load_pmemo: min_seconds must be a finite number >= 0, got ",
                                             p.min_seconds));
  const Table t = read_csv(p.dynamic);
  const Index id = t.column("musicId"), time = t.column("frameTime");
  const Index ar = t.column("Arousal(mean)"), va = t.column("Valence(mean)");
  std::vector<PmemoSong> songs;
  std::map<long long, std::size_t> seen;
  for (Index r = 0; r < t.row_count(); ++r) {
    const long long music = t.integer(r, id);
    const double at = t.number(r, time);
    const std::size_t line = t.lines[static_cast<std::size_t>(r)];
    if (songs.empty() || songs.back().id != music) {
      if (seen.count(music) != 0)
        throw io_error(canon::detail::message(p.dynamic, ": line ", line, ": rows of song ", music,
                                              " are not contiguous (expected all its frames together)"));
      seen[music] = songs.size();
      PmemoSong s;
      s.id = music;
      s.start = at;
      s.step = p.step;
      songs.push_back(s);
    } else {
      const PmemoSong& s = songs.back();
      const double expected = s.start + static_cast<double>(s.arousal.size()) * p.step;
      if (std::abs(at - expected) > 1e-6)
        throw io_error(canon::detail::message(p.dynamic, ": line ", line, ": song ", music, " frameTime ", at,
                                              " (expected ", expected, ": frames every ", p.step, " s)"));
    }
    songs.back().arousal.push_back(t.number(r, ar));
    songs.back().valence.push_back(t.number(r, va));
  }
  if (!p.statics.empty()) {
    const Table s = read_csv(p.statics);
    const Index sid = s.column("musicId"), sa = s.column("Arousal(mean)"), sv = s.column("Valence(mean)");
    std::map<long long, std::pair<double, double>> values;
    std::map<long long, std::size_t> first_line;  // a song twice would let one row silently win
    for (Index r = 0; r < s.row_count(); ++r) {
      const long long song = s.integer(r, sid);
      const std::size_t line = s.lines[static_cast<std::size_t>(r)];
      const auto seen = first_line.emplace(song, line);
      if (!seen.second)
        throw io_error(canon::detail::message(p.statics, ": line ", line, ": musicId ", song,
                                              " already has a row (line ", seen.first->second,
                                              "); expected one row per song"));
      values[song] = {s.number(r, sa), s.number(r, sv)};
    }
    for (auto& song : songs) {
      const auto f = values.find(song.id);
      if (f == values.end()) throw io_error(canon::detail::message(p.statics, ": no row for musicId ", song.id));
      song.static_arousal = f->second.first;
      song.static_valence = f->second.second;
    }
  }
  PmemoData out;
  for (auto& song : songs) {
    if (static_cast<double>(song.arousal.size()) * p.step < p.min_seconds) {
      out.dropped.push_back(song.id);
      continue;
    }
    if (!p.audio_dir.empty()) song.audio = p.audio_dir + "/" + std::to_string(song.id) + ".mp3";
    out.songs.push_back(std::move(song));
  }
  return out;
}

}  // namespace canon::io
