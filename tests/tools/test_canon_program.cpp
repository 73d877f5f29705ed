// The canon program end to end: planted data written by the test, each command run as a
// separate process (as a user or a script runs it), exit codes and messages checked,
// a SIGINT in the middle of training and --resume ending where an uninterrupted run ends.
#include <canon/cca/linear_cca.hpp>
#include <canon/io/audio.hpp>
#include <canon/io/feature_matrix.hpp>
#include <canon/io/npy.hpp>
#ifdef CANON_TEST_NPZ
#include <canon/io/npz.hpp>
#endif
#include <chrono>
#include <csignal>
#include <cstdlib>
#include <sched.h>
#include <cstdio>
#include <edflib.h>
#include <filesystem>
#include <fstream>
#include <nlohmann/json.hpp>
#include <spawn.h>
#include <sstream>
#include <sys/wait.h>
#include <thread>

#include "canon_test.hpp"

extern char** environ;

using namespace canon;
namespace fs = std::filesystem;
using Json = nlohmann::json;

namespace {

struct Outcome {
  int code = -1;
  std::string out, err;
};

std::string read_text(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  std::ostringstream s;
  s << in.rdbuf();
  return s.str();
}

/// Starts the program with `args`, its stdout and stderr going to files in `dir`.
pid_t start(const std::vector<std::string>& args, const std::string& dir) {
  std::vector<std::string> all{CANON_PROGRAM};
  all.insert(all.end(), args.begin(), args.end());
  std::vector<char*> argv;
  for (auto& a : all) argv.push_back(a.data());
  argv.push_back(nullptr);
  posix_spawn_file_actions_t files;
  posix_spawn_file_actions_init(&files);
  const std::string out = dir + "/stdout", err = dir + "/stderr";
  posix_spawn_file_actions_addopen(&files, 1, out.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0644);
  posix_spawn_file_actions_addopen(&files, 2, err.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0644);
  pid_t pid = -1;
  const int failed = posix_spawn(&pid, CANON_PROGRAM, &files, nullptr, argv.data(), environ);
  posix_spawn_file_actions_destroy(&files);
  REQUIRE(failed == 0);
  return pid;
}

Outcome finish(pid_t pid, const std::string& dir) {
  int status = 0;
  REQUIRE(waitpid(pid, &status, 0) == pid);
  REQUIRE(WIFEXITED(status));  // never an abort or a crash
  return {WEXITSTATUS(status), read_text(dir + "/stdout"), read_text(dir + "/stderr")};
}

Outcome run(const std::vector<std::string>& args, const std::string& dir) { return finish(start(args, dir), dir); }

/// A scratch directory per test case, removed at the end.
struct Scratch {
  std::string dir;
  explicit Scratch(const std::string& name) : dir((fs::current_path() / ("canon-program-" + name)).string()) {
    fs::remove_all(dir);
    fs::create_directories(dir);
  }
  ~Scratch() { fs::remove_all(dir); }
  std::string operator()(const std::string& name) const { return dir + "/" + name; }
};

/// Two views of n pairs sharing one latent signal, as (n, d) .npy files: view 1 =
/// [u1 + 0.2 u1^2, noise, noise], view 2 = [u2^2, noise] with u_i = z + 0.3 n_i. The
/// quadratic part, which only a nonlinear map can align, carries most of the shared
/// signal; the small linear part gives linear CCA something (its correlation is about 0.3).
/// With `linear`, the views are [u1, noise, noise] and [u2, noise] instead.
void write_views(const Scratch& at, Index n, std::uint64_t seed, const std::string& tag = "",
                 bool linear = false) {
  Rng rng(seed);
  Matrix<double> x1(n, 3), x2(n, 2);
  for (Index i = 0; i < n; ++i) {
    const double z = rng.normal(), u1 = z + 0.3 * rng.normal(), u2 = z + 0.3 * rng.normal();
    x1(i, 0) = linear ? u1 : u1 + 0.2 * u1 * u1;
    x1(i, 1) = rng.normal();
    x1(i, 2) = rng.normal();
    x2(i, 0) = linear ? u2 : u2 * u2;
    x2(i, 1) = rng.normal();
  }
  io::write_npy(at("x1" + tag + ".npy"), x1);
  io::write_npy(at("x2" + tag + ".npy"), x2);
}

Json read_json(const std::string& path) { return Json::parse(read_text(path)); }

/// A listening session as a user's files: song.wav (2 kHz) and an EDF+ of four EEG
/// channels at 256 Hz plus a BioSemi-style Status channel that the EEG pick must leave
/// out. The song's loudness follows a slow envelope that EEG channel 0's 10 Hz rhythm
/// also follows; the other channels are noise.
void write_session(const std::string& wav, const std::string& edf, int song, std::uint64_t seed,
                   int seconds = 12, const char* first_label = "Fz") {
  Rng rng(seed);
  const double phase = 2.1 * song, rate_audio = 2000, rate_eeg = 256;
  auto envelope = [&](double t) { return 1.0 + 0.8 * std::sin(2 * M_PI * (0.2 + 0.15 * song) * t + phase); };
  io::Audio audio;
  audio.sample_rate = rate_audio;
  audio.samples.resize(1, Index(seconds * rate_audio));
  for (Index i = 0; i < audio.samples.cols(); ++i)
    audio.samples(0, i) = float(0.3 * envelope(double(i) / rate_audio) * rng.normal() / 3.0);
  audio.samples = audio.samples.cwiseMax(-1.0f).cwiseMin(1.0f);
  io::write_audio(wav, audio);
  const int h = edfopen_file_writeonly(edf.c_str(), EDFLIB_FILETYPE_EDFPLUS, 5);
  REQUIRE(h >= 0);
  const char* labels[] = {first_label, "Cz", "Pz", "Oz", "Status"};
  for (int c = 0; c < 5; ++c) {
    REQUIRE(edf_set_samplefrequency(h, c, int(rate_eeg)) == 0);
    REQUIRE(edf_set_digital_maximum(h, c, 32767) == 0);
    REQUIRE(edf_set_digital_minimum(h, c, -32768) == 0);
    REQUIRE(edf_set_physical_maximum(h, c, 500.0) == 0);
    REQUIRE(edf_set_physical_minimum(h, c, -500.0) == 0);
    REQUIRE(edf_set_label(h, c, labels[c]) == 0);
    REQUIRE(edf_set_physical_dimension(h, c, c < 4 ? "uV" : "Boolean") == 0);
  }
  for (int r = 0; r < seconds; ++r)
    for (int c = 0; c < 5; ++c) {
      std::vector<double> x(static_cast<std::size_t>(rate_eeg));
      for (std::size_t k = 0; k < x.size(); ++k) {
        const double t = r + double(k) / rate_eeg;
        x[k] = c == 4 ? 0.0 : 5.0 * rng.normal() + (c == 0 ? 20.0 * envelope(t) * std::sin(2 * M_PI * 10 * t) : 0.0);
      }
      REQUIRE(edfwrite_physical_samples(h, x.data()) == 0);
    }
  REQUIRE(edfclose_file(h) == 0);
}

/// Branches small enough to train in seconds: 1 s chunks of 2 kHz audio and of 4 EEG
/// channels at 128 Hz, both ending at 2 channels x 4 steps (8 outputs: a batch of 24
/// is three times the outputs, as Deep CCA's covariances need).
const std::vector<std::string> small_raposo{
    "--audio-rate", "2000", "--eeg-rate", "128", "--chunk-seconds", "1",
    "--audio-branch", "conv-5-5-8, mp-4, conv-5-1-8, mp-25, conv-1-1-2",
    "--eeg-branch", "conv-4-4-8, mp-8, conv-1-1-2", "--batch", "24", "--threads", "1"};

}  // namespace

TEST_CASE("canon cca: correlations, permutation p-values, a model for embed, and the report") {
  Scratch at("cca");
  write_views(at, 300, 1, "", true);
  const Outcome r = run({"cca", "--x1", at("x1.npy"), "--x2", at("x2.npy"), "--permutations", "99", "--out",
                         at("cca")}, at.dir);
  INFO(r.err);
  REQUIRE(r.code == 0);
  CHECK_THAT(r.out, Catch::Contains("chance level"));
  const Json report = read_json(at("cca/report.json"));
  REQUIRE(report["correlations"].size() == 2);
  CHECK(report["p_values"][0].get<double>() == Approx(0.01));  // 1 / (99 + 1): no permutation reaches it
  CHECK(report["p_values"][1].get<double>() > 0.05);          // view 2's noise feature: nothing planted
  CHECK(report["machine"]["canon"] == "0.1.0");
  CHECK(read_json(at("cca/config.json"))["permutations"] == 99);
  CHECK(fs::exists(at("cca/correlations.svg")));

  // The saved projection embeds as the library's linear CCA does.
  REQUIRE(run({"embed", "--model", at("cca/cca.canon"), "--view", "2", "--input", at("x2.npy"), "--output",
               at("z2.npy")}, at.dir).code == 0);
  cca::LinearCCA<double> lcca;
  const Matrix<double> x1 = io::read_samples(at("x1.npy")), x2 = io::read_samples(at("x2.npy"));
  lcca.fit(x1, x2);
  CHECK((io::read_samples(at("z2.npy")) - lcca.transform_second(x2)).cwiseAbs().maxCoeff() < 1e-12);
}

#ifdef CANON_TEST_NPZ
TEST_CASE("canon reads arrays from .npz archives and writes embeddings into one") {
  Scratch at("npz");
  write_views(at, 300, 6, "", true);
  // One archive holding both views, as np.savez("views.npz", x1=..., x2=...) writes it.
  const Matrix<double> x1 = io::read_npy(at("x1.npy")).matrix<double>(), x2 = io::read_npy(at("x2.npy")).matrix<double>();
  io::write_npz<double>(at("views.npz"), {{"x1", x1}, {"x2", x2}});
  auto cca = [&](const std::string& first, const std::string& second, const std::string& out) {
    return run({"cca", "--x1", first, "--x2", second, "--permutations", "19", "--out", at(out)}, at.dir);
  };
  REQUIRE(cca(at("x1.npy"), at("x2.npy"), "from-npy").code == 0);
  const Outcome r = cca(at("views.npz:x1"), at("views.npz:x2"), "from-npz");
  INFO(r.err);
  REQUIRE(r.code == 0);
  CHECK(read_json(at("from-npz/report.json"))["correlations"] == read_json(at("from-npy/report.json"))["correlations"]);

  // Embeddings into an .npz: the array is "embedding" unless the path names it.
  REQUIRE(run({"embed", "--model", at("from-npz/cca.canon"), "--input", at("views.npz:x1"), "--output",
               at("z.npz")}, at.dir).code == 0);
  REQUIRE(run({"embed", "--model", at("from-npz/cca.canon"), "--input", at("x1.npy"), "--output", at("z.npy")},
              at.dir).code == 0);
  const auto archive = io::read_npz(at("z.npz"));
  REQUIRE(archive.count("embedding") == 1);
  CHECK(archive.at("embedding").matrix<double>() == io::read_npy(at("z.npy")).matrix<double>());
  REQUIRE(run({"embed", "--model", at("from-npz/cca.canon"), "--input", at("x1.npy"), "--output",
               at("named.npz:z1")}, at.dir).code == 0);
  CHECK(io::read_npz(at("named.npz")).count("z1") == 1);

  // Two arrays and no name: exit 3, naming the arrays.
  const Outcome which = cca(at("views.npz"), at("x2.npy"), "ambiguous");
  CHECK(which.code == 3);
  CHECK_THAT(which.err, Catch::Contains("holds 2 arrays ('x1', 'x2'); name one as"));
  const Outcome wrong = run({"embed", "--model", at("from-npz/cca.canon"), "--input", at("x1.npy"), "--output",
                             at("z.csv")}, at.dir);
  CHECK(wrong.code == 2);
  CHECK_THAT(wrong.err, Catch::Contains("outputs are .npy files or .npz archives"));
}
#endif

TEST_CASE("canon train dcca, embed, evaluate, retrieve: from two files to ranked matches") {
  Scratch at("train");
  write_views(at, 1500, 2);
  const std::vector<std::string> train{"train", "dcca", "--x1", at("x1.npy"), "--x2", at("x2.npy"), "--hidden",
                                       "16,16", "--out-dim", "1", "--epochs", "40", "--batch", "200",
                                       "--learning-rate", "0.003", "--threads", "1", "--out", at("run")};
  const Outcome r = run(train, at.dir);
  INFO(r.out << r.err);
  REQUIRE(r.code == 0);
  CHECK_THAT(r.err, Catch::Contains("epoch 40/40"));  // progress on stderr
  CHECK_THAT(r.out, Catch::Contains("Deep CCA beat linear CCA"));
  const Json report = read_json(at("run/report.json"));
  const double deep = report["validation"]["deep_cca"]["total_correlation"];
  const double linear = report["validation"]["linear_cca_baseline"]["total_correlation"];
  CHECK(deep > linear + 0.05);
  CHECK(report["inputs"]["validation_pairs"] == 300);
  CHECK(report["history"].size() <= 40);
  for (const char* file : {"model.canon", "checkpoint.canon", "config.json", "loss.svg", "correlations.svg"})
    CHECK(fs::exists(at(std::string("run/") + file)));

  for (const char* view : {"1", "2"})
    REQUIRE(run({"embed", "--model", at("run/model.canon"), "--view", view, "--input",
                 at(std::string("x") + view + ".npy"), "--output", at(std::string("z") + view + ".npy")},
                at.dir).code == 0);
  const auto z1 = io::read_npy(at("z1.npy"));
  CHECK(z1.shape == std::vector<Index>{1500, 1});  // (samples, components), as NumPy expects

  const Outcome e = run({"evaluate", "--first", at("z1.npy"), "--second", at("z2.npy"), "--output",
                         at("scores.json")}, at.dir);
  REQUIRE(e.code == 0);
  CHECK(read_json(at("scores.json"))["scores"]["correlations"][0].get<double>() > 0.6);

  const Outcome q = run({"retrieve", "--queries", at("z1.npy"), "--catalogue", at("z2.npy"), "--top", "3",
                         "--output", at("matches.csv")}, at.dir);
  REQUIRE(q.code == 0);
  const std::string csv = read_text(at("matches.csv"));
  CHECK(csv.rfind("query,rank,item,cosine_similarity\n0,1,", 0) == 0);
  CHECK(std::count(csv.begin(), csv.end(), '\n') == 1 + 1500 * 3);

  SECTION("the written config repeats the run bit for bit") {
    const Outcome again = run({"train", "dcca", "--config", at("run/config.json"), "--out", at("again"), "--quiet"},
                              at.dir);
    REQUIRE(again.code == 0);
    CHECK(again.err.empty());  // --quiet
    REQUIRE(run({"embed", "--model", at("again/model.canon"), "--input", at("x1.npy"), "--output", at("y1.npy")},
                at.dir).code == 0);
    CHECK(read_text(at("y1.npy")) == read_text(at("z1.npy")));
  }
  SECTION("info shows the architecture") {
    const Outcome i = run({"info", at("run/model.canon")}, at.dir);
    REQUIRE(i.code == 0);
    CHECK_THAT(i.out, Catch::Contains("sizes1 3 16 16 1") && Catch::Contains("view2.4.weight"));
  }
}

TEST_CASE("canon train raposo: a manifest of audio and EDF files to a model that embeds new files") {
  Scratch at("raposo");
  std::ofstream manifest(at("sessions.csv"));
  manifest << "audio,eeg,song,subject\n";
  for (int song = 0; song < 3; ++song)
    for (int subject = 0; subject < 2; ++subject) {
      const std::string name = "s" + std::to_string(subject) + "_song" + std::to_string(song);
      write_session(at(name + ".wav"), at(name + ".edf"), song, std::uint64_t(10 * song + subject + 1));
      manifest << name << ".wav," << name << ".edf,song" << song << ",subject" << subject << "\n";
    }
  manifest.close();
  std::vector<std::string> train{"train", "raposo", "--manifest", at("sessions.csv"), "--validation-songs", "0.34",
                                 "--epochs", "3", "--out", at("run")};
  train.insert(train.end(), small_raposo.begin(), small_raposo.end());
  const Outcome r = run(train, at.dir);
  INFO(r.out << r.err);
  REQUIRE(r.code == 0);
  CHECK_THAT(r.err, Catch::Contains("epoch 3/3"));
  CHECK_THAT(r.out, Catch::Contains("MRR EEG -> audio"));
  const Json report = read_json(at("run/report.json"));
  CHECK(report["inputs"]["eeg_channels"] == Json({"Fz", "Cz", "Pz", "Oz"}));  // Status left out
  CHECK(report["inputs"]["held_out_songs"].size() == 1);
  CHECK(report["inputs"]["training_chunks"] == 48);  // 2 songs x 2 subjects x 12 chunks of 1 s
  CHECK(report["inputs"]["held_out_chunks"] == 24);
  CHECK(report["inputs"]["eeg_chunk"] == Json({4, 128}));
  CHECK(report["held_out"]["items"] == 24);
  for (const char* file : {"model.canon", "checkpoint.canon", "config.json", "loss.svg", "correlations.svg"})
    CHECK(fs::exists(at(std::string("run/") + file)));

  // New files, cut into the chunks the model was trained on: one row per chunk, or
  // their mean with --mean.
  write_session(at("new.wav"), at("new.edf"), 1, 99, 7);
  REQUIRE(run({"embed", "--model", at("run/model.canon"), "--view", "1", "--input", at("new.wav"), "--output",
               at("za.npy")}, at.dir).code == 0);
  REQUIRE(run({"embed", "--model", at("run/model.canon"), "--view", "1", "--input", at("new.wav"), "--output",
               at("za_mean.npy"), "--mean"}, at.dir).code == 0);
  const Outcome e = run({"embed", "--model", at("run/model.canon"), "--view", "2", "--input", at("new.edf"),
                         "--output", at("ze.npy")}, at.dir);
  INFO(e.err);
  REQUIRE(e.code == 0);
  CHECK_THAT(e.out, Catch::Contains("embedded 7 chunks of view 2"));
  const auto za = io::read_npy(at("za.npy")), ze = io::read_npy(at("ze.npy")), zm = io::read_npy(at("za_mean.npy"));
  const Index k = report["training_correlations"].size();
  CHECK(za.shape == std::vector<Index>{7, k});
  CHECK(ze.shape == std::vector<Index>{7, k});
  REQUIRE(zm.shape == std::vector<Index>{1, k});
  const Matrix<double> rows = za.matrix<double>(), mean = zm.matrix<double>();
  CHECK((rows.colwise().mean() - mean).cwiseAbs().maxCoeff() < 1e-12);

  SECTION("the written config repeats the run bit for bit") {
    const Outcome again =
        run({"train", "raposo", "--config", at("run/config.json"), "--out", at("again"), "--quiet"}, at.dir);
    INFO(again.err);
    REQUIRE(again.code == 0);
    REQUIRE(run({"embed", "--model", at("again/model.canon"), "--view", "2", "--input", at("new.edf"), "--output",
                 at("ze2.npy")}, at.dir).code == 0);
    CHECK(read_text(at("ze2.npy")) == read_text(at("ze.npy")));
  }
  SECTION("info shows the architecture and the chunking") {
    const Outcome i = run({"info", at("run/model.canon")}, at.dir);
    REQUIRE(i.code == 0);
    CHECK_THAT(i.out, Catch::Contains("canon.raposo 1") && Catch::Contains("eeg_label Oz"));
  }
  SECTION("bad manifests and files: one line naming the file, exit 3") {
    auto expect = [&](const std::string& text, const std::string& says) {
      std::ofstream(at("bad.csv")) << text;
      std::vector<std::string> args{"train", "raposo", "--manifest", at("bad.csv"), "--out", at("bad")};
      args.insert(args.end(), small_raposo.begin(), small_raposo.end());
      const Outcome b = run(args, at.dir);
      INFO(b.err);
      CHECK(b.code == 3);
      CHECK_THAT(b.err, Catch::Contains(says));
    };
    expect("audio,eeg\nmissing.wav,s0_song0.edf\n", "missing.wav");
    expect("audio,song\ns0_song0.wav,a\n", "eeg");
    write_session(at("other.wav"), at("other.edf"), 0, 5, 12, "F3");
    expect("audio,eeg,song\ns0_song0.wav,s0_song0.edf,a\nother.wav,other.edf,b\n", "F3 Cz Pz Oz");
    expect("audio,eeg,song\ns0_song0.wav,s0_song0.edf,a\ns1_song0.wav,s1_song0.edf,a\n", "leaving none to train on");
    {
      const std::string bytes = read_text(at("s0_song1.edf"));
      std::ofstream(at("truncated.edf"), std::ios::binary) << bytes.substr(0, bytes.size() - 1000);
    }
    expect("audio,eeg,song\ns0_song0.wav,s0_song0.edf,a\ns0_song1.wav,truncated.edf,b\n", "truncated.edf");
    expect("audio,eeg,song\ns0_song0.wav,s0_song0.edf,a\ns0_song1.wav,s0_song1.edf:Fz,b\n", "s0_song1.edf:Fz");
  }
}

TEST_CASE("canon train dcca: without --threads or OMP_NUM_THREADS, small models train on one thread") {
  Scratch at("threads");
  write_views(at, 600, 7);
  // ctest sets OMP_NUM_THREADS=1 for every test; the policy applies only without it.
  const char* was = std::getenv("OMP_NUM_THREADS");
  const std::string saved = was ? was : "";
  ::unsetenv("OMP_NUM_THREADS");
  auto threads_of = [&](const std::string& hidden, const std::string& batch, const std::string& out) {
    const Outcome r = run({"train", "dcca", "--x1", at("x1.npy"), "--x2", at("x2.npy"), "--hidden", hidden,
                           "--out-dim", "1", "--epochs", "1", "--batch", batch, "--quiet", "--out", at(out)}, at.dir);
    INFO(r.err);
    REQUIRE(r.code == 0);
    const Json config = read_json(at(out + "/config.json"));
    CHECK(read_json(at(out + "/report.json"))["machine"]["threads"] == config["threads"]);
    return config["threads"].get<int>();
  };
  const int small = threads_of("16", "200", "small");  // 16 x 16 x 200: far below 2^21
  const int wide = threads_of("256,256", "500", "wide");  // 256 x 256 x 500 = 3.3e7
  if (was) ::setenv("OMP_NUM_THREADS", saved.c_str(), 1);
  CHECK(small == 1);
#ifdef CANON_PROGRAM_OPENMP
  cpu_set_t allowed;
  CPU_ZERO(&allowed);
  REQUIRE(sched_getaffinity(0, sizeof allowed, &allowed) == 0);
  CHECK(wide == CPU_COUNT(&allowed));  // OpenMP's default: one thread per core it may use
#else
  CHECK(wide == 1);
#endif
}

TEST_CASE("canon train dcca: SIGINT stops after a checkpoint, --resume ends as an uninterrupted run") {
  Scratch at("resume");
  write_views(at, 400, 3);
  auto train = [&](const std::string& out) {
    return std::vector<std::string>{"train", "dcca", "--x1", at("x1.npy"), "--x2", at("x2.npy"), "--hidden", "8",
                                    "--out-dim", "1", "--epochs", "1500", "--batch", "100",
                                    "--validation-fraction", "0", "--threads", "1", "--quiet", "--out", at(out)};
  };
  REQUIRE(run(train("full"), at.dir).code == 0);

  const pid_t pid = start(train("cut"), at.dir);
  const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(60);
  while (!fs::exists(at("cut/checkpoint.canon")) && std::chrono::steady_clock::now() < deadline)
    std::this_thread::sleep_for(std::chrono::milliseconds(5));
  ::kill(pid, SIGINT);
  const Outcome cut = finish(pid, at.dir);
  if (cut.code == 0) {
    WARN("the run finished before the signal arrived; the interruption was not exercised");
  } else {
    CHECK(cut.code == 130);
    CHECK_THAT(cut.err, Catch::Contains("interrupted at epoch") && Catch::Contains("holds the run after epoch"));
    CHECK(!fs::exists(at("cut/model.canon")));
  }
  std::vector<std::string> resume = train("cut");
  resume.push_back("--resume");
  REQUIRE(run(resume, at.dir).code == 0);
  REQUIRE(run({"embed", "--model", at("full/model.canon"), "--input", at("x1.npy"), "--output", at("a.npy")},
              at.dir).code == 0);
  REQUIRE(run({"embed", "--model", at("cut/model.canon"), "--input", at("x1.npy"), "--output", at("b.npy")},
              at.dir).code == 0);
  CHECK(read_text(at("a.npy")) == read_text(at("b.npy")));
}

TEST_CASE("canon demo: finds the demos, passes their options, times them and passes on a failure") {
  Scratch at("demo");
  // Stand-ins for the three demo programs: each records its arguments, writes a report
  // where --out says, and exits with the code given here (the avramidis one fails).
  fs::create_directories(at("bin"));
  for (const auto& [program, code] : std::vector<std::pair<std::string, int>>{
           {"04_raposo_demo", 0}, {"06_avramidis_demo", 1}, {"07_emer_cl_demo", 0}}) {
    const std::string path = at("bin/" + program);
    std::ofstream(path) << "#!/bin/sh\nout=\nfor a in \"$@\"; do echo \"$a\" >> \"$0.args\"; done\n"
                           "while [ $# -gt 0 ]; do [ \"$1\" = --out ] && out=$2; shift; done\n"
                           "mkdir -p \"$out\" && echo '{}' > \"$out/report.json\"\nexit "
                        << code << "\n";
    fs::permissions(path, fs::perms::owner_all);
  }
  ::setenv("CANON_DEMO_DIR", at("bin").c_str(), 1);

  const Outcome one = run({"demo", "emer-cl", "--quick", "--out", at("out"), "--", "--runs", "2"}, at.dir);
  INFO(one.out << one.err);
  CHECK(one.code == 0);
  CHECK(read_text(at("bin/07_emer_cl_demo.args")) == "--out\n" + at("out/emer-cl") + "\n--quick\n--runs\n2\n");
  CHECK(!fs::exists(at("bin/04_raposo_demo.args")));  // only the one named
  CHECK_THAT(one.out, Catch::Contains("emer-cl") && Catch::Contains(at("out/emer-cl/report.json")) &&
                          Catch::Contains("total"));

  const Outcome all = run({"demo", "--out", at("all")}, at.dir);  // all three, by default
  CHECK(all.code == 1);  // the avramidis stand-in's code
  for (const char* name : {"raposo", "avramidis", "emer-cl"})
    CHECK(fs::exists(at(std::string("all/") + name + "/report.json")));
  CHECK_THAT(all.out, Catch::Contains("1 of 3") && Catch::Contains("3 of 3"));

  const Outcome extra = run({"demo", "all", "--", "--runs", "2"}, at.dir);
  CHECK(extra.code == 2);
  CHECK_THAT(extra.err, Catch::Contains("arguments after -- go to one demo"));
  const Outcome unknown = run({"demo", "deap"}, at.dir);
  CHECK(unknown.code == 2);

  ::setenv("CANON_DEMO_DIR", at("nowhere").c_str(), 1);
  const Outcome missing = run({"demo", "raposo"}, at.dir);
  CHECK(missing.code == 3);
  CHECK_THAT(missing.err, Catch::Contains("04_raposo_demo) is not here") && Catch::Contains(at("nowhere")));
  ::unsetenv("CANON_DEMO_DIR");
}

TEST_CASE("canon: bad input is one line naming the problem, with an exit code a script can test", "[robust]") {
  Scratch at("errors");
  write_views(at, 50, 4);
  write_views(at, 40, 5, "_short");
  auto expect = [&](const std::vector<std::string>& args, int code, const std::string& says) {
    const Outcome r = run(args, at.dir);
    INFO(args[0] << " ...: " << r.err);
    CHECK(r.code == code);
    CHECK_THAT(r.err, Catch::Contains(says));
    CHECK_THAT(r.err, !Catch::Contains("terminate called"));
  };
  expect({"cca", "--x1", at("missing.npy"), "--x2", at("x2.npy")}, 3, "missing.npy");
  expect({"cca", "--x1", at("x1.npy"), "--x2", at("x2_short.npy")}, 3, "must be paired");
  {
    std::string bytes = read_text(at("x1.npy"));
    std::ofstream(at("truncated.npy"), std::ios::binary) << bytes.substr(0, bytes.size() - 9);
  }
  expect({"cca", "--x1", at("truncated.npy"), "--x2", at("x2.npy")}, 3, "truncated.npy");
  std::ofstream(at("nan.csv")) << "a,b\n1,2\n3,nan\n";
  expect({"evaluate", "--first", at("nan.csv"), "--second", at("nan.csv")}, 3, "line 3, column 2");
  expect({"cca", "--x1", at("x1.npy")}, 2, "--x2 is required");
  expect({"cca", "--x1", at("x1.npy"), "--x2", at("x2.npy"), "--permutations", "5"}, 2, "--permutations");
  expect({"train", "dcca", "--x1", at("x1.npy"), "--x2", at("x2.npy"), "--out", at("o"), "--activation", "gelu"}, 2,
         "gelu");
  expect({"frobnicate"}, 2, "");
  std::ofstream(at("unknown.json")) << R"({"x1": "a.npy", "x2": "b.npy", "out": "o", "lr": 0.1})";
  expect({"train", "dcca", "--config", at("unknown.json")}, 2, "unknown key 'lr'");
  std::ofstream(at("type.json")) << R"({"x1": "a.npy", "x2": "b.npy", "out": "o", "epochs": "ten"})";
  expect({"train", "dcca", "--config", at("type.json")}, 2, "'epochs' must be a number");
  std::ofstream(at("broken.json")) << R"({"x1": )";
  expect({"train", "dcca", "--config", at("broken.json")}, 2, "not valid JSON");
  std::ofstream(at("other.json")) << R"({"command": "cca"})";
  expect({"train", "dcca", "--config", at("other.json")}, 2, "is for 'canon cca'");
  expect({"info", at("x1.npy")}, 3, "not a canon tensor file");
  expect({"embed", "--model", at("x1.npy"), "--input", at("x1.npy"), "--output", at("z.npy")}, 3,
         "not a canon tensor file");

  const Outcome help = run({"train", "dcca", "--help"}, at.dir);
  CHECK(help.code == 0);
  CHECK_THAT(help.out, Catch::Contains("Example:") && Catch::Contains("--hidden"));
  // The manual page comes from the same definitions as --help: every command and flag.
  const Outcome man = run({"--man"}, at.dir);
  CHECK(man.code == 0);
  CHECK(man.out.rfind(".TH CANON 1", 0) == 0);
  for (const char* part : {".SS canon train dcca", ".SS canon demo", ".SS canon cca", "\\-\\-hidden",
                           "\\-\\-validation\\-fraction", ".SH EXIT STATUS", "Example:"})
    CHECK_THAT(man.out, Catch::Contains(part));
  CHECK(man.out.find("\n.B canon train dcca\n") != std::string::npos);
  CHECK(run({"--man", at("canon.1")}, at.dir).code == 0);
  CHECK(read_text(at("canon.1")) == man.out);
  const Outcome version = run({"--version"}, at.dir);
  CHECK(version.code == 0);
  CHECK_THAT(version.out, Catch::Contains("canon 0.1.0"));
}
