#include <canon/models/avramidis/protocol.hpp>
#include <canon/models/avramidis/synthetic.hpp>

#include "canon_test.hpp"

using namespace canon;

TEST_CASE("avramidis::retrieve_music: a common space that pairs each track with itself retrieves perfectly") {
  // 3 tracks x 4 windows: tracks 0 and 1 (label 0) near e_0, track 1 tilted towards e_2,
  // track 2 (label 1) at e_1; a little noise on every point.
  const Index tracks = 3, windows = 4, n = tracks * windows;
  Matrix<double> eeg(3, n), music(3, n);
  std::vector<Index> eeg_labels, music_labels, segment;
  std::vector<int> track;
  Rng rng(2);
  for (Index t = 0; t < tracks; ++t)
    for (Index s = 0; s < windows; ++s) {
      const Index j = t * windows + s;
      const Vector<double> centre = t == 0   ? Vector<double>::Unit(3, 0)
                                    : t == 1 ? Vector<double>(Vector<double>::Unit(3, 0) + 0.3 * Vector<double>::Unit(3, 2))
                                             : Vector<double>::Unit(3, 1);
      eeg.col(j) = centre + 0.01 * Vector<double>::Random(3);
      music.col(j) = centre + 0.01 * Vector<double>::Random(3);
      eeg_labels.push_back(t == 2 ? 1 : 0);
      music_labels.push_back(t == 2 ? 1 : 0);
      track.push_back(int(t));
      segment.push_back(s);
    }
  const auto r = avramidis::retrieve_music(eeg, music, eeg_labels, music_labels, track, segment, windows, 7);
  CHECK(r.stimulus.map == Approx(1.0));
  CHECK(r.label.map == Approx(1.0));
  CHECK(r.label.p_at_10 == Approx((8 * 0.8 + 4 * 0.4) / 12.0));  // label 0 has 8 relevant, label 1 only 4
  CHECK(r.label.authors_p_at_10 == Approx(1.0));
  CHECK(r.trial_stimulus_mrr == Approx(1.0));
  CHECK(r.trial_label_map == Approx(1.0));
  CHECK(r.queries_without_relevant == 0);
  CHECK(r.label_ap_by_step.size() == 4);
  CHECK(r.label_random.map < 0.9);
  CHECK(r.stimulus_random.map < 0.7);
  // When no music candidate shares a query's label, the query is left out and counted.
  std::vector<Index> flipped = music_labels;
  for (auto& l : flipped) l = 0;
  const auto r2 = avramidis::retrieve_music(eeg, music, eeg_labels, flipped, track, segment, windows, 7);
  CHECK(r2.queries_without_relevant == 4);
  CHECK(std::isfinite(r2.label.map));
  CHECK_THROWS_AS(avramidis::retrieve_music(eeg, music.leftCols(5), eeg_labels, music_labels, track, segment, windows, 7),
                  shape_error);
}

TEST_CASE("avramidis::run_subject: 5 folds of whole tracks, every metric in range, repeatable") {
  // A small DEAP-like subject (12 tracks x 9 s: 7 segments each) and a small model.
  std::vector<double> v, a;
  for (int t = 0; t < 12; ++t) v.push_back(t % 2 ? 7.5 : 2.5), a.push_back(t % 3 ? 6.5 : 3.0);
  avramidis::DeapLikeConfig c;
  c.subjects = 1;
  c.trial_seconds = 9.0;
  c.felt_noise_sd = c.report_noise_sd = c.subject_bias_sd = 0.0;
  c.valence_gain = 2.0;
  const auto subject = avramidis::synthesize_deap_like(v, a, c, 3)[0];
  avramidis::MusicTracks<double> music;
  music.windows = 7;
  music.valence = v;
  music.arousal = a;
  music.embeddings = canon_test::random_matrix(8, 12 * 7, 5);
  for (Index j = 0; j < music.embeddings.cols(); ++j) music.embeddings(0, j) += v[std::size_t(j / 7)] > 5 ? 2 : -2;
  std::vector<int> track_of(12);
  std::iota(track_of.begin(), track_of.end(), 0);
  const auto segments = avramidis::make_segments<double>(subject.trials, track_of, music);
  avramidis::ProtocolOptions o;
  o.model.eeg.hidden1 = 4;
  o.model.eeg.hidden2 = 4;
  o.model.eeg.output = 8;
  o.model.music.embedding = 8;
  o.model.music.hidden = 8;
  o.model.music.common = 4;
  o.loop.epochs = 200;
  o.loop.batch_size = 8;
  o.adam.learning_rate = 1e-2;
  o.keep_embeddings = true;
  o.stop_on = avramidis::StopOn::eeg_loss;
  const auto r = avramidis::run_subject(segments, o);
  REQUIRE(r.folds.size() == 5);
  Index tracks = 0;
  for (const auto& f : r.folds) {
    tracks += f.test_tracks;
    CHECK(f.test_segments == 7 * f.test_tracks);
    for (double x : {f.eeg.window, f.eeg.track, f.music.window, f.linear.track, f.majority.window,
                     f.retrieval.stimulus.map, f.retrieval.label.p_at_10})
      CHECK((x >= 0.0 && x <= 1.0));
  }
  CHECK(tracks == 12);  // every track tested exactly once
  // A noiseless planted valence: the model and the linear baseline read it.
  CHECK(r.mean([](const avramidis::FoldResult& f) { return f.eeg.track; }) > 0.8);
  CHECK(r.mean([](const avramidis::FoldResult& f) { return f.linear.track; }) > 0.8);
  CHECK(r.eeg_points.rows() == 4);
  CHECK(r.eeg_points.cols() == r.folds[0].test_segments);
  const auto again = avramidis::run_subject(segments, o);
  CHECK(again.eeg_points == r.eeg_points);
}
