// canon/nn/detail/mask_stream.hpp — where a dropout layer's random masks come from.
//
// Mask k (the k-th mask the layer draws, counted from 0) comes from its own generator,
// Rng(stream_seed(seed, k)) (core/rng.hpp), so the layer's whole random state is k. k lives in
// a non-persistent buffer, (k / 2^24, k mod 2^24), both parts exact in float: a
// checkpoint stores it, a resumed run continues with mask k, and its masks are those of
// the uninterrupted run. A model file leaves it out (it is training position, not model).
#pragma once

#include <cmath>
#include <cstdint>
#include <string>
#include <utility>

#include "canon/core/checks.hpp"
#include "canon/core/error.hpp"
#include "canon/core/parameter.hpp"
#include "canon/core/rng.hpp"

namespace canon::detail {

template <class Scalar>
class MaskStream {
 public:
  MaskStream(std::uint64_t seed, std::string buffer_name)
      : seed_(seed), draws_(Matrix<Scalar>::Zero(1, 2), std::move(buffer_name), /*persistent=*/false) {}

  /// The generator of the next mask; counts it as drawn.
  Rng next() {
    const std::uint64_t k = drawn();
    const std::uint64_t next = k + 1;
    draws_.value(0, 0) = Scalar(double(next >> 24));
    draws_.value(0, 1) = Scalar(double(next & 0xFFFFFF));
    return Rng(stream_seed(seed_, k));
  }

  /// Masks drawn so far (checked: the buffer may have come from a file).
  std::uint64_t drawn() const {
    const double hi = double(draws_.value(0, 0)), lo = double(draws_.value(0, 1));
    if (draws_.value.rows() != 1 || draws_.value.cols() != 2 || !is_whole_number(hi, 0x1p24) ||
        !is_whole_number(lo, 0x1p24))
      throw value_error(message("dropout: the mask counter '", draws_.name, "' holds (", hi,
                                               ", ", lo, "); expected two whole numbers in [0, 2^24)"));
    return (std::uint64_t(hi) << 24) | std::uint64_t(lo);
  }

  Buffer<Scalar>& buffer() { return draws_; }

 private:
  std::uint64_t seed_;
  Buffer<Scalar> draws_;
};

}  // namespace canon::detail
