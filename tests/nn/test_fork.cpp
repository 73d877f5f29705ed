#include <canon/nn/activations.hpp>
#include <canon/nn/dense.hpp>
#include <canon/nn/fork.hpp>
#include <canon/nn/sequential.hpp>

#include "canon_test.hpp"

using namespace canon;

namespace {

// Three heads reading one 5-d input, as EMER-CL's z, mean and log-variance heads.
template <class S>
nn::Fork<S> three_heads() {
  Rng rng(21);
  nn::Fork<S> fork;
  fork.add(nn::Dense<S>(5, 4, rng), "z");
  nn::Sequential<S> mean;
  mean.add(nn::Dense<S>(5, 3, rng));
  mean.add(nn::Tanh<S>());
  fork.add(std::move(mean), "mean");
  fork.add(nn::Dense<S>(5, 2, rng), "log_variance");
  return fork;
}

}  // namespace

TEMPLATE_TEST_CASE("Fork: gradients through the stacked heads", "[nn]", float, double) {
  canon_test::check_layer<TestType>(
      [](auto t) { return three_heads<typename decltype(t)::type>(); },
      canon_test::random_matrix(5, 7, 3));
}

TEST_CASE("Fork: the input gradient is the sum of the heads' input gradients") {
  auto fork = three_heads<double>();
  auto twin = three_heads<double>();  // same seed: the same weights
  const Matrix<double> x = canon_test::random_matrix(5, 6, 4);
  fork.forward_heads(x, Mode::train);
  const Matrix<double> d0 = canon_test::random_matrix(4, 6, 5);
  const Matrix<double> d2 = canon_test::random_matrix(2, 6, 6);
  // Head 1 unused: contributes nothing, and its parameter gradients are zero.
  const Matrix<double> dx = fork.backward_heads({&d0, nullptr, &d2});

  auto& z = twin.head<nn::Dense<double>>(0);
  auto& lv = twin.head<nn::Dense<double>>(2);
  Matrix<double> expected = z.forward(x, Mode::train), unused = lv.forward(x, Mode::train);
  expected = z.backward(d0);
  expected += lv.backward(d2);
  CHECK(canon_test::relative_gap(dx, expected) < 1e-15);
  fork.visit_parameters([&](Parameter<double>& p) {
    if (p.name.rfind("mean.", 0) == 0) CHECK(p.grad.cwiseAbs().maxCoeff() == 0.0);
  });
  CHECK(fork.head<nn::Dense<double>>(0).weight().grad == z.weight().grad);
}

TEST_CASE("Fork: outputs stack by rows and heads keep their names") {
  auto fork = three_heads<double>();
  const Matrix<double> x = canon_test::random_matrix(5, 3, 7);
  const Matrix<double> y = fork.forward(x, Mode::eval);
  REQUIRE(y.rows() == 4 + 3 + 2);
  CHECK(y.topRows(4) == fork.head_output(0));
  CHECK(y.middleRows(4, 3) == fork.head_output(1));
  CHECK(y.bottomRows(2) == fork.head_output(2));
  std::vector<std::string> names;
  fork.visit_parameters([&](Parameter<double>& p) { names.push_back(p.name); });
  CHECK(names == std::vector<std::string>{"z.weight", "z.bias", "mean.0.weight", "mean.0.bias",
                                          "log_variance.weight", "log_variance.bias"});
  CHECK(fork.head_name(2) == "log_variance");
}

TEST_CASE("Fork: bad use is refused with a message") {
  Rng rng(1);
  nn::Fork<double> empty;
  const Matrix<double> x = canon_test::random_matrix(5, 3, 8);
  CHECK_THROWS_WITH(empty.forward(x, Mode::eval), Catch::Contains("no heads"));
  auto fork = three_heads<double>();
  CHECK_THROWS_WITH(fork.add(nn::Dense<double>(5, 1, rng), "z"), Catch::Contains("already named 'z'"));
  CHECK_THROWS_WITH(fork.backward_heads({nullptr, nullptr, nullptr}), Catch::Contains("before forward"));
  fork.forward_heads(x, Mode::eval);
  const Matrix<double> wrong = Matrix<double>::Zero(3, 3);
  CHECK_THROWS_WITH(fork.backward_heads({&wrong, nullptr, nullptr}),
                    Catch::Contains("head 'z'") && Catch::Contains("4x3"));
  CHECK_THROWS_WITH(fork.backward_heads({nullptr}), Catch::Contains("1 gradients for 3 heads"));
  CHECK_THROWS_WITH(fork.backward(wrong), Catch::Contains("forward_heads"));
  CHECK_THROWS_AS(fork.head<nn::Tanh<double>>(0), error);
  CHECK_THROWS_AS(fork.head_output(7), error);
  const Matrix<double> short_x = canon_test::random_matrix(4, 3, 9);
  CHECK_THROWS_AS(fork.forward(short_x, Mode::eval), shape_error);
}
