// canon/io/csv.hpp — a strict CSV reader for annotation tables.
//
// RFC 4180 with the relaxations real annotation files need: fields may be quoted (with
// "" for a quote and embedded commas and newlines), CRLF or LF line ends, a UTF-8 byte
// order mark, blank lines, and stray spaces/tabs around and inside fields (DEAM's
// songs_info.csv has "\t2.mp3" and "Kevin MacLeod\t"), which are trimmed. Anything else
// — an unterminated quote, text after a closing quote, a row with the wrong number of
// fields — throws io_error naming the file, the line and what was expected; the reader
// never returns part of a file. An empty cell is a missing value, kept as "" in its
// row (in a one-column table a blank line is such a row); number() rejects it.
#pragma once

#include <charconv>
#include <cmath>
#include <cstdlib>
#include <fstream>
#include <limits>
#include <sstream>
#include <string>
#include <system_error>
#include <unordered_map>
#include <vector>

#include "canon/core/error.hpp"
#include "canon/core/types.hpp"

namespace canon::io {

struct CsvOptions {
  char delimiter = ',';
  bool trim = true;  ///< strip spaces and tabs at both ends of every field
};

namespace detail {

inline std::string trim_blanks(const std::string& s) {
  std::size_t begin = 0, end = s.size();
  while (begin < end && (s[begin] == ' ' || s[begin] == '\t')) ++begin;
  while (end > begin && (s[end - 1] == ' ' || s[end - 1] == '\t')) --end;
  return s.substr(begin, end - begin);
}

/// Shows a cell in an error message: quoted, shortened, control bytes escaped.
inline std::string show(const std::string& s) {
  std::string out = "'";
  for (std::size_t i = 0; i < s.size() && i < 40; ++i) {
    const unsigned char c = static_cast<unsigned char>(s[i]);
    if (c < 0x20 || c == 0x7f) {
      out += canon::detail::message("\\x", std::hex, static_cast<int>(c));
    } else {
      out += static_cast<char>(c);
    }
  }
  if (s.size() > 40) out += "...";
  return out + "'";
}

/// Parses a whole field as a finite double; returns false if it is not one. Only
/// decimal notation is a number: an optional sign, digits with an optional point, an
/// optional exponent ("-1.5e-3", "+2", ".5"). Hexadecimal ("0x10"), "nan", "inf",
/// blanks and values beyond double's range (overflow, or a non-zero value so small it
/// would read as 0) are not. Locale-independent (std::from_chars).
inline bool parse_double(const std::string& text, double& value) {
  const char* begin = text.data();
  const char* const end = text.data() + text.size();
  const char* p = begin;
  if (p != end && *p == '+') {
    begin = ++p;  // std::from_chars takes no '+'
  } else if (p != end && *p == '-') {
    ++p;
  }
  const char* const digits = p;
  while (p != end && *p >= '0' && *p <= '9') ++p;
  bool any_digit = p != digits;
  if (p != end && *p == '.') {
    ++p;
    const char* const fraction = p;
    while (p != end && *p >= '0' && *p <= '9') ++p;
    any_digit = any_digit || p != fraction;
  }
  if (!any_digit) return false;
  if (p != end && (*p == 'e' || *p == 'E')) {
    ++p;
    if (p != end && (*p == '+' || *p == '-')) ++p;
    const char* const exponent = p;
    while (p != end && *p >= '0' && *p <= '9') ++p;
    if (p == exponent) return false;
  }
  if (p != end) return false;  // trailing junk or an embedded NUL
  double parsed = 0;
  const auto result = std::from_chars(begin, end, parsed, std::chars_format::general);
  if (result.ec != std::errc() || result.ptr != end || !std::isfinite(parsed)) return false;
  value = parsed;
  return true;
}

/// Converts a finite double to Scalar; false when it lies beyond Scalar's range
/// (1e300 into float), which a plain cast would turn into inf (or undefined behaviour).
template <class Scalar>
bool narrow_finite(double value, Scalar& out) {
  if (!std::isfinite(value)) return false;
  if (std::fabs(value) > static_cast<double>(std::numeric_limits<Scalar>::max())) return false;
  out = static_cast<Scalar>(value);
  return true;
}

}  // namespace detail

/// A parsed table: a header row and data rows, all with the header's width.
class Table {
 public:
  std::string source;                       ///< file name (or label) for messages
  std::vector<std::string> header;          ///< column names, trimmed
  std::vector<std::vector<std::string>> rows;
  std::vector<std::size_t> lines;           ///< 1-based line where each row starts

  Index row_count() const { return static_cast<Index>(rows.size()); }
  Index column_count() const { return static_cast<Index>(header.size()); }

  bool has_column(const std::string& name) const { return find(name) >= 0; }

  /// Index of the column called `name`; throws listing the columns that exist.
  Index column(const std::string& name) const {
    const Index c = find(name);
    if (c < 0) {
      std::string available;
      for (const auto& h : header) available += (available.empty() ? "" : ", ") + detail::show(h);
      throw io_error(canon::detail::message(source, ": no column '", name,
                                            "' (the header has ", available, ")"));
    }
    return c;
  }

  const std::string& cell(Index row, Index col) const {
    check_cell(row, col);
    return rows[static_cast<std::size_t>(row)][static_cast<std::size_t>(col)];
  }

  /// The cell as a finite number; throws naming file, line, column and the text.
  double number(Index row, Index col) const {
    double value = 0;
    if (!detail::parse_double(cell(row, col), value)) {
      throw io_error(canon::detail::message(
          source, ": line ", lines[static_cast<std::size_t>(row)], ", column '",
          header[static_cast<std::size_t>(col)], "' (", col + 1, "): expected a finite number, found ",
          detail::show(cell(row, col))));
    }
    return value;
  }

  /// The cell as an integer (a number with no fractional part, within long long).
  long long integer(Index row, Index col) const {
    const double value = number(row, col);
    if (value != std::floor(value) || std::fabs(value) > 9.0e15) {
      throw io_error(canon::detail::message(
          source, ": line ", lines[static_cast<std::size_t>(row)], ", column '",
          header[static_cast<std::size_t>(col)], "': expected an integer, found ",
          detail::show(cell(row, col))));
    }
    return static_cast<long long>(value);
  }

  std::vector<double> numbers(const std::string& name) const {
    const Index c = column(name);
    std::vector<double> out(rows.size());
    for (Index r = 0; r < row_count(); ++r) out[static_cast<std::size_t>(r)] = number(r, c);
    return out;
  }

  std::vector<std::string> strings(const std::string& name) const {
    const Index c = column(name);
    std::vector<std::string> out;
    out.reserve(rows.size());
    for (const auto& row : rows) out.push_back(row[static_cast<std::size_t>(c)]);
    return out;
  }

  /// The named columns as a rows x columns matrix (one row per table row).
  template <class Scalar>
  Matrix<Scalar> matrix(const std::vector<std::string>& names) const {
    Matrix<Scalar> out(row_count(), static_cast<Index>(names.size()));
    for (std::size_t j = 0; j < names.size(); ++j) {
      const Index c = column(names[j]);
      for (Index r = 0; r < row_count(); ++r) {
        const double value = number(r, c);
        if (!detail::narrow_finite(value, out(r, static_cast<Index>(j))))
          throw io_error(canon::detail::message(
              source, ": line ", lines[static_cast<std::size_t>(r)], ", column '", names[j], "': ",
              detail::show(cell(r, c)), " is beyond the range of the requested ", sizeof(Scalar) * 8,
              "-bit floating type (largest ", std::numeric_limits<Scalar>::max(), ")"));
      }
    }
    return out;
  }

 private:
  Index find(const std::string& name) const {
    for (std::size_t i = 0; i < header.size(); ++i)
      if (header[i] == name) return static_cast<Index>(i);
    return -1;
  }
  void check_cell(Index row, Index col) const {
    if (row < 0 || row >= row_count() || col < 0 || col >= column_count())
      throw io_error(canon::detail::message(source, ": cell (", row, ", ", col,
                                            ") is outside the table of ", row_count(),
                                            " rows x ", column_count(), " columns"));
  }
};

/// Parses CSV text. `source` names it in error messages. The first record is the header;
/// it must be non-empty and its names unique.
inline Table parse_csv(const std::string& text, const std::string& source,
                       const CsvOptions& options = {}) {
  Table table;
  table.source = source;
  std::size_t pos = 0;
  if (text.size() >= 3 && text.compare(0, 3, "\xEF\xBB\xBF") == 0) pos = 3;  // UTF-8 BOM
  std::size_t line = 1;
  const char delim = options.delimiter;
  auto fail = [&](std::size_t at_line, const std::string& what) {
    throw io_error(canon::detail::message(source, ": line ", at_line, ": ", what));
  };
  bool have_header = false;
  while (pos < text.size()) {
    // One record. Blank lines (only blanks before the line end) are skipped.
    const std::size_t record_line = line;
    std::vector<std::string> fields;
    std::string field;
    bool record_done = false;
    bool any_content = false;
    while (!record_done) {
      // Leading blanks of the field.
      field.clear();
      std::size_t p = pos;
      while (p < text.size() && (text[p] == ' ' || text[p] == '\t') && delim != text[p]) ++p;
      if (p < text.size() && text[p] == '"') {
        any_content = true;
        const std::size_t quote_line = line;
        pos = p + 1;
        for (;;) {
          if (pos >= text.size())
            fail(quote_line, canon::detail::message("a quoted field in column ", fields.size() + 1,
                                                    " is never closed (expected a closing \")"));
          const char c = text[pos];
          if (c == '"') {
            if (pos + 1 < text.size() && text[pos + 1] == '"') {
              field += '"';
              pos += 2;
              continue;
            }
            ++pos;
            break;
          }
          if (c == '\n') ++line;
          field += c;
          ++pos;
        }
        // After the closing quote only blanks may come before the delimiter or line end.
        while (pos < text.size() && (text[pos] == ' ' || text[pos] == '\t') && delim != text[pos])
          ++pos;
        if (pos < text.size() && text[pos] != delim && text[pos] != '\n' && text[pos] != '\r')
          fail(line, canon::detail::message("unexpected ", detail::show(std::string(1, text[pos])),
                                            " after the closing quote of column ",
                                            fields.size() + 1,
                                            " (expected the delimiter or the end of the line)"));
      } else {
        if (options.trim) pos = p;
        while (pos < text.size() && text[pos] != delim && text[pos] != '\n' && text[pos] != '\r') {
          if (text[pos] == '"')
            fail(line, canon::detail::message("a quote inside the unquoted field of column ",
                                              fields.size() + 1,
                                              " (quote the whole field and double the quote)"));
          field += text[pos];
          ++pos;
        }
        if (!field.empty()) any_content = true;
      }
      fields.push_back(options.trim ? detail::trim_blanks(field) : field);
      if (pos < text.size() && text[pos] == delim) {
        any_content = true;
        ++pos;
        continue;
      }
      // End of record: CRLF, LF, lone CR or end of text.
      if (pos < text.size() && text[pos] == '\r') {
        ++pos;
        if (pos < text.size() && text[pos] == '\n') ++pos;
        ++line;
      } else if (pos < text.size() && text[pos] == '\n') {
        ++pos;
        ++line;
      }
      record_done = true;
    }
    // A blank line is skipped, except in a one-column table, where it is the row of an
    // empty cell (a missing value): dropping it would move every later value up a row.
    if (!any_content && !(have_header && table.header.size() == 1)) continue;
    if (!have_header) {
      // A hash of the names seen keeps this linear in the header's width.
      std::unordered_map<std::string, std::size_t> seen;
      seen.reserve(fields.size());
      for (std::size_t i = 0; i < fields.size(); ++i) {
        if (fields[i].empty())
          fail(record_line, canon::detail::message("header column ", i + 1, " has no name"));
        const auto inserted = seen.emplace(fields[i], i);
        if (!inserted.second)
          fail(record_line, canon::detail::message("header names column ", detail::show(fields[i]), " twice (columns ",
                                                   inserted.first->second + 1, " and ", i + 1, ")"));
      }
      table.header = std::move(fields);
      have_header = true;
    } else {
      if (fields.size() != table.header.size())
        fail(record_line, canon::detail::message("expected ", table.header.size(),
                                                 " fields as in the header, found ", fields.size()));
      table.rows.push_back(std::move(fields));
      table.lines.push_back(record_line);
    }
  }
  if (!have_header) throw io_error(canon::detail::message(source, ": empty CSV (expected a header row)"));
  return table;
}

/// Reads a whole file into memory; throws io_error naming it if it cannot be read.
inline std::string read_text_file(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) throw io_error(canon::detail::message("cannot open '", path, "' for reading"));
  std::ostringstream buffer;
  buffer << in.rdbuf();
  if (in.bad()) throw io_error(canon::detail::message("reading '", path, "' failed"));
  return buffer.str();
}

inline Table read_csv(const std::string& path, const CsvOptions& options = {}) {
  return parse_csv(read_text_file(path), path, options);
}

}  // namespace canon::io
