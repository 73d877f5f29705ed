#include <canon/models/raposo/branch.hpp>

#include "canon_test.hpp"

using namespace canon;
using raposo::SignalShape;

TEST_CASE("Branch strings: the paper's audio branch maps 1 x 33075 to 128 x 1") {
  const auto layers = raposo::parse_branch(raposo::paper_audio_branch());
  CHECK(layers.size() == 14);
  const auto shapes = raposo::branch_shapes(layers, {1, 33075});
  CHECK(shapes.back().channels == 128);
  CHECK(shapes.back().length == 1);
  CHECK(shapes[1].length == 11025);
  CHECK(shapes[3].length == 3675);
}

TEST_CASE("Branch strings: the paper's EEG branch maps 16 x 375 to 128 x 1") {
  const auto shapes =
      raposo::branch_shapes(raposo::parse_branch(raposo::paper_eeg_branch()), {16, 375});
  CHECK(shapes.back().channels == 128);
  CHECK(shapes.back().length == 1);
  CHECK(shapes[1].channels == 128);
  CHECK(shapes[1].length == 125);
}

TEST_CASE("Branch strings: the EEG branch runs forward and backward") {
  Rng rng(1);
  auto net = raposo::make_branch<float>(raposo::paper_eeg_branch(), {16, 375}, rng);
  CHECK(net.size() == 5 * 2 + 3);  // BN, conv (ReLU fused) per conv token; 3 pools
  Matrix<float> x = canon_test::random_matrix(16 * 375, 3, 2).cast<float>();
  const Matrix<float>& y = net.forward(x, Mode::train);
  CHECK(y.rows() == 128);
  CHECK(y.cols() == 3);
  CHECK((y.array() >= 0).all());  // ReLU comes last
  const Matrix<float> dy = Matrix<float>::Ones(128, 3);
  CHECK(net.backward(dy).rows() == 16 * 375);
  net.at<nn::BatchNorm1D<float>>(0);
  CHECK(net.at<nn::Conv1D<float>>(1).relu_fused());
  Rng rng2(1);
  auto separate = raposo::make_branch<float>(raposo::paper_eeg_branch(), {16, 375}, rng2,
                                             nn::Init::he_uniform, false);
  CHECK(separate.size() == 5 * 3 + 3);
  separate.at<nn::ReLU<float>>(2);
}

TEST_CASE("Branch strings: a fused ReLU equals a separate ReLU layer exactly", "[nn]") {
  const char* spec = "conv-3-3-6, mp-2, conv-3-1-5, mp-4, conv-1-1-3";
  const Matrix<double> x = canon_test::random_matrix(2 * 72, 6, 11);
  const Matrix<double> dy = canon_test::random_matrix(3 * 3, 6, 12);  // 2 x 72 -> 6 x 24 -> 6 x 12 -> 5 x 12 -> 5 x 3 -> 3 x 3
  Rng rng_a(4), rng_b(4);
  auto fused = raposo::make_branch<double>(spec, {2, 72}, rng_a);
  auto separate = raposo::make_branch<double>(spec, {2, 72}, rng_b, nn::Init::he_uniform, false);
  CHECK(fused.forward(x, Mode::train) == separate.forward(x, Mode::train));
  CHECK(fused.backward(dy) == separate.backward(dy));
  std::vector<Matrix<double>> a, b;
  fused.visit_parameters([&](canon::Parameter<double>& p) { a.push_back(p.grad); });
  separate.visit_parameters([&](canon::Parameter<double>& p) { b.push_back(p.grad); });
  REQUIRE(a.size() == b.size());
  for (std::size_t i = 0; i < a.size(); ++i) CHECK((a[i] - b[i]).norm() <= 1e-13 * std::max(1.0, b[i].norm()));
}

TEMPLATE_TEST_CASE("Branch strings: a user string passes the gradient check", "[nn]", float,
                   double) {
  auto make = [](auto t) {
    using S = typename decltype(t)::type;
    Rng rng(3);
    return raposo::make_branch<S>(" conv-3-2-3 ,mp-2,conv-2-1-2", {2, 8}, rng);
  };
  auto make_separate = [](auto t) {
    using S = typename decltype(t)::type;
    Rng rng(3);
    return raposo::make_branch<S>(" conv-3-2-3 ,mp-2,conv-2-1-2", {2, 8}, rng, nn::Init::he_uniform, false);
  };
  // Shapes: 2 x 8 -> 3 x 4 -> 3 x 2 -> 2 x 2.
  canon_test::check_layer<TestType>(make, canon_test::random_matrix(16, 4, 5, 0.05));
  canon_test::check_layer<TestType>(make_separate, canon_test::random_matrix(16, 4, 5, 0.05));
}

TEST_CASE("Branch strings: bad strings are rejected with the sizes") {
  CHECK_THROWS_AS(raposo::parse_branch(""), value_error);
  CHECK_THROWS_AS(raposo::parse_branch("conv-3-3"), value_error);
  CHECK_THROWS_AS(raposo::parse_branch("conv-3-x-4"), value_error);
  CHECK_THROWS_AS(raposo::parse_branch("mp-0"), value_error);
  CHECK_THROWS_AS(raposo::parse_branch("pool-3"), value_error);
  try {
    raposo::branch_shapes(raposo::parse_branch("conv-3-3-8, mp-4"), {1, 30});
    FAIL("no exception");
  } catch (const value_error& e) {
    const std::string what = e.what();
    CHECK(what.find("input 1 x 30") != std::string::npos);
    CHECK(what.find("conv-3-3-8: 8 x 10") != std::string::npos);
    CHECK(what.find("mp-4: 10 is not divisible by 4") != std::string::npos);
  }
}

TEST_CASE("a branch passes gradients through two shared buffers and matches layer-by-layer backward",
          "[models]") {
  using canon::Mode;
  const char* spec = "conv-3-3-4, mp-2, conv-3-1-4";  // BN conv ReLU | pool | BN conv ReLU
  canon::Rng rng_a(3), rng_b(3);
  auto shared = canon::raposo::make_branch<double>(spec, {2, 36}, rng_a, canon::nn::Init::he_uniform, false);
  auto manual = canon::raposo::make_branch<double>(spec, {2, 36}, rng_b, canon::nn::Init::he_uniform, false);
  const canon::Matrix<double> x = canon_test::random_matrix(72, 5, 1);
  const canon::Matrix<double> dy = canon_test::random_matrix(4 * 6, 5, 2);
  shared.forward(x, Mode::train);
  manual.forward(x, Mode::train);
  const canon::Matrix<double> dx = shared.backward(dy);
  // The same chain, each layer's own backward() and buffers.
  canon::Matrix<double> g = dy;
  g = manual.at<canon::nn::ReLU<double>>(6).backward(g);
  g = manual.at<canon::nn::Conv1D<double>>(5).backward(g);
  g = manual.at<canon::nn::BatchNorm1D<double>>(4).backward(g);
  g = manual.at<canon::nn::MaxPool1D<double>>(3).backward(g);
  g = manual.at<canon::nn::ReLU<double>>(2).backward(g);
  g = manual.at<canon::nn::Conv1D<double>>(1).backward(g);
  g = manual.at<canon::nn::BatchNorm1D<double>>(0).backward(g);
  CHECK(dx == g);
  std::vector<canon::Matrix<double>> grads_shared, grads_manual;
  shared.visit_parameters([&](canon::Parameter<double>& p) { grads_shared.push_back(p.grad); });
  manual.visit_parameters([&](canon::Parameter<double>& p) { grads_manual.push_back(p.grad); });
  REQUIRE(grads_shared.size() == 8);
  for (std::size_t i = 0; i < grads_shared.size(); ++i) CHECK(grads_shared[i] == grads_manual[i]);
  // A second step reuses the buffers and gives the same result.
  shared.forward(x, Mode::train);
  CHECK(shared.backward(dy) == dx);
  CHECK_THROWS_AS(shared.backward(canon::Matrix<double>(dy.leftCols(4))), canon::shape_error);
}

TEST_CASE("Branch strings: empty layers and empty numbers are refused with their position", "[robust]") {
  const auto message = [](const std::string& spec) {
    return canon_test::error_of([&] { raposo::parse_branch(spec); });
  };
  CHECK_THAT(message("conv-3-3-128,"), Catch::Contains("empty layer at character 14"));
  CHECK_THAT(message("conv-3-3-128, mp-3,"), Catch::Contains("empty layer at character 20"));
  CHECK_THAT(message(",mp-3"), Catch::Contains("empty layer at character 1"));
  CHECK_THAT(message("mp-3,,mp-3"), Catch::Contains("empty layer at character 6"));
  CHECK_THAT(message("mp-3-"), Catch::Contains("cannot read 'mp-3-' at character 1"));
  CHECK_THAT(message("conv-3-3-128, conv-3-3-"), Catch::Contains("empty number at character 24"));
  CHECK_THAT(message("conv-3--128"), Catch::Contains("empty number at character 8"));
  CHECK_THAT(message(""), Catch::Contains("empty layer"));
  CHECK_THROWS_AS(raposo::parse_branch("mp-3-"), value_error);
  CHECK(raposo::parse_branch(" conv-3-3-128 , mp-3 ").size() == 2);
}

TEST_CASE("Branch strings: a branch with 999,999,999 channels is refused naming the size", "[robust]") {
  Rng rng(1);
  CHECK_THROWS_WITH(raposo::make_branch<float>("conv-3-1-999999999", SignalShape{16, 375}, rng),
                    Catch::Contains("999999999") && Catch::Contains("limit"));
}
