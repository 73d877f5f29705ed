// The Raposo 2017 two-branch model at toy sizes: the gradient against finite
// differences, learning a planted shared signal, save/load and determinism.
#include <canon/eval/cross_modal.hpp>
#include <canon/models/raposo/model.hpp>
#include <cstdio>
#include <limits>

#include "toy_raposo.hpp"

using canon::Index;
using canon::Matrix;
using canon::raposo::Model;
using canon_test::ChunkSet;
using canon_test::Config;
using canon_test::planted_chunks;
using canon_test::toy_config;

TEST_CASE("raposo::Model gradient of the Deep CCA loss through both branches", "[models]") {
  Model<double> model(toy_config(), 5);
  const ChunkSet<double> d = planted_chunks(40, 9);
  canon::loss::DeepCCA<double> loss;
  auto value = [&] {
    const auto& ha = model.network().first().forward(d.audio, canon::Mode::train);
    const auto& he = model.network().second().forward(d.eeg, canon::Mode::train);
    return loss.forward(ha, he);
  };
  value();
  const auto& g = loss.backward();
  model.network().first().backward(g.first);
  model.network().second().backward(g.second);
  // Compared as one vector over all parameters: the first batch norm's scale on raw
  // audio has a gradient near 1e-5 (the next batch norm undoes most of its effect), so
  // alone it sits at the finite-difference noise floor; every tensor is still listed.
  canon::testing::GradientReport report;
  std::vector<double> analytic, numeric;
  model.visit_parameters([&](canon::Parameter<double>& p) {
    const Matrix<double> a = p.grad;
    const Matrix<double> n = canon::testing::numerical_gradient(value, p.value, 1e-6);
    report.tensors.push_back(canon::testing::compare_gradients(p.name, a, n));
    analytic.insert(analytic.end(), a.data(), a.data() + a.size());
    numeric.insert(numeric.end(), n.data(), n.data() + n.size());
  });
  INFO(report.to_string());
  CHECK(report.tensors.size() == 20);  // 5 conv blocks x (BN weight, bias + conv weight, bias)
  const auto all = canon::testing::compare_gradients(
      "all parameters", Eigen::Map<Matrix<double>>(analytic.data(), Index(analytic.size()), 1),
      Eigen::Map<Matrix<double>>(numeric.data(), Index(numeric.size()), 1));
  CHECK(all.relative_error < 1e-6);
  // Every tensor but that one passes on its own.
  for (const auto& t : report.tensors)
    if (t.name != "audio.0.weight") CHECK(t.relative_error < 1e-6);
}

TEST_CASE("raposo::Model learns a planted shared signal and beats chance on held-out chunks", "[models]") {
  const ChunkSet<double> train = planted_chunks(320, 1), validation = planted_chunks(80, 2),
                         test = planted_chunks(100, 3);
  Config config = toy_config();
  config.training.epochs = 40;
  Model<double> model(config, 11);
  model.fit_projection(train.audio, train.eeg);
  const auto untrained =
      canon::eval::cross_modal_scores(model.embed_audio(test.audio), model.embed_eeg(test.eeg));
  const auto result = model.fit(train, validation);
  CHECK(result.history.size() == 40);
  CHECK(result.best_epoch >= 1);
  const auto s = canon::eval::cross_modal_scores(model.embed_audio(test.audio), model.embed_eeg(test.eeg));
  INFO("untrained total " << untrained.total_correlation << ", trained " << s.total_correlation
                          << ", MRR " << s.b_to_a.mrr << " vs chance " << s.chance_mrr);
  // Two planted dimensions at noise 0.3: held-out correlations near 1 in two components.
  CHECK(s.correlations.size() == 4);
  CHECK(s.correlations[0] > 0.9);
  CHECK(s.correlations[1] > 0.8);
  CHECK(s.total_correlation > untrained.total_correlation + 1.5);
  CHECK(s.b_to_a.mrr > 4 * s.chance_mrr);
  CHECK(s.a_to_b.mrr > 4 * s.chance_mrr);
}

TEST_CASE("raposo::Model save and load reproduce embeddings and same seed reproduces training", "[models]") {
  const ChunkSet<double> train = planted_chunks(128, 4);
  Config config = toy_config();
  config.training.epochs = 2;
  Model<double> a(config, 3), b(config, 3), other(config, 99);
  a.fit(train, ChunkSet<double>{});
  b.fit(train, ChunkSet<double>{});
  const Matrix<double> za = a.embed_audio(train.audio);
  CHECK(za == b.embed_audio(train.audio));  // bit-identical
  CHECK(a.embed_eeg(train.eeg) == b.embed_eeg(train.eeg));
  CHECK_THROWS_WITH(other.embed_audio(train.audio), Catch::Contains("before fit"));
  const std::string path = "test_raposo_model.canon";
  a.save(path);
  other.load(path);
  CHECK(other.embed_audio(train.audio) == za);
  CHECK(other.training_correlations() == a.training_correlations());
  std::remove(path.c_str());
}

TEST_CASE("raposo::load rebuilds a model from the file alone: branches, input shapes, every tensor", "[models]") {
  const ChunkSet<double> train = planted_chunks(96, 6);
  Config config = toy_config();
  config.training.epochs = 1;
  Model<double> a(config, 8);
  a.fit(train, ChunkSet<double>{});
  const std::string path = "test_raposo_load.canon";
  a.save(path, {{"note", "kept"}});
  const canon::Metadata metadata = canon::read_metadata(path);
  CHECK(metadata.at("note") == "kept");
  CHECK(metadata.at("architecture").rfind("canon.raposo 1\n", 0) == 0);
  Model<double> b = canon::raposo::load<double>(path);
  CHECK(b.config().audio_branch == config.audio_branch);
  CHECK(b.config().eeg_branch == config.eeg_branch);
  CHECK(b.config().eeg_input.channels == config.eeg_input.channels);
  CHECK(b.config().eeg_input.length == config.eeg_input.length);
  CHECK(b.embed_audio(train.audio) == a.embed_audio(train.audio));
  CHECK(b.embed_eeg(train.eeg) == a.embed_eeg(train.eeg));
  std::remove(path.c_str());

  Config parsed;
  parsed.read_architecture(config.architecture_text(), "text");
  CHECK(parsed.architecture_text() == config.architecture_text());
  CHECK_THROWS_WITH(parsed.read_architecture("canon.raposo 2\n", "f"), Catch::Contains("version 1"));
  CHECK_THROWS_WITH(parsed.read_architecture(config.architecture_text() + "width 3\n", "f"),
                    Catch::Contains("unknown architecture key 'width'"));
  std::string bad = config.architecture_text();
  bad.replace(bad.find("eeg_channels 3"), 14, "eeg_channels x");
  CHECK_THROWS_WITH(parsed.read_architecture(bad, "f"), Catch::Contains("'eeg_channels x': expected a finite number"));
  CHECK_THROWS_WITH(parsed.read_architecture("canon.raposo 1\naudio_branch mp-3\n", "f"),
                    Catch::Contains("lacks 'audio_channels'"));
  CHECK_THROWS_WITH(parsed.read_architecture("canon.deep_cca 1\n", "f"), Catch::Contains("not a canon.raposo architecture"));
}

TEST_CASE("raposo::Model rejects mismatched branches and inputs", "[models]") {
  Config c = toy_config();
  c.eeg_branch = "conv-3-3-6, mp-6, conv-1-1-5";
  CHECK_THROWS_WITH((Model<double>(c, 1)), Catch::Contains("same size"));
  c = toy_config();
  c.audio_input = {1, 55};
  CHECK_THROWS_WITH((Model<double>(c, 1)), Catch::Contains("does not fit"));
  Model<double> model(toy_config(), 1);
  const Matrix<double> wrong = canon_test::random_matrix(53, 70, 1);
  CHECK_THROWS_AS(model.fit(wrong, planted_chunks(70, 1).eeg, Matrix<double>(), Matrix<double>()),
                  canon::shape_error);
}

namespace {

// Reads a saved model, lets `edit` change its tensors, and writes it back (checksummed).
template <class Edit>
void rewrite(const std::string& path, Edit edit) {
  auto stored = canon::detail::read_tensor_file(path);
  edit(stored);
  std::vector<std::string> names;
  for (const auto& entry : stored) names.push_back(entry.first);
  std::vector<canon::detail::TensorRecord<double>> records;
  for (std::size_t i = 0; i < names.size(); ++i)
    records.push_back({canon::detail::TensorKind(stored.at(names[i]).kind), &names[i], &stored.at(names[i]).value});
  canon::detail::write_tensor_file(path, records);
}

}  // namespace

TEST_CASE("raposo::Model load refuses a projection of inconsistent shape, leaving the model as it was",
          "[models][robust]") {
  const ChunkSet<double> train = planted_chunks(128, 4);
  Config config = toy_config();
  config.training.epochs = 1;
  Model<double> a(config, 3), b(config, 4);
  a.fit(train, ChunkSet<double>{});
  b.fit(train, ChunkSet<double>{});
  const Matrix<double> zb = b.embed_audio(train.audio);
  const std::string path = "test_raposo_model_shapes.canon";
  const auto expect_refused = [&](const char* tensor, auto edit) {
    a.save(path);
    rewrite(path, edit);
    INFO(tensor);
    CHECK_THROWS_WITH(b.load(path), Catch::Contains(tensor));
    CHECK_THROWS_AS(b.load(path), canon::error);
    CHECK(b.embed_audio(train.audio) == zb);  // unchanged
  };
  expect_refused("projection.audio_weights", [](auto& s) {
    auto& w = s.at("projection.audio_weights").value;
    w.conservativeResize(w.rows() - 1, Eigen::NoChange);  // one row fewer than the output size
  });
  expect_refused("projection.eeg_weights", [](auto& s) {
    auto& w = s.at("projection.eeg_weights").value;
    w.conservativeResize(Eigen::NoChange, w.cols() + 1);  // more components than correlations
  });
  expect_refused("projection.audio_mean", [](auto& s) { s.at("projection.audio_mean").value.resize(3, 1); });
  expect_refused("projection.correlations", [&](auto& s) {
    s.at("projection.correlations").value.setConstant(a.output_size() + 1, 1, 0.5);  // k > output size
  });
  expect_refused("projection.eeg_mean",
                 [](auto& s) { s.at("projection.eeg_mean").value(0, 0) = std::numeric_limits<double>::quiet_NaN(); });
  // An unfitted model (every projection tensor empty) still loads.
  Model<double> fresh(config, 5), target(config, 6);
  fresh.save(path);
  CHECK_NOTHROW(target.load(path));
  CHECK_FALSE(target.fitted());
  std::remove(path.c_str());
}
