// canon/io/npz_samples.hpp — a matrix of features from one array of an .npz archive,
// and back (component canon::npz).
//
// A source is "features.npz" when the archive holds a single array, or
// "features.npz:name" to pick one: np.savez(f, name=x) stores x as "name", positional
// arrays as "arr_0", "arr_1", ... (parse_npz_source, io/feature_matrix.hpp, splits the
// two and needs no zlib). The array is read as read_samples() reads an .npy
// (io/feature_matrix.hpp): one sample per row, finite values only. An archive of several
// arrays without a name, or a name it does not hold, is refused with the names it has.
#pragma once

#include <string>

#include "canon/io/feature_matrix.hpp"
#include "canon/io/npz.hpp"

namespace canon::io {

/// Reads one array of an .npz archive (see the file comment) as a d x n matrix.
inline Matrix<double> read_npz_samples(const std::string& source, const std::string& what = "the matrix") {
  NpzSource where;
  if (!parse_npz_source(source, where))
    throw io_error(canon::detail::message("'", source, "' (", what, "): expected an .npz archive, 'file.npz' or "
                                          "'file.npz:array'"));
  const auto arrays = read_npz(where.path);
  std::string names;
  for (const auto& [name, array] : arrays) names += (names.empty() ? "'" : ", '") + name + "'";
  if (arrays.empty())
    throw shape_error(canon::detail::message("'", where.path, "' (", what, ") holds no arrays"));
  if (where.name.empty()) {
    if (arrays.size() != 1)
      throw value_error(canon::detail::message("'", where.path, "' (", what, ") holds ", arrays.size(),
                                               " arrays (", names, "); name one as '", where.path, ":NAME'"));
    return samples_from_array(arrays.begin()->second, where.path + ":" + arrays.begin()->first, what);
  }
  const auto found = arrays.find(where.name);
  if (found == arrays.end())
    throw value_error(canon::detail::message("'", where.path, "' (", what, ") holds no array '", where.name,
                                             "'; it holds ", names));
  return samples_from_array(found->second, source, what);
}

/// Writes x (d x n, one column per sample) as the (n, d) float64 array `name` of a new
/// compressed .npz archive at `path` (np.load(path)[name]), atomically.
template <class Derived>
void write_npz_samples(const std::string& path, const Eigen::MatrixBase<Derived>& x,
                       const std::string& name = "arr_0") {
  write_npz<double>(path, {{name, x.template cast<double>().transpose()}}, true);
}

}  // namespace canon::io
