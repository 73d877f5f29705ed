#include <canon/loss/dcca.hpp>

#include "canon_test.hpp"

using namespace canon;
using loss::DccaObjective;
using Path = cca::detail::WhiteningPath;

namespace {

// Two views sharing `shared` latent signals (plus noise), o1 x m and o2 x m.
std::pair<Matrix<double>, Matrix<double>> two_views(Index o1, Index o2, Index m, std::uint64_t seed,
                                                    double noise = 0.5) {
  const Index shared = std::min<Index>(3, std::min(o1, o2));
  const Matrix<double> z = canon_test::random_matrix(shared, m, seed);
  Matrix<double> h1 = canon_test::random_matrix(o1, shared, seed + 1) * z +
                      noise * canon_test::random_matrix(o1, m, seed + 2);
  Matrix<double> h2 = canon_test::random_matrix(o2, shared, seed + 3) * z +
                      noise * canon_test::random_matrix(o2, m, seed + 4);
  return {h1, h2};
}

// Finite-difference check of both gradients of the loss at (h1, h2).
double fd_error(loss::DeepCCA<double>& dcca, const Matrix<double>& h1, const Matrix<double>& h2) {
  const auto report = testing::check_loss_input_gradients(dcca, h1, h2);
  INFO(report.to_string());
  return report.worst();
}

}  // namespace

TEST_CASE("DeepCCA: every objective's gradient matches finite differences") {
  for (auto objective : {DccaObjective::trace_norm, DccaObjective::top_k,
                         DccaObjective::squared_frobenius, DccaObjective::frobenius}) {
    loss::DccaOptions options;
    options.objective = objective;
    options.k = 2;
    INFO("objective " << int(objective));
    SECTION("more samples than dimensions (covariance path)") {
      auto [h1, h2] = two_views(4, 3, 30, 1);
      loss::DeepCCA<double> dcca(options);
      CHECK(fd_error(dcca, h1, h2) < 1e-6);
    }
    SECTION("o > m: rank-deficient, eigenvalues tied at r (Gram path)") {
      auto [h1, h2] = two_views(12, 9, 6, 2);
      loss::DeepCCA<double> dcca(options);
      CHECK(fd_error(dcca, h1, h2) < 1e-6);
    }
    SECTION("o > m through the covariance path: the tie is in its eigendecomposition") {
      options.path = Path::covariance;
      auto [h1, h2] = two_views(12, 9, 6, 3);
      loss::DeepCCA<double> dcca(options);
      CHECK(fd_error(dcca, h1, h2) < 1e-6);
    }
    SECTION("one view above m, one below (mixed paths)") {
      auto [h1, h2] = two_views(3, 14, 10, 4);
      loss::DeepCCA<double> dcca(options);
      CHECK(fd_error(dcca, h1, h2) < 1e-6);
    }
  }
}

TEST_CASE("DeepCCA: both whitening paths give the same loss and gradients") {
  for (Index o : {5, 15}) {
    auto [h1, h2] = two_views(o, o - 1, 10, 5);
    loss::DccaOptions a, b;
    a.path = Path::covariance;
    b.path = Path::gram;
    loss::DeepCCA<double> cov(a), gram(b);
    const double la = cov.forward(h1, h2), lb = gram.forward(h1, h2);
    CHECK(la == Approx(lb).epsilon(1e-12));
    const Matrix<double> ga = cov.backward().first, gb = gram.backward().first;
    CHECK(canon_test::relative_gap(ga, gb) < 1e-9);
  }
}

TEST_CASE("DeepCCA: a hand-computed one-dimensional case") {
  // o1 = o2 = 1: T is the correlation shrunk by the ridges,
  // sigma = c12 / sqrt((c11 + r1)(c22 + r2)).
  Matrix<double> h1(1, 4), h2(1, 4);
  h1 << 1, 2, 3, 4;
  h2 << 2, 1, 4, 3;
  const double c11 = 5.0 / 3, c22 = 5.0 / 3, c12 = 3.0 / 3;  // sample covariances, m - 1 = 3
  loss::DccaOptions options;
  options.ridge1 = 0.1;
  options.ridge2 = 0.2;
  loss::DeepCCA<double> dcca(options);
  const double expected = c12 / std::sqrt((c11 + 0.1) * (c22 + 0.2));
  CHECK(-dcca.forward(h1, h2) == Approx(expected).epsilon(1e-14));
  CHECK(dcca.correlations()(0) == Approx(expected).epsilon(1e-14));
}

TEST_CASE("DeepCCA: with r = 0 correlations are invariant to invertible maps of a view") {
  auto [h1, h2] = two_views(3, 4, 50, 6);
  loss::DccaOptions options;
  options.ridge1 = options.ridge2 = 0;
  loss::DeepCCA<double> dcca(options);
  dcca.forward(h1, h2);
  const Vector<double> before = dcca.correlations();
  const Matrix<double> mix = canon_test::random_matrix(3, 3, 7) + 3 * Matrix<double>::Identity(3, 3);
  Matrix<double> mixed = mix * h1;
  mixed.colwise() += Vector<double>::Constant(3, 5.0);  // a shift too
  dcca.forward(mixed, h2);
  CHECK((dcca.correlations() - before).cwiseAbs().maxCoeff() < 1e-12);
}

TEST_CASE("DeepCCA: swapping the views swaps the gradients") {
  auto [h1, h2] = two_views(4, 6, 20, 8);
  loss::DeepCCA<double> a, b;
  a.forward(h1, h2);
  b.forward(h2, h1);
  CHECK(canon_test::relative_gap(b.backward().first, a.backward().second) < 1e-10);
  CHECK(canon_test::relative_gap(b.backward().second, a.backward().first) < 1e-10);
}

TEST_CASE("DeepCCA: gradients stay finite when the views are identical and o > m") {
  // Every canonical correlation ties; autograd through eigh returns NaN here.
  const Matrix<double> h = canon_test::random_matrix(20, 8, 9);
  for (auto path : {Path::gram, Path::covariance}) {
    loss::DccaOptions options;
    options.path = path;
    loss::DeepCCA<double> dcca(options);
    dcca.forward(h, h);
    CHECK(dcca.backward().first.allFinite());
    CHECK(dcca.backward().second.allFinite());
  }
}

TEMPLATE_TEST_CASE("DeepCCA: float models can compute in double", "[dcca]", float, double) {
  auto [h1, h2] = two_views(6, 5, 40, 10);
  loss::DccaOptions in_double;
  in_double.double_precision = true;
  loss::DeepCCA<TestType> low(in_double);
  loss::DeepCCA<double> reference;
  const double l = double(low.forward(h1.cast<TestType>(), h2.cast<TestType>()));
  CHECK(l == Approx(reference.forward(h1.cast<TestType>().template cast<double>(),
                                      h2.cast<TestType>().template cast<double>()))
                 .epsilon(1e-6));
  CHECK(canon_test::relative_gap(low.backward().first.template cast<double>(), reference.backward().first) < 1e-6);
  loss::DccaOptions own;
  own.double_precision = false;
  loss::DeepCCA<TestType> same(own);
  CHECK(double(same.forward(h1.cast<TestType>(), h2.cast<TestType>())) == Approx(l).epsilon(1e-4));
}

TEST_CASE("DeepCCA: bad input is refused with a message") {
  loss::DeepCCA<double> dcca;
  Matrix<double> a = canon_test::random_matrix(3, 5, 1), b = canon_test::random_matrix(3, 4, 2);
  CHECK_THROWS_WITH(dcca.forward(a, b), Catch::Contains("5 and 4 samples"));
  Matrix<double> one = canon_test::random_matrix(3, 1, 3);
  CHECK_THROWS_WITH(dcca.forward(one, one), Catch::Contains("m >= 2"));
  loss::DccaOptions no_ridge;
  no_ridge.ridge1 = 0;
  loss::DeepCCA<double> singular(no_ridge);
  Matrix<double> wide = canon_test::random_matrix(8, 5, 4);
  CHECK_THROWS_WITH(singular.forward(wide, wide), Catch::Contains("singular without a ridge"));
  Matrix<double> nan = a;
  nan(0, 0) = std::nan("");
  CHECK_THROWS_AS(dcca.forward(nan, a), value_error);
  loss::DccaOptions top;
  top.objective = DccaObjective::top_k;
  top.k = 4;
  loss::DeepCCA<double> too_many(top);
  CHECK_THROWS_WITH(too_many.forward(a, a), Catch::Contains("only 3 correlations"));
  CHECK_THROWS_AS(loss::DeepCCA<double>().backward(), error);
}

TEST_CASE("DeepCCA eckart_young: gradients match finite differences (halves and whole batch)") {
  for (bool halves : {true, false}) {
    INFO("independent halves " << halves);
    loss::DccaOptions options;
    options.objective = DccaObjective::eckart_young;
    options.independent_halves = halves;
    auto [h1, h2] = two_views(4, 4, 11, 21);  // odd m: halves of 5 and 6
    loss::DeepCCA<double> dcca(options);
    CHECK(fd_error(dcca, h1, h2) < 1e-6);
  }
}

TEST_CASE("DeepCCA eckart_young: the minimum is -sum rho^2, at scaled canonical variates") {
  // Exact sample statistics: rows of Z are centred and orthonormal (times sqrt(m-1)), so
  // H1 = Z1 and H2 = diag(rho) Z1 + diag(sqrt(1 - rho^2)) Z2 have C11 = C22 = I and
  // C12 = diag(rho). Scaled by sqrt(rho/2) they are the EY optimum over linear maps of
  // each view's own variates, where L = -sum rho^2 and the gradient with respect to those
  // maps, dL/dU_i = dL/dH_i X_i^T, vanishes.
  const Index m = 40, k = 3;
  Matrix<double> basis(m, 2 * k + 1);
  basis.col(0).setOnes();
  basis.rightCols(2 * k) = canon_test::random_matrix(m, 2 * k, 31);
  const Matrix<double> q = Eigen::HouseholderQR<Matrix<double>>(basis).householderQ() *
                           Matrix<double>::Identity(m, 2 * k + 1);
  const Matrix<double> z = std::sqrt(double(m - 1)) * q.rightCols(2 * k).transpose();
  Vector<double> rho(k);
  rho << 0.9, 0.6, 0.3;
  const Vector<double> scale = (rho / 2).cwiseSqrt();
  const Matrix<double> x1 = z.topRows(k);
  const Matrix<double> x2 = rho.asDiagonal() * z.topRows(k) +
                            (1 - rho.array().square()).sqrt().matrix().asDiagonal() * z.bottomRows(k);
  const Matrix<double> h1 = scale.asDiagonal() * x1, h2 = scale.asDiagonal() * x2;
  loss::DccaOptions options;
  options.objective = DccaObjective::eckart_young;
  options.independent_halves = false;
  loss::DeepCCA<double> dcca(options);
  CHECK(dcca.forward(h1, h2) == Approx(-rho.squaredNorm()).epsilon(1e-12));
  const auto g = dcca.backward();
  CHECK((g.first * x1.transpose()).cwiseAbs().maxCoeff() < 1e-12);
  CHECK((g.second * x2.transpose()).cwiseAbs().maxCoeff() < 1e-12);
  CHECK(g.first.cwiseAbs().maxCoeff() > 0.01);  // (the outputs themselves could still agree more)
  // Any other scale is worse.
  const Matrix<double> bigger = 1.2 * h1, bigger2 = 1.2 * h2;
  CHECK(dcca.forward(bigger, bigger2) > -rho.squaredNorm());
}

TEST_CASE("DeepCCA eckart_young: refuses views of different sizes and too small batches") {
  loss::DccaOptions options;
  options.objective = DccaObjective::eckart_young;
  loss::DeepCCA<double> dcca(options);
  auto [h1, h2] = two_views(4, 3, 10, 41);
  CHECK_THROWS_WITH(dcca.forward(h1, h2), Catch::Contains("one size"));
  auto [a, b] = two_views(3, 3, 3, 42);
  CHECK_THROWS_WITH(dcca.forward(a, b), Catch::Contains("m >= 4"));
}

TEST_CASE("DeepCCA: a batch with o1 + o2 >= m is reported as degenerate, not optimised silently") {
  loss::DeepCCA<double> dcca;
  // 8 + 8 outputs on 12 samples: correlations near 1 whatever the data (here pure noise).
  const Matrix<double> n1 = canon_test::random_matrix(8, 12, 51), n2 = canon_test::random_matrix(8, 12, 52);
  dcca.forward(n1, n2);
  CHECK(dcca.correlations()(4) > 0.95);
  CHECK_THAT(dcca.warning(), Catch::Contains("o1 + o2 >= m") && Catch::Contains("at least 5") &&
                                 Catch::Contains("eckart_young"));
  // Enough samples: no warning, and noise gives small correlations.
  const Matrix<double> m1 = canon_test::random_matrix(8, 400, 53), m2 = canon_test::random_matrix(8, 400, 54);
  dcca.forward(m1, m2);
  CHECK(dcca.warning().empty());
  CHECK(dcca.correlations()(0) < 0.5);
}

TEST_CASE("DeepCCA: a view with no rows is refused on every path", "[loss][robust]") {
  const Matrix<double> h = canon_test::random_matrix(3, 10, 1);
  const Matrix<double> empty(0, 10);
  for (const auto objective : {DccaObjective::trace_norm, DccaObjective::frobenius, DccaObjective::eckart_young}) {
    for (const Path path : {Path::covariance, Path::gram}) {
      loss::DccaOptions options;
      options.objective = objective;
      options.path = path;
      options.ridge1 = options.ridge2 = 1e-3;
      loss::DeepCCA<double> dcca(options);
      CHECK_THROWS_WITH(dcca.forward(empty, h), Catch::Contains("first view has 0 rows"));
      CHECK_THROWS_AS(dcca.forward(h, empty), shape_error);
    }
  }
  // The whitening routine itself (shared by both) refuses it too.
  cca::detail::WhitenedView<double> out;
  CHECK_THROWS_AS(cca::detail::whiten(empty, 0.1, Path::automatic, 1, "test", out), shape_error);
}
