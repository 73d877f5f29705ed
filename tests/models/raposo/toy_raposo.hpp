// Shared by the Raposo model and protocol tests: a toy configuration and chunks with a
// planted shared latent.
#pragma once

#include <canon/models/raposo/model.hpp>
#include <cmath>

#include "canon_test.hpp"

namespace canon_test {

using canon::raposo::ChunkSet;
using canon::raposo::Config;

// Audio 1 x 54 -> 8 x 18 -> 8 x 6 -> 8 x 6 -> 8 x 1 -> 4 x 1; EEG 3 x 18 -> 6 x 6 -> 6 x 1 -> 4 x 1.
inline Config toy_config() {
  Config c;
  c.audio_branch = "conv-3-3-8, mp-3, conv-3-1-8, mp-6, conv-1-1-4";
  c.eeg_branch = "conv-3-3-6, mp-6, conv-1-1-4";
  c.audio_input = {1, 54};
  c.eeg_input = {3, 18};
  c.training.epochs = 15;
  c.training.batch_size = 64;
  c.training.min_batch = 32;
  c.adam.learning_rate = 3e-3;
  c.inference_batch = 50;
  return c;
}

// Chunks sharing a two-dimensional latent z: the audio carries z as the amplitude of two
// tones, the EEG as the amplitude of two spatio-temporal patterns; both get noise.
inline ChunkSet<double> planted_chunks(Index n, std::uint64_t seed) {
  canon::Rng rng(seed);
  ChunkSet<double> d;
  d.eeg_channels = 3;
  d.audio.resize(54, n);
  d.eeg.resize(3 * 18, n);
  for (Index j = 0; j < n; ++j) {
    const double z1 = rng.normal(), z2 = rng.normal();
    for (Index t = 0; t < 54; ++t)
      d.audio(t, j) = z1 * std::sin(0.9 * double(t)) + z2 * std::sin(0.23 * double(t)) + 0.3 * rng.normal();
    for (Index t = 0; t < 18; ++t)
      for (Index c = 0; c < 3; ++c)
        d.eeg(c + 3 * t, j) = z1 * double(c + 1) * std::cos(0.5 * double(t)) +
                              z2 * (c == 1 ? 1.0 : -0.5) + 0.3 * rng.normal();
    d.song.push_back(int(j / 10));  // 10 chunks per song
    d.subject.push_back(0);
    d.recording.push_back(int(j / 10));
  }
  return d;
}

}  // namespace canon_test
