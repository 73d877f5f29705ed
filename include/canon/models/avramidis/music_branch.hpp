// canon/models/avramidis/music_branch.hpp — the music half of Avramidis et al. 2022:
// a precomputed embedding of the 3 s of audio aligned with an EEG segment (MusiCNN
// "pool5", 128-d, in the paper) through a feed-forward network into the 64-d common
// space, and the classifier shared by both modalities:
//
//   music:      Dense(128 -> 128), LeakyReLU(0.01), Dropout(0.5)        (authors' mus_net)
//   common:     Dense(128 -> 64), LeakyReLU(0.01)                        (shared with the EEG)
//   classifier: Dropout(0.5), Dense(64 -> 1), sigmoid in the loss        (shared)
//
// The sizes are the authors' released code's (the paper gives only the 64-d space).
#pragma once

#include "canon/nn/activations.hpp"
#include "canon/nn/dense.hpp"
#include "canon/nn/dropout.hpp"
#include "canon/nn/sequential.hpp"

namespace canon::avramidis {

struct MusicBranchConfig {
  Index embedding = 128;  ///< input size (MusiCNN pool5: 128)
  Index hidden = 128;
  Index common = 64;      ///< the common space
  double dropout = 0.5;
  double negative_slope = 0.01;
};

/// The music network followed by the common projection and the classifier: 1 logit.
template <class Scalar>
nn::Sequential<Scalar> music_classifier(const MusicBranchConfig& c, Rng& rng, std::uint64_t dropout_seed) {
  canon::detail::require_positive(c.embedding, "avramidis::music_classifier", "embedding");
  nn::Sequential<Scalar> net;
  net.add(nn::Dense<Scalar>(c.embedding, c.hidden, rng));
  net.add(nn::LeakyReLU<Scalar>(c.negative_slope));
  if (c.dropout > 0) net.add(nn::Dropout<Scalar>(c.dropout, dropout_seed));
  net.add(nn::Dense<Scalar>(c.hidden, c.common, rng));
  net.add(nn::LeakyReLU<Scalar>(c.negative_slope));
  if (c.dropout > 0) net.add(nn::Dropout<Scalar>(c.dropout, dropout_seed + 1));
  net.add(nn::Dense<Scalar>(c.common, 1, rng));
  return net;
}

}  // namespace canon::avramidis
