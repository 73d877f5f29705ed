// Retrieval metrics against values computed by hand (each worked out in the comments),
// the tie rules, the error cases and the chance level against simulation.
#include <canon/core/rng.hpp>
#include "canon_test.hpp"
#include <canon/eval/retrieval.hpp>
#include <catch2/catch.hpp>
#include <cmath>

using canon::Index;
using canon::Matrix;
namespace ev = canon::eval;

namespace {
// Queries in rows, candidates in columns, query q paired with candidate q.
template <class S>
Matrix<S> example() {
  Matrix<S> s(3, 3);
  s << S(0.9), S(0.1), S(0.5),  //
      S(0.8), S(0.3), S(0.2),   //
      S(0.1), S(0.7), S(0.4);
  return s;
}
}  // namespace

TEMPLATE_TEST_CASE("instance ranks and MRR match the hand computation", "[eval]", float, double) {
  const auto s = example<TestType>();
  // q0: paired 0.9 is the largest              -> rank 1
  // q1: paired 0.3, only 0.8 is larger         -> rank 2
  // q2: paired 0.4, only 0.7 is larger         -> rank 2
  const auto ranks = ev::paired_ranks(s);
  CHECK(ranks == std::vector<Index>{1, 2, 2});
  CHECK(ev::mean_reciprocal_rank(ranks) == Approx(2.0 / 3.0).epsilon(1e-15));  // (1+1/2+1/2)/3
  CHECK(ev::instance_mrr(s) == Approx(2.0 / 3.0).epsilon(1e-15));
  CHECK(ev::average_rank(ranks) == Approx(5.0 / 3.0).epsilon(1e-15));  // (1+2+2)/3
  CHECK(ev::median_rank(ranks) == 2.0);
  CHECK(ev::median_rank({1, 2, 4, 9}) == 3.0);  // even count: mean of 2 and 4
  CHECK(ev::recall_at(ranks, 1) == Approx(1.0 / 3.0));
  CHECK(ev::recall_at(ranks, 2) == 1.0);
  // A distance 1 - s orders the candidates the same way.
  Matrix<TestType> d = Matrix<TestType>::Ones(3, 3) - s;
  CHECK(ev::paired_ranks(d, ev::Score::distance) == ranks);
  // Explicit pairs: q0 -> c2 (0.5, below 0.9) rank 2; q1 -> c0 rank 1; q2 -> c0 rank 3.
  CHECK(ev::paired_ranks(s, std::vector<Index>{2, 0, 0}) == std::vector<Index>{2, 1, 3});
}

TEMPLATE_TEST_CASE("class MRR P@k and AP match the hand computation", "[eval]", float, double) {
  const auto s = example<TestType>();
  const std::vector<Index> qc{0, 1, 0}, cc{0, 1, 1};
  // q0 (class 0): c0 is relevant and best                      -> rank 1
  // q1 (class 1): c1 (0.3), c2 (0.2) relevant; c0 0.8 above     -> rank 2
  // q2 (class 0): c0 (0.1) relevant; c1 0.7 and c2 0.4 above    -> rank 3
  CHECK(ev::class_ranks(s, qc, cc) == std::vector<Index>{1, 2, 3});
  CHECK(ev::class_mrr(s, qc, cc) == Approx(11.0 / 18.0).epsilon(1e-15));  // (1+1/2+1/3)/3
  const auto rel = ev::relevance_by_label(qc, cc);
  // Ranked orders: q0 c0 c2 c1 (rel at 1); q1 c0 c1 c2 (rel at 2 and 3); q2 c1 c2 c0 (rel at 3).
  // AP: q0 1; q1 (1/2 + 2/3)/2 = 7/12; q2 1/3.    mAP = (12 + 7 + 4)/36 = 23/36.
  const auto ap = ev::average_precision(s, rel);
  CHECK(ap[0] == Approx(1.0));
  CHECK(ap[1] == Approx(7.0 / 12.0));
  CHECK(ap[2] == Approx(1.0 / 3.0));
  CHECK(ev::mean_of(ap) == Approx(23.0 / 36.0));
  // P@2: q0 1/2, q1 1/2, q2 0.
  const auto p2 = ev::precision_at(s, rel, 2);
  CHECK(p2 == std::vector<double>{0.5, 0.5, 0.0});
  CHECK(ev::mean_of(p2) == Approx(1.0 / 3.0));
  CHECK(ev::precision_at(s, rel, 3) == std::vector<double>{1.0 / 3.0, 2.0 / 3.0, 1.0 / 3.0});
}

TEMPLATE_TEST_CASE("ties are ranked by the documented rule", "[eval]", float, double) {
  // A constant score matrix: pessimistic puts every paired item last.
  const Matrix<TestType> flat = Matrix<TestType>::Constant(4, 4, TestType(0.5));
  CHECK(ev::paired_ranks(flat) == std::vector<Index>{4, 4, 4, 4});
  CHECK(ev::instance_mrr(flat) == 0.25);
  CHECK(ev::paired_ranks(flat, ev::Score::similarity, ev::Ties::optimistic) ==
        std::vector<Index>{1, 1, 1, 1});
  // Two relevant of four, all tied: pessimistic relevant at 3 and 4, AP = (1/3 + 2/4)/2 = 5/12.
  const auto rel = ev::relevance_by_label({0, 0, 0, 0}, {1, 0, 1, 0});
  CHECK(ev::average_precision(flat, rel)[0] == Approx(5.0 / 12.0));
  CHECK(ev::average_precision(flat, rel, ev::Score::similarity, ev::Ties::optimistic)[0] == 1.0);
  CHECK(ev::precision_at(flat, rel, 2)[0] == 0.0);
  // A partial tie: [0.5 0.5 0.2] paired with c0 -> rank 2 (pessimistic) or 1 (optimistic).
  Matrix<TestType> row(1, 3);
  row << TestType(0.5), TestType(0.5), TestType(0.2);
  CHECK(ev::paired_ranks(row, std::vector<Index>{0}) == std::vector<Index>{2});
  CHECK(ev::paired_ranks(row, std::vector<Index>{0}, ev::Score::similarity,
                         ev::Ties::optimistic) == std::vector<Index>{1});
  // Ties between two relevant items do not matter: class rank is 1 either way.
  CHECK(ev::class_ranks(row, {7}, {7, 7, 3}) == std::vector<Index>{1});
}

TEST_CASE("all relevant and none relevant are handled as documented", "[eval]") {
  const auto s = example<double>();
  const auto all = ev::relevance_by_label({1, 1, 1}, {1, 1, 1});
  CHECK(ev::average_precision(s, all) == std::vector<double>{1.0, 1.0, 1.0});
  CHECK(ev::precision_at(s, all, 3) == std::vector<double>{1.0, 1.0, 1.0});
  const auto none = ev::relevance_by_label({1, 2, 1}, {1, 1, 1});  // query 1 has none
  CHECK_THROWS_AS(ev::average_precision(s, none), canon::value_error);
  CHECK_THROWS_WITH(ev::average_precision(s, none), Catch::Contains("query 1"));
  CHECK_THROWS_AS(ev::class_ranks(s, {0, 5, 0}, {0, 1, 1}), canon::value_error);
}

TEST_CASE("bad retrieval inputs throw", "[eval]") {
  const auto s = example<double>();
  Matrix<double> wide(2, 3);
  wide.setOnes();
  CHECK_THROWS_AS(ev::paired_ranks(wide), canon::shape_error);  // not square, no pairs
  CHECK_THROWS_AS(ev::paired_ranks(s, std::vector<Index>{0, 1}), canon::shape_error);
  CHECK_THROWS_AS(ev::paired_ranks(s, std::vector<Index>{0, 1, 3}), canon::value_error);
  Matrix<double> bad = s;
  bad(1, 1) = std::nan("");
  CHECK_THROWS_AS(ev::paired_ranks(bad), canon::value_error);
  CHECK_THROWS_AS(ev::paired_ranks(Matrix<double>(0, 0)), canon::shape_error);
  const auto rel = ev::relevance_by_label({0, 1, 0}, {0, 1, 1});
  CHECK_THROWS_AS(ev::precision_at(s, rel, 0), canon::value_error);
  CHECK_THROWS_AS(ev::precision_at(s, rel, 4), canon::value_error);
  CHECK_THROWS_AS(ev::average_precision(s, ev::relevance_by_label({0, 1}, {0, 1, 1})),
                  canon::shape_error);
  CHECK_THROWS_AS(ev::mean_reciprocal_rank({}), canon::value_error);
  CHECK_THROWS_AS(ev::mean_reciprocal_rank({1, 0}), canon::value_error);
  CHECK_THROWS_AS(ev::recall_at({1, 2}, 0), canon::value_error);
  CHECK_THROWS_AS(ev::chance_mrr(0), canon::value_error);
}

TEMPLATE_TEST_CASE("cosine and Euclidean helpers match the hand computation", "[eval]", float,
                   double) {
  Matrix<TestType> a(2, 2), b(2, 2);
  a << 1, 0, 0, 1;  // columns e1, e2
  b << 1, 2, 1, 0;  // columns (1,1), (2,0)
  const auto c = ev::cosine_similarity(a, b);
  const double r = 1.0 / std::sqrt(2.0);
  CHECK(c(0, 0) == Approx(r));
  CHECK(c(0, 1) == Approx(1.0));
  CHECK(c(1, 0) == Approx(r));
  CHECK(c(1, 1) == Approx(0.0).margin(1e-7));
  const auto d = ev::euclidean_distance(a, b);
  CHECK(d(0, 0) == Approx(1.0));  // |(0,-1)|
  CHECK(d(0, 1) == Approx(1.0));  // |(-1,0)|
  CHECK(d(1, 0) == Approx(1.0));  // |(-1,0)|
  CHECK(d(1, 1) == Approx(std::sqrt(5.0)));
  Matrix<TestType> zero = Matrix<TestType>::Zero(2, 1);
  CHECK_THROWS_AS(ev::cosine_similarity(zero, b), canon::value_error);
  CHECK_THROWS_AS(ev::cosine_similarity(Matrix<TestType>::Ones(3, 1), b), canon::shape_error);
}

TEST_CASE("chance MRR is H_n over n and matches simulation", "[eval]") {
  CHECK(ev::chance_mrr(1) == 1.0);
  CHECK(ev::chance_mrr(2) == 0.75);                     // (1 + 1/2)/2
  CHECK(ev::chance_mrr(3) == Approx(11.0 / 18.0));      // (1 + 1/2 + 1/3)/3
  CHECK(ev::chance_average_rank(10) == 5.5);
  // Random scores: the paired item's rank is uniform on 1..n.
  const Index n = 10, queries = 20000;
  canon::Rng rng(2024);
  Matrix<double> s(queries, n);
  canon::fill_uniform(s, rng, 0.0, 1.0);
  const auto ranks = ev::paired_ranks(s, std::vector<Index>(std::size_t(queries), 3));
  // E[1/rank] = H_10/10 = 0.29290; sd of 1/rank ~ 0.28, so the standard error is 0.002.
  CHECK(ev::mean_reciprocal_rank(ranks) == Approx(ev::chance_mrr(n)).margin(0.01));
  CHECK(ev::average_rank(ranks) == Approx(ev::chance_average_rank(n)).margin(0.1));
}

TEST_CASE("metrics agree with scikit-learn and SciPy on a random matrix", "[eval]") {
  // tests/fixtures/make_retrieval_fixture.py: continuous scores (no ties), so either tie
  // rule must reproduce the references.
  const auto f = canon_test::read_fixture("retrieval_reference.txt");
  auto ints = [](const Matrix<double>& m) {
    std::vector<Index> v(std::size_t(m.size()));
    for (Index i = 0; i < m.size(); ++i) v[std::size_t(i)] = Index(std::llround(m(i)));
    return v;
  };
  const Matrix<double> s = ev::cosine_similarity(f.at("a"), f.at("b"));
  CHECK(canon_test::relative_gap(s, f.at("scores")) < 1e-14);
  const auto pairs = ints(f.at("pairs")), qc = ints(f.at("query_classes")),
             cc = ints(f.at("candidate_classes"));
  for (auto ties : {ev::Ties::pessimistic, ev::Ties::optimistic}) {
    const auto ranks = ev::paired_ranks(s, pairs, ev::Score::similarity, ties);
    CHECK(ranks == ints(f.at("paired_ranks")));
    CHECK(ev::mean_reciprocal_rank(ranks) == Approx(f.at("mrr")(0)).epsilon(1e-14));
    CHECK(ev::class_ranks(s, qc, cc, ev::Score::similarity, ties) == ints(f.at("class_ranks")));
    const auto rel = ev::relevance_by_label(qc, cc);
    const auto ap = ev::average_precision(s, rel, ev::Score::similarity, ties);
    const auto p5 = ev::precision_at(s, rel, 5, ev::Score::similarity, ties);
    for (std::size_t q = 0; q < ap.size(); ++q) {
      CHECK(ap[q] == Approx(f.at("average_precision")(Index(q))).epsilon(1e-14));
      CHECK(p5[q] == Approx(f.at("precision_at_5")(Index(q))).epsilon(1e-14));
    }
  }
  // Euclidean distances of the same embeddings, checked against a direct loop here.
  const auto d = ev::euclidean_distance(f.at("a"), f.at("b"));
  CHECK(d(3, 4) == Approx((f.at("a").col(3) - f.at("b").col(4)).norm()).epsilon(1e-15));
}

TEST_CASE("group median aggregates segment scores to trials", "[eval]") {
  // Queries 0 1 2 in groups 0 0 1; candidates 0 1 2 in groups 1 0 0.
  Matrix<double> s(3, 3);
  s << 1, 2, 3,  //
      4, 5, 6,   //
      7, 8, 9;
  const auto m = ev::group_median(s, {0, 0, 1}, {1, 0, 0});
  REQUIRE(m.rows() == 2);
  REQUIRE(m.cols() == 2);
  CHECK(m(0, 0) == 4.0);  // {2 3 5 6}: (3 + 5)/2
  CHECK(m(0, 1) == 2.5);  // {1 4}
  CHECK(m(1, 0) == 8.5);  // {8 9}
  CHECK(m(1, 1) == 7.0);  // {7}
  CHECK_THROWS_AS(ev::group_median(s, {0, 2, 2}, {0, 0, 0}), canon::value_error);  // 1 empty
  CHECK_THROWS_AS(ev::group_median(s, {0, 0}, {0, 0, 0}), canon::shape_error);
}

TEST_CASE("the Avramidis authors' P@10 is AP over the top k normalised by its hits", "[eval]") {
  // One query, 12 candidates ranked in index order (scores decreasing).
  Matrix<double> scores(2, 12);
  for (Index c = 0; c < 12; ++c) scores(0, c) = scores(1, c) = 12.0 - double(c);
  ev::Relevance rel = ev::Relevance::Zero(2, 12);
  rel(0, 0) = 1;  // query 0: relevant at ranks 1 and 4, and at 11 (outside the top 10)
  rel(0, 3) = 1;
  rel(0, 10) = 1;
  rel(1, 11) = 1;  // query 1: nothing relevant in the top 10
  const auto ap = ev::hit_normalised_average_precision_at(scores, rel, 10);
  CHECK(ap[0] == Approx((1.0 / 1.0 + 2.0 / 4.0) / 2.0));  // h_10 = 2, not R = 3
  CHECK(ap[1] == 0.0);
  const auto p = ev::precision_at(scores, rel, 10);
  CHECK(p[0] == Approx(0.2));  // the true P@10 of the same ranking
  const auto full = ev::average_precision(scores, rel);
  CHECK(full[0] == Approx((1.0 + 2.0 / 4.0 + 3.0 / 11.0) / 3.0));
  CHECK_THROWS_WITH(ev::hit_normalised_average_precision_at(scores, rel, 13), Catch::Contains("[1, 12]"));
}

TEST_CASE("chance class MRR: the mean of the first-relevant chance over items", "[eval]") {
  // Classes {0, 0, 1}: two items of a class of 2 among 3, one item alone in its class.
  const double expected = (2 * ev::chance_first_relevant_rr(3, 2) + ev::chance_mrr(3)) / 3;
  CHECK(ev::chance_class_mrr({0, 0, 1}) == Approx(expected));
  CHECK(ev::chance_class_mrr({4, 4, 4, 4}) == 1.0);             // every candidate is relevant
  CHECK(ev::chance_class_mrr({1, 2, 3}) == Approx(ev::chance_mrr(3)));  // instance MRR
  CHECK_THROWS_AS(ev::chance_class_mrr({}), canon::value_error);
}
