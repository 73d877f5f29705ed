// canon::svm::Svr against scikit-learn's SVR (tests/fixtures/make_svr_fixture.py: the
// same libsvm solver, so the same C, epsilon, gamma and tol give the same function),
// determinism, silence, ownership of the nodes libsvm points into, and the error paths.
#include <canon/svm/svr.hpp>

#include <cstdio>
#include <unistd.h>

#include "canon_test.hpp"

using namespace canon;

namespace {

svm::SvrOptions options_of(const Matrix<double>& row) {
  svm::SvrOptions o;
  o.c = row(0, 0);
  o.epsilon = row(0, 1);
  if (row(0, 2) > 0) o.gamma = row(0, 2);
  o.tolerance = row(0, 3);
  o.shrinking = row(0, 4) != 0.0;
  return o;
}

double max_gap(const RowVector<double>& a, const Matrix<double>& b) {
  REQUIRE(b.rows() == 1);
  REQUIRE(a.size() == b.cols());
  return (a - b.row(0)).cwiseAbs().maxCoeff();
}

}  // namespace

TEST_CASE("Svr agrees with scikit-learn's SVR", "[svm]") {
  const auto f = canon_test::read_fixture("svr_reference.txt");
  const Matrix<double>& x = f.at("x_train");
  const Matrix<double>& y = f.at("y_train");
  const Matrix<double>& x_test = f.at("x_test");
  for (int k = 0; k < 4; ++k) {
    const std::string c = "case" + std::to_string(k);
    INFO(c);
    svm::Svr svr(options_of(f.at(c + "_options")));
    svr.fit(x, y);
    CHECK(svr.gamma() == Approx(f.at(c + "_gamma")(0, 0)).epsilon(1e-14));
    CHECK(svr.support_vectors() == Index(f.at(c + "_support")(0, 0)));
    CHECK(std::abs(svr.intercept() - f.at(c + "_intercept")(0, 0)) < 1e-9);
    const double test_gap = max_gap(svr.predict(x_test), f.at(c + "_predict"));
    const double train_gap = max_gap(svr.predict(x), f.at(c + "_fitted"));
    INFO("max |canon - sklearn| on test " << test_gap << ", on train " << train_gap);
    CHECK(test_gap < 1e-11);  // seen: 4e-16 to 7e-14
    CHECK(train_gap < 1e-11);
  }
}

TEST_CASE("Svr takes float input and row or column targets", "[svm]") {
  const auto f = canon_test::read_fixture("svr_reference.txt");
  const Matrix<double>& x = f.at("x_train");
  const Matrix<double>& y = f.at("y_train");
  // A tight tolerance: at the default 1e-3 the solver stops wherever the rounding of the
  // float inputs leads it, up to about 1e-3 from the optimum.
  svm::SvrOptions o;
  o.tolerance = 1e-10;
  svm::Svr as_row(o), as_column(o), as_float(o);
  as_row.fit(x, y);
  as_column.fit(x, Vector<double>(y.transpose()));
  const Matrix<float> xf = x.cast<float>();
  as_float.fit(xf, y.cast<float>());
  const RowVector<double> p = as_row.predict(f.at("x_test"));
  CHECK((as_column.predict(f.at("x_test")) - p).cwiseAbs().maxCoeff() == 0.0);
  // float inputs are rounded to 24 bits before libsvm sees them
  CHECK((as_float.predict(f.at("x_test").cast<float>()) - p).cwiseAbs().maxCoeff() < 1e-5);
}

TEST_CASE("Svr is deterministic and a refit replaces the model", "[svm]") {
  const Matrix<double> x = canon_test::random_matrix(3, 80, 5);
  const RowVector<double> y = x.row(0).array().sin().matrix() + 0.2 * x.row(1);
  const Matrix<double> other = canon_test::random_matrix(3, 50, 6);
  const RowVector<double> other_y = other.row(2).array().square().matrix();
  const Matrix<double> probe = canon_test::random_matrix(3, 20, 7);
  svm::Svr a, b;
  a.fit(x, y);
  b.fit(x, y);
  const RowVector<double> pa = a.predict(probe);
  CHECK((pa.array() == b.predict(probe).array()).all());  // bit-identical

  b.fit(other, other_y);  // the old nodes go, the new model must not point at them
  svm::Svr fresh;
  fresh.fit(other, other_y);
  CHECK((b.predict(probe).array() == fresh.predict(probe).array()).all());
  CHECK_FALSE((b.predict(probe).array() == pa.array()).all());
}

TEST_CASE("a moved Svr keeps the nodes its model points into", "[svm]") {
  const Matrix<double> x = canon_test::random_matrix(4, 60, 8);
  const RowVector<double> y = x.colwise().sum();
  const Matrix<double> probe = canon_test::random_matrix(4, 10, 9);
  auto make = [&] {
    svm::Svr s;
    s.fit(x, y);
    return s;
  };
  svm::Svr reference;
  reference.fit(x, y);
  svm::Svr moved = make();
  std::vector<svm::Svr> many;
  for (int i = 0; i < 8; ++i) many.push_back(make());  // reallocations move them again
  CHECK((moved.predict(probe).array() == reference.predict(probe).array()).all());
  CHECK((many.front().predict(probe).array() == reference.predict(probe).array()).all());
  svm::Svr assigned;
  assigned.fit(probe, probe.row(0));
  assigned = std::move(moved);
  CHECK((assigned.predict(probe).array() == reference.predict(probe).array()).all());
}

TEST_CASE("Svr keeps libsvm quiet on stdout", "[svm]") {
  const Matrix<double> x = canon_test::random_matrix(2, 200, 10);
  const RowVector<double> y = x.row(0);
  std::fflush(stdout);
  FILE* capture = std::tmpfile();
  REQUIRE(capture != nullptr);
  const int saved = dup(fileno(stdout));
  dup2(fileno(capture), fileno(stdout));
  svm::Svr svr;
  svr.fit(x, y);  // libsvm alone prints "*" and "optimization finished, #iter = ..."
  std::fflush(stdout);
  dup2(saved, fileno(stdout));
  close(saved);
  std::fseek(capture, 0, SEEK_END);
  const long written = std::ftell(capture);
  std::fclose(capture);
  CHECK(written == 0);
}

TEST_CASE("Svr rejects bad input with messages that say what was expected", "[svm]") {
  const Matrix<double> x = canon_test::random_matrix(3, 10, 11);
  const RowVector<double> y = x.row(0);
  svm::Svr svr;
  CHECK_THROWS_WITH(svr.predict(x), Catch::Contains("before fit"));
  CHECK_THROWS_AS(svr.gamma(), canon::error);
  CHECK_THROWS_WITH(svr.fit(x, RowVector<double>(y.head(9))),
                    Catch::Contains("10 samples") && Catch::Contains("9 targets"));
  CHECK_THROWS_AS(svr.fit(x, Matrix<double>(x.topRows(2))), canon::shape_error);
  CHECK_THROWS_AS(svr.fit(Matrix<double>(0, 10), y), canon::shape_error);
  CHECK_THROWS_WITH(svr.fit(Matrix<double>(x.leftCols(1)), RowVector<double>(y.head(1))),
                    Catch::Contains("at least 2"));
  Matrix<double> bad = x;
  bad(1, 4) = std::nan("");
  CHECK_THROWS_WITH(svr.fit(bad, y), Catch::Contains("non-finite") && Catch::Contains("column 4"));
  RowVector<double> bad_y = y;
  bad_y(2) = std::numeric_limits<double>::infinity();
  CHECK_THROWS_AS(svr.fit(x, bad_y), canon::value_error);
  CHECK_FALSE(svr.fitted());

  svr.fit(x, y);
  CHECK_THROWS_WITH(svr.predict(Matrix<double>(x.topRows(2))), Catch::Contains("must have 3 rows"));
  CHECK_THROWS_AS(svr.predict(bad), canon::value_error);
  CHECK(svr.predict(Matrix<double>(3, 0)).size() == 0);

  auto with = [](auto change) {
    svm::SvrOptions o;
    change(o);
    return o;
  };
  CHECK_THROWS_WITH(svm::Svr(with([](auto& o) { o.c = 0; })), Catch::Contains("C must be positive"));
  CHECK_THROWS_AS(svm::Svr(with([](auto& o) { o.epsilon = -0.1; })), canon::value_error);
  CHECK_THROWS_AS(svm::Svr(with([](auto& o) { o.gamma = 0.0; })), canon::value_error);
  CHECK_THROWS_AS(svm::Svr(with([](auto& o) { o.tolerance = 0.0; })), canon::value_error);
}

TEST_CASE("scale gamma is scikit-learn's", "[svm]") {
  const auto f = canon_test::read_fixture("svr_reference.txt");
  CHECK(svm::scale_gamma(f.at("x_train")) == Approx(f.at("case0_gamma")(0, 0)).epsilon(1e-14));
  CHECK(svm::scale_gamma(Matrix<double>::Constant(3, 4, 2.0)) == 1.0);  // var 0: gamma 1, as sklearn
}
