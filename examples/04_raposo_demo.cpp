// 04_raposo_demo — Raposo et al. 2017 end to end, in a few minutes on 2 cores.
//
//  1. Semi-synthetic recordings (canon/data/synthetic.hpp): one synthetic song per
//     listener, EEG with two stimulus-driven components of different topographies: an
//     evoked response that follows the song's envelope (fronto-central) and beta
//     activity at both temporal sites whose left-right synchrony is tuned to the song's
//     brightness (--brightness-coding amplitude: its power instead).
//     Every number from this part describes the generator's planted effect, never real data.
//  2. The paper's pipeline: cleaning, 1.5 s chunks, two convolutional branches (narrower
//     than the paper's so that it runs in minutes; the paper's strings are the default
//     of raposo::Config), Deep CCA, Adam, validation each epoch, linear CCA, k folds over
//     songs x runs (a run = new folds and new initial weights: the seed's share of the spread).
//  3. Held-out chunk retrieval (EEG -> audio, audio -> EEG) and canonical correlations,
//     next to chance, next to linear CCA on handcrafted features (log-mel statistics of
//     the audio chunk; log band power of the EEG chunk) and next to a known-model
//     reference per planted component (what a detector that knows the lead field, the
//     band and the drive reaches on the same chunks).
//  4. The transfer protocol: song embeddings (mean of chunk embeddings) as audio features
//     for a second Deep CCA against a second view read from a .npy file, with the
//     handcrafted baseline (log-mel statistics averaged per song).
//  5. When ../shared/data/eeg/music-attention/ exists: the real recordings (music on
//     AUX69, 2048 Hz) through the same cleaning and chunking, embedded by the model.
// Writes report.json, correlations.svg, retrieval.svg and loss.svg to the output folder.
//
// Usage: 04_raposo_demo [--quick] [--out DIR] [--data DIR] [--songs N] [--seconds S]
//                       [--snr X] [--brightness-snr X] [--brightness-coding synchrony|amplitude]
//                       [--epochs E] [--folds K] [--runs R]
//                       [--seed S] [--objective trace|frobenius|top-K] [--lr X]
//                       [--transfer-songs N]   (0 skips the transfer protocol and the real data)
#include <canon/core/atomic_file.hpp>
#include <canon/core/columns.hpp>
#include <canon/data/standardise.hpp>
#include <canon/io/edf.hpp>
#include <canon/io/npy.hpp>
#include <canon/models/raposo.hpp>
#include <canon/report/json.hpp>
#include <canon/report/machine.hpp>
#include <canon/report/svg_plot.hpp>
#include <canon/signal/mel.hpp>
#include <canon/signal/stft.hpp>
#include <canon/version.hpp>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <map>
#include <memory>

namespace fs = std::filesystem;
using canon::Index;
using canon::Matrix;
using canon::Vector;
using Chunks = canon::raposo::ChunkSet<float>;
using Scores = canon::eval::CrossModalScores;
using Summary = canon::eval::Summary;
using canon::eval::summarise;

namespace {

struct Settings {
  bool quick = false;
  std::string out = "canon-demo";
  std::string data;  // ../shared/data by default, found relative to the source tree
  int songs = 40;
  double seconds = 30.0;
  double snr = 0.5;
  double brightness_snr = 0.5;
  std::string brightness_coding = "synchrony";  // or "amplitude" (band power follows R)
  long epochs = 20;
  int folds = 5;
  int runs = 1;  // --runs 3: the spread over seeds (each run = new folds and weights)
  std::uint64_t seed = 1;
  int transfer_songs = 150;
  std::string objective = "trace";
  double learning_rate = 1e-3;
};

// What --help prints; the defaults are those of Settings above.
constexpr const char* usage =
    "usage: 04_raposo_demo [options]   (Raposo et al. 2017 end to end; docs/raposo.md)\n"
    "  --quick                   the ctest run: 8 songs of 12 s, 2 epochs, 2 folds, 24 transfer songs\n"
    "  --out DIR                 report.json and figures (default canon-demo)\n"
    "  --data DIR                the shared data folder (default ../shared/data beside the sources)\n"
    "  --songs N                 synthetic songs, one listener each (default 40)\n"
    "  --seconds S               length of each song (default 30)\n"
    "  --snr X                   signal-to-noise ratio of the envelope response (default 0.5)\n"
    "  --brightness-snr X        the same for the brightness component; 0 leaves it out (default 0.5)\n"
    "  --brightness-coding C     synchrony (left-right beta synchrony) or amplitude (default synchrony)\n"
    "  --epochs E                training epochs, early stopping on the validation fold (default 20)\n"
    "  --folds K                 folds over songs (default 5)\n"
    "  --runs R                  runs of new folds and weights, for the seed's share of the spread (default 1)\n"
    "  --seed S                  seed of the data, the folds and the weights (default 1)\n"
    "  --objective O             trace, frobenius or top-K, e.g. top-2 (default trace)\n"
    "  --lr X                    Adam's learning rate (default 0.001)\n"
    "  --transfer-songs N        songs of the transfer protocol; 0 skips it and the real data (default 150)\n";

Settings parse(int argc, char** argv) {
  Settings s;
  for (int i = 1; i < argc; ++i) {
    const std::string a = argv[i];
    if (a == "--help" || a == "-h") {
      std::fputs(usage, stdout);
      std::exit(0);
    }
    auto next = [&]() -> std::string {
      if (i + 1 >= argc) throw canon::value_error(a + " needs a value");
      return argv[++i];
    };
    if (a == "--quick") {
      s.quick = true;
      s.songs = 8;
      s.seconds = 12.0;
      s.epochs = 2;
      s.folds = 2;
      s.runs = 1;
      s.transfer_songs = 24;
    } else if (a == "--out") s.out = next();
    else if (a == "--data") s.data = next();
    else if (a == "--songs") s.songs = std::stoi(next());
    else if (a == "--seconds") s.seconds = std::stod(next());
    else if (a == "--snr") s.snr = std::stod(next());
    else if (a == "--brightness-snr") s.brightness_snr = std::stod(next());
    else if (a == "--brightness-coding") s.brightness_coding = next();
    else if (a == "--epochs") s.epochs = std::stol(next());
    else if (a == "--folds") s.folds = std::stoi(next());
    else if (a == "--runs") s.runs = std::stoi(next());
    else if (a == "--seed") s.seed = std::stoull(next());
    else if (a == "--objective") s.objective = next();
    else if (a == "--lr") s.learning_rate = std::stod(next());
    else if (a == "--transfer-songs") s.transfer_songs = std::stoi(next());
    else throw canon::value_error("unknown option " + a + " (--help lists the options)");
  }
  return s;
}

double seconds_since(std::chrono::steady_clock::time_point start) {
  return std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
}

// "trace", "frobenius" or "top-K".
canon::loss::DccaOptions objective_of(const std::string& name) {
  canon::loss::DccaOptions o;
  if (name == "trace") return o;
  if (name == "frobenius") {
    o.objective = canon::loss::DccaObjective::frobenius;
    return o;
  }
  if (name.rfind("top-", 0) == 0) {
    o.objective = canon::loss::DccaObjective::top_k;
    o.k = std::stol(name.substr(4));
    return o;
  }
  throw canon::value_error("04_raposo_demo: --objective is trace, frobenius or top-K, got " + name);
}

canon::data::BrightnessCoding coding_of(const std::string& name) {
  if (name == "amplitude") return canon::data::BrightnessCoding::amplitude;
  if (name == "synchrony") return canon::data::BrightnessCoding::synchrony;
  throw canon::value_error("04_raposo_demo: --brightness-coding is amplitude or synchrony, got " + name);
}

// The demo's branches: the paper's layout (BN, conv, ReLU; pooling that divides the
// length exactly) with fewer channels and a 16-d output.
canon::raposo::Config demo_config(const Settings& s, std::ostream* log) {
  canon::raposo::Config c;
  c.audio_branch = "conv-3-3-16, mp-3, conv-3-1-16, mp-5, conv-5-1-32, mp-5, conv-5-1-32, mp-7, "
                   "conv-7-1-64, mp-21, conv-1-1-16";
  c.eeg_branch = "conv-3-3-32, mp-5, conv-5-1-32, mp-5, conv-5-1-32, mp-5, conv-1-1-16";
  c.dcca = objective_of(s.objective);
  c.adam.learning_rate = s.learning_rate;
  c.training.epochs = s.epochs;
  c.training.batch_size = 102;
  c.training.min_batch = s.quick ? 16 : 51;
  c.training.seed = s.seed;
  c.training.log = log;
  c.training.log_interval_seconds = 10.0;
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

// Mean log band power per row of x (rows x samples at `rate`): 0.5 s Hann frames, half overlap.
std::vector<Vector<double>> log_band_power(const Matrix<double>& x, double rate,
                                           const std::vector<canon::signal::Band>& bands) {
  canon::signal::StftOptions o;
  o.fs = rate;
  o.nperseg = Index(rate / 2);
  const auto power = canon::signal::band_power<double>(x, o, bands);
  std::vector<Vector<double>> out;
  for (const auto& p : power) out.push_back((p.rowwise().mean().array() + 1e-12).log().matrix());
  return out;
}

// Handcrafted EEG features of one chunk: log band power per channel in delta, theta,
// alpha, beta and gamma.
Vector<float> eeg_features(const Eigen::Ref<const Eigen::VectorXf>& column, Index channels, double rate) {
  const Matrix<double> x = Eigen::Map<const Eigen::MatrixXf>(column.data(), channels,
                                                             column.size() / channels).cast<double>();
  const std::vector<canon::signal::Band> bands = {{1, 4}, {4, 7}, {7, 13}, {13, 30}, {31, 50}};
  const auto power = log_band_power(x, rate, bands);
  Vector<float> f(channels * Index(bands.size()));
  for (std::size_t b = 0; b < bands.size(); ++b) f.segment(Index(b) * channels, channels) = power[b].cast<float>();
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
struct Baseline {
  Scores scores;
  Eigen::MatrixXd eeg_embedding;  // components x test chunks
};
Baseline handcrafted_baseline(const Matrix<float>& audio_train, const Matrix<float>& eeg_train,
                              const Matrix<float>& audio_test, const Matrix<float>& eeg_test, Index components) {
  canon::data::Standardiser<float> audio_scale, eeg_scale;  // fitted on the training chunks
  canon::cca::LinearCcaOptions o;
  o.ridge1 = o.ridge2 = 0.1;
  o.components = components;
  canon::cca::LinearCCA<float> lcca(o);
  lcca.fit(audio_scale.fit_transform(audio_train), eeg_scale.fit_transform(eeg_train));
  const Matrix<float> z_eeg = lcca.transform_second(eeg_scale.transform(eeg_test));
  return {canon::eval::cross_modal_scores(lcca.transform_first(audio_scale.transform(audio_test)), z_eeg),
          z_eeg.cast<double>()};
}

// A planted component: its name, sample-level ceiling (best spatial filter) and the
// known-model reference at the chunk level (below).
struct Component {
  std::string name;
  double sample_ceiling = 0;
  double chunk_reference = 0;
  std::vector<double> audio_truth, eeg_detector;  // per chunk, in chunk order
};

// A per-chunk list seen as an Eigen vector, for eval::pearson.
Eigen::Map<const Eigen::VectorXd> as_vector(const std::vector<double>& v) {
  return Eigen::Map<const Eigen::VectorXd>(v.data(), Index(v.size()));
}

struct SyntheticData {
  std::vector<canon::raposo::Recording<float>> recordings;
  std::vector<Component> components;
  double truth_correlation = 0;  // between the two components' audio truths, over chunks (0 with one)
};

// One synthetic song per listener; song s uses seed (seed, s) for music and EEG alike.
// Per component and 1.5 s chunk: the truth a model of the audio could know (log RMS of
// the envelope response, log mean square of the brightness drive) and a detector that
// knows the EEG side (log band power of the EEG projected on the true lead field, in the
// component's band: 1-12 Hz for the evoked response, 15-25 Hz for the beta carrier). Their
// correlation over chunks is the known-model reference: not a bound (a network can filter
// better), but the number to read a component's held-out correlation against.
SyntheticData synthetic_recordings(const Settings& s) {
  SyntheticData d;
  canon::data::SyntheticConfig config;
  config.duration_s = s.seconds;
  config.eeg.snr = s.snr;
  config.eeg.brightness_snr = s.brightness_snr;
  config.eeg.brightness_coding = coding_of(s.brightness_coding);
  for (const char* name : {"envelope response (fronto-central)", s.brightness_coding == "synchrony"
                                                                      ? "brightness-tuned beta synchrony (temporal)"
                                                                      : "brightness-tuned beta power (temporal)"}) {
    d.components.emplace_back();
    d.components.back().name = name;
  }
  if (s.brightness_snr <= 0) d.components.pop_back();
  const Index chunk = 375;  // 1.5 s at 250 Hz: the generator's rate is the branch's rate
  for (int song = 0; song < s.songs; ++song) {
    const auto session = canon::data::synthesize<float>(config, s.seed * 100003 + std::uint64_t(song));
    d.recordings.push_back(canon::raposo::to_recording(session, song, song));
    const Matrix<double> eeg = session.eeg.cast<double>();
    // What the audio determines: the envelope response s(t) and the brightness drive R(t).
    const Vector<double> truths[2] = {session.source.cast<double>(), session.brightness_drive.cast<double>()};
    const Vector<double> leads[2] = {session.lead_field.cast<double>(), session.brightness_lead_field.cast<double>()};
    const canon::signal::Band bands[2] = {{1, 12}, {15, 25}};
    const double ceilings[2] = {session.ceiling.spatial, session.brightness_ceiling.spatial};
    for (std::size_t k = 0; k < d.components.size(); ++k) {
      auto& c = d.components[k];
      c.sample_ceiling += ceilings[k] / s.songs;
      for (Index j = 0; (j + 1) * chunk <= eeg.cols(); ++j) {
        const Vector<double> truth = truths[k].segment(j * chunk, chunk);
        c.audio_truth.push_back(std::log(truth.squaredNorm() / double(chunk) + 1e-12));
        const Matrix<double> projected = leads[k].transpose() * eeg.middleCols(j * chunk, chunk);
        c.eeg_detector.push_back(log_band_power(projected, session.eeg_rate, {bands[k]})[0](0));
      }
    }
  }
  for (auto& c : d.components) c.chunk_reference = canon::eval::pearson(as_vector(c.audio_truth), as_vector(c.eeg_detector));
  if (d.components.size() == 2)
    d.truth_correlation = canon::eval::pearson(as_vector(d.components[0].audio_truth), as_vector(d.components[1].audio_truth));
  return d;
}

void write_scores(canon::report::JsonWriter& j, const Scores& s) {
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

void write_summary(canon::report::JsonWriter& j, const char* name, const Summary& s) {
  j.key(name).begin_object().member("mean", s.mean).member("sd", s.sd).end_object();
}

template <class Items, class Get>
Summary summary_of(const Items& items, Get get) {
  std::vector<double> v;
  for (const auto& x : items) v.push_back(get(x));
  return summarise(v);
}

// How well a held-out EEG embedding carries a planted component: the largest |r| between
// one of its components and what the audio determines of the planted one (Component::
// audio_truth) over the test chunks. A component the method missed scores near the chance
// level of a maximum of |r| over 16 components of n chunks: E max_k |z_k| / sqrt(n) =
// 2.08 / sqrt(n) for 16 independent standard normals (0.16 for 160 chunks).
// With `other` (the other planted component's truth), the partial correlation given it:
// r_xt.o = (r_xt - r_xo r_to) / sqrt((1 - r_xo^2)(1 - r_to^2)), because the two truths
// correlate over chunks and a method that finds one shows part of the other.
struct Recovery {
  double plain = 0, partial = 0;  // partial stays 0 without another component
};
Recovery recovered(const Eigen::MatrixXd& eeg_embedding, const std::vector<Index>& test, const std::vector<double>& truth,
                   const std::vector<double>* other) {
  const auto at_test = [&](const std::vector<double>& v) {
    Eigen::VectorXd t(Index(test.size()));
    for (std::size_t i = 0; i < test.size(); ++i) t(Index(i)) = v[std::size_t(test[i])];
    return t;
  };
  using canon::eval::pearson;
  const Eigen::VectorXd t = at_test(truth);
  const Eigen::VectorXd o = other ? at_test(*other) : Eigen::VectorXd();
  const double r_to = other ? pearson(t, o) : 0.0;
  Recovery best;
  for (Index k = 0; k < eeg_embedding.rows(); ++k) {
    const Eigen::VectorXd x = eeg_embedding.row(k).transpose();
    const double r = pearson(x, t);
    best.plain = std::max(best.plain, std::abs(r));
    if (!other) continue;
    const double r_xo = pearson(x, o);
    best.partial = std::max(best.partial, std::abs((r - r_xo * r_to) / std::sqrt((1 - r_xo * r_xo) * (1 - r_to * r_to))));
  }
  return best;
}

// The numbers of a method per fold: the five scores, and per planted component its recovery.
struct Method {
  std::vector<double> total, first, second, e2a, a2e;
  std::vector<std::vector<double>> recovered, partial;  // per planted component, per fold
  void add(const Scores& s) {
    total.push_back(s.total_correlation);
    first.push_back(s.correlations.at(0));
    second.push_back(s.correlations.size() > 1 ? s.correlations[1] : 0.0);
    e2a.push_back(s.b_to_a.mrr);
    a2e.push_back(s.a_to_b.mrr);
  }
};

// The spread of run means: how much of the spread is the seed rather than the fold.
Summary over_runs(const std::vector<double>& per_fold, int runs) {
  const std::size_t folds = per_fold.size() / std::size_t(runs);
  std::vector<double> means;
  for (int r = 0; r < runs; ++r) {
    double m = 0;
    for (std::size_t f = 0; f < folds; ++f) m += per_fold[std::size_t(r) * folds + f] / double(folds);
    means.push_back(m);
  }
  return summarise(means);
}

// Mean and sd over folds, per index, of a quantity each fold has a list of (component
// correlations, losses per epoch); folds with shorter lists count where they have values.
void mean_and_sd(const std::vector<std::vector<double>>& lists, std::vector<double>& mean, std::vector<double>& sd) {
  std::size_t longest = 0;
  for (const auto& l : lists) longest = std::max(longest, l.size());
  mean.assign(longest, 0.0);
  sd.assign(longest, 0.0);
  for (std::size_t i = 0; i < longest; ++i) {
    std::vector<double> v;
    for (const auto& l : lists)
      if (i < l.size()) v.push_back(l[i]);
    const Summary s = summarise(v);
    mean[i] = s.mean;
    sd[i] = s.sd;
  }
}

std::string mean_sd(const Summary& s) {
  char b[48];
  std::snprintf(b, sizeof b, "%.3f (%.3f)", s.mean, s.sd);
  return b;
}

// "yes" when the paired per-fold difference a - b is positive on average by more than
// its standard error; the numbers behind it follow.
std::string verdict(const char* what, const std::vector<double>& a, const std::vector<double>& b) {
  std::vector<double> d;
  for (std::size_t i = 0; i < a.size(); ++i) d.push_back(a[i] - b[i]);
  const Summary s = summarise(d);
  const double se = d.size() > 1 ? s.sd / std::sqrt(double(d.size())) : 0.0;
  int wins = 0;
  for (double x : d) wins += x > 0;
  char out[200];
  std::snprintf(out, sizeof out, "%s: %s (paired difference %+.3f, sd %.3f, better on %d of %zu folds)", what,
                s.mean > se ? "yes" : s.mean > 0 ? "not clearly" : "no", s.mean, s.sd, wins, d.size());
  return out;
}

// The transfer protocol's outcome: per fold of every run, song -> view MRR.
struct TransferOutcome {
  int runs = 0;
  canon::raposo::TransferConfig config;
  std::vector<double> learned_instance, learned_class, hand_instance, hand_class;
  double chance_instance = 0, chance_class = 0;
  std::string verdict;
  std::unique_ptr<canon::raposo::Model<float>> first_model;  // run 1's, also for the real data
};

TransferOutcome run_transfer(const Settings& s, const canon::raposo::Config& config, const Chunks& chunks,
                             std::ostream* log) {
  TransferOutcome o;
  const auto transfer_start = std::chrono::steady_clock::now();
  const int transfer_runs = o.runs = s.quick ? 1 : s.runs;
  std::printf("\ntransfer: %d further songs of %.0f s, one model per run trained on all chunks but a "
              "validation fold\n", s.transfer_songs, s.quick ? 6.0 : 15.0);
  canon::data::SyntheticConfig song_config;
  song_config.duration_s = s.quick ? 6.0 : 15.0;
  song_config.eeg.snr = s.snr;
  song_config.eeg.brightness_snr = s.brightness_snr;
  song_config.eeg.brightness_coding = coding_of(s.brightness_coding);
  const std::uint64_t song_seed = s.seed + 7;
  Matrix<float> song_audio_hand(128, s.transfer_songs), tags(4, s.transfer_songs);
  std::vector<Matrix<float>> song_chunks;
  std::vector<int> song_class;
  for (int song = 0; song < s.transfer_songs; ++song) {
    // Audio only: the EEG of these songs is never used, so it is not cleaned.
    const auto session = canon::data::synthesize<float>(song_config, song_seed * 100003 + std::uint64_t(song));
    canon::raposo::ChunkingOptions audio_only;
    audio_only.clean_eeg = false;
    const Chunks c = canon::raposo::prepare_chunks(
        std::vector{canon::raposo::to_recording(session, song, song)}, audio_only);
    song_chunks.push_back(c.audio);
    song_audio_hand.col(song) = features_of(c.audio, 128, audio_features).rowwise().mean();
    // The ground truth a tagger or lyrics model might see: tempo, mode, loudness, brightness.
    tags.col(song) << float((session.tempo_bpm - 110.0) / 30.0), session.major ? 1.0f : -1.0f,
        float((session.loudness_db.mean() + 34.0) / 6.0), float(std::log2(session.brightness_hz.mean() / 650.0));
    song_class.push_back(session.major ? 1 : 0);
    if (log && (song + 1) % 50 == 0)
      std::printf("  %d of %d songs synthesised and featurised, %.0f s\n", song + 1, s.transfer_songs,
                  seconds_since(transfer_start));
  }
  // The second view: a 32-d "text embedding", a random mixture of the tags plus noise,
  // written to .npy and read back as any external embedding would be.
  canon::Rng view_rng(s.seed + 11);
  Matrix<float> mixing(32, 4), noise(32, s.transfer_songs);
  canon::fill_normal(mixing, view_rng);
  canon::fill_normal(noise, view_rng);
  const std::string view_path = (fs::path(s.out) / "second_view.npy").string();
  canon::io::write_npy(view_path, Matrix<float>((mixing * tags + 0.5f * noise).transpose()));
  const Matrix<float> second_view = canon::io::read_npy(view_path).matrix<float>().transpose();
  canon::raposo::TransferConfig& transfer = o.config;
  transfer.layers = {128, 64, 16};  // the paper's 512-256-128-64 wants far more songs
  transfer.components = 8;
  transfer.dcca = canon::raposo::TransferConfig::top_k(8);
  transfer.training.epochs = s.quick ? 5 : 200;
  transfer.folds = s.quick ? 2 : 5;
  transfer.seed = s.seed;
  std::vector<canon::raposo::TransferReport> learned;
  for (int run = 0; run < transfer_runs; ++run) {
    canon::raposo::Config run_config = config;
    run_config.training.seed = s.seed + 1000 * std::uint64_t(run);
    run_config.training.log = nullptr;
    auto trained = std::make_unique<canon::raposo::Model<float>>(run_config, s.seed + 1000 * std::uint64_t(run));
    auto& model = *trained;
    canon::Rng rng(s.seed + std::uint64_t(run));
    const auto folds = canon::eval::group_k_fold(chunks.song, s.folds, rng);
    model.fit(chunks.subset(folds[0].train), chunks.subset(folds[0].test));
    Matrix<float> song_embedding(model.training_correlations().size(), s.transfer_songs);
    for (int song = 0; song < s.transfer_songs; ++song)
      song_embedding.col(song) = model.embed_audio(song_chunks[std::size_t(song)]).rowwise().mean();
    learned.push_back(canon::raposo::transfer_retrieval(song_embedding, second_view, song_class, transfer));
    if (run == 0) o.first_model = std::move(trained);
    if (log)
      std::printf("  run %d of %d: model trained, song embeddings through the transfer folds, %.0f s\n", run + 1,
                  transfer_runs, seconds_since(transfer_start));
  }
  const auto handcrafted = canon::raposo::transfer_retrieval(song_audio_hand, second_view, song_class, transfer);
  // Per fold of every run: instance and class MRR, song -> view.
  auto &learned_instance = o.learned_instance, &learned_class = o.learned_class;
  auto &hand_instance = o.hand_instance, &hand_class = o.hand_class;
  for (const auto& t : learned)
    for (const auto& f : t.folds) {
      learned_instance.push_back(f.instance_mrr_first_to_second);
      learned_class.push_back(f.class_mrr_first_to_second);
    }
  for (int run = 0; run < transfer_runs; ++run)  // the same folds each run: the pairing holds
    for (const auto& f : handcrafted.folds) {
      hand_instance.push_back(f.instance_mrr_first_to_second);
      hand_class.push_back(f.class_mrr_first_to_second);
    }
  std::printf("transfer (%d songs, second view from %s), song -> view MRR, mean (sd) over %zu folds x runs:\n",
              s.transfer_songs, view_path.c_str(), learned_instance.size());
  std::printf("  %-34s %15s %15s\n", "", "instance", "class");
  std::printf("  %-34s %15s %15s\n", "song embeddings (Deep CCA)", mean_sd(summarise(learned_instance)).c_str(),
              mean_sd(summarise(learned_class)).c_str());
  std::printf("  %-34s %15s %15s\n", "handcrafted (log-mel per song)", mean_sd(summarise(hand_instance)).c_str(),
              mean_sd(summarise(hand_class)).c_str());
  std::printf("  %-34s %15.3f %15.3f   (%.0f s)\n", "chance", handcrafted.mean.chance_instance_mrr,
              handcrafted.mean.chance_class_mrr, seconds_since(transfer_start));
  o.chance_instance = handcrafted.mean.chance_instance_mrr;
  o.chance_class = handcrafted.mean.chance_class_mrr;
  o.verdict =
      verdict("song embeddings beat the handcrafted features on instance MRR", learned_instance, hand_instance);
  std::cout << "  " << o.verdict << "\n";
  return o;

}

}  // namespace

int main(int argc, char** argv) try {
  const Settings s = parse(argc, argv);
  const auto start = std::chrono::steady_clock::now();
  fs::create_directories(s.out);
  std::ostream* log = s.quick ? nullptr : &std::cout;
  const canon::report::Machine machine = canon::report::this_machine();
  std::cout << "canon " << canon::version << " demo: Raposo et al. 2017 on semi-synthetic data (" << s.songs
            << " songs x " << s.seconds << " s, envelope SNR " << s.snr << ", brightness SNR " << s.brightness_snr
            << " coded as " << s.brightness_coding
            << "); every number below describes the generator, not real EEG\n"
            << "machine: " << machine.cpu << ", " << machine.instructions << ", " << machine.threads
            << " thread(s)\n";

  // 1-2. Data and chunks.
  const SyntheticData synthetic = synthetic_recordings(s);
  const Chunks chunks = canon::raposo::prepare_chunks(synthetic.recordings);
  if (chunks.size() != Index(synthetic.components.front().audio_truth.size()))
    throw std::logic_error("04_raposo_demo: the references count " +
                           std::to_string(synthetic.components.front().audio_truth.size()) + " chunks, prepare_chunks " +
                           std::to_string(chunks.size()));
  std::cout << "chunks: " << chunks.size() << " of 1.5 s (audio " << chunks.audio.rows() << ", EEG "
            << chunks.eeg_channels << " x " << chunks.eeg.rows() / chunks.eeg_channels << ") after cleaning, "
            << seconds_since(start) << " s\n";
  for (const auto& c : synthetic.components)
    std::printf("planted: %-36s sample-level ceiling %.3f, chunk-level known-model reference %.3f\n", c.name.c_str(),
                c.sample_ceiling, c.chunk_reference);
  if (synthetic.components.size() == 2)
    std::printf("planted: the two components' audio-side truths correlate r = %.3f over chunks\n",
                synthetic.truth_correlation);
  const Matrix<float> audio_hand = features_of(chunks.audio, 128, audio_features);
  const Matrix<float> eeg_hand = features_of(chunks.eeg, 80, [&](const auto& c) {
    return eeg_features(c, chunks.eeg_channels, 250.0);
  });

  // 2-3. The protocol; the handcrafted baseline on the same folds (the same seed per run
  // and the same grouping as cross_validate).
  const canon::raposo::Config config = demo_config(s, log);
  canon::raposo::ProtocolOptions protocol;
  protocol.folds = s.folds;
  protocol.runs = s.runs;
  protocol.seed = s.seed;
  std::vector<Scores> baseline;
  std::vector<Eigen::MatrixXd> baseline_eeg;
  std::vector<std::vector<Index>> baseline_test;
  for (int run = 0; run < s.runs; ++run) {
    canon::Rng rng(protocol.seed + std::uint64_t(run));
    const auto folds = canon::eval::group_k_fold(chunks.song, s.folds, rng);
    for (int f = 0; f < s.folds; ++f) {
      const canon::eval::FoldSplit split = canon::eval::fold_split(folds, f, protocol.validation);
      using canon::columns;
      Baseline b = handcrafted_baseline(columns(audio_hand, split.train), columns(eeg_hand, split.train),
                                        columns(audio_hand, split.test), columns(eeg_hand, split.test), 16);
      baseline.push_back(std::move(b.scores));
      baseline_eeg.push_back(std::move(b.eeg_embedding));
      baseline_test.push_back(split.test);
    }
  }
  std::cout << "\n" << s.runs << " run(s) x " << s.folds << " folds; runs and folds are counted from 1 here and in "
            << "report.json\n";
  const auto protocol_start = std::chrono::steady_clock::now();
  const std::vector<canon::raposo::FoldReport> reports = canon::raposo::cross_validate(
      chunks, config, protocol,
      [&](const canon::raposo::FoldReport& r) {
        std::printf("  held out: total r %.3f, first r %.3f, EEG->audio MRR %.3f (chance %.3f); handcrafted %.3f / "
                    "%.3f / %.3f; best epoch %ld, %.0f s so far\n",
                    r.test.total_correlation, r.test.correlations[0], r.test.b_to_a.mrr, r.test.chance_mrr,
                    baseline[std::size_t(r.run * s.folds + r.fold)].total_correlation, baseline[std::size_t(r.run * s.folds + r.fold)].correlations[0],
                    baseline[std::size_t(r.run * s.folds + r.fold)].b_to_a.mrr, r.training.best_epoch, seconds_since(protocol_start));
      },
      [&](int run, int fold) {
        if (log) std::cout << "run " << run + 1 << " of " << s.runs << ", fold " << fold + 1 << " of " << s.folds
                           << ": training\n";
      });
  const double protocol_seconds = seconds_since(protocol_start);

  Method dcca, hand;
  for (const auto& r : reports) dcca.add(r.test);
  for (const auto& b : baseline) hand.add(b);
  const std::size_t planted = synthetic.components.size();
  for (std::size_t k = 0; k < planted; ++k) {
    const auto& truth = synthetic.components[k].audio_truth;
    const auto* other = planted == 2 ? &synthetic.components[1 - k].audio_truth : nullptr;
    for (auto* m : {&dcca, &hand}) m->recovered.emplace_back(), m->partial.emplace_back();
    for (std::size_t i = 0; i < reports.size(); ++i) {
      const Recovery by_dcca = recovered(reports[i].test_eeg_embedding, reports[i].test_indices, truth, other);
      const Recovery by_hand = recovered(baseline_eeg[i], baseline_test[i], truth, other);
      dcca.recovered.back().push_back(by_dcca.plain);
      hand.recovered.back().push_back(by_hand.plain);
      if (!other) continue;
      dcca.partial.back().push_back(by_dcca.partial);
      hand.partial.back().push_back(by_hand.partial);
    }
  }
  const Summary chance = summary_of(reports, [](const auto& r) { return r.test.chance_mrr; });
  const std::size_t n_folds = reports.size();
  std::printf("\nheld-out chunks, mean (sd) over %zu folds (%d runs x %d folds), %.0f s:\n", n_folds, s.runs,
              s.folds, protocol_seconds);
  std::printf("  %-34s %15s %15s %15s %15s %15s\n", "", "total r", "first r", "second r", "EEG->audio MRR",
              "audio->EEG MRR");
  for (const auto& [name, m] : {std::pair{"Deep CCA (conv branches)", &dcca},
                                std::pair{"linear CCA, handcrafted features", &hand}})
    std::printf("  %-34s %15s %15s %15s %15s %15s\n", name, mean_sd(summarise(m->total)).c_str(),
                mean_sd(summarise(m->first)).c_str(), mean_sd(summarise(m->second)).c_str(),
                mean_sd(summarise(m->e2a)).c_str(), mean_sd(summarise(m->a2e)).c_str());
  std::printf("  %-34s %15s %15s %15s %15.3f %15.3f\n", "chance", "0", "0", "0", chance.mean, chance.mean);
  std::printf("\nplanted components recovered by the held-out EEG embedding (largest |r| of one of its components\n"
              "with the component's audio-side truth; about %.2f when missed), mean (sd) over folds:\n",
              2.08 / std::sqrt(double(reports.front().test_chunks)));
  for (std::size_t k = 0; k < planted; ++k)
    std::printf("  %-46s Deep CCA %s, handcrafted %s, known-model reference %.3f\n",
                synthetic.components[k].name.c_str(), mean_sd(summarise(dcca.recovered[k])).c_str(),
                mean_sd(summarise(hand.recovered[k])).c_str(), synthetic.components[k].chunk_reference);
  if (planted == 2) {
    std::printf("  the same with the other component's truth held fixed (partial r):\n");
    for (std::size_t k = 0; k < planted; ++k)
      std::printf("  %-46s Deep CCA %s, handcrafted %s\n", synthetic.components[k].name.c_str(),
                  mean_sd(summarise(dcca.partial[k])).c_str(), mean_sd(summarise(hand.partial[k])).c_str());
  }
  if (s.runs > 1)
    std::printf("  spread of the %d run means (the seed's share): Deep CCA total r sd %.3f, EEG->audio MRR sd %.3f; "
                "handcrafted %.3f, %.3f\n",
                s.runs, over_runs(dcca.total, s.runs).sd, over_runs(dcca.e2a, s.runs).sd,
                over_runs(hand.total, s.runs).sd, over_runs(hand.e2a, s.runs).sd);
  const std::string verdicts[] = {verdict("Deep CCA beat handcrafted linear CCA on total r", dcca.total, hand.total),
                                  verdict("on EEG->audio MRR", dcca.e2a, hand.e2a),
                                  verdict("on audio->EEG MRR", dcca.a2e, hand.a2e)};
  for (const auto& v : verdicts) std::cout << "  " << v << "\n";

  // 4. Transfer: song embeddings vs a second view stored as .npy; one model per run.
  TransferOutcome transfer;
  if (s.transfer_songs > 0) transfer = run_transfer(s, config, chunks, log);
  else std::cout << "\ntransfer: skipped (--transfer-songs 0)\n";

  // 5. Real recordings, when present.
  std::string data = s.data;
  if (data.empty()) data = CANON_SHARED_DATA_DIR;
  const fs::path real_dir = fs::path(data) / "eeg" / "music-attention";
  std::vector<double> real_mrr;
  Index real_chunks = 0;
  if (!fs::is_directory(real_dir)) {
    std::cout << "\nreal data: skipping, " << real_dir.string() << " is absent\n";
  } else if (!transfer.first_model) {
    std::cout << "\nreal data: skipping, no model was trained for the transfer protocol\n";
  } else {
    auto& model = *transfer.first_model;
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

  // Report.
  const std::string json_path = (fs::path(s.out) / "report.json").string();
  canon::write_file_atomically(json_path, [&](std::ostream& out) {
    canon::report::JsonWriter j(out);
    j.begin_object();
    j.member("what", "Raposo et al. 2017 pipeline on canon's semi-synthetic data (not real EEG)");
    j.member("canon_version", canon::version);
    j.key("machine").begin_object();
    j.member("cpu", machine.cpu).member("instructions", machine.instructions);
    j.member("threads", long(machine.threads)).member("logical_cores", long(machine.logical_cores));
    j.end_object();
    j.member("indexing", "runs, folds and epochs are counted from 1, as in the log");
    j.key("settings").begin_object();
    j.member("songs", s.songs).member("seconds", s.seconds).member("snr", s.snr);
    j.member("brightness_snr", s.brightness_snr).member("brightness_coding", s.brightness_coding).member("folds", s.folds).member("runs", s.runs);
    j.member("seed", long(s.seed)).member("audio_branch", config.audio_branch).member("eeg_branch", config.eeg_branch);
    j.member("objective", s.objective).member("top_k", long(config.dcca.k));
    j.member("ridge1", config.dcca.ridge1).member("ridge2", config.dcca.ridge2);
    j.member("learning_rate", config.adam.learning_rate).member("epochs", config.training.epochs);
    j.member("batch_size", long(config.training.batch_size)).member("min_batch", long(config.training.min_batch));
    j.member("validation", "one fold of songs, early stopping on its Deep CCA loss (best epoch kept)");
    j.member("transfer_songs", s.transfer_songs).member("transfer_layers", std::vector<long>{128, 64, 16});
    j.member("transfer_epochs", transfer.config.training.epochs);
    j.member("transfer_components", long(transfer.config.components));
    j.end_object();
    j.member("chunks", long(chunks.size()));
    j.key("planted_components").begin_array();
    for (const auto& c : synthetic.components) {
      j.begin_object().member("name", c.name).member("sample_level_ceiling", c.sample_ceiling);
      j.member("chunk_level_known_model_reference", c.chunk_reference).end_object();
    }
    j.end_array();
    j.member("planted_truth_correlation", synthetic.truth_correlation);
    j.key("summary").begin_object();
    for (const auto& [name, m] : {std::pair{"deep_cca", &dcca}, std::pair{"handcrafted_linear_cca", &hand}}) {
      j.key(name).begin_object();
      write_summary(j, "total_correlation", summarise(m->total));
      write_summary(j, "first_correlation", summarise(m->first));
      write_summary(j, "second_correlation", summarise(m->second));
      write_summary(j, "eeg_to_audio_mrr", summarise(m->e2a));
      write_summary(j, "audio_to_eeg_mrr", summarise(m->a2e));
      write_summary(j, "total_correlation_over_run_means", over_runs(m->total, s.runs));
      j.key("planted_components_recovered").begin_array();
      for (std::size_t k = 0; k < m->recovered.size(); ++k) {
        j.begin_object();
        write_summary(j, "largest_abs_r", summarise(m->recovered[k]));
        if (!m->partial[k].empty()) write_summary(j, "largest_abs_partial_r", summarise(m->partial[k]));
        j.end_object();
      }
      j.end_array();
      j.end_object();
    }
    j.member("chance_mrr", chance.mean);
    j.member("verdicts", std::vector<std::string>(std::begin(verdicts), std::end(verdicts)));
    j.end_object();
    j.key("folds").begin_array();
    for (std::size_t i = 0; i < reports.size(); ++i) {
      const auto& r = reports[i];
      j.begin_object();
      j.member("run", r.run + 1).member("fold", r.fold + 1);
      j.member("training_chunks", long(r.training_chunks)).member("validation_chunks", long(r.validation_chunks));
      j.member("best_epoch", r.training.best_epoch);
      std::vector<double> train_loss, validation_loss;
      for (const auto& e : r.training.history) {
        train_loss.push_back(e.train_loss);
        validation_loss.push_back(e.validation_loss);
      }
      j.member("train_loss", train_loss).member("validation_loss", validation_loss);
      j.member("training_correlations", r.training_correlations);
      j.key("deep_cca");
      write_scores(j, r.test);
      j.key("handcrafted_linear_cca");
      write_scores(j, baseline[i]);
      std::vector<double> got_dcca, got_hand;
      for (std::size_t k = 0; k < synthetic.components.size(); ++k) {
        got_dcca.push_back(dcca.recovered[k][i]);
        got_hand.push_back(hand.recovered[k][i]);
      }
      j.member("planted_recovered_deep_cca", got_dcca).member("planted_recovered_handcrafted", got_hand);
      j.end_object();
    }
    j.end_array();
    j.key("transfer").begin_object();
    j.member("songs", s.transfer_songs).member("runs", transfer.runs);
    j.member("chance_instance_mrr", transfer.chance_instance);
    j.member("chance_class_mrr", transfer.chance_class);
    for (const auto& [name, v] :
         {std::pair{"song_embeddings", std::pair{&transfer.learned_instance, &transfer.learned_class}},
          std::pair{"handcrafted", std::pair{&transfer.hand_instance, &transfer.hand_class}}}) {
      j.key(name).begin_object();
      write_summary(j, "instance_mrr_song_to_view", summarise(*v.first));
      write_summary(j, "class_mrr_song_to_view", summarise(*v.second));
      j.member("instance_mrr_per_fold", *v.first).member("class_mrr_per_fold", *v.second);
      j.end_object();
    }
    j.member("verdict", transfer.verdict);
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

  // Canonical correlation per component on held-out chunks: mean and sd over every fold.
  canon::report::Chart correlations;
  correlations.kind = canon::report::Chart::Kind::bars;
  correlations.title = "Canonical correlation per component, mean and sd over " + std::to_string(n_folds) + " folds";
  correlations.x_label = "component";
  correlations.y_label = "correlation";
  auto add_bars = [&](std::string label, const std::vector<std::vector<double>>& per_fold) {
    std::vector<double> mean, sd;
    mean_and_sd(per_fold, mean, sd);
    canon::report::Series series{std::move(label), {}, mean};
    for (std::size_t i = 0; i < mean.size(); ++i) series.x.push_back(double(i + 1));
    correlations.series.push_back(series);
    correlations.error_bars.push_back(sd);
  };
  std::vector<std::vector<double>> held_out, training, hand_corr;
  for (const auto& r : reports) held_out.push_back(r.test.correlations), training.push_back(r.training_correlations);
  for (const auto& b : baseline) hand_corr.push_back(b.correlations);
  add_bars("Deep CCA, held out", held_out);
  add_bars("Deep CCA, training", training);
  add_bars("handcrafted linear CCA, held out", hand_corr);
  {
    // The known-model references, one per planted component, largest first (CCA sorts).
    std::vector<double> refs;
    for (const auto& c : synthetic.components) refs.push_back(c.chunk_reference);
    std::sort(refs.rbegin(), refs.rend());
    canon::report::Series series{"known-model reference (planted components)", {}, refs};
    for (std::size_t i = 0; i < refs.size(); ++i) series.x.push_back(double(i + 1));
    correlations.series.push_back(series);
    correlations.error_bars.push_back({});
  }
  const std::string correlations_path = (fs::path(s.out) / "correlations.svg").string();
  canon::report::write_svg(correlations, correlations_path);

  // Retrieval: recall@k of EEG -> audio on held-out chunks, mean and sd over folds.
  const Index n = reports[0].test.items;
  canon::report::Chart retrieval;
  retrieval.log_x = true;
  retrieval.title = "EEG -> audio chunk retrieval, " + std::to_string(n) + " held-out chunks per fold";
  retrieval.x_label = "k (log scale)";
  retrieval.y_label = "recall@k";
  std::vector<double> ks, chance_curve;
  for (Index k = 1; k <= n; ++k) {
    ks.push_back(double(k));
    chance_curve.push_back(double(k) / double(n));
  }
  auto add_recall = [&](std::string label, auto&& ranks_of, const auto& items) {
    std::vector<std::vector<double>> curves;
    for (const auto& item : items) {
      std::vector<double> curve;
      for (Index k = 1; k <= n; ++k) curve.push_back(canon::eval::recall_at(ranks_of(item), k));
      curves.push_back(curve);
    }
    std::vector<double> mean, sd;
    mean_and_sd(curves, mean, sd);
    retrieval.series.push_back({std::move(label), ks, mean});
    retrieval.error_bars.push_back(sd);
  };
  add_recall("Deep CCA", [](const canon::raposo::FoldReport& r) -> const auto& { return r.test.b_to_a.ranks; },
             reports);
  add_recall("handcrafted linear CCA", [](const Scores& b) -> const auto& { return b.b_to_a.ranks; }, baseline);
  retrieval.series.push_back({"chance (k / n)", ks, chance_curve});
  retrieval.error_bars.push_back({});
  const std::string retrieval_path = (fs::path(s.out) / "retrieval.svg").string();
  canon::report::write_svg(retrieval, retrieval_path);

  // Loss per epoch, mean and sd over folds.
  canon::report::Chart loss;
  loss.title = "Deep CCA loss per epoch, mean and sd over " + std::to_string(n_folds) + " folds";
  loss.x_label = "epoch";
  loss.y_label = "loss (minus the objective)";
  std::vector<std::vector<double>> train_curves, validation_curves;
  for (const auto& r : reports) {
    train_curves.emplace_back();
    validation_curves.emplace_back();
    for (const auto& e : r.training.history) {
      train_curves.back().push_back(e.train_loss);
      if (std::isfinite(e.validation_loss)) validation_curves.back().push_back(e.validation_loss);
    }
  }
  for (const auto& [label, curves] : {std::pair{"training", &train_curves}, std::pair{"validation", &validation_curves}}) {
    std::vector<double> mean, sd;
    mean_and_sd(*curves, mean, sd);
    if (mean.empty()) continue;
    std::vector<double> epochs;
    for (std::size_t e = 0; e < mean.size(); ++e) epochs.push_back(double(e + 1));
    loss.series.push_back({label, epochs, mean});
    loss.error_bars.push_back(sd);
  }
  const std::string loss_path = (fs::path(s.out) / "loss.svg").string();
  canon::report::write_svg(loss, loss_path);

  std::cout << "\nwrote " << fs::absolute(json_path).string() << "\n      "
            << fs::absolute(correlations_path).string() << "\n      " << fs::absolute(retrieval_path).string()
            << "\n      " << fs::absolute(loss_path).string() << "\ntotal " << seconds_since(start) << " s\n";
  return 0;
} catch (const std::exception& e) {
  std::cerr << "04_raposo_demo: " << e.what() << "\n";
  return 1;
}
