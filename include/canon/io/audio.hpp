// canon/io/audio.hpp — audio files through libsndfile: WAV, FLAC, OGG/Vorbis and (with
// libsndfile >= 1.1, Debian 12 ships 1.2) MP3.
//
// Samples come back as float in [-1, 1) (libsndfile's normalisation: PCM16 / 32768),
// one row per channel and one column per frame, with the file's own sample rate.
// Resampling to a model's rate is canon::signal::resample_poly (the signal component);
// this header does not depend on it. Errors name the file: one that cannot be opened
// or decoded, one with no frames, one that ends before the frame count its header
// promises (a truncated WAV/FLAC).
#pragma once

#include <sndfile.h>

#include <cstdio>
#include <memory>
#include <string>
#include <vector>

#include "canon/core/error.hpp"
#include "canon/core/types.hpp"

namespace canon::io {

struct Audio {
  Matrix<float> samples;  ///< channels x frames
  double sample_rate = 0;

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

}  // namespace detail

/// Reads a whole audio file.
inline Audio read_audio(const std::string& path) {
  SF_INFO info{};
  detail::SndfileHandle file(sf_open(path.c_str(), SFM_READ, &info));
  if (!file)
    throw io_error(canon::detail::message("cannot read audio '", path, "': ", sf_strerror(nullptr),
                                          " (expected WAV, FLAC, OGG or MP3)"));
  if (info.channels <= 0 || info.samplerate <= 0)
    throw io_error(canon::detail::message("audio '", path, "': header declares ", info.channels,
                                          " channels at ", info.samplerate,
                                          " Hz (expected positive values)"));
  // libsndfile quietly shortens a WAV/AIFF whose data chunk runs past the end of the
  // file; its log says "data : 8000 (should be 3978)". That is a truncated file.
  {
    std::vector<char> log(8192, '\0');
    sf_command(file.get(), SFC_GET_LOG_INFO, log.data(), static_cast<int>(log.size() - 1));
    const std::string text(log.data());
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
  const int major = info.format & SF_FORMAT_TYPEMASK;
  if (major != SF_FORMAT_MPEG && frames < info.frames)
    throw io_error(canon::detail::message("audio '", path, "' is truncated: its header promises ",
                                          info.frames, " frames but only ", frames, " could be read"));
  Audio out;
  out.sample_rate = info.samplerate;
  out.samples = Eigen::Map<const Matrix<float>>(interleaved.data(), info.channels, frames);
  return out;
}

enum class AudioFormat { wav_pcm16, wav_float, flac_pcm16 };

/// Writes audio (channels x frames, values in [-1, 1]) to a temporary name in the
/// same folder and renames it over `path`, so a reader never sees half a file.
inline void write_audio(const std::string& path, const Audio& audio,
                        AudioFormat format = AudioFormat::wav_pcm16) {
  if (audio.channels() <= 0 || audio.frames() <= 0)
    throw shape_error(canon::detail::message("write_audio '", path, "': audio is ", audio.channels(),
                                             " x ", audio.frames(), " (expected at least 1 x 1)"));
  if (!(audio.sample_rate >= 1.0) || audio.sample_rate > 2.0e9)
    throw value_error(canon::detail::message("write_audio '", path, "': sample rate ", audio.sample_rate,
                                             " Hz (expected a positive integer rate)"));
  SF_INFO info{};
  info.channels = static_cast<int>(audio.channels());
  info.samplerate = static_cast<int>(audio.sample_rate);
  switch (format) {
    case AudioFormat::wav_pcm16: info.format = SF_FORMAT_WAV | SF_FORMAT_PCM_16; break;
    case AudioFormat::wav_float: info.format = SF_FORMAT_WAV | SF_FORMAT_FLOAT; break;
    case AudioFormat::flac_pcm16: info.format = SF_FORMAT_FLAC | SF_FORMAT_PCM_16; break;
  }
  const std::string temporary = path + ".tmp-canon";
  {
    detail::SndfileHandle file(sf_open(temporary.c_str(), SFM_WRITE, &info));
    if (!file)
      throw io_error(canon::detail::message("cannot write audio '", temporary, "': ", sf_strerror(nullptr)));
    // libsndfile clips float -> PCM conversion instead of wrapping around.
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
  if (std::rename(temporary.c_str(), path.c_str()) != 0) {
    std::remove(temporary.c_str());
    throw io_error(canon::detail::message("cannot rename '", temporary, "' to '", path, "'"));
  }
}

}  // namespace canon::io
