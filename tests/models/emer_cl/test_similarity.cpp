#include <canon/eval/retrieval.hpp>
#include <canon/models/emer_cl/similarity.hpp>

#include "canon_test.hpp"

using namespace canon;
using emer_cl::Direction;

TEST_CASE("emer_cl::CorrelationSimilarity: Eq. 8 by hand") {
  // Two dimensions: d0 emotion = 2 music + 1 exactly (rho = 1), d1 uncorrelated-ish.
  Matrix<double> m(2, 4), e(2, 4);
  m << 0, 1, 2, 3, 1, -1, 1, -1;
  e << 1, 3, 5, 7, 1, 1, -1, -1;  // d1: correlation 0
  emer_cl::CorrelationSimilarity<double> sim;
  sim.fit(m, e);
  CHECK(sim.correlations()(0) == Approx(1.0));
  CHECK(std::abs(sim.correlations()(1)) < 1e-12);
  Matrix<double> q(2, 1), c(2, 2);
  q << 0.5, 9;
  c << 2, 4, 0, 0;
  // d1 is below P = 0.4 and ignored; d0: g(0.5) = 2, so -1 |2 - 2| = 0 and -1 |2 - 4| = -2.
  const Matrix<double> s = sim.rho_sim(q, c, Direction::music_to_emotion, 0.4);
  CHECK(s(0, 0) == Approx(0.0).margin(1e-12));
  CHECK(s(0, 1) == Approx(-2.0));
  // E2M uses the line from emotion to music: h(e) = (e - 1) / 2.
  const Matrix<double> t = sim.rho_sim(c, q, Direction::emotion_to_music, 0.4);
  CHECK(t(0, 0) == Approx(-std::abs(0.5 - 0.5)).margin(1e-12));
  CHECK(t(1, 0) == Approx(-std::abs(1.5 - 0.5)));
}

TEST_CASE("emer_cl::retrieval_similarity: paired items rank first when the embedding works") {
  const Index d = 6, n = 40;
  const Matrix<double> latent = canon_test::random_matrix(d, n, 1);
  const Matrix<double> m = latent + 0.05 * canon_test::random_matrix(d, n, 2);
  const Matrix<double> e = -0.5 * latent + 0.05 * canon_test::random_matrix(d, n, 3);  // rho < 0 on every dim
  const Matrix<double> e_pos = 0.5 * latent + 0.05 * canon_test::random_matrix(d, n, 3);
  const Matrix<double> lv = Matrix<double>::Zero(d, n);
  emer_cl::CorrelationSimilarity<double> sim;
  sim.fit(m, e_pos);
  const Matrix<double> other_means = 2.0 * e_pos;
  const Matrix<double> s = emer_cl::retrieval_similarity(sim, m, m, lv, e_pos, other_means, lv,
                                                         Direction::music_to_emotion, 0.4, 1.0);
  CHECK(eval::instance_mrr(s) > 0.95);
  // Negatively correlated dimensions fall below P and carry no evidence at all.
  emer_cl::CorrelationSimilarity<double> anti;
  anti.fit(m, e);
  CHECK(anti.rho_sim(m, e, Direction::music_to_emotion, 0.4).cwiseAbs().maxCoeff() == 0.0);
  // lambda = 0: the ranking is by -KL alone (identical Gaussians first).
  const Matrix<double> kl_only = emer_cl::retrieval_similarity(sim, m, m, lv, e_pos, m, lv,
                                                               Direction::music_to_emotion, 0.4, 0.0);
  CHECK(eval::instance_mrr(kl_only) == Approx(1.0));
}

TEST_CASE("emer_cl::CorrelationSimilarity: bad input is refused") {
  emer_cl::CorrelationSimilarity<double> sim;
  const Matrix<double> a = canon_test::random_matrix(3, 5, 1);
  CHECK_THROWS_WITH(sim.rho_sim(a, a, Direction::music_to_emotion, 0.4), Catch::Contains("before fit"));
  Matrix<double> constant = a;
  constant.row(1).setConstant(2.0);
  CHECK_THROWS_WITH(sim.fit(a, constant), Catch::Contains("dimension 1 is constant"));
  const Matrix<double> short_batch = a.leftCols(2);
  CHECK_THROWS_AS(sim.fit(short_batch, short_batch), value_error);
  sim.fit(a, a);
  const Matrix<double> wrong = canon_test::random_matrix(2, 5, 1);
  CHECK_THROWS_AS(sim.rho_sim(wrong, a, Direction::music_to_emotion, 0.4), shape_error);
  CHECK_THROWS_WITH(sim.rho_sim(a, a, Direction::music_to_emotion, 2.0), Catch::Contains("threshold"));
}
