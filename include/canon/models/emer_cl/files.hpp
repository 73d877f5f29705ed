// canon/models/emer_cl/files.hpp — EMER-CL's inputs from real files: emotion sequences
// from DEAM and PMEmo annotations, music frames from .npy / CSV feature files or from
// audio through canon's default frame feature, paired into a PairSet (data.hpp).
// Needs the canon::io component (libsndfile) and canon::signal (FFTW, for the mel
// features); reached from canon/models/emer_cl_files.hpp. See docs/emer-cl.md, "Data".
//
// Rules for what the real files hold (Takashima et al., Section V-A):
// - DEAM: the first 15 s of annotations are discarded and every song is cut to the
//   30 s from 15 s to 45 s: the half-open window [15, 45) gives 60 steps at 2 Hz for
//   the 2013 release (whose tables run to 45.0 s inclusive, 61 values) and for the
//   1802-song release alike; the 58 longer songs are cut, never padded.
// - PMEmo: annotations start at 15.5 s and are kept whole; songs whose annotated span
//   is shorter than 7 s are dropped (794 -> 701 in the paper) and listed in the report.
// - Arousal and valence are read from their own columns or tables, each by name, and
//   are never swapped or copied from one another; a NaN or empty cell inside a song
//   throws naming the file, line and column (io/csv.hpp), an id twice throws.
// - Music: audio is averaged to mono, resampled to 16 kHz and cut to the same window as
//   the emotion (DEAM's clips: 15-45 s of the 45 s clip), then signal::frame_features
//   (128-d per 0.96 s). Audio that ends more than `max_shortfall_s` before the window
//   ends throws; within that, the window is what the file holds.
#pragma once

#include <algorithm>
#include <cmath>
#include <limits>
#include <map>
#include <string>
#include <vector>

#include "canon/io/audio.hpp"
#include "canon/io/csv.hpp"
#include "canon/io/datasets/deam.hpp"
#include "canon/io/datasets/pmemo.hpp"
#include "canon/io/npy.hpp"
#include "canon/io/resample_audio.hpp"
#include "canon/models/emer_cl/data.hpp"
#include "canon/models/emer_cl/detail/json_numbers.hpp"
#include "canon/models/emer_cl/semi_real.hpp"
#include "canon/signal/mel.hpp"

namespace canon::emer_cl {

/// Which part of each song's annotation to keep, and which songs are too short.
struct EmotionOptions {
  double begin = 15.0;       ///< seconds; steps at times in [begin, end) are kept
  double end = 45.0;
  double min_seconds = 0.0;  ///< songs whose kept span (steps x step) is shorter are dropped

  static EmotionOptions deam() { return {}; }
  static EmotionOptions pmemo() {
    return {-std::numeric_limits<double>::infinity(), std::numeric_limits<double>::infinity(), 7.0};
  }
};

struct EmotionReport {
  std::vector<std::string> dropped;  ///< "<id>: <reason>"
};

namespace detail {

inline void check_window(double begin, double end, const char* where) {
  if (std::isnan(begin) || std::isnan(end) || !(end > begin))
    throw value_error(canon::detail::message(where, ": the window [", begin, ", ", end,
                                             ") s must be non-empty (begin < end)"));
}

inline std::string show_id(long long id) { return std::to_string(id); }

}  // namespace detail

/// The steps of `song` at times in [begin, end) seconds (possibly none).
inline SongEmotion cut_to_window(const SongEmotion& song, double begin, double end) {
  detail::check_window(begin, end, "emer_cl::cut_to_window");
  SongEmotion out;
  out.id = song.id;
  out.step = song.step;
  bool first = true;
  for (std::size_t t = 0; t < song.arousal.size(); ++t) {
    const double at = song.start + double(t) * song.step;
    if (at < begin - 1e-9 || at > end - 1e-9) continue;
    if (first) out.start = at;
    first = false;
    out.arousal.push_back(song.arousal[t]);
    out.valence.push_back(song.valence[t]);
  }
  if (first) out.start = begin;
  return out;
}

namespace detail {

inline std::vector<SongEmotion> keep_long_enough(std::vector<SongEmotion> songs, const EmotionOptions& o,
                                                 EmotionReport* report) {
  std::vector<SongEmotion> kept;
  std::vector<std::string> dropped;
  for (auto& s : songs) {
    SongEmotion cut = cut_to_window(s, o.begin, o.end);
    if (cut.steps() == 0 || cut.seconds() < o.min_seconds - 1e-9) {
      dropped.push_back(canon::detail::message(cut.id, ": ", cut.seconds(), " s of annotation in [", o.begin, ", ",
                                               o.end, ") s, fewer than ", std::max(o.min_seconds, s.step), " s"));
      continue;
    }
    kept.push_back(std::move(cut));
  }
  if (report) report->dropped = std::move(dropped);
  return kept;
}

}  // namespace detail

/// DEAM's wide dynamic tables (the 2013 arousal/valence_cont_average.csv, or the full
/// release's arousal.csv / valence.csv) as emotion sequences cut to options' window
/// (which must be finite and on the tables' 0.5 s grid). Static, split and audio
/// fields of `paths` are checked by io::load_deam as usual but not used here.
inline std::vector<SongEmotion> deam_emotions(const io::DeamPaths& paths, const EmotionOptions& options = {},
                                              EmotionReport* report = nullptr) {
  detail::check_window(options.begin, options.end, "emer_cl::deam_emotions");
  if (!std::isfinite(options.begin) || !std::isfinite(options.end))
    throw value_error(canon::detail::message("emer_cl::deam_emotions: the window [", options.begin, ", ", options.end,
                                             ") s must be finite for DEAM's wide tables"));
  io::DeamPaths p = paths;
  p.window_begin = options.begin;
  p.window_end = options.end - 0.5;  // load_deam's window is inclusive; DEAM's step is 0.5 s
  std::vector<SongEmotion> songs;
  for (const io::DeamSong& s : io::load_deam(p)) {
    SongEmotion e;
    e.id = detail::show_id(s.id);
    e.start = s.window_start;
    e.step = 0.5;
    e.arousal = s.arousal;
    e.valence = s.valence;
    songs.push_back(std::move(e));
  }
  return detail::keep_long_enough(std::move(songs), options, report);
}

/// A long table in PMEmo 2019's layout (musicId, frameTime, Arousal(mean),
/// Valence(mean)): PMEmo's own dynamic_annotations.csv (use EmotionOptions::pmemo()) or
/// DEAM rewritten in it (the default options: [15, 45)).
inline std::vector<SongEmotion> long_table_emotions(const std::string& path, const EmotionOptions& options = {},
                                                    EmotionReport* report = nullptr) {
  detail::check_window(options.begin, options.end, "emer_cl::long_table_emotions");
  io::PmemoPaths p;
  p.dynamic = path;
  p.min_seconds = 0;  // the window is applied first, then min_seconds (below)
  std::vector<SongEmotion> songs;
  for (const io::PmemoSong& s : io::load_pmemo(p).songs) {
    SongEmotion e;
    e.id = detail::show_id(s.id);
    e.start = s.start;
    e.step = s.step;
    e.arousal = s.arousal;
    e.valence = s.valence;
    songs.push_back(std::move(e));
  }
  return detail::keep_long_enough(std::move(songs), options, report);
}

/// One PMEmo 2019 song file in the official repository's JSON layout: "id" and
/// "dynamic": {"t": [...], "a": [...], "v": [...]} (seconds, arousal, valence in [0, 1]).
/// The times must be evenly spaced; the sequence is kept whole.
inline SongEmotion pmemo_json_emotion(const std::string& path) {
  const std::string text = io::read_text_file(path);
  const detail::JsonNumbers j = detail::JsonNumberParser(text, path, "dynamic").parse();
  if (!j.has_object) throw io_error(canon::detail::message(path, ": no \"dynamic\" object"));
  const auto id = j.scalars.find("id");
  if (id == j.scalars.end() || id->second != std::floor(id->second))
    throw io_error(canon::detail::message(path, ": no integer \"id\""));
  for (const char* key : {"t", "a", "v"})
    if (j.arrays.count(key) == 0) throw io_error(canon::detail::message(path, ": no \"dynamic\".\"", key, "\" array"));
  const auto& t = j.arrays.at("t");
  const auto& a = j.arrays.at("a");
  const auto& v = j.arrays.at("v");
  if (a.size() != t.size() || v.size() != t.size() || t.empty())
    throw io_error(canon::detail::message(path, ": \"dynamic\" has ", t.size(), " times, ", a.size(), " arousal and ",
                                          v.size(), " valence values; expected as many, at least one"));
  SongEmotion e;
  e.id = detail::show_id(static_cast<long long>(id->second));
  e.start = t[0];
  e.step = t.size() > 1 ? t[1] - t[0] : 0.5;
  for (std::size_t k = 1; k < t.size(); ++k)
    if (!(e.step > 0) || std::abs(t[k] - t[k - 1] - e.step) > 1e-6)
      throw io_error(canon::detail::message(path, ": \"dynamic\".\"t\"[", k, "] = ", t[k], " breaks the even ", e.step,
                                            " s spacing"));
  e.arousal = a;
  e.valence = v;
  return e;
}

/// How feature frames sit in time: frame k spans [first + k hop, first + k hop + length)
/// seconds of the song; only frames wholly inside [begin, end] are kept.
struct FrameTiming {
  double hop = 0.96;
  double length = 0.96;
  double first = 0.0;
  double begin = -std::numeric_limits<double>::infinity();
  double end = std::numeric_limits<double>::infinity();
};

namespace detail {

inline SongMusic cut_frames(const std::string& id, const Matrix<double>& frames_by_column, const FrameTiming& t,
                            const std::string& source) {
  if (!(t.hop > 0) || !(t.length > 0) || !std::isfinite(t.hop) || !std::isfinite(t.length) || !std::isfinite(t.first))
    throw value_error(canon::detail::message("emer_cl::FrameTiming: hop ", t.hop, " and length ", t.length,
                                             " s must be positive, first ", t.first, " s finite"));
  SongMusic out;
  out.id = id;
  out.hop = t.hop;
  std::vector<Index> keep;
  for (Index k = 0; k < frames_by_column.cols(); ++k) {
    const double at = t.first + double(k) * t.hop;
    if (at >= t.begin - 1e-9 && at + t.length <= t.end + 1e-9) keep.push_back(k);
  }
  if (keep.empty())
    throw value_error(canon::detail::message(source, ": song '", id, "' has no frame inside [", t.begin, ", ", t.end,
                                             "] s (", frames_by_column.cols(), " frames from ", t.first, " s every ",
                                             t.hop, " s)"));
  out.frames.resize(frames_by_column.rows(), Index(keep.size()));
  for (std::size_t k = 0; k < keep.size(); ++k) out.frames.col(Index(k)) = frames_by_column.col(keep[k]);
  for (Index k = 0; k < out.frames.cols(); ++k)
    for (Index f = 0; f < out.frames.rows(); ++f)
      if (!std::isfinite(out.frames(f, k)))
        throw value_error(canon::detail::message(source, ": song '", id, "' frame ", keep[std::size_t(k)], " feature ", f,
                                                 " is ", out.frames(f, k), " (expected finite numbers)"));
  return out;
}

}  // namespace detail

/// One song's features from a 2-D .npy of frames x features (numpy's natural layout,
/// e.g. VGGish's (T, 128)), cut by `timing`.
inline SongMusic npy_music(const std::string& path, const std::string& id, const FrameTiming& timing = {}) {
  const io::NpyArray a = io::read_npy(path);
  if (a.shape.size() != 2)
    throw shape_error(canon::detail::message(path, ": expected a 2-D array of frames x features, found ",
                                             a.shape.size(), " dimensions"));
  return detail::cut_frames(id, a.matrix<double>().transpose(), timing, path);
}

/// <dir>/<id>.npy for every id, in that order; a missing file throws naming it.
inline std::vector<SongMusic> npy_music_folder(const std::string& dir, const std::vector<std::string>& ids,
                                               const FrameTiming& timing = {}) {
  std::vector<SongMusic> out;
  for (const auto& id : ids) out.push_back(npy_music(dir + "/" + id + ".npy", id, timing));
  return out;
}

/// Every song of one long CSV table: an id column (`musicId` as in PMEmo's
/// dynamic_features.csv, or `song_id`), optionally `frameTime` (seconds, then used as
/// each frame's start instead of first + k hop and required to rise by `timing.hop`),
/// and every other column a feature, in column order. A song's rows must be contiguous.
inline std::vector<SongMusic> csv_music(const std::string& path, const FrameTiming& timing = {}) {
  const io::Table t = io::read_csv(path);
  const Index id = t.has_column("musicId") ? t.column("musicId") : t.column("song_id");
  const Index time = t.has_column("frameTime") ? t.column("frameTime") : -1;
  std::vector<Index> features;
  for (Index c = 0; c < t.column_count(); ++c)
    if (c != id && c != time) features.push_back(c);
  if (features.empty()) throw io_error(canon::detail::message(path, ": no feature columns"));
  std::vector<SongMusic> out;
  std::map<std::string, std::size_t> seen;
  Index r = 0;
  while (r < t.row_count()) {
    const std::string song = t.cell(r, id);
    (void)t.integer(r, id);  // ids are integers in both datasets; a stray text cell throws here
    if (!seen.emplace(song, out.size()).second)
      throw io_error(canon::detail::message(path, ": line ", t.lines[std::size_t(r)], ": rows of song ", song,
                                            " are not contiguous"));
    Index end = r;
    while (end < t.row_count() && t.cell(end, id) == song) ++end;
    Matrix<double> frames(Index(features.size()), end - r);
    for (Index k = r; k < end; ++k)
      for (std::size_t f = 0; f < features.size(); ++f) frames(Index(f), k - r) = t.number(k, features[f]);
    FrameTiming timing_here = timing;
    if (time >= 0) {
      timing_here.first = t.number(r, time);
      for (Index k = r + 1; k < end; ++k)
        if (std::abs(t.number(k, time) - t.number(k - 1, time) - timing.hop) > 1e-6)
          throw io_error(canon::detail::message(path, ": line ", t.lines[std::size_t(k)], ": frameTime ",
                                                t.number(k, time), " of song ", song, " does not follow ",
                                                t.number(k - 1, time), " by the hop of ", timing.hop, " s"));
    }
    out.push_back(detail::cut_frames(song, frames, timing_here, path));
    r = end;
  }
  return out;
}

/// Which part of an audio file becomes music frames.
struct AudioWindow {
  double begin = 15.0;  ///< seconds (DEAM: the 15-45 s of each clip, matching the emotion)
  double end = 45.0;    ///< infinity: to the end of the file
  double max_shortfall_s = 1.0;  ///< audio may end this much before `end`, no more
};

/// Decodes an audio file (WAV, FLAC, OGG, MP3), averages its channels, resamples to
/// 16 kHz, keeps [begin, end) and returns signal::frame_features (128 x frames, one
/// column per 0.96 s; a tail shorter than a frame is dropped).
inline SongMusic audio_music(const std::string& path, const std::string& id, const AudioWindow& w = {}) {
  detail::check_window(w.begin, w.end, "emer_cl::audio_music");
  if (!(w.begin >= 0) || !(w.max_shortfall_s >= 0))
    throw value_error(canon::detail::message("emer_cl::audio_music: begin ", w.begin, " s and max_shortfall_s ",
                                             w.max_shortfall_s, " must be >= 0"));
  io::Audio audio = io::read_audio(path);
  io::Audio mono;
  mono.sample_rate = audio.sample_rate;
  mono.samples = audio.samples.colwise().mean();
  const io::Audio a16 = io::resample(mono, 16000.0);
  const double seconds = double(a16.frames()) / 16000.0;
  if (std::isfinite(w.end) && seconds < w.end - w.max_shortfall_s)
    throw value_error(canon::detail::message(path, ": ", seconds, " s of audio, but the window ends at ", w.end,
                                             " s (more than ", w.max_shortfall_s, " s later)"));
  const Index first = Index(std::llround(w.begin * 16000.0));
  const Index last = std::isfinite(w.end) ? std::min(a16.frames(), Index(std::llround(w.end * 16000.0))) : a16.frames();
  if (last - first < 400 + 160 * 95)
    throw value_error(canon::detail::message(path, ": ", double(std::max<Index>(0, last - first)) / 16000.0,
                                             " s of audio in the window from ", w.begin,
                                             " s, less than one 0.96 s frame"));
  SongMusic out;
  out.id = id;
  out.hop = 0.96;
  out.frames = signal::frame_features<double>(a16.samples.middleCols(first, last - first));
  return out;
}

/// <dir>/<id>.<extension> through audio_music for every id, in that order.
inline std::vector<SongMusic> audio_music_folder(const std::string& dir, const std::vector<std::string>& ids,
                                                 const std::string& extension = "mp3", const AudioWindow& w = {}) {
  std::vector<SongMusic> out;
  for (const auto& id : ids) out.push_back(audio_music(dir + "/" + id + "." + extension, id, w));
  return out;
}

/// The semi-real default (semi_real.hpp) on DEAM's real annotation sequences read from
/// a long table in PMEmo's layout (../shared/data/deam-pmemo-format/dynamic_annotations.csv),
/// cut to [15, 45).
template <class Scalar>
SemiReal<Scalar> deam_semi_real(const std::string& dynamic_annotations_csv, const SemiRealOptions& options = {},
                                std::uint64_t seed = 1) {
  return semi_real<Scalar>(long_table_emotions(dynamic_annotations_csv, EmotionOptions::deam()), options, seed);
}

}  // namespace canon::emer_cl
