// canon/models/emer_cl/loss.hpp — EMER-CL's composite loss and its ablations
// (Takashima et al., Eq. 1 and Section IV-D):
//
//   Composite     CL = lambda DCCA(z_m, z_e) + (1 - lambda) KL-ranking(N_m, N_e)
//   CCA-Loss      DCCA(z_m, z_e)
//   KL-Loss       KL-ranking(N_m, N_e)
//   Cos-Loss      cosine ranking of points (the mean heads serve as the points)
//   Composite-C   lambda DCCA(z_m, z_e) + (1 - lambda) Cos-Loss
//
// Each modality has three heads: z (the CCA space), the mean and the log-variance of a
// diagonal Gaussian. forward takes all six outputs (D x N each, one column per pair) and
// backward returns six gradients in that order; a head that an ablation does not read
// gets a zero gradient, so one model and one training task serve every row of the
// paper's Table 1.
#pragma once

#include <string>

#include "canon/loss/cosine_ranking.hpp"
#include "canon/loss/dcca.hpp"
#include "canon/loss/gaussian_kl_ranking.hpp"
#include "canon/loss/gradients.hpp"

namespace canon::emer_cl {

enum class Objective { composite, cca_only, kl_only, cosine_only, composite_cosine };

inline const char* objective_name(Objective o) {
  switch (o) {
    case Objective::composite: return "Composite";
    case Objective::cca_only: return "CCA-Loss";
    case Objective::kl_only: return "KL-Loss";
    case Objective::cosine_only: return "Cos-Loss";
    case Objective::composite_cosine: return "Composite-C";
  }
  return "?";
}

struct LossOptions {
  Objective objective = Objective::composite;
  double lambda = 0.5;           ///< weight of the CCA part (defaults (P, alpha, lambda) = (0.4, 1.0, 0.5))
  loss::DccaOptions dcca;        ///< trace norm; eckart_young for unbiased mini-batch gradients
  loss::KlRankingOptions kl;     ///< margin alpha = 1.0, sum over terms
  loss::CosineRankingOptions cosine;
};

template <class Scalar>
class CompositeLoss {
  CANON_REQUIRE_SCALAR(Scalar);

 public:
  using scalar_type = Scalar;
  using Gradients = loss::InputGradients<Scalar, 6>;

  explicit CompositeLoss(LossOptions options = {})
      : options_(options), dcca_(options.dcca), kl_(options.kl), cosine_(options.cosine) {
    canon::detail::require_in_range(options.lambda, 0.0, 1.0, "emer_cl::CompositeLoss", "lambda");
  }

  const LossOptions& options() const { return options_; }

  /// The loss of one batch of pairs: z, mean and log-variance of music, then of emotion.
  Scalar forward(const Matrix<Scalar>& z_music, const Matrix<Scalar>& mean_music,
                 const Matrix<Scalar>& log_variance_music, const Matrix<Scalar>& z_emotion,
                 const Matrix<Scalar>& mean_emotion, const Matrix<Scalar>& log_variance_emotion) {
    shapes_ = {&z_music, &mean_music, &log_variance_music, &z_emotion, &mean_emotion,
               &log_variance_emotion};
    const double lambda = uses_cca() && uses_ranking() ? options_.lambda : 1.0;
    double total = 0;
    cca_value_ = ranking_value_ = 0;
    if (uses_cca()) {
      cca_value_ = double(dcca_.forward(z_music, z_emotion));
      total += lambda * cca_value_;
    }
    if (uses_kl()) {
      ranking_value_ = double(kl_.forward(mean_music, log_variance_music, mean_emotion, log_variance_emotion));
    } else if (uses_cosine()) {
      ranking_value_ = double(cosine_.forward(mean_music, mean_emotion));
    }
    if (uses_ranking()) total += (uses_cca() ? 1.0 - lambda : 1.0) * ranking_value_;
    ready_ = true;
    return Scalar(total);
  }

  Gradients backward() {
    if (!ready_) throw error("emer_cl::CompositeLoss::backward called before forward");
    for (std::size_t i = 0; i < 6; ++i) grads_[i].setZero(shapes_[i]->rows(), shapes_[i]->cols());
    const bool both = uses_cca() && uses_ranking();
    const Scalar cca_weight = Scalar(both ? options_.lambda : 1.0);
    const Scalar ranking_weight = Scalar(both ? 1.0 - options_.lambda : 1.0);
    if (uses_cca()) {
      const auto g = dcca_.backward();
      grads_[0] = cca_weight * g[0];
      grads_[3] = cca_weight * g[1];
    }
    if (uses_kl()) {
      const auto g = kl_.backward();
      grads_[1] = ranking_weight * g[0];
      grads_[2] = ranking_weight * g[1];
      grads_[4] = ranking_weight * g[2];
      grads_[5] = ranking_weight * g[3];
    } else if (uses_cosine()) {
      const auto g = cosine_.backward();
      grads_[1] = ranking_weight * g[0];
      grads_[4] = ranking_weight * g[1];
    }
    return {{&grads_[0], &grads_[1], &grads_[2], &grads_[3], &grads_[4], &grads_[5]}};
  }

  /// The two parts of the last batch's loss (unweighted; 0 when unused).
  double cca_part() const { return cca_value_; }
  double ranking_part() const { return ranking_value_; }
  /// Deep CCA's report on the last batch (a degenerate batch: o1 + o2 >= m).
  const std::string& warning() const { return dcca_.warning(); }

  bool uses_cca() const {
    return options_.objective == Objective::composite || options_.objective == Objective::cca_only ||
           options_.objective == Objective::composite_cosine;
  }
  bool uses_kl() const {
    return options_.objective == Objective::composite || options_.objective == Objective::kl_only;
  }
  bool uses_cosine() const {
    return options_.objective == Objective::cosine_only ||
           options_.objective == Objective::composite_cosine;
  }
  bool uses_ranking() const { return uses_kl() || uses_cosine(); }

 private:
  LossOptions options_;
  loss::DeepCCA<Scalar> dcca_;
  loss::GaussianKLRanking<Scalar> kl_;
  loss::CosineRanking<Scalar> cosine_;
  std::array<const Matrix<Scalar>*, 6> shapes_{};
  std::array<Matrix<Scalar>, 6> grads_;
  double cca_value_ = 0, ranking_value_ = 0;
  bool ready_ = false;
};

}  // namespace canon::emer_cl
