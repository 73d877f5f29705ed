#include <canon/core/rng.hpp>
#include <catch2/catch.hpp>
#include <cmath>
#include <set>

TEST_CASE("Rng: the same seed gives the same sequence, another seed another") {
  canon::Rng a(42), b(42), c(43);
  for (int i = 0; i < 100; ++i) {
    const auto x = a.bits();
    CHECK(x == b.bits());
    CHECK(x != c.bits());
  }
}

TEST_CASE("Rng: the engine is the standard's mt19937_64 (10000th output fixed by C++)") {
  // [rand.predef]: the 10000th consecutive invocation of a default-constructed
  // mt19937_64 produces 9981545732273789042.
  canon::Rng rng(5489u);
  std::uint64_t x = 0;
  for (int i = 0; i < 10000; ++i) x = rng.bits();
  CHECK(x == 9981545732273789042ull);
}

TEST_CASE("Rng: uniform, normal and below have the right moments and ranges") {
  canon::Rng rng(7);
  const int n = 200000;
  double sum = 0, sum_sq = 0, normal_sum = 0, normal_sq = 0, normal_4th = 0;
  for (int i = 0; i < n; ++i) {
    const double u = rng.uniform();
    REQUIRE(u >= 0.0);
    REQUIRE(u < 1.0);
    sum += u;
    sum_sq += u * u;
    const double z = rng.normal();
    normal_sum += z;
    normal_sq += z * z;
    normal_4th += z * z * z * z;
  }
  // Standard errors: 1/sqrt(12 n) for the uniform mean, 1/sqrt(n) for the normal.
  CHECK(std::abs(sum / n - 0.5) < 5 * std::sqrt(1.0 / 12 / n));
  CHECK(std::abs(sum_sq / n - 1.0 / 3) < 0.005);
  CHECK(std::abs(normal_sum / n) < 5 / std::sqrt(double(n)));
  CHECK(std::abs(normal_sq / n - 1) < 0.02);
  CHECK(std::abs(normal_4th / n - 3) < 0.1);  // kurtosis of a Gaussian

  std::vector<int> counts(7, 0);
  for (int i = 0; i < 70000; ++i) ++counts[rng.below(7)];
  for (int c : counts) CHECK(std::abs(c - 10000) < 500);
  CHECK_THROWS_AS(rng.below(0), canon::value_error);
}

TEST_CASE("Rng: permutation is a permutation and depends on the seed") {
  canon::Rng a(1), b(2);
  const auto p = a.permutation(50), q = b.permutation(50);
  CHECK(std::set<canon::Index>(p.begin(), p.end()).size() == 50);
  CHECK(*std::max_element(p.begin(), p.end()) == 49);
  CHECK(p != q);
}
