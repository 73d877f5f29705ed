#include <catch2/catch.hpp>

#include <cmath>
#include <cstdio>
#include <fstream>

#include "canon/io/datasets/deam.hpp"
#include "canon/io/datasets/deap.hpp"
#include "canon/io/datasets/deap_stimuli.hpp"
#include "canon/io/datasets/manifest.hpp"
#include "canon/io/datasets/pmemo.hpp"
#include "canon_test.hpp"

namespace {

void write_text(const std::string& path, const std::string& text) { std::ofstream(path, std::ios::binary) << text; }

using canon_test::error_of;

}  // namespace

TEST_CASE("deam wide tables with trailing empty cells and window", "[io][datasets]") {
  write_text("canon_a.csv", "song_id,sample_14500ms,sample_15000ms,sample_15500ms,sample_16000ms\n"
                            "7,0.1,0.2,0.3,0.4\n9,0.5,0.6,,\n");
  write_text("canon_v.csv", "song_id,sample_14500ms,sample_15000ms,sample_15500ms,sample_16000ms\n"
                            "9,-0.5,-0.6,-0.7,\n7,-0.1,-0.2,-0.3,-0.4\n");
  write_text("canon_s.csv", "song_id, valence_mean, valence_std, arousal_mean, arousal_std\n7,3,1,6,1\n9,4,1,5,1\n");
  canon::io::DeamPaths p;
  p.arousal = "canon_a.csv";
  p.valence = "canon_v.csv";
  p.statics = "canon_s.csv";
  p.window_end = 15.5;
  const auto songs = canon::io::load_deam(p);
  REQUIRE(songs.size() == 2);
  CHECK(songs[0].id == 7);
  CHECK(songs[0].window_start == 15.0);
  CHECK(songs[0].arousal == std::vector<double>{0.2, 0.3});
  CHECK(songs[0].valence == std::vector<double>{-0.2, -0.3});
  CHECK(songs[0].static_arousal == 6);
  CHECK(songs[1].arousal == std::vector<double>{0.6});  // ended
  // Bad inputs.
  write_text("canon_bad.csv", "song_id,sample_15000ms,sample_15500ms\n7,0.1,\n9,,0.2\n");
  CHECK_THAT(error_of([] { canon::io::read_deam_dynamic("canon_bad.csv"); }),
             Catch::Contains("canon_bad.csv") && Catch::Contains("line 3") && Catch::Contains("after an empty cell"));
  write_text("canon_bad.csv", "song_id,sample_15000ms,sample_16000ms,sample_16500ms\n7,1,2,3\n");
  CHECK_THAT(error_of([] { canon::io::read_deam_dynamic("canon_bad.csv"); }), Catch::Contains("spacing"));
  write_text("canon_bad.csv", "song_id,s15,s16\n7,1,2\n");
  CHECK_THAT(error_of([] { canon::io::read_deam_dynamic("canon_bad.csv"); }), Catch::Contains("sample_<milliseconds>ms"));
  write_text("canon_bad.csv", "id,sample_15000ms,sample_15500ms\n7,1,2\n");
  CHECK_THAT(error_of([] { canon::io::read_deam_dynamic("canon_bad.csv"); }), Catch::Contains("no column 'song_id'"));
  write_text("canon_v.csv", "song_id,sample_14500ms,sample_15000ms,sample_15500ms,sample_16000ms\n9,1,2,3,4\n");
  CHECK_THAT(error_of([&] { canon::io::load_deam(p); }), Catch::Contains("no row for song 7"));
  for (const char* f : {"canon_a.csv", "canon_v.csv", "canon_s.csv", "canon_bad.csv"}) std::remove(f);
}

TEST_CASE("deam 2013 real annotations load aligned with split and statics", "[io][datasets][real]") {
  const std::string dir = canon_test::shared_data("deam-2013/arousal_cont_average.csv");
  if (dir.empty()) return;
  const std::string base = dir.substr(0, dir.find_last_of('/'));
  canon::io::DeamPaths p;
  p.arousal = base + "/arousal_cont_average.csv";
  p.valence = base + "/valence_cont_average.csv";
  p.statics = base + "/static_annotations.csv";
  p.songs_info = base + "/songs_info.csv";
  p.audio_dir = base + "/mp3";
  const auto songs = canon::io::load_deam(p);
  REQUIRE(songs.size() == 744);
  CHECK(songs[0].id == 2);
  CHECK(songs[0].arousal.size() == 61);
  CHECK(songs[0].valence.size() == 61);
  CHECK(songs[0].static_arousal == 3.1);
  CHECK(songs[0].static_valence == 3.0);
  CHECK(songs[0].split == "development");
  CHECK(songs[1].split == "evaluation");
  CHECK(songs[0].audio == base + "/mp3/2.mp3");
  std::size_t development = 0;
  for (const auto& s : songs) {
    development += s.split == "development";
    for (double x : s.arousal) REQUIRE(std::abs(x) <= 1.0);
  }
  CHECK(development > 0);
  CHECK(development < songs.size());
  // Spot value straight from the file's text: song 2, sample_15000ms.
  const auto table = canon::io::read_csv(p.arousal);
  CHECK(songs[0].arousal[0] == table.number(0, table.column("sample_15000ms")));
  CHECK(songs[0].arousal[60] == table.number(0, table.column("sample_45000ms")));
}

TEST_CASE("pmemo layout loads songs and drops short ones", "[io][datasets]") {
  write_text("canon_dyn.csv", "musicId,frameTime,Arousal(mean),Valence(mean)\n"
                              "1,15.0,0.1,0.2\n1,15.5,0.2,0.3\n"
                              "4,15.0,0.5,0.5\n");
  write_text("canon_sta.csv", "musicId,Arousal(mean),Valence(mean)\n1,0.3,0.4\n4,0.5,0.6\n");
  canon::io::PmemoPaths p;
  p.dynamic = "canon_dyn.csv";
  p.statics = "canon_sta.csv";
  p.min_seconds = 1.0;
  const auto d = canon::io::load_pmemo(p);
  REQUIRE(d.songs.size() == 1);
  CHECK(d.songs[0].valence == std::vector<double>{0.2, 0.3});
  CHECK(d.songs[0].static_valence == 0.4);
  CHECK(d.dropped == std::vector<long long>{4});
  write_text("canon_dyn.csv", "musicId,frameTime,Arousal(mean),Valence(mean)\n1,15.0,0.1,0.2\n1,16.0,0.2,0.3\n");
  CHECK_THAT(error_of([&] { canon::io::load_pmemo(p); }), Catch::Contains("line 3") && Catch::Contains("expected 15.5"));
  write_text("canon_dyn.csv", "musicId,frameTime,Arousal(mean),Valence(mean)\n1,15.0,0.1,0.2\n2,15.0,1,1\n1,15.5,0.2,x\n");
  CHECK_THAT(error_of([&] { canon::io::load_pmemo(p); }), Catch::Contains("not contiguous"));
  write_text("canon_dyn.csv", "musicId,frameTime,Arousal(mean)\n1,15.0,0.1\n");
  CHECK_THAT(error_of([&] { canon::io::load_pmemo(p); }), Catch::Contains("Valence(mean)"));
  std::remove("canon_dyn.csv");
  std::remove("canon_sta.csv");
}

TEST_CASE("pmemo layout reads the real DEAM rewrite", "[io][datasets][real]") {
  const std::string dyn = canon_test::shared_data("deam-pmemo-format/dynamic_annotations.csv");
  if (dyn.empty()) return;
  canon::io::PmemoPaths p;
  p.dynamic = dyn;
  p.statics = dyn.substr(0, dyn.find_last_of('/')) + "/static_annotations.csv";
  const auto d = canon::io::load_pmemo(p);
  CHECK(d.songs.size() + d.dropped.size() == 1802);
  CHECK(d.songs.size() > 1700);
  CHECK(d.songs[0].id == 2);
  CHECK(d.songs[0].start == 15.0);
  CHECK(d.songs[0].arousal[0] == 0.445307);
  CHECK(d.songs[0].valence[1] == 0.46267);
  CHECK(d.songs[0].static_arousal == 0.25);
  for (const auto& s : d.songs) REQUIRE(s.arousal.size() * 0.5 >= 7.0);
}

TEST_CASE("deap npy exports load with baseline removed", "[io][datasets]") {
  // 2 trials x 34 channels x 10 samples, baseline of 4 samples (rate 2 Hz x 2 s).
  std::vector<double> data(2 * 34 * 10);
  for (std::size_t i = 0; i < data.size(); ++i) data[i] = static_cast<double>(i);
  // Write a 3-D array by hand-editing the shape of a 1-D file.
  canon::io::write_npy_1d("canon_deap_data.npy", data);
  {
    std::ifstream in("canon_deap_data.npy", std::ios::binary);
    std::string bytes((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
    const std::string from = "(680,)", to = "(2,34,10)";
    bytes.replace(bytes.find(from), from.size(), to);
    bytes.erase(bytes.find('\n') - (to.size() - from.size()), to.size() - from.size());  // keep alignment
    std::ofstream("canon_deap_data.npy", std::ios::binary) << bytes;
  }
  canon::Matrix<double> labels(2, 4);
  labels << 1, 2, 3, 4, 9, 8, 7, 6.5;
  canon::io::write_npy("canon_deap_labels.npy", labels);
  canon::io::DeapOptions o;
  o.sample_rate = 2.0;
  o.baseline_seconds = 2.0;
  const auto trials = canon::io::load_deap_subject("canon_deap_data.npy", "canon_deap_labels.npy", o);
  REQUIRE(trials.size() == 2);
  REQUIRE(trials[1].eeg.rows() == 32);
  REQUIRE(trials[1].eeg.cols() == 6);
  CHECK(trials[1].eeg(3, 0) == (1 * 34 + 3) * 10 + 4);
  CHECK(trials[1].liking == 6.5);
  labels(0, 0) = 0;
  canon::io::write_npy("canon_deap_labels.npy", labels);
  CHECK_THAT(error_of([&] { canon::io::load_deap_subject("canon_deap_data.npy", "canon_deap_labels.npy", o); }),
             Catch::Contains("1 to 9"));
  CHECK_THAT(error_of([&] { canon::io::load_deap_subject("canon_deap_labels.npy", "canon_deap_labels.npy", o); }),
             Catch::Contains("trials x channels x samples"));
  write_text("canon_ratings.csv", "Participant_id,Trial,Experiment_id,Start_time,Valence,Arousal,Dominance,Liking\n"
                                  "1,1,5,0,6.5,3,4,7\n1,2,18,0,6,x,4,7\n");
  CHECK_THAT(error_of([] { canon::io::read_deap_ratings("canon_ratings.csv"); }),
             Catch::Contains("line 3") && Catch::Contains("'Arousal'"));
  for (const char* f : {"canon_deap_data.npy", "canon_deap_labels.npy", "canon_ratings.csv"}) std::remove(f);
}

TEST_CASE("manifest resolves paths offsets and labels", "[io][datasets]") {
  const auto m = canon::io::parse_manifest(
      "audio,eeg,audio_offset,eeg_offset,arousal\nsong.wav,/abs/s1.bdf,0.5,,0.7\n", "m.csv", "/data");
  REQUIRE(m.size() == 1);
  CHECK(m[0].audio == "/data/song.wav");
  CHECK(m[0].eeg == "/abs/s1.bdf");
  CHECK(m[0].audio_offset == 0.5);
  CHECK(m[0].eeg_offset == 0.0);
  CHECK(m[0].number("arousal") == 0.7);
  CHECK_THROWS_WITH(m[0].number("valence"), Catch::Contains("m.csv") && Catch::Contains("valence"));
  CHECK_THAT(error_of([] { canon::io::parse_manifest("audio,eeg\n,x.bdf\n", "m.csv"); }),
             Catch::Contains("line 2") && Catch::Contains("'audio' is empty"));
  CHECK_THAT(error_of([] { canon::io::parse_manifest("audio,eeg,eeg_offset\na,b,-1\n", "m.csv"); }),
             Catch::Contains(">= 0"));
  CHECK_THAT(error_of([] { canon::io::parse_manifest("audio,eeg,eeg_offset\na,b,soon\n", "m.csv"); }),
             Catch::Contains("'soon'"));
  CHECK_THAT(error_of([] { canon::io::parse_manifest("audio,labels\na,b\n", "m.csv"); }),
             Catch::Contains("no column 'eeg'"));
}

TEST_CASE("deam rejects a song twice and windows outside the tables or off their grid", "[io][datasets]") {
  const std::string header = "song_id,sample_15000ms,sample_15500ms,sample_16000ms\n";
  write_text("canon_a2.csv", header + "7,0.1,0.2,0.3\n9,0.5,0.6,0.7\n");
  write_text("canon_v2.csv", header + "7,-0.1,-0.2,-0.3\n9,-0.5,-0.6,-0.7\n");
  canon::io::DeamPaths p;
  p.arousal = "canon_a2.csv";
  p.valence = "canon_v2.csv";
  p.window_begin = 15.0;
  p.window_end = 16.0;
  REQUIRE(canon::io::load_deam(p).size() == 2);
  // The same song twice in a dynamic, static or split table.
  write_text("canon_v2.csv", header + "7,-0.1,-0.2,-0.3\n9,-0.5,-0.6,-0.7\n7,1,1,1\n");
  CHECK_THAT(error_of([&] { canon::io::load_deam(p); }),
             Catch::Contains("canon_v2.csv") && Catch::Contains("line 4") && Catch::Contains("song 7") &&
                 Catch::Contains("line 2"));
  write_text("canon_v2.csv", header + "7,-0.1,-0.2,-0.3\n9,-0.5,-0.6,-0.7\n");
  write_text("canon_s2.csv", "song_id,mean_arousal,mean_valence\n7,3,4\n9,5,6\n9,1,1\n");
  p.statics = "canon_s2.csv";
  CHECK_THAT(error_of([&] { canon::io::load_deam(p); }),
             Catch::Contains("canon_s2.csv") && Catch::Contains("line 4") && Catch::Contains("song 9"));
  p.statics.clear();
  write_text("canon_i2.csv", "song_id,Mediaeval 2013 set\n7,development\n7,evaluation\n9,evaluation\n");
  p.songs_info = "canon_i2.csv";
  CHECK_THAT(error_of([&] { canon::io::load_deam(p); }), Catch::Contains("canon_i2.csv") && Catch::Contains("line 3"));
  p.songs_info.clear();
  // Windows outside the table, not finite, or between two columns.
  for (auto [begin, end] : {std::pair<double, double>{100, 130}, {15, 45}, {14.5, 16}, {16, 15}, {15, double(NAN)},
                            {-double(INFINITY), 16}, {15, double(INFINITY)}}) {
    p.window_begin = begin;
    p.window_end = end;
    INFO(begin << " " << end);
    CHECK_THAT(error_of([&] { canon::io::load_deam(p); }), Catch::Contains("must lie within") && Catch::Contains("16"));
  }
  p.window_begin = 15.2;
  p.window_end = 16.0;
  CHECK_THAT(error_of([&] { canon::io::load_deam(p); }), Catch::Contains("15.2") && Catch::Contains("grid"));
  // A song that ends before the window starts is an error, not an empty song.
  write_text("canon_a2.csv", header + "7,0.1,0.2,0.3\n9,0.5,,\n");
  p.window_begin = 15.5;
  CHECK_THAT(error_of([&] { canon::io::load_deam(p); }), Catch::Contains("song 9") && Catch::Contains("no arousal"));
  for (const char* f : {"canon_a2.csv", "canon_v2.csv", "canon_s2.csv", "canon_i2.csv"}) std::remove(f);
}

TEST_CASE("pmemo rejects invalid options and a song twice in the static table", "[io][datasets]") {
  write_text("canon_dyn2.csv", "musicId,frameTime,Arousal(mean),Valence(mean)\n1,15.0,0.1,0.2\n1,15.5,0.2,0.3\n");
  write_text("canon_sta2.csv", "musicId,Arousal(mean),Valence(mean)\n1,0.3,0.4\n1,0.9,0.9\n");
  canon::io::PmemoPaths p;
  p.dynamic = "canon_dyn2.csv";
  for (double bad : std::initializer_list<double>{-1.0, NAN, INFINITY}) {
    p.min_seconds = bad;
    CHECK_THAT(error_of([&] { canon::io::load_pmemo(p); }), Catch::Contains("min_seconds"));
  }
  p.min_seconds = 0;
  for (double bad : std::initializer_list<double>{0.0, -0.5, NAN, INFINITY}) {
    p.step = bad;
    CHECK_THAT(error_of([&] { canon::io::load_pmemo(p); }), Catch::Contains("step"));
  }
  p.step = 0.5;
  CHECK(canon::io::load_pmemo(p).songs.size() == 1);
  p.statics = "canon_sta2.csv";
  CHECK_THAT(error_of([&] { canon::io::load_pmemo(p); }),
             Catch::Contains("canon_sta2.csv") && Catch::Contains("line 3") && Catch::Contains("musicId 1"));
  std::remove("canon_dyn2.csv");
  std::remove("canon_sta2.csv");
}

TEST_CASE("deap validates every option before it sizes or indexes anything", "[io][datasets]") {
  // 1 trial x 2 channels x 6 samples.
  std::vector<double> data(12);
  for (std::size_t i = 0; i < data.size(); ++i) data[i] = static_cast<double>(i);
  canon::io::write_npy_1d("canon_deap2.npy", data);
  {
    std::ifstream in("canon_deap2.npy", std::ios::binary);
    std::string bytes((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
    const std::string from = "(12,)", to = "(1,2,6)";
    bytes.replace(bytes.find(from), from.size(), to);
    bytes.erase(bytes.find('\n') - (to.size() - from.size()), to.size() - from.size());
    std::ofstream("canon_deap2.npy", std::ios::binary) << bytes;
  }
  canon::Matrix<double> labels(1, 4);
  labels << 5, 5, 5, 5;
  canon::io::write_npy("canon_deap2_labels.npy", labels);
  auto load = [](const canon::io::DeapOptions& o) {
    return canon::io::load_deap_subject("canon_deap2.npy", "canon_deap2_labels.npy", o);
  };
  canon::io::DeapOptions o;
  o.eeg_channels = 2;
  o.sample_rate = 2.0;
  o.baseline_seconds = 1.0;
  const auto good = load(o);
  REQUIRE(good.size() == 1);
  CHECK(good[0].eeg.cols() == 4);
  CHECK(good[0].eeg(1, 0) == 8);
  for (double bad : std::initializer_list<double>{-1.0, -1e300, NAN, INFINITY}) {
    canon::io::DeapOptions b = o;
    b.baseline_seconds = bad;
    CHECK_THAT(error_of([&] { load(b); }), Catch::Contains("baseline_seconds"));
  }
  for (double bad : std::initializer_list<double>{0.0, -2.0, NAN, INFINITY, 1e300}) {
    canon::io::DeapOptions b = o;
    b.sample_rate = bad;
    CHECK_THAT(error_of([&] { load(b); }), Catch::Contains("sample_rate"));
  }
  for (canon::Index bad : {canon::Index(0), canon::Index(-3)}) {
    canon::io::DeapOptions b = o;
    b.eeg_channels = bad;
    CHECK_THAT(error_of([&] { load(b); }), Catch::Contains("eeg_channels"));
  }
  canon::io::DeapOptions b = o;
  b.eeg_channels = 3;
  CHECK_THAT(error_of([&] { load(b); }), Catch::Contains("at least 3 channels"));
  b = o;
  b.baseline_seconds = 0.75;  // 1.5 samples
  CHECK_THAT(error_of([&] { load(b); }), Catch::Contains("whole number"));
  b.baseline_seconds = 3.0;  // all 6 samples
  CHECK_THAT(error_of([&] { load(b); }), Catch::Contains("more than 6 samples"));
  // Non-finite EEG is an error naming trial, channel and sample.
  data[9] = NAN;
  canon::io::write_npy_1d("canon_deap_nan.npy", data);
  {
    std::ifstream in("canon_deap_nan.npy", std::ios::binary);
    std::string bytes((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
    const std::string from = "(12,)", to = "(1,2,6)";
    bytes.replace(bytes.find(from), from.size(), to);
    bytes.erase(bytes.find('\n') - (to.size() - from.size()), to.size() - from.size());
    std::ofstream("canon_deap2.npy", std::ios::binary) << bytes;
  }
  CHECK_THAT(error_of([&] { load(o); }),
             Catch::Contains("trial 0, channel 1, sample 3") && Catch::Contains("finite"));
  // A participant and trial rated twice.
  write_text("canon_ratings2.csv", "Participant_id,Trial,Experiment_id,Valence,Arousal,Dominance,Liking\n"
                                   "1,1,5,6.5,3,4,7\n1,1,5,6,3,4,7\n");
  CHECK_THAT(error_of([] { canon::io::read_deap_ratings("canon_ratings2.csv"); }),
             Catch::Contains("line 3") && Catch::Contains("trial 1"));
  for (const char* f : {"canon_deap2.npy", "canon_deap2_labels.npy", "canon_deap_nan.npy", "canon_ratings2.csv"})
    std::remove(f);
}

TEST_CASE("stimulus embeddings in the authors' layout: one column per window, one rating per track", "[io][datasets]") {
  // 3 tracks x 2 windows of 4-d embeddings.
  canon::Matrix<double> x(6, 4), y(6, 3);
  for (canon::Index r = 0; r < 6; ++r) x.row(r) << r, 10 + r, 20 + r, 30 + r;
  y << 6.9, 5.9, 0, 6.9, 5.9, 0, 2.1, 3, 1, 2.1, 3, 1, 5, 8, 2, 5, 8, 2;
  canon::io::write_npy("canon_stimuli_x.npy", x);
  canon::io::write_npy("canon_stimuli_y.npy", y);
  const auto s = canon::io::read_stimulus_embeddings("canon_stimuli_x.npy", "canon_stimuli_y.npy");
  CHECK(s.tracks() == 3);
  CHECK(s.windows == 2);
  CHECK(s.embeddings.rows() == 4);
  CHECK(s.embeddings(1, 3) == 13);  // window 1 of track 1, dimension 1
  CHECK(s.valence[1] == 2.1);
  CHECK(s.arousal[2] == 8);
  y(3, 1) = 4;  // a rating that changes within a track
  canon::io::write_npy("canon_stimuli_y.npy", y);
  CHECK_THAT(error_of([] { canon::io::read_stimulus_embeddings("canon_stimuli_x.npy", "canon_stimuli_y.npy"); }),
             Catch::Contains("change at row 3"));
  y(3, 1) = 3;
  y(5, 2) = 3;  // track 2 has one window, then a track 3 appears
  canon::io::write_npy("canon_stimuli_y.npy", y);
  CHECK_THAT(error_of([] { canon::io::read_stimulus_embeddings("canon_stimuli_x.npy", "canon_stimuli_y.npy"); }),
             Catch::Contains("1 windows"));
  canon::io::write_npy("canon_stimuli_y.npy", canon::Matrix<double>(y.topRows(5)));
  CHECK_THAT(error_of([] { canon::io::read_stimulus_embeddings("canon_stimuli_x.npy", "canon_stimuli_y.npy"); }),
             Catch::Contains("one row"));
  for (const char* f : {"canon_stimuli_x.npy", "canon_stimuli_y.npy"}) std::remove(f);
}

TEST_CASE("stimulus embeddings: the authors' release reads as 34 tracks of 58 windows", "[io][datasets][real]") {
  const std::string embeds = canon_test::shared_data("deap-stimuli-musicnn/tracks_embeds.npy");
  const std::string labels = canon_test::shared_data("deap-stimuli-musicnn/tracks_labels.npy");
  if (embeds.empty() || labels.empty()) return;
  const auto s = canon::io::read_stimulus_embeddings(embeds, labels);
  CHECK(s.tracks() == 34);
  CHECK(s.windows == 58);
  CHECK(s.embeddings.rows() == 128);
  CHECK(s.valence[0] == 6.9);
  CHECK(s.arousal[1] == 6.9);
}
