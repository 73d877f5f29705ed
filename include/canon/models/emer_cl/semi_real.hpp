// canon/models/emer_cl/semi_real.hpp — EMER-CL's semi-real default data: REAL emotion
// sequences (DEAM's averaged arousal/valence annotations, read by files.hpp or given by
// the caller) paired with music frame features SYNTHESISED to follow each song's own
// trajectory, with a known ceiling. Eigen only. See docs/emer-cl.md, "Data".
//
// The relation planted (Gabrielsson & Lindström 2010, "The role of structure in the
// musical expression of emotions", and Juslin & Laukka 2004: loudness, tempo and
// brightness of timbre rise with activity/arousal; major mode and, more weakly, bright
// timbre and fast tempo go with positive valence). With a, v the song's annotation
// linearly interpolated to the centre of music frame k (frames of 0.96 s, canon's
// default frame feature), standardised over every step of the chosen songs, and its
// changes around the song's own mean amplified by g = within_song_gain (default 3):
// a_k <- mean_song(a) + g (a_k - mean_song(a)), the same for v. Averaged ratings move
// less than the music does (annotators are slow and conservative, and averaging
// flattens them): DEAM's within-song spread is a fraction of its between-song spread,
// and without the gain the music's changes over time would be buried in any noise.
//
//   loudness_k   = a_k                 + n_L,k
//   tempo_k      = 0.7 a_k + 0.3 v_k   + n_T,k
//   brightness_k = 0.5 a_k + 0.5 v_k   + n_B,k
//   mode_k       = tanh(2 v_k)         + n_M,k      (+1 major, -1 minor, graded)
//
// each n an AR(1) series per song, n_k = r n_{k-1} + sqrt(1 - r^2) s e_k (stationary sd
// s = descriptor_noise, r = descriptor_noise_ar): the music does not follow the
// listeners' ratings exactly. The 128-d frame feature mimics the layout of
// signal::frame_features (rows 0-63 mean log-mel of 64 bands, rows 64-127 their spread
// within the frame):
//
//   x_k = mu_song + P d_k + feature_noise * eps_k,    d_k = (loudness, tempo, brightness, mode)
//
//   P[:, loudness]   = 1 on the 64 mean rows (a louder frame is louder in every band)
//   P[:, tempo]      = 1 on the 64 spread rows (more onsets per frame, more fluctuation)
//   P[:, brightness] = 2 (b / 63 - 1/2) on mean row b (spectral tilt)
//   P[:, mode]       = a fixed random +-1 pattern on the mean rows, orthogonalised to the
//                      two above (mode shows in log-mel only as a fine band pattern)
//   mu_song          = a song's own timbre: -3 + c0 + c1 cos(pi b/63) + c2 cos(2 pi b/63)
//                      on the mean rows, 1 + c3 on the spread rows, c ~ N(0, timbre_sd^2),
//                      constant over the song and unrelated to its emotion (a nuisance)
//   eps              = white N(0, 1) per entry.
//
// Features are produced directly, not through audio and frame_features: a few hundred
// 30 s songs take milliseconds (audio synthesis plus the mel front end would be several
// seconds), and the planted relation and the ceiling stay exact.
//
// Ceiling (semi_real_oracle): an oracle that inverts the synthesis knows P, mu_song and
// the mapping; it recovers d_hat_k = P^+ (x_k - mu_song) from the noisy features and ranks
// candidate emotions by the squared distance of d_hat to the noise-free descriptors D(a, v)
// of each candidate, each descriptor divided by its noise variance (the Gaussian
// log-likelihood, with the AR(1) correlation ignored), averaged over the common frames.
// Its MRR is the reference a learnt model approaches from below on the same songs.
#pragma once

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <string>
#include <vector>

#include <Eigen/Cholesky>

#include "canon/core/rng.hpp"
#include "canon/eval/retrieval.hpp"
#include "canon/models/emer_cl/data.hpp"

namespace canon::emer_cl {

struct SemiRealOptions {
  Index songs = 300;               ///< how many songs to draw (all if fewer are given)
  double frame_seconds = 0.96;     ///< one music frame
  double descriptor_noise = 0.3;   ///< stationary sd of each descriptor's deviation
  double descriptor_noise_ar = 0.7;///< its AR(1) coefficient per frame
  double feature_noise = 0.5;      ///< white noise per feature entry
  double timbre_sd = 1.0;          ///< spread of the songs' own timbre (nuisance)
  double within_song_gain = 3.0;   ///< how much larger the music's changes are than the ratings' (see above)
};

/// The data and the ground truth that produced it.
template <class Scalar>
struct SemiReal {
  PairSet<Scalar> pairs;                 ///< music: 128 x frames per song; emotion: the real sequences
  std::vector<Matrix<double>> descriptors;///< per song 4 x frames: (loudness, tempo, brightness, mode), with noise
  std::vector<Matrix<double>> clean;      ///< the same without descriptor noise: D(a, v)
  std::vector<Matrix<double>> emotion_at_frames;  ///< per song 2 x frames: raw (a, v) at frame centres
  std::vector<Vector<double>> timbre;    ///< mu_song, 128
  Matrix<double> patterns;               ///< P, 128 x 4
  double arousal_mean = 0, arousal_sd = 1, valence_mean = 0, valence_sd = 1;  ///< the standardisation
  SemiRealOptions options;
};

namespace detail {

/// D(a, v) for standardised a, v (the noise-free descriptors).
inline Eigen::Vector4d semi_real_descriptors(double a, double v) {
  return {a, 0.7 * a + 0.3 * v, 0.5 * a + 0.5 * v, std::tanh(2.0 * v)};
}

/// Linear interpolation of a 2 Hz sequence at `at` seconds after its first step (held
/// at the ends).
inline double interpolate(const std::vector<double>& x, double step, double at) {
  const double pos = at / step;
  if (pos <= 0) return x.front();
  const auto i = std::size_t(std::floor(pos));
  if (i + 1 >= x.size()) return x.back();
  const double w = pos - double(i);
  return (1 - w) * x[i] + w * x[i + 1];
}

}  // namespace detail

/// Draws `options.songs` of `emotions` (a seeded permutation, then in input order) and
/// synthesises their music. Throws for no songs, a song shorter than one music frame,
/// non-finite values, or options out of range.
template <class Scalar>
SemiReal<Scalar> semi_real(const std::vector<SongEmotion>& emotions, const SemiRealOptions& options = {},
                           std::uint64_t seed = 1) {
  const char* where = "emer_cl::semi_real";
  const SemiRealOptions& o = options;
  if (o.songs < 1 || !(o.frame_seconds > 0) || !(o.descriptor_noise >= 0) || !(o.feature_noise >= 0) ||
      !(o.timbre_sd >= 0) || !(o.within_song_gain >= 0) || !(o.descriptor_noise_ar >= 0 && o.descriptor_noise_ar < 1))
    throw value_error(canon::detail::message(where, ": options out of range (songs ", o.songs, " >= 1, frame_seconds ",
                                             o.frame_seconds, " > 0, noises >= 0, descriptor_noise_ar ",
                                             o.descriptor_noise_ar, " in [0, 1))"));
  if (emotions.empty()) throw value_error(canon::detail::message(where, ": no emotion sequences given"));
  Rng pick(seed), patterns_rng(seed ^ 0x9e3779b97f4a7c15ULL), song_rng(seed ^ 0xd1b54a32d192ed03ULL);
  std::vector<Index> order = pick.permutation(Index(emotions.size()));
  order.resize(std::size_t(std::min<Index>(o.songs, Index(emotions.size()))));
  std::sort(order.begin(), order.end());
  std::vector<SongEmotion> chosen;
  for (const Index i : order) chosen.push_back(emotions[std::size_t(i)]);

  // Standardise over every step of the chosen songs.
  double n = 0, sa = 0, sv = 0, saa = 0, svv = 0;
  for (const auto& s : chosen) {
    if (s.arousal.size() != s.valence.size() || s.arousal.empty())
      throw value_error(canon::detail::message(where, ": song '", s.id, "' has ", s.arousal.size(), " arousal and ",
                                               s.valence.size(), " valence values"));
    if (s.seconds() < o.frame_seconds)
      throw value_error(canon::detail::message(where, ": song '", s.id, "' has ", s.seconds(),
                                               " s of annotation, shorter than one music frame (", o.frame_seconds,
                                               " s)"));
    for (std::size_t t = 0; t < s.arousal.size(); ++t) {
      if (!std::isfinite(s.arousal[t]) || !std::isfinite(s.valence[t]))
        throw value_error(canon::detail::message(where, ": song '", s.id, "' step ", t, " is not finite"));
      n += 1, sa += s.arousal[t], sv += s.valence[t];
      saa += s.arousal[t] * s.arousal[t], svv += s.valence[t] * s.valence[t];
    }
  }
  SemiReal<Scalar> out;
  out.options = o;
  out.arousal_mean = sa / n;
  out.valence_mean = sv / n;
  out.arousal_sd = std::sqrt(std::max(saa / n - out.arousal_mean * out.arousal_mean, 0.0));
  out.valence_sd = std::sqrt(std::max(svv / n - out.valence_mean * out.valence_mean, 0.0));
  if (!(out.arousal_sd > 0) || !(out.valence_sd > 0))
    throw value_error(canon::detail::message(where, ": arousal or valence is constant over the chosen songs"));

  // P: the four patterns.
  const Index F = 128, B = 64;
  Matrix<double> P = Matrix<double>::Zero(F, 4);
  for (Index b = 0; b < B; ++b) {
    P(b, 0) = 1;
    P(B + b, 1) = 1;
    P(b, 2) = 2.0 * (double(b) / double(B - 1) - 0.5);
    P(b, 3) = patterns_rng.bernoulli(0.5) ? 1.0 : -1.0;
  }
  for (const Index c : {0, 2}) {
    const Vector<double> u = P.col(c).normalized();
    P.col(3) -= u * u.dot(P.col(3));
  }
  P.col(3) *= std::sqrt(double(B)) / P.col(3).norm();
  out.patterns = P;

  const double r = o.descriptor_noise_ar, innovation = std::sqrt(1 - r * r) * o.descriptor_noise;
  Index max_frames = 0;
  std::vector<SongMusic> music;
  for (const auto& s : chosen) {
    const Index frames = Index(std::floor(s.seconds() / o.frame_seconds + 1e-9));
    max_frames = std::max(max_frames, frames);
    Vector<double> mu(F);
    const double c0 = song_rng.normal() * o.timbre_sd, c1 = song_rng.normal() * o.timbre_sd,
                 c2 = song_rng.normal() * o.timbre_sd, c3 = song_rng.normal() * o.timbre_sd * 0.3;
    for (Index b = 0; b < B; ++b) {
      const double x = double(b) / double(B - 1);
      mu(b) = -3.0 + c0 + c1 * std::cos(canon::pi * x) + c2 * std::cos(2 * canon::pi * x);
      mu(B + b) = 1.0 + c3;
    }
    // The song's own mean (standardised), around which its changes are amplified.
    double song_a = 0, song_v = 0;
    for (std::size_t t = 0; t < s.arousal.size(); ++t) {
      song_a += (s.arousal[t] - out.arousal_mean) / out.arousal_sd / double(s.arousal.size());
      song_v += (s.valence[t] - out.valence_mean) / out.valence_sd / double(s.arousal.size());
    }
    Matrix<double> d(4, frames), clean(4, frames), av(2, frames);
    Eigen::Vector4d noise;
    for (Index c = 0; c < 4; ++c) noise(c) = song_rng.normal() * o.descriptor_noise;  // stationary start
    SongMusic m;
    m.id = s.id;
    m.hop = o.frame_seconds;
    m.frames.resize(F, frames);
    for (Index k = 0; k < frames; ++k) {
      const double at = (double(k) + 0.5) * o.frame_seconds;  // frame centre, from the first step
      const double a_raw = detail::interpolate(s.arousal, s.step, at), v_raw = detail::interpolate(s.valence, s.step, at);
      av(0, k) = a_raw, av(1, k) = v_raw;
      const double a = song_a + o.within_song_gain * ((a_raw - out.arousal_mean) / out.arousal_sd - song_a);
      const double v = song_v + o.within_song_gain * ((v_raw - out.valence_mean) / out.valence_sd - song_v);
      clean.col(k) = detail::semi_real_descriptors(a, v);
      if (k > 0)
        for (Index c = 0; c < 4; ++c) noise(c) = r * noise(c) + innovation * song_rng.normal();
      d.col(k) = clean.col(k) + noise;
      m.frames.col(k) = mu + P * d.col(k);
      for (Index f = 0; f < F; ++f) m.frames(f, k) += o.feature_noise * song_rng.normal();
    }
    out.descriptors.push_back(std::move(d));
    out.clean.push_back(std::move(clean));
    out.emotion_at_frames.push_back(std::move(av));
    out.timbre.push_back(std::move(mu));
    music.push_back(std::move(m));
  }
  PairingOptions pairing;
  pairing.max_duration_gap_s = 0;  // frames are whole 0.96 s inside the annotation by construction
  out.pairs = make_pair_set<Scalar>(chosen, music, pairing);
  return out;
}

/// Retrieval scores of the oracle described at the top of this file.
struct OracleScores {
  double m2e_mrr = 0, e2m_mrr = 0, m2e_ar = 0, e2m_ar = 0;
  Index songs = 0;
};

/// The oracle's M2E and E2M MRR / AR among the songs at `indices` (empty: all), e.g. a
/// test split of 20 % to compare with the paper's protocol: the ceiling depends on how
/// many candidates there are.
template <class Scalar>
OracleScores semi_real_oracle(const SemiReal<Scalar>& data, std::vector<Index> indices = {}) {
  const char* where = "emer_cl::semi_real_oracle";
  const Index N = data.pairs.size();
  if (indices.empty())
    for (Index j = 0; j < N; ++j) indices.push_back(j);
  for (const Index j : indices)
    if (j < 0 || j >= N)
      throw value_error(canon::detail::message(where, ": index ", j, " outside [0, ", N, ")"));
  const Index Q = Index(indices.size());
  const Matrix<double>& P = data.patterns;
  const Matrix<double> pinv = (P.transpose() * P).ldlt().solve(P.transpose());  // P^+, 4 x 128
  // Noise variance of each recovered descriptor: descriptor noise + projected feature noise.
  const Vector<double> var = (Vector<double>::Constant(4, data.options.descriptor_noise * data.options.descriptor_noise) +
                              data.options.feature_noise * data.options.feature_noise * (pinv * pinv.transpose()).diagonal())
                                 .cwiseMax(1e-12);
  std::vector<Matrix<double>> recovered(static_cast<std::size_t>(Q));
  for (Index q = 0; q < Q; ++q) {
    const Index j = indices[std::size_t(q)];
    const Index frames = data.pairs.music_lengths[std::size_t(j)];
    const Matrix<double> x = Eigen::Map<const Matrix<Scalar>>(data.pairs.music.col(j).data(), 128, frames).template cast<double>();
    recovered[std::size_t(q)] = pinv * (x.colwise() - data.timbre[std::size_t(j)]);
  }
  Matrix<double> distance(Q, Q);  // music q (rows) vs emotion c (columns)
  for (Index q = 0; q < Q; ++q)
    for (Index c = 0; c < Q; ++c) {
      const Matrix<double>& d = recovered[std::size_t(q)];
      const Matrix<double>& e = data.clean[std::size_t(indices[std::size_t(c)])];
      const Index T = std::min(d.cols(), e.cols());
      distance(q, c) = ((d.leftCols(T) - e.leftCols(T)).array().square().colwise() / var.array()).sum() / double(T);
    }
  OracleScores s;
  s.songs = Q;
  const auto m2e = eval::paired_ranks(distance, eval::Score::distance);
  const Matrix<double> transposed = distance.transpose();
  const auto e2m = eval::paired_ranks(transposed, eval::Score::distance);
  s.m2e_mrr = eval::mean_reciprocal_rank(m2e);
  s.e2m_mrr = eval::mean_reciprocal_rank(e2m);
  s.m2e_ar = eval::average_rank(m2e);
  s.e2m_ar = eval::average_rank(e2m);
  return s;
}

}  // namespace canon::emer_cl
