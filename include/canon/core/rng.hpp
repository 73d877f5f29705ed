// canon/core/rng.hpp — the explicit, seeded random generator.
//
// canon has no global random state: everything random (initialisation, dropout
// masks, shuffles, fold assignment, synthetic data) takes an Rng&. The engine is
// std::mt19937_64, whose output sequence the C++ standard fixes; the distributions
// are written here rather than taken from <random>, whose algorithms differ between
// standard libraries. Hence: same seed, same numbers, on every platform.
#pragma once

#include <cmath>
#include <cstdint>
#include <random>
#include <utility>
#include <vector>

#include "canon/core/constants.hpp"
#include "canon/core/error.hpp"
#include "canon/core/types.hpp"

namespace canon {

/// The seed of the k-th independent stream drawn from `seed`: SplitMix64's finaliser
/// (Steele, Lea & Flood 2014) of seed + k * golden ratio, so neighbouring k (dropout
/// mask k, permutation k) give unrelated generators, and stream k can be made without
/// drawing streams 0..k-1 (in any order, on any thread).
inline std::uint64_t stream_seed(std::uint64_t seed, std::uint64_t k) {
  std::uint64_t z = seed + k * 0x9E3779B97F4A7C15ULL;
  z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ULL;
  z = (z ^ (z >> 27)) * 0x94D049BB133111EBULL;
  return z ^ (z >> 31);
}

class Rng {
 public:
  explicit Rng(std::uint64_t seed) : engine_(seed) {}

  /// 64 uniformly distributed random bits.
  std::uint64_t bits() { return engine_(); }

  /// Uniform on [0, 1) with 53 random bits (every double in the grid k / 2^53).
  double uniform() { return static_cast<double>(bits() >> 11) * 0x1.0p-53; }

  /// Uniform on [lo, hi).
  double uniform(double lo, double hi) { return lo + (hi - lo) * uniform(); }

  /// Standard normal by the Box–Muller transform; the second value of each pair
  /// is kept for the next call, so the sequence depends only on the seed.
  double normal() {
    if (has_spare_) {
      has_spare_ = false;
      return spare_;
    }
    // 1 - uniform() lies in (0, 1], so the logarithm is finite.
    const double radius = std::sqrt(-2.0 * std::log(1.0 - uniform()));
    const double angle = 2.0 * pi * uniform();
    spare_ = radius * std::sin(angle);
    has_spare_ = true;
    return radius * std::cos(angle);
  }

  double normal(double mean, double stddev) { return mean + stddev * normal(); }

  /// True with probability p.
  bool bernoulli(double p) { return uniform() < p; }

  /// Uniform integer in [0, n), without modulo bias (Lemire's multiply-shift with
  /// rejection).
  std::uint64_t below(std::uint64_t n) {
    if (n == 0) throw value_error("Rng::below: the range [0, n) is empty (n = 0)");
    __extension__ typedef unsigned __int128 wide;  // GCC/Clang 128-bit product
    wide product = static_cast<wide>(bits()) * n;
    auto low = static_cast<std::uint64_t>(product);
    if (low < n) {
      const std::uint64_t threshold = (0 - n) % n;
      while (low < threshold) {
        product = static_cast<wide>(bits()) * n;
        low = static_cast<std::uint64_t>(product);
      }
    }
    return static_cast<std::uint64_t>(product >> 64);
  }

  /// Fisher–Yates shuffle (std::shuffle's algorithm is unspecified).
  template <class T>
  void shuffle(std::vector<T>& items) {
    for (std::size_t i = items.size(); i > 1; --i) std::swap(items[i - 1], items[below(i)]);
  }

  /// 0, 1, ..., n-1 in random order.
  std::vector<Index> permutation(Index n) {
    std::vector<Index> order(static_cast<std::size_t>(n));
    for (Index i = 0; i < n; ++i) order[static_cast<std::size_t>(i)] = i;
    shuffle(order);
    return order;
  }

  /// An independent generator seeded from this one, for handing to a sub-task
  /// (a fold, a thread) without sharing state.
  Rng split() { return Rng(bits()); }

 private:
  std::mt19937_64 engine_;
  double spare_ = 0.0;
  bool has_spare_ = false;
};

/// Fills m with independent N(mean, stddev^2) draws, column by column.
template <class Derived>
void fill_normal(Eigen::DenseBase<Derived>& m, Rng& rng, double mean = 0.0,
                 double stddev = 1.0) {
  using Scalar = typename Derived::Scalar;
  for (Index j = 0; j < m.cols(); ++j)
    for (Index i = 0; i < m.rows(); ++i) m(i, j) = static_cast<Scalar>(rng.normal(mean, stddev));
}

/// Fills m with independent U[lo, hi) draws, column by column.
template <class Derived>
void fill_uniform(Eigen::DenseBase<Derived>& m, Rng& rng, double lo, double hi) {
  using Scalar = typename Derived::Scalar;
  for (Index j = 0; j < m.cols(); ++j)
    for (Index i = 0; i < m.rows(); ++i) m(i, j) = static_cast<Scalar>(rng.uniform(lo, hi));
}

}  // namespace canon
