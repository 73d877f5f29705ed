// canon/core/detail/architecture_record.hpp — the "architecture" text record that lets a
// model file rebuild its model: a header line "canon.<model> <version>", then one
// "key value" line per setting, e.g.
//
//   canon.avramidis 1
//   eeg_hidden1 128
//   recurrent_dropout 0.20000000000000001
//
// Numbers are written with 17 significant digits, so a double comes back exactly. The
// reader refuses a missing or other header, a line without a value, a key given twice,
// a key the model does not know and a value of the wrong kind, each naming the file and
// the line.
#pragma once

#include <cmath>
#include <cstdlib>
#include <initializer_list>
#include <map>
#include <sstream>
#include <string>
#include <vector>

#include "canon/core/error.hpp"
#include "canon/core/types.hpp"

namespace canon::detail {

class ArchitectureWriter {
 public:
  ArchitectureWriter(const std::string& model, int version) {
    out_.precision(17);
    out_ << "canon." << model << ' ' << version << '\n';
  }
  template <class T>
  ArchitectureWriter& add(const std::string& key, const T& value) {
    out_ << key << ' ' << value << '\n';
    return *this;
  }
  /// A list on one line (an empty list would leave the line without a value).
  ArchitectureWriter& add(const std::string& key, const std::vector<Index>& values) {
    out_ << key;
    for (Index v : values) out_ << ' ' << v;
    out_ << '\n';
    return *this;
  }
  std::string text() const { return out_.str(); }

 private:
  std::ostringstream out_;
};

class ArchitectureReader {
 public:
  /// Parses `text`; `source` names the file in messages ("'run/model.canon'").
  ArchitectureReader(const std::string& text, const std::string& model, int version, std::string source)
      : source_(std::move(source)) {
    std::istringstream in(text);
    std::string line;
    bool header = false;
    while (std::getline(in, line)) {
      std::istringstream fields(line);
      std::string key, value;
      if (!(fields >> key)) continue;
      std::getline(fields >> std::ws, value);
      if (!header) {
        if (key != "canon." + model || value != std::to_string(version))
          throw io_error(message(source_, ": not a canon.", model, " architecture of version ", version,
                                 " (first line '", line, "', expected 'canon.", model, ' ', version, "')"));
        header = true;
        continue;
      }
      if (value.empty()) throw io_error(message(source_, ": architecture line '", line, "' has no value"));
      if (!values_.emplace(key, value).second)
        throw io_error(message(source_, ": the architecture gives '", key, "' twice"));
    }
    if (!header) throw io_error(message(source_, ": empty architecture record (expected 'canon.", model, "')"));
  }

  /// Throws if a key is not among `known` (a file of another version or a typo).
  void allow_only(std::initializer_list<const char*> known) const {
    for (const auto& [key, value] : values_) {
      bool found = false;
      for (const char* k : known) found = found || key == k;
      if (!found) {
        std::string list;
        for (const char* k : known) list += (list.empty() ? "" : ", ") + std::string(k);
        throw io_error(message(source_, ": unknown architecture key '", key, "' (expected ", list, ")"));
      }
    }
  }

  const std::string& text(const std::string& key) const {
    const auto found = values_.find(key);
    if (found == values_.end()) throw io_error(message(source_, ": the architecture lacks '", key, "'"));
    return found->second;
  }

  double number(const std::string& key) const {
    const std::string& v = text(key);
    std::istringstream in(v);
    double x = 0;
    std::string rest;
    if (!(in >> x) || (in >> rest) || !std::isfinite(x))
      throw io_error(message(source_, ": architecture '", key, " ", v, "': expected a finite number"));
    return x;
  }

  /// A list of whole numbers >= 1 ("256 512 512").
  std::vector<Index> wholes(const std::string& key) const {
    const std::string& v = text(key);
    std::vector<Index> out;
    std::istringstream in(v);
    std::string item;
    while (in >> item) {
      char* end = nullptr;
      const long long x = std::strtoll(item.c_str(), &end, 10);
      if (*end != '\0' || x < 1)
        throw io_error(message(source_, ": architecture '", key, " ", v, "': expected whole numbers >= 1"));
      out.push_back(Index(x));
    }
    return out;
  }

  /// A whole number >= `least`.
  Index whole(const std::string& key, Index least = 1) const {
    const double x = number(key);
    if (x != std::floor(x) || x < double(least) || x > 0x1p53)
      throw io_error(message(source_, ": architecture '", key, " ", text(key), "': expected a whole number >= ",
                             least));
    return Index(x);
  }

 private:
  std::string source_;
  std::map<std::string, std::string> values_;
};

}  // namespace canon::detail
