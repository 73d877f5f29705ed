#include <canon/nn/dense.hpp>
#include <canon/nn/sequential.hpp>
#include <canon/optim/adam.hpp>
#include <canon/train/classification_task.hpp>

#include "canon_test.hpp"

using namespace canon;

TEST_CASE("ClassificationTask: class weights from the training labels, a logistic fit") {
  // Imbalanced (1 : 3) but separable data: with balanced weights both classes are found.
  const Index n = 200;
  Matrix<double> x = canon_test::random_matrix(3, n, 1), y(1, n);
  for (Index j = 0; j < n; ++j) {
    y(0, j) = j % 4 == 0 ? 1.0 : 0.0;
    x(1, j) += y(0, j) > 0 ? 2.0 : -1.0;
  }
  Rng rng(2);
  nn::Sequential<double> logistic;
  logistic.add(nn::Dense<double>(3, 1, rng));
  const Matrix<double> none(3, 0), no_labels(1, 0);
  train::ClassificationTask<nn::Sequential<double>> task(logistic, x, y, none, no_labels);
  optim::Adam<double> adam({0.05});
  train::LoopOptions options;
  options.epochs = 60;
  options.batch_size = 50;
  train::fit(task, adam, options);
  const auto predicted = train::predict_labels(logistic, x);
  Index right_pos = 0, right_neg = 0;
  for (Index j = 0; j < n; ++j) {
    if (y(0, j) > 0) right_pos += predicted[std::size_t(j)];
    else right_neg += 1 - predicted[std::size_t(j)];
  }
  CHECK(right_pos >= 45);   // of 50 positives
  CHECK(right_neg >= 140);  // of 150 negatives
}

TEST_CASE("ClassificationTask: labels must be 0/1 and shaped 1 x samples") {
  Rng rng(3);
  nn::Sequential<double> m;
  m.add(nn::Dense<double>(2, 1, rng));
  const Matrix<double> x = canon_test::random_matrix(2, 4, 4), none(2, 0), no_labels(1, 0);
  Matrix<double> y(1, 4);
  y << 0, 1, 0.5, 1;
  CHECK_THROWS_WITH(train::ClassificationTask<nn::Sequential<double>>(m, x, y, none, no_labels),
                    Catch::Contains("label 2 is 0.5"));
  const Matrix<double> wrong(1, 3);
  CHECK_THROWS_AS(train::ClassificationTask<nn::Sequential<double>>(m, x, wrong, none, no_labels), shape_error);
  Matrix<double> one_class = Matrix<double>::Zero(1, 4);
  CHECK_THROWS_WITH(train::ClassificationTask<nn::Sequential<double>>(m, x, one_class, none, no_labels),
                    Catch::Contains("both classes"));
}
