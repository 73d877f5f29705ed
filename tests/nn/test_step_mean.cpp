#include <canon/nn/step_mean.hpp>

#include "canon_test.hpp"

using namespace canon;

TEMPLATE_TEST_CASE("StepMean: gradients (full length)", "[nn]", float, double) {
  canon_test::check_layer<TestType>([](auto t) { return nn::StepMean<typename decltype(t)::type>(3); },
                                    canon_test::random_matrix(12, 5, 1));
}

TEST_CASE("StepMean: the mean of each sample's own steps, padding ignored") {
  nn::StepMean<double> mean(2);
  Matrix<double> x(6, 2);
  x << 1, 10, 2, 20,  // step 0
      3, 30, 4, 40,   // step 1
      99, 50, 99, 60;  // step 2 (padding for sample 0)
  const Matrix<double> y = mean.forward(x, {2, 3}, Mode::eval);
  CHECK(y(0, 0) == 2.0);
  CHECK(y(1, 0) == 3.0);
  CHECK(y(0, 1) == 30.0);
  CHECK(y(1, 1) == 40.0);
  Matrix<double> dy(2, 2);
  dy << 2, 3, 4, 6;
  const Matrix<double> dx = mean.backward(dy);
  CHECK(dx(0, 0) == 1.0);
  CHECK(dx(3, 0) == 2.0);
  CHECK(dx(4, 0) == 0.0);  // padding
  CHECK(dx(5, 0) == 0.0);
  CHECK(dx(4, 1) == 1.0);
  // Finite differences with lengths.
  Matrix<double> u = canon_test::random_matrix(6, 2, 2);
  const Matrix<double> r = canon_test::random_matrix(2, 2, 3);
  const std::vector<Index> lengths = {1, 3};
  auto value = [&] { return mean.forward(u, lengths, Mode::train).cwiseProduct(r).sum(); };
  mean.forward(u, lengths, Mode::train);
  const Matrix<double> analytic = mean.backward(r);
  CHECK(testing::compare_gradients("input", analytic, testing::numerical_gradient(value, u)).relative_error < 1e-9);
}

TEST_CASE("StepMean: bad input is refused") {
  nn::StepMean<double> mean(2);
  const Matrix<double> x = canon_test::random_matrix(5, 2, 4);
  CHECK_THROWS_WITH(mean.forward(x, Mode::eval), Catch::Contains("F*T rows with F = 2"));
  const Matrix<double> y = canon_test::random_matrix(6, 2, 4);
  CHECK_THROWS_WITH(mean.forward(y, {1}, Mode::eval), Catch::Contains("1 lengths for a batch of 2 samples"));
  CHECK_THROWS_WITH(mean.forward(y, {4, 1}, Mode::eval), Catch::Contains("[1, 3]"));
  CHECK_THROWS_WITH(nn::StepMean<double>(0), Catch::Contains("features"));
}
