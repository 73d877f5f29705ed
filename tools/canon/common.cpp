#include "common.hpp"

#include <canon/core/atomic_file.hpp>
#include <canon/core/threads.hpp>
#include <canon/io/feature_matrix.hpp>
#ifdef CANON_CLI_NPZ
#include <canon/io/npz_samples.hpp>
#endif
#include <canon/report/machine.hpp>
#include <canon/version.hpp>
#include <csignal>
#include <cstdlib>
#include <filesystem>
#include <iostream>
#include <unistd.h>

#ifdef _OPENMP
#include <omp.h>
#endif

namespace canon_cli {

std::atomic<bool> stop_requested{false};

namespace {
extern "C" void request_stop(int) { stop_requested.store(true); }

// A stream that discards everything (--quiet).
class NullBuffer : public std::streambuf {
 protected:
  int overflow(int c) override { return c; }
};
}  // namespace

StopOnSignal::StopOnSignal() {
  stop_requested.store(false);
  std::signal(SIGINT, request_stop);
  std::signal(SIGTERM, request_stop);
}
StopOnSignal::~StopOnSignal() {
  std::signal(SIGINT, SIG_DFL);
  std::signal(SIGTERM, SIG_DFL);
}

void Common::add_to(Options& options) {
  options.add("threads", threads, "OpenMP threads (0: OMP_NUM_THREADS if set; otherwise train takes one thread "
                                  "for a small model and one per core for a large one, the other commands "
                                  "one per core); the same "
                                  "seed and thread count give the same result bit for bit")
      ->check(CLI::NonNegativeNumber);
  options.add_switch("quiet", quiet, "no progress lines (results and errors are still printed)");
}

std::ostream& Common::start() const {
#ifdef _OPENMP
  if (threads > 0) omp_set_num_threads(threads);
#endif
  static NullBuffer nothing;
  static std::ostream silent(&nothing);
  return quiet ? silent : std::cerr;
}

int Common::choose_threads(double multiply_adds) const {
#ifdef _OPENMP
  const char* env = std::getenv("OMP_NUM_THREADS");
  if (threads == 0 && !(env && *env)) omp_set_num_threads(canon::threads_for_work(multiply_adds));
  return omp_get_max_threads();
#else
  (void)multiply_adds;
  return 1;
#endif
}

bool Common::on_terminal() const { return !quiet && ::isatty(STDERR_FILENO) == 1; }

std::string output_file(const std::string& dir, const std::string& name) {
  std::error_code failed;
  std::filesystem::create_directories(dir, failed);
  if (failed)
    throw canon::io_error("cannot create the output directory '" + dir + "': " + failed.message());
  return (std::filesystem::path(dir) / name).string();
}

void write_json(const std::string& path, const Json& value) {
  canon::write_file_atomically(path, [&](std::ostream& out) { out << value.dump(2) << '\n'; });
}

Json machine_json() {
  const auto m = canon::report::this_machine();
  return Json{{"canon", canon::version},
              {"cpu", m.cpu},
              {"logical_cores", m.logical_cores},
              {"threads", m.threads},
              {"compiled_for", m.instructions}};
}

Json to_json(const canon::Matrix<double>& m) {
  Json rows = Json::array();
  for (canon::Index i = 0; i < m.rows(); ++i) {
    Json row = Json::array();
    for (canon::Index j = 0; j < m.cols(); ++j) row.push_back(m(i, j));
    rows.push_back(row);
  }
  return rows;
}

Json to_json(const canon::Vector<double>& v) {
  Json out = Json::array();
  for (canon::Index i = 0; i < v.size(); ++i) out.push_back(v(i));
  return out;
}

Json to_json(const canon::eval::CrossModalScores& s) {
  auto direction = [](const canon::eval::RetrievalScores& r) {
    Json recall = Json::object();
    for (std::size_t i = 0; i < r.ks.size(); ++i) recall["at_" + std::to_string(r.ks[i])] = r.recall[i];
    return Json{{"mrr", r.mrr}, {"median_rank", r.median_rank}, {"average_rank", r.average_rank}, {"recall", recall}};
  };
  return Json{{"items", s.items},
              {"first_to_second", direction(s.a_to_b)},
              {"second_to_first", direction(s.b_to_a)},
              {"chance_mrr", s.chance_mrr},
              {"chance_median_rank", s.chance_median_rank},
              {"correlations", s.correlations},
              {"total_correlation", s.total_correlation}};
}

namespace {
// An .npz source ("f.npz", "f.npz:name") in a program built without zlib.
[[maybe_unused]] [[noreturn]] void refuse_npz(const std::string& source) {
  throw canon::io_error("'" + source + "': this canon program was built without .npz support (zlib, Debian "
                        "zlib1g-dev); save the array with np.save as .npy");
}
}  // namespace

canon::Matrix<double> read_matrix(const std::string& source, const std::string& what) {
  canon::io::NpzSource where;
  if (canon::io::parse_npz_source(source, where)) {
#ifdef CANON_CLI_NPZ
    return canon::io::read_npz_samples(source, what);
#else
    refuse_npz(source);
#endif
  }
  return canon::io::read_samples(source, what);
}

void write_matrix(const std::string& path, const canon::Matrix<double>& x) {
  canon::io::NpzSource where;
  if (canon::io::parse_npz_source(path, where)) {
#ifdef CANON_CLI_NPZ
    canon::io::write_npz_samples(where.path, x, where.name.empty() ? "embedding" : where.name);
    return;
#else
    refuse_npz(path);
#endif
  }
  if (!canon::io::detail::ends_with(path, ".npy"))
    throw UsageError("'" + path + "': outputs are .npy files or .npz archives (file.npz or file.npz:array)");
  canon::io::write_samples(path, x);
}

PairedViews read_paired(const std::string& first, const std::string& second) {
  PairedViews views{read_matrix(first, "the first view"), read_matrix(second, "the second view")};
  if (views.x1.cols() != views.x2.cols())
    throw canon::shape_error("'" + first + "' holds " + std::to_string(views.x1.cols()) + " samples (rows) and '" +
                             second + "' " + std::to_string(views.x2.cols()) +
                             "; the views must be paired, row i of one with row i of the other");
  return views;
}

}  // namespace canon_cli
