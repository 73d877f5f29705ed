// The Raposo 2017 pipeline at toy sizes: chunk preparation, the two-branch model's
// gradient against finite differences, learning a planted shared signal, save/load,
// determinism and the cross-validation protocol.
#include <canon/models/raposo/protocol.hpp>
#include <cstdio>

#include "canon_test.hpp"

using canon::Index;
using canon::Matrix;
using canon::raposo::ChunkSet;
using canon::raposo::Config;
using canon::raposo::Model;

namespace {

// Audio 1 x 54 -> 8 x 18 -> 8 x 6 -> 8 x 6 -> 8 x 1 -> 4 x 1; EEG 3 x 18 -> 6 x 6 -> 6 x 1 -> 4 x 1.
Config toy_config() {
  Config c;
  c.audio_branch = "conv-3-3-8, mp-3, conv-3-1-8, mp-6, conv-1-1-4";
  c.eeg_branch = "conv-3-3-6, mp-6, conv-1-1-4";
  c.audio_input = {1, 54};
  c.eeg_input = {3, 18};
  c.training.epochs = 15;
  c.training.batch_size = 64;
  c.training.min_batch = 32;
  c.adam.learning_rate = 3e-3;
  c.inference_batch = 50;
  return c;
}

// Chunks sharing a two-dimensional latent z: the audio carries z as the amplitude of two
// tones, the EEG as the amplitude of two spatio-temporal patterns; both get noise.
ChunkSet<double> planted_chunks(Index n, std::uint64_t seed) {
  canon::Rng rng(seed);
  ChunkSet<double> d;
  d.eeg_channels = 3;
  d.audio.resize(54, n);
  d.eeg.resize(3 * 18, n);
  for (Index j = 0; j < n; ++j) {
    const double z1 = rng.normal(), z2 = rng.normal();
    for (Index t = 0; t < 54; ++t)
      d.audio(t, j) = z1 * std::sin(0.9 * double(t)) + z2 * std::sin(0.23 * double(t)) + 0.3 * rng.normal();
    for (Index t = 0; t < 18; ++t)
      for (Index c = 0; c < 3; ++c)
        d.eeg(c + 3 * t, j) = z1 * double(c + 1) * std::cos(0.5 * double(t)) +
                              z2 * (c == 1 ? 1.0 : -0.5) + 0.3 * rng.normal();
    d.song.push_back(int(j / 10));  // 10 chunks per song
    d.subject.push_back(0);
    d.recording.push_back(int(j / 10));
  }
  return d;
}

}  // namespace

TEST_CASE("prepare_chunks resamples scales and aligns recordings", "[models]") {
  canon::raposo::Recording<double> rec;
  const Index seconds = 4;
  rec.audio_rate = 44100;
  rec.eeg_rate = 500;
  rec.audio.resize(44100 * seconds);
  for (Index i = 0; i < rec.audio.size(); ++i) rec.audio(i) = 0.25 * std::sin(2 * M_PI * 440 * double(i) / 44100);
  rec.eeg = canon_test::random_matrix(4, 500 * seconds, 3);
  rec.song = 7;
  rec.subject = 2;
  canon::raposo::ChunkingOptions o;
  o.clean_eeg = false;
  const auto chunks = canon::raposo::prepare_chunks(std::vector{rec, rec}, o);
  CHECK(chunks.size() == 4);  // floor(4 / 1.5) = 2 per recording
  CHECK(chunks.audio.rows() == 33075);
  CHECK(chunks.eeg.rows() == 4 * 375);
  CHECK(chunks.eeg_channels == 4);
  CHECK(chunks.song == std::vector<int>{7, 7, 7, 7});
  CHECK(chunks.recording == std::vector<int>{0, 0, 1, 1});
  // Audio peak after resampling and scaling is 1 (the recording's peak sits in a chunk).
  CHECK(chunks.audio.cwiseAbs().maxCoeff() <= 1.0);
  CHECK(chunks.audio.cwiseAbs().maxCoeff() > 0.999);
  // The EEG column is the chunk's column-major storage: (channel c, time t) at c + 4 t.
  const Matrix<double> eeg250 = canon::signal::resample_poly(rec.eeg, 1, 2);
  for (Index t : {Index(0), Index(100), Index(374)})
    for (Index c = 0; c < 4; ++c) {
      CHECK(chunks.eeg(c + 4 * t, 0) == eeg250(c, t));
      CHECK(chunks.eeg(c + 4 * t, 1) == eeg250(c, 375 + t));
    }
}

TEST_CASE("prepare_chunks rejects bad recordings", "[models]") {
  canon::raposo::Recording<double> rec;
  rec.audio_rate = 22050;
  rec.eeg_rate = 250;
  rec.audio = canon::RowVector<double>::Ones(22050 * 2);
  rec.eeg = canon_test::random_matrix(2, 500, 1);
  canon::raposo::ChunkingOptions o;
  o.clean_eeg = false;
  CHECK(canon::raposo::prepare_chunks(std::vector{rec}, o).size() == 1);
  auto silent = rec;
  silent.audio.setZero();
  CHECK_THROWS_WITH(canon::raposo::prepare_chunks(std::vector{silent}, o), Catch::Contains("silent"));
  auto odd_rate = rec;
  odd_rate.eeg_rate = 250.5;
  CHECK_THROWS_WITH(canon::raposo::prepare_chunks(std::vector{odd_rate}, o), Catch::Contains("whole number of Hz"));
  auto nan = rec;
  nan.eeg(1, 3) = std::nan("");
  CHECK_THROWS_AS(canon::raposo::prepare_chunks(std::vector{nan}, o), canon::value_error);
  auto channels = rec;
  channels.eeg = canon_test::random_matrix(3, 500, 1);
  CHECK_THROWS_AS(canon::raposo::prepare_chunks(std::vector{rec, channels}, o), canon::shape_error);
  auto short_eeg = rec;
  short_eeg.eeg = canon_test::random_matrix(2, 250, 1);  // 1 s of EEG against 2 s of audio
  CHECK_THROWS_WITH(canon::raposo::prepare_chunks(std::vector{short_eeg}, o), Catch::Contains("tolerance"));
  CHECK_THROWS_AS(canon::raposo::prepare_chunks(std::vector<canon::raposo::Recording<double>>{}, o),
                  canon::value_error);
}

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

TEST_CASE("cross_validate holds out whole songs and reports every fold", "[models]") {
  const ChunkSet<double> d = planted_chunks(300, 6);  // 30 songs of 10 chunks
  Config config = toy_config();
  config.training.epochs = 2;
  canon::raposo::ProtocolOptions o;
  o.folds = 3;
  o.runs = 2;
  int seen = 0;
  const auto reports = canon::raposo::cross_validate(d, config, o, [&](const auto&) { ++seen; });
  REQUIRE(reports.size() == 6);
  CHECK(seen == 6);
  for (const auto& r : reports) {
    // Whole songs of 10 chunks: 10 songs per fold.
    CHECK(r.test_chunks == 100);
    CHECK(r.validation_chunks == 100);
    CHECK(r.training_chunks == 100);
    CHECK(r.test.items == 100);
    CHECK(r.training.history.size() == 2);
  }
  // New folds and weights each run: the scores differ between runs.
  CHECK(reports[0].test.total_correlation != reports[3].test.total_correlation);
  o.folds = 31;
  CHECK_THROWS_WITH(canon::raposo::cross_validate(d, config, o), Catch::Contains("30 groups"));
}
