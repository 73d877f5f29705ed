#include <canon/nn/dense.hpp>
#include <canon/nn/gru.hpp>
#include <canon/nn/lstm.hpp>
#include <canon/nn/sequential.hpp>

#include "canon_test.hpp"
#include "recurrent_check.hpp"

using namespace canon;
using canon_test::SequenceProblem;
using nn::RecurrentOutput;

namespace {

template <class S>
nn::LSTM<S> make_lstm(Index layers = 1, RecurrentOutput output = RecurrentOutput::sequence,
                      double dropout = 0.0) {
  Rng rng(3);
  nn::RecurrentOptions o;
  o.layers = layers;
  o.output = output;
  o.dropout = dropout;
  o.seed = 17;
  nn::LSTM<S> lstm(3, 4, rng, o);
  lstm.freeze_mask(true);
  return lstm;
}

}  // namespace

TEMPLATE_TEST_CASE("LSTM: gradients, one layer, both outputs", "[nn]", float, double) {
  for (auto output : {RecurrentOutput::sequence, RecurrentOutput::last_state}) {
    auto make = [&](auto t) { return make_lstm<typename decltype(t)::type>(1, output); };
    canon_test::check_layer<TestType>(make, canon_test::random_matrix(3 * 5, 3, 1));
  }
}

TEMPLATE_TEST_CASE("LSTM: gradients, stacked layers with frozen dropout", "[nn]", float, double) {
  auto make = [](auto t) { return make_lstm<typename decltype(t)::type>(3, RecurrentOutput::sequence, 0.3); };
  canon_test::check_layer<TestType>(make, canon_test::random_matrix(3 * 4, 2, 2));
}

TEST_CASE("LSTM: gradients with lengths, initial state and last-state gradients") {
  const std::vector<std::vector<Index>> lengths = {{}, {5, 1, 3}, {2, 5, 4}};
  for (Index layers : {1, 2})
    for (auto output : {RecurrentOutput::sequence, RecurrentOutput::last_state})
      for (const auto& len : lengths)
        for (bool initial : {false, true}) {
          INFO("layers " << layers << ", last_state output " << (output == RecurrentOutput::last_state)
                         << ", lengths " << len.size() << ", initial " << initial);
          auto lstm = make_lstm<double>(layers, output, layers > 1 ? 0.25 : 0.0);
          SequenceProblem p{canon_test::random_matrix(15, 3, 4), len, initial, true};
          const auto report = canon_test::check_sequence_gradients(lstm, p);
          INFO(report.to_string());
          CHECK(report.worst() < 1e-6);
        }
}

TEST_CASE("LSTM: float agrees with double on lengths, state and last-state paths") {
  auto low = make_lstm<float>(2);
  auto twin = make_lstm<double>(2);
  SequenceProblem p{canon_test::random_matrix(15, 3, 4), {5, 1, 3}, true, true};
  CHECK(canon_test::sequence_precision_gap(low, twin, p) < canon_test::precision_tolerance<float>());
}

TEST_CASE("LSTM: agrees with PyTorch (packed lengths, initial state, 1 and 2 layers)") {
  const auto f = canon_test::read_fixture("rnn_reference.txt");
  auto one = make_lstm<double>(1);
  canon_test::check_against_pytorch(one, f, "lstm1");
  auto two = make_lstm<double>(2);
  canon_test::check_against_pytorch(two, f, "lstm2");
}

TEST_CASE("LSTM: parameters have PyTorch's names, shapes and initial range") {
  Rng rng(1);
  nn::RecurrentOptions o;
  o.layers = 2;
  nn::LSTM<double> lstm(12, 128, rng, o);
  std::vector<std::string> names;
  double largest = 0;
  lstm.visit_parameters([&](Parameter<double>& p) {
    names.push_back(p.name + " " + std::to_string(p.value.rows()) + "x" + std::to_string(p.value.cols()));
    largest = std::max(largest, p.value.cwiseAbs().maxCoeff());
  });
  CHECK(names == std::vector<std::string>{"weight_ih_l0 512x12", "weight_hh_l0 512x128", "bias_ih_l0 512x1",
                                          "bias_hh_l0 512x1", "weight_ih_l1 512x128", "weight_hh_l1 512x128",
                                          "bias_ih_l1 512x1", "bias_hh_l1 512x1"});
  CHECK(largest <= 1 / std::sqrt(128.0));
  CHECK(largest > 0.95 / std::sqrt(128.0));
}

TEST_CASE("LSTM: padding never leaks into outputs, states or gradients") {
  auto lstm = make_lstm<double>(2, RecurrentOutput::sequence);
  const std::vector<Index> lengths = {5, 1, 3};
  Matrix<double> x = canon_test::random_matrix(15, 3, 5);
  Matrix<double> dy = canon_test::random_matrix(20, 3, 6);
  const Matrix<double> y = lstm.forward(x, lengths, Mode::train);
  const nn::RecurrentState<double> last = lstm.last_state();
  const Matrix<double> dx = lstm.backward(dy);
  std::vector<Matrix<double>> grads;
  lstm.visit_parameters([&](Parameter<double>& p) { grads.push_back(p.grad); });
  // Other values in the padded input steps and in the padded output gradient.
  Matrix<double> x2 = x, dy2 = dy;
  for (Index j = 0; j < 3; ++j) {
    x2.col(j).segment(3 * lengths[j], 15 - 3 * lengths[j]).setConstant(1e3);
    dy2.col(j).segment(4 * lengths[j], 20 - 4 * lengths[j]).setConstant(-7);
  }
  CHECK(lstm.forward(x2, lengths, Mode::train) == y);
  CHECK(lstm.last_state().h == last.h);
  CHECK(lstm.last_state().c == last.c);
  CHECK(lstm.backward(dy2) == dx);
  std::size_t i = 0;
  lstm.visit_parameters([&](Parameter<double>& p) { CHECK(p.grad == grads[i++]); });
  for (Index j = 0; j < 3; ++j) {
    CHECK(y.col(j).segment(4 * lengths[j], 20 - 4 * lengths[j]).isZero(0));
    CHECK(dx.col(j).segment(3 * lengths[j], 15 - 3 * lengths[j]).isZero(0));
  }
  // The last state of a sample is its state after its own last step.
  CHECK(last.h.col(1).tail(4) == y.col(1).segment(0, 4));
  CHECK(last.h.col(2).tail(4) == y.col(2).segment(8, 4));
}

TEST_CASE("LSTM: a second call of the same shape reuses its buffers") {
  auto lstm = make_lstm<double>(2);
  Matrix<double> x = canon_test::random_matrix(15, 3, 5), dy = canon_test::random_matrix(20, 3, 6);
  const double* y = lstm.forward(x, Mode::train).data();
  const double* dx = lstm.backward(dy).data();
  CHECK(lstm.forward(x, {5, 2, 3}, Mode::train).data() == y);
  CHECK(lstm.backward(dy).data() == dx);
}

TEST_CASE("LSTM: works inside Sequential on full-length sequences") {
  auto model = [](auto t) {
    using S = typename decltype(t)::type;
    Rng rng(2);
    nn::Sequential<S> m;
    nn::RecurrentOptions o;
    o.output = RecurrentOutput::last_state;
    m.add(nn::LSTM<S>(3, 4, rng, o));
    m.add(nn::Dense<S>(4, 2, rng));
    return m;
  };
  canon_test::check_layer<double>(model, canon_test::random_matrix(12, 3, 8));
  auto m = model(canon_test::tag<double>{});
  std::vector<std::string> names;
  m.visit_parameters([&](Parameter<double>& p) { names.push_back(p.name); });
  CHECK(names.front() == "0.weight_ih_l0");
}

TEST_CASE("LSTM: bad input names the layer, the expectation and the finding") {
  auto lstm = make_lstm<double>(2);
  using Catch::Matchers::Contains;
  Matrix<double> x = canon_test::random_matrix(15, 3, 1);
  Matrix<double> wrong_rows = canon_test::random_matrix(16, 3, 1);
  CHECK_THROWS_MATCHES(lstm.forward(wrong_rows, Mode::train), shape_error,
                       Catch::Matchers::Predicate<std::exception>([](const std::exception& e) {
                         const std::string m = e.what();
                         return m.find("LSTM::forward") != std::string::npos &&
                                m.find("F = 3") != std::string::npos && m.find("16x3") != std::string::npos;
                       }));
  Matrix<double> empty(15, 0);
  CHECK_THROWS_AS(lstm.forward(empty, Mode::train), value_error);
  CHECK_THROWS_WITH(lstm.forward(x, std::vector<Index>{5, 1}, Mode::train),
                    Contains("LSTM::forward") && Contains("2 lengths for a batch of 3"));
  CHECK_THROWS_WITH(lstm.forward(x, std::vector<Index>{5, 0, 3}, Mode::train),
                    Contains("sample 1") && Contains("[1, 5]") && Contains("got 0"));
  CHECK_THROWS_AS(lstm.forward(x, std::vector<Index>{5, 6, 3}, Mode::train), value_error);
  nn::RecurrentState<double> bad{Matrix<double>::Zero(4, 3), Matrix<double>::Zero(8, 3)};
  CHECK_THROWS_WITH(lstm.forward(x, std::vector<Index>{5, 5, 5}, Mode::train, &bad),
                    Contains("LSTM::forward") && Contains("initial state h must be 8x3") && Contains("got 4x3"));
  bad.h = Matrix<double>::Zero(8, 3);
  bad.c = Matrix<double>::Zero(8, 2);
  CHECK_THROWS_AS(lstm.forward(x, std::vector<Index>{5, 5, 5}, Mode::train, &bad), shape_error);
  Matrix<double> nan = x;
  nan(4, 2) = std::nan("");
  CHECK_THROWS_WITH(lstm.forward(nan, Mode::train), Contains("LSTM::forward") && Contains("row 4, column 2"));
  auto fresh = make_lstm<double>();
  Matrix<double> dy(20, 3);
  CHECK_THROWS_WITH(fresh.backward(dy), Contains("LSTM::backward called before forward"));
  lstm.forward(x, Mode::train);
  Matrix<double> wrong_dy(20, 2);
  CHECK_THROWS_WITH(lstm.backward(wrong_dy), Contains("LSTM::backward") && Contains("20x2"));
  nn::RecurrentState<double> bad_last{Matrix<double>::Zero(4, 3), Matrix<double>()};
  CHECK_THROWS_WITH(lstm.backward(Matrix<double>::Zero(20, 3), bad_last),
                    Contains("last-state gradient h must be 8x3"));
  Rng rng(1);
  CHECK_THROWS_AS(nn::LSTM<double>(0, 4, rng), value_error);
  nn::RecurrentOptions o;
  o.dropout = 1.0;
  CHECK_THROWS_WITH(nn::LSTM<double>(3, 4, rng, o), Contains("LSTM") && Contains("dropout"));
}

TEST_CASE("LSTM and GRU: sizes that would not fit in memory are refused before allocating", "[robust]") {
  Rng rng(1);
  CHECK_THROWS_WITH(nn::LSTM<float>(1000000, 1000000, rng),
                    Catch::Contains("gates x hidden x inputs parameter of 4000000 x 1000000") &&
                        Catch::Contains("exceeds the limit"));
  CHECK_THROWS_AS(nn::GRU<float>(3, 999999999, rng), value_error);
  nn::RecurrentOptions deep;
  deep.layers = 999999999;
  CHECK_THROWS_WITH(nn::LSTM<float>(3, 4, rng, deep), Catch::Contains("999999999 layers exceeds the limit of 1024"));
}
