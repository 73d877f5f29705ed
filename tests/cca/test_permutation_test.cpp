#include <canon/cca/permutation_test.hpp>

#include <cmath>

#include "canon_test.hpp"

#ifdef _OPENMP
#include <omp.h>
#endif

using namespace canon;

TEST_CASE("permutation_test: one dimension per view reproduces scipy's Pearson p-value") {
  // |r| is the canonical correlation of two 1-d views; for normal data the permutation
  // p-value estimates scipy.stats.pearsonr's two-sided p. With P = 19999 the estimate's
  // standard error is sqrt(p (1 - p) / P) <= 0.0036; the permutation and t distributions
  // of r at m = 60 differ by less than that.
  const auto f = canon_test::read_fixture("permutation_reference.txt");
  cca::PermutationTestOptions options;
  options.permutations = 19999;
  options.seed = 3;
  for (Index pair = 0; pair < f.at("X").rows(); ++pair) {
    INFO("pair " << pair);
    const Matrix<double> x = f.at("X").row(pair), y = f.at("Y").row(pair);
    const auto result = cca::permutation_test(x, y, options);
    REQUIRE(result.correlations.size() == 1);
    CHECK(std::abs(result.correlations(0) - f.at("abs_r")(0, pair)) < 1e-12);
    const double expected = f.at("p_two_sided")(0, pair);
    const double standard_error = std::sqrt(expected * (1 - expected) / 19999.0);
    CHECK(std::abs(result.p_values(0) - expected) < 4 * standard_error + 2.0 / 20000);
  }
}

TEST_CASE("permutation_test: under the null, p <= 0.05 about 5% of the time") {
  // 400 unrelated data sets (3 and 2 dimensions, 40 samples): an exact test rejects at
  // 5% with probability 0.05; 400 draws put the rate in [0.02, 0.09] with probability
  // above 0.999. Without the permutation (comparing with a fixed threshold such as 0.3)
  // the in-sample rho_1 of this size of data passes 0.3 in most data sets.
  Rng rng(17);
  cca::PermutationTestOptions options;
  options.permutations = 99;
  int rejected = 0, above_point_three = 0;
  const int sets = 400;
  for (int s = 0; s < sets; ++s) {
    Matrix<double> x(3, 40), y(2, 40);
    fill_normal(x, rng);
    fill_normal(y, rng);
    options.seed = std::uint64_t(s);
    const auto result = cca::permutation_test(x, y, options);
    REQUIRE(result.p_values.size() == 2);
    CHECK(result.p_values(0) <= result.p_values(1));  // family-wise p-values never decrease
    rejected += result.p_values(0) <= 0.05;
    above_point_three += result.correlations(0) > 0.3;
  }
  CHECK(rejected >= 0.02 * sets);
  CHECK(rejected <= 0.09 * sets);
  CHECK(above_point_three > sets / 2);
}

TEST_CASE("permutation_test: a planted relation is significant, its chance level below it") {
  Rng rng(5);
  Matrix<double> z(1, 200), x(4, 200), y(3, 200), mix1(4, 1), mix2(3, 1);
  fill_normal(z, rng);
  fill_normal(x, rng);
  fill_normal(y, rng);
  fill_normal(mix1, rng);
  fill_normal(mix2, rng);
  x += mix1 * z;
  y += mix2 * z;
  cca::PermutationTestOptions options;
  options.permutations = 199;
  const auto result = cca::permutation_test(x, y, options);
  REQUIRE(result.correlations.size() == 3);
  CHECK(result.p_values(0) == Approx(1.0 / 200));  // no null run reaches rho_1
  CHECK(result.p_values(2) > 0.05);                       // only one pair is planted
  CHECK(result.chance_level < result.correlations(0));
  CHECK(result.chance_level > result.correlations(2) * 0.5);
  CHECK(result.null_largest.size() == 199);
  CHECK(result.null_largest.minCoeff() > 0);
}

TEST_CASE("permutation_test: the seed alone fixes the result, whatever the thread count") {
  Rng rng(8);
  Matrix<double> x(6, 80), y(5, 80);
  fill_normal(x, rng);
  fill_normal(y, rng);
  cca::PermutationTestOptions options;
  options.permutations = 59;
  options.cca.ridge1 = 1e-3;
#ifdef _OPENMP
  const int threads = omp_get_max_threads();
  omp_set_num_threads(2);  // ctest sets OMP_NUM_THREADS=1
#endif
  const auto first = cca::permutation_test(x, y, options);
  const auto again = cca::permutation_test(x, y, options);
  CHECK(first.null_largest == again.null_largest);
  CHECK(first.p_values == again.p_values);
#ifdef _OPENMP
  omp_set_num_threads(1);
  const auto serial = cca::permutation_test(x, y, options);
  omp_set_num_threads(threads);
  CHECK(serial.null_largest == first.null_largest);
#endif
  options.seed = 2;
  CHECK(cca::permutation_test(x, y, options).null_largest != first.null_largest);
}

TEST_CASE("permutation_test: rejects too few permutations and unpaired views") {
  Matrix<double> x = Matrix<double>::Random(2, 30), y = Matrix<double>::Random(2, 30);
  cca::PermutationTestOptions options;
  options.permutations = 10;
  CHECK_THROWS_WITH(cca::permutation_test(x, y, options),
                    Catch::Contains("permutations must be at least 19"));
  options.permutations = 19;
  const Matrix<double> shorter = Matrix<double>::Random(2, 29);
  CHECK_THROWS_AS(cca::permutation_test(x, shorter, options), shape_error);
}
