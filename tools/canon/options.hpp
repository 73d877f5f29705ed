// tools/canon/options.hpp — one command's options: flags on the command line (CLI11),
// the same names as keys of a JSON config file (nlohmann-json), and the effective
// values written back beside every result so that a run can be repeated exactly.
//
//   canon train dcca --config run.json --epochs 50
//
// reads every key of run.json as if it were given as a flag, except those given on the
// command line, which win. A key that names no option, a value of the wrong JSON type
// or one the option's check refuses is a usage error naming the file and the key.
// Options marked required() must come from one place or the other.
#pragma once

#include <CLI/CLI.hpp>
#include <functional>
#include <nlohmann/json.hpp>
#include <stdexcept>
#include <string>
#include <type_traits>
#include <vector>

namespace canon_cli {

using Json = nlohmann::ordered_json;

/// Exit codes that scripts can test (docs/cli.md).
enum ExitCode : int {
  exit_ok = 0,
  exit_internal = 1,      // a bug in canon: please report it
  exit_usage = 2,         // a flag, a config key or a value the command does not accept
  exit_input = 3,         // a file that cannot be read, data of the wrong shape or values
  exit_interrupted = 130  // SIGINT or SIGTERM (128 + SIGINT); a checkpoint allows --resume
};

/// A problem with how the command was called (exit code 2).
class UsageError : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

/// Ends the command with this exit code, after it has said why (canon demo passes on
/// the code of the demo that failed).
struct ExitStatus {
  int code;
};

class Options {
 public:
  /// `path` is the command as typed after "canon" ("train dcca"), for messages and for
  /// the "command" key of written configs.
  Options(CLI::App* app, std::string path);

  /// A flag --name bound to `value`, whose current value is the default.
  template <class T>
  CLI::Option* add(const std::string& name, T& value, const std::string& help) {
    CLI::Option* option = app_->add_option("--" + name, value, help)->capture_default_str();
    std::function<void(const Json&)> set;
    // A list comes from the config as a whole (CLI11 takes no empty list: [] for no
    // hidden layers); it has no checks to run.
    if constexpr (kind_of<T>() == Kind::list) set = [&value](const Json& j) { value = j.get<T>(); };
    entries_.push_back({name, option, kind_of<T>(), [&value] { return Json(value); }, std::move(set), false});
    return option;
  }

  /// A boolean switch --name (false unless given).
  CLI::Option* add_switch(const std::string& name, bool& value, const std::string& help);

  /// Requires --name from the command line or the config file.
  void required(const std::string& name);

  /// Applies --config and checks required options; call once, after parsing.
  void finish();

  /// Every option's value (the command as "command"), in declaration order.
  Json values() const;

  CLI::App* app() const { return app_; }
  const std::string& path() const { return path_; }

 private:
  enum class Kind { text, number, boolean, list };
  struct Entry {
    std::string name;
    CLI::Option* option;
    Kind kind;
    std::function<Json()> get;
    std::function<void(const Json&)> set;  // switches and lists: set without CLI11
    bool required;
  };

  template <class T>
  static constexpr Kind kind_of() {
    if constexpr (std::is_same_v<T, bool>) return Kind::boolean;
    else if constexpr (std::is_arithmetic_v<T>) return Kind::number;
    else if constexpr (std::is_same_v<T, std::string>) return Kind::text;
    else return Kind::list;
  }

  Entry* find(const std::string& name);
  void apply(Entry& entry, const Json& value, const std::string& file);

  CLI::App* app_;
  std::string path_;
  std::string config_;
  std::vector<Entry> entries_;
};

}  // namespace canon_cli
