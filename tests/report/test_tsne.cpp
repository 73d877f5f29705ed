#include <canon/report/svg_plot.hpp>
#include <canon/report/tsne.hpp>

#include "canon_test.hpp"

using namespace canon;

TEST_CASE("tsne: joint probabilities, KL and its gradient agree with scikit-learn (fixture)") {
  const auto f = canon_test::read_fixture("tsne_reference.txt");
  const Matrix<double> p = report::detail::joint_probabilities(f.at("x"), f.at("perplexity")(0, 0));
  // scikit-learn bisects on float32 distances: agreement to about 1e-6.
  CHECK(canon_test::relative_gap(p, f.at("P")) < 1e-5);
  CHECK(p.sum() == Approx(1.0).epsilon(1e-12));
  CHECK((p - p.transpose()).cwiseAbs().maxCoeff() == 0.0);
  Matrix<double> gradient;
  const double kl = report::detail::kl_and_gradient(f.at("P"), f.at("y"), gradient);
  CHECK(kl == Approx(f.at("kl")(0, 0)).epsilon(1e-12));
  CHECK(canon_test::relative_gap(gradient, f.at("gradient")) < 1e-12);
}

TEST_CASE("tsne: the KL gradient matches finite differences") {
  const Matrix<double> x = canon_test::random_matrix(4, 15, 1);
  const Matrix<double> p = report::detail::joint_probabilities(x, 4.0);
  Matrix<double> y = canon_test::random_matrix(2, 15, 2), gradient, unused;
  report::detail::kl_and_gradient(p, y, gradient);
  auto value = [&] { return report::detail::kl_and_gradient(p, y, unused); };
  CHECK(testing::compare_gradients("y", gradient, testing::numerical_gradient(value, y)).relative_error < 1e-7);
}

TEST_CASE("tsne: three separated clusters stay separated, deterministically") {
  // 3 clusters of 30 points in 10-D; in the 2-D map every point's 5 nearest neighbours
  // belong to its own cluster.
  Matrix<double> x = canon_test::random_matrix(10, 90, 3);
  for (Index j = 0; j < 90; ++j) x(j / 30, j) += 8.0;  // cluster c shifted along axis c
  report::TsneOptions options;
  options.perplexity = 15;
  options.iterations = 500;
  const auto result = report::tsne(x, options);
  REQUIRE(result.embedding.rows() == 2);
  REQUIRE(result.embedding.cols() == 90);
  Index pure = 0;
  for (Index i = 0; i < 90; ++i) {
    std::vector<std::pair<double, Index>> d;
    for (Index j = 0; j < 90; ++j)
      if (j != i) d.emplace_back((result.embedding.col(i) - result.embedding.col(j)).squaredNorm(), j);
    std::partial_sort(d.begin(), d.begin() + 5, d.end());
    bool same = true;
    for (int k = 0; k < 5; ++k) same = same && d[std::size_t(k)].second / 30 == i / 30;
    pure += same;
  }
  CHECK(pure == 90);
  CHECK(result.kl_divergence < 1.0);
  CHECK(report::tsne(x, options).embedding == result.embedding);  // bit for bit
}

TEST_CASE("tsne: bad settings are refused") {
  const Matrix<double> x = canon_test::random_matrix(3, 10, 4);
  report::TsneOptions o;
  o.perplexity = 12;
  CHECK_THROWS_WITH(report::tsne(x, o), Catch::Contains("perplexity"));
  o.perplexity = 3;
  o.dimensions = 4;
  CHECK_THROWS_WITH(report::tsne(x, o), Catch::Contains("4 dimensions"));
  Matrix<double> nan = x;
  nan(0, 3) = std::nan("");
  CHECK_THROWS_AS(report::tsne(nan), value_error);
  o.dimensions = 2;
  o.early_exaggeration = 0.5;
  CHECK_THROWS_WITH(report::tsne(x, o), Catch::Contains("early_exaggeration must be a finite number >= 1, got 0.5"));
  o.early_exaggeration = 12;
  o.iterations = 100;  // fewer than the 250 exaggerated ones
  CHECK_THROWS_WITH(report::tsne(x, o), Catch::Contains("exaggeration_iterations must lie in [0, iterations = 100]"));
  o.exaggeration_iterations = 50;
  o.learning_rate = -1;
  CHECK_THROWS_WITH(report::tsne(x, o), Catch::Contains("learning_rate must be finite and >= 0"));
  o.learning_rate = 0;
  CHECK(report::tsne(x, o).embedding.cols() == 10);  // the same settings within bounds run
}

TEST_CASE("svg points chart: one circle per point, legend per series") {
  report::Chart chart;
  chart.kind = report::Chart::Kind::points;
  chart.title = "t-SNE";
  chart.series = {{"EEG, label 0", {0, 1, 2}, {0, 1, 0}}, {"music, label 1", {3, 4}, {1, 2}}};
  const std::string svg = report::render_svg(chart);
  std::size_t circles = 0;
  for (std::size_t at = svg.find("<circle"); at != std::string::npos; at = svg.find("<circle", at + 1)) ++circles;
  CHECK(circles == 5);
  CHECK(svg.find("music, label 1") != std::string::npos);
}
