// canon/io/audio.hpp — audio files through libsndfile: WAV, FLAC, OGG/Vorbis and (with
// libsndfile >= 1.1, Debian 12 ships 1.2) MP3.
//
// Samples come back as float, one row per channel and one column per frame, with the
// file's own sample rate: integer PCM in [-1, 1) (libsndfile's normalisation: PCM16 /
// 32768); float files unchanged, so they may exceed [-1, 1] (counted in `warnings`).
// Resampling to a model's rate is canon::signal::resample_poly (the signal component);
// this header does not depend on it. Errors name the file: one that cannot be opened
// or decoded, one with no frames, one with NaN/Inf samples, a WAV whose declared bits
// per sample do not fit its sample format (7 bits read as 8), and one that ends early
// where the format says so: a WAV/AIFF data chunk or FLAC/WAV frame count longer than
// the file, an MP3 whose last frame is cut or that holds fewer frames than its
// Xing/Info/VBRI header counts, an Ogg file whose last page is incomplete or does not
// end the stream. An MP3 cut exactly between frames without such a header, or a WAV
// cut together with its header, cannot be told from a short file.
#pragma once

#include <sndfile.h>

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <cstdio>
#include <cstring>
#include <fstream>
#include <limits>
#include <memory>
#include <string>
#include <vector>

#include "canon/core/atomic_file.hpp"
#include "canon/core/error.hpp"
#include "canon/core/types.hpp"

namespace canon::io {

struct Audio {
  Matrix<float> samples;  ///< channels x frames
  double sample_rate = 0;
  /// Conditions that did not stop the read, e.g. float samples beyond [-1, 1] (kept
  /// as they are); empty for a clean file.
  std::vector<std::string> warnings;

  Index channels() const { return samples.rows(); }
  Index frames() const { return samples.cols(); }
  double seconds() const { return sample_rate > 0 ? static_cast<double>(frames()) / sample_rate : 0.0; }

  /// The mean over channels, 1 x frames (the usual mono downmix: equal-power sources
  /// keep their level; a single channel is returned unchanged).
  RowVector<float> mono() const {
    if (channels() == 0) throw value_error("Audio::mono: the audio has no channels");
    return samples.colwise().mean();
  }
};

namespace detail {

struct SndfileCloser {
  void operator()(SNDFILE* f) const {
    if (f != nullptr) sf_close(f);
  }
};
using SndfileHandle = std::unique_ptr<SNDFILE, SndfileCloser>;

/// Random access to the bytes of an audio file: a file on disk or a buffer in memory.
class AudioBytes {
 public:
  virtual ~AudioBytes() = default;
  virtual sf_count_t size() const = 0;
  /// Copies up to n bytes from `offset`; returns how many.
  virtual sf_count_t read_at(sf_count_t offset, void* out, sf_count_t n) = 0;
  /// The whole content (MP3 and Ogg checks scan it; both are compressed, so small).
  std::string all() {
    std::string out(static_cast<std::size_t>(size()), '\0');
    if (!out.empty() && read_at(0, &out[0], size()) != size()) throw io_error("audio: reading the file failed");
    return out;
  }
};

class AudioMemory : public AudioBytes {
 public:
  explicit AudioMemory(const std::string& bytes) : bytes_(bytes) {}
  sf_count_t size() const override { return static_cast<sf_count_t>(bytes_.size()); }
  sf_count_t read_at(sf_count_t offset, void* out, sf_count_t n) override {
    if (offset < 0 || offset >= size() || n <= 0) return 0;
    const sf_count_t got = std::min<sf_count_t>(n, size() - offset);
    std::memcpy(out, bytes_.data() + offset, static_cast<std::size_t>(got));
    return got;
  }

 private:
  const std::string& bytes_;
};

class AudioFile : public AudioBytes {
 public:
  explicit AudioFile(const std::string& path) : in_(path, std::ios::binary) {
    if (!in_) throw io_error(canon::detail::message("cannot read audio '", path, "': the file cannot be opened"));
    in_.seekg(0, std::ios::end);
    size_ = static_cast<sf_count_t>(in_.tellg());
    if (size_ < 0) throw io_error(canon::detail::message("cannot read audio '", path, "': its size is unknown"));
  }
  sf_count_t size() const override { return size_; }
  sf_count_t read_at(sf_count_t offset, void* out, sf_count_t n) override {
    if (offset < 0 || offset >= size_ || n <= 0) return 0;
    in_.clear();
    in_.seekg(static_cast<std::streamoff>(offset));
    in_.read(static_cast<char*>(out), static_cast<std::streamsize>(std::min<sf_count_t>(n, size_ - offset)));
    return static_cast<sf_count_t>(in_.gcount());
  }

 private:
  std::ifstream in_;
  sf_count_t size_ = 0;
};

/// libsndfile's virtual I/O over AudioBytes (read only).
struct AudioCursor {
  AudioBytes* bytes = nullptr;
  sf_count_t position = 0;
};

inline SF_VIRTUAL_IO audio_virtual_io() {
  SF_VIRTUAL_IO io{};
  io.get_filelen = [](void* user) -> sf_count_t { return static_cast<AudioCursor*>(user)->bytes->size(); };
  io.seek = [](sf_count_t offset, int whence, void* user) -> sf_count_t {
    auto* c = static_cast<AudioCursor*>(user);
    sf_count_t base = 0;
    if (whence == SEEK_CUR) base = c->position;
    if (whence == SEEK_END) base = c->bytes->size();
    const sf_count_t target = base + offset;
    if (target < 0) return -1;
    c->position = target;
    return target;
  };
  io.read = [](void* out, sf_count_t n, void* user) -> sf_count_t {
    auto* c = static_cast<AudioCursor*>(user);
    const sf_count_t got = c->bytes->read_at(c->position, out, n);
    c->position += got;
    return got;
  };
  io.write = [](const void*, sf_count_t, void*) -> sf_count_t { return 0; };
  io.tell = [](void* user) -> sf_count_t { return static_cast<AudioCursor*>(user)->position; };
  return io;
}

/// One MPEG audio frame header (ISO 11172-3 / 13818-3); false if the 4 bytes are not one.
struct MpegFrame {
  int version = 0;  // 3: MPEG-1, 2: MPEG-2, 0: MPEG-2.5
  int layer = 0;    // 1, 2 or 3
  int rate = 0;
  bool mono = false;
  std::size_t length = 0;  // bytes, header included
};

inline bool mpeg_frame(const unsigned char* h, MpegFrame& f) {
  if (h[0] != 0xFF || (h[1] & 0xE0) != 0xE0) return false;
  const int version = (h[1] >> 3) & 3, layer_bits = (h[1] >> 1) & 3;
  const int bitrate_index = h[2] >> 4, rate_index = (h[2] >> 2) & 3, padding = (h[2] >> 1) & 1;
  if (version == 1 || layer_bits == 0 || bitrate_index == 0 || bitrate_index == 15 || rate_index == 3) return false;
  static const int kbps[2][3][15] = {
      {{0, 32, 64, 96, 128, 160, 192, 224, 256, 288, 320, 352, 384, 416, 448},
       {0, 32, 48, 56, 64, 80, 96, 112, 128, 160, 192, 224, 256, 320, 384},
       {0, 32, 40, 48, 56, 64, 80, 96, 112, 128, 160, 192, 224, 256, 320}},
      {{0, 32, 48, 56, 64, 80, 96, 112, 128, 144, 160, 176, 192, 224, 256},
       {0, 8, 16, 24, 32, 40, 48, 56, 64, 80, 96, 112, 128, 144, 160},
       {0, 8, 16, 24, 32, 40, 48, 56, 64, 80, 96, 112, 128, 144, 160}}};
  static const int rates[4][3] = {{11025, 12000, 8000}, {0, 0, 0}, {22050, 24000, 16000}, {44100, 48000, 32000}};
  f.version = version;
  f.layer = 4 - layer_bits;
  f.rate = rates[version][rate_index];
  f.mono = (h[3] >> 6) == 3;
  const long bitrate = 1000L * kbps[version == 3 ? 0 : 1][f.layer - 1][bitrate_index];
  if (f.layer == 1) {
    f.length = static_cast<std::size_t>((12 * bitrate / f.rate + padding) * 4);
  } else {
    const long factor = (f.layer == 3 && version != 3) ? 72 : 144;
    f.length = static_cast<std::size_t>(factor * bitrate / f.rate + padding);
  }
  return f.length >= 4;
}

inline std::uint32_t big_endian32(const unsigned char* p) {
  return (std::uint32_t{p[0]} << 24) | (std::uint32_t{p[1]} << 16) | (std::uint32_t{p[2]} << 8) | p[3];
}

/// Throws if an MP3 ends early: a last frame cut short, or fewer frames than the
/// Xing/Info/VBRI header (LAME and most encoders write one) counts. Frames are
/// followed from the first one the way a decoder does, resynchronising over junk.
inline void check_mp3_complete(const std::string& b, const std::string& source) {
  const auto* u = reinterpret_cast<const unsigned char*>(b.data());
  const std::size_t size = b.size();
  std::size_t pos = 0;
  while (pos + 10 <= size && b.compare(pos, 3, "ID3") == 0) {  // ID3v2 tags
    const std::size_t tag = (std::size_t{u[pos + 6]} << 21) | (std::size_t{u[pos + 7]} << 14) |
                            (std::size_t{u[pos + 8]} << 7) | u[pos + 9];
    pos += 10 + tag + ((u[pos + 5] & 0x10) != 0 ? 10 : 0);
  }
  MpegFrame first, f, next;
  // A frame is one whose successor is a frame of the same stream (or the file's end).
  auto frame_at = [&](std::size_t at, const MpegFrame* like, MpegFrame& out) {
    if (at + 4 > size || !mpeg_frame(u + at, out)) return false;
    return like == nullptr || (out.version == like->version && out.layer == like->layer && out.rate == like->rate);
  };
  auto confirmed = [&](std::size_t at, const MpegFrame* like, MpegFrame& out) {
    if (!frame_at(at, like, out)) return false;
    const std::size_t end = at + out.length;
    MpegFrame after;
    return end == size || frame_at(end, &out, after);
  };
  std::size_t start = pos;
  while (start < size && !confirmed(start, nullptr, first)) ++start;
  if (start >= size) return;  // no frame found: libsndfile's decoder has the last word
  // Frame count of a Xing/Info (after the side information) or VBRI (at byte 36) header.
  long long promised = -1;
  {
    const std::size_t side = first.version == 3 ? (first.mono ? 17 : 32) : (first.mono ? 9 : 17);
    const std::size_t x = start + 4 + side;
    if (x + 12 <= size && x + 12 <= start + first.length &&
        (b.compare(x, 4, "Xing") == 0 || b.compare(x, 4, "Info") == 0) && (big_endian32(u + x + 4) & 1u) != 0)
      promised = big_endian32(u + x + 8);
    const std::size_t v = start + 36;
    if (promised < 0 && v + 18 <= size && v + 18 <= start + first.length && b.compare(v, 4, "VBRI") == 0)
      promised = big_endian32(u + v + 14);
  }
  long long frames = 0;
  pos = start;
  while (pos < size) {
    if (frame_at(pos, &first, f)) {
      if (pos + f.length > size)
        throw io_error(canon::detail::message("audio '", source, "' is truncated: MPEG frame ", frames, " at byte ",
                                              pos, " needs ", f.length, " bytes but the file ends after ",
                                              size - pos));
      pos += f.length;
      ++frames;
      continue;
    }
    // Junk or a trailing tag (ID3v1, APE): resynchronise on the next confirmed frame.
    std::size_t at = pos + 1;
    while (at < size && !confirmed(at, &first, next)) ++at;
    pos = at;
  }
  if (promised >= 0 && frames < promised) {
    const double spf = first.layer == 1 ? 384.0 : (first.layer == 3 && first.version != 3 ? 576.0 : 1152.0);
    throw io_error(canon::detail::message("audio '", source, "' is truncated: its header counts ", promised,
                                          " MPEG frames (", promised * spf / first.rate, " s) but the file holds ",
                                          frames, " (", frames * spf / first.rate, " s)"));
  }
}

/// CRC-32 of an Ogg page (polynomial 0x04C11DB7, no reflection, the CRC field as 0).
inline std::uint32_t ogg_crc(const unsigned char* p, std::size_t n) {
  std::uint32_t crc = 0;
  for (std::size_t i = 0; i < n; ++i) {
    const unsigned char byte = (i >= 22 && i < 26) ? 0 : p[i];
    crc ^= static_cast<std::uint32_t>(byte) << 24;
    for (int k = 0; k < 8; ++k) crc = (crc & 0x80000000u) != 0 ? (crc << 1) ^ 0x04C11DB7u : crc << 1;
  }
  return crc;
}

/// Throws if an Ogg file ends early: bytes after its last complete page (a page cut
/// short), or a last page without the end-of-stream flag.
inline void check_ogg_complete(const std::string& b, const std::string& source) {
  const auto* u = reinterpret_cast<const unsigned char*>(b.data());
  const std::size_t size = b.size();
  const std::size_t max_page = 27 + 255 + 255 * 255;
  const std::size_t lowest = size > 2 * max_page ? size - 2 * max_page : 0;
  for (std::size_t q = size >= 27 ? size - 27 + 1 : 0; q-- > lowest;) {
    if (b.compare(q, 4, "OggS") != 0 || u[q + 4] != 0) continue;
    const std::size_t segments = u[q + 26];
    if (q + 27 + segments > size) continue;
    std::size_t length = 27 + segments;
    for (std::size_t i = 0; i < segments; ++i) length += u[q + 27 + i];
    if (q + length > size) continue;
    const std::uint32_t stored = std::uint32_t{u[q + 22]} | (std::uint32_t{u[q + 23]} << 8) |
                                 (std::uint32_t{u[q + 24]} << 16) | (std::uint32_t{u[q + 25]} << 24);
    if (ogg_crc(u + q, length) != stored) continue;  // "OggS" inside a packet, not a page
    if (q + length < size)
      throw io_error(canon::detail::message("audio '", source, "' is truncated: ", size - q - length,
                                            " bytes after the last complete Ogg page (at byte ", q,
                                            ") are not a whole page"));
    if ((u[q + 5] & 0x04) == 0)
      throw io_error(canon::detail::message("audio '", source, "' is truncated: its last Ogg page (at byte ", q,
                                            ") does not end the stream (no end-of-stream flag)"));
    return;
  }
  // No complete page near the end: leave the verdict to the decoder.
}

/// The value after "<key> :" on a line of libsndfile's log, or -1.
inline long log_number(const std::string& log, const std::string& key) {
  std::size_t at = 0;
  while ((at = log.find(key, at)) != std::string::npos) {
    std::size_t colon = log.find(':', at);
    const std::size_t end = log.find('\n', at);
    if (colon != std::string::npos && (end == std::string::npos || colon < end))
      return std::strtol(log.c_str() + colon + 1, nullptr, 10);
    at += key.size();
  }
  return -1;
}

inline Audio read_audio_from(AudioBytes& bytes, const std::string& path) {
  // An MP3 is checked before libsndfile opens it: its decoder (mpg123) prints to stderr
  // about a stream shorter than its Xing header, and the error here says more.
  // An Ogg file likewise: libsndfile 1.2 with libvorbis leaks ~5.8 KB on every Ogg
  // Vorbis file it fails to open (found by fuzz_audio), so a cut one is refused first.
  bool mp3_checked = false, ogg_checked = false;
  {
    unsigned char head[4] = {0, 0, 0, 0};
    MpegFrame probe;
    if (bytes.read_at(0, head, 4) == 4 && (std::memcmp(head, "ID3", 3) == 0 || mpeg_frame(head, probe))) {
      check_mp3_complete(bytes.all(), path);
      mp3_checked = true;
    } else if (std::memcmp(head, "OggS", 4) == 0) {
      check_ogg_complete(bytes.all(), path);
      ogg_checked = true;
    }
  }
  AudioCursor cursor{&bytes, 0};
  SF_VIRTUAL_IO io = audio_virtual_io();
  SF_INFO info{};
  SndfileHandle file(sf_open_virtual(&io, SFM_READ, &info, &cursor));
  if (!file)
    throw io_error(canon::detail::message("cannot read audio '", path, "': ", sf_strerror(nullptr),
                                          " (expected WAV, FLAC, OGG or MP3)"));
  if (info.channels <= 0 || info.samplerate <= 0)
    throw io_error(canon::detail::message("audio '", path, "': header declares ", info.channels,
                                          " channels at ", info.samplerate,
                                          " Hz (expected positive values)"));
  std::vector<char> log_buffer(16384, '\0');
  sf_command(file.get(), SFC_GET_LOG_INFO, log_buffer.data(), static_cast<int>(log_buffer.size() - 1));
  const std::string log(log_buffer.data());
  // libsndfile quietly shortens a WAV/AIFF whose data chunk runs past the end of the
  // file; its log says "data : 8000 (should be 3978)". That is a truncated file.
  {
    const std::string& text = log;
    std::size_t at = text.find("\ndata");
    if (at == std::string::npos && text.compare(0, 4, "data") == 0) at = 0;
    if (at != std::string::npos) {
      const std::size_t end = text.find('\n', at + 1);
      const std::string data_line = text.substr(at + 1, end == std::string::npos ? std::string::npos : end - at - 1);
      if (data_line.find("should be") != std::string::npos)
        throw io_error(canon::detail::message("audio '", path, "' is truncated: its data chunk header and the file "
                                              "length disagree (libsndfile: '", data_line, "')"));
    }
  }
  const int major = info.format & SF_FORMAT_TYPEMASK;
  const int subtype = info.format & SF_FORMAT_SUBMASK;
  // A WAV's bits per sample must be its sample format's: libsndfile reads a declared
  // 7 bits as 8-bit samples and 12 bits as 16-bit ones.
  if (major == SF_FORMAT_WAV || major == SF_FORMAT_WAVEX || major == SF_FORMAT_RF64 || major == SF_FORMAT_W64) {
    int expected = 0;
    switch (subtype) {
      case SF_FORMAT_PCM_S8: case SF_FORMAT_PCM_U8: expected = 8; break;
      case SF_FORMAT_PCM_16: expected = 16; break;
      case SF_FORMAT_PCM_24: expected = 24; break;
      case SF_FORMAT_PCM_32: case SF_FORMAT_FLOAT: expected = 32; break;
      case SF_FORMAT_DOUBLE: expected = 64; break;
      default: break;
    }
    const long declared = log_number(log, "Bit Width");
    if (expected != 0 && declared >= 0 && declared != expected)
      throw io_error(canon::detail::message("audio '", path, "': the header declares ", declared,
                                            " bits per sample (expected ", expected,
                                            " for its sample format; 8, 16, 24 or 32 for PCM, 32 or 64 for float)"));
  }
  if (major == SF_FORMAT_MPEG && !mp3_checked) check_mp3_complete(bytes.all(), path);
  if (major == SF_FORMAT_OGG && !ogg_checked) check_ogg_complete(bytes.all(), path);
  // Read in blocks until the decoder stops: MP3 frame counts are estimates, so the
  // header's count is a bound to check, not the loop limit.
  const auto channels = static_cast<std::size_t>(info.channels);
  std::vector<float> interleaved;
  std::vector<float> block(4096 * channels);
  for (;;) {
    const sf_count_t got = sf_readf_float(file.get(), block.data(), 4096);
    if (got <= 0) break;
    interleaved.insert(interleaved.end(), block.begin(),
                       block.begin() + static_cast<std::ptrdiff_t>(static_cast<std::size_t>(got) * channels));
  }
  if (sf_error(file.get()) != SF_ERR_NO_ERROR)
    throw io_error(canon::detail::message("audio '", path, "': decoding failed after ",
                                          interleaved.size() / channels, " frames: ",
                                          sf_strerror(file.get())));
  const auto frames = static_cast<sf_count_t>(interleaved.size() / channels);
  if (frames == 0)
    throw io_error(canon::detail::message("audio '", path, "' holds no samples (expected at least one frame)"));
  if (major != SF_FORMAT_MPEG && frames < info.frames)
    throw io_error(canon::detail::message("audio '", path, "' is truncated: its header promises ",
                                          info.frames, " frames but only ", frames, " could be read"));
  Audio out;
  std::size_t beyond = 0;
  float peak = 0;
  for (std::size_t i = 0; i < interleaved.size(); ++i) {
    const float x = interleaved[i];
    if (!std::isfinite(x))
      throw io_error(canon::detail::message("audio '", path, "': channel ", i % channels, ", frame ", i / channels,
                                            " is ", x, " (expected finite samples)"));
    if (std::fabs(x) > 1.0f) {
      ++beyond;
      peak = std::max(peak, std::fabs(x));
    }
  }
  if (beyond > 0)
    out.warnings.push_back(canon::detail::message("audio '", path, "': ", beyond,
                                                  " samples lie outside [-1, 1] (peak ", peak,
                                                  "); they are returned unchanged, not clipped"));
  out.sample_rate = info.samplerate;
  out.samples = Eigen::Map<const Matrix<float>>(interleaved.data(), info.channels, frames);
  return out;
}

}  // namespace detail

/// Reads a whole audio file.
inline Audio read_audio(const std::string& path) {
  detail::AudioFile bytes(path);
  return detail::read_audio_from(bytes, path);
}

/// Decodes a whole audio file held in memory; `source` names it in messages.
inline Audio read_audio_bytes(const std::string& bytes, const std::string& source) {
  detail::AudioMemory memory(bytes);
  return detail::read_audio_from(memory, source);
}

enum class AudioFormat { wav_pcm16, wav_float, flac_pcm16 };

/// Writes audio (channels x frames) to a temporary name in the same folder and renames
/// it over `path`, so a reader never sees half a file. The sample rate must be a whole
/// number of Hz (files store an integer; a fractional rate is not rounded); samples
/// must be finite, and for the PCM formats lie in [-1, 1] (nothing is clipped: a value
/// outside throws naming it). wav_float stores any finite value unchanged.
inline void write_audio(const std::string& path, const Audio& audio,
                        AudioFormat format = AudioFormat::wav_pcm16) {
  if (audio.channels() <= 0 || audio.frames() <= 0)
    throw shape_error(canon::detail::message("write_audio '", path, "': audio is ", audio.channels(),
                                             " x ", audio.frames(), " (expected at least 1 x 1)"));
  if (!(audio.sample_rate >= 1.0) || audio.sample_rate > 2.0e9 || audio.sample_rate != std::floor(audio.sample_rate))
    throw value_error(canon::detail::message("write_audio '", path, "': sample rate ", audio.sample_rate,
                                             " Hz (expected a positive integer rate)"));
  const bool pcm = format != AudioFormat::wav_float;
  for (Index t = 0; t < audio.frames(); ++t)
    for (Index c = 0; c < audio.channels(); ++c) {
      const float x = audio.samples(c, t);
      if (!std::isfinite(x) || (pcm && !(std::fabs(x) <= 1.0f)))
        throw value_error(canon::detail::message(
            "write_audio '", path, "': channel ", c, ", frame ", t, " is ", x,
            pcm ? " (expected a finite value in [-1, 1] for PCM; scale the audio or write wav_float)"
                : " (expected a finite value)"));
    }
  SF_INFO info{};
  info.channels = static_cast<int>(audio.channels());
  info.samplerate = static_cast<int>(audio.sample_rate);
  switch (format) {
    case AudioFormat::wav_pcm16: info.format = SF_FORMAT_WAV | SF_FORMAT_PCM_16; break;
    case AudioFormat::wav_float: info.format = SF_FORMAT_WAV | SF_FORMAT_FLOAT; break;
    case AudioFormat::flac_pcm16: info.format = SF_FORMAT_FLAC | SF_FORMAT_PCM_16; break;
  }
  const std::string temporary = canon::detail::create_temporary(path);  // see core/atomic_file.hpp
  {
    detail::SndfileHandle file(sf_open(temporary.c_str(), SFM_WRITE, &info));
    if (!file) {
      std::remove(temporary.c_str());
      throw io_error(canon::detail::message("cannot write audio '", temporary, "': ", sf_strerror(nullptr)));
    }
    // Values were checked to lie in [-1, 1]; clipping only guards +1.0 against wrap-around.
    sf_command(file.get(), SFC_SET_CLIPPING, nullptr, SF_TRUE);
    const Matrix<float> interleaved = audio.samples;  // column-major: frame-major interleaving
    const sf_count_t written = sf_writef_float(file.get(), interleaved.data(), audio.frames());
    if (written != audio.frames()) {
      file.reset();
      std::remove(temporary.c_str());
      throw io_error(canon::detail::message("writing audio '", temporary, "' failed after ", written,
                                            " of ", audio.frames(), " frames"));
    }
  }
  canon::detail::commit_temporary(temporary, path);
}

}  // namespace canon::io
