// canon/core/types.hpp — scalar-templated matrix aliases and the training mode.
//
// Layout convention (see docs/layer-contract.md): a batch is a matrix with one
// column per sample, features x batch, column-major. Columns are contiguous, so a
// sample is one contiguous block of memory and Eigen's GEMM sees the batch as the
// inner dimension of every product.
#pragma once

#include <Eigen/Core>
#include <cstdint>
#include <type_traits>

namespace canon {

using Index = Eigen::Index;

template <class Scalar>
using Matrix = Eigen::Matrix<Scalar, Eigen::Dynamic, Eigen::Dynamic>;

template <class Scalar>
using Vector = Eigen::Matrix<Scalar, Eigen::Dynamic, 1>;

template <class Scalar>
using RowVector = Eigen::Matrix<Scalar, 1, Eigen::Dynamic>;

/// Whether a layer behaves as in training (dropout active, batch statistics) or as
/// at inference. Every forward call names it: a mode is never inferred from state.
enum class Mode { train, eval };

/// The scalar types canon is instantiated and tested with.
template <class Scalar>
inline constexpr bool is_supported_scalar_v =
    std::is_same_v<Scalar, float> || std::is_same_v<Scalar, double>;

#define CANON_REQUIRE_SCALAR(Scalar)                                  \
  static_assert(::canon::is_supported_scalar_v<Scalar>,               \
                "canon is instantiated for float and double only")

/// The scalar a function computes in: `Requested` when the caller names one
/// (`stft<float>(x, o)`), otherwise that of the input expression (`stft(x, o)`).
/// Functions take it as `template <class Requested = void, class Derived,
/// class S = scalar_or_t<Requested, Derived>>`, so both call forms work.
template <class Requested, class Derived>
using scalar_or_t = std::conditional_t<std::is_void_v<Requested>, typename Derived::Scalar, Requested>;

/// Whether T is an Eigen matrix or expression (guards the overloads that accept any
/// expression, so that an explicit `f<float>(...)` never names Eigen::MatrixBase<float>).
template <class T>
inline constexpr bool is_eigen_v = std::is_base_of_v<Eigen::EigenBase<T>, T>;

}  // namespace canon
