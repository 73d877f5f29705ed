#include <canon/cca/linear_cca.hpp>

#include "canon_test.hpp"

using namespace canon;

TEMPLATE_TEST_CASE("LinearCCA: agrees with scipy's generalized eigenproblem", "[cca]", float, double) {
  const auto f = canon_test::read_fixture("linear_cca.txt");
  const double tolerance = std::is_same_v<TestType, float> ? 2e-4 : 1e-9;
  for (const std::string tag : {"plain", "ridge"}) {
    INFO(tag);
    cca::LinearCcaOptions options;
    if (tag == "ridge") {
      options.ridge1 = 0.05;
      options.ridge2 = 0.1;
    }
    cca::LinearCCA<TestType> model(options);
    model.fit(f.at("X1").cast<TestType>(), f.at("X2").cast<TestType>());
    REQUIRE(model.components() == 4);
    CHECK(canon_test::relative_gap(model.correlations().transpose(), f.at(tag + "_rho")) < tolerance);
    CHECK(canon_test::relative_gap(model.weights1().template cast<double>(), f.at(tag + "_w1")) < tolerance);
    CHECK(canon_test::relative_gap(model.weights2().template cast<double>(), f.at(tag + "_w2")) < tolerance);
  }
}

TEST_CASE("LinearCCA: training variates are white, paired by their correlations") {
  const auto f = canon_test::read_fixture("linear_cca.txt");
  cca::LinearCCA<double> model;
  model.fit(f.at("X1"), f.at("X2"));
  const Matrix<double> p1 = model.transform_first(f.at("X1")), p2 = model.transform_second(f.at("X2"));
  const double n = double(p1.cols() - 1);
  const Matrix<double> c11 = p1 * p1.transpose() / n, c12 = p1 * p2.transpose() / n;
  CHECK(c11.isApprox(Matrix<double>::Identity(4, 4), 1e-10));
  CHECK((Matrix<double>(c12.diagonal().asDiagonal()) - c12).cwiseAbs().maxCoeff() < 1e-10);
  CHECK(canon_test::relative_gap(c12.diagonal(), model.correlations()) < 1e-10);
}

TEST_CASE("LinearCCA: estimates converge to the population canonical correlations") {
  // Pairs (x1_j, x2_j) = (z_j + a_j e_j, z_j + b_j d_j), independent across j, then each
  // view mixed by an invertible matrix: the population canonical correlations are
  // rho_j = 1 / sqrt((1 + a_j^2)(1 + b_j^2)), whatever the mixing.
  const Vector<double> a = (Vector<double>(3) << 0.3, 1.0, 2.0).finished();
  const Vector<double> b = (Vector<double>(3) << 0.5, 0.8, 1.5).finished();
  Vector<double> rho(3);
  for (int j = 0; j < 3; ++j) rho(j) = 1 / std::sqrt((1 + a(j) * a(j)) * (1 + b(j) * b(j)));
  double previous_error = 1;
  for (Index m : {500, 5000, 50000}) {
    const Matrix<double> z = canon_test::random_matrix(3, m, 1);
    const Matrix<double> x1 = a.asDiagonal() * canon_test::random_matrix(3, m, 2) + z;
    const Matrix<double> x2 = b.asDiagonal() * canon_test::random_matrix(3, m, 3) + z;
    const Matrix<double> mix1 = canon_test::random_matrix(3, 3, 4) + 2 * Matrix<double>::Identity(3, 3);
    const Matrix<double> mix2 = canon_test::random_matrix(3, 3, 5) + 2 * Matrix<double>::Identity(3, 3);
    cca::LinearCCA<double> model;
    model.fit(mix1 * x1, mix2 * x2);
    const double error = (model.correlations() - rho).cwiseAbs().maxCoeff();
    INFO("m = " << m << ": error " << error);
    CHECK(error < 4.0 / std::sqrt(double(m)));  // a few standard errors
    previous_error = error;
  }
  CHECK(previous_error < 0.01);
}

TEST_CASE("LinearCCA: choosing components; more dimensions than samples with a ridge") {
  Vector<double> r(4);
  r << 0.9, 0.5, 0.1, 0.0;
  CHECK(cca::components_for_fraction(r, 0.6) == 1);
  CHECK(cca::components_for_fraction(r, 0.9) == 2);
  CHECK(cca::components_for_fraction(r, 1.0) == 3);
  const Matrix<double> x1 = canon_test::random_matrix(30, 10, 1), x2 = canon_test::random_matrix(20, 10, 2);
  cca::LinearCcaOptions options;
  options.ridge1 = options.ridge2 = 0.1;
  cca::LinearCCA<double> model(options);
  model.fit(x1, x2);
  CHECK(model.components() == 9);  // centring leaves m - 1 directions
  options.components = 3;
  cca::LinearCCA<double> three(options);
  three.fit(x1, x2);
  CHECK(three.transform_first(x1).rows() == 3);
  options.components = 12;
  cca::LinearCCA<double> too_many(options);
  CHECK_THROWS_WITH(too_many.fit(x1, x2), Catch::Contains("support only 9"));
  cca::LinearCCA<double> singular;
  CHECK_THROWS_WITH(singular.fit(x1, x2), Catch::Contains("singular without a ridge"));
  CHECK_THROWS_AS(model.transform_first(x2), shape_error);
  CHECK_THROWS_AS(cca::LinearCCA<double>().transform_first(x1), error);
}

TEMPLATE_TEST_CASE("LinearCCA: a view with no rows is refused at fit", "[cca][robust]", float, double) {
  const Matrix<TestType> x = canon_test::random_matrix(3, 20, 1).cast<TestType>();
  const Matrix<TestType> empty(0, 20);
  cca::LinearCCA<TestType> model;
  CHECK_THROWS_AS(model.fit(empty, x), shape_error);
  CHECK_THROWS_WITH(model.fit(x, empty), Catch::Contains("second view has 0 rows"));
  CHECK_THROWS_AS(model.fit(empty, empty), shape_error);
  CHECK_FALSE(model.fitted());
}

TEMPLATE_TEST_CASE("LinearCCA: a constant view is refused at fit, not at transform", "[cca][robust]", float,
                   double) {
  const Matrix<TestType> x = canon_test::random_matrix(3, 20, 1).cast<TestType>();
  const Matrix<TestType> constant = Matrix<TestType>::Constant(2, 20, TestType(4));
  cca::LinearCcaOptions options;
  options.ridge1 = options.ridge2 = 0.1;  // so that the covariance itself is not singular
  cca::LinearCCA<TestType> model(options);
  CHECK_THROWS_WITH(model.fit(x, constant), Catch::Contains("second view is constant"));
  CHECK_THROWS_WITH(model.fit(constant, x), Catch::Contains("first view is constant"));
  CHECK_THROWS_AS(model.fit(x, constant), value_error);
  CHECK_FALSE(model.fitted());
}

TEST_CASE("LinearCCA: a singular_floor outside [0, 1) is refused", "[cca][robust]") {
  for (const double floor : {-1e-3, 1.0, std::nan("")}) {
    cca::LinearCcaOptions o;
    o.singular_floor = floor;
    CHECK_THROWS_WITH(cca::LinearCCA<double>(o), Catch::Contains("singular_floor must lie in [0, 1)"));
  }
}
