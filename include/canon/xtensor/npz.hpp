// canon/xtensor/npz.hpp — the arrays of a NumPy .npz archive (np.savez,
// np.savez_compressed) straight into xt::xarray, through canon's own zip reader
// (io/npz.hpp) and .npy parser, each array as xtensor/npy.hpp's read_npy gives it: NumPy's
// shape, fortran_order honoured, every dtype converted to S.
//
// Needs both canon::xtensor and canon::npz (zlib, for deflated members and the CRC-32):
// link both. It is kept out of the canon/xtensor.hpp umbrella so that canon::xtensor alone
// never needs zlib.
#pragma once

#include <map>
#include <string>

#include "canon/io/npz.hpp"
#include "canon/xtensor/npy.hpp"

namespace canon::xtensor {

/// Every array of an .npz archive by name (without ".npy": np.savez(f, a=x) gives "a",
/// positional arrays "arr_0", "arr_1", ...). Throws io_error for a malformed archive or
/// member (naming it), value_error for a value beyond S's range.
template <class S, xt::layout_type L = xt::layout_type::row_major>
std::map<std::string, xt::xarray<S, L>> read_npz(const std::string& path) {
  CANON_REQUIRE_SCALAR(S);
  std::map<std::string, xt::xarray<S, L>> out;
  for (const auto& [name, array] : io::read_npz(path)) out.emplace(name, to_xarray<S, L>(array, path + ":" + name));
  return out;
}

}  // namespace canon::xtensor
