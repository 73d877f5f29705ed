// The whole joint model and objective of Avramidis et al. 2022 against PyTorch autograd on
// one fixed batch: tests/fixtures/make_avramidis_fixture.py builds the same model at small
// sizes, computes J with the authors' weights and backpropagates through a gradient
// reversal of lambda = 0.7; here canon loads its parameters by name and must agree on J,
// its parts, the logits, the common-space points, the batch-norm running statistics and
// every parameter gradient.
#include <canon/models/avramidis/task.hpp>

#include "canon_test.hpp"

using namespace canon;

namespace {

avramidis::ModelConfig fixture_config(const Matrix<double>& sizes) {
  const auto at = [&](Index i) { return Index(sizes(0, i)); };
  avramidis::ModelConfig c;
  c.eeg.channels = at(0);
  c.eeg.features = at(1);
  c.eeg.hidden1 = at(2);
  c.eeg.hidden2 = at(3);
  c.eeg.output = at(4);
  c.music.hidden = at(4);
  c.music.embedding = at(5);
  c.music.common = at(6);
  c.discriminator_hidden = at(7);
  // Dropout off, as in the fixture: J is then a fixed function of the batch.
  c.eeg.recurrent_dropout = c.eeg.output_dropout = c.music.dropout = c.classifier_dropout = 0.0;
  return c;
}

// Relative error of a against PyTorch's b: max |a - b| / max |b|.
template <class Scalar>
double gap(const Matrix<Scalar>& a, const Matrix<double>& b) {
  return canon_test::relative_gap(a.template cast<double>(), b);
}

}  // namespace

TEMPLATE_TEST_CASE("avramidis::JointModel and JointObjective agree with PyTorch autograd (fixture)", "", float,
                   double) {
  using S = TestType;
  // Double: the same sums in another order (measured: 3e-15 at worst, the batch-norm
  // bias gradient); float: its rounding through two LSTMs and the batch norm (measured:
  // 1.1e-6 at worst against PyTorch's float64).
  const double tolerance = std::is_same_v<S, double> ? 1e-10 : 1e-4;
  const auto f = canon_test::read_fixture("avramidis_reference.txt");
  const Matrix<double>& sizes = f.at("sizes");
  const Index m = Index(sizes(0, 8)), h = Index(sizes(0, 9));
  auto config = fixture_config(sizes);
  config.reversal.lambda = f.at("lambda")(0, 0);
  avramidis::JointModel<S> model(config, 1);

  Index loaded = 0;
  model.visit_parameters([&](Parameter<S>& p) {
    INFO(p.name);
    REQUIRE(f.count("param." + p.name) == 1);
    const Matrix<double>& value = f.at("param." + p.name);
    REQUIRE(value.rows() == p.value.rows());
    REQUIRE(value.cols() == p.value.cols());
    p.value = value.cast<S>();
    ++loaded;
  });
  Index in_fixture = 0;
  for (const auto& block : f) in_fixture += block.first.rfind("param.", 0) == 0;
  CHECK(loaded == in_fixture);  // every PyTorch tensor has its canon twin and back

  const Matrix<S> eeg = f.at("eeg").cast<S>(), music = f.at("music").cast<S>();
  const Matrix<S> eeg_labels = f.at("eeg_labels").cast<S>(), music_labels = f.at("music_labels").cast<S>();
  const Matrix<double>& w = f.at("weights");
  const avramidis::LossWeights weights{w(0, 0), w(0, 1), w(0, 2), w(0, 3)};
  avramidis::JointObjective<S> objective(weights, eeg_labels, music_labels);
  const auto loss = objective.evaluate(model, eeg, music, eeg_labels, music_labels, h, Mode::train, true);

  const Matrix<double>& expected = f.at("loss");
  const double parts[] = {loss.total, loss.eeg, loss.music, loss.domain};
  const char* part_names[] = {"J", "l_eeg", "l_music", "l_dd"};
  for (int i = 0; i < 4; ++i) {
    const double e = std::abs(parts[i] - expected(0, i)) / std::abs(expected(0, i));
    INFO(part_names[i] << ": canon " << parts[i] << ", PyTorch " << expected(0, i) << ", relative error " << e);
    CHECK(e < tolerance);
  }

  // Gradients and running statistics as evaluate left them.
  std::map<std::string, Matrix<double>> grads;
  model.visit_parameters([&](Parameter<S>& p) { grads[p.name] = p.grad.template cast<double>(); });
  std::map<std::string, Matrix<double>> running;
  model.visit_buffers([&](Buffer<S>& b) { running[b.name] = b.value.template cast<double>(); });
  CHECK(grads.size() == std::size_t(in_fixture));

  double worst_gradient = 0;
  for (const auto& [name, g] : grads) {
    const double e = canon_test::relative_gap(g, f.at("grad." + name));
    worst_gradient = std::max(worst_gradient, e);
    INFO(name << ": relative error " << e);
    CHECK(e < tolerance);
  }
  INFO("worst parameter gradient: " << worst_gradient);
  CHECK(worst_gradient < tolerance);

  // The outputs of that forward: without dropout a second train-mode forward computes
  // them again (it updates the running statistics once more, read above already).
  const auto out = model.forward(eeg, music, h, Mode::train);
  REQUIRE(out.logits.cols() == 2 * m);
  const double logit_gap = gap(out.logits, f.at("logits"));
  const double common_gap = gap(out.common, f.at("common"));
  const double domain_gap = gap(out.domain_logits, f.at("domain_logits"));
  INFO("logits " << logit_gap << ", common " << common_gap << ", domain logits " << domain_gap);
  CHECK(logit_gap < tolerance);
  CHECK(common_gap < tolerance);
  CHECK(domain_gap < tolerance);

  // Batch norm updated its running statistics once, from evaluate's train-mode forward
  // (PyTorch: momentum 0.1, unbiased variance).
  for (const char* b : {"eeg.1.running_mean", "eeg.1.running_var"}) {
    INFO(b);
    REQUIRE(running.count(b) == 1);
    const double e = canon_test::relative_gap(running.at(b), f.at(std::string("buffer.") + b));
    INFO("relative error " << e);
    CHECK(e < tolerance);
  }
}
