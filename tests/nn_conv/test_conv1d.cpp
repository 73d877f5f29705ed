#include <canon/nn/conv1d.hpp>

#include "canon_test.hpp"

using namespace canon;
using canon_test::tag;

namespace {

struct Case {
  const char* name;
  Index cin, length, cout, width, stride;
  nn::Padding padding;
};

// The configurations of tests/fixtures/make_conv_fixture.py.
const Case cases[] = {
    {"conv_valid", 2, 11, 4, 3, 1, nn::Padding::valid},
    {"conv_same", 3, 10, 2, 4, 1, nn::Padding::same},
    {"conv_stride3_same", 2, 14, 3, 3, 3, nn::Padding::same},
    {"conv_stride3_valid", 3, 17, 2, 5, 3, nn::Padding::valid},
    {"conv_stride2_same", 2, 9, 2, 5, 2, nn::Padding::same},
    {"conv_long_same", 2, 300, 3, 5, 1, nn::Padding::same},
};

}  // namespace

TEST_CASE("Conv1D: output lengths follow the same and valid rules") {
  Rng rng(1);
  CHECK(nn::Conv1D<float>(1, 33075, 2, 3, 3, nn::Padding::same, rng).out_length() == 11025);
  CHECK(nn::Conv1D<float>(16, 375, 2, 3, 3, nn::Padding::same, rng).out_length() == 125);
  CHECK(nn::Conv1D<float>(2, 10, 2, 3, 1, nn::Padding::same, rng).out_length() == 10);
  CHECK(nn::Conv1D<float>(2, 10, 2, 3, 3, nn::Padding::same, rng).out_length() == 4);
  CHECK(nn::Conv1D<float>(2, 10, 2, 3, 3, nn::Padding::valid, rng).out_length() == 3);
  CHECK(nn::conv_geometry(10, 4, 1, nn::Padding::same, "t").pad_left == 1);
  CHECK(nn::conv_geometry(10, 4, 1, nn::Padding::same, "t").pad_right == 2);
  CHECK_THROWS_AS(nn::Conv1D<float>(2, 2, 2, 3, 1, nn::Padding::valid, rng), value_error);
  CHECK_THROWS_AS(nn::Conv1D<float>(2, 10, 2, 0, 1, nn::Padding::valid, rng), value_error);
}

TEST_CASE("Conv1D: rejects inputs of the wrong size") {
  Rng rng(1);
  nn::Conv1D<double> conv(2, 10, 3, 3, 1, nn::Padding::same, rng);
  Matrix<double> x = Matrix<double>::Zero(19, 2);
  CHECK_THROWS_AS(conv.forward(x, Mode::train), shape_error);
  Matrix<double> dy(1, 1);
  CHECK_THROWS_AS(conv.backward(dy), error);
}

TEMPLATE_TEST_CASE("Conv1D: gradients match finite differences", "[nn]", float, double) {
  for (const Case& c : cases) {
    INFO(c.name);
    auto make = [&](auto t) {
      using S = typename decltype(t)::type;
      Rng rng(5);
      return nn::Conv1D<S>(c.cin, c.length, c.cout, c.width, c.stride, c.padding, rng,
                           nn::Init::xavier_normal);
    };
    const Index n = c.length > 100 ? 2 : 3;
    canon_test::check_layer<TestType>(make, canon_test::random_matrix(c.cin * c.length, n, 9));
  }
}

TEMPLATE_TEST_CASE("Conv1D: without bias", "[nn]", float, double) {
  auto make = [](auto t) {
    using S = typename decltype(t)::type;
    Rng rng(5);
    return nn::Conv1D<S>(3, 8, 2, 3, 2, nn::Padding::same, rng, nn::Init::he_normal, false);
  };
  canon_test::check_layer<TestType>(make, canon_test::random_matrix(24, 2, 4));
  Rng rng(5);
  nn::Conv1D<TestType> conv(3, 8, 2, 3, 2, nn::Padding::same, rng, nn::Init::he_normal, false);
  CHECK(parameter_count(conv) == 18);
}

TEST_CASE("Conv1D: agrees with PyTorch") {
  const auto f = canon_test::read_fixture("conv_reference.txt");
  for (const Case& c : cases) {
    const std::string p = c.name;
    INFO(p);
    Rng rng(0);
    nn::Conv1D<double> conv(c.cin, c.length, c.cout, c.width, c.stride, c.padding, rng);
    conv.weight().value = f.at(p + ".w");
    conv.bias().value = f.at(p + ".b");
    const Matrix<double> x = f.at(p + ".x");
    const Matrix<double>& y = conv.forward(x, Mode::train);
    CHECK(canon_test::relative_gap(y, f.at(p + ".y")) < 1e-10);
    const Matrix<double>& dx = conv.backward(f.at(p + ".R"));
    CHECK(canon_test::relative_gap(dx, f.at(p + ".dx")) < 1e-10);
    CHECK(canon_test::relative_gap(conv.weight().grad, f.at(p + ".dw")) < 1e-10);
    CHECK(canon_test::relative_gap(conv.bias().grad, f.at(p + ".db")) < 1e-10);
  }
}
