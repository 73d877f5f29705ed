// Generic two-view Deep CCA with fully connected branches: it learns a monotone but
// nonlinear relation that linear CCA only partly reaches, its model file rebuilds it
// alone, and standardisation makes it blind to the units of the features.
#include <canon/models/deep_cca/model.hpp>

#include <cmath>
#include <cstdio>

#include "canon_test.hpp"

using namespace canon;

namespace {

// u_i = z + 0.3 n_i (z, n_i standard normal): per-pair ceiling 1 / (1 + 0.3^2) = 0.917.
// View 1 sees exp(u1) and view 2 sees u2^3, each beside a feature of pure noise.
void views(Index m, std::uint64_t seed, Matrix<double>& x1, Matrix<double>& x2) {
  Rng rng(seed);
  x1.resize(2, m);
  x2.resize(2, m);
  for (Index j = 0; j < m; ++j) {
    const double z = rng.normal(), u1 = z + 0.3 * rng.normal(), u2 = z + 0.3 * rng.normal();
    x1(0, j) = std::exp(u1);
    x1(1, j) = rng.normal();
    x2(0, j) = u2 * u2 * u2;
    x2(1, j) = rng.normal();
  }
}

double first_correlation(const Matrix<double>& a, const Matrix<double>& b) {
  const auto x = a.row(0).array() - a.row(0).mean(), y = b.row(0).array() - b.row(0).mean();
  return std::abs((x * y).sum() / std::sqrt(x.square().sum() * y.square().sum()));
}

deep_cca::Config small_config() {
  deep_cca::Config config;
  config.sizes1 = {2, 16, 16, 1};
  config.sizes2 = {2, 16, 16, 1};
  config.training.epochs = 30;
  config.training.batch_size = 200;
  config.training.min_batch = 100;
  config.adam.learning_rate = 3e-3;
  return config;
}

}  // namespace

TEST_CASE("deep_cca::Model: held out, it beats linear CCA on a nonlinear relation", "[models]") {
  Matrix<double> x1, x2, v1, v2;
  views(2000, 1, x1, x2);
  views(1000, 2, v1, v2);
  cca::LinearCcaOptions one;
  one.components = 1;
  cca::LinearCCA<double> linear(one);
  linear.fit(x1, x2);
  const double baseline = first_correlation(linear.transform_first(v1), linear.transform_second(v2));

  deep_cca::Model<double> model(small_config(), 3);
  const auto result = model.fit(x1, x2, v1, v2);
  REQUIRE(model.fitted());
  const double deep = first_correlation(model.embed1(v1), model.embed2(v2));
  INFO("linear " << baseline << ", deep " << deep << ", best epoch " << result.best_epoch);
  CHECK(deep > baseline + 0.05);
  CHECK(deep < 0.917 + 0.03);  // the ceiling, up to sampling error of 1000 pairs
  CHECK(result.history.size() == 30);
}

TEST_CASE("deep_cca::Model: the model file alone rebuilds the model", "[models]") {
  Matrix<double> x1, x2;
  views(400, 4, x1, x2);
  auto config = small_config();
  config.sizes1 = {2, 8, 3};
  config.sizes2 = {2, 5, 7, 3};
  config.activation = nn::Activation::relu;
  config.dropout = 0.25;
  config.training.epochs = 2;
  deep_cca::Model<double> model(config, 5);
  model.fit(x1, x2, Matrix<double>(), Matrix<double>());
  const std::string path = "canon-test-deep-cca.model";
  model.save(path, {{"note", "trained in a test"}});
  const Metadata metadata = read_metadata(path);
  CHECK(metadata.at("note") == "trained in a test");
  CHECK(metadata.at("architecture").find("sizes2 2 5 7 3") != std::string::npos);

  auto loaded = deep_cca::load<double>(path);
  CHECK(loaded.config().activation == nn::Activation::relu);
  CHECK(loaded.config().dropout == 0.25);
  CHECK(loaded.embed1(x1) == model.embed1(x1));
  CHECK(loaded.embed2(x2) == model.embed2(x2));
  CHECK(loaded.training_correlations() == model.training_correlations());

  auto as_float = deep_cca::load<float>(path);
  CHECK((as_float.embed1(x1.cast<float>()).cast<double>() - model.embed1(x1)).cwiseAbs().maxCoeff() < 1e-4);

  SECTION("a file without an architecture is refused") {
    canon::save(model, path);
    CHECK_THROWS_WITH(deep_cca::load<double>(path), Catch::Contains("no architecture record"));
  }
  SECTION("a damaged architecture says which line") {
    model.save(path);
    Metadata bad = read_metadata(path);
    bad["architecture"] += "depth 3\n";
    canon::save(model, path, bad);
    CHECK_THROWS_WITH(deep_cca::load<double>(path), Catch::Contains("'depth 3'"));
  }
  SECTION("another architecture's file is refused before anything changes") {
    auto other_config = config;
    other_config.sizes1 = {2, 9, 3};
    deep_cca::Model<double> other(other_config, 6);
    CHECK_THROWS_AS(other.load(path), shape_error);
  }
  std::remove(path.c_str());
}

TEST_CASE("deep_cca::Model: standardisation makes the features' units irrelevant", "[models]") {
  Matrix<double> x1, x2;
  views(400, 7, x1, x2);
  auto config = small_config();
  config.training.epochs = 3;
  deep_cca::Model<double> plain(config, 8), scaled(config, 8);
  plain.fit(x1, x2, Matrix<double>(), Matrix<double>());
  Matrix<double> y1 = 1000.0 * x1;
  y1.array() += 5e4;
  scaled.fit(y1, x2, Matrix<double>(), Matrix<double>());
  CHECK((plain.embed1(x1) - scaled.embed1(y1)).cwiseAbs().maxCoeff() < 1e-6);
  CHECK((plain.embed2(x2) - scaled.embed2(x2)).cwiseAbs().maxCoeff() < 1e-6);
}

TEST_CASE("deep_cca::Model: rejects branches that cannot be compared and data of the wrong width", "[models][robust]") {
  auto config = small_config();
  config.sizes2 = {2, 4, 2};
  CHECK_THROWS_WITH(deep_cca::Model<double>(config, 1), Catch::Contains("end in 1 and 2 outputs"));
  config.sizes2 = {2};
  CHECK_THROWS_AS(deep_cca::Model<double>(config, 1), value_error);
  deep_cca::Model<double> model(small_config(), 1);
  CHECK_THROWS_AS(model.fit(Matrix<double>::Zero(3, 300), Matrix<double>::Zero(2, 300), Matrix<double>(),
                            Matrix<double>()),
                  shape_error);
  CHECK_THROWS_WITH(model.embed1(Matrix<double>::Zero(2, 5)), Catch::Contains("before fit"));
  CHECK_THROWS_WITH(deep_cca::parse_activation("gelu"), Catch::Contains("unknown activation 'gelu'"));
}
