// Example 07: EMER-CL (Takashima et al.) end to end on the semi-real default data: REAL
// emotion sequences (DEAM's averaged arousal/valence at 2 Hz, 30 s per song, read from
// ../shared/data/deam-pmemo-format/dynamic_annotations.csv) paired with music frame
// features synthesised to follow each song's own trajectory (models/emer_cl/semi_real.hpp),
// so that an oracle that inverts the synthesis gives the ceiling.
//
// The paper's protocol (Section IV-B, models/emer_cl/protocol.hpp): runs of a fresh 80/20
// split of the songs and a fresh initialisation; M2E and E2M MRR and average rank (AR) on
// the test pairs, mean and sd over runs. Rows in the layout of the paper's Tables 1 and 2:
// Composite, CCA-Loss, KL-Loss, Cos-Loss, Composite-C, the regression baselines RegMLP and
// RegBiGRU, and beside them chance, the oracle ceiling and the paper's DEAM numbers. With
// the canon::svm component it also runs the MER comparison (Section IV-F) on one trained
// model. Writes report.json, mrr.svg (MRR per method, error bars one sd over runs) and
// ranked_list.svg (one query's arousal trajectory beside its top-3 retrieved), and says where.
//
//   build/examples/07_emer_cl_demo [--runs R] [--songs N] [--epochs E] [--noise S] [--lr X]
//       [--batch B] [--cca-dims D] [--kl-dims D] [--music-bigru] [--only NAME,NAME] [--quick]
//       [--out DIR] [--data CSV]
//
// --only runs just the named rows (e.g. --only Composite,KL-Loss; Composite's run 1 is
// always trained, for the figures); the table then shows zeros for the others.
//
// Sizes are the paper's scaled down so that the demo runs in minutes on 2 cores; each
// choice and the paper's value are in docs/emer-cl.md ("The demo").
#include <canon/core/atomic_file.hpp>
#include <canon/eval/summary.hpp>
#include <canon/models/emer_cl_files.hpp>
#include <canon/report/json.hpp>
#include <canon/report/svg_plot.hpp>
#if defined(CANON_DEMO_HAS_SVM)
#include <canon/svm.hpp>
#endif

#include <algorithm>
#include <chrono>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <memory>
#include <string>
#include <vector>

namespace ec = canon::emer_cl;
using canon::Index;

namespace {

struct Settings {
  int runs = 5;                  // the paper: 10
  Index songs = 300;             // the paper: all 1802 DEAM songs (361 test songs)
  long epochs = 150;             // the paper: 5001
  double noise = 1.0;            // descriptor_noise; the generator's default 0.3 leaves no room below the oracle
  double learning_rate = 1e-3;   // the paper: 1e-5 (for 5001 epochs)
  Index batch = 120;             // the paper: 128 (its code: 512); here half the training songs
  Index cca_dims = 8, kl_dims = 8; // the paper: 1024 each
  bool music_bigru = false;      // the music encoder: mean-frame MLP (the paper on DEAM) or BiGRU (on PMEmo)
  std::string only;              // comma-separated method names: run just those (exploration)
  bool quick = false;
  std::string out = "emer-cl-demo";
  std::string data = std::string(CANON_SHARED_DATA_DIR) + "/deam-pmemo-format/dynamic_annotations.csv";
};

struct Method {
  const char* name;
  bool baseline;          // a regression baseline (RegMLP / RegBiGRU) rather than an EMER-CL loss
  ec::Objective objective;
  bool bigru;             // for baselines: RegBiGRU
};

const std::vector<Method>& methods() {
  static const std::vector<Method> m = {
      {"Composite", false, ec::Objective::composite, false},
      {"CCA-Loss", false, ec::Objective::cca_only, false},
      {"KL-Loss", false, ec::Objective::kl_only, false},
      {"Cos-Loss", false, ec::Objective::cosine_only, false},
      {"Composite-C", false, ec::Objective::composite_cosine, false},
      {"RegMLP", true, ec::Objective::composite, false},
      {"RegBiGRU", true, ec::Objective::composite, true},
  };
  return m;
}

/// The model, scaled down from the paper's (see docs/emer-cl.md, "The demo").
ec::ProtocolConfig protocol_config(const Settings& s) {
  ec::ProtocolConfig c;
  c.model.music = {ec::EncoderKind::mean_mlp, 128, 0, {128, 64}, 0.1};
  if (s.music_bigru) c.model.music = {ec::EncoderKind::bigru_mlp, 128, 32, {128, 64}, 0.1};
  c.model.emotion = {ec::EncoderKind::bigru_mlp, 2, 32, {128, 64}, 0.1};
  c.model.cca_dimensions = s.cca_dims;
  c.model.kl_dimensions = s.kl_dims;
  c.set_hyper_parameters(0.4, 1.0, 0.5);           // the paper's recommended defaults
  c.loss.kl.reduction = canon::loss::Reduction::mean;
  c.loss.cosine.reduction = canon::loss::Reduction::mean;
  c.adam.learning_rate = s.learning_rate;
  c.loop.epochs = s.epochs;
  c.loop.batch_size = s.batch;
  c.runs = 1;  // one job per run: the jobs share the two cores
  return c;
}

ec::BaselineConfig baseline_config(const Settings& s, bool bigru) {
  ec::BaselineConfig b;
  if (bigru) {
    b.music = {ec::EncoderKind::bigru_mlp, 128, 32, {128, 64}, 0.1};
    b.emotion = {ec::EncoderKind::bigru_mlp, 2, 32, {128, 64}, 0.1};
  } else {
    b.music = {ec::EncoderKind::mean_mlp, 128, 0, {128, 64}, 0.1};
    b.emotion = {ec::EncoderKind::mean_mlp, 2, 0, {128, 64}, 0.1};  // the mean (a, v): RegMLP-E2M
  }
  b.adam.learning_rate = s.learning_rate;
  b.loop.epochs = s.epochs;
  b.loop.batch_size = s.batch;
  return b;
}

/// Per run seed: run r uses the split and initialisation of ProtocolConfig seed 1 + r.
std::uint64_t run_seed(int r) { return 1 + std::uint64_t(r); }

struct Cells {
  canon::eval::Summary m2e_mrr, m2e_ar, e2m_mrr, e2m_ar;
};

Cells summarise(const std::vector<ec::RetrievalScores>& runs) {
  std::vector<double> a, b, c, d;
  for (const auto& r : runs) a.push_back(r.m2e_mrr), b.push_back(r.m2e_ar), c.push_back(r.e2m_mrr), d.push_back(r.e2m_ar);
  return {canon::eval::summarise(a), canon::eval::summarise(b), canon::eval::summarise(c), canon::eval::summarise(d)};
}

void print_row(const char* name, const std::string& a, const std::string& b, const std::string& c,
               const std::string& d) {
  std::printf("  %-26s | %-15s | %-13s | %-15s | %-13s\n", name, a.c_str(), b.c_str(), c.c_str(), d.c_str());
}

std::string pm(const canon::eval::Summary& s, bool rank) {
  char text[40];
  if (rank) std::snprintf(text, sizeof text, "%5.1f ± %4.1f", s.mean, s.sd);
  else std::snprintf(text, sizeof text, "%.3f ± %.3f", s.mean, s.sd);
  return text;
}

void write_cells(canon::report::JsonWriter& j, const Cells& c, const std::vector<ec::RetrievalScores>& runs) {
  j.begin_object();
  auto member = [&](const char* name, const canon::eval::Summary& s) {
    j.key(name).begin_object().member("mean", s.mean).member("sd", s.sd).end_object();
  };
  member("m2e_mrr", c.m2e_mrr);
  member("m2e_ar", c.m2e_ar);
  member("e2m_mrr", c.e2m_mrr);
  member("e2m_ar", c.e2m_ar);
  j.key("runs").begin_array();
  for (const auto& r : runs)
    j.begin_object().member("m2e_mrr", r.m2e_mrr).member("m2e_ar", r.m2e_ar).member("e2m_mrr", r.e2m_mrr)
        .member("e2m_ar", r.e2m_ar).end_object();
  j.end_array();
  j.end_object();
}

}  // namespace

int main(int argc, char** argv) {
  Settings s;
  for (int i = 1; i < argc; ++i) {
    const std::string a = argv[i];
    if (a == "--runs" && i + 1 < argc) s.runs = std::atoi(argv[++i]);
    else if (a == "--songs" && i + 1 < argc) s.songs = std::atol(argv[++i]);
    else if (a == "--epochs" && i + 1 < argc) s.epochs = std::atol(argv[++i]);
    else if (a == "--noise" && i + 1 < argc) s.noise = std::atof(argv[++i]);
    else if (a == "--lr" && i + 1 < argc) s.learning_rate = std::atof(argv[++i]);
    else if (a == "--batch" && i + 1 < argc) s.batch = std::atol(argv[++i]);
    else if (a == "--cca-dims" && i + 1 < argc) s.cca_dims = std::atol(argv[++i]);
    else if (a == "--kl-dims" && i + 1 < argc) s.kl_dims = std::atol(argv[++i]);
    else if (a == "--only" && i + 1 < argc) s.only = std::string(",") + argv[++i] + ",";
    else if (a == "--music-bigru") s.music_bigru = true;
    else if (a == "--quick") s.quick = true;
    else if (a == "--out" && i + 1 < argc) s.out = argv[++i];
    else if (a == "--data" && i + 1 < argc) s.data = argv[++i];
    else {
      std::fprintf(stderr, "usage: %s [--runs R] [--songs N] [--epochs E] [--noise S] [--lr X] [--batch B] [--cca-dims D] "
                           "[--kl-dims D] [--only NAME,NAME] [--music-bigru] [--quick] [--out DIR] [--data CSV]\n", argv[0]);
      return 2;
    }
  }
  if (s.quick) s.runs = 2, s.songs = std::min<Index>(s.songs, 150), s.epochs = std::min<long>(s.epochs, 30),
               s.batch = std::min<Index>(s.batch, 60);  // the ctest run: seconds, not minutes
  if (s.runs < 1 || s.songs < 20 || s.epochs < 1 || !(s.learning_rate > 0) || !(s.noise >= 0) || s.batch < 4 || s.cca_dims < 1 ||
      s.kl_dims < 1) {
    std::fprintf(stderr, "--runs, --epochs, --lr and --batch (>= 4) must be positive, --songs >= 20, --noise >= 0\n");
    return 2;
  }
  if (!std::ifstream(s.data)) {
    std::printf("skipping: %s is absent (DEAM's annotations in PMEmo's layout; see ../shared/data/README.md)\n",
                s.data.c_str());
    return 0;
  }
  // Batches of ~100 songs: each product is too small to share between two threads profitably.
  Eigen::setNbThreads(1);
  const auto started = std::chrono::steady_clock::now();
  auto seconds = [&] { return std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count(); };

  ec::SemiRealOptions generator;
  generator.songs = s.songs;
  generator.descriptor_noise = s.noise;
  const auto data = ec::deam_semi_real<float>(s.data, generator, 1);
  const ec::PairSet<float>& songs = data.pairs;
  std::printf("EMER-CL on %ld DEAM songs: real arousal/valence sequences (2 x 60 at 2 Hz), music synthesised to follow "
              "them (128 x 31 frames, descriptor noise %.2f)\n",
              long(songs.size()), s.noise);
  std::printf("%d runs of a fresh 80/20 split and initialisation, %ld epochs, batch %ld, Adam lr %g  [%.1f s]\n",
              s.runs, s.epochs, long(s.batch), s.learning_rate, seconds());
  std::fflush(stdout);

  // Every (method, run) is an independent job; the jobs share the two cores (each runs
  // single-threaded inside) and each is seeded by its run alone, so the numbers do not
  // depend on the number of threads. Job -1 retrains Composite's run 0 by hand to keep the
  // model for the figure and the MER comparison (it must score exactly as run_protocol's).
  const ec::ProtocolConfig base = protocol_config(s);
  const std::size_t M = methods().size();
  std::vector<ec::RetrievalScores> scores(M * std::size_t(s.runs));
  std::vector<std::vector<std::string>> warnings(scores.size());
  const long jobs = long(scores.size()) + 1;
  std::unique_ptr<ec::Model<float>> kept_model;
  std::unique_ptr<ec::Retriever<float>> kept_retriever_ptr;
  ec::RetrievalScores kept_scores;
  long done = 0;
#if defined(_OPENMP)
#pragma omp parallel for schedule(dynamic, 1)
#endif
  for (long i = -1; i < long(scores.size()); ++i) {
    std::string label;
    if (i < 0) {
      const auto split = ec::protocol_split(songs.size(), base.test_fraction, 0.0, run_seed(0));
      const auto training = songs.subset(split[0]), test = songs.subset(split[2]);
      auto model_ptr = std::make_unique<ec::Model<float>>(base.model, run_seed(0));
      ec::Model<float>& model = *model_ptr;
      ec::CompositeLoss<float> loss(base.loss);
      canon::optim::Adam<float> adam(base.adam);
      const ec::PairSet<float> none;
      ec::Task<float> task(model, loss, training, none);
      canon::train::fit(task, adam, base.loop);
      auto retriever = std::make_unique<ec::Retriever<float>>(base.retrieval);
      retriever->fit(model, training);
      kept_scores = retriever->evaluate(model, test);
      kept_model = std::move(model_ptr);
      kept_retriever_ptr = std::move(retriever);
      label = "Composite, run 1 (kept for the figures)";
    } else {
      const Method& m = methods()[std::size_t(i) / std::size_t(s.runs)];
      const int r = int(std::size_t(i) % std::size_t(s.runs));
      if (!s.only.empty() && s.only.find(std::string(",") + m.name + ",") == std::string::npos) continue;
      if (m.baseline) {
        const auto split = ec::protocol_split(songs.size(), base.test_fraction, 0.0, run_seed(r));
        scores[std::size_t(i)] = ec::regression_baseline(songs.subset(split[0]), songs.subset(split[2]),
                                                        baseline_config(s, m.bigru), run_seed(r));
      } else {
        ec::ProtocolConfig c = base;
        c.seed = run_seed(r);
        c.loss.objective = m.objective;
        // Retrieval scores with what the loss trained: CCA-Loss leaves the Gaussian heads at
        // their random initialisation and KL-Loss the z head, so Eq. 8's other term is noise.
        if (m.objective == ec::Objective::cca_only) c.retrieval.lambda = 1.0;
        if (m.objective == ec::Objective::kl_only || m.objective == ec::Objective::cosine_only) c.retrieval.lambda = 0.0;
        const auto reports = ec::run_protocol(songs, c);
        scores[std::size_t(i)] = reports.front().test;
        warnings[std::size_t(i)] = reports.front().training.warnings;
      }
      label = std::string(m.name) + ", run " + std::to_string(r + 1);
    }
    const ec::RetrievalScores& got = i < 0 ? kept_scores : scores[std::size_t(i)];
#if defined(_OPENMP)
#pragma omp critical
#endif
    {
      ++done;
      std::printf("  [%2ld/%ld] %-40s M2E MRR %.3f  E2M MRR %.3f  [%.0f s]\n", done, jobs, label.c_str(),
                  got.m2e_mrr, got.e2m_mrr, seconds());
      std::fflush(stdout);
    }
  }
  ec::Model<float>& kept = *kept_model;
  ec::Retriever<float>& kept_retriever = *kept_retriever_ptr;
  for (const auto& w : warnings)
    for (const auto& line : w) std::printf("  warning from training: %s\n", line.c_str());

  // Chance and the oracle on the same test splits.
  std::vector<ec::RetrievalScores> chance, oracle;
  for (int r = 0; r < s.runs; ++r) {
    const auto split = ec::protocol_split(songs.size(), base.test_fraction, 0.0, run_seed(r));
    chance.push_back(ec::chance_scores(Index(split[2].size())));
    const ec::OracleScores o = ec::semi_real_oracle(data, split[2]);
    ec::RetrievalScores t;
    t.pairs = o.songs, t.m2e_mrr = o.m2e_mrr, t.m2e_ar = o.m2e_ar, t.e2m_mrr = o.e2m_mrr, t.e2m_ar = o.e2m_ar;
    oracle.push_back(t);
  }
  std::vector<Cells> cells;
  for (std::size_t m = 0; m < M; ++m)
    cells.push_back(summarise(std::vector<ec::RetrievalScores>(scores.begin() + long(m) * s.runs,
                                                               scores.begin() + long(m + 1) * s.runs)));
  const Cells chance_cells = summarise(chance), oracle_cells = summarise(oracle);
  const Index test_songs = chance.front().pairs;

  std::printf("\nM2E and E2M on %ld test songs (mean ± sd over %d runs; MRR higher is better, AR lower)\n",
              long(test_songs), s.runs);
  print_row("", "M2E MRR", "M2E AR", "E2M MRR", "E2M AR");
  for (std::size_t m = 0; m < M; ++m)
    print_row(methods()[m].name, pm(cells[m].m2e_mrr, false), pm(cells[m].m2e_ar, true), pm(cells[m].e2m_mrr, false),
              pm(cells[m].e2m_ar, true));
  print_row("chance (random ranking)", pm(chance_cells.m2e_mrr, false), pm(chance_cells.m2e_ar, true),
            pm(chance_cells.e2m_mrr, false), pm(chance_cells.e2m_ar, true));
  print_row("oracle (inverts synthesis)", pm(oracle_cells.m2e_mrr, false), pm(oracle_cells.m2e_ar, true),
            pm(oracle_cells.e2m_mrr, false), pm(oracle_cells.e2m_ar, true));
  // The paper's DEAM numbers (Tables 1 and 2; 361 test songs of real music, 10 runs).
  struct Paper {
    const char* name;
    const char* cells[4];
  };
  const Paper paper[] = {
      {"Composite", {"0.128 ± 0.011", "56.0 ± 1.4", "0.114 ± 0.011", "55.3 ± 1.8"}},
      {"CCA-Loss", {"0.048 ± 0.007", "85.4 ± 5.1", "0.046 ± 0.006", "86.9 ± 4.3"}},
      {"KL-Loss", {"0.071 ± 0.007", "69.9 ± 5.2", "0.069 ± 0.006", "69.9 ± 5.2"}},
      {"Cos-Loss", {"0.060 ± 0.006", "70.7 ± 4.4", "0.069 ± 0.006", "70.7 ± 4.0"}},
      {"Composite-C", {"0.063 ± 0.010", "70.5 ± 5.4", "0.078 ± 0.010", "68.4 ± 2.5"}},
      {"RegMLP", {"0.066 ± 0.002", "82.5 ± 0.3", "0.039 ± 0.0003", "136.5 ± 0.1"}},
      {"RegBiGRU", {"0.057 ± 0.005", "83.2 ± 2.7", "0.046 ± 0.001", "131.2 ± 0.3"}},
  };
  std::printf("\nthe paper on DEAM (real music, 361 test songs: chance MRR %.3f, AR 181; not comparable in level)\n",
              ec::chance_scores(361).m2e_mrr);
  for (const auto& p : paper) print_row(p.name, p.cells[0], p.cells[1], p.cells[2], p.cells[3]);

  // Does Composite beat both single losses and the baselines by more than the spread over runs?
  auto beats = [&](std::size_t other) {
    const Cells& c = cells[0];
    const Cells& o = cells[other];
    return c.m2e_mrr.mean - o.m2e_mrr.mean > std::max(c.m2e_mrr.sd, o.m2e_mrr.sd) &&
           c.e2m_mrr.mean - o.e2m_mrr.mean > std::max(c.e2m_mrr.sd, o.e2m_mrr.sd);
  };
  std::printf("\nComposite beats, by more than the larger sd over runs in both directions:");
  for (std::size_t m = 1; m < M; ++m) std::printf(" %s %s;", methods()[m].name, beats(m) ? "yes" : "no");
  std::printf("\n");

  // The MER comparison (Section IV-F) on the kept model: features of every song, 10-fold CV.
  const std::string dir = s.out;
  std::system(("mkdir -p '" + dir + "'").c_str());
#if defined(CANON_DEMO_HAS_SVM)
  struct MerRow {
    const char* name;
    ec::MerScores scores;
  };
  std::vector<MerRow> mer;
  {
    const ec::Embedding<float> music = kept_retriever.embed_music(kept, songs);
    const canon::Matrix<float> targets = ec::mean_emotion(songs);
    mer.push_back({"EMER-CL (cca): phi", ec::mer_cross_validation(ec::mer_features(music, ec::MerInputs::cca), targets)});
    mer.push_back({"EMER-CL (kl): mu, sigma", ec::mer_cross_validation(ec::mer_features(music, ec::MerInputs::kl), targets)});
    mer.push_back({"EMER-CL (all)", ec::mer_cross_validation(ec::mer_features(music, ec::MerInputs::all), targets)});
    mer.push_back({"mean frame (128 inputs)",
                   ec::mer_cross_validation(ec::mean_frames(songs.music, songs.music_features, songs.music_lengths),
                                            targets)});
    std::printf("\nMER (RBF epsilon-SVR, sklearn's defaults; 10-fold CV over all %ld songs; R^2 mean ± sd over folds)\n",
                long(songs.size()));
    std::printf("  %-26s | %-15s | %-15s\n", "features", "R^2 arousal", "R^2 valence");
    for (const auto& row : mer)
      std::printf("  %-26s | %-15s | %-15s\n", row.name, pm(row.scores.targets[0].r_squared, false).c_str(),
                  pm(row.scores.targets[1].r_squared, false).c_str());
    std::printf("  (the model was trained on run 1's 80 %% of these songs; the paper on DEAM: cca 0.484 / 0.661, "
                "kl 0.491 / 0.667)\n");
  }
#else
  std::printf("\nMER comparison left out: canon::svm (libsvm) is not built\n");
#endif

  // One query's ranked list: the first test song of run 1 as an M2E query.
  const auto split0 = ec::protocol_split(songs.size(), base.test_fraction, 0.0, run_seed(0));
  const auto test0 = songs.subset(split0[2]);
  const auto music0 = kept_retriever.embed_music(kept, test0), emotion0 = kept_retriever.embed_emotion(kept, test0);
  const canon::Matrix<float> sim = kept_retriever.similarity(music0, emotion0, ec::Direction::music_to_emotion);
  const Index query = 0;
  std::vector<Index> order(std::size_t(test0.size()));
  for (Index j = 0; j < test0.size(); ++j) order[std::size_t(j)] = j;
  std::stable_sort(order.begin(), order.end(), [&](Index a, Index b) { return sim(query, a) > sim(query, b); });
  const Index true_rank = Index(std::find(order.begin(), order.end(), query) - order.begin()) + 1;
  canon::report::Chart ranked;
  ranked.title = "M2E query (a test song's music): arousal of its own emotion and of the top 3";
  ranked.x_label = "time (s from 15 s)";
  ranked.y_label = "arousal (DEAM, [-1, 1])";
  auto trajectory = [&](Index j, const std::string& label) {
    canon::report::Series series{label, {}, {}};
    const Index steps = test0.emotion_lengths.empty() ? test0.emotion.rows() / 2 : test0.emotion_lengths[std::size_t(j)];
    for (Index t = 0; t < steps; ++t) series.x.push_back(0.5 * double(t)), series.y.push_back(test0.emotion(2 * t, j));
    return series;
  };
  ranked.series.push_back(trajectory(query, "own (rank " + std::to_string(long(true_rank)) + ")"));
  for (int k = 0; k < 3; ++k)
    if (order[std::size_t(k)] != query || true_rank > 3)
      ranked.series.push_back(trajectory(order[std::size_t(k)], "#" + std::to_string(k + 1)));
  const std::string ranked_path = dir + "/ranked_list.svg";
  canon::report::write_svg(ranked, ranked_path);

  canon::report::Chart bars;
  bars.kind = canon::report::Chart::Kind::bars;
  bars.title = "MRR per method (mean, error bars one sd over runs)";
  bars.x_label = "1 Composite, 2 CCA-Loss, 3 KL-Loss, 4 Cos-Loss, 5 Composite-C, 6 RegMLP, 7 RegBiGRU";
  bars.y_label = "MRR";
  for (int d = 0; d < 2; ++d) {
    canon::report::Series series{d == 0 ? "M2E" : "E2M", {}, {}};
    std::vector<double> sd;
    for (std::size_t m = 0; m < M; ++m) {
      const auto& c = d == 0 ? cells[m].m2e_mrr : cells[m].e2m_mrr;
      series.x.push_back(double(m + 1));
      series.y.push_back(c.mean);
      sd.push_back(c.sd);
    }
    bars.series.push_back(series);
    bars.error_bars.push_back(sd);
  }
  bars.references.push_back({"chance", chance_cells.m2e_mrr.mean});
  bars.references.push_back({"oracle M2E", oracle_cells.m2e_mrr.mean});
  bars.references.push_back({"oracle E2M", oracle_cells.e2m_mrr.mean});
  const std::string bars_path = dir + "/mrr.svg";
  canon::report::write_svg(bars, bars_path);

  const std::string json_path = dir + "/report.json";
  canon::write_file_atomically(json_path, [&](std::ostream& out) {
    canon::report::JsonWriter j(out);
    j.begin_object();
    j.member("system", std::string("EMER-CL (Takashima et al.)"));
    j.member("data", std::string("semi-real: DEAM emotions, synthesised music"));
    j.member("songs", long(songs.size()));
    j.member("test_songs", long(test_songs));
    j.member("descriptor_noise", s.noise);
    j.member("runs", long(s.runs));
    j.member("epochs", s.epochs);
    j.member("batch", long(s.batch));
    j.member("learning_rate", s.learning_rate);
    j.key("methods").begin_object();
    for (std::size_t m = 0; m < M; ++m) {
      j.key(methods()[m].name);
      write_cells(j, cells[m], std::vector<ec::RetrievalScores>(scores.begin() + long(m) * s.runs,
                                                                 scores.begin() + long(m + 1) * s.runs));
    }
    j.key("chance");
    write_cells(j, chance_cells, chance);
    j.key("oracle");
    write_cells(j, oracle_cells, oracle);
    j.end_object();
    j.key("composite_beats").begin_object();
    for (std::size_t m = 1; m < M; ++m) j.member(methods()[m].name, beats(m));
    j.end_object();
#if defined(CANON_DEMO_HAS_SVM)
    j.key("mer").begin_object();
    for (const auto& row : mer) {
      j.key(row.name).begin_object();
      j.key("r2_arousal").begin_object().member("mean", row.scores.targets[0].r_squared.mean)
          .member("sd", row.scores.targets[0].r_squared.sd).end_object();
      j.key("r2_valence").begin_object().member("mean", row.scores.targets[1].r_squared.mean)
          .member("sd", row.scores.targets[1].r_squared.sd).end_object();
      j.end_object();
    }
    j.end_object();
#endif
    j.member("seconds", seconds());
    j.end_object();
    out << "\n";
  });
  std::printf("\nwrote %s, %s and %s (%.0f s in all)\n", json_path.c_str(), bars_path.c_str(), ranked_path.c_str(),
              seconds());
  if (std::abs(kept_scores.m2e_mrr - scores[0].m2e_mrr) > 1e-9)
    std::printf("note: the kept model scores M2E MRR %.4f, run_protocol's run 1 %.4f\n", kept_scores.m2e_mrr,
                scores[0].m2e_mrr);

  // The example passes when Composite learns the planted relation: well above chance in
  // both directions, and no run above the oracle's mean by more than its spread.
  const bool learnt = cells[0].m2e_mrr.mean > 2 * chance_cells.m2e_mrr.mean &&
                      cells[0].e2m_mrr.mean > 2 * chance_cells.e2m_mrr.mean;
  return learnt ? 0 : 1;
}
