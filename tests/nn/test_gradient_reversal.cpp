#include <canon/nn/dense.hpp>
#include <canon/nn/gradient_reversal.hpp>
#include <canon/nn/sequential.hpp>
#include <cmath>

#include "canon_test.hpp"

using namespace canon;

TEMPLATE_TEST_CASE("GradientReversal: identity forward, -lambda times the gradient backward",
                   "[nn]", float, double) {
  using S = TestType;
  nn::GradientReversal<S> grl({0.3});
  const Matrix<S> x = canon_test::random_matrix(4, 5, 1).cast<S>();
  const Matrix<S> dy = canon_test::random_matrix(4, 5, 2).cast<S>();
  CHECK(grl.forward(x, Mode::train) == x);
  CHECK(grl.backward(dy) == (S(-0.3) * dy).eval());
}

TEST_CASE("GradientReversal: finite differences see the identity; backward reverses it") {
  // The reversal is deliberately not the gradient of the forward pass: finite
  // differences of forward give +dy, backward gives -lambda dy.
  nn::GradientReversal<double> grl({0.7});
  const Matrix<double> x = canon_test::random_matrix(3, 4, 3);
  const Matrix<double> dy = canon_test::random_matrix(3, 4, 4);
  Matrix<double> u = x;
  auto value = [&] { return grl.forward(u, Mode::train).cwiseProduct(dy).sum(); };
  const Matrix<double> numeric = testing::numerical_gradient(value, u);
  grl.forward(x, Mode::train);
  const Matrix<double> analytic = grl.backward(dy);
  CHECK(canon_test::relative_gap(numeric, dy) < 1e-9);
  CHECK(canon_test::relative_gap(analytic, -0.7 * numeric) < 1e-9);
}

TEST_CASE("GradientReversal: the features below ascend the loss above") {
  // Dense -> GRL -> Dense: the lower layer's gradient is the negated gradient it would
  // get without the reversal (lambda = 1); the upper layer's is unchanged.
  auto run = [](bool reversed) {
    Rng rng(5);
    nn::Sequential<double> net;
    net.add(nn::Dense<double>(3, 4, rng));
    if (reversed) net.add(nn::GradientReversal<double>());
    net.add(nn::Dense<double>(4, 2, rng));
    const Matrix<double> x = canon_test::random_matrix(3, 6, 6);
    net.forward(x, Mode::train);
    net.backward(canon_test::random_matrix(2, 6, 7));
    std::vector<Matrix<double>> grads;
    net.visit_parameters([&](Parameter<double>& p) { grads.push_back(p.grad); });
    return grads;
  };
  const auto plain = run(false), reversed = run(true);
  REQUIRE(plain.size() == 4);
  CHECK(canon_test::relative_gap(reversed[0], -plain[0]) < 1e-15);  // lower weight
  CHECK(canon_test::relative_gap(reversed[2], plain[2]) < 1e-15);   // upper weight
}

TEST_CASE("GradientReversal: the Ganin schedule 2/(1+exp(-10p))-1") {
  nn::GradientReversal<double> grl({0.5, nn::ReversalSchedule::ganin});
  CHECK(grl.lambda() == 0.0);
  for (double p : {0.1, 0.5, 1.0}) {
    grl.set_progress(p);
    CHECK(grl.lambda() == Approx(0.5 * (2.0 / (1.0 + std::exp(-10.0 * p)) - 1.0)).epsilon(1e-15));
  }
  grl.set_progress(1.0);
  CHECK(grl.lambda() > 0.4999);
  nn::GradientReversal<double> constant({2.0});
  constant.set_progress(0.3);
  CHECK(constant.lambda() == 2.0);
}

TEST_CASE("GradientReversal: bad settings are refused") {
  CHECK_THROWS_WITH(nn::GradientReversal<double>({-1.0}), Catch::Contains("lambda"));
  CHECK_THROWS_WITH(nn::GradientReversal<double>({1.0, nn::ReversalSchedule::ganin, 0.0}),
                    Catch::Contains("gamma"));
  nn::GradientReversal<double> grl;
  CHECK_THROWS_WITH(grl.set_progress(1.5), Catch::Contains("progress"));
  const Matrix<double> x = canon_test::random_matrix(3, 4, 3);
  grl.forward(x, Mode::train);
  const Matrix<double> wrong = Matrix<double>::Zero(2, 4);
  CHECK_THROWS_AS(grl.backward(wrong), shape_error);
}
