// canon/report/json.hpp — a small streaming JSON writer for reports (metrics, settings,
// per-epoch curves). Writes RFC 8259 JSON: strings escaped, non-finite numbers written
// as null (JSON has no NaN), numbers with enough digits to round-trip a double.
#pragma once

#include <cmath>
#include <cstdio>
#include <ostream>
#include <string>
#include <string_view>
#include <vector>

#include "canon/core/error.hpp"

namespace canon::report {

class JsonWriter {
 public:
  explicit JsonWriter(std::ostream& out, int indent = 2) : out_(out), indent_(indent) {}

  JsonWriter& begin_object() { return open('{', Frame::object); }
  JsonWriter& end_object() { return close('}', Frame::object); }
  JsonWriter& begin_array() { return open('[', Frame::array); }
  JsonWriter& end_array() { return close(']', Frame::array); }

  /// The key of the next member of the enclosing object.
  JsonWriter& key(std::string_view name) {
    if (stack_.empty() || stack_.back().kind != Frame::object || expecting_value_)
      throw error(canon::detail::message("JsonWriter: key \"", name, "\" outside an object or after a key"));
    separate();
    write_string(name);
    out_ << (indent_ > 0 ? ": " : ":");
    expecting_value_ = true;
    return *this;
  }

  JsonWriter& value(double v) {
    prefix();
    if (!std::isfinite(v)) {
      out_ << "null";
    } else {
      char buffer[32];
      std::snprintf(buffer, sizeof buffer, "%.17g", v);
      out_ << buffer;
    }
    return *this;
  }
  JsonWriter& value(long v) {
    prefix();
    out_ << v;
    return *this;
  }
  JsonWriter& value(int v) { return value(long(v)); }
  // Every integer type writes its exact value (sizes, counts, 64-bit seeds), where a
  // conversion to double would round above 2^53 and the overloads would be ambiguous.
  JsonWriter& value(long long v) {
    prefix();
    out_ << v;
    return *this;
  }
  JsonWriter& value(unsigned long long v) {
    prefix();
    out_ << v;
    return *this;
  }
  JsonWriter& value(unsigned long v) { return value(static_cast<unsigned long long>(v)); }
  JsonWriter& value(unsigned v) { return value(static_cast<unsigned long long>(v)); }
  JsonWriter& value(bool v) {
    prefix();
    out_ << (v ? "true" : "false");
    return *this;
  }
  JsonWriter& value(std::string_view v) {
    prefix();
    write_string(v);
    return *this;
  }
  JsonWriter& value(const char* v) { return value(std::string_view(v)); }
  JsonWriter& null() {
    prefix();
    out_ << "null";
    return *this;
  }
  template <class T>
  JsonWriter& value(const std::vector<T>& values) {
    begin_array();
    for (const auto& v : values) value(v);
    return end_array();
  }

  /// key(name).value(v) in one call.
  template <class T>
  JsonWriter& member(std::string_view name, const T& v) {
    key(name);
    return value(v);
  }

  /// True once every opened object and array is closed.
  bool complete() const { return stack_.empty() && wrote_root_; }

 private:
  enum class Frame { object, array };
  struct Level {
    Frame kind;
    bool has_items;
  };

  JsonWriter& open(char bracket, Frame kind) {
    prefix();
    out_ << bracket;
    stack_.push_back({kind, false});
    return *this;
  }
  JsonWriter& close(char bracket, Frame kind) {
    if (stack_.empty() || stack_.back().kind != kind || expecting_value_)
      throw error(canon::detail::message("JsonWriter: '", bracket, "' does not close the open ",
                                         stack_.empty() ? "nothing" : "container"));
    const bool had_items = stack_.back().has_items;
    stack_.pop_back();
    if (had_items) newline();
    out_ << bracket;
    return *this;
  }
  // Before a value: a separator inside arrays, nothing after a key.
  void prefix() {
    if (stack_.empty()) {
      if (wrote_root_) throw error("JsonWriter: a document has one root value");
      wrote_root_ = true;
      return;
    }
    if (stack_.back().kind == Frame::object) {
      if (!expecting_value_) throw error("JsonWriter: a value inside an object needs a key first");
      expecting_value_ = false;
      return;
    }
    separate();
  }
  void separate() {
    if (stack_.back().has_items) out_ << ',';
    stack_.back().has_items = true;
    newline();
  }
  void newline() {
    if (indent_ <= 0) return;
    out_ << '\n' << std::string(stack_.size() * std::size_t(indent_), ' ');
  }
  void write_string(std::string_view s) {
    out_ << '"';
    for (const char c : s) {
      switch (c) {
        case '"': out_ << "\\\""; break;
        case '\\': out_ << "\\\\"; break;
        case '\n': out_ << "\\n"; break;
        case '\r': out_ << "\\r"; break;
        case '\t': out_ << "\\t"; break;
        default:
          if (static_cast<unsigned char>(c) < 0x20) {
            char buffer[8];
            std::snprintf(buffer, sizeof buffer, "\\u%04x", static_cast<unsigned>(c));
            out_ << buffer;
          } else {
            out_ << c;
          }
      }
    }
    out_ << '"';
  }

  std::ostream& out_;
  int indent_;
  std::vector<Level> stack_;
  bool expecting_value_ = false;
  bool wrote_root_ = false;
};

}  // namespace canon::report
