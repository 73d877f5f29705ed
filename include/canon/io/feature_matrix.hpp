// canon/io/feature_matrix.hpp — a matrix of features from a user's file, in canon's
// layout.
//
// Files hold one sample per row, as NumPy, pandas and scikit-learn do: an (n, d) .npy
// array, or a CSV of n rows and d numeric columns with or without a header row (the
// first row is a header when any of its fields is not a number). canon holds one sample
// per column, so the result is d x n. A 1-D .npy array is n samples of one feature.
// Every value must be finite: a NaN or Inf is refused with its row and column (numpy's
// missing values are not features; impute or drop them first). write_samples() writes
// the other way round, d x n in memory to an (n, d) float64 .npy that np.load reads
// as it is.
#pragma once

#include <cmath>
#include <string>

#include "canon/io/csv.hpp"
#include "canon/io/npy.hpp"

namespace canon::io {

namespace detail {

inline bool ends_with(const std::string& s, const std::string& suffix) {
  return s.size() >= suffix.size() && s.compare(s.size() - suffix.size(), suffix.size(), suffix) == 0;
}

inline bool is_number(const std::string& field) {
  double value;
  return parse_double(field, value);
}

/// At least one sample of at least one feature, every value finite.
inline void require_samples(const Matrix<double>& x, const std::string& source, const std::string& what) {
  if (x.cols() == 0 || x.rows() == 0)
    throw shape_error(canon::detail::message("'", source, "' (", what, ") holds ", x.cols(), " samples of ",
                                             x.rows(), " features; expected at least one of each"));
  for (Index i = 0; i < x.cols(); ++i)
    for (Index j = 0; j < x.rows(); ++j)
      if (!std::isfinite(x(j, i)))
        throw value_error(canon::detail::message(
            "'", source, "' (", what, ") holds ", x(j, i), " at sample (row) ", i, ", feature (column) ", j,
            " (both counted from 0); expected finite values: impute or drop missing values first"));
}

}  // namespace detail

/// An array read from a file (`source` names it: a path, or "archive.npz:name") as a
/// d x n matrix, one column per sample: 2-D arrays are samples x features, 1-D arrays n
/// samples of one feature. Refuses other ranks, empty arrays and non-finite values.
inline Matrix<double> samples_from_array(const NpyArray& array, const std::string& source,
                                         const std::string& what = "the matrix") {
  if (array.shape.size() != 1 && array.shape.size() != 2)
    throw shape_error(canon::detail::message("'", source, "' (", what, ") has ", array.shape.size(),
                                             " dimensions; expected a 2-D array of samples x features"));
  Matrix<double> x = array.matrix<double>().transpose();
  detail::require_samples(x, source, what);
  return x;
}

/// Where a source names an .npz archive (read by io/npz_samples.hpp, component canon::npz): the archive's path and the array's name
/// (empty when none is given).
struct NpzSource {
  std::string path, name;
};

/// Splits "a.npz:name" at the last ".npz:"; "a.npz" has no name. Anything else is not
/// an .npz source (returns false).
inline bool parse_npz_source(const std::string& source, NpzSource& out) {
  if (detail::ends_with(source, ".npz")) {
    out = {source, ""};
    return true;
  }
  const std::size_t at = source.rfind(".npz:");
  if (at == std::string::npos) return false;
  out = {source.substr(0, at + 4), source.substr(at + 5)};
  return true;
}

/// Reads `path` (.npy or .csv, one sample per row) as a d x n matrix, one column per
/// sample. `what` names the matrix in messages ("the first view").
inline Matrix<double> read_samples(const std::string& path, const std::string& what = "the matrix") {
  if (detail::ends_with(path, ".npy")) return samples_from_array(read_npy(path), path, what);
  if (!detail::ends_with(path, ".csv"))
    throw io_error(canon::detail::message("'", path, "' (", what,
                                          "): expected a .npy or .csv file of samples x features"));
  Table table = read_csv(path);
  // A first row of numbers is data, not a header.
  bool numeric_header = !table.header.empty();
  for (const std::string& field : table.header) numeric_header = numeric_header && detail::is_number(field);
  if (numeric_header) {
    table.rows.insert(table.rows.begin(), table.header);
    table.lines.insert(table.lines.begin(), 1);
  }
  const Index n = table.row_count(), d = table.column_count();
  Matrix<double> x(d, n);
  for (Index i = 0; i < n; ++i)
    for (Index j = 0; j < d; ++j) {
      double value = 0;
      if (!detail::parse_double(table.rows[std::size_t(i)][std::size_t(j)], value))
        throw io_error(canon::detail::message(
            "'", path, "' line ", table.lines[std::size_t(i)], ", column ", j + 1, " (", what,
            "): ", detail::show(table.rows[std::size_t(i)][std::size_t(j)]), " is not a number"));
      x(j, i) = value;
    }
  detail::require_samples(x, path, what);
  return x;
}

/// Writes x (d x n, one column per sample) to `path` as an (n, d) float64 .npy array.
template <class Derived>
void write_samples(const std::string& path, const Eigen::MatrixBase<Derived>& x) {
  const Matrix<double> rows = x.template cast<double>().transpose();
  write_npy(path, rows);
}

}  // namespace canon::io
