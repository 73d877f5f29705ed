// Example 06: Avramidis et al. 2022 end to end on the embedded default data. The music
// side is real (the authors' MusiCNN embeddings of the 34 DEAP stimuli and their mean
// ratings, ../shared/data/deap-stimuli-musicnn); the EEG is a DEAP-like session per
// subject with the felt affect planted in frontal alpha asymmetry (valence) and beta/gamma
// power (arousal), so the generator knows the ceiling (models/avramidis/synthetic.hpp).
//
// Per subject and affect: differential-entropy segments, one joint model per fold (5 folds
// over tracks, early stopping on training tracks), and beside it the same protocol without
// the domain discriminator, with the EEG loss alone (the paper's "l_a only"), a logistic
// regression on the DE features, the majority class and a random ranking. Prints a table in
// the layout of the paper's Tables 1 and 2 (mean and sd over subjects), writes report.json,
// tsne.svg (the common space of one subject) and map_over_time.svg, and says where.
//
//   build/examples/06_avramidis_demo [--subjects N] [--quick] [--paper-sizes | --hidden H1 H2] [--epochs N]
//       [--lr X] [--planted X] [--ganin] [--stop-on-joint] [--out DIR] [--data DIR] [--deap DIR]
//
// The default network is the authors' with narrower LSTMs (12 -> 16 -> 32 instead of
// 12 -> 128 -> 256) so that the demo runs in minutes on 2 cores; --paper-sizes trains the
// authors' sizes (docs/avramidis.md has both); the demo also trains at a learning rate of
// 1e-3 for at most 40 epochs (the authors: 1e-4, up to 100) to fit in a few minutes, and
// stops early on the EEG loss rather than on J (models/avramidis/task.hpp says why;
// --stop-on-joint for the paper's rule).
#include <canon/core/atomic_file.hpp>
#include <canon/eval/summary.hpp>
#include <canon/io.hpp>
#include <canon/models/avramidis.hpp>
#include <canon/report/json.hpp>
#include <canon/report/svg_plot.hpp>
#include <canon/report/tsne.hpp>
#include <algorithm>
#include <chrono>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <fstream>
#include <functional>
#include <string>
#include <vector>

namespace av = canon::avramidis;
using canon::Index;

namespace {

struct Settings {
  Index subjects = 4;
  Index hidden1 = 16, hidden2 = 32;  // the authors': 128, 256 (--paper-sizes)
  long epochs = 40;
  double learning_rate = 1e-3;       // the authors': 1e-4 (with up to 100 epochs)
  double planted = 1.0;               // scales the generator's planted gains
  bool ganin = false;                // the reversal on Ganin's schedule (default: constant 1)
  bool stop_on_eeg = true;           // early stopping on l_eeg (task.hpp); --stop-on-joint: on J, as the paper
  bool quick = false;
  std::string out = "avramidis-demo";
  std::string data = std::string(CANON_SHARED_DATA_DIR) + "/deap-stimuli-musicnn";
  std::string deap;  // a folder of DEAP's s01_data.npy, s01_labels.npy, ... (io/datasets/deap.hpp)
};

/// The runs of one affect: per variant, one SubjectResult per subject.
struct AffectRuns {
  std::vector<av::SubjectResult> full, no_domain, eeg_only;
  std::vector<double> ceiling;
  std::vector<double> label_agreement;  ///< per subject: music label == the subject's label, share of trials
};

using Getter = std::function<double(const av::FoldResult&)>;

canon::eval::Summary over_subjects(const std::vector<av::SubjectResult>& runs, const Getter& get) {
  std::vector<double> v;
  for (const auto& r : runs) v.push_back(100.0 * r.mean(get));
  return canon::eval::summarise(v);
}

std::string cell(const canon::eval::Summary& s) {
  char text[32];
  std::snprintf(text, sizeof text, "%5.1f (%4.1f)", s.mean, s.sd);
  return text;
}

struct Column {
  const char* name;
  Getter get;
};

const std::vector<Column>& columns() {
  static const std::vector<Column> c = {
      {"EEG seg", [](const av::FoldResult& f) { return f.eeg.window; }},
      {"EEG trial", [](const av::FoldResult& f) { return f.eeg.track; }},
      {"music seg", [](const av::FoldResult& f) { return f.music.window; }},
      {"music trial", [](const av::FoldResult& f) { return f.music.track; }},
      {"P@10", [](const av::FoldResult& f) { return f.retrieval.label.p_at_10; }},
      {"authors' P@10", [](const av::FoldResult& f) { return f.retrieval.label.authors_p_at_10; }},
      {"mAP", [](const av::FoldResult& f) { return f.retrieval.label.map; }},
      {"stimulus mAP", [](const av::FoldResult& f) { return f.retrieval.stimulus.map; }},
      {"trial mAP", [](const av::FoldResult& f) { return f.retrieval.trial_label_map; }},
  };
  return c;
}

void print_row(const char* name, const std::vector<std::string>& cells) {
  std::printf("  %-30s", name);
  for (const auto& c : cells) std::printf(" | %-12s", c.c_str());
  std::printf("\n");
}

std::vector<std::string> model_row(const std::vector<av::SubjectResult>& runs, bool music) {
  std::vector<std::string> cells;
  for (std::size_t k = 0; k < columns().size(); ++k)
    cells.push_back(!music && k >= 2 ? "-" : cell(over_subjects(runs, columns()[k].get)));
  return cells;
}

void print_table(const char* affect, const AffectRuns& r, const double paper[6]) {
  std::printf("\n%s (%%, mean (sd) over %zu subjects; seg = per 3 s segment, trial = majority vote of its 58)\n",
              affect, r.full.size());
  std::vector<std::string> header;
  for (const auto& c : columns()) header.push_back(c.name);
  print_row("", header);
  print_row("joint model (l_a + l_m + l_dd)", model_row(r.full, true));
  print_row("without l_dd", model_row(r.no_domain, true));
  print_row("l_a only (no music)", model_row(r.eeg_only, false));
  auto baseline = [&](const Getter& get) { return cell(over_subjects(r.full, get)); };
  print_row("logistic regression on DE",
            {baseline([](const av::FoldResult& f) { return f.linear.window; }),
             baseline([](const av::FoldResult& f) { return f.linear.track; }), "-", "-", "-", "-", "-", "-", "-"});
  print_row("majority class / random ranking",
            {baseline([](const av::FoldResult& f) { return f.majority.window; }),
             baseline([](const av::FoldResult& f) { return f.majority.track; }), "-", "-",
             baseline([](const av::FoldResult& f) { return f.retrieval.label_random.p_at_10; }),
             baseline([](const av::FoldResult& f) { return f.retrieval.label_random.authors_p_at_10; }),
             baseline([](const av::FoldResult& f) { return f.retrieval.label_random.map; }),
             baseline([](const av::FoldResult& f) { return f.retrieval.stimulus_random.map; }), "-"});
  std::vector<double> ceiling;
  for (double c : r.ceiling) ceiling.push_back(100.0 * c);
  const std::string ceil = cell(canon::eval::summarise(ceiling));
  if (!r.ceiling.empty()) print_row("ceiling (generator)", {ceil, ceil, "-", "-", "-", "-", "-", "-", "-"});
  std::vector<double> agreement;
  for (double c : r.label_agreement) agreement.push_back(100.0 * c);
  const std::string agree = cell(canon::eval::summarise(agreement));
  print_row("track label = subject's label", {agree, agree, "-", "-", "-", "-", "-", "-", "-"});
  char p[6][16];
  for (int k = 0; k < 6; ++k) std::snprintf(p[k], sizeof p[k], "%5.1f", paper[k]);
  print_row("paper (32 DEAP subjects)", {p[0], p[1], "-", p[2], "-", p[3], p[4], "-", "-"});
}

void write_runs(canon::report::JsonWriter& j, const std::vector<av::SubjectResult>& runs) {
  j.begin_object();
  for (const auto& c : columns()) {
    const auto s = over_subjects(runs, c.get);
    j.key(c.name).begin_object().member("mean", s.mean).member("sd", s.sd).end_object();
  }
  j.key("best_epoch").value(over_subjects(runs, [](const av::FoldResult& f) { return double(f.best_epoch) / 100.0; }).mean);
  j.end_object();
}

std::vector<double> moving_average(const std::vector<double>& v, int width) {
  std::vector<double> out(v.size());
  const int half = width / 2;
  for (int i = 0; i < int(v.size()); ++i) {
    double sum = 0;
    int n = 0;
    for (int k = std::max(0, i - half); k <= std::min(int(v.size()) - 1, i + half); ++k)
      if (std::isfinite(v[std::size_t(k)])) sum += v[std::size_t(k)], ++n;
    out[std::size_t(i)] = n ? sum / n : std::nan("");
  }
  return out;
}

}  // namespace

int main(int argc, char** argv) {
  Settings s;
  for (int i = 1; i < argc; ++i) {
    const std::string a = argv[i];
    if (a == "--subjects" && i + 1 < argc) s.subjects = std::atol(argv[++i]);
    else if (a == "--quick") s.quick = true;
    else if (a == "--paper-sizes") s.hidden1 = 128, s.hidden2 = 256;
    else if (a == "--hidden" && i + 2 < argc) s.hidden1 = std::atol(argv[++i]), s.hidden2 = std::atol(argv[++i]);
    else if (a == "--epochs" && i + 1 < argc) s.epochs = std::atol(argv[++i]);
    else if (a == "--planted" && i + 1 < argc) s.planted = std::atof(argv[++i]);
    else if (a == "--ganin") s.ganin = true;
    else if (a == "--stop-on-joint") s.stop_on_eeg = false;
    else if (a == "--lr" && i + 1 < argc) s.learning_rate = std::atof(argv[++i]);
    else if (a == "--out" && i + 1 < argc) s.out = argv[++i];
    else if (a == "--data" && i + 1 < argc) s.data = argv[++i];
    else if (a == "--deap" && i + 1 < argc) s.deap = argv[++i];
    else {
      std::fprintf(stderr, "usage: %s [--subjects N] [--quick] [--paper-sizes | --hidden H1 H2] [--epochs N] [--lr X] [--planted X] [--ganin] [--stop-on-joint] [--out DIR] [--data DIR] [--deap DIR]\n", argv[0]);
      return 2;
    }
  }
  if (s.subjects < 1 || s.hidden1 < 1 || s.hidden2 < 1 || s.epochs < 1 || !(s.learning_rate > 0)) {
    std::fprintf(stderr, "--subjects, --hidden, --epochs and --lr must be positive\n");
    return 2;
  }
  if (s.quick) s.subjects = 1, s.epochs = std::min<long>(s.epochs, 4);  // the ctest run: seconds, not minutes
  // Batches of 32: each product is too small to share between two threads profitably.
  Eigen::setNbThreads(1);
  const std::string embeds_path = s.data + "/tracks_embeds.npy", labels_path = s.data + "/tracks_labels.npy";
  if (!std::ifstream(embeds_path) || !std::ifstream(labels_path)) {
    std::printf("skipping: %s or %s is absent (see ../shared/data/README.md)\n", embeds_path.c_str(),
                labels_path.c_str());
    return 0;
  }
  const auto started = std::chrono::steady_clock::now();
  // The music side: 1972 windows (34 tracks x 58) of 128-d MusiCNN pool5, and each track's
  // mean valence and arousal (DEAP's online ratings). Any tagger's embeddings in this
  // layout can take their place (--data; io/datasets/deap_stimuli.hpp).
  const auto stimuli = canon::io::read_stimulus_embeddings(embeds_path, labels_path);
  av::MusicTracks<float> music;
  music.embeddings = stimuli.embeddings.cast<float>();
  music.windows = stimuli.windows;
  music.valence = stimuli.valence;
  music.arousal = stimuli.arousal;
  std::vector<int> track_of(music.valence.size());
  for (std::size_t t = 0; t < track_of.size(); ++t) track_of[t] = int(t);

  // The EEG: DEAP's preprocessed .npy exports (--deap), or the DEAP-like generator.
  std::vector<av::SegmentSet<float>> segments(std::size_t(2 * s.subjects));
  auto add_segments = [&](Index k, const auto& trials) {
    for (int a = 0; a < 2; ++a) {
      av::SegmentOptions so;
      so.affect = a == 0 ? av::Affect::valence : av::Affect::arousal;
      segments[std::size_t(a * s.subjects + k)] = av::make_segments<float>(trials, track_of, music, so);
    }
  };
  std::vector<av::SyntheticSubject> synthetic;
  if (!s.deap.empty()) {
    // Trials in video order without the authors' 6 dropped videos: 34 trials, trial t
    // playing stimulus t of the authors' release.
    const auto dropped = canon::io::avramidis2022_dropped_videos();
    std::printf("Avramidis et al. 2022 on %ld DEAP subjects from %s (videos", long(s.subjects), s.deap.c_str());
    for (int v : dropped) std::printf(" %d", v);
    std::printf(" dropped, as the authors)\n");
    for (Index k = 0; k < s.subjects; ++k) {
      char name[32];
      std::snprintf(name, sizeof name, "/s%02ld", long(k + 1));
      const auto all = canon::io::load_deap_subject(s.deap + name + "_data.npy", s.deap + name + "_labels.npy");
      std::vector<canon::io::DeapTrial> kept;
      for (std::size_t t = 0; t < all.size(); ++t)
        if (std::find(dropped.begin(), dropped.end(), int(t + 1)) == dropped.end()) kept.push_back(all[t]);
      if (kept.size() != track_of.size()) {
        std::fprintf(stderr, "%s: %zu trials after dropping, but %zu stimuli\n", name + 1, kept.size(), track_of.size());
        return 1;
      }
      add_segments(k, kept);
    }
  } else {
    av::DeapLikeConfig generator;
    generator.subjects = s.subjects;
    generator.valence_gain *= s.planted;
    generator.arousal_gain *= s.planted;
    std::printf("Avramidis et al. 2022 on %ld DEAP-like subjects x %zu tracks (real MusiCNN embeddings, "
                "synthetic EEG with planted affect)\n",
                long(s.subjects), music.valence.size());
    synthetic = av::synthesize_deap_like(music.valence, music.arousal, generator, 2022);
    for (Index k = 0; k < s.subjects; ++k) add_segments(k, synthetic[std::size_t(k)].trials);
  }

  av::ProtocolOptions options;
  options.model.eeg.hidden1 = s.hidden1;
  options.model.eeg.hidden2 = s.hidden2;
  options.adam.learning_rate = s.learning_rate;
  options.loop.epochs = s.epochs;
  if (s.ganin) options.model.reversal.schedule = canon::nn::ReversalSchedule::ganin;
  if (s.stop_on_eeg) options.stop_on = av::StopOn::eeg_loss;
  // Every (affect, subject, variant) is one independent job; the jobs share the two cores
  // (each runs single-threaded inside: canon's kernels stay serial in a parallel region),
  // and each is seeded by its subject alone, so the numbers do not depend on the threads.
  struct Job {
    int affect;
    Index subject;
    int variant;  // 0 joint, 1 without l_dd, 2 l_a only
  };
  std::vector<Job> jobs;
  for (int a = 0; a < 2; ++a)
    for (Index k = 0; k < s.subjects; ++k)
      for (int v = 0; v < 3; ++v) jobs.push_back({a, k, v});
  std::vector<av::SubjectResult> results(jobs.size());
  long done = 0;
#if defined(_OPENMP)
#pragma omp parallel for schedule(dynamic, 1)
#endif
  for (long i = 0; i < long(jobs.size()); ++i) {
    const Job job = jobs[std::size_t(i)];
    av::ProtocolOptions o = options;
    o.seed = 1 + std::uint64_t(job.subject);
    o.keep_embeddings = job.subject == 0 && job.variant == 0;
    o.linear_baseline = job.variant == 0;
    o.weights = job.variant == 0 ? av::LossWeights::authors()
                                 : job.variant == 1 ? av::LossWeights::no_domain() : av::LossWeights::eeg_only();
    results[std::size_t(i)] = av::run_subject(segments[std::size_t(job.affect * s.subjects + job.subject)], o);
#if defined(_OPENMP)
#pragma omp critical
#endif
    {
      ++done;
      const double elapsed = std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count();
      const char* variant[] = {"joint model", "without l_dd", "l_a only"};
      std::printf("  [%3ld/%zu] %s, subject %ld, %-12s: EEG trial accuracy %5.1f %%  [%.0f s]\n", done, jobs.size(),
                  job.affect == 0 ? "valence" : "arousal", long(job.subject + 1), variant[job.variant],
                  100 * results[std::size_t(i)].mean(columns()[1].get), elapsed);
      std::fflush(stdout);
    }
  }
  AffectRuns runs[2];
  for (int a = 0; a < 2; ++a)
    for (Index k = 0; k < s.subjects; ++k) {
      const auto& seg = segments[std::size_t(a * s.subjects + k)];
      runs[a].label_agreement.push_back(double((seg.eeg_labels.array() == seg.music_labels.array()).count()) /
                                        double(seg.size()));
    }
  for (std::size_t i = 0; i < jobs.size(); ++i) {
    auto& r = runs[jobs[i].affect];
    (jobs[i].variant == 0 ? r.full : jobs[i].variant == 1 ? r.no_domain : r.eeg_only).push_back(std::move(results[i]));
  }
  for (const auto& subject : synthetic) {
    runs[0].ceiling.push_back(subject.ceiling.valence);
    runs[1].ceiling.push_back(subject.ceiling.arousal);
  }
  // The paper's Tables 1-2 (valence, arousal): EEG seg, EEG aggregated, music aggregated,
  // P@10 (the authors' measure), mAP; plus l_a only (EEG aggregated).
  const double paper[2][6] = {{62.9, 70.4, 78.7, 63.8, 59.1, 67.8}, {63.3, 68.9, 91.9, 65.0, 67.8, 68.0}};
  print_table("valence", runs[0], paper[0]);
  print_table("arousal", runs[1], paper[1]);
  std::printf("  (paper, l_a only, EEG trial: valence %.1f, arousal %.1f)\n", paper[0][5], paper[1][5]);

  // Report and figures.
  const std::string dir = s.out;
  std::system(("mkdir -p '" + dir + "'").c_str());
  const std::string json_path = dir + "/report.json";
  canon::write_file_atomically(json_path, [&](std::ostream& out) {
    canon::report::JsonWriter j(out);
    j.begin_object();
    j.member("system", std::string("Avramidis et al. 2022"));
    j.member("subjects", long(s.subjects));
    j.key("lstm_hidden").value(std::vector<long>{long(s.hidden1), long(s.hidden2)});
    j.member("epochs", s.epochs);
    j.member("learning_rate", s.learning_rate);
    j.member("early_stopping_on", std::string(s.stop_on_eeg ? "l_eeg" : "J"));
    for (int a = 0; a < 2; ++a) {
      j.key(a == 0 ? "valence" : "arousal").begin_object();
      j.key("joint");
      write_runs(j, runs[a].full);
      j.key("without_l_dd");
      write_runs(j, runs[a].no_domain);
      j.key("l_a_only");
      write_runs(j, runs[a].eeg_only);
      if (!runs[a].ceiling.empty()) j.member("ceiling", canon::eval::summarise(runs[a].ceiling).mean);
      j.member("track_label_agreement", canon::eval::summarise(runs[a].label_agreement).mean);
      j.end_object();
    }
    j.end_object();
    out << "\n";
  });

  // t-SNE of subject 1's common space (fold 0's test pairs, every second segment).
  const auto& first = runs[0].full.front();
  canon::Matrix<double> points(first.eeg_points.rows(), 0);
  std::vector<std::string> kinds;
  for (Index j = 0; j < first.eeg_points.cols(); j += 2) {
    for (int m = 0; m < 2; ++m) {
      points.conservativeResize(Eigen::NoChange, points.cols() + 1);
      points.col(points.cols() - 1) = m == 0 ? first.eeg_points.col(j) : first.music_points.col(j);
      const Index label = m == 0 ? first.point_eeg_labels[std::size_t(j)] : first.point_music_labels[std::size_t(j)];
      kinds.push_back(std::string(m == 0 ? "EEG" : "music") + (label ? ", high" : ", low"));
    }
  }
  canon::report::TsneOptions tsne_options;
  tsne_options.iterations = s.quick ? 300 : 1000;
  const auto map = canon::report::tsne(points, tsne_options);
  canon::report::Chart tsne_chart;
  tsne_chart.kind = canon::report::Chart::Kind::points;
  tsne_chart.title = "Common space of subject 1, test fold 1: t-SNE (valence low / high)";
  tsne_chart.x_label = "t-SNE 1";
  tsne_chart.y_label = "t-SNE 2";
  for (const char* name : {"EEG, low", "EEG, high", "music, low", "music, high"}) {
    canon::report::Series series{name, {}, {}};
    for (Index j = 0; j < points.cols(); ++j)
      if (kinds[std::size_t(j)] == name) series.x.push_back(map.embedding(0, j)), series.y.push_back(map.embedding(1, j));
    tsne_chart.series.push_back(series);
  }
  const std::string tsne_path = dir + "/tsne.svg";
  canon::report::write_svg(tsne_chart, tsne_path);

  // mAP over the 58 time steps of a track, mean over subjects and folds, 7-sample moving average.
  canon::report::Chart over_time;
  over_time.title = "Music retrieval for EEG queries over the trial (7-step moving average)";
  over_time.x_label = "segment (s from the trial's start)";
  over_time.y_label = "mAP (label relevance)";
  for (int a = 0; a < 2; ++a) {
    std::vector<double> sum(58, 0.0);
    std::vector<int> count(58, 0);
    for (const auto& r : runs[a].full)
      for (const auto& f : r.folds)
        for (std::size_t w = 0; w < f.retrieval.label_ap_by_step.size() && w < 58; ++w)
          if (std::isfinite(f.retrieval.label_ap_by_step[w])) sum[w] += f.retrieval.label_ap_by_step[w], ++count[w];
    std::vector<double> mean(58), x(58);
    for (std::size_t w = 0; w < 58; ++w) mean[w] = count[w] ? sum[w] / count[w] : std::nan(""), x[w] = double(w);
    over_time.series.push_back({a == 0 ? "valence" : "arousal", x, moving_average(mean, 7)});
  }
  over_time.references.push_back(
      {"random ranking (valence)", over_subjects(runs[0].full, [](const av::FoldResult& f) {
         return f.retrieval.label_random.map;
       }).mean / 100.0});
  const std::string time_path = dir + "/map_over_time.svg";
  canon::report::write_svg(over_time, time_path);
  const double elapsed = std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count();
  std::printf("\nwrote %s, %s and %s (%.0f s in all)\n", json_path.c_str(), tsne_path.c_str(), time_path.c_str(),
              elapsed);

  // The example passes when the joint model reads the planted affect: above chance.
  const double full = over_subjects(runs[0].full, columns()[1].get).mean +
                      over_subjects(runs[1].full, columns()[1].get).mean;
  const double chance = over_subjects(runs[0].full, [](const av::FoldResult& f) { return f.majority.track; }).mean +
                        over_subjects(runs[1].full, [](const av::FoldResult& f) { return f.majority.track; }).mean;
  return full > chance ? 0 : 1;
}
