// canon/models/emer_cl/detail/json_numbers.hpp — just enough JSON to read PMEmo 2019's
// per-song files (`{"id": 108, ..., "dynamic": {"t": [...], "v": [...], "a": [...]}}`):
// a strict parser of the whole document (RFC 8259 values; strings are skipped, not
// decoded) that keeps the top-level numbers and the numeric arrays of one top-level
// object. Errors name the file and the byte offset.
#pragma once

#include <cctype>
#include <cmath>
#include <cstdlib>
#include <map>
#include <string>
#include <utility>
#include <vector>

#include "canon/core/error.hpp"

namespace canon::emer_cl::detail {

struct JsonNumbers {
  std::map<std::string, double> scalars;                         ///< top-level numbers
  std::map<std::string, std::vector<double>> arrays;             ///< numeric arrays of `object`
  bool has_object = false;
};

class JsonNumberParser {
 public:
  JsonNumberParser(const std::string& text, std::string source, std::string object)
      : s_(text), source_(std::move(source)), object_(std::move(object)) {}

  JsonNumbers parse() {
    space();
    if (peek() != '{') fail("expected a JSON object at the top level");
    object(0, "");
    space();
    if (i_ != s_.size()) fail("text after the top-level object");
    return out_;
  }

 private:
  [[noreturn]] void fail(const std::string& what) const {
    throw io_error(canon::detail::message(source_, ": byte ", i_, ": ", what));
  }
  char peek() const { return i_ < s_.size() ? s_[i_] : '\0'; }
  void space() {
    while (i_ < s_.size() && (s_[i_] == ' ' || s_[i_] == '\n' || s_[i_] == '\r' || s_[i_] == '\t')) ++i_;
  }
  void expect(char c) {
    space();
    if (peek() != c) fail(std::string("expected '") + c + "'");
    ++i_;
  }
  std::string string() {
    expect('"');
    std::string out;
    while (true) {
      if (i_ >= s_.size()) fail("unterminated string");
      const char c = s_[i_++];
      if (c == '"') return out;
      if (static_cast<unsigned char>(c) < 0x20) fail("control character in a string");
      if (c == '\\') {
        if (i_ >= s_.size()) fail("unterminated escape");
        const char e = s_[i_++];
        if (e == 'u') {
          for (int k = 0; k < 4; ++k)
            if (i_ >= s_.size() || !std::isxdigit(static_cast<unsigned char>(s_[i_++]))) fail("bad \\u escape");
          out += '?';  // keys we need are ASCII; other text is skipped
        } else if (std::string("\"\\/bfnrt").find(e) == std::string::npos) {
          fail("bad escape");
        } else {
          out += e;
        }
      } else {
        out += c;
      }
    }
  }
  double number() {
    const std::size_t begin = i_;
    if (peek() == '-') ++i_;
    if (!std::isdigit(static_cast<unsigned char>(peek()))) fail("expected a number");
    while (i_ < s_.size() &&
           (std::isdigit(static_cast<unsigned char>(s_[i_])) || std::string(".eE+-").find(s_[i_]) != std::string::npos))
      ++i_;
    const std::string text = s_.substr(begin, i_ - begin);
    char* end = nullptr;
    const double v = std::strtod(text.c_str(), &end);
    if (end != text.c_str() + text.size() || !std::isfinite(v)) {
      i_ = begin;
      fail("malformed number '" + text + "'");
    }
    return v;
  }
  // depth 0: the document; `key` is the key this value sits under in its parent.
  void value(int depth, const std::string& key, bool in_target) {
    space();
    const char c = peek();
    if (c == '{') {
      object(depth, key);
    } else if (c == '[') {
      array(depth, key, in_target);
    } else if (c == '"') {
      string();
    } else if (c == 't' || c == 'f' || c == 'n') {
      for (const char* word : {"true", "false", "null"})
        if (s_.compare(i_, std::char_traits<char>::length(word), word) == 0) {
          i_ += std::char_traits<char>::length(word);
          return;
        }
      fail("expected a value");
    } else {
      const double v = number();
      if (depth == 1) out_.scalars[key] = v;
    }
  }
  void object(int depth, const std::string& key) {
    const bool target = depth == 1 && key == object_;
    if (target) out_.has_object = true;
    expect('{');
    space();
    if (peek() == '}') {
      ++i_;
      return;
    }
    while (true) {
      space();
      const std::string k = string();
      expect(':');
      value(depth + 1, k, target);
      space();
      if (peek() == ',') {
        ++i_;
        continue;
      }
      expect('}');
      return;
    }
  }
  void array(int depth, const std::string& key, bool in_target) {
    expect('[');
    std::vector<double> numbers;
    bool numeric = true;
    space();
    if (peek() == ']') {
      ++i_;
    } else {
      while (true) {
        space();
        const char c = peek();
        if (c == '-' || std::isdigit(static_cast<unsigned char>(c)))
          numbers.push_back(number());
        else {
          numeric = false;
          value(depth + 1, "", false);
        }
        space();
        if (peek() == ',') {
          ++i_;
          continue;
        }
        expect(']');
        break;
      }
    }
    if (in_target && depth == 2) {
      if (!numeric) fail("'" + object_ + "." + key + "' is not an array of numbers");
      out_.arrays[key] = std::move(numbers);
    }
  }

  const std::string& s_;
  std::string source_, object_;
  std::size_t i_ = 0;
  JsonNumbers out_;
};

}  // namespace canon::emer_cl::detail
