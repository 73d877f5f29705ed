// 04_raposo_demo — Raposo et al. 2017 end to end, in a few minutes on 2 cores.
//
//  1. Semi-synthetic recordings (canon/data/synthetic.hpp): one synthetic song per
//     listener, EEG whose stimulus-locked part follows the song's envelope through a
//     known response, at a chosen SNR. Every number from this part describes the
//     generator's planted effect, never real data.
//  2. The paper's pipeline: cleaning, 1.5 s chunks, two convolutional branches (narrower
//     than the paper's so that it runs in minutes; the paper's strings are the default
//     of raposo::Config), Deep CCA (trace norm), Adam, validation each epoch, linear CCA,
//     k folds over songs x runs.
//  3. Held-out chunk retrieval (EEG -> audio, audio -> EEG) and canonical correlations,
//     next to chance, next to the generator's ceiling and next to linear CCA on
//     handcrafted features (log-mel statistics of the audio chunk; log band power of
//     the EEG chunk).
//  4. The transfer protocol: song embeddings (mean of chunk embeddings) as audio features
//     for a second Deep CCA against a second view read from a .npy file, with the
//     handcrafted baseline (log-mel statistics averaged per song).
//  5. When ../shared/data/eeg/music-attention/ exists: the real recordings (music on
//     AUX69, 2048 Hz) through the same cleaning and chunking, embedded by the model.
// Writes report.json, correlations.svg and retrieval.svg to the output folder.
//
// Usage: 04_raposo_demo [--quick] [--out DIR] [--data DIR] [--songs N] [--seconds S]
//                       [--snr X] [--epochs E] [--folds K] [--runs R] [--seed S]
#include <canon/core/atomic_file.hpp>
#include <canon/core/columns.hpp>
#include <canon/data/standardise.hpp>
#include <canon/io/edf.hpp>
#include <canon/io/npy.hpp>
#include <canon/models/raposo.hpp>
#include <canon/report/json.hpp>
#include <canon/report/svg_plot.hpp>
#include <canon/signal/mel.hpp>
#include <canon/signal/stft.hpp>
#include <chrono>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <map>

namespace fs = std::filesystem;
using canon::Index;
using canon::Matrix;
using canon::Vector;
using Chunks = canon::raposo::ChunkSet<float>;

namespace {

struct Settings {
  bool quick = false;
  std::string out = "canon-demo";
  std::string data;  // ../shared/data by default, found relative to the source tree
  int songs = 40;
  double seconds = 30.0;
  double snr = 0.5;
  long epochs = 20;
  int folds = 5;
  int runs = 1;
  std::uint64_t seed = 1;
  int transfer_songs = 150;
};

Settings parse(int argc, char** argv) {
  Settings s;
  for (int i = 1; i < argc; ++i) {
    const std::string a = argv[i];
    auto next = [&]() -> std::string {
      if (i + 1 >= argc) throw canon::value_error("04_raposo_demo: " + a + " needs a value");
      return argv[++i];
    };
    if (a == "--quick") {
      s.quick = true;
      s.songs = 8;
      s.seconds = 12.0;
      s.epochs = 2;
      s.folds = 2;
      s.transfer_songs = 24;
    } else if (a == "--out") s.out = next();
    else if (a == "--data") s.data = next();
    else if (a == "--songs") s.songs = std::stoi(next());
    else if (a == "--seconds") s.seconds = std::stod(next());
    else if (a == "--snr") s.snr = std::stod(next());
    else if (a == "--epochs") s.epochs = std::stol(next());
    else if (a == "--folds") s.folds = std::stoi(next());
    else if (a == "--runs") s.runs = std::stoi(next());
    else if (a == "--seed") s.seed = std::stoull(next());
    else throw canon::value_error("04_raposo_demo: unknown option " + a +
                                  " (see the usage line at the top of the source)");
  }
  return s;
}

double seconds_since(std::chrono::steady_clock::time_point start) {
  return std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
}

// The demo's branches: the paper's layout (BN, conv, ReLU; pooling that divides the
// length exactly) with fewer channels and a 16-d output.
canon::raposo::Config demo_config(const Settings& s, std::ostream* log) {
  canon::raposo::Config c;
  c.audio_branch = "conv-3-3-16, mp-3, conv-3-1-16, mp-5, conv-5-1-32, mp-5, conv-5-1-32, mp-7, "
                   "conv-7-1-64, mp-21, conv-1-1-16";
  c.eeg_branch = "conv-3-3-32, mp-5, conv-5-1-32, mp-5, conv-5-1-32, mp-5, conv-1-1-16";
  c.training.epochs = s.epochs;
  c.training.batch_size = 102;
  c.training.min_batch = s.quick ? 16 : 51;
  c.training.seed = s.seed;
  c.training.log = log;
  c.training.log_interval_seconds = 5.0;
  return c;
}

// Handcrafted audio features of one chunk (the default frame feature's statistics over
// the whole chunk): resampled to 16 kHz, VGGish log-mel (64 bands), per band the mean
// and standard deviation over frames: 128 values.
Vector<float> audio_features(const Eigen::Ref<const Eigen::VectorXf>& chunk_22050) {
  const Matrix<double> x16 = canon::signal::resample_poly(
      Matrix<double>(chunk_22050.cast<double>().transpose()), 320, 441);
  const Matrix<double> lm = canon::signal::log_mel<double>(
      canon::signal::mel_spectrogram<double>(x16, canon::signal::vggish_mel_options())[0]);
  Vector<float> f(128);
  const Vector<double> mean = lm.rowwise().mean();
  f.head(64) = mean.cast<float>();
  f.tail(64) = ((lm.colwise() - mean).array().square().rowwise().mean().sqrt()).matrix().cast<float>();
  return f;
}

// Handcrafted EEG features of one chunk: log band power per channel in delta, theta,
// alpha, beta and gamma (0.5 s Hann windows, half overlap, averaged over frames).
Vector<float> eeg_features(const Eigen::Ref<const Eigen::VectorXf>& column, Index channels, double rate) {
  const Matrix<double> x = Eigen::Map<const Eigen::MatrixXf>(column.data(), channels,
                                                             column.size() / channels).cast<double>();
  canon::signal::StftOptions o;
  o.fs = rate;
  o.nperseg = Index(rate / 2);
  const std::vector<canon::signal::Band> bands = {{1, 4}, {4, 7}, {7, 13}, {13, 30}, {31, 50}};
  const auto power = canon::signal::band_power<double>(x, o, bands);
  Vector<float> f(channels * Index(bands.size()));
  for (std::size_t b = 0; b < bands.size(); ++b)
    f.segment(Index(b) * channels, channels) =
        (power[b].rowwise().mean().array() + 1e-12).log().matrix().cast<float>();
  return f;
}

template <class Feature>
Matrix<float> features_of(const Matrix<float>& chunks, Index rows, Feature&& feature) {
  Matrix<float> out(rows, chunks.cols());
  for (Index j = 0; j < chunks.cols(); ++j) out.col(j) = feature(chunks.col(j));
  return out;
}

// Linear CCA on standardised handcrafted features (ridge 0.1 on unit variances: far
// more features than the training chunks can pin down otherwise).
canon::eval::CrossModalScores handcrafted_baseline(const Matrix<float>& audio_train, const Matrix<float>& eeg_train,
                                                   const Matrix<float>& audio_test, const Matrix<float>& eeg_test,
                                                   Index components) {
  canon::data::Standardiser<float> audio_scale, eeg_scale;  // fitted on the training chunks
  canon::cca::LinearCcaOptions o;
  o.ridge1 = o.ridge2 = 0.1;
  o.components = components;
  canon::cca::LinearCCA<float> lcca(o);
  lcca.fit(audio_scale.fit_transform(audio_train), eeg_scale.fit_transform(eeg_train));
  return canon::eval::cross_modal_scores(lcca.transform_first(audio_scale.transform(audio_test)),
                                         lcca.transform_second(eeg_scale.transform(eeg_test)));
}

struct SyntheticData {
  std::vector<canon::raposo::Recording<float>> recordings;
  double ceiling_spatial = 0, ceiling_lead_field = 0;  // means over recordings
};

// One synthetic song per listener; song s uses seed (seed, s) for music and EEG alike.
SyntheticData synthetic_recordings(const Settings& s) {
  SyntheticData d;
  canon::data::SyntheticConfig config;
  config.duration_s = s.seconds;
  config.eeg.snr = s.snr;
  for (int song = 0; song < s.songs; ++song) {
    const auto session = canon::data::synthesize<float>(config, s.seed * 100003 + std::uint64_t(song));
    d.recordings.push_back(canon::raposo::to_recording(session, song, song));
    d.ceiling_spatial += session.ceiling.spatial / s.songs;
    d.ceiling_lead_field += session.ceiling.lead_field / s.songs;
  }
  return d;
}

void write_scores(canon::report::JsonWriter& j, const canon::eval::CrossModalScores& s) {
  j.begin_object();
  j.member("items", long(s.items));
  j.member("chance_mrr", s.chance_mrr);
  j.member("chance_median_rank", s.chance_median_rank);
  j.member("total_correlation", s.total_correlation);
  j.member("correlations", s.correlations);
  for (const auto& [name, r] : {std::pair{"eeg_to_audio", &s.b_to_a}, std::pair{"audio_to_eeg", &s.a_to_b}}) {
    j.key(name).begin_object();
    j.member("mrr", r->mrr);
    j.member("median_rank", r->median_rank);
    std::vector<long> ks(r->ks.begin(), r->ks.end());
    j.member("recall_at", ks);
    j.member("recall", r->recall);
    j.end_object();
  }
  j.end_object();
}

// Recall@k for k = 1..n from ranks.
std::vector<double> recall_curve(const std::vector<Index>& ranks, Index n) {
  std::vector<double> out;
  for (Index k = 1; k <= n; ++k) out.push_back(canon::eval::recall_at(ranks, k));
  return out;
}

}  // namespace

int main(int argc, char** argv) try {
  const Settings s = parse(argc, argv);
  const auto start = std::chrono::steady_clock::now();
  fs::create_directories(s.out);
  std::ostream* log = s.quick ? nullptr : &std::cout;
  std::cout << "canon demo: Raposo et al. 2017 on semi-synthetic data (" << s.songs << " songs x "
            << s.seconds << " s, SNR " << s.snr << "); every number below describes the generator, "
            << "not real EEG\n";

  // 1-2. Data and chunks.
  const SyntheticData synthetic = synthetic_recordings(s);
  const Chunks chunks = canon::raposo::prepare_chunks(synthetic.recordings);
  std::cout << "chunks: " << chunks.size() << " of 1.5 s (audio " << chunks.audio.rows() << ", EEG "
            << chunks.eeg_channels << " x " << chunks.eeg.rows() / chunks.eeg_channels << ") after cleaning, "
            << seconds_since(start) << " s\n";
  const Matrix<float> audio_hand = features_of(chunks.audio, 128, audio_features);
  const Matrix<float> eeg_hand = features_of(chunks.eeg, 80, [&](const auto& c) {
    return eeg_features(c, chunks.eeg_channels, 250.0);
  });

  // 2-3. The protocol; the handcrafted baseline on the same folds.
  const canon::raposo::Config config = demo_config(s, log);
  canon::raposo::ProtocolOptions protocol;
  protocol.folds = s.folds;
  protocol.runs = s.runs;
  protocol.seed = s.seed;
  std::vector<canon::eval::CrossModalScores> baseline;
  std::vector<canon::raposo::FoldReport> reports;
  {
    // The same folds as cross_validate draws (same seed per run, same grouping).
    for (int run = 0; run < s.runs; ++run) {
      canon::Rng rng(protocol.seed + std::uint64_t(run));
      const auto folds = canon::eval::group_k_fold(chunks.song, s.folds, rng);
      for (int f = 0; f < s.folds; ++f) {
        const canon::eval::FoldSplit split = canon::eval::fold_split(folds, f, protocol.validation);
        using canon::columns;
        baseline.push_back(handcrafted_baseline(columns(audio_hand, split.train), columns(eeg_hand, split.train),
                                                columns(audio_hand, split.test), columns(eeg_hand, split.test), 16));
      }
    }
  }
  reports = canon::raposo::cross_validate(chunks, config, protocol, [&](const canon::raposo::FoldReport& r) {
    std::cout << "run " << r.run + 1 << " fold " << r.fold + 1 << ": best epoch " << r.training.best_epoch
              << ", held-out total correlation " << r.test.total_correlation << ", EEG->audio MRR "
              << r.test.b_to_a.mrr << " (chance " << r.test.chance_mrr << ")\n";
  });
  auto mean_of = [](const auto& items, auto get) {
    std::vector<double> v;
    for (const auto& x : items) v.push_back(get(x));
    return canon::eval::summarise(v);
  };
  using Report = canon::raposo::FoldReport;
  using Scores = canon::eval::CrossModalScores;
  const auto dcca_total = mean_of(reports, [](const Report& r) { return r.test.total_correlation; });
  const auto dcca_first = mean_of(reports, [](const Report& r) { return r.test.correlations[0]; });
  const auto dcca_e2a = mean_of(reports, [](const Report& r) { return r.test.b_to_a.mrr; });
  const auto dcca_a2e = mean_of(reports, [](const Report& r) { return r.test.a_to_b.mrr; });
  const auto chance = mean_of(reports, [](const Report& r) { return r.test.chance_mrr; });
  const auto base_total = mean_of(baseline, [](const Scores& b) { return b.total_correlation; });
  const auto base_first = mean_of(baseline, [](const Scores& b) { return b.correlations[0]; });
  const auto base_e2a = mean_of(baseline, [](const Scores& b) { return b.b_to_a.mrr; });
  const auto base_a2e = mean_of(baseline, [](const Scores& b) { return b.a_to_b.mrr; });
  std::printf("\nheld-out chunks, mean (sd) over %zu folds x runs:\n", reports.size());
  std::printf("  %-34s %8s %8s %10s %10s\n", "", "total r", "first r", "EEG->aud", "aud->EEG");
  std::printf("  %-34s %8.3f %8.3f %10.3f %10.3f\n", "Deep CCA (conv branches)", dcca_total.mean,
              dcca_first.mean, dcca_e2a.mean, dcca_a2e.mean);
  std::printf("  %-34s %8.3f %8.3f %10.3f %10.3f\n", "linear CCA, handcrafted features", base_total.mean,
              base_first.mean, base_e2a.mean, base_a2e.mean);
  std::printf("  %-34s %8s %8s %10.3f %10.3f\n", "chance", "0", "0", chance.mean, chance.mean);
  std::printf("  generator ceiling (sample level, one component): spatial %.3f, lead field %.3f\n",
              synthetic.ceiling_spatial, synthetic.ceiling_lead_field);

  // 4. Transfer: song embeddings vs a second view stored as .npy.
  const auto transfer_start = std::chrono::steady_clock::now();
  canon::raposo::Model<float> model(config, s.seed);
  {
    // One model on all chunks but the last fold's songs (held out for validation).
    canon::Rng rng(s.seed);
    const auto folds = canon::eval::group_k_fold(chunks.song, s.folds, rng);
    model.fit(chunks.subset(folds[0].train), chunks.subset(folds[0].test));
  }
  Settings ts = s;
  ts.songs = s.transfer_songs;
  ts.seconds = s.quick ? 6.0 : 15.0;
  ts.seed = s.seed + 7;
  canon::data::SyntheticConfig song_config;
  song_config.duration_s = ts.seconds;
  song_config.eeg.snr = s.snr;
  Matrix<float> song_embedding(model.training_correlations().size(), ts.songs);
  Matrix<float> song_hand(128, ts.songs), tags(4, ts.songs);
  std::vector<int> song_class;
  for (int song = 0; song < ts.songs; ++song) {
    const auto session = canon::data::synthesize<float>(song_config, ts.seed * 100003 + std::uint64_t(song));
    const Chunks c = canon::raposo::prepare_chunks(std::vector{canon::raposo::to_recording(session, song, song)});
    song_embedding.col(song) = model.embed_audio(c.audio).rowwise().mean();
    song_hand.col(song) = features_of(c.audio, 128, audio_features).rowwise().mean();
    // The ground truth a tagger or lyrics model might see: tempo, mode, loudness, brightness.
    tags.col(song) << float((session.tempo_bpm - 110.0) / 30.0), session.major ? 1.0f : -1.0f,
        float((session.loudness_db.mean() + 34.0) / 6.0), float(std::log2(session.brightness_hz.mean() / 650.0));
    song_class.push_back(session.major ? 1 : 0);
  }
  // The second view: a 32-d "text embedding", a random mixture of the tags plus noise,
  // written to .npy and read back as any external embedding would be.
  canon::Rng view_rng(s.seed + 11);
  Matrix<float> mixing(32, 4), noise(32, ts.songs);
  canon::fill_normal(mixing, view_rng);
  canon::fill_normal(noise, view_rng);
  const std::string view_path = (fs::path(s.out) / "second_view.npy").string();
  canon::io::write_npy(view_path, Matrix<float>((mixing * tags + 0.5f * noise).transpose()));
  const Matrix<float> second_view = canon::io::read_npy(view_path).matrix<float>().transpose();
  canon::raposo::TransferConfig transfer;
  transfer.layers = {128, 64, 16};  // the paper's 512-256-128-64 wants far more songs
  transfer.components = 8;
  transfer.dcca = canon::raposo::TransferConfig::top_k(8);
  transfer.training.epochs = s.quick ? 5 : 200;
  transfer.folds = s.quick ? 2 : 5;
  transfer.seed = s.seed;
  const auto learned = canon::raposo::transfer_retrieval(song_embedding, second_view, song_class, transfer);
  const auto handcrafted = canon::raposo::transfer_retrieval(song_hand, second_view, song_class, transfer);
  std::printf("\ntransfer (%d songs, second view from %s), instance / class MRR, song -> view:\n", ts.songs,
              view_path.c_str());
  std::printf("  song embeddings (Deep CCA)      %.3f / %.3f\n", learned.mean.instance_mrr_first_to_second,
              learned.mean.class_mrr_first_to_second);
  std::printf("  handcrafted (log-mel per song)  %.3f / %.3f\n", handcrafted.mean.instance_mrr_first_to_second,
              handcrafted.mean.class_mrr_first_to_second);
  std::printf("  chance                          %.3f / %.3f   (%.1f s)\n", learned.mean.chance_instance_mrr,
              learned.mean.chance_class_mrr, seconds_since(transfer_start));

  // 5. Real recordings, when present.
  std::string data = s.data;
  if (data.empty()) data = CANON_SHARED_DATA_DIR;
  const fs::path real_dir = fs::path(data) / "eeg" / "music-attention";
  std::vector<double> real_mrr;
  Index real_chunks = 0;
  if (!fs::is_directory(real_dir)) {
    std::cout << "\nreal data: skipping, " << real_dir.string() << " is absent\n";
  } else {
    std::vector<canon::raposo::Recording<float>> real;
    int index = 0;
    for (const auto& entry : fs::directory_iterator(real_dir)) {
      if (entry.path().extension() != ".edf") continue;
      const auto pair = canon::io::read_aux_pair(entry.path().string(), "AUX69");
      canon::raposo::Recording<float> r;
      r.audio = pair.audio.cast<float>();
      r.audio_rate = pair.eeg.sample_rate;
      r.eeg = pair.eeg.data.topRows(chunks.eeg_channels).cast<float>();  // the first 16 electrodes
      r.eeg_rate = pair.eeg.sample_rate;
      r.song = r.subject = index++;
      real.push_back(std::move(r));
    }
    canon::raposo::ChunkingOptions o;
    o.chunks.hop_seconds = 0.5;  // 2 s and 6 s trials: overlapping chunks give 12
    const Chunks rc = canon::raposo::prepare_chunks(real, o);
    real_chunks = rc.size();
    const auto scores = canon::eval::cross_modal_scores(model.embed_audio(rc.audio), model.embed_eeg(rc.eeg));
    real_mrr = {scores.b_to_a.mrr, scores.a_to_b.mrr, scores.chance_mrr};
    std::printf("\nreal data (%s): %zu recordings, %ld chunks (0.5 s hop) cleaned and embedded by the "
                "synthetic-trained model; EEG->audio MRR %.3f, audio->EEG %.3f, chance %.3f. Too few "
                "chunks to mean anything: this shows the pipeline runs on real files.\n",
                real_dir.c_str(), real.size(), long(rc.size()), real_mrr[0], real_mrr[1], real_mrr[2]);
  }

  // Report and plots.
  const std::string json_path = (fs::path(s.out) / "report.json").string();
  canon::write_file_atomically(json_path, [&](std::ostream& out) {
    canon::report::JsonWriter j(out);
    j.begin_object();
    j.member("what", "Raposo et al. 2017 pipeline on canon's semi-synthetic data (not real EEG)");
    j.key("settings").begin_object();
    j.member("songs", s.songs).member("seconds", s.seconds).member("snr", s.snr).member("epochs", s.epochs);
    j.member("folds", s.folds).member("runs", s.runs).member("seed", long(s.seed));
    j.member("audio_branch", config.audio_branch).member("eeg_branch", config.eeg_branch);
    j.end_object();
    j.member("chunks", long(chunks.size()));
    j.key("ceiling").begin_object();
    j.member("spatial", synthetic.ceiling_spatial).member("lead_field", synthetic.ceiling_lead_field);
    j.end_object();
    j.key("folds").begin_array();
    for (std::size_t i = 0; i < reports.size(); ++i) {
      j.begin_object();
      j.member("run", reports[i].run).member("fold", reports[i].fold);
      j.member("best_epoch", reports[i].training.best_epoch);
      j.member("training_correlations", reports[i].training_correlations);
      j.key("deep_cca");
      write_scores(j, reports[i].test);
      j.key("handcrafted_linear_cca");
      write_scores(j, baseline[i]);
      j.end_object();
    }
    j.end_array();
    j.key("transfer").begin_object();
    for (const auto& [name, t] : {std::pair{"song_embeddings", &learned}, std::pair{"handcrafted", &handcrafted}}) {
      j.key(name).begin_object();
      j.member("instance_mrr_song_to_view", t->mean.instance_mrr_first_to_second);
      j.member("instance_mrr_view_to_song", t->mean.instance_mrr_second_to_first);
      j.member("class_mrr_song_to_view", t->mean.class_mrr_first_to_second);
      j.member("class_mrr_view_to_song", t->mean.class_mrr_second_to_first);
      j.member("chance_instance_mrr", t->mean.chance_instance_mrr);
      j.member("chance_class_mrr", t->mean.chance_class_mrr);
      j.end_object();
    }
    j.end_object();
    j.key("real_data").begin_object();
    j.member("present", !real_mrr.empty()).member("chunks", long(real_chunks));
    if (!real_mrr.empty())
      j.member("eeg_to_audio_mrr", real_mrr[0]).member("audio_to_eeg_mrr", real_mrr[1]).member("chance_mrr", real_mrr[2]);
    j.end_object();
    j.member("seconds", seconds_since(start));
    j.end_object();
    out << "\n";
  });

  // Canonical correlation per component on held-out chunks (first fold).
  canon::report::Chart correlations;
  correlations.kind = canon::report::Chart::Kind::bars;
  correlations.title = "Canonical correlations per component, held-out chunks (fold 1)";
  correlations.x_label = "component";
  correlations.y_label = "correlation";
  auto component_series = [](std::string label, const std::vector<double>& values) {
    canon::report::Series series{std::move(label), {}, values};
    for (std::size_t i = 0; i < values.size(); ++i) series.x.push_back(double(i + 1));
    return series;
  };
  correlations.series.push_back(component_series("Deep CCA, held out", reports[0].test.correlations));
  correlations.series.push_back(component_series("Deep CCA, training", reports[0].training_correlations));
  correlations.series.push_back(component_series("handcrafted LCCA, held out", baseline[0].correlations));
  correlations.references.push_back({"generator ceiling (sample level)", synthetic.ceiling_spatial});
  const std::string correlations_path = (fs::path(s.out) / "correlations.svg").string();
  canon::report::write_svg(correlations, correlations_path);

  // Retrieval curve: recall@k of EEG -> audio on held-out chunks (fold 1).
  canon::report::Chart retrieval;
  retrieval.title = "EEG -> audio chunk retrieval, held-out chunks (fold 1)";
  retrieval.x_label = "k";
  retrieval.y_label = "recall@k";
  const Index n = reports[0].test.items;
  std::vector<double> ks, chance_curve;
  for (Index k = 1; k <= n; ++k) {
    ks.push_back(double(k));
    chance_curve.push_back(double(k) / double(n));
  }
  retrieval.series.push_back({"Deep CCA", ks, recall_curve(reports[0].test.b_to_a.ranks, n)});
  retrieval.series.push_back({"handcrafted LCCA", ks, recall_curve(baseline[0].b_to_a.ranks, n)});
  retrieval.series.push_back({"chance", ks, chance_curve});
  const std::string retrieval_path = (fs::path(s.out) / "retrieval.svg").string();
  canon::report::write_svg(retrieval, retrieval_path);

  std::cout << "\nwrote " << fs::absolute(json_path).string() << "\n      "
            << fs::absolute(correlations_path).string() << "\n      " << fs::absolute(retrieval_path).string()
            << "\ntotal " << seconds_since(start) << " s\n";
  return 0;
} catch (const std::exception& e) {
  std::cerr << "04_raposo_demo: " << e.what() << "\n";
  return 1;
}
