#include <canon/models/emer_cl/loss.hpp>

#include "canon_test.hpp"

using namespace canon;
using emer_cl::Objective;

namespace {

struct Batch {
  Matrix<double> z_m, mu_m, lv_m, z_e, mu_e, lv_e;
};

// Shared latent structure so the CCA part is informative; hinge arguments away from 0.
Batch make_batch(Index d, Index n, std::uint64_t seed) {
  Batch b;
  const Matrix<double> shared = canon_test::random_matrix(2, n, seed);
  b.z_m = canon_test::random_matrix(d, 2, seed + 1) * shared + 0.5 * canon_test::random_matrix(d, n, seed + 2);
  b.z_e = canon_test::random_matrix(d, 2, seed + 3) * shared + 0.5 * canon_test::random_matrix(d, n, seed + 4);
  b.mu_m = canon_test::random_matrix(d, n, seed + 5);
  b.mu_e = b.mu_m + 0.7 * canon_test::random_matrix(d, n, seed + 6);
  b.lv_m = 0.4 * canon_test::random_matrix(d, n, seed + 7);
  b.lv_e = 0.4 * canon_test::random_matrix(d, n, seed + 8);
  return b;
}

}  // namespace

TEST_CASE("emer_cl::CompositeLoss: every objective's six gradients match finite differences") {
  const Batch b = make_batch(3, 12, 1);
  for (auto objective : {Objective::composite, Objective::cca_only, Objective::kl_only,
                         Objective::cosine_only, Objective::composite_cosine}) {
    INFO(emer_cl::objective_name(objective));
    emer_cl::LossOptions options;
    options.objective = objective;
    options.lambda = 0.3;
    options.kl.margin = 2.5;
    emer_cl::CompositeLoss<double> loss(options);
    const auto report =
        testing::check_loss_input_gradients(loss, b.z_m, b.mu_m, b.lv_m, b.z_e, b.mu_e, b.lv_e);
    INFO(report.to_string());
    CHECK(report.worst() < 1e-6);
  }
}

TEST_CASE("emer_cl::CompositeLoss: lambda DCCA + (1 - lambda) KL, and each part alone") {
  const Batch b = make_batch(4, 20, 2);
  emer_cl::LossOptions options;
  options.lambda = 0.6;
  emer_cl::CompositeLoss<double> composite(options);
  const double value = composite.forward(b.z_m, b.mu_m, b.lv_m, b.z_e, b.mu_e, b.lv_e);
  loss::DeepCCA<double> dcca;
  loss::GaussianKLRanking<double> kl;
  const double cca = dcca.forward(b.z_m, b.z_e);
  const double ranking = kl.forward(b.mu_m, b.lv_m, b.mu_e, b.lv_e);
  CHECK(value == Approx(0.6 * cca + 0.4 * ranking).epsilon(1e-12));
  CHECK(composite.cca_part() == Approx(cca).epsilon(1e-12));
  CHECK(composite.ranking_part() == Approx(ranking).epsilon(1e-12));
  // Ablations read only their heads: the other gradients are exactly zero.
  options.objective = Objective::cosine_only;
  emer_cl::CompositeLoss<double> cosine(options);
  cosine.forward(b.z_m, b.mu_m, b.lv_m, b.z_e, b.mu_e, b.lv_e);
  const auto g = cosine.backward();
  CHECK(g[0].cwiseAbs().maxCoeff() == 0.0);
  CHECK(g[2].cwiseAbs().maxCoeff() == 0.0);
  CHECK(g[1].cwiseAbs().maxCoeff() > 0.0);
  options.objective = Objective::cca_only;
  emer_cl::CompositeLoss<double> cca_only(options);
  CHECK(cca_only.forward(b.z_m, b.mu_m, b.lv_m, b.z_e, b.mu_e, b.lv_e) == Approx(cca).epsilon(1e-12));
}

TEST_CASE("emer_cl::CompositeLoss: the paper's sizes are degenerate for Deep CCA, and it says so") {
  // D_cca = 1024 with a batch of 128 (scaled down here: 24 + 24 outputs, 32 pairs).
  const Batch b = make_batch(24, 32, 3);
  emer_cl::CompositeLoss<double> loss;
  loss.forward(b.z_m, b.mu_m, b.lv_m, b.z_e, b.mu_e, b.lv_e);
  CHECK_THAT(loss.warning(), Catch::Contains("degenerate"));
  emer_cl::LossOptions ey;
  ey.dcca.objective = loss::DccaObjective::eckart_young;
  emer_cl::CompositeLoss<double> unbiased(ey);
  unbiased.forward(b.z_m, b.mu_m, b.lv_m, b.z_e, b.mu_e, b.lv_e);
  CHECK(unbiased.warning().empty());
  emer_cl::LossOptions bad;
  bad.lambda = 1.5;
  CHECK_THROWS_WITH(emer_cl::CompositeLoss<double>(bad), Catch::Contains("lambda"));
}
