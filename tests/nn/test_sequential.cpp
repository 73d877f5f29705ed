#include <canon/nn/activations.hpp>
#include <canon/nn/dense.hpp>
#include <canon/nn/dropout.hpp>
#include <canon/nn/sequential.hpp>
#include <limits>

#include "canon_test.hpp"

using namespace canon;

template <class S>
nn::Sequential<S> small_network() {
  Rng rng(17);
  nn::Sequential<S> model;
  model.add(nn::Dense<S>(4, 6, rng, nn::Init::he_normal));
  model.add(nn::Tanh<S>());
  model.add(nn::Dense<S>(6, 5, rng));
  model.add(nn::Softplus<S>());
  model.add(nn::Dense<S>(5, 2, rng));
  return model;
}

TEMPLATE_TEST_CASE("Sequential: gradients through a chain", "[nn]", float, double) {
  canon_test::check_layer<TestType>(
      [](auto t) { return small_network<typename decltype(t)::type>(); },
      canon_test::random_matrix(4, 9, 8));
}

TEST_CASE("Sequential: parameters are named by position") {
  auto model = small_network<double>();
  std::vector<std::string> names;
  model.visit_parameters([&](Parameter<double>& p) { names.push_back(p.name); });
  CHECK(names == std::vector<std::string>{"0.weight", "0.bias", "2.weight", "2.bias",
                                          "4.weight", "4.bias"});
  CHECK(parameter_count(model) == 4 * 6 + 6 + 6 * 5 + 5 + 5 * 2 + 2);
  nn::Sequential<double> outer;
  outer.add(std::move(model));
  names.clear();
  outer.visit_parameters([&](Parameter<double>& p) { names.push_back(p.name); });
  CHECK(names.front() == "0.0.weight");
}

TEST_CASE("Sequential: typed access, empty chains and non-finite input") {
  auto model = small_network<double>();
  CHECK(model.at<nn::Dense<double>>(0).outputs() == 6);
  CHECK_THROWS_AS(model.at<nn::Dense<double>>(1), error);
  CHECK_THROWS_AS(model.at<nn::Dense<double>>(9), error);
  nn::Sequential<double> empty;
  Matrix<double> x = Matrix<double>::Zero(4, 3);
  CHECK_THROWS_AS(empty.forward(x, Mode::eval), error);
  x(2, 1) = std::numeric_limits<double>::quiet_NaN();
  CHECK_THROWS_WITH(model.forward(x, Mode::eval),
                    Catch::Contains("non-finite") && Catch::Contains("row 2, column 1"));
}
