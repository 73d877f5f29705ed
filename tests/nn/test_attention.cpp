#include <canon/nn/attention.hpp>

#include "canon_test.hpp"

using namespace canon;
using nn::AttentionOutput;
using nn::AttentionScore;

namespace {

nn::AttentionOptions options_for(AttentionScore score, AttentionOutput output) {
  nn::AttentionOptions o;
  o.score = score;
  o.attention_size = score == AttentionScore::additive ? 6 : 0;
  o.output = output;
  return o;
}

std::vector<Index> to_lengths(const Matrix<double>& row) {
  std::vector<Index> out;
  for (Index j = 0; j < row.cols(); ++j) out.push_back(Index(row(0, j)));
  return out;
}

}  // namespace

TEMPLATE_TEST_CASE("Attention: gradients for both scores and both outputs", "[nn]", float, double) {
  for (auto score : {AttentionScore::linear, AttentionScore::additive})
    for (auto output : {AttentionOutput::weighted_sum, AttentionOutput::weighted_steps}) {
      INFO("score " << int(score) << ", output " << int(output));
      canon_test::check_layer<TestType>(
          [&](auto t) {
            Rng rng(4);
            return nn::Attention<typename decltype(t)::type>(3, 5, rng, options_for(score, output));
          },
          canon_test::random_matrix(15, 4, 2));
    }
}

TEST_CASE("Attention: gradients with per-sample lengths") {
  for (auto score : {AttentionScore::linear, AttentionScore::additive})
    for (auto output : {AttentionOutput::weighted_sum, AttentionOutput::weighted_steps}) {
      Rng rng(5);
      nn::Attention<double> attention(3, 5, rng, options_for(score, output));
      const std::vector<Index> lengths = {5, 1, 3, 4};
      Matrix<double> x = canon_test::random_matrix(15, 4, 3);
      const Matrix<double> r = canon_test::random_matrix(attention.output_rows(), 4, 4);
      attention.forward(x, lengths, Mode::train);
      const Matrix<double> dx = attention.backward(r);
      std::vector<Matrix<double>> analytic;
      attention.visit_parameters([&](Parameter<double>& p) { analytic.push_back(p.grad); });
      auto value = [&] { return attention.forward(x, lengths, Mode::train).cwiseProduct(r).sum(); };
      const auto input = testing::compare_gradients("input", dx, testing::numerical_gradient(value, x));
      INFO(input.name << " " << input.relative_error);
      CHECK(input.relative_error < 1e-6);
      std::size_t k = 0;
      attention.visit_parameters([&](Parameter<double>& p) {
        const auto check =
            testing::compare_gradients(p.name, analytic[k++], testing::numerical_gradient(value, p.value));
        INFO(check.name << " " << check.relative_error);
        CHECK(check.relative_error < 1e-6);
      });
      // Padded input steps get exactly zero gradient.
      CHECK(dx.col(1).tail(12).cwiseAbs().maxCoeff() == 0.0);
      CHECK(dx.col(2).tail(6).cwiseAbs().maxCoeff() == 0.0);
    }
}

TEST_CASE("Attention: agrees with PyTorch autograd (fixture)") {
  const auto f = canon_test::read_fixture("attention_reference.txt");
  const struct {
    const char* name;
    AttentionScore score;
    AttentionOutput output;
  } cases[] = {{"linear_sum", AttentionScore::linear, AttentionOutput::weighted_sum},
               {"linear_steps", AttentionScore::linear, AttentionOutput::weighted_steps},
               {"additive_sum", AttentionScore::additive, AttentionOutput::weighted_sum},
               {"additive_steps", AttentionScore::additive, AttentionOutput::weighted_steps}};
  for (const auto& c : cases) {
    INFO(c.name);
    const std::string p = c.name;
    Rng rng(1);
    nn::Attention<double> attention(4, 5, rng, options_for(c.score, c.output));
    attention.visit_parameters([&](Parameter<double>& param) { param.value = f.at(p + "." + param.name); });
    const Matrix<double>& x = f.at(p + ".x");
    const std::vector<Index> lengths = to_lengths(f.at(p + ".lengths"));
    const Matrix<double> y = attention.forward(x, lengths, Mode::train);
    CHECK(canon_test::relative_gap(y, f.at(p + ".y")) < 1e-12);
    CHECK(canon_test::relative_gap(attention.weights(), f.at(p + ".weights")) < 1e-12);
    const Matrix<double> dx = attention.backward(f.at(p + ".R"));
    CHECK(canon_test::relative_gap(dx, f.at(p + ".dx")) < 1e-12);
    attention.visit_parameters([&](Parameter<double>& param) {
      INFO(param.name);
      CHECK(canon_test::relative_gap(param.grad, f.at(p + ".d" + param.name)) < 1e-12);
    });
  }
}

TEST_CASE("Attention: the weights really weigh (softmax over steps, not over an axis of one)") {
  // A score vector aligned with feature 0 puts almost all weight on the step whose
  // feature 0 is largest: the output is (close to) that step, not the mean of steps.
  Rng rng(2);
  nn::Attention<double> attention(2, 4, rng);
  attention.visit_parameters([](Parameter<double>& p) { p.value << 8.0, 0.0; });
  Matrix<double> x(8, 1);
  x << 0.1, 1.0, 0.9, 2.0, -0.5, 3.0, 0.2, 4.0;  // steps (0.1,1) (0.9,2) (-0.5,3) (0.2,4)
  const Matrix<double> y = attention.forward(x, Mode::eval);
  const Matrix<double>& a = attention.weights();
  CHECK(a.sum() == Approx(1.0).epsilon(1e-14));
  CHECK(a(1, 0) > 0.99);
  CHECK(a.col(0).minCoeff() < 0.01);
  CHECK(y(1, 0) == Approx(2.0).epsilon(0.02));
  // Different samples get different weights.
  Matrix<double> two(8, 2);
  two.col(0) = x.col(0);
  two.col(1) << 0.1, 1.0, 0.9, 2.0, 1.5, 3.0, 0.2, 4.0;
  attention.forward(two, Mode::eval);
  CHECK(attention.weights()(2, 1) > 0.99);
}

TEST_CASE("Attention: padding never leaks into outputs") {
  Rng rng(3);
  nn::Attention<double> attention(3, 4, rng, options_for(AttentionScore::additive, AttentionOutput::weighted_sum));
  Matrix<double> x = canon_test::random_matrix(12, 2, 6);
  const std::vector<Index> lengths = {2, 4};
  const Matrix<double> before = attention.forward(x, lengths, Mode::eval);
  x.col(0).tail(6).setConstant(1e3);  // sample 0's padded steps 2 and 3
  const Matrix<double> after = attention.forward(x, lengths, Mode::eval);
  CHECK(before == after);
  CHECK(attention.weights()(2, 0) == 0.0);
  CHECK(attention.weights()(3, 0) == 0.0);
}

TEST_CASE("Attention: bad input is refused with a message") {
  Rng rng(4);
  nn::Attention<double> attention(3, 4, rng);
  const Matrix<double> x = canon_test::random_matrix(12, 2, 7);
  const Matrix<double> wrong = canon_test::random_matrix(10, 2, 7);
  CHECK_THROWS_WITH(attention.forward(wrong, Mode::eval), Catch::Contains("F*T rows with F = 3"));
  const Matrix<double> longer = canon_test::random_matrix(15, 2, 7);
  CHECK_THROWS_WITH(attention.forward(longer, Mode::eval), Catch::Contains("12 rows (3 features x 4 steps)"));
  CHECK_THROWS_WITH(attention.forward(x, std::vector<Index>{4}, Mode::eval),
                    Catch::Contains("1 lengths for a batch of 2 samples"));
  CHECK_THROWS_WITH(attention.forward(x, std::vector<Index>{4, 0}, Mode::eval),
                    Catch::Contains("the length of sample 1 must lie in [1, 4]") && Catch::Contains("got 0"));
  CHECK_THROWS_WITH(attention.forward(x, std::vector<Index>{5, 1}, Mode::eval),
                    Catch::Contains("[1, 4]"));
  CHECK_THROWS_WITH(attention.backward(x), Catch::Contains("before forward"));
  nn::AttentionOptions additive;
  additive.score = AttentionScore::additive;
  CHECK_THROWS_WITH(nn::Attention<double>(3, 4, rng, additive), Catch::Contains("attention_size"));
  nn::AttentionOptions linear;
  linear.attention_size = 5;
  CHECK_THROWS_WITH(nn::Attention<double>(3, 4, rng, linear), Catch::Contains("additive score only"));
}

TEST_CASE("Attention: sizes that would not fit in memory are refused before allocating", "[robust]") {
  Rng rng(1);
  nn::AttentionOptions additive;
  additive.score = nn::AttentionScore::additive;
  additive.attention_size = 1000000;
  CHECK_THROWS_WITH(nn::Attention<float>(1000000, 4, rng, additive), Catch::Contains("exceeds the limit"));
  CHECK_THROWS_AS(nn::Attention<float>(0, 4, rng), value_error);
}
