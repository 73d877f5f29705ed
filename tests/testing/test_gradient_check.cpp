// The checker itself: it passes correct gradients and fails wrong ones, for layers and
// for losses of one or several inputs (a checker that cannot fail checks nothing).
#include <canon/loss/gradients.hpp>
#include <canon/nn/dense.hpp>
#include <canon/testing/gradient_check.hpp>

#include "canon_test.hpp"

using namespace canon;

namespace {

// L = sum(a .* b) + 0.5 ||c||^2 + sum(a)^2 / 3: three inputs, exact gradients, with an
// optional deliberate mistake in the gradient of b.
struct ThreeInputLoss {
  bool wrong = false;
  Matrix<double> ga, gb, gc;
  double forward(const Matrix<double>& a, const Matrix<double>& b, const Matrix<double>& c) {
    const double s = a.sum();
    ga = b.array() + 2.0 * s / 3.0;
    gb = wrong ? Matrix<double>(1.1 * a) : a;
    gc = c;
    return a.cwiseProduct(b).sum() + 0.5 * c.squaredNorm() + s * s / 3.0;
  }
  loss::InputGradients<double, 3> backward() const { return {{&ga, &gb, &gc}}; }
};

// Dense with a backward that forgets the bias gradient's factor: a classic bug.
struct BrokenDense {
  using scalar_type = double;
  nn::Dense<double> inner;
  const Matrix<double>& forward(const Matrix<double>& x, Mode m) { return inner.forward(x, m); }
  const Matrix<double>& backward(const Matrix<double>& dy) {
    const Matrix<double>& dx = inner.backward(dy);
    inner.bias().grad *= 0.5;
    return dx;
  }
  template <class V>
  void visit_parameters(V&& v) { inner.visit_parameters(v); }
  template <class V>
  void visit_buffers(V&&) {}
};

}  // namespace

TEST_CASE("check_loss_input_gradients: every input of a three-input loss") {
  const Matrix<double> a = canon_test::random_matrix(3, 4, 1), b = canon_test::random_matrix(3, 4, 2),
                       c = canon_test::random_matrix(2, 5, 3);
  ThreeInputLoss loss;
  const auto good = testing::check_loss_input_gradients(loss, a, b, c);
  INFO(good.to_string());
  REQUIRE(good.tensors.size() == 3);
  CHECK(good.worst() < 1e-8);
  loss.wrong = true;
  const auto bad = testing::check_loss_input_gradients(loss, a, b, c);
  INFO(bad.to_string());
  CHECK(bad.tensors[0].relative_error < 1e-8);
  CHECK(bad.tensors[1].relative_error > 0.05);  // the mistake is found, and where
  CHECK(bad.tensors[1].name == "input 2");
  CHECK(bad.tensors[2].relative_error < 1e-8);
}

TEST_CASE("check_layer_gradients: a correct layer passes, a broken one fails") {
  Rng rng(4);
  nn::Dense<double> dense(3, 2, rng);
  const Matrix<double> x = canon_test::random_matrix(3, 5, 5);
  CHECK(testing::check_layer_gradients(dense, x).worst() < 1e-8);
  Rng rng2(4);
  BrokenDense broken{nn::Dense<double>(3, 2, rng2)};
  const auto report = testing::check_layer_gradients(broken, x);
  INFO(report.to_string());
  CHECK(report.worst() > 0.3);
  CHECK(report.tensors.back().name == "bias");
}

TEST_CASE("InputGradients: a missing or out-of-range gradient is an error") {
  Matrix<double> g = Matrix<double>::Ones(2, 2);
  loss::InputGradients<double, 2> gradients{{&g, nullptr}};
  CHECK(gradients[0] == g);
  CHECK_THROWS_WITH(gradients[1], Catch::Contains("input 1 of 2"));
  CHECK_THROWS_AS(gradients[2], error);
  CHECK(gradients.size() == 2);
}
