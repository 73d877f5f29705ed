#include <canon/nn/batch_norm1d.hpp>
#include <canon/nn/sequential.hpp>
#include <canon/nn/transpose_steps.hpp>

#include "canon_test.hpp"

using namespace canon;

TEMPLATE_TEST_CASE("TransposeSteps: gradients", "[nn]", float, double) {
  canon_test::check_layer<TestType>([](auto t) { return nn::TransposeSteps<typename decltype(t)::type>(3, 4); },
                                    canon_test::random_matrix(12, 5, 1));
}

TEST_CASE("TransposeSteps: each column's matrix is transposed; wrapped batch norm is per step") {
  nn::TransposeSteps<double> swap(2, 3);
  Matrix<double> x(6, 1);
  x << 1, 2, 3, 4, 5, 6;  // 2 x 3: columns (1,2) (3,4) (5,6)
  const Matrix<double> y = swap.forward(x, Mode::eval);
  Matrix<double> expected(6, 1);
  expected << 1, 3, 5, 2, 4, 6;
  CHECK(y == expected);
  // Avramidis's BatchNorm1d(32) on (N, 32, 12): per channel (a step here) over the batch
  // and the features. After transpose, batch norm, transpose: each step has mean 0 and
  // (biased) variance 1 over its features and samples.
  nn::Sequential<double> norm;
  norm.add(nn::TransposeSteps<double>(3, 4));  // 3 features x 4 steps
  norm.add(nn::BatchNorm1D<double>(4));
  norm.add(nn::TransposeSteps<double>(4, 3));
  Matrix<double> batch = canon_test::random_matrix(12, 6, 2);
  for (Index s = 0; s < 4; ++s) batch.middleRows(3 * s, 3).array() += 5.0 * double(s);  // step offsets
  const Matrix<double> z = norm.forward(batch, Mode::train);
  for (Index s = 0; s < 4; ++s) {
    const auto block = z.middleRows(3 * s, 3);
    CHECK(std::abs(block.mean()) < 1e-12);
    CHECK((block.array() - block.mean()).square().mean() == Approx(1.0).epsilon(1e-4));
  }
  const Matrix<double> wrong = canon_test::random_matrix(5, 2, 3);
  CHECK_THROWS_AS(swap.forward(wrong, Mode::eval), shape_error);
}
