// canon/loss/gaussian_kl_ranking.hpp — EMER-CL's KL-divergence ranking loss
// (Takashima et al., Eqs. 4-7), both directions.
//
// Each music item n and emotion item n is a diagonal Gaussian, N^m_n = N(mu^m_n, v^m_n)
// and N^e_n (v = exp(log-variance)); pairs with the same index are positive, all others
// in the batch negative. With psi(x, y) = KL(x || y) (loss/gaussian_kl.hpp),
//
//   L = sum_n sum_{n' != n} [ max(0, alpha + psi(N^m_n, N^e_n) - psi(N^m_n, N^e_n'))
//                           + max(0, alpha + psi(N^e_n, N^m_n) - psi(N^e_n, N^m_n')) ]
//
// Each term is zero when every negative lies farther from the anchor than the positive
// by more than alpha, as the paper's text says (its extracted Eq. 6 lost the signs).
// Argument order: the anchor is the first argument of KL, the paper's order in Eqs. 4-5
// (psi(N^m_n, .) with the music item as anchor): KL(anchor || candidate) asks how well
// the candidate's Gaussian covers the anchor's. KL is not symmetric, which is why the two
// directions are separate terms with separate positive distances.
//
// KlRankingVariant::authors_code reproduces the authors' released TensorFlow code, which
// differs in three ways: each term fixes the *second* KL argument and varies the first
// (max(0, alpha + KL(m_i||e_i) - KL(m_j||e_i)) and the same with m and e swapped), the
// variances are exp(l) + 1e-6, and it adds 1e-3 N sum_i (KL(m_i||e_i) + KL(e_i||m_i)).
//
// Reduction: the sum over all terms (the paper's and the code's); mean divides by the
// number of hinge terms, 2 N (N - 1), which keeps alpha's meaning across batch sizes.
// Inputs are D x N: music means, music log-variances, emotion means, emotion
// log-variances; backward returns the four gradients (loss/gradients.hpp).
#pragma once

#include <array>
#include <cmath>

#include "canon/core/checks.hpp"
#include "canon/loss/gaussian_kl.hpp"
#include "canon/loss/gradients.hpp"

namespace canon::loss {

enum class KlRankingVariant { paper, authors_code };
enum class Reduction { sum, mean };

struct KlRankingOptions {
  double margin = 1.0;  ///< alpha (EMER-CL defaults: 1.0; PMEmo preset 2.0)
  Reduction reduction = Reduction::sum;
  KlRankingVariant variant = KlRankingVariant::paper;
};

namespace detail {

/// A ranking margin alpha must be a finite positive number.
inline void require_margin(double margin, const char* where) {
  if (!(std::isfinite(margin) && margin > 0.0))
    throw value_error(canon::detail::message(where, ": margin (alpha) must be finite and > 0, got ", margin));
}

/// Hinge terms of a ranking over a batch of scores K (N x N, K_ii the positives), lower
/// is closer: row-anchored (anchor i, candidates j in row i) or column-anchored (anchor
/// i fixed as the column, candidates j down column i). Returns the loss and writes
/// G = dL/dK (each active hinge: +1 on its positive, -1 on its negative).
template <class Real>
double ranking_hinges(const Matrix<Real>& k, Real margin, bool by_column, Matrix<Real>& g) {
  const Index n = k.rows();
  g.setZero(n, n);
  double total = 0;
  for (Index i = 0; i < n; ++i)
    for (Index j = 0; j < n; ++j) {
      if (j == i) continue;
      const Real negative = by_column ? k(j, i) : k(i, j);
      const Real h = margin + k(i, i) - negative;
      if (h > Real(0)) {
        total += double(h);
        g(i, i) += Real(1);
        (by_column ? g(j, i) : g(i, j)) -= Real(1);
      }
    }
  return total;
}

}  // namespace detail

template <class Scalar>
class GaussianKLRanking {
  CANON_REQUIRE_SCALAR(Scalar);

 public:
  using scalar_type = Scalar;
  using Gradients = InputGradients<Scalar, 4>;

  explicit GaussianKLRanking(KlRankingOptions options = {}) : options_(options) {
    detail::require_margin(options.margin, "GaussianKLRanking");
  }

  const KlRankingOptions& options() const { return options_; }

  Scalar forward(const Matrix<Scalar>& music_mean, const Matrix<Scalar>& music_log_variance,
                 const Matrix<Scalar>& emotion_mean, const Matrix<Scalar>& emotion_log_variance) {
    const char* where = "GaussianKLRanking::forward";
    canon::detail::require_same_shape(music_mean, emotion_mean, where, "music means", "emotion means");
    canon::detail::require_batch(music_mean, 2, where, "a ranking needs negatives: N >= 2");
    for (const auto* m : {&music_mean, &music_log_variance, &emotion_mean, &emotion_log_variance})
      canon::detail::require_finite(*m, where, "input");
    const bool code = options_.variant == KlRankingVariant::authors_code;
    const Scalar eps = code ? Scalar(1e-6) : Scalar(0);
    const Scalar margin = Scalar(options_.margin);
    const Index n = music_mean.cols();
    // K_me(i, j) = KL(m_i || e_j) and K_em(i, j) = KL(e_i || m_j).
    const Matrix<Scalar>& k_me = me_.forward(music_mean, music_log_variance, emotion_mean,
                                             emotion_log_variance, eps);
    const Matrix<Scalar>& k_em = em_.forward(emotion_mean, emotion_log_variance, music_mean,
                                             music_log_variance, eps);
    double total = detail::ranking_hinges(k_me, margin, code, g_me_) +
                   detail::ranking_hinges(k_em, margin, code, g_em_);
    if (code) {  // 1e-3 N sum_i (K_me(i,i) + K_em(i,i)) added to every one of N columns
      const Scalar weight = Scalar(1e-3) * Scalar(n);
      total += double(weight) * double(k_me.diagonal().sum() + k_em.diagonal().sum());
      g_me_.diagonal().array() += weight;
      g_em_.diagonal().array() += weight;
    }
    dimension_ = music_mean.rows();
    batch_ = n;
    scale_ = options_.reduction == Reduction::mean ? Scalar(1) / Scalar(2 * n * (n - 1)) : Scalar(1);
    ready_ = true;
    return Scalar(total) * scale_;
  }

  /// dL/d(music mean), dL/d(music log-variance), dL/d(emotion mean), dL/d(emotion
  /// log-variance) for the last forward.
  Gradients backward() {
    if (!ready_) throw error("GaussianKLRanking::backward called before forward");
    const std::array<Matrix<Scalar>*, 4> grads = {&d_music_mean_, &d_music_log_variance_,
                                                  &d_emotion_mean_, &d_emotion_log_variance_};
    for (auto* g : grads) g->setZero(dimension_, batch_);
    me_.backward_add(g_me_, d_music_mean_, d_music_log_variance_, d_emotion_mean_,
                     d_emotion_log_variance_);
    em_.backward_add(g_em_, d_emotion_mean_, d_emotion_log_variance_, d_music_mean_,
                     d_music_log_variance_);
    if (scale_ != Scalar(1))
      for (auto* g : grads) *g *= scale_;
    return {{grads[0], grads[1], grads[2], grads[3]}};
  }

  /// KL(m_i || e_j) and KL(e_i || m_j) of the last batch (N x N).
  const Matrix<Scalar>& music_to_emotion_kl() const { return me_.value(); }
  const Matrix<Scalar>& emotion_to_music_kl() const { return em_.value(); }

 private:
  KlRankingOptions options_;
  PairwiseGaussianKL<Scalar> me_, em_;
  Matrix<Scalar> g_me_, g_em_;
  Matrix<Scalar> d_music_mean_, d_music_log_variance_, d_emotion_mean_, d_emotion_log_variance_;
  Scalar scale_ = Scalar(1);
  Index dimension_ = 0, batch_ = 0;
  bool ready_ = false;
};

}  // namespace canon::loss
