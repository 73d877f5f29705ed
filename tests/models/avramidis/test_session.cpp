#include <canon/models/avramidis/music_features.hpp>
#include <canon/models/avramidis/segments.hpp>
#include <canon/models/avramidis/synthetic.hpp>

#include "canon_test.hpp"

using namespace canon;

namespace {

std::vector<double> spread_ratings(int tracks, double offset) {
  std::vector<double> r;
  for (int t = 0; t < tracks; ++t) r.push_back(2.0 + 6.0 * std::fmod(0.37 * t + offset, 1.0));
  return r;
}

double correlation(const std::vector<double>& a, const std::vector<double>& b) {
  const Eigen::Map<const Eigen::ArrayXd> x(a.data(), Index(a.size())), y(b.data(), Index(b.size()));
  const Eigen::ArrayXd dx = x - x.mean(), dy = y - y.mean();
  return (dx * dy).sum() / std::sqrt((dx * dx).sum() * (dy * dy).sum());
}

avramidis::MusicTracks<double> music_of(const std::vector<double>& v, const std::vector<double>& a, Index windows) {
  avramidis::MusicTracks<double> m;
  m.windows = windows;
  m.valence = v;
  m.arousal = a;
  m.embeddings = canon_test::random_matrix(5, Index(v.size()) * windows, 3);
  return m;
}

std::vector<int> tracks_of(const avramidis::SyntheticSubject& s) {
  std::vector<int> t;
  for (const auto& trial : s.trials) t.push_back(trial.track);
  return t;
}

/// Mean over segments and channels of the DE of one band (column band * 3 + frame).
double band_mean(const avramidis::SegmentSet<double>& s, Index trial, Index windows, Index band,
                 const std::vector<int>& channels) {
  double sum = 0;
  for (Index j = trial * windows; j < (trial + 1) * windows; ++j)
    for (int c : channels)
      for (Index f = 0; f < 3; ++f) sum += s.eeg(c * 12 + band * 3 + f, j);
  return sum / double(windows * Index(channels.size()) * 3);
}

}  // namespace

TEST_CASE("avramidis::synthesize_deap_like: the planted correlates are in the DE features, the ceiling is exact") {
  const auto v = spread_ratings(20, 0.1), a = spread_ratings(20, 0.6);
  avramidis::DeapLikeConfig c;
  c.subjects = 2;
  c.trial_seconds = 12.0;  // 10 segments of 3 s
  const auto subjects = avramidis::synthesize_deap_like(v, a, c, 5);
  REQUIRE(subjects.size() == 2);
  const auto& s = subjects[0];
  REQUIRE(s.trials.size() == 20);
  CHECK(s.trials[0].eeg.rows() == 32);
  CHECK(s.trials[0].eeg.cols() == 12 * 128);
  // The ceiling is the share of trials whose felt affect and rating agree about "> 5".
  Index agree = 0;
  for (const auto& t : s.trials) agree += (t.felt_valence > 5) == (t.valence > 5);
  CHECK(s.ceiling.valence == double(agree) / 20.0);
  CHECK(s.ceiling.valence < 1.0);  // report noise 0.7: some trials cross 5

  const auto music = music_of(v, a, 10);
  const auto segments = avramidis::make_segments<double>(s.trials, tracks_of(s), music);
  REQUIRE(segments.size() == 200);
  std::vector<double> asymmetry, fast, felt_v, felt_a;
  for (Index t = 0; t < 20; ++t) {
    // Alpha (band 1) right-frontal minus left-frontal: grows with felt valence.
    asymmetry.push_back(band_mean(segments, t, 10, 1, {16, 17, 19, 20, 21, 22}) -
                        band_mean(segments, t, 10, 1, {0, 1, 2, 3, 4, 5}));
    // Beta and gamma over all channels: grow with felt arousal.
    std::vector<int> all(32);
    std::iota(all.begin(), all.end(), 0);
    fast.push_back(band_mean(segments, t, 10, 2, all) + band_mean(segments, t, 10, 3, all));
    felt_v.push_back(s.trials[std::size_t(t)].felt_valence);
    felt_a.push_back(s.trials[std::size_t(t)].felt_arousal);
  }
  CHECK(correlation(asymmetry, felt_v) > 0.8);
  CHECK(correlation(fast, felt_a) > 0.8);
  // Without the planted effect the asymmetry carries no valence.
  c.valence_gain = 0.0;
  const auto flat = avramidis::synthesize_deap_like(v, a, c, 5);
  const auto flat_segments = avramidis::make_segments<double>(flat[0].trials, tracks_of(flat[0]), music);
  std::vector<double> flat_asymmetry, flat_felt;
  for (Index t = 0; t < 20; ++t) {
    flat_asymmetry.push_back(band_mean(flat_segments, t, 10, 1, {16, 17, 19, 20, 21, 22}) -
                             band_mean(flat_segments, t, 10, 1, {0, 1, 2, 3, 4, 5}));
    flat_felt.push_back(flat[0].trials[std::size_t(t)].felt_valence);
  }
  CHECK(std::abs(correlation(flat_asymmetry, flat_felt)) < 0.5);
}

TEST_CASE("avramidis::synthesize_deap_like: same seed same session; perfect reports give a ceiling of 1") {
  const auto v = spread_ratings(4, 0.2), a = spread_ratings(4, 0.7);
  avramidis::DeapLikeConfig c;
  c.subjects = 1;
  c.trial_seconds = 3.0;
  const auto one = avramidis::synthesize_deap_like(v, a, c, 9), two = avramidis::synthesize_deap_like(v, a, c, 9);
  CHECK(one[0].trials[2].eeg == two[0].trials[2].eeg);
  CHECK(one[0].trials[2].eeg != avramidis::synthesize_deap_like(v, a, c, 10)[0].trials[2].eeg);
  c.report_noise_sd = 0.0;
  const auto exact = avramidis::synthesize_deap_like(v, a, c, 9);
  CHECK(exact[0].ceiling.valence == 1.0);
  CHECK(exact[0].ceiling.arousal == 1.0);
  CHECK_THROWS_AS(avramidis::synthesize_deap_like({5.0}, {5.0}, c, 1), value_error);
  CHECK_THROWS_AS(avramidis::synthesize_deap_like(v, {5.0}, c, 1), shape_error);
  CHECK_THROWS_WITH(avramidis::synthesize_deap_like({5.0, 10.0}, {5.0, 5.0}, c, 1), Catch::Contains("1-9"));
  c.fs = 64.0;
  CHECK_THROWS_WITH(avramidis::synthesize_deap_like(v, a, c, 1), Catch::Contains("gamma"));
}

TEST_CASE("avramidis::make_segments: pairs segment s with the track's window s, labels strictly above 5") {
  const std::vector<double> v{5.0, 7.0}, a{6.0, 3.0};
  const auto music = music_of(v, a, 4);
  struct Trial {
    Matrix<double> eeg;
    double valence, arousal;
  };
  Rng rng(1);
  std::vector<Trial> trials;
  for (double r : {5.0, 5.5}) {
    Trial t{Matrix<double>(32, 6 * 128), r, 9.0 - r};
    fill_normal(t.eeg, rng, 0.0, 1.0);
    trials.push_back(t);
  }
  avramidis::SegmentOptions o;
  o.affect = avramidis::Affect::valence;
  const auto s = avramidis::make_segments<double>(trials, {1, 0}, music, o);
  REQUIRE(s.size() == 8);
  CHECK(s.eeg.rows() == 32 * 12);
  CHECK(s.music.col(0) == music.embeddings.col(4));  // trial 0 plays track 1: windows 4..7
  CHECK(s.music.col(7) == music.embeddings.col(3));
  CHECK(s.segment[5] == 1);
  CHECK(s.track[5] == 0);
  CHECK(s.eeg_labels(0, 0) == 0.0);    // a rating of exactly 5 is negative
  CHECK(s.eeg_labels(0, 4) == 1.0);    // 5.5
  CHECK(s.music_labels(0, 0) == 1.0);  // track 1: 7
  CHECK(s.music_labels(0, 4) == 0.0);  // track 0: 5
  // The 12 values of a channel are contiguous: channel 3 of segment 2 of trial 0.
  const auto de = signal::differential_entropy<double>(trials[0].eeg);
  CHECK(s.eeg.col(2).segment(3 * 12, 12).transpose() == de[2].row(3));
  o.affect = avramidis::Affect::arousal;
  const auto s2 = avramidis::make_segments<double>(trials, {1, 0}, music, o);
  CHECK(s2.eeg_labels(0, 0) == 0.0);  // 4
  CHECK(s2.eeg_labels(0, 4) == 0.0);  // 3.5
  CHECK(s2.music_labels(0, 4) == 1.0);  // track 0: 6
  CHECK_THROWS_WITH(avramidis::make_segments<double>(trials, {2, 0}, music), Catch::Contains("plays track"));
  CHECK_THROWS_AS(avramidis::make_segments<double>(trials, {0}, music), shape_error);
  trials[1].eeg.conservativeResize(32, 7 * 128);
  CHECK_THROWS_WITH(avramidis::make_segments<double>(trials, {1, 0}, music), Catch::Contains("windows per track"));
}

TEST_CASE("avramidis::music_window_embeddings: log-mel mean and spread over the frames inside each 3 s window") {
  // 10 s of noise whose level steps up at 5 s: 8 windows of 3 s with a 1 s hop.
  Rng rng(4);
  Matrix<double> audio(1, 160000);
  fill_normal(audio, rng, 0.0, 0.05);
  audio.rightCols(80000) *= 8.0;
  const Matrix<double> e = avramidis::music_window_embeddings<double>(audio);
  REQUIRE(e.rows() == 128);
  REQUIRE(e.cols() == 8);
  // Window 2 covers [2 s, 5 s): frames 200 .. 497 (each 400 samples, 160 apart).
  const Matrix<double> lm = signal::log_mel<double>(signal::mel_spectrogram<double>(audio, signal::vggish_mel_options())[0]);
  const auto block = lm.middleCols(200, 298);
  const Vector<double> mean = block.rowwise().mean();
  CHECK((e.col(2).head(64) - mean).norm() < 1e-12 * mean.norm());
  const Vector<double> sd = ((block.colwise() - mean).array().square().rowwise().sum() / 298.0).sqrt().matrix();
  CHECK((e.col(2).tail(64) - sd).norm() < 1e-12 * sd.norm());
  // Loudness: the magnitude mel (VGGish: power 1) is 8 times larger in the second half, so
  // its log is up to log 8 = 2.08 higher (less where the 0.01 offset matters); the window
  // straddling the step spreads most.
  const double louder = e.col(6).head(64).mean() - e.col(0).head(64).mean();
  CHECK(louder > 1.5);
  CHECK(louder < std::log(8.0) + 1e-9);
  CHECK(e.col(3).tail(64).mean() > 3.0 * e.col(0).tail(64).mean());
  CHECK(avramidis::music_window_embeddings<double>(Matrix<double>::Zero(1, 60 * 16000)).cols() == 58);
  CHECK_THROWS_WITH(avramidis::music_window_embeddings<double>(Matrix<double>::Zero(1, 40000)),
                    Catch::Contains("shorter than one window"));
  CHECK_THROWS_AS(avramidis::music_window_embeddings<double>(Matrix<double>::Zero(2, 60000)), shape_error);
}
