#include <canon/data/standardise.hpp>

#include "canon_test.hpp"

using namespace canon;

TEST_CASE("Standardiser: training rows get mean 0 and sample sd 1; held-out rows reuse them") {
  Matrix<double> x(2, 4);
  x << 1, 2, 3, 4,  //
      10, 30, 10, 30;
  data::Standardiser<double> s;
  const Matrix<double> z = s.fit_transform(x);
  CHECK(s.mean()(0) == Approx(2.5));
  CHECK(s.sd()(0) == Approx(std::sqrt(5.0 / 3.0)));  // divisor n - 1
  CHECK(s.mean()(1) == Approx(20.0));
  CHECK(s.sd()(1) == Approx(std::sqrt(400.0 / 3.0)));
  for (Index i = 0; i < 2; ++i) {
    CHECK(z.row(i).mean() == Approx(0.0).margin(1e-12));
    CHECK((z.row(i).array().square().sum() / 3.0) == Approx(1.0));
  }
  Matrix<double> held_out(2, 1);
  held_out << 2.5, 20.0 + s.sd()(1);
  const Matrix<double> h = s.transform(held_out);
  CHECK(h(0, 0) == Approx(0.0).margin(1e-12));
  CHECK(h(1, 0) == Approx(1.0));
}

TEST_CASE("Standardiser: a constant row is only centred, a single sample too") {
  Matrix<float> x(2, 3);
  x << 5, 5, 5,  //
      1, 2, 3;
  data::Standardiser<float> s;
  const Matrix<float> z = s.fit_transform(x);
  CHECK(s.sd()(0) == 1.0f);
  CHECK(z.row(0).isZero());
  Matrix<float> one(2, 1);
  one << 4, -2;
  data::Standardiser<float> single;
  CHECK(single.fit_transform(one).isZero());
  CHECK(single.sd() == Vector<float>::Ones(2));
}

TEST_CASE("Standardiser: rejects no samples, non-finite values, wrong rows and use before fit") {
  data::Standardiser<double> s;
  CHECK_FALSE(s.fitted());
  CHECK_THROWS_AS(s.transform(Matrix<double>::Zero(2, 2)), error);
  CHECK_THROWS_AS(s.fit(Matrix<double>(2, 0)), value_error);
  Matrix<double> bad = Matrix<double>::Ones(2, 3);
  bad(1, 2) = std::nan("");
  CHECK_THROWS_WITH(s.fit(bad), Catch::Contains("non-finite"));
  s.fit(Matrix<double>::Ones(2, 3));
  CHECK(s.fitted());
  CHECK_THROWS_AS(s.transform(Matrix<double>::Ones(3, 3)), shape_error);
}
