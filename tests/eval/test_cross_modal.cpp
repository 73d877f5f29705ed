// Cross-modal scores (retrieval both ways + per-component correlation) on hand-built
// embeddings, and the exact chance level of class MRR against brute-force enumeration.
#include <algorithm>
#include <canon/eval/cross_modal.hpp>
#include <numeric>

#include "canon_test.hpp"

using canon::Index;
using canon::Matrix;

TEST_CASE("cross_modal_scores of identical embeddings is perfect", "[eval]") {
  const Matrix<double> a = canon_test::random_matrix(3, 12, 7);
  const auto s = canon::eval::cross_modal_scores(a, a);
  CHECK(s.items == 12);
  CHECK(s.a_to_b.mrr == 1.0);
  CHECK(s.b_to_a.mrr == 1.0);
  CHECK(s.a_to_b.median_rank == 1.0);
  CHECK(s.a_to_b.ks == std::vector<Index>{1, 5, 10});
  CHECK(s.a_to_b.recall == std::vector<double>{1.0, 1.0, 1.0});
  REQUIRE(s.correlations.size() == 3);
  for (double r : s.correlations) CHECK(r == Approx(1.0).epsilon(1e-14));
  CHECK(s.total_correlation == Approx(3.0).epsilon(1e-14));
  CHECK(s.chance_mrr == Approx(canon::eval::chance_mrr(12)));
}

TEST_CASE("cross_modal_scores ranks a hand-built case in both directions", "[eval]") {
  // 2-d unit vectors at angles; b's items 0 and 1 swapped relative to a.
  auto unit = [](double deg) {
    const double r = deg * 3.14159265358979323846 / 180.0;
    return Eigen::Vector2d(std::cos(r), std::sin(r));
  };
  Matrix<double> a(2, 3), b(2, 3);
  a << unit(0), unit(90), unit(180);
  b << unit(80), unit(10), unit(185);
  // cos(a_q, b_c): a0 is nearest b1 (10 deg), then b0 (80); a1 nearest b0 (10), then b1 (80);
  // a2 nearest b2 (5). a->b ranks: 2, 2, 1. b->a: b0 nearest a1 (10 deg), then a0 (80): 2;
  // b1 nearest a0: 2; b2 nearest a2: 1.
  const auto s = canon::eval::cross_modal_scores(a, b, {1, 2});
  CHECK(s.a_to_b.ranks == std::vector<Index>{2, 2, 1});
  CHECK(s.b_to_a.ranks == std::vector<Index>{2, 2, 1});
  CHECK(s.a_to_b.mrr == Approx((0.5 + 0.5 + 1.0) / 3.0));
  CHECK(s.a_to_b.recall == std::vector<double>{1.0 / 3.0, 1.0});
  CHECK(s.a_to_b.median_rank == 2.0);
  // Correlation of row 0: a = (1, 0, -1), b = (cos80, cos10, cos185).
  const Eigen::Vector3d x(1, 0, -1), y(std::cos(80 * M_PI / 180), std::cos(10 * M_PI / 180),
                                       std::cos(185 * M_PI / 180));
  const double expected = ((x.array() - x.mean()) * (y.array() - y.mean())).sum() /
                          std::sqrt((x.array() - x.mean()).square().sum() *
                                    (y.array() - y.mean()).square().sum());
  CHECK(s.correlations[0] == Approx(expected).epsilon(1e-14));
}

TEST_CASE("cross_modal_scores rejects bad input", "[eval]") {
  const Matrix<double> a = canon_test::random_matrix(3, 5, 1);
  CHECK_THROWS_AS(canon::eval::cross_modal_scores(a, Matrix<double>(a.leftCols(4))), canon::shape_error);
  CHECK_THROWS_AS(canon::eval::cross_modal_scores(Matrix<double>(a.leftCols(1)),
                                                  Matrix<double>(a.leftCols(1))),
                  canon::value_error);
  Matrix<double> bad = a;
  bad(1, 2) = std::nan("");
  CHECK_THROWS_AS(canon::eval::cross_modal_scores(a, bad), canon::value_error);
}

TEST_CASE("chance_first_relevant_rr matches enumeration of all rankings", "[eval]") {
  for (Index n = 1; n <= 7; ++n)
    for (Index relevant = 1; relevant <= n; ++relevant) {
      std::vector<int> order(static_cast<std::size_t>(n));
      std::iota(order.begin(), order.end(), 0);  // items < relevant are the relevant ones
      double sum = 0.0;
      long count = 0;
      do {
        Index first = 0;
        while (order[static_cast<std::size_t>(first)] >= relevant) ++first;
        sum += 1.0 / double(first + 1);
        ++count;
      } while (std::next_permutation(order.begin(), order.end()));
      CHECK(canon::eval::chance_first_relevant_rr(n, relevant) == Approx(sum / double(count)).epsilon(1e-13));
    }
  CHECK(canon::eval::chance_first_relevant_rr(40, 1) == Approx(canon::eval::chance_mrr(40)).epsilon(1e-14));
  CHECK_THROWS_AS(canon::eval::chance_first_relevant_rr(5, 6), canon::value_error);
  CHECK_THROWS_AS(canon::eval::chance_first_relevant_rr(5, 0), canon::value_error);
}
