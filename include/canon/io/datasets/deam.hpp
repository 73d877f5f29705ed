// canon/io/datasets/deam.hpp — the DEAM / MediaEval "Emotion in Music" annotations.
//
// Dynamic annotations are wide tables, one row per song: song_id, sample_15000ms,
// sample_15500ms, ... (2 Hz from 15 s). The 2013 "1000 songs" files
// (arousal_cont_average.csv / valence_cont_average.csv, 61 values 15–45 s, in [-1, 1])
// and the later full-DEAM arousal.csv / valence.csv (songs of different lengths, so
// trailing cells are empty) share that layout and are both read here. Static
// annotations (1–9) come as song_id, mean_arousal, std_arousal, mean_valence,
// std_valence (2013) or song_id, valence_mean, valence_std, arousal_mean, arousal_std
// (later); songs_info.csv gives the development/evaluation split. EMER-CL uses the
// 15–45 s window; load_deam cuts every song to it.
#pragma once

#include <algorithm>
#include <cmath>
#include <limits>
#include <map>
#include <string>
#include <vector>

#include "canon/io/csv.hpp"

namespace canon::io {

/// A wide 2 Hz table: values(song, frame) at time start + frame * step seconds.
struct DeamDynamic {
  std::vector<long long> ids;
  double start = 0;   ///< seconds of the first column
  double step = 0.5;  ///< seconds between columns
  Matrix<double> values;  ///< songs x frames; NaN where a song has no value (it ended)
};

/// Reads a wide DEAM dynamic table. The sample_<ms>ms columns must be evenly spaced;
/// a song's empty cells may only trail (the song ended), never sit between values.
inline DeamDynamic read_deam_dynamic(const std::string& path) {
  const Table t = read_csv(path);
  const Index id_column = t.column("song_id");
  std::vector<Index> columns;
  std::vector<double> times;
  for (Index c = 0; c < t.column_count(); ++c) {
    const std::string& name = t.header[static_cast<std::size_t>(c)];
    if (c == id_column) continue;
    double ms = 0;
    if (name.size() < 10 || name.compare(0, 7, "sample_") != 0 || name.compare(name.size() - 2, 2, "ms") != 0 ||
        !detail::parse_double(name.substr(7, name.size() - 9), ms))
      throw io_error(canon::detail::message(path, ": column ", c + 1, " is named ", detail::show(name),
                                            " (expected sample_<milliseconds>ms)"));
    columns.push_back(c);
    times.push_back(ms / 1000.0);
  }
  if (columns.size() < 2)
    throw io_error(canon::detail::message(path, ": expected at least two sample_<ms>ms columns"));
  DeamDynamic out;
  out.start = times[0];
  out.step = times[1] - times[0];
  for (std::size_t i = 1; i < times.size(); ++i)
    if (std::abs(times[i] - times[i - 1] - out.step) > 1e-9 || out.step <= 0)
      throw io_error(canon::detail::message(path, ": column '", t.header[static_cast<std::size_t>(columns[i])],
                                            "' breaks the even ", out.step * 1000, " ms spacing"));
  out.values.setConstant(t.row_count(), static_cast<Index>(columns.size()), std::numeric_limits<double>::quiet_NaN());
  std::map<long long, std::size_t> first_line;  // a song twice would let one row silently win
  for (Index r = 0; r < t.row_count(); ++r) {
    out.ids.push_back(t.integer(r, id_column));
    const std::size_t line = t.lines[static_cast<std::size_t>(r)];
    const auto seen = first_line.emplace(out.ids.back(), line);
    if (!seen.second)
      throw io_error(canon::detail::message(path, ": line ", line, ": song ", out.ids.back(),
                                            " already has a row (line ", seen.first->second,
                                            "); expected one row per song"));
    bool ended = false;
    for (std::size_t j = 0; j < columns.size(); ++j) {
      if (t.cell(r, columns[j]).empty()) {
        ended = true;
        continue;
      }
      if (ended)
        throw io_error(canon::detail::message(path, ": line ", t.lines[static_cast<std::size_t>(r)], ", column '",
                                              t.header[static_cast<std::size_t>(columns[j])],
                                              "': a value after an empty cell (expected empty cells only at the end)"));
      out.values(r, static_cast<Index>(j)) = t.number(r, columns[j]);
    }
    if (std::isnan(out.values(r, 0)))
      throw io_error(canon::detail::message(path, ": line ", t.lines[static_cast<std::size_t>(r)], ": song ",
                                            out.ids.back(), " has no values"));
  }
  return out;
}

namespace detail {

/// Throws when `song` already had a row in `path` (keeping the first line it was seen on).
inline void require_unique_song(const std::string& path, std::map<long long, std::size_t>& first_line, long long song,
                                std::size_t line) {
  const auto seen = first_line.emplace(song, line);
  if (!seen.second)
    throw io_error(canon::detail::message(path, ": line ", line, ": song ", song, " already has a row (line ",
                                          seen.first->second, "); expected one row per song"));
}

}  // namespace detail

struct DeamSong {
  long long id = 0;
  std::vector<double> arousal, valence;  ///< 2 Hz, from window_start
  double window_start = 15.0;            ///< seconds of the first value
  double static_arousal = std::numeric_limits<double>::quiet_NaN();  ///< 1–9, NaN if not given
  double static_valence = std::numeric_limits<double>::quiet_NaN();
  std::string split;  ///< "development", "evaluation" or "" if not given
  std::string audio;  ///< <audio_dir>/<id>.mp3 when an audio folder was given
};

struct DeamPaths {
  std::string arousal;      ///< required: wide arousal table
  std::string valence;      ///< required: wide valence table
  std::string statics;      ///< optional static_annotations.csv
  std::string songs_info;   ///< optional songs_info.csv (split)
  std::string audio_dir;    ///< optional folder of <id>.mp3
  double window_begin = 15.0, window_end = 45.0;  ///< seconds, inclusive
};

/// Songs in the order of the arousal table, cut to [window_begin, window_end]. A song
/// missing from the valence, static or split table, or with two rows in any table,
/// throws naming the song and file. The window must be finite, inside both tables and
/// on their time grid (never rounded to it); a song without values in it throws.
inline std::vector<DeamSong> load_deam(const DeamPaths& p) {
  const DeamDynamic a = read_deam_dynamic(p.arousal);
  const DeamDynamic v = read_deam_dynamic(p.valence);
  if (a.start != v.start || a.step != v.step)
    throw io_error(canon::detail::message(p.valence, ": starts at ", v.start, " s every ", v.step, " s but ", p.arousal,
                                          " starts at ", a.start, " s every ", a.step, " s"));
  std::map<long long, Index> valence_row;
  for (std::size_t i = 0; i < v.ids.size(); ++i) valence_row[v.ids[i]] = static_cast<Index>(i);
  std::map<long long, std::pair<double, double>> statics;
  if (!p.statics.empty()) {
    const Table s = read_csv(p.statics);
    const Index id = s.column("song_id");
    const Index ma = s.has_column("mean_arousal") ? s.column("mean_arousal") : s.column("arousal_mean");
    const Index mv = s.has_column("mean_valence") ? s.column("mean_valence") : s.column("valence_mean");
    std::map<long long, std::size_t> first_line;
    for (Index r = 0; r < s.row_count(); ++r) {
      const long long song = s.integer(r, id);
      detail::require_unique_song(p.statics, first_line, song, s.lines[static_cast<std::size_t>(r)]);
      statics[song] = {s.number(r, ma), s.number(r, mv)};
    }
  }
  std::map<long long, std::string> split;
  if (!p.songs_info.empty()) {
    const Table s = read_csv(p.songs_info);
    const Index id = s.column("song_id");
    const Index set = s.column("Mediaeval 2013 set");
    std::map<long long, std::size_t> first_line;
    for (Index r = 0; r < s.row_count(); ++r) {
      const long long song = s.integer(r, id);
      detail::require_unique_song(p.songs_info, first_line, song, s.lines[static_cast<std::size_t>(r)]);
      split[song] = s.cell(r, set);
    }
  }
  // The window must lie inside both tables and on their time grid: a bound between two
  // columns would be rounded to one (shifting every value), one past the end would
  // return songs without values.
  const double table_end = a.start + static_cast<double>(std::min(a.values.cols(), v.values.cols()) - 1) * a.step;
  if (!std::isfinite(p.window_begin) || !std::isfinite(p.window_end) || !(p.window_begin >= a.start - 1e-9) ||
      !(p.window_end >= p.window_begin) || !(p.window_end <= table_end + 1e-9))
    throw value_error(canon::detail::message("load_deam: window [", p.window_begin, ", ", p.window_end,
                                             "] s must lie within the tables' times [", a.start, ", ", table_end,
                                             "] s (", p.arousal, ", ", p.valence, ")"));
  auto grid_index = [&](double seconds, const char* name) {
    const double at = (seconds - a.start) / a.step;
    const double nearest = std::round(at);
    if (std::abs(at - nearest) > 1e-6)
      throw value_error(canon::detail::message("load_deam: ", name, " ", seconds, " s is not on the tables' ",
                                               a.step, " s grid (nearest: ", a.start + std::floor(at) * a.step, " or ",
                                               a.start + std::ceil(at) * a.step, " s)"));
    return static_cast<Index>(nearest);
  };
  const Index first = grid_index(p.window_begin, "window_begin");
  const Index last = grid_index(p.window_end, "window_end");
  std::vector<DeamSong> songs;
  for (std::size_t i = 0; i < a.ids.size(); ++i) {
    DeamSong song;
    song.id = a.ids[i];
    song.window_start = a.start + static_cast<double>(first) * a.step;
    const auto found = valence_row.find(song.id);
    if (found == valence_row.end())
      throw io_error(canon::detail::message(p.valence, ": no row for song ", song.id, " (it is in ", p.arousal, ")"));
    for (Index f = first; f <= last && f < a.values.cols(); ++f) {
      const double av = a.values(static_cast<Index>(i), f);
      const double vv = f < v.values.cols() ? v.values(found->second, f) : std::nan("");
      if (std::isnan(av) || std::isnan(vv)) break;  // the song (or one of its tables) ended
      song.arousal.push_back(av);
      song.valence.push_back(vv);
    }
    if (song.arousal.empty())
      throw io_error(canon::detail::message(p.arousal, ": song ", song.id, " has no arousal and valence values in the window [",
                                            p.window_begin, ", ", p.window_end, "] s (it ends before it)"));
    if (!p.statics.empty()) {
      const auto s = statics.find(song.id);
      if (s == statics.end())
        throw io_error(canon::detail::message(p.statics, ": no row for song ", song.id));
      song.static_arousal = s->second.first;
      song.static_valence = s->second.second;
    }
    if (!p.songs_info.empty()) {
      const auto s = split.find(song.id);
      if (s == split.end()) throw io_error(canon::detail::message(p.songs_info, ": no row for song ", song.id));
      song.split = s->second;
    }
    if (!p.audio_dir.empty()) song.audio = p.audio_dir + "/" + std::to_string(song.id) + ".mp3";
    songs.push_back(std::move(song));
  }
  return songs;
}

}  // namespace canon::io
