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

// ---- Winograd ---------------------------------------------------------------------

TEST_CASE("Winograd transform: F(4 3) has the published matrices") {
  // Lavin and Gray (2016), "Fast algorithms for convolutional neural networks", F(4, 3)
  // with points 0, 1, -1, 2, -2 and infinity.
  const auto t = nn::winograd_transform(4, 3);
  Eigen::MatrixXd bt(6, 6), g(6, 3), at(4, 6);
  bt << 4, 0, -5, 0, 1, 0,  //
      0, -4, -4, 1, 1, 0,   //
      0, 4, -4, -1, 1, 0,   //
      0, -2, -1, 2, 1, 0,   //
      0, 2, -1, -2, 1, 0,   //
      0, 4, 0, -5, 0, 1;
  g << 1 / 4.0, 0, 0,                  //
      -1 / 6.0, -1 / 6.0, -1 / 6.0,    //
      -1 / 6.0, 1 / 6.0, -1 / 6.0,     //
      1 / 24.0, 1 / 12.0, 1 / 6.0,     //
      1 / 24.0, -1 / 12.0, 1 / 6.0,    //
      0, 0, 1;
  at << 1, 1, 1, 1, 1, 0,  //
      0, 1, -1, 2, -2, 0,  //
      0, 1, 1, 4, 4, 0,    //
      0, 1, -1, 8, -8, 1;
  CHECK((t.input - bt).cwiseAbs().maxCoeff() == 0.0);
  CHECK((t.kernel - g).cwiseAbs().maxCoeff() < 1e-15);
  CHECK((t.output - at).cwiseAbs().maxCoeff() == 0.0);
}

TEST_CASE("Winograd transform: every F(m r) up to alpha 10 is a correlation") {
  Rng rng(3);
  for (Index m = 1; m <= 8; ++m)
    for (Index r = 1; m + r - 1 <= 10; ++r) {
      INFO("F(" << m << ", " << r << ")");
      const auto t = nn::winograd_transform(m, r);
      Eigen::VectorXd w(r), x(m + r - 1);
      fill_normal(w, rng);
      fill_normal(x, rng);
      const Eigen::VectorXd y =
          t.output * ((t.kernel * w).array() * (t.input * x).array()).matrix();
      for (Index i = 0; i < m; ++i) CHECK(y(i) == Approx(w.dot(x.segment(i, r))).epsilon(1e-11).margin(1e-12));
    }
  CHECK_THROWS_AS(nn::winograd_transform(8, 4), value_error);
  CHECK_THROWS_AS(nn::winograd_transform(0, 3), value_error);
}

namespace {

// Winograd layers: every width it serves, both paddings, lengths that leave the last
// tile partial, and small chunks so that a sample spans several of them.
const Case winograd_cases[] = {
    {"w3_same", 3, 130, 4, 3, 1, nn::Padding::same},
    {"w3_valid", 2, 135, 3, 3, 1, nn::Padding::valid},
    {"w2_same", 2, 131, 3, 2, 1, nn::Padding::same},
    {"w4_valid", 3, 140, 2, 4, 1, nn::Padding::valid},
    {"w5_same", 2, 129, 3, 5, 1, nn::Padding::same},
};

template <class S>
nn::Conv1D<S> winograd_layer(const Case& c, nn::ConvAlgorithm algorithm, bool relu) {
  Rng rng(5);
  nn::Conv1D<S> conv(c.cin, c.length, c.cout, c.width, c.stride, c.padding, rng,
                     nn::Init::xavier_normal);
  conv.set_algorithm(algorithm, 12);
  conv.fuse_relu(relu);
  return conv;
}

}  // namespace

TEMPLATE_TEST_CASE("Conv1D Winograd: gradients match finite differences", "[nn]", float, double) {
  for (const Case& c : winograd_cases) {
    INFO(c.name);
    auto make = [&](auto t) {
      using S = typename decltype(t)::type;
      return winograd_layer<S>(c, nn::ConvAlgorithm::winograd, false);
    };
    CHECK(make(tag<double>{}).algorithm() == nn::ConvAlgorithm::winograd);
    canon_test::check_layer<TestType>(make, canon_test::random_matrix(c.cin * c.length, 2, 9));
  }
}

TEMPLATE_TEST_CASE("Conv1D Winograd: agrees with the direct method", "[nn]", float, double) {
  // Rounding differs (the transforms add and scale), nothing else: the gap is a few
  // units in the last place of the output's scale.
  const double tolerance = std::is_same<TestType, float>::value ? 2e-6 : 1e-14;
  for (const Case& c : winograd_cases)
    for (bool relu : {false, true}) {
      INFO(c.name << (relu ? " with ReLU" : ""));
      auto fast = winograd_layer<TestType>(c, nn::ConvAlgorithm::winograd, relu);
      auto slow = winograd_layer<TestType>(c, nn::ConvAlgorithm::direct, relu);
      REQUIRE(slow.algorithm() == nn::ConvAlgorithm::direct);
      const Matrix<TestType> x =
          canon_test::random_matrix(c.cin * c.length, 3, 4).template cast<TestType>();
      const Matrix<TestType> dy =
          canon_test::random_matrix(c.cout * fast.out_length(), 3, 6).template cast<TestType>();
      auto gap = [](const Matrix<TestType>& a, const Matrix<TestType>& b) {
        return canon_test::relative_gap(a.template cast<double>(), b.template cast<double>());
      };
      CHECK(gap(fast.forward(x, Mode::train), slow.forward(x, Mode::train)) < tolerance);
      CHECK(gap(fast.backward(dy), slow.backward(dy)) < tolerance);
      CHECK(gap(fast.weight().grad, slow.weight().grad) < tolerance);
      CHECK(gap(fast.bias().grad, slow.bias().grad) < tolerance);
    }
}

TEST_CASE("Conv1D Winograd: chosen automatically where it applies and refused elsewhere") {
  Rng rng(1);
  nn::Conv1D<float> long_k3(8, 1000, 8, 3, 1, nn::Padding::same, rng);
  CHECK(long_k3.algorithm() == nn::ConvAlgorithm::winograd);
  nn::Conv1D<float> long_k7(8, 1000, 8, 7, 1, nn::Padding::same, rng);
  CHECK(long_k7.algorithm() == nn::ConvAlgorithm::direct);
  nn::Conv1D<float> strided(1, 3000, 8, 3, 3, nn::Padding::same, rng);
  CHECK(strided.algorithm() == nn::ConvAlgorithm::direct);
  CHECK_THROWS_WITH(strided.set_algorithm(nn::ConvAlgorithm::winograd),
                    Catch::Contains("stride 1") && Catch::Contains("stride 3"));
  nn::Conv1D<float> short_k3(8, 50, 8, 3, 1, nn::Padding::same, rng);
  CHECK(short_k3.algorithm() == nn::ConvAlgorithm::direct);
  long_k3.set_algorithm(nn::ConvAlgorithm::direct);
  CHECK(long_k3.algorithm() == nn::ConvAlgorithm::direct);
}

TEST_CASE("Conv1D Winograd: agrees with PyTorch") {
  const auto f = canon_test::read_fixture("conv_reference.txt");
  const Case& c = cases[5];  // conv_long_same: 5 taps, stride 1, 300 steps
  const std::string p = c.name;
  for (auto algorithm : {nn::ConvAlgorithm::winograd, nn::ConvAlgorithm::direct}) {
    Rng rng(0);
    nn::Conv1D<double> conv(c.cin, c.length, c.cout, c.width, c.stride, c.padding, rng);
    conv.set_algorithm(algorithm, 16);
    CHECK(conv.algorithm() == algorithm);
    conv.weight().value = f.at(p + ".w");
    conv.bias().value = f.at(p + ".b");
    CHECK(canon_test::relative_gap(conv.forward(f.at(p + ".x"), Mode::train), f.at(p + ".y")) < 1e-10);
    CHECK(canon_test::relative_gap(conv.backward(f.at(p + ".R")), f.at(p + ".dx")) < 1e-10);
    CHECK(canon_test::relative_gap(conv.weight().grad, f.at(p + ".dw")) < 1e-10);
    CHECK(canon_test::relative_gap(conv.bias().grad, f.at(p + ".db")) < 1e-10);
  }
}

#ifdef _OPENMP
#include <omp.h>

TEST_CASE("Conv1D: two OpenMP threads give the results of one, and the same bits every run") {
  // ctest runs everything on one thread; this case is where the per-sample parallel
  // loops (and their per-thread weight-gradient partial sums) meet a second thread.
  const int before = omp_get_max_threads();
  for (auto algorithm : {nn::ConvAlgorithm::winograd, nn::ConvAlgorithm::direct}) {
    INFO((algorithm == nn::ConvAlgorithm::winograd ? "winograd" : "direct"));
    auto run = [&](int threads) {
      omp_set_num_threads(threads);
      Rng rng(2);
      nn::Conv1D<double> conv(3, 301, 4, 3, 1, nn::Padding::same, rng);
      conv.set_algorithm(algorithm, 40);
      conv.fuse_relu(true);
      const Matrix<double> x = canon_test::random_matrix(3 * 301, 5, 7);
      const Matrix<double> dy = canon_test::random_matrix(4 * 301, 5, 8);
      std::vector<Matrix<double>> out{conv.forward(x, Mode::train)};
      out.push_back(conv.backward(dy));
      out.push_back(conv.weight().grad);
      out.push_back(conv.bias().grad);
      return out;
    };
    const auto one = run(1), two = run(2), again = run(2);
    for (std::size_t i = 0; i < one.size(); ++i) {
      CHECK(canon_test::relative_gap(two[i], one[i]) < 1e-14);
      CHECK(two[i] == again[i]);
    }
  }
  omp_set_num_threads(before);
}
#endif

TEST_CASE("Conv1D Winograd: float error against a double reference stays near the direct method's") {
  // The numbers in docs/layer-contract-signals.md (run with -s to see them): relative
  // error of y, dx and dW in float against the same layer in double, for the Raposo
  // layers' channel counts and each tile size.
  struct Accuracy {
    Index channels, taps, m;
  };
  auto relative = [](const Matrix<double>& a, const Matrix<double>& b) { return (a - b).norm() / b.norm(); };
  for (const Accuracy& c : {Accuracy{128, 3, 4}, Accuracy{128, 3, 6}, Accuracy{256, 5, 2}, Accuracy{256, 5, 4}}) {
    INFO(c.channels << " channels, " << c.taps << " taps, F(" << c.m << ", " << c.taps << ")");
    const Index length = 600, n = 2;
    Rng rng(1);
    nn::Conv1D<float> fast(c.channels, length, c.channels, c.taps, 1, nn::Padding::same, rng);
    nn::Conv1D<float> direct = fast;
    fast.set_algorithm(nn::ConvAlgorithm::winograd, 0, c.m);
    direct.set_algorithm(nn::ConvAlgorithm::direct);
    nn::Conv1D<double> reference(c.channels, length, c.channels, c.taps, 1, nn::Padding::same, rng);
    reference.set_algorithm(nn::ConvAlgorithm::direct);
    reference.weight().value = fast.weight().value.cast<double>();
    reference.bias().value = fast.bias().value.cast<double>();
    const Matrix<float> x = canon_test::random_matrix(c.channels * length, n, 3).cast<float>();
    const Matrix<float> dy = canon_test::random_matrix(c.channels * length, n, 5).cast<float>();
    const Matrix<double> xd = x.cast<double>();
    const Matrix<double> y = reference.forward(xd, Mode::train);
    const Matrix<double> dx = reference.backward(dy.cast<double>());
    const Matrix<double> dw = reference.weight().grad;
    for (auto* layer : {&fast, &direct}) {
      const double y_error = relative(layer->forward(x, Mode::train).cast<double>(), y);
      const double dx_error = relative(layer->backward(dy).cast<double>(), dx);
      const double dw_error = relative(layer->weight().grad.cast<double>(), dw);
      const bool winograd = layer == &fast;
      INFO((winograd ? "winograd" : "direct"));
      const double bound = winograd ? 3e-6 : 1e-6;  // measured: 7e-7 to 1.3e-6, and 2e-7 to 4.4e-7
      CHECK(y_error < bound);
      CHECK(dx_error < bound);
      CHECK(dw_error < bound);
    }
  }
}

TEST_CASE("Conv1D: absurd channel counts are refused with the sizes, not bad_alloc", "[nn][robust]") {
  Rng rng(1);
  CHECK_THROWS_WITH(nn::Conv1D<float>(16, 375, 999999999, 3, 1, nn::Padding::same, rng),
                    Catch::Contains("999999999") && Catch::Contains("limit"));
  CHECK_THROWS_AS(nn::Conv1D<float>(999999999, 375, 999999999, 999999999, 1, nn::Padding::same, rng), value_error);
}
