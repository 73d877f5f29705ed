// canon train raposo: Raposo et al. 2017's audio/EEG Deep CCA model (canon::raposo)
// trained on a manifest of paired audio and EEG files, songs held out for early
// stopping and the report; and the model file's side of `canon embed`, which cuts a
// new audio or EEG file into the chunks the model was trained on.
#include <canon/models/raposo/model.hpp>
#include <chrono>
#include <cmath>
#include <cstdio>
#include <optional>
#include <sstream>

#include "common.hpp"
#include "model_file.hpp"
#include "training_run.hpp"
#ifdef CANON_CLI_IO
#include <canon/models/raposo/files.hpp>
#endif

namespace canon_cli {

namespace {

// How files become chunks, as the model file records it for `embed`: the rates, the
// chunk length and hop, whether the EEG is cleaned (with the library's default
// cleaning), and the EEG channels by label in their row order.
struct Chunking {
  canon::raposo::ChunkingOptions options;
  std::vector<std::string> eeg_labels;

  std::string text() const {
    std::ostringstream out;
    out.precision(17);
    out << "canon.raposo_chunking 1\naudio_rate " << options.audio_rate << "\neeg_rate " << options.eeg_rate
        << "\nchunk_seconds " << options.chunks.chunk_seconds << "\nhop_seconds " << options.chunks.hop_seconds
        << "\nclean_eeg " << (options.clean_eeg ? 1 : 0) << "\n";
    for (const auto& l : eeg_labels) out << "eeg_label " << l << "\n";
    return out.str();
  }

  static Chunking read(const std::string& text, const std::string& source) {
    Chunking c;
    std::istringstream in(text);
    std::string line, key;
    while (std::getline(in, line)) {
      std::istringstream fields(line);
      if (!(fields >> key)) continue;
      auto number = [&](double& target) {
        if (!(fields >> target) || !std::isfinite(target))
          throw canon::io_error(source + ": chunking line '" + line + "': expected a number");
      };
      if (key == "canon.raposo_chunking") continue;
      if (key == "audio_rate") number(c.options.audio_rate);
      else if (key == "eeg_rate") number(c.options.eeg_rate);
      else if (key == "chunk_seconds") number(c.options.chunks.chunk_seconds);
      else if (key == "hop_seconds") number(c.options.chunks.hop_seconds);
      else if (key == "clean_eeg") {
        double on = -1;
        number(on);
        c.options.clean_eeg = on == 1;
      } else if (key == "eeg_label") {
        std::string label;
        std::getline(fields >> std::ws, label);
        c.eeg_labels.push_back(label);
      } else {
        throw canon::io_error(source + ": chunking line '" + line + "': unknown key '" + key + "'");
      }
    }
    return c;
  }
};

template <class Scalar>
ModelFile open_raposo_as(const std::string& path, ModelFile file) {
  auto model = std::make_shared<canon::raposo::Model<Scalar>>(canon::raposo::load<Scalar>(path));
  const auto& config = model->config();
  file.inputs1 = config.audio_input.size();
  file.inputs2 = config.eeg_input.size();
  file.components = model->training_correlations().size();
  file.embed = [model](const canon::Matrix<double>& x, int view, bool raw) -> canon::Matrix<double> {
    const canon::Matrix<Scalar> input = x.cast<Scalar>();
    if (raw) return (view == 1 ? model->audio_outputs(input) : model->eeg_outputs(input)).template cast<double>();
    return (view == 1 ? model->embed_audio(input) : model->embed_eeg(input)).template cast<double>();
  };
  const auto record = file.metadata.find("raposo_chunking");
  if (record == file.metadata.end()) return file;  // a model saved from C++: matrices of chunks only
  const Chunking chunking = Chunking::read(record->second, "'" + path + "'");
  file.embed_file = [model, chunking, embed = file.embed](const std::string& input, int view,
                                                          bool raw) -> canon::Matrix<double> {
#ifdef CANON_CLI_IO
    canon::Matrix<double> chunks;
    if (view == 1) {
      const canon::raposo::AudioStream audio = canon::raposo::read_audio_stream(input);
      chunks = canon::raposo::audio_chunks(audio.samples, audio.rate, chunking.options);
    } else {
      const canon::raposo::EegStream eeg = canon::raposo::read_eeg_stream(input, chunking.eeg_labels);
      chunks = canon::raposo::eeg_chunks(eeg.samples, eeg.rate, chunking.options);
    }
    return embed(chunks, view, raw);
#else
    (void)input, (void)view, (void)raw;
    throw canon::value_error("this canon program was built without canon::io (libsndfile, EDFlib): it cannot read "
                             "audio or EEG files; give a matrix of chunks (.npy) instead");
#endif
  };
  return file;
}

struct RaposoSettings {
  std::string manifest, out;
  std::vector<std::string> eeg_channels;
  double audio_rate = 22050, eeg_rate = 250, chunk_seconds = 1.5, hop_seconds = 0;
  bool clean_eeg = true;
  std::string audio_branch = canon::raposo::paper_audio_branch();
  std::string eeg_branch = canon::raposo::paper_eeg_branch();
  double validation_songs = 0.2;
  DccaRun run;  // the paper's 20 epochs, batch 102, Adam 1e-3; float
  Common common;
};

// The songs held out: a seeded share of the distinct songs (at least one when the share
// is not 0), every chunk of a song on one side.
std::vector<bool> held_out_songs(std::size_t songs, double share, std::uint64_t seed) {
  std::vector<bool> held(songs, false);
  if (share == 0) return held;
  auto count = std::size_t(std::llround(share * double(songs)));
  count = std::max<std::size_t>(count, 1);
  if (count >= songs)
    throw canon::value_error("--validation-songs " + std::to_string(share) + " holds out " + std::to_string(count) +
                             " of the manifest's " + std::to_string(songs) +
                             " songs, leaving none to train on; list more songs or use --validation-songs 0");
  canon::Rng rng(canon::stream_seed(seed, 0x5eed));
  const std::vector<canon::Index> order = rng.permutation(canon::Index(songs));
  for (std::size_t i = 0; i < count; ++i) held[std::size_t(order[i])] = true;
  return held;
}

// The largest multiply-add count of one layer on one batch, for the thread policy.
double widest_layer(const std::string& branch, canon::raposo::SignalShape input, canon::Index batch) {
  const auto layers = canon::raposo::parse_branch(branch);
  const auto shapes = canon::raposo::branch_shapes(layers, input);
  double widest = 0;
  for (std::size_t i = 0; i < layers.size(); ++i)
    if (layers[i].kind == canon::raposo::BranchLayer::Kind::conv)
      widest = std::max(widest, double(shapes[i].channels) * double(layers[i].width) *
                                    double(shapes[i + 1].size()) * double(batch));
  return widest;
}

#ifdef CANON_CLI_IO
template <class Scalar>
void train_raposo(const RaposoSettings& s, const Json& config) {
  std::ostream& log = s.common.start();
  const auto started = std::chrono::steady_clock::now();
  canon::raposo::FileOptions files_options;
  files_options.eeg_labels = s.eeg_channels;
  const auto entries = canon::io::read_manifest(s.manifest);
  log << "reading " << entries.size() << " recordings listed in " << s.manifest << "\n";
  const canon::raposo::RecordingFiles<Scalar> files = canon::raposo::read_recordings<Scalar>(entries, files_options);
  for (const auto& w : files.warnings) log << "warning: " << w << "\n";

  Chunking chunking;
  chunking.options.audio_rate = s.audio_rate;
  chunking.options.eeg_rate = s.eeg_rate;
  chunking.options.chunks.chunk_seconds = s.chunk_seconds;
  chunking.options.chunks.hop_seconds = s.hop_seconds;
  chunking.options.clean_eeg = s.clean_eeg;
  chunking.eeg_labels = files.eeg_labels;
  log << "cutting into " << s.chunk_seconds << " s chunks (audio at " << s.audio_rate << " Hz, "
      << files.eeg_labels.size() << " EEG channels at " << s.eeg_rate << " Hz"
      << (s.clean_eeg ? ", cleaned" : "") << ")\n";
  const canon::raposo::ChunkSet<Scalar> chunks = canon::raposo::prepare_chunks(files.recordings, chunking.options);

  const std::vector<bool> held = held_out_songs(files.songs.size(), s.validation_songs, s.run.seed);
  std::vector<canon::Index> train_idx, validation_idx;
  for (canon::Index j = 0; j < chunks.size(); ++j)
    (held[std::size_t(chunks.song[std::size_t(j)])] ? validation_idx : train_idx).push_back(j);
  const canon::raposo::ChunkSet<Scalar> training = chunks.subset(train_idx);
  const canon::raposo::ChunkSet<Scalar> validation =
      validation_idx.empty() ? canon::raposo::ChunkSet<Scalar>{} : chunks.subset(validation_idx);
  const bool validate = validation.size() > 0;
  if (validate && validation.size() < 2)
    throw canon::value_error("the held-out songs give " + std::to_string(validation.size()) +
                             " chunk; Deep CCA's validation loss needs at least 2");

  canon::raposo::Config model_config;
  model_config.audio_branch = s.audio_branch;
  model_config.eeg_branch = s.eeg_branch;
  model_config.audio_input = {1, chunks.audio.rows()};
  model_config.eeg_input = {chunks.eeg_channels, chunks.eeg.rows() / chunks.eeg_channels};
  auto& loop = model_config.training;
  s.run.apply(model_config.dcca, model_config.adam, model_config.components, loop, training.size(), validate,
              s.common, log, s.out);
  Json effective = config;
  effective["threads"] = s.common.choose_threads(
      std::max(widest_layer(s.audio_branch, model_config.audio_input, loop.batch_size),
               widest_layer(s.eeg_branch, model_config.eeg_input, loop.batch_size)));
  write_json(output_file(s.out, "config.json"), effective);

  log << "training Raposo's Deep CCA: " << training.size() << " training and " << validation.size()
      << " held-out chunks, " << files.songs.size() << " songs, " << files.subjects.size() << (files.subjects.size() == 1 ? " subject, " : " subjects, ")
      << s.run.precision << "\n";
  canon::raposo::Model<Scalar> model(model_config, s.run.seed);
  canon::train::TrainingResult result;
  {
    const StopOnSignal stop_on_signal;
    result = model.fit(training, validation);
  }
  const canon::Vector<double> training_correlations = model.training_correlations().template cast<double>();

  Json song_names = Json::array(), held_names = Json::array();
  for (std::size_t i = 0; i < files.songs.size(); ++i) (held[i] ? held_names : song_names).push_back(files.songs[i]);
  Json report{{"command", "train raposo"},
              {"inputs", {{"manifest", s.manifest}, {"recordings", files.recordings.size()},
                          {"training_songs", song_names}, {"held_out_songs", held_names},
                          {"subjects", files.subjects}, {"eeg_channels", files.eeg_labels},
                          {"training_chunks", training.size()}, {"held_out_chunks", validation.size()},
                          {"audio_chunk", model_config.audio_input.length},
                          {"eeg_chunk", {model_config.eeg_input.channels, model_config.eeg_input.length}}}},
              {"settings", effective},
              {"architecture", {{"audio_branch", s.audio_branch}, {"eeg_branch", s.eeg_branch}}},
              {"best_epoch", result.best_epoch},
              {"resumed_from_epoch", result.resumed_from_epoch},
              {"warnings", result.warnings},
              {"file_warnings", files.warnings},
              {"training_correlations", to_json(training_correlations)},
              {"history", history_json(result)}};
  std::optional<canon::eval::CrossModalScores> held_scores;
  if (validate) {
    // a = audio, b = EEG: b_to_a is the paper's EEG -> audio retrieval.
    held_scores = canon::eval::cross_modal_scores<double>(
        model.embed_audio(validation.audio).template cast<double>(),
        model.embed_eeg(validation.eeg).template cast<double>());
    report["held_out"] = to_json(*held_scores);
  }
  const double seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count();
  report["seconds"] = seconds;
  report["machine"] = machine_json();

  const std::string model_path = output_file(s.out, "model.canon");
  model.save(model_path, {{"precision", s.run.precision},
                          {"settings", effective.dump()},
                          {"canon_command", "train raposo"},
                          {"raposo_chunking", chunking.text()}});
  write_json(output_file(s.out, "report.json"), report);
  write_training_figures(s.out, "Deep CCA", result, held_scores ? &*held_scores : nullptr);

  std::printf("Raposo's Deep CCA trained in %.1f s (%s%s)\n", seconds, epochs_done(result).c_str(),
              result.best_epoch > 0 ? (", best epoch " + std::to_string(result.best_epoch)).c_str() : "");
  std::printf("training correlations: ");
  for (canon::Index j = 0; j < training_correlations.size(); ++j) std::printf("%.3f ", training_correlations(j));
  std::printf("\n");
  if (held_scores) {
    std::printf("held out (%ld chunks of %zu songs):  Deep CCA   chance\n", long(held_scores->items),
                std::size_t(held_names.size()));
    std::printf("  total correlation                 %8.3f\n", held_scores->total_correlation);
    std::printf("  MRR EEG -> audio                  %8.3f   %6.3f\n", held_scores->b_to_a.mrr,
                held_scores->chance_mrr);
    std::printf("  MRR audio -> EEG                  %8.3f   %6.3f\n", held_scores->a_to_b.mrr,
                held_scores->chance_mrr);
  }
  std::printf("wrote %s, %s, %s and figures in %s\n", model_path.c_str(), output_file(s.out, "report.json").c_str(),
              output_file(s.out, "config.json").c_str(), s.out.c_str());
}
#endif

}  // namespace

ModelFile open_raposo(const std::string& path, ModelFile file) {
  file.kind = "raposo";
  if (file.precision == "float") return open_raposo_as<float>(path, std::move(file));
  return open_raposo_as<double>(path, std::move(file));
}

void add_train_raposo(CLI::App* train, Commands& commands) {
  auto settings = std::make_shared<RaposoSettings>();
  CLI::App* sub = train->add_subcommand(
      "raposo", "Raposo et al. 2017: 1D CNNs on raw audio and EEG with the Deep CCA loss, from a manifest of files");
  sub->footer(
      "Example:\n"
      "  canon train raposo --manifest recordings.csv --out run/\n"
      "  canon embed --model run/model.canon --view 1 --input song.flac --output song.npy --mean\n"
      "The manifest is a CSV with a header: audio,eeg[,song,subject,audio_offset,eeg_offset]. audio is a sound\n"
      "file (WAV, FLAC, OGG, MP3) or file.edf:LABEL (the music on a channel of the EEG file); eeg is an\n"
      "EDF/BDF file. Paths are relative to the manifest. Songs are held out whole. Writes run/model.canon,\n"
      "run/checkpoint.canon, run/report.json, run/config.json, run/loss.svg and run/correlations.svg.");
  auto options = std::make_unique<Options>(sub, "train raposo");
  RaposoSettings& s = *settings;
  options->add("manifest", s.manifest, "CSV of paired audio and EEG files (see below)");
  options->add("out", s.out, "output directory");
  options->add("eeg-channels", s.eeg_channels,
               "EEG channels by label, in this order (default: every channel of type EEG, the same in every file)")
      ->delimiter(',');
  options->add("audio-rate", s.audio_rate, "audio resampled to this rate (Hz, whole)")->check(CLI::PositiveNumber);
  options->add("eeg-rate", s.eeg_rate, "EEG resampled to this rate (Hz, whole)")->check(CLI::PositiveNumber);
  options->add("chunk-seconds", s.chunk_seconds, "chunk length; times each rate must be whole samples")
      ->check(CLI::PositiveNumber);
  options->add("hop-seconds", s.hop_seconds, "chunk hop (0: the chunk length, no overlap)")
      ->check(CLI::NonNegativeNumber);
  options->add("clean-eeg", s.clean_eeg,
               "the paper's EEG cleaning (high-pass, notch, wavelet artifact removal, semblance denoising)");
  options->add("audio-branch", s.audio_branch, "audio branch in the paper's notation (conv-W-S-C, mp-X)");
  options->add("eeg-branch", s.eeg_branch, "EEG branch; must end at the audio branch's output size");
  options->add("validation-songs", s.validation_songs,
               "share of the songs held out (seeded) for early stopping and the report; 0: none")
      ->check(CLI::Range(0.0, 0.9));
  s.run.add_to(*options, "chunks per batch", "seed of the weights, the held-out songs and the shuffles",
               "Deep CCA objective (frobenius: the authors' released code)", "scalar type the model computes in");
  s.common.add_to(*options);
  options->required("manifest");
  options->required("out");
  const Options* table = options.get();
  commands.push_back({std::move(options), [settings, table] {
#ifdef CANON_CLI_IO
                        const Json config = table->values();
                        if (settings->run.precision == "float")
                          train_raposo<float>(*settings, config);
                        else
                          train_raposo<double>(*settings, config);
#else
                        (void)table;
                        throw canon::value_error(
                            "this canon program was built without canon::io (libsndfile, EDFlib), which train "
                            "raposo needs to read audio and EEG files (Debian: libsndfile1-dev libedf-dev)");
#endif
                      }});
}

}  // namespace canon_cli
