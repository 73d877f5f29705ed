#include <canon/models/emer_cl/model.hpp>
#include <canon/models/emer_cl/task.hpp>
#include <cstdio>

#include "canon_test.hpp"

using namespace canon;

namespace {

emer_cl::ModelConfig tiny() {
  emer_cl::ModelConfig c;
  c.music = {emer_cl::EncoderKind::mean_mlp, 3, 0, {5, 4}, 0.0};
  c.emotion = {emer_cl::EncoderKind::bigru_mlp, 2, 3, {4, 4}, 0.0};
  c.cca_dimensions = 2;
  c.kl_dimensions = 3;
  return c;
}

emer_cl::PairSet<double> tiny_data(Index n, std::uint64_t seed) {
  emer_cl::PairSet<double> d;
  d.music_features = 3;
  d.music = canon_test::random_matrix(3 * 4, n, seed);
  d.emotion = 0.5 * canon_test::random_matrix(2 * 5, n, seed + 1);
  for (Index j = 0; j < n; ++j) {
    d.music_lengths.push_back(1 + j % 4);
    d.emotion_lengths.push_back(2 + j % 4);
  }
  return d;
}

}  // namespace

TEST_CASE("emer_cl::Model: the whole model's parameter gradients match finite differences") {
  // L(theta) = composite loss of both encoders' heads on a batch with variable lengths.
  emer_cl::Model<double> model(tiny(), 3);
  const auto data = tiny_data(10, 4);
  emer_cl::LossOptions lo;
  lo.lambda = 0.4;
  lo.kl.margin = 2.0;
  emer_cl::CompositeLoss<double> loss(lo);
  emer_cl::Task<double> task(model, loss, data, emer_cl::PairSet<double>{});
  std::vector<Index> all(10);
  for (Index j = 0; j < 10; ++j) all[std::size_t(j)] = j;
  task.train_batch(all, {});
  std::vector<std::pair<Parameter<double>*, Matrix<double>>> analytic;
  model.visit_parameters([&](Parameter<double>& p) { analytic.emplace_back(&p, p.grad); });
  auto value = [&] {
    const auto m = model.forward_music(data.music, data.music_lengths, Mode::train);
    const auto e = model.forward_emotion(data.emotion, data.emotion_lengths, Mode::train);
    return double(loss.forward(m.z, m.mean, m.log_variance, e.z, e.mean, e.log_variance));
  };
  double worst = 0;
  for (auto& [p, g] : analytic) {
    const Matrix<double> numeric = testing::numerical_gradient(value, p->value);
    if (p->name.find("heads.z.bias") != std::string::npos) {
      // Deep CCA centres its inputs: a shift of z changes nothing, so the gradient of z's
      // bias is zero (both sides are rounding noise, where a relative error means nothing).
      CHECK(g.norm() < 1e-12);
      CHECK(numeric.norm() < 1e-8);
      continue;
    }
    const auto check = testing::compare_gradients(p->name, g, numeric);
    INFO(check.name << ": " << check.relative_error);
    CHECK(check.relative_error < 1e-6);
    worst = std::max(worst, check.relative_error);
  }
  CHECK(analytic.size() == 2 * 2 + 3 * 2 + 4 * 2 + 2 * 2 + 3 * 2);  // MLPs, heads, GRU (4 per direction)
  WARN("worst relative error over the model's parameters: " << worst);
}

TEST_CASE("emer_cl::Model: tensor names and bad configurations") {
  emer_cl::Model<double> model(tiny(), 1);
  std::vector<std::string> names;
  model.visit_parameters([&](Parameter<double>& p) { names.push_back(p.name); });
  CHECK(names.front() == "music.mlp.0.weight");
  CHECK(std::find(names.begin(), names.end(), "emotion.gru.weight_ih_l0_reverse") != names.end());
  CHECK(std::find(names.begin(), names.end(), "emotion.heads.log_variance.bias") != names.end());
  auto bad = tiny();
  bad.music.mlp.clear();
  CHECK_THROWS_WITH(emer_cl::Model<double>(bad, 1), Catch::Contains("at least one layer"));
  bad = tiny();
  bad.cca_dimensions = 0;
  CHECK_THROWS_WITH(emer_cl::Model<double>(bad, 1), Catch::Contains("cca_dimensions"));
}

TEST_CASE("emer_cl::load rebuilds a model from its file: both encoders, their heads and the architecture") {
  emer_cl::ModelConfig c = tiny();
  c.music.dropout = 0.3;
  c.emotion.mlp = {6, 5, 4};
  emer_cl::Model<double> a(c, 9);
  const auto data = tiny_data(6, 2);
  const std::string path = "test_emer_cl_load.canon";
  a.save(path, {{"note", "kept"}});
  CHECK(read_metadata(path).at("note") == "kept");
  emer_cl::Model<double> b = emer_cl::load<double>(path);
  CHECK(b.config().architecture_text() == c.architecture_text());
  CHECK(b.config().emotion.mlp == std::vector<Index>{6, 5, 4});
  const Matrix<double> za = a.forward_music(data.music, data.music_lengths, Mode::eval).z;
  CHECK(b.forward_music(data.music, data.music_lengths, Mode::eval).z == za);  // bit for bit
  const Matrix<double> va = a.forward_emotion(data.emotion, data.emotion_lengths, Mode::eval).log_variance;
  CHECK(b.forward_emotion(data.emotion, data.emotion_lengths, Mode::eval).log_variance == va);
  std::remove(path.c_str());

  emer_cl::ModelConfig r;
  const std::string text = c.architecture_text();
  std::string bad = text;
  bad.replace(bad.find("bigru_mlp"), 9, "lstm_mlp");
  CHECK_THROWS_WITH(r.read_architecture(bad, "f"), Catch::Contains("expected mean_mlp or bigru_mlp"));
  bad = text;
  bad.replace(bad.find("music_mlp 5 4"), 13, "music_mlp 5 x");
  CHECK_THROWS_WITH(r.read_architecture(bad, "f"), Catch::Contains("expected whole numbers >= 1"));
  CHECK_THROWS_WITH(r.read_architecture("canon.emer_cl 1\nmusic_kind mean_mlp\n", "f"),
                    Catch::Contains("lacks 'music_features'"));
  CHECK_THROWS_WITH(r.read_architecture("canon.raposo 1\n", "f"), Catch::Contains("not a canon.emer_cl architecture"));
}
