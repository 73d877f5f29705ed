#include <canon/nn/bidirectional.hpp>
#include <canon/nn/gru.hpp>
#include <canon/nn/lstm.hpp>
#include <canon/nn/sequential.hpp>

#include "canon_test.hpp"
#include "recurrent_check.hpp"

using namespace canon;
using canon_test::SequenceProblem;
using nn::GruReset;
using nn::RecurrentOutput;

namespace {

nn::RecurrentOptions options(RecurrentOutput output, Index layers = 1, double dropout = 0.0) {
  nn::RecurrentOptions o;
  o.output = output;
  o.layers = layers;
  o.dropout = dropout;
  o.seed = 5;
  return o;
}

template <class S>
nn::Bidirectional<nn::LSTM<S>> make_bilstm(RecurrentOutput output, Index layers = 1, double dropout = 0.0) {
  Rng rng(4);
  nn::Bidirectional<nn::LSTM<S>> b(3, 4, rng, options(output, layers, dropout));
  b.freeze_mask(true);
  return b;
}

template <class S>
nn::Bidirectional<nn::GRU<S>> make_bigru(RecurrentOutput output, GruReset reset, Index layers = 1,
                                         double dropout = 0.0) {
  Rng rng(4);
  nn::Bidirectional<nn::GRU<S>> b(3, 4, rng, options(output, layers, dropout), reset);
  b.freeze_mask(true);
  return b;
}

}  // namespace

TEMPLATE_TEST_CASE("Bidirectional: gradients of LSTM and GRU, both outputs", "[nn]", float, double) {
  const Matrix<double> x = canon_test::random_matrix(15, 3, 1);
  for (auto output : {RecurrentOutput::sequence, RecurrentOutput::last_state}) {
    canon_test::check_layer<TestType>([&](auto t) { return make_bilstm<typename decltype(t)::type>(output); }, x);
    for (auto reset : {GruReset::after, GruReset::before})
      canon_test::check_layer<TestType>(
          [&](auto t) { return make_bigru<typename decltype(t)::type>(output, reset); }, x);
  }
  canon_test::check_layer<TestType>(
      [&](auto t) { return make_bilstm<typename decltype(t)::type>(RecurrentOutput::sequence, 2, 0.3); }, x);
}

TEST_CASE("Bidirectional: gradients with lengths, initial state and last-state gradients") {
  const std::vector<std::vector<Index>> lengths = {{}, {5, 1, 3}, {2, 5, 4}};
  for (auto output : {RecurrentOutput::sequence, RecurrentOutput::last_state})
    for (const auto& len : lengths)
      for (bool initial : {false, true}) {
        INFO("last_state output " << (output == RecurrentOutput::last_state) << ", lengths " << len.size()
                                  << ", initial " << initial);
        SequenceProblem p{canon_test::random_matrix(15, 3, 4), len, initial, true};
        auto lstm = make_bilstm<double>(output, 2, 0.2);
        auto report = canon_test::check_sequence_gradients(lstm, p);
        INFO(report.to_string());
        CHECK(report.worst() < 1e-6);
        for (auto reset : {GruReset::after, GruReset::before}) {
          auto gru = make_bigru<double>(output, reset);
          report = canon_test::check_sequence_gradients(gru, p);
          INFO(report.to_string());
          CHECK(report.worst() < 1e-6);
        }
      }
}

TEST_CASE("Bidirectional: float agrees with double on lengths, state and last-state paths") {
  SequenceProblem p{canon_test::random_matrix(15, 3, 4), {5, 1, 3}, true, true};
  auto low = make_bilstm<float>(RecurrentOutput::sequence);
  auto twin = make_bilstm<double>(RecurrentOutput::sequence);
  CHECK(canon_test::sequence_precision_gap(low, twin, p) < canon_test::precision_tolerance<float>());
  auto low_gru = make_bigru<float>(RecurrentOutput::last_state, GruReset::before);
  auto twin_gru = make_bigru<double>(RecurrentOutput::last_state, GruReset::before);
  CHECK(canon_test::sequence_precision_gap(low_gru, twin_gru, p) < canon_test::precision_tolerance<float>());
}

TEST_CASE("Bidirectional: agrees with PyTorch's bidirectional LSTM and GRU") {
  const auto f = canon_test::read_fixture("rnn_reference.txt");
  auto lstm = make_bilstm<double>(RecurrentOutput::sequence);
  canon_test::check_against_pytorch(lstm, f, "bilstm");
  auto gru = make_bigru<double>(RecurrentOutput::sequence, GruReset::after);
  canon_test::check_against_pytorch(gru, f, "bigru");
  auto before = make_bigru<double>(RecurrentOutput::sequence, GruReset::before);
  canon_test::check_against_pytorch(before, f, "bigru_before");
  // last_state output is torch.cat([h_n[-2], h_n[-1]], dim=1), transposed.
  auto last = make_bigru<double>(RecurrentOutput::last_state, GruReset::after);
  last.visit_parameters([&](Parameter<double>& p) { p.value = f.at("bigru." + p.name); });
  nn::RecurrentState<double> h0{f.at("bigru.h0"), Matrix<double>()};
  const Matrix<double> x = f.at("bigru.x");
  const Matrix<double>& y = last.forward(x, {5, 1, 3}, Mode::eval, &h0);
  CHECK(canon_test::relative_gap(y, f.at("bigru.h_n")) < 1e-10);
}

TEST_CASE("Bidirectional: the reverse direction starts at each sample's own last step") {
  auto b = make_bigru<double>(RecurrentOutput::sequence, GruReset::after);
  Matrix<double> x = canon_test::random_matrix(15, 2, 7);
  const std::vector<Index> lengths = {5, 2};
  const Matrix<double> y = b.forward(x, lengths, Mode::eval);
  // Sample 1 alone, cut to its two steps, gives the same outputs on those steps.
  Matrix<double> alone = x.col(1).head(6);
  const Matrix<double> y_alone = b.forward(alone, Mode::eval);
  CHECK((y.col(1).head(16) - y_alone.col(0)).cwiseAbs().maxCoeff() < 1e-15);
  CHECK(y.col(1).tail(24).isZero(0));
}

TEST_CASE("Bidirectional: parameters are named as PyTorch's") {
  Rng rng(1);
  nn::Bidirectional<nn::GRU<float>> b(2, 512, rng);
  std::vector<std::string> names;
  b.visit_parameters([&](Parameter<float>& p) { names.push_back(p.name); });
  CHECK(names == std::vector<std::string>{"weight_ih_l0", "weight_hh_l0", "bias_ih_l0", "bias_hh_l0",
                                          "weight_ih_l0_reverse", "weight_hh_l0_reverse",
                                          "bias_ih_l0_reverse", "bias_hh_l0_reverse"});
}

TEST_CASE("Bidirectional: bad input names the layer, the expectation and the finding") {
  using Catch::Matchers::Contains;
  auto b = make_bilstm<double>(RecurrentOutput::sequence);
  Matrix<double> x = canon_test::random_matrix(15, 3, 1);
  Matrix<double> wrong = canon_test::random_matrix(10, 3, 1);
  wrong.conservativeResize(11, 3);
  CHECK_THROWS_AS(b.forward(wrong, Mode::train), shape_error);
  CHECK_THROWS_WITH(b.forward(x, std::vector<Index>{5, 1, 0}, Mode::train), Contains("sample 2"));
  nn::RecurrentState<double> bad{Matrix<double>::Zero(4, 3), Matrix<double>::Zero(4, 3)};
  CHECK_THROWS_WITH(b.forward(x, std::vector<Index>{5, 1, 3}, Mode::train, &bad),
                    Contains("Bidirectional::forward") && Contains("initial state h must be 8x3"));
  auto fresh = make_bilstm<double>(RecurrentOutput::sequence);
  CHECK_THROWS_WITH(fresh.backward(Matrix<double>::Zero(40, 3)), Contains("Bidirectional::backward called before forward"));
  b.forward(x, Mode::train);
  CHECK_THROWS_WITH(b.backward(Matrix<double>::Zero(20, 3)), Contains("Bidirectional::backward") && Contains("20x3"));
}

#ifdef _OPENMP
#include <omp.h>

namespace {

// Forward + backward with lengths; returns output, input gradient and every parameter
// gradient stacked in one column.
template <class Layer>
Matrix<double> run_all(Layer& layer, const Matrix<double>& x, const std::vector<Index>& lengths) {
  const Matrix<double> y = layer.forward(x, lengths, Mode::train);
  const Matrix<double> dx = layer.backward(canon_test::random_matrix(y.rows(), y.cols(), 9));
  std::vector<double> all(y.data(), y.data() + y.size());
  all.insert(all.end(), dx.data(), dx.data() + dx.size());
  layer.visit_parameters([&](Parameter<double>& p) { all.insert(all.end(), p.grad.data(), p.grad.data() + p.grad.size()); });
  return Eigen::Map<Matrix<double>>(all.data(), Index(all.size()), 1);
}

}  // namespace

TEST_CASE("Recurrent layers: threads split the batch, bit-identical for a fixed thread count") {
  // Big enough per step (G*H*N >= 2^20 multiply-adds) for the time loop to split.
  const Index f = 5, h = 64, n = 96, steps = 3;
  Matrix<double> x = canon_test::random_matrix(f * steps, n, 3);
  std::vector<Index> lengths(static_cast<std::size_t>(n));
  for (Index j = 0; j < n; ++j) lengths[static_cast<std::size_t>(j)] = 1 + j % steps;
  Rng rng(1);
  nn::Bidirectional<nn::GRU<double>> gru(f, h, rng, {}, GruReset::before);
  nn::RecurrentOptions two;
  two.layers = 2;
  nn::LSTM<double> lstm(f, h, rng, two);
  const int saved = omp_get_max_threads();
  omp_set_num_threads(2);
  const Matrix<double> gru_a = run_all(gru, x, lengths), gru_b = run_all(gru, x, lengths);
  const Matrix<double> lstm_a = run_all(lstm, x, lengths), lstm_b = run_all(lstm, x, lengths);
  omp_set_num_threads(1);
  const Matrix<double> gru_1 = run_all(gru, x, lengths), lstm_1 = run_all(lstm, x, lengths);
  omp_set_num_threads(saved);
  CHECK(gru_a == gru_b);
  CHECK(lstm_a == lstm_b);
  CHECK(canon_test::relative_gap(gru_a, gru_1) < 1e-12);
  CHECK(canon_test::relative_gap(lstm_a, lstm_1) < 1e-12);
}
#endif

TEST_CASE("Bidirectional: stacked recurrent layers in a gradient-sharing Sequential") {
  // Every layer here has backward_into, so Sequential passes gradients through its two
  // shared buffers; PyTorch's 2-layer bidirectional GRU is this stack.
  auto model = [](auto t) {
    using S = typename decltype(t)::type;
    Rng rng(6);
    nn::Sequential<S> m;
    m.add(nn::Bidirectional<nn::GRU<S>>(3, 4, rng));
    m.add(nn::Bidirectional<nn::GRU<S>>(8, 2, rng, options(RecurrentOutput::last_state)));
    m.add(nn::LSTM<S>(4, 3, rng, options(RecurrentOutput::sequence)));
    return m;
  };
  canon_test::check_layer<float>(model, canon_test::random_matrix(12, 3, 8));
}
