#include <catch2/catch.hpp>

#include <edflib.h>

#include <algorithm>
#include <cmath>
#include <complex>
#include <cstdio>
#include <fstream>
#include <sstream>
#include <string>
#include <vector>

#include "canon/core/constants.hpp"
#include "canon/io/datasets/deap_bdf.hpp"
#include "canon_test.hpp"

namespace {

using canon::Index;

// A DEAP-like BDF+ recording written with EDFlib: 32 EEG channels labelled in the
// Twente order, then "Status" (BioSemi's identity scaling, amplifier bits 0x1A/0x1B
// above the codes). EEG in uV: every channel a DC offset 1000 + 10 c (c = Twente
// position); Fp1 + 200 sin(2 pi 1 t) and O2 + 100 sin(2 pi 55 t) (outside 4-45 Hz),
// Cz + 50 sin(2 pi 10 t) (inside), Pz + 10 t (a ramp that shows where a cut starts),
// and `common` sin(2 pi 20 t) on all (what the common average reference removes).
struct Plan {
  int rate = 512;
  int seconds = 30;
  bool status = true;
  double common = 0.0;
  std::vector<std::pair<double, int>> codes;  // (time in s, code from then on)
  std::vector<int> shift;                     // extra samples added to each video marker
};

// The default protocol, scaled down: a stray end marker at 0.5 s, then 3 trials of
// fixation (3) 2 s, video (4) 4 s, fixation (5) 1 s, rating (1) 0.5 s, from 2 s every 8 s;
// a stray fixation at 26 s.
Plan deap_like() {
  Plan p;
  p.codes = {{0.5, 5}, {1.0, 0}};
  for (int k = 0; k < 3; ++k) {
    const double b = 2.0 + 8.0 * k;
    p.codes.insert(p.codes.end(), {{b, 3}, {b + 2, 4}, {b + 6, 5}, {b + 7, 1}, {b + 7.5, 0}});
  }
  p.codes.insert(p.codes.end(), {{26.0, 3}, {26.5, 0}});
  p.shift = {0, 1, 2};  // video markers at 4q, 4q + 1, 4q + 2 source samples
  return p;
}

double eeg_value(const std::string& label, int c, double t, double common) {
  double x = 1000.0 + 10.0 * c + common * std::sin(2 * canon::pi * 20 * t);
  if (label == "Fp1") x += 200.0 * std::sin(2 * canon::pi * 1 * t);
  if (label == "O2") x += 100.0 * std::sin(2 * canon::pi * 55 * t);
  if (label == "Cz") x += 50.0 * std::sin(2 * canon::pi * 10 * t);
  if (label == "Pz") x += 10.0 * t;
  return x;
}

/// The source sample of each video marker (code 4) the plan writes.
std::vector<Index> video_samples(const Plan& p) {
  std::vector<Index> out;
  for (const auto& [t, code] : p.codes)
    if (code == 4) out.push_back(static_cast<Index>(std::llround(t * p.rate)) + p.shift[out.size()]);
  return out;
}

void write_plan(const std::string& path, const Plan& p) {
  const auto& labels = canon::io::deap_twente_channels();
  const int n = 32 + (p.status ? 1 : 0);
  const int h = edfopen_file_writeonly(path.c_str(), EDFLIB_FILETYPE_BDFPLUS, n);
  REQUIRE(h >= 0);
  for (int c = 0; c < n; ++c) {
    REQUIRE(edf_set_samplefrequency(h, c, p.rate) == 0);
    REQUIRE(edf_set_digital_maximum(h, c, 8388607) == 0);
    REQUIRE(edf_set_digital_minimum(h, c, -8388608) == 0);
    const bool eeg = c < 32;
    REQUIRE(edf_set_physical_maximum(h, c, eeg ? 10000.0 : 8388607.0) == 0);
    REQUIRE(edf_set_physical_minimum(h, c, eeg ? -10000.0 : -8388608.0) == 0);
    REQUIRE(edf_set_label(h, c, eeg ? labels[static_cast<std::size_t>(c)].c_str() : "Status") == 0);
    REQUIRE(edf_set_physical_dimension(h, c, eeg ? "uV" : "Boolean") == 0);
  }
  // Status codes per sample, video markers moved by their shift.
  std::vector<int> code(static_cast<std::size_t>(p.seconds * p.rate), 0);
  std::size_t video = 0;
  for (const auto& [t, c] : p.codes) {
    Index from = static_cast<Index>(std::llround(t * p.rate));
    if (c == 4) from += p.shift[video++];
    std::fill(code.begin() + from, code.end(), c);
  }
  for (int r = 0; r < p.seconds; ++r) {
    for (int c = 0; c < 32; ++c) {
      std::vector<double> x(static_cast<std::size_t>(p.rate));
      for (int s = 0; s < p.rate; ++s)
        x[static_cast<std::size_t>(s)] =
            eeg_value(labels[static_cast<std::size_t>(c)], c, (r * p.rate + s) / double(p.rate), p.common);
      REQUIRE(edfwrite_physical_samples(h, x.data()) == 0);
    }
    if (p.status) {
      std::vector<int> d(static_cast<std::size_t>(p.rate));
      for (int s = 0; s < p.rate; ++s)
        d[static_cast<std::size_t>(s)] = ((r / 3) % 2 ? 0x1B0000 : 0x1A0000) + code[static_cast<std::size_t>(r * p.rate + s)];
      REQUIRE(edfwrite_digital_samples(h, d.data()) == 0);
    }
  }
  REQUIRE(edfclose_file(h) == 0);
}

canon::io::DeapBdfOptions small_options() {
  canon::io::DeapBdfOptions o;
  o.trial_seconds = 4.0;
  o.baseline_seconds = 1.0;
  o.expected_trials = 3;
  return o;
}

/// Amplitude of the f Hz component of a row: 2 |sum x_j e^{-2 pi i f j / fs}| / N.
double amplitude(const canon::Matrix<double>& x, Index row, double f, double fs) {
  std::complex<double> s = 0;
  for (Index j = 0; j < x.cols(); ++j) s += x(row, j) * std::exp(std::complex<double>(0, -2 * canon::pi * f * j / fs));
  return 2 * std::abs(s) / static_cast<double>(x.cols());
}

Index row_of(const std::vector<std::string>& labels, const std::string& l) {
  return static_cast<Index>(std::find(labels.begin(), labels.end(), l) - labels.begin());
}

using canon_test::error_of;

}  // namespace

TEST_CASE("deap bdf channel orders and the Avramidis preset", "[io][deap_bdf]") {
  auto g = canon::io::deap_geneva_channels(), t = canon::io::deap_twente_channels();
  REQUIRE(g.size() == 32);
  CHECK(g != t);
  std::sort(g.begin(), g.end());
  std::sort(t.begin(), t.end());
  CHECK(g == t);  // the same 32 electrodes
  CHECK(std::adjacent_find(g.begin(), g.end()) == g.end());
  CHECK(canon::io::avramidis2022_dropped_videos() == std::vector<int>{8, 10, 11, 16, 34, 36});
}

TEST_CASE("deap bdf cuts trials at the status markers in the Geneva order", "[io][deap_bdf]") {
  const Plan plan = deap_like();
  write_plan("canon_deap.bdf", plan);
  auto o = small_options();
  o.filter_order = 0;  // the raw signal, resampled, shows where each cut starts
  o.common_average = false;
  const auto rec = canon::io::read_deap_bdf("canon_deap.bdf", o);
  CHECK(rec.sample_rate == 128.0);
  CHECK(rec.labels == canon::io::deap_geneva_channels());
  REQUIRE(rec.trials.size() == 3);
  const std::vector<Index> videos = video_samples(plan);
  for (std::size_t k = 0; k < 3; ++k) {
    INFO("trial " << k + 1);
    const auto& t = rec.trials[k];
    CHECK(t.presentation == static_cast<Index>(k) + 1);
    CHECK(t.video == 0);
    CHECK(t.markers.video == videos[k]);
    CHECK(t.markers.fixation == static_cast<Index>((2 + 8 * k) * 512));
    CHECK(t.markers.end == static_cast<Index>((8 + 8 * k) * 512));
    REQUIRE(t.trial.eeg.rows() == 32);
    REQUIRE(t.trial.eeg.cols() == 512);  // 4 s at 128 Hz
    REQUIRE(t.baseline.cols() == 128);   // 1 s
    // The ramp 10 t on Pz: the cut starts at the 128 Hz sample nearest the marker,
    // round(m / 4), and the baseline ends where the trial starts.
    const Index pz = row_of(rec.labels, "Pz");
    const double onset = std::round(videos[k] / 4.0);  // 4q + 2 rounds up
    const double dc = 1000.0 + 10.0 * 12;              // Pz is Twente channel 12
    CHECK(t.trial.eeg(pz, 0) == Approx(dc + 10.0 * onset / 128).margin(0.01));
    CHECK(t.trial.eeg(pz, 300) == Approx(dc + 10.0 * (onset + 300) / 128).margin(0.01));
    CHECK(t.baseline(pz, 0) == Approx(dc + 10.0 * (onset - 128) / 128).margin(0.01));
    CHECK(t.baseline(pz, 127) == Approx(dc + 10.0 * (onset - 1) / 128).margin(0.01));
    // Every plain channel holds its DC: rows follow the Geneva labels, data included.
    for (Index r = 0; r < 32; ++r) {
      const std::string& l = rec.labels[static_cast<std::size_t>(r)];
      if (l == "Fp1" || l == "O2" || l == "Cz" || l == "Pz") continue;
      const auto& tw = canon::io::deap_twente_channels();
      const double c = static_cast<double>(std::find(tw.begin(), tw.end(), l) - tw.begin());
      CHECK(t.trial.eeg.row(r).minCoeff() == Approx(1000.0 + 10.0 * c).margin(0.01));
      CHECK(t.trial.eeg.row(r).maxCoeff() == Approx(1000.0 + 10.0 * c).margin(0.01));
    }
  }
  // The stray markers are reported, not taken for trials.
  std::string warnings;
  for (const auto& w : rec.warnings) warnings += w + "\n";
  CHECK_THAT(warnings, Catch::Contains("ignored 1 fixation marker(s) (code 3)") && Catch::Contains("26 s"));
  CHECK_THAT(warnings, Catch::Contains("ignored 1 end marker(s) (code 5)") && Catch::Contains("0.5 s"));
  CHECK(rec.events.size() == 2 + 15 + 2);

  // File order instead of the Geneva order: the first 32 channels as written.
  o.geneva_order = false;
  CHECK(canon::io::read_deap_bdf("canon_deap.bdf", o).labels == canon::io::deap_twente_channels());
  std::remove("canon_deap.bdf");
}

TEST_CASE("deap bdf band-pass keeps 4-45 Hz and the common average has zero mean", "[io][deap_bdf]") {
  Plan plan = deap_like();
  plan.common = 30.0;
  write_plan("canon_deap_band.bdf", plan);
  const auto o = small_options();  // order-4 Butterworth 4-45 Hz, zero phase; CAR on
  const auto rec = canon::io::read_deap_bdf("canon_deap_band.bdf", o);
  REQUIRE(rec.trials.size() == 3);
  const Index fp1 = row_of(rec.labels, "Fp1"), o2 = row_of(rec.labels, "O2"), cz = row_of(rec.labels, "Cz"),
              fz = row_of(rec.labels, "Fz");
  for (const auto& t : rec.trials) {
    const auto& x = t.trial.eeg;
    // Common average: every column sums to zero over the 32 channels.
    CHECK(x.colwise().mean().cwiseAbs().maxCoeff() < 1e-9);
    CHECK(t.baseline.colwise().mean().cwiseAbs().maxCoeff() < 1e-9);
    // In band: Cz's 10 Hz passes, less its share of the average (50 / 32).
    CHECK(amplitude(x, cz, 10, 128) == Approx(50.0 * 31 / 32).epsilon(0.01));
    CHECK(amplitude(x, fz, 10, 128) == Approx(50.0 / 32).epsilon(0.02));
    // Out of band: |H|^2 of the order-4 design is ~1e-5 at 1 Hz and ~1e-3 at 55 Hz.
    CHECK(amplitude(x, fp1, 1, 128) < 0.5);
    CHECK(amplitude(x, o2, 55, 128) < 0.5);
    // The component common to all channels is gone (30 uV before; what is left is the
    // 24-bit quantisation, 0.0012 uV steps, which differs per channel), and so is the DC.
    CHECK(amplitude(x, fz, 20, 128) < 1e-3);
    CHECK(std::abs(x.row(fz).mean()) < 0.5);
  }
  // The same file without the filter and the reference keeps all of it.
  auto raw = o;
  raw.filter_order = 0;
  raw.common_average = false;
  const auto x = canon::io::read_deap_bdf("canon_deap_band.bdf", raw).trials[1].trial.eeg;
  CHECK(amplitude(x, fp1, 1, 128) == Approx(200.0).epsilon(0.01));
  CHECK(amplitude(x, fz, 20, 128) == Approx(30.0).epsilon(0.01));
  CHECK(amplitude(x, o2, 55, 128) > 50.0);
  std::remove("canon_deap_band.bdf");
}

TEST_CASE("deap bdf reorders to video order, attaches ratings and drops videos", "[io][deap_bdf]") {
  write_plan("canon_deap_order.bdf", deap_like());
  auto o = small_options();
  // Participant 7 saw video 3 first, then 1, then 2.
  // DeapRating is {participant, trial, experiment, valence, arousal, dominance, liking}.
  const std::vector<canon::io::DeapRating> ratings = {
      {7, 1, 3, 1.5, 2.5, 3.5, 4.5}, {7, 2, 1, 5.0, 6.0, 7.0, 8.0}, {7, 3, 2, 9.0, 1.0, 2.0, 3.0},
      {8, 1, 1, 1.0, 1.0, 1.0, 1.0}};
  const auto rec = canon::io::read_deap_bdf("canon_deap_order.bdf", o);
  const auto all = canon::io::load_deap_bdf_trials("canon_deap_order.bdf", ratings, 7, o);
  REQUIRE(all.size() == 3);
  CHECK((all[0].video == 1 && all[0].presentation == 2 && all[0].trial.valence == 5.0));
  CHECK((all[1].video == 2 && all[1].presentation == 3 && all[1].trial.arousal == 1.0));
  CHECK((all[2].video == 3 && all[2].presentation == 1 && all[2].trial.liking == 4.5));
  CHECK(all[0].trial.eeg == rec.trials[1].trial.eeg);
  CHECK(all[2].baseline == rec.trials[0].baseline);

  o.drop_videos = {2};
  const auto kept = canon::io::load_deap_bdf_subject("canon_deap_order.bdf", ratings, 7, o);
  REQUIRE(kept.size() == 2);
  CHECK(kept[0].eeg == rec.trials[1].trial.eeg);  // video 1
  CHECK(kept[1].eeg == rec.trials[0].trial.eeg);  // video 3
  CHECK((kept[1].valence == 1.5 && kept[1].dominance == 3.5));
  CHECK(kept[0].eeg.rows() == 32);
  CHECK(kept[0].eeg.cols() == 512);

  auto with = [&](std::vector<int> drop) {
    auto b = o;
    b.drop_videos = std::move(drop);
    return error_of([&] { canon::io::load_deap_bdf_subject("canon_deap_order.bdf", ratings, 7, b); });
  };
  CHECK_THAT(with({0}), Catch::Contains("1-based"));
  CHECK_THAT(with({2, 2}), Catch::Contains("twice"));
  CHECK_THAT(with({4}), Catch::Contains("drop_videos holds 4") && Catch::Contains("3 videos"));
  CHECK_THAT(error_of([&] { canon::io::load_deap_bdf_subject("canon_deap_order.bdf", ratings, 9, o); }),
             Catch::Contains("no rows for participant 9"));
  CHECK_THAT(error_of([&] { canon::io::load_deap_bdf_subject("canon_deap_order.bdf", ratings, 8, o); }),
             Catch::Contains("1 rating rows") && Catch::Contains("3 trials"));
  auto twice = ratings;
  twice[2].experiment = 3;
  CHECK_THAT(error_of([&] { canon::io::load_deap_bdf_subject("canon_deap_order.bdf", twice, 7, o); }),
             Catch::Contains("Experiment_id 3") && Catch::Contains("twice"));
  std::remove("canon_deap_order.bdf");
}

TEST_CASE("deap bdf rejects what does not form DEAP trials", "[io][deap_bdf]") {
  const auto o = small_options();
  auto read = [&](const Plan& p, const canon::io::DeapBdfOptions& opts) {
    write_plan("canon_deap_bad.bdf", p);
    return error_of([&] { canon::io::read_deap_bdf("canon_deap_bad.bdf", opts); });
  };
  SECTION("wrong sampling rate") {
    Plan p = deap_like();
    p.rate = 256;
    CHECK_THAT(read(p, o), Catch::Contains("256 Hz") && Catch::Contains("expected 512 Hz"));
  }
  SECTION("no Status channel") {
    Plan p = deap_like();
    p.status = false;
    CHECK_THAT(read(p, o), Catch::Contains("no channel labelled 'Status'") && Catch::Contains("status_index"));
    auto b = o;
    b.status_index = 0;  // Fp1
    CHECK_THAT(read(p, b), Catch::Contains("among the EEG channels"));
  }
  SECTION("a video marker without its end marker") {
    Plan p = deap_like();
    p.codes.erase(std::find(p.codes.begin(), p.codes.end(), std::pair<double, int>{24.0, 5}));
    CHECK_THAT(read(p, o), Catch::Contains("has no end marker (code 5) before the fixation marker"));
    p.codes.erase(std::find(p.codes.begin(), p.codes.end(), std::pair<double, int>{26.0, 3}));
    CHECK_THAT(read(p, o), Catch::Contains("before the recording ends"));
  }
  SECTION("a video marker without a fixation covering the baseline") {
    Plan p = deap_like();
    auto b = o;
    b.baseline_seconds = 3.0;  // the fixation screens last 2 s
    CHECK_THAT(read(p, b), Catch::Contains("by less than the 3 s baseline"));
    p.codes.erase(std::find(p.codes.begin(), p.codes.end(), std::pair<double, int>{10.0, 3}));
    CHECK_THAT(read(p, o), Catch::Contains("has no fixation marker (code 3)") && Catch::Contains("sample 6145"));
  }
  SECTION("too few or too many trials") {
    auto b = o;
    b.expected_trials = 4;
    CHECK_THAT(read(deap_like(), b), Catch::Contains("found 3 complete trials") && Catch::Contains("expected 4"));
    b.expected_trials = 2;
    CHECK_THAT(read(deap_like(), b), Catch::Contains("found 3 complete trials") && Catch::Contains("expected 2"));
    Plan none = deap_like();
    none.codes = {{1.0, 1}};
    b.expected_trials = 0;
    CHECK_THAT(read(none, b), Catch::Contains("found 0 complete trials") && Catch::Contains("at least 1"));
  }
  SECTION("a video whose markers do not span trial_seconds") {
    auto b = o;
    b.trial_seconds = 6.0;
    CHECK_THAT(read(deap_like(), b), Catch::Contains("lasts 4") && Catch::Contains("expected 6 s"));
  }
  SECTION("a trial running past the end of the recording") {
    Plan p = deap_like();
    p.seconds = 24;  // trial 2 starts at 19.75 s and needs 4.5 s: 0.25 s past the end
    p.codes = {{2.0, 3}, {4.0, 4}, {8.0, 5}, {9.0, 0}, {18.0, 3}, {19.75, 4}, {23.75, 5}};
    auto b = o;
    b.expected_trials = 2;
    b.trial_seconds = 4.5;
    b.marker_tolerance_seconds = 1.0;
    CHECK_THAT(read(p, b), Catch::Contains("trial 2 needs samples") && Catch::Contains("truncated recording?"));
  }
  SECTION("a truncated file") {
    write_plan("canon_deap_bad.bdf", deap_like());
    std::ifstream in("canon_deap_bad.bdf", std::ios::binary);
    std::stringstream all;
    all << in.rdbuf();
    in.close();
    const std::string bytes = all.str();
    std::ofstream("canon_deap_bad.bdf", std::ios::binary | std::ios::trunc) << bytes.substr(0, bytes.size() - 5000);
    CHECK_THAT(error_of([&] { canon::io::read_deap_bdf("canon_deap_bad.bdf", o); }),
               Catch::Contains("canon_deap_bad.bdf"));
  }
  SECTION("invalid options") {
    auto b = o;
    b.target_rate = 100.5;
    CHECK_THAT(read(deap_like(), b), Catch::Contains("whole numbers of Hz"));
    b = o;
    b.high_hz = 70;
    CHECK_THAT(read(deap_like(), b), Catch::Contains("high_hz < target_rate / 2 = 64"));
    b = o;
    b.baseline_seconds = 1.001;
    CHECK_THAT(read(deap_like(), b), Catch::Contains("whole number of samples"));
    b = o;
    b.video_code = 3;
    CHECK_THAT(read(deap_like(), b), Catch::Contains("distinct codes"));
  }
  std::remove("canon_deap_bad.bdf");
}

TEST_CASE("deap bdf on EEGLAB's test.bdf: not a DEAP file, and the error says why", "[io][deap_bdf][real]") {
  const std::string path = canon_test::shared_data("eeg/eeglab-test/test.bdf");
  if (path.empty()) return;
  // 16 channels A1-A16 at 256 Hz, Status toggling 255/254 (test_biosemi_status.cpp):
  // each DEAP expectation fails in turn, with a message that names it.
  canon::io::DeapBdfOptions o;
  CHECK_THAT(error_of([&] { canon::io::read_deap_bdf(path, o); }),
             Catch::Contains("no channel labelled 'Fp1'") && Catch::Contains("A1 A2"));
  o.geneva_order = false;
  CHECK_THAT(error_of([&] { canon::io::read_deap_bdf(path, o); }),
             Catch::Contains("eeg_channels = 32 but the file has only 17 channels"));
  o.eeg_channels = 16;
  CHECK_THAT(error_of([&] { canon::io::read_deap_bdf(path, o); }),
             Catch::Contains("'A1' is sampled at 256 Hz but expected 512 Hz"));
  o.source_rate = 256;
  o.expected_trials = 0;
  CHECK_THAT(error_of([&] { canon::io::read_deap_bdf(path, o); }),
             Catch::Contains("found 0 complete trials") && Catch::Contains("at least 1"));
}
