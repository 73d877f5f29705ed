// canon demo: the three systems' demos (examples 04, 06 and 07) on their default data,
// one after another, each timed, with a table of where every report went. The demos are
// separate programs (each is an experiment with its own options and exit code, and
// keeping them out of this program keeps its compile time); this command finds them
// beside it and runs them as they are.
#include <canon/core/error.hpp>
#include <canon/report/progress.hpp>
#include <cerrno>
#include <chrono>
#include <csignal>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <spawn.h>
#include <sys/wait.h>
#include <unistd.h>

#include "common.hpp"

extern char** environ;

namespace canon_cli {

namespace {

namespace fs = std::filesystem;

struct Demo {
  const char* name;     // as typed after "canon demo"
  const char* program;  // the example's executable
  const char* what;
};
constexpr Demo demos[] = {
    {"raposo", "04_raposo_demo", "Raposo 2017: Deep CCA of raw audio and EEG, chunk retrieval, transfer"},
    {"avramidis", "06_avramidis_demo", "Avramidis 2022: LSTM + attention on EEG, shared space, per-subject CV"},
    {"emer-cl", "07_emer_cl_demo", "Takashima EMER-CL: music <-> emotion retrieval, Composite loss"},
};

struct DemoSettings {
  std::string which = "all", out = "canon-demo";
  bool quick = false;
  std::vector<std::string> args;
};

// Where the demos are: $CANON_DEMO_DIR, else beside this program in a build tree
// (build/bin/canon -> build/examples/) or an install (bin/canon -> libexec/canon/).
std::vector<fs::path> demo_dirs() {
  if (const char* dir = std::getenv("CANON_DEMO_DIR"); dir && *dir) return {dir};
  std::error_code failed;
  const fs::path self = fs::read_symlink("/proc/self/exe", failed);
  if (failed) return {};
  const fs::path prefix = self.parent_path().parent_path();
  return {prefix / "examples", prefix / "libexec" / "canon"};
}

fs::path find_demo(const Demo& demo) {
  std::string looked;
  for (const fs::path& dir : demo_dirs()) {
    const fs::path candidate = dir / demo.program;
    if (::access(candidate.c_str(), X_OK) == 0) return candidate;
    looked += (looked.empty() ? "" : ", ") + candidate.string();
  }
  throw canon::io_error(std::string("the ") + demo.name + " demo (" + demo.program + ") is not here (looked for " +
                        (looked.empty() ? std::string("nothing: set CANON_DEMO_DIR") : looked) +
                        "); it is built with canon's examples and needs the signal and io components (FFTW, "
                        "libsndfile, EDFlib); CANON_DEMO_DIR names another folder");
}

// Runs `program args...` with this process's terminal; returns its exit code (128 + the
// signal's number when a signal ended it, as a shell reports it).
int run_program(const fs::path& program, const std::vector<std::string>& args) {
  std::vector<std::string> all{program.string()};
  all.insert(all.end(), args.begin(), args.end());
  std::vector<char*> argv;
  for (auto& a : all) argv.push_back(a.data());
  argv.push_back(nullptr);
  std::fflush(stdout);
  pid_t pid = -1;
  if (const int failed = posix_spawn(&pid, program.c_str(), nullptr, nullptr, argv.data(), environ))
    throw canon::io_error("cannot start '" + program.string() + "': " + std::strerror(failed));
  // Ctrl-C reaches the demo through the terminal; this process waits for it to end.
  auto previous = std::signal(SIGINT, SIG_IGN);
  int status = 0;
  while (::waitpid(pid, &status, 0) < 0 && errno == EINTR) {
  }
  std::signal(SIGINT, previous);
  if (WIFSIGNALED(status)) return 128 + WTERMSIG(status);
  return WIFEXITED(status) ? WEXITSTATUS(status) : exit_internal;
}

void run_demo(const DemoSettings& s) {
  std::vector<const Demo*> chosen;
  for (const Demo& demo : demos)
    if (s.which == "all" || s.which == demo.name) chosen.push_back(&demo);
  if (chosen.size() > 1 && !s.args.empty())
    throw UsageError("demo: arguments after -- go to one demo; name it (canon demo raposo -- --runs 3)");
  std::vector<fs::path> programs;
  for (const Demo* demo : chosen) programs.push_back(find_demo(*demo));  // all found before any runs

  struct Outcome {
    const Demo* demo;
    int code;
    double seconds;
    std::string out;
  };
  std::vector<Outcome> outcomes;
  for (std::size_t i = 0; i < chosen.size(); ++i) {
    const Demo& demo = *chosen[i];
    const std::string out = (fs::path(s.out) / demo.name).string();
    std::vector<std::string> args{"--out", out};
    if (s.quick) args.push_back("--quick");
    args.insert(args.end(), s.args.begin(), s.args.end());
    std::printf("== canon demo %s (%zu of %zu): %s\n", demo.name, i + 1, chosen.size(), demo.what);
    const auto start = std::chrono::steady_clock::now();
    const int code = run_program(programs[i], args);
    const double seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
    outcomes.push_back({&demo, code, seconds, out});
    std::printf("== %s: exit code %d after %s\n\n", demo.name, code, canon::report::format_duration(seconds).c_str());
    if (code == exit_interrupted || code == 128 + SIGTERM) break;  // the user asked to stop
  }

  double total = 0;
  std::printf("%-10s %8s  %-4s  %s\n", "demo", "time", "exit", "report");
  for (const Outcome& o : outcomes) {
    total += o.seconds;
    const fs::path report = fs::path(o.out) / "report.json";
    std::printf("%-10s %8s  %-4d  %s\n", o.demo->name, canon::report::format_duration(o.seconds).c_str(), o.code,
                fs::exists(report) ? report.string().c_str() : "(none written)");
  }
  std::printf("total %s\n", canon::report::format_duration(total).c_str());
  for (const Outcome& o : outcomes)
    if (o.code != 0) throw ExitStatus{o.code};  // the first demo that failed sets the exit code
}

}  // namespace

void add_demo(CLI::App& app, Commands& commands) {
  auto settings = std::make_shared<DemoSettings>();
  CLI::App* sub = app.add_subcommand("demo", "Run the systems' demos on their default data, timed");
  sub->footer(
      "Examples:\n  canon demo                       all three, one after another (about 13 min on 2 cores)\n"
      "  canon demo emer-cl --quick       the ctest-sized run, seconds\n"
      "  canon demo raposo -- --runs 3    arguments after -- go to that demo (see its --help)\n"
      "Each demo writes report.json and its figures to OUT/NAME; its exit code is 0 when it showed what it "
      "demonstrates (docs/raposo.md, docs/avramidis.md, docs/emer-cl.md).");
  sub->add_option("which", settings->which, "raposo, avramidis, emer-cl or all")
      ->check(CLI::IsMember({"raposo", "avramidis", "emer-cl", "all"}))
      ->capture_default_str();
  sub->add_option("args", settings->args, "after --: arguments for the one demo named");
  auto options = std::make_unique<Options>(sub, "demo");
  options->add("out", settings->out, "folder for the demos' reports (one subfolder per demo)");
  options->add_switch("quick", settings->quick, "each demo's small run (what its ctest runs)");
  commands.push_back({std::move(options), [settings] { run_demo(*settings); }});
}

}  // namespace canon_cli
