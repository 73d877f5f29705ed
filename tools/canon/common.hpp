// tools/canon/common.hpp — what every command of the canon program shares: the command
// table, where logs go, the output directory, JSON reports and the machine they ran on.
#pragma once

#include <canon/core/types.hpp>
#include <canon/eval/cross_modal.hpp>
#include <atomic>
#include <functional>
#include <memory>
#include <ostream>
#include <string>
#include <vector>

#include "options.hpp"

namespace canon_cli {

/// A command: its options and what it does once they are parsed.
struct Command {
  std::unique_ptr<Options> options;
  std::function<void()> run;
};
using Commands = std::vector<Command>;

void add_cca(CLI::App& app, Commands& commands);
void add_train(CLI::App& app, Commands& commands);
void add_train_raposo(CLI::App* train, Commands& commands);
void add_embed(CLI::App& app, Commands& commands);
void add_retrieve(CLI::App& app, Commands& commands);
void add_evaluate(CLI::App& app, Commands& commands);
void add_info(CLI::App& app, Commands& commands);
void add_demo(CLI::App& app, Commands& commands);

/// The options every computing command has: --threads, --quiet.
struct Common {
  int threads = 0;  // 0: OpenMP's default (OMP_NUM_THREADS, else one per core)
  bool quiet = false;
  void add_to(Options& options);
  /// Sets the thread count; returns the stream for progress (stderr, or nothing).
  std::ostream& start() const;
  /// With --threads 0 and no OMP_NUM_THREADS, sets the thread count from the size of the
  /// work (canon::threads_for_work: one thread for small models); returns the count in
  /// effect, which a config written afterwards should record so that it repeats exactly.
  int choose_threads(double multiply_adds) const;
  /// Whether progress goes to a terminal (stderr is one and --quiet is off).
  bool on_terminal() const;
};

/// Creates `dir` (and parents) if needed; returns dir + "/" + name for each output.
std::string output_file(const std::string& dir, const std::string& name);

/// Writes `value` as indented JSON, atomically (temporary file, then rename).
void write_json(const std::string& path, const Json& value);

/// canon's version, the CPU, its vector instructions and the threads used.
Json machine_json();

/// Rows of a small matrix or a vector as JSON arrays.
Json to_json(const canon::Matrix<double>& m);
Json to_json(const canon::Vector<double>& v);
Json to_json(const canon::eval::CrossModalScores& s);

/// Set by SIGINT/SIGTERM while a command that can stop cleanly runs (train).
extern std::atomic<bool> stop_requested;
/// Installs the handlers for the lifetime of the object, then restores the defaults.
class StopOnSignal {
 public:
  StopOnSignal();
  ~StopOnSignal();
  StopOnSignal(const StopOnSignal&) = delete;
  StopOnSignal& operator=(const StopOnSignal&) = delete;
};

/// A matrix of samples x features in canon's layout (one column per sample) from a .npy,
/// .csv or .npz source ("f.npz" holding one array, or "f.npz:name"); `what` names it in
/// messages ("the first view").
canon::Matrix<double> read_matrix(const std::string& source, const std::string& what);
/// Writes x (d x n) as an (n, d) float64 array: a .npy file, or an .npz archive holding
/// it as "embedding" ("f.npz:name" picks the name).
void write_matrix(const std::string& path, const canon::Matrix<double>& x);
/// What the help says of an input file.
inline constexpr const char* matrix_formats = ".npy, .csv or .npz (file.npz:array)";

/// Two paired views read from files of samples x features, in canon's layout.
struct PairedViews {
  canon::Matrix<double> x1, x2;
};
PairedViews read_paired(const std::string& first, const std::string& second);

}  // namespace canon_cli
