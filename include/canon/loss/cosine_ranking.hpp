// canon/loss/cosine_ranking.hpp — EMER-CL's Cos-Loss: the ranking loss of
// gaussian_kl_ranking.hpp with points instead of Gaussians and psi the negative cosine
// similarity (Takashima et al., Section IV-D; the point-embedding ranking of Wang et al.).
//
// With S_ij = cos(x_i, y_j) for music points x_i and emotion points y_j (columns),
//
//   L = sum_n sum_{n' != n} [ max(0, alpha - S_nn + S_nn')  +  max(0, alpha - S_nn + S_n'n) ]
//
// the first term with the music item as anchor, the second with the emotion item (the
// cosine is symmetric, so the emotion-anchored scores are S^T). Backward through the
// normalisation x^ = x / |x|:  dL/dx = (I - x^ x^^T) dL/dx^ / |x|,  dL/dX^ = Y^ G^T.
#pragma once

#include <cmath>

#include "canon/core/checks.hpp"
#include "canon/loss/gaussian_kl_ranking.hpp"
#include "canon/loss/gradients.hpp"

namespace canon::loss {

struct CosineRankingOptions {
  double margin = 0.3;  ///< alpha (the paper's tuned Cos-Loss value on DEAM)
  Reduction reduction = Reduction::sum;
};

template <class Scalar>
class CosineRanking {
  CANON_REQUIRE_SCALAR(Scalar);

 public:
  using scalar_type = Scalar;
  using Gradients = InputGradients<Scalar, 2>;

  explicit CosineRanking(CosineRankingOptions options = {}) : options_(options) {
    detail::require_margin(options.margin, "CosineRanking");
  }

  Scalar forward(const Matrix<Scalar>& music, const Matrix<Scalar>& emotion) {
    const char* where = "CosineRanking::forward";
    canon::detail::require_same_shape(music, emotion, where, "music points", "emotion points");
    canon::detail::require_batch(music, 2, where, "a ranking needs negatives: N >= 2");
    canon::detail::require_finite(music, where, "music points");
    canon::detail::require_finite(emotion, where, "emotion points");
    norm_x_ = music.colwise().norm();
    norm_y_ = emotion.colwise().norm();
    if (norm_x_.minCoeff() == Scalar(0) || norm_y_.minCoeff() == Scalar(0))
      throw value_error(canon::detail::message(where, ": a point of norm 0 has no cosine similarity"));
    x_hat_ = music.array().rowwise() / norm_x_.array();
    y_hat_ = emotion.array().rowwise() / norm_y_.array();
    // psi = -S: lower is closer, so the shared hinges take K = -S.
    negated_.noalias() = -(x_hat_.transpose() * y_hat_);
    const Scalar margin = Scalar(options_.margin);
    double total = detail::ranking_hinges(negated_, margin, false, g_rows_);
    transposed_ = negated_.transpose();
    total += detail::ranking_hinges(transposed_, margin, false, g_columns_);
    g_ = g_rows_ + g_columns_.transpose();  // dL/dK for K = -S
    const Index n = music.cols();
    scale_ = options_.reduction == Reduction::mean ? Scalar(1) / Scalar(2 * n * (n - 1)) : Scalar(1);
    ready_ = true;
    return Scalar(total) * scale_;
  }

  /// dL/d(music points), dL/d(emotion points).
  Gradients backward() {
    if (!ready_) throw error("CosineRanking::backward called before forward");
    // dL/dS = -scale G; dL/dX^ = Y^ (dL/dS)^T, dL/dY^ = X^ dL/dS.
    dx_.noalias() = -scale_ * (y_hat_ * g_.transpose());
    dy_.noalias() = -scale_ * (x_hat_ * g_);
    project(x_hat_, norm_x_, dx_);
    project(y_hat_, norm_y_, dy_);
    return {{&dx_, &dy_}};
  }

 private:
  // d <- (I - h h^T) d / |v| per column.
  static void project(const Matrix<Scalar>& hat, const RowVector<Scalar>& norm, Matrix<Scalar>& d) {
    const RowVector<Scalar> along = (hat.array() * d.array()).colwise().sum();
    d.array() -= hat.array().rowwise() * along.array();
    d.array().rowwise() /= norm.array();
  }

  CosineRankingOptions options_;
  RowVector<Scalar> norm_x_, norm_y_;
  Matrix<Scalar> x_hat_, y_hat_, negated_, transposed_, g_rows_, g_columns_, g_, dx_, dy_;
  Scalar scale_ = Scalar(1);
  bool ready_ = false;
};

}  // namespace canon::loss
