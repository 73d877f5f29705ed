#include <canon/models/avramidis/task.hpp>
#include <canon/optim/adam.hpp>
#include <cstdio>

#include "canon_test.hpp"

using namespace canon;
using avramidis::JointModel;
using avramidis::JointObjective;
using avramidis::LossWeights;

namespace {

// A small model of the same structure; dropout off so that J is a fixed function.
avramidis::ModelConfig small_config() {
  avramidis::ModelConfig c;
  c.eeg.channels = 4;
  c.eeg.features = 3;
  c.eeg.hidden1 = 3;
  c.eeg.hidden2 = 4;
  c.eeg.output = 5;
  c.eeg.recurrent_dropout = c.eeg.output_dropout = 0.0;
  c.music.embedding = 6;
  c.music.hidden = 5;
  c.music.common = 4;
  c.music.dropout = 0.0;
  c.classifier_dropout = 0.0;
  c.discriminator_hidden = 3;
  return c;
}

struct Batch {
  Matrix<double> eeg = canon_test::random_matrix(12, 6, 11);
  Matrix<double> music = canon_test::random_matrix(6, 6, 12);
  Matrix<double> eeg_labels = (Matrix<double>(1, 6) << 1, 0, 0, 1, 1, 1).finished();
  Matrix<double> music_labels = (Matrix<double>(1, 6) << 0, 0, 1, 1, 1, 0).finished();
};

std::map<std::string, Matrix<double>> gradients(JointModel<double>& model) {
  std::map<std::string, Matrix<double>> g;
  model.visit_parameters([&](Parameter<double>& p) { g[p.name] = p.grad; });
  return g;
}

}  // namespace

TEST_CASE("avramidis::JointModel: the gradient of J matches finite differences, reversed below the GRL") {
  Batch b;
  auto config = small_config();
  config.reversal.lambda = 0.7;
  config.reversal.schedule = GENERATE(nn::ReversalSchedule::constant, nn::ReversalSchedule::ganin);
  JointModel<double> model(config, 3);
  model.set_progress(0.4);
  const double lambda = model.reversal_lambda();
  CHECK(lambda > 0.0);
  const LossWeights full = LossWeights::authors();
  const LossWeights classes{full.l1, full.l11, full.l12, 0.0};  // J without the domain term
  const LossWeights domain{0.0, full.l11, full.l12, full.l2};   // l2 l_dd alone
  JointObjective<double> j_full(full, b.eeg_labels, b.music_labels), j_classes(classes, b.eeg_labels, b.music_labels),
      j_domain(domain, b.eeg_labels, b.music_labels);
  const Index h = 3;  // half of the batch of 6
  auto value = [&](JointObjective<double>& j) {
    return j.evaluate(model, b.eeg, b.music, b.eeg_labels, b.music_labels, h, Mode::train, false).total;
  };
  const auto loss = j_full.evaluate(model, b.eeg, b.music, b.eeg_labels, b.music_labels, h, Mode::train, true);
  CHECK(loss.total == Approx(0.9 * (0.6 * loss.eeg + 0.4 * loss.music) + 0.1 * loss.domain).epsilon(1e-14));
  CHECK(loss.domain > 0.0);
  const auto analytic = gradients(model);
  Index below = 0, above = 0;
  model.visit_parameters([&](Parameter<double>& p) {
    const Matrix<double> d_classes = testing::numerical_gradient([&] { return value(j_classes); }, p.value);
    const Matrix<double> d_domain = testing::numerical_gradient([&] { return value(j_domain); }, p.value);
    // The discriminator descends l_dd; everything below the reversal ascends it (x lambda).
    const bool discriminator = p.name.rfind("discriminator.", 0) == 0;
    const Matrix<double> expected = d_classes + (discriminator ? 1.0 : -lambda) * d_domain;
    (discriminator ? above : below) += 1;
    const auto check = testing::compare_gradients(p.name, analytic.at(p.name), expected);
    INFO(p.name << ": relative error " << check.relative_error);
    CHECK(check.relative_error < 1e-6);
  });
  CHECK(above == 4);
  CHECK(below > 10);
}

TEST_CASE("avramidis::JointModel: the common layer and classifier are shared, the discriminator reads h pairs") {
  Batch b;
  JointModel<double> model(small_config(), 5);
  const auto out = model.forward(b.eeg, b.music, 2, Mode::eval);
  REQUIRE(out.logits.cols() == 12);
  REQUIRE(out.common.rows() == 4);
  REQUIRE(out.domain_logits.cols() == 4);
  // The same weights embed either modality: the common point of EEG column j equals the
  // one embed_eeg gives, and the music one likewise.
  const Matrix<double> common = out.common;
  const Matrix<double> domain_logits = out.domain_logits;
  CHECK(canon_test::relative_gap(model.embed_eeg(b.eeg), common.leftCols(6)) < 1e-15);
  CHECK(canon_test::relative_gap(model.embed_music(b.music), common.rightCols(6)) < 1e-15);
  // The discriminator's inputs are EEG pairs 0, 1 and music pairs 0, 1: its logits do not
  // change when the other columns do.
  Batch other = b;
  other.eeg.rightCols(4).setRandom();
  other.music.rightCols(4).setRandom();
  // (batch norm couples the EEG columns in train mode only; eval mode uses running stats)
  const auto out2 = model.forward(other.eeg, other.music, 2, Mode::eval);
  CHECK(canon_test::relative_gap(out2.domain_logits, domain_logits) < 1e-15);
  CHECK_THROWS_AS(model.forward(b.eeg, b.music, 7, Mode::eval), value_error);
  CHECK_THROWS_AS(model.forward(b.eeg, b.music.leftCols(5), 1, Mode::eval), shape_error);
  auto bad = small_config();
  bad.music.hidden = 7;
  CHECK_THROWS_WITH(JointModel<double>(bad, 1), Catch::Contains("the same"));
}

TEST_CASE("avramidis::JointObjective: the ablations are presets, and l_a only sends nothing to the music net") {
  Batch b;
  JointModel<double> model(small_config(), 9);
  JointObjective<double> eeg_only(LossWeights::eeg_only(), b.eeg_labels, b.music_labels);
  const auto l = eeg_only.evaluate(model, b.eeg, b.music, b.eeg_labels, b.music_labels, 3, Mode::train, true);
  CHECK(l.music == 0.0);
  CHECK(l.domain == 0.0);
  CHECK(l.total == l.eeg);
  model.visit_parameters([&](Parameter<double>& p) {
    if (p.name.rfind("music.", 0) == 0 || p.name.rfind("discriminator.", 0) == 0) {
      INFO(p.name);
      CHECK(p.grad.isZero(0.0));
    }
  });
  CHECK_THROWS_AS(JointObjective<double>(LossWeights{0, 1, 1, 0}, b.eeg_labels, b.music_labels), value_error);
  CHECK_THROWS_AS(JointObjective<double>(LossWeights{1, -1, 1, 0}, b.eeg_labels, b.music_labels), value_error);
  const Matrix<double> one_class = Matrix<double>::Ones(1, 6);
  CHECK_THROWS_WITH(JointObjective<double>(LossWeights::authors(), one_class, b.music_labels),
                    Catch::Contains("both classes"));
}

TEMPLATE_TEST_CASE("avramidis::JointTask: trains a planted problem, bit for bit again with the same seed", "", float,
                   double) {
  // EEG column: label in the first row (+/- 1 plus noise); music: the label in row 0.
  const Index n = 96;
  Matrix<TestType> eeg = canon_test::random_matrix(12, n, 21).cast<TestType>();
  Matrix<TestType> music = canon_test::random_matrix(6, n, 22).cast<TestType>();
  Matrix<TestType> y(1, n);
  for (Index j = 0; j < n; ++j) {
    y(0, j) = TestType(j % 2);
    eeg(0, j) += TestType(j % 2 ? 2 : -2);
    music(0, j) += TestType(j % 2 ? 2 : -2);
  }
  auto run = [&] {
    JointModel<TestType> model(small_config(), 4);
    avramidis::JointTask<TestType> task(model, {&eeg, &music, &y, &y}, {}, LossWeights::authors());
    optim::Adam<TestType> adam(optim::AdamOptions{1e-2});
    train::LoopOptions loop;
    loop.epochs = 40;
    loop.batch_size = 16;
    train::fit(task, adam, loop);
    const auto out = model.forward(eeg, music, 0, Mode::eval);
    Index correct = 0;
    for (Index j = 0; j < n; ++j) correct += (out.logits(0, j) > 0) == (y(0, j) > 0);
    return std::make_pair(correct, Matrix<TestType>(out.logits));
  };
  const auto [correct, logits] = run();
  CHECK(correct >= n * 9 / 10);
  CHECK(run().second == logits);
}

TEST_CASE("avramidis::load rebuilds a joint model from its file: architecture and every tensor", "[models]") {
  avramidis::ModelConfig c = small_config();
  c.eeg.recurrent_dropout = 0.2;  // dropout layers change the tensor names: they must come back too
  c.music.dropout = 0.5;
  c.reversal.schedule = nn::ReversalSchedule::ganin;
  c.reversal.gamma = 7.5;
  c.music.negative_slope = 0.1 + 1e-17 * 3;  // not a short decimal: written with 17 digits
  JointModel<double> a(c, 4);
  const Batch b;
  const std::string path = "test_avramidis_load.canon";
  a.save(path, {{"note", "kept"}});
  CHECK(read_metadata(path).at("note") == "kept");
  const auto back = avramidis::load<double>(path);
  CHECK(back->config().architecture_text() == c.architecture_text());
  CHECK(back->config().reversal.schedule == nn::ReversalSchedule::ganin);
  CHECK(back->config().music.negative_slope == c.music.negative_slope);
  CHECK(back->embed_eeg(b.eeg) == a.embed_eeg(b.eeg));  // bit for bit
  CHECK(back->embed_music(b.music) == a.embed_music(b.music));
  std::remove(path.c_str());

  avramidis::ModelConfig r;
  const std::string text = c.architecture_text();
  CHECK_THROWS_WITH(r.read_architecture("canon.avramidis 2\n", "f"), Catch::Contains("version 1"));
  CHECK_THROWS_WITH(r.read_architecture(text + "width 3\n", "f"), Catch::Contains("unknown architecture key 'width'"));
  CHECK_THROWS_WITH(r.read_architecture(text + "common 5\n", "f"), Catch::Contains("'common' twice"));
  std::string no_hidden = text;
  no_hidden.erase(no_hidden.find("eeg_hidden1"), no_hidden.find('\n', no_hidden.find("eeg_hidden1")) -
                                                     no_hidden.find("eeg_hidden1") + 1);
  CHECK_THROWS_WITH(r.read_architecture(no_hidden, "f"), Catch::Contains("lacks 'eeg_hidden1'"));
  std::string bad = text;
  bad.replace(bad.find("ganin"), 5, "other");
  CHECK_THROWS_WITH(r.read_architecture(bad, "f"), Catch::Contains("expected constant or ganin"));
  bad = text;
  bad.replace(bad.find("common 4"), 8, "common 0");
  CHECK_THROWS_WITH(r.read_architecture(bad, "f"), Catch::Contains("expected a whole number >= 1"));
}
