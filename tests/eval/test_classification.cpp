// Accuracy, majority vote and regression scores against hand-computed values, and the
// regression scores against scikit-learn and scipy.
#include <canon/eval/classification.hpp>
#include <catch2/catch.hpp>
#include <cmath>

#include "canon_test.hpp"

using canon::Index;
namespace ev = canon::eval;

TEST_CASE("segment and trial accuracy with majority vote", "[eval]") {
  const std::vector<Index> pred{1, 1, 0, 0, 1, 1}, truth{1, 1, 1, 1, 1, 0}, trial{0, 0, 0, 1, 1, 2};
  // Segments agree at positions 0, 1, 4: 3 of 6.
  CHECK(ev::accuracy(pred, truth) == 0.5);
  // Votes: trial 0 -> 1 (two against one); trial 1 -> tie 0/1 -> smallest label 0; trial 2 -> 1.
  const auto vote = ev::majority_vote(pred, trial);
  CHECK(vote.at(0) == 1);
  CHECK(vote.at(1) == 0);
  CHECK(vote.at(2) == 1);
  // Trial labels 1, 1, 0: only trial 0 is right.
  CHECK(ev::trial_accuracy(pred, truth, trial) == Approx(1.0 / 3.0));
  CHECK_THROWS_AS(ev::trial_accuracy(pred, {1, 0, 1, 1, 1, 0}, trial), canon::value_error);
  CHECK_THROWS_AS(ev::accuracy(pred, {1}), canon::shape_error);
  CHECK_THROWS_AS(ev::accuracy({}, {}), canon::value_error);
}

TEST_CASE("RMSE R squared and Pearson r", "[eval]") {
  Eigen::VectorXd p(3), y(3);
  p << 1, 2, 3;
  y << 1, 2, 4;
  CHECK(ev::rmse(p, y) == Approx(std::sqrt(1.0 / 3.0)).epsilon(1e-15));
  // mean y = 7/3; SS_tot = 16/9 + 1/9 + 25/9 = 14/3; SS_res = 1 -> R^2 = 1 - 3/14.
  CHECK(ev::r_squared(p, y) == Approx(11.0 / 14.0).epsilon(1e-15));
  // centred x: -1 0 1; centred y: -4/3 -1/3 5/3; sxy = 3, sxx = 2, syy = 14/3.
  CHECK(ev::pearson(p, y) == Approx(3.0 / std::sqrt(28.0 / 3.0)).epsilon(1e-15));
  Eigen::VectorXf pf = p.cast<float>(), yf = y.cast<float>();
  CHECK(ev::pearson(pf, yf) == Approx(3.0 / std::sqrt(28.0 / 3.0)).epsilon(1e-6));
  CHECK(ev::pearson(p, Eigen::VectorXd(-y)) == Approx(-3.0 / std::sqrt(28.0 / 3.0)));
  CHECK_THROWS_AS(ev::pearson(p, Eigen::VectorXd::Ones(3)), canon::value_error);
  CHECK_THROWS_AS(ev::r_squared(p, Eigen::VectorXd::Ones(3)), canon::value_error);
  CHECK_THROWS_AS(ev::rmse(p, Eigen::VectorXd::Ones(2)), canon::shape_error);
}

// tests/fixtures/make_svr_fixture.py: sklearn.metrics.r2_score, mean_squared_error, scipy.stats.pearsonr.
TEST_CASE("R squared, RMSE and Pearson r agree with scikit-learn and scipy", "[eval]") {
  const auto f = canon_test::read_fixture("svr_reference.txt");
  const canon::Matrix<double>& truth = f.at("metric_truth");
  const canon::Matrix<double>& predicted = f.at("metric_predicted");
  CHECK(ev::r_squared(predicted, truth) == Approx(f.at("r2")(0, 0)).epsilon(1e-13));
  CHECK(ev::rmse(predicted, truth) == Approx(f.at("rmse")(0, 0)).epsilon(1e-13));
  CHECK(ev::pearson(predicted, truth) == Approx(f.at("pearson")(0, 0)).epsilon(1e-13));
}
