#include <canon/loss/bce.hpp>
#include <canon/loss/mae.hpp>
#include <canon/loss/mse.hpp>
#include <cmath>
#include <limits>

#include "canon_test.hpp"

using namespace canon;

TEST_CASE("MSE, MAE, BCE: gradients match finite differences") {
  const Matrix<double> prediction = canon_test::random_matrix(3, 7, 1, 0.05);
  const Matrix<double> target = canon_test::random_matrix(3, 7, 2);
  SECTION("MSE") {
    loss::MSE<double> mse;
    CHECK(testing::check_loss_gradients(mse, prediction, target).worst() < 1e-6);
  }
  SECTION("MAE") {
    loss::MAE<double> mae;
    // prediction - target stays away from 0, the kink of |.|
    Matrix<double> shifted = target + prediction.cwiseSign() * 0.1 + prediction;
    CHECK(testing::check_loss_gradients(mae, shifted, target).worst() < 1e-6);
  }
  SECTION("BCE with logits, plain and class-weighted") {
    Matrix<double> labels = (target.array() > 0).cast<double>();
    labels(0, 0) = 0.3;  // soft labels are allowed
    loss::BCEWithLogits<double> plain;
    CHECK(testing::check_loss_gradients(plain, prediction * 4, labels).worst() < 1e-6);
    Vector<double> pos(3), neg(3);
    pos << 2.0, 0.5, 1.0;
    neg << 1.0, 3.0, 0.25;
    loss::BCEWithLogits<double> weighted(pos, neg);
    CHECK(testing::check_loss_gradients(weighted, prediction * 4, labels).worst() < 1e-6);
  }
}

TEMPLATE_TEST_CASE("MSE and MAE: hand-computed values", "[loss]", float, double) {
  using S = TestType;
  Matrix<S> p(2, 2), t(2, 2);
  p << 1, 2, 3, 4;
  t << 0, 2, 5, 1;  // differences 1, 0, -2, 3
  loss::MSE<S> mse;
  CHECK(mse.forward(p, t) == Approx((1 + 0 + 4 + 9) / 4.0));
  Matrix<S> expected(2, 2);
  expected << 0.5, 0, -1, 1.5;  // 2 d / 4
  CHECK(mse.backward().isApprox(expected));
  loss::MAE<S> mae;
  CHECK(mae.forward(p, t) == Approx((1 + 0 + 2 + 3) / 4.0));
  expected << 0.25, 0, -0.25, 0.25;  // sign(d) / 4, sign(0) = 0
  CHECK(mae.backward().isApprox(expected));
}

TEMPLATE_TEST_CASE("BCEWithLogits: matches the definition and stays finite", "[loss]", float,
                   double) {
  using S = TestType;
  Matrix<S> x(2, 3), y(2, 3);
  x << 0.5, -2, 30, 1, -100, 100;
  y << 1, 0, 1, 0, 1, 0;
  auto sigma = [](double v) { return 1 / (1 + std::exp(-v)); };
  double expected = 0;
  for (Index i = 0; i < x.size(); ++i) {
    const double xv = double(x.data()[i]), yv = double(y.data()[i]);
    // -[y log s + (1-y) log(1-s)], with log(1 - s(x)) = log s(-x) for large |x|.
    expected += -(yv * std::log(sigma(xv)) + (1 - yv) * std::log(sigma(-xv)));
  }
  expected /= 6;
  loss::BCEWithLogits<S> bce;
  CHECK(double(bce.forward(x, y)) == Approx(expected).epsilon(1e-6));
  CHECK(bce.backward().allFinite());
  // PyTorch pos_weight semantics: weight only the positive term.
  Vector<S> pos(2), neg(2);
  pos << 3, 1;
  neg << 1, 1;
  loss::BCEWithLogits<S> weighted(pos, neg);
  Matrix<S> one_x(2, 1), one_y(2, 1);
  one_x << 0.5, 0.5;
  one_y << 1, 1;
  CHECK(double(weighted.forward(one_x, one_y)) ==
        Approx((3 + 1) * -std::log(sigma(0.5)) / 2).epsilon(1e-6));
}

TEST_CASE("balanced_class_weights: n / (2 n_c)") {
  Matrix<double> labels(1, 4);
  labels << 1, 0, 0, 0;
  const auto [pos, neg] = loss::balanced_class_weights(labels);
  CHECK(pos(0) == Approx(2.0));
  CHECK(neg(0) == Approx(4.0 / 6.0));
  Matrix<double> one_class = Matrix<double>::Ones(1, 3);
  CHECK_THROWS_AS(loss::balanced_class_weights(one_class), value_error);
}

TEST_CASE("losses: bad input is rejected") {
  loss::MSE<double> mse;
  loss::BCEWithLogits<double> bce;
  Matrix<double> a = Matrix<double>::Zero(2, 3), b = Matrix<double>::Zero(3, 2);
  CHECK_THROWS_WITH(mse.forward(a, b), Catch::Contains("2x3") && Catch::Contains("3x2"));
  Matrix<double> empty(2, 0);
  CHECK_THROWS_AS(mse.forward(empty, empty), value_error);
  Matrix<double> nan = a;
  nan(1, 1) = std::numeric_limits<double>::quiet_NaN();
  CHECK_THROWS_WITH(mse.forward(nan, a), Catch::Contains("prediction") && Catch::Contains("row 1"));
  Matrix<double> bad_labels = Matrix<double>::Constant(2, 3, 2.0);
  CHECK_THROWS_AS(bce.forward(a, bad_labels), value_error);
  Vector<double> w(5);
  w.setOnes();
  loss::BCEWithLogits<double> wrong_classes(w, w);
  CHECK_THROWS_AS(wrong_classes.forward(a, a), shape_error);
  Vector<double> negative = -w;
  CHECK_THROWS_AS(loss::BCEWithLogits<double>(negative, w), value_error);
}
