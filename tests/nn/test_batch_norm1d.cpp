#include <canon/nn/batch_norm1d.hpp>

#include "canon_test.hpp"

using namespace canon;
using canon_test::tag;

namespace {
template <class S>
nn::BatchNorm1D<S> make_bn(Index channels) {
  nn::BatchNorm1D<S> bn(channels);
  Rng rng(4);
  Matrix<double> g(channels, 1), b(channels, 1);
  fill_normal(g, rng);
  fill_normal(b, rng);
  bn.weight().value = g.cast<S>();
  bn.bias().value = b.cast<S>();
  return bn;
}
}  // namespace

TEMPLATE_TEST_CASE("BatchNorm1D: train-mode gradients match finite differences", "[nn]", float,
                   double) {
  auto make = [](auto t) { return make_bn<typename decltype(t)::type>(3); };
  canon_test::check_layer<TestType>(make, canon_test::random_matrix(3 * 4, 5, 2));
}

TEMPLATE_TEST_CASE("BatchNorm1D: eval-mode gradients match finite differences", "[nn]", float,
                   double) {
  auto make = [](auto t) {
    using S = typename decltype(t)::type;
    auto bn = make_bn<S>(2);
    bn.running_mean().value << S(0.3), S(-0.2);
    bn.running_var().value << S(1.5), S(0.7);
    return bn;
  };
  testing::CheckOptions options;
  options.mode = Mode::eval;
  canon_test::check_layer<TestType>(make, canon_test::random_matrix(2 * 3, 4, 3), options);
}

TEST_CASE("BatchNorm1D: agrees with PyTorch") {
  const auto f = canon_test::read_fixture("conv_reference.txt");
  for (const std::string p : {"bn", "bn_t1"}) {
    INFO(p);
    const Index c = f.at(p + ".gamma").rows();
    nn::BatchNorm1D<double> bn(c);
    bn.weight().value = f.at(p + ".gamma");
    bn.bias().value = f.at(p + ".beta");
    const Matrix<double> x = f.at(p + ".x");
    CHECK(canon_test::relative_gap(bn.forward(x, Mode::train), f.at(p + ".y")) < 1e-10);
    CHECK(canon_test::relative_gap(bn.backward(f.at(p + ".R")), f.at(p + ".dx")) < 1e-10);
    CHECK(canon_test::relative_gap(bn.weight().grad, f.at(p + ".dgamma")) < 1e-10);
    CHECK(canon_test::relative_gap(bn.bias().grad, f.at(p + ".dbeta")) < 1e-10);
    CHECK(canon_test::relative_gap(bn.running_mean().value, f.at(p + ".running_mean")) < 1e-10);
    CHECK(canon_test::relative_gap(bn.running_var().value, f.at(p + ".running_var")) < 1e-10);
    const Matrix<double> x2 = f.at(p + ".eval_x");
    CHECK(canon_test::relative_gap(bn.forward(x2, Mode::eval), f.at(p + ".eval_y")) < 1e-10);
    CHECK(canon_test::relative_gap(bn.backward(f.at(p + ".R")), f.at(p + ".eval_dx")) < 1e-10);
  }
}

TEST_CASE("BatchNorm1D: one value per channel in train mode throws") {
  nn::BatchNorm1D<double> bn(2);
  Matrix<double> x = Matrix<double>::Ones(2, 1);
  CHECK_THROWS_AS(bn.forward(x, Mode::train), value_error);
  CHECK_NOTHROW(bn.forward(x, Mode::eval));
  Matrix<double> bad(3, 2);
  CHECK_THROWS_AS(bn.forward(bad, Mode::train), shape_error);
}
