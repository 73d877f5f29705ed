#include <canon/nn/gru.hpp>

#include "canon_test.hpp"
#include "recurrent_check.hpp"

using namespace canon;
using canon_test::SequenceProblem;
using nn::GruReset;
using nn::RecurrentOutput;

namespace {

template <class S>
nn::GRU<S> make_gru(GruReset reset, Index layers = 1, RecurrentOutput output = RecurrentOutput::sequence,
                    double dropout = 0.0) {
  Rng rng(3);
  nn::RecurrentOptions o;
  o.layers = layers;
  o.output = output;
  o.dropout = dropout;
  o.seed = 17;
  nn::GRU<S> gru(3, 4, rng, o, reset);
  gru.freeze_mask(true);
  return gru;
}

const char* name(GruReset r) { return r == GruReset::after ? "reset after" : "reset before"; }

}  // namespace

TEMPLATE_TEST_CASE("GRU: gradients, one layer, both outputs, both conventions", "[nn]", float, double) {
  for (auto reset : {GruReset::after, GruReset::before})
    for (auto output : {RecurrentOutput::sequence, RecurrentOutput::last_state}) {
      INFO(name(reset));
      auto make = [&](auto t) { return make_gru<typename decltype(t)::type>(reset, 1, output); };
      canon_test::check_layer<TestType>(make, canon_test::random_matrix(3 * 5, 3, 1));
    }
}

TEMPLATE_TEST_CASE("GRU: gradients, stacked layers with frozen dropout", "[nn]", float, double) {
  for (auto reset : {GruReset::after, GruReset::before}) {
    INFO(name(reset));
    auto make = [&](auto t) { return make_gru<typename decltype(t)::type>(reset, 3, RecurrentOutput::sequence, 0.3); };
    canon_test::check_layer<TestType>(make, canon_test::random_matrix(3 * 4, 2, 2));
  }
}

TEST_CASE("GRU: gradients with lengths, initial state and last-state gradients") {
  const std::vector<std::vector<Index>> lengths = {{}, {5, 1, 3}, {2, 5, 4}};
  for (auto reset : {GruReset::after, GruReset::before})
    for (Index layers : {1, 2})
      for (auto output : {RecurrentOutput::sequence, RecurrentOutput::last_state})
        for (const auto& len : lengths)
          for (bool initial : {false, true}) {
            INFO(name(reset) << ", layers " << layers << ", last_state output "
                             << (output == RecurrentOutput::last_state) << ", lengths " << len.size()
                             << ", initial " << initial);
            auto gru = make_gru<double>(reset, layers, output, layers > 1 ? 0.25 : 0.0);
            SequenceProblem p{canon_test::random_matrix(15, 3, 4), len, initial, true};
            const auto report = canon_test::check_sequence_gradients(gru, p);
            INFO(report.to_string());
            CHECK(report.worst() < 1e-6);
          }
}

TEST_CASE("GRU: float agrees with double on lengths, state and last-state paths") {
  for (auto reset : {GruReset::after, GruReset::before}) {
    INFO(name(reset));
    auto low = make_gru<float>(reset, 2);
    auto twin = make_gru<double>(reset, 2);
    SequenceProblem p{canon_test::random_matrix(15, 3, 4), {5, 1, 3}, true, true};
    CHECK(canon_test::sequence_precision_gap(low, twin, p) < canon_test::precision_tolerance<float>());
  }
}

TEST_CASE("GRU: agrees with PyTorch (packed lengths, initial state; reset-before by hand in torch ops)") {
  const auto f = canon_test::read_fixture("rnn_reference.txt");
  auto one = make_gru<double>(GruReset::after);
  canon_test::check_against_pytorch(one, f, "gru1");
  auto two = make_gru<double>(GruReset::after, 2);
  canon_test::check_against_pytorch(two, f, "gru2");
  auto before = make_gru<double>(GruReset::before);
  canon_test::check_against_pytorch(before, f, "gru_before");
  // The conventions differ: reset-before on reset-after's weights is another function.
  auto other = make_gru<double>(GruReset::before);
  other.visit_parameters([&](Parameter<double>& p) { p.value = f.at("gru1." + p.name); });
  const Matrix<double> x = f.at("gru1.x");
  CHECK(canon_test::relative_gap(other.forward(x, Mode::eval), one.forward(x, Mode::eval)) > 1e-3);
}

TEST_CASE("GRU: parameters have PyTorch's names and shapes") {
  Rng rng(1);
  nn::GRU<double> gru(128, 512, rng);
  std::vector<std::string> names;
  gru.visit_parameters([&](Parameter<double>& p) {
    names.push_back(p.name + " " + std::to_string(p.value.rows()) + "x" + std::to_string(p.value.cols()));
  });
  CHECK(names == std::vector<std::string>{"weight_ih_l0 1536x128", "weight_hh_l0 1536x512", "bias_ih_l0 1536x1",
                                          "bias_hh_l0 1536x1"});
  CHECK(gru.reset() == GruReset::after);
}

TEST_CASE("GRU: padding never leaks into outputs, states or gradients") {
  for (auto reset : {GruReset::after, GruReset::before}) {
    INFO(name(reset));
    auto gru = make_gru<double>(reset, 2);
    const std::vector<Index> lengths = {5, 1, 3};
    Matrix<double> x = canon_test::random_matrix(15, 3, 5), dy = canon_test::random_matrix(20, 3, 6);
    const Matrix<double> y = gru.forward(x, lengths, Mode::train);
    const Matrix<double> last = gru.last_state().h;
    const Matrix<double> dx = gru.backward(dy);
    std::vector<Matrix<double>> grads;
    gru.visit_parameters([&](Parameter<double>& p) { grads.push_back(p.grad); });
    Matrix<double> x2 = x, dy2 = dy;
    for (Index j = 0; j < 3; ++j) {
      x2.col(j).segment(3 * lengths[j], 15 - 3 * lengths[j]).setConstant(1e3);
      dy2.col(j).segment(4 * lengths[j], 20 - 4 * lengths[j]).setConstant(-7);
    }
    CHECK(gru.forward(x2, lengths, Mode::train) == y);
    CHECK(gru.last_state().h == last);
    CHECK(gru.last_state().c.size() == 0);
    CHECK(gru.backward(dy2) == dx);
    std::size_t i = 0;
    gru.visit_parameters([&](Parameter<double>& p) { CHECK(p.grad == grads[i++]); });
    for (Index j = 0; j < 3; ++j) {
      CHECK(y.col(j).segment(4 * lengths[j], 20 - 4 * lengths[j]).isZero(0));
      CHECK(dx.col(j).segment(3 * lengths[j], 15 - 3 * lengths[j]).isZero(0));
    }
    CHECK(last.col(2).tail(4) == y.col(2).segment(8, 4));
  }
}

TEST_CASE("GRU: a second call of the same shape reuses its buffers") {
  auto gru = make_gru<double>(GruReset::before, 2);
  Matrix<double> x = canon_test::random_matrix(15, 3, 5), dy = canon_test::random_matrix(20, 3, 6);
  const double* y = gru.forward(x, Mode::train).data();
  const double* dx = gru.backward(dy).data();
  CHECK(gru.forward(x, {5, 2, 3}, Mode::train).data() == y);
  CHECK(gru.backward(dy).data() == dx);
}

TEST_CASE("GRU: bad input names the layer, the expectation and the finding") {
  using Catch::Matchers::Contains;
  auto gru = make_gru<double>(GruReset::after, 2);
  Matrix<double> x = canon_test::random_matrix(15, 3, 1);
  Matrix<double> wrong_rows = canon_test::random_matrix(14, 3, 1);
  CHECK_THROWS_WITH(gru.forward(wrong_rows, Mode::train),
                    Contains("GRU::forward") && Contains("F = 3") && Contains("14x3"));
  CHECK_THROWS_AS(gru.forward(wrong_rows, Mode::train), shape_error);
  Matrix<double> empty(15, 0);
  CHECK_THROWS_AS(gru.forward(empty, Mode::train), value_error);
  CHECK_THROWS_WITH(gru.forward(x, std::vector<Index>{5, 1, 3, 2}, Mode::train),
                    Contains("4 lengths for a batch of 3"));
  CHECK_THROWS_WITH(gru.forward(x, std::vector<Index>{5, 9, 3}, Mode::train), Contains("sample 1") && Contains("got 9"));
  nn::RecurrentState<double> with_c{Matrix<double>::Zero(8, 3), Matrix<double>::Zero(8, 3)};
  CHECK_THROWS_WITH(gru.forward(x, std::vector<Index>{5, 5, 5}, Mode::train, &with_c),
                    Contains("GRU::forward") && Contains("no cell state"));
  nn::RecurrentState<double> short_h{Matrix<double>::Zero(4, 3), Matrix<double>()};
  CHECK_THROWS_AS(gru.forward(x, std::vector<Index>{5, 5, 5}, Mode::train, &short_h), shape_error);
  Matrix<double> inf = x;
  inf(0, 1) = std::numeric_limits<double>::infinity();
  CHECK_THROWS_WITH(gru.forward(inf, Mode::train), Contains("GRU::forward") && Contains("row 0, column 1"));
  auto fresh = make_gru<double>(GruReset::before);
  CHECK_THROWS_WITH(fresh.backward(Matrix<double>::Zero(20, 3)), Contains("GRU::backward called before forward"));
  gru.forward(x, Mode::train);
  CHECK_THROWS_WITH(gru.backward(Matrix<double>::Zero(4, 3)), Contains("GRU::backward") && Contains("4x3"));
}
