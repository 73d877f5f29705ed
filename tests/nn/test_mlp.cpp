#include <canon/nn/mlp.hpp>

#include "canon_test.hpp"

using namespace canon;

TEST_CASE("make_mlp: the layers, sizes and names the list asks for") {
  Rng rng(1);
  nn::MlpOptions options;
  options.activation = nn::Activation::softplus;
  options.dropout = 0.5;
  auto model = nn::make_mlp<double>({10, 8, 6, 4}, rng, options);
  // Dense, act, Dropout, Dense, act, Dropout, Dense
  CHECK(model.size() == 7);
  CHECK(model.at<nn::Dense<double>>(6).outputs() == 4);
  CHECK_NOTHROW(model.at<nn::Softplus<double>>(1));
  CHECK_NOTHROW(model.at<nn::Dropout<double>>(2));
  CHECK(parameter_count(model) == 10 * 8 + 8 + 8 * 6 + 6 + 6 * 4 + 4);
  Matrix<double> x = canon_test::random_matrix(10, 5, 2);
  CHECK(model.forward(x, Mode::eval).rows() == 4);
  options.activate_output = true;
  options.dropout = 0;
  CHECK(nn::make_mlp<double>({3, 2}, rng, options).size() == 2);
  CHECK_THROWS_AS(nn::make_mlp<double>({3}, rng), value_error);
}

TEMPLATE_TEST_CASE("make_mlp: gradients through every activation", "[nn]", float, double) {
  for (auto activation : {nn::Activation::relu, nn::Activation::leaky_relu, nn::Activation::softplus,
                          nn::Activation::sigmoid, nn::Activation::tanh}) {
    auto make = [activation](auto t) {
      Rng rng(4);
      nn::MlpOptions options;
      options.activation = activation;
      options.activate_output = true;
      return nn::make_mlp<typename decltype(t)::type>({4, 5, 3}, rng, options);
    };
    canon_test::check_layer<TestType>(make, canon_test::random_matrix(4, 6, 9));
  }
}
