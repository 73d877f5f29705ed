// canon/models/emer_cl/similarity.hpp — EMER-CL's retrieval similarity (Takashima et al.,
// Section III-C, Eq. 8).
//
// After training, linear CCA on the z outputs gives correlation-based embeddings phi.
// On the training pairs, every dimension d gets its correlation rho_d between the music
// and the emotion embeddings and two least-squares lines, g_d from music to emotion and
// h_d from emotion to music (CCA makes each dimension's pairs as linearly aligned as the
// data allow, so a line per dimension is the natural predictor). For a music query q and
// an emotion candidate j (M2E):
//
//   rho_sim(q, j) = sum_{d : rho_d >= P}  -rho_d | g_d(phi^m_q,d) - phi^e_j,d |     (Eq. 8)
//   sim(q, j)     = lambda rho_sim(q, j) + (1 - lambda) (-KL(N^m_q || N^e_j))
//
// and E2M the same with h_d and KL(N^e_q || N^m_j): the query's Gaussian is the first
// argument, as the anchor is in the training loss (loss/gaussian_kl_ranking.hpp). A
// dimension with rho_d < P counts not at all; above P its weight grows with rho_d.
#pragma once

#include <vector>

#include "canon/core/checks.hpp"
#include "canon/loss/gaussian_kl.hpp"

namespace canon::emer_cl {

enum class Direction { music_to_emotion, emotion_to_music };

/// Per-dimension correlations and least-squares lines of paired training embeddings.
template <class Scalar>
class CorrelationSimilarity {
  CANON_REQUIRE_SCALAR(Scalar);

 public:
  /// phi_music, phi_emotion: D x N embeddings of N training pairs (N >= 3).
  void fit(const Matrix<Scalar>& phi_music, const Matrix<Scalar>& phi_emotion) {
    const char* where = "emer_cl::CorrelationSimilarity::fit";
    canon::detail::require_same_shape(phi_music, phi_emotion, where, "music embeddings",
                                      "emotion embeddings");
    canon::detail::require_batch(phi_music, 3, where, "a correlation and a line per dimension");
    canon::detail::require_finite(phi_music, where, "music embeddings");
    canon::detail::require_finite(phi_emotion, where, "emotion embeddings");
    const Index d = phi_music.rows();
    rho_.resize(d);
    slope_me_.resize(d);
    intercept_me_.resize(d);
    slope_em_.resize(d);
    intercept_em_.resize(d);
    for (Index k = 0; k < d; ++k) {
      const Vector<double> x = phi_music.row(k).transpose().template cast<double>();
      const Vector<double> y = phi_emotion.row(k).transpose().template cast<double>();
      const double mx = x.mean(), my = y.mean();
      const double sxx = (x.array() - mx).square().sum(), syy = (y.array() - my).square().sum();
      const double sxy = ((x.array() - mx) * (y.array() - my)).sum();
      if (!(sxx > 0) || !(syy > 0))
        throw value_error(canon::detail::message(where, ": dimension ", k,
                                                 " is constant in the training embeddings; "
                                                 "no line or correlation can be fitted"));
      rho_(k) = sxy / std::sqrt(sxx * syy);
      slope_me_(k) = sxy / sxx;  // emotion ~ intercept + slope * music
      intercept_me_(k) = my - slope_me_(k) * mx;
      slope_em_(k) = sxy / syy;
      intercept_em_(k) = mx - slope_em_(k) * my;
    }
  }

  bool fitted() const { return rho_.size() > 0; }
  /// rho_d of every dimension (training correlations).
  const Vector<double>& correlations() const { return rho_; }

  /// rho_sim of every query (columns of `queries`) with every candidate: Q x C.
  Matrix<Scalar> rho_sim(const Matrix<Scalar>& queries, const Matrix<Scalar>& candidates,
                         Direction direction, double threshold) const {
    const char* where = "emer_cl::CorrelationSimilarity::rho_sim";
    if (!fitted()) throw error(canon::detail::message(where, ": called before fit"));
    canon::detail::require_rows(queries, rho_.size(), where, "queries");
    canon::detail::require_rows(candidates, rho_.size(), where, "candidates");
    canon::detail::require_in_range(threshold, -1.0, 1.0, where, "threshold P");
    const bool m2e = direction == Direction::music_to_emotion;
    const Vector<double>& slope = m2e ? slope_me_ : slope_em_;
    const Vector<double>& intercept = m2e ? intercept_me_ : intercept_em_;
    Matrix<Scalar> s = Matrix<Scalar>::Zero(queries.cols(), candidates.cols());
    for (Index k = 0; k < rho_.size(); ++k) {
      if (rho_(k) < threshold) continue;
      const RowVector<Scalar> predicted =
          (Scalar(intercept(k)) + Scalar(slope(k)) * queries.row(k).array()).matrix();
      // s(q, j) -= rho_d | g_d(q) - c_j |
      s.array() -= Scalar(rho_(k)) *
                   (predicted.transpose().replicate(1, candidates.cols()).array() -
                    candidates.row(k).replicate(queries.cols(), 1).array())
                       .abs();
    }
    return s;
  }

 private:
  Vector<double> rho_, slope_me_, intercept_me_, slope_em_, intercept_em_;
};

/// sim = lambda rho_sim + (1 - lambda) (-KL(query || candidate)): Q x C, larger is better.
template <class Scalar>
Matrix<Scalar> retrieval_similarity(const CorrelationSimilarity<Scalar>& correlation,
                                    const Matrix<Scalar>& query_phi, const Matrix<Scalar>& query_mean,
                                    const Matrix<Scalar>& query_log_variance,
                                    const Matrix<Scalar>& candidate_phi,
                                    const Matrix<Scalar>& candidate_mean,
                                    const Matrix<Scalar>& candidate_log_variance, Direction direction,
                                    double threshold, double lambda) {
  canon::detail::require_in_range(lambda, 0.0, 1.0, "emer_cl::retrieval_similarity", "lambda");
  Matrix<Scalar> s = Matrix<Scalar>::Zero(query_phi.cols(), candidate_phi.cols());
  if (lambda > 0)
    s = Scalar(lambda) * correlation.rho_sim(query_phi, candidate_phi, direction, threshold);
  if (lambda < 1) {
    loss::PairwiseGaussianKL<Scalar> kl;
    s -= Scalar(1 - lambda) *
         kl.forward(query_mean, query_log_variance, candidate_mean, candidate_log_variance);
  }
  return s;
}

}  // namespace canon::emer_cl
