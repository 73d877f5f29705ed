// canon/models/emer_cl/retrieval.hpp — from a trained EMER-CL model to M2E and E2M
// retrieval (Takashima et al., Section III-C and IV-B).
//
//   fit:      eval-mode head outputs of the training pairs; linear CCA on (z_m, z_e)
//             gives the correlation-based embeddings phi = W^T (z - mean); per-dimension
//             correlations and lines on the training phi (similarity.hpp)
//   evaluate: for every test music query, the test emotions ranked by
//             lambda rho_sim + (1 - lambda)(-KL(N_query || N_candidate)) (M2E), and the
//             same from every emotion query (E2M); the paired item's rank gives
//             MRR = mean 1/rank and AR = mean rank
#pragma once

#include "canon/cca/linear_cca.hpp"
#include "canon/eval/retrieval.hpp"
#include "canon/models/emer_cl/data.hpp"
#include "canon/models/emer_cl/model.hpp"
#include "canon/models/emer_cl/similarity.hpp"

namespace canon::emer_cl {

struct RetrievalOptions {
  double threshold = 0.4;      ///< P: dimensions with training correlation below it are ignored
  double lambda = 0.5;         ///< weight of rho_sim against -KL (the loss's lambda in the paper)
  double cca_ridge = 1e-3;     ///< of the linear CCA on z
};

struct RetrievalScores {
  double m2e_mrr = 0, m2e_ar = 0, e2m_mrr = 0, e2m_ar = 0;
  Index pairs = 0;
};

/// What a modality's songs become: phi (correlation-based), mean and log-variance.
template <class Scalar>
struct Embedding {
  Matrix<Scalar> phi, mean, log_variance;
};

template <class Scalar>
class Retriever {
  CANON_REQUIRE_SCALAR(Scalar);

 public:
  explicit Retriever(RetrievalOptions options = {}) : options_(options) {
    canon::detail::require_in_range(options.lambda, 0.0, 1.0, "emer_cl::Retriever", "lambda");
    canon::detail::require_in_range(options.threshold, -1.0, 1.0, "emer_cl::Retriever", "threshold");
  }

  const RetrievalOptions& options() const { return options_; }

  void fit(Model<Scalar>& model, const PairSet<Scalar>& training) {
    training.validate("emer_cl::Retriever::fit");
    const auto m = model.forward_music(training.music, training.music_lengths, Mode::eval);
    const Matrix<Scalar> z_m = m.z;
    const auto e = model.forward_emotion(training.emotion, training.emotion_lengths, Mode::eval);
    cca::LinearCcaOptions o;
    o.ridge1 = o.ridge2 = options_.cca_ridge;
    cca_ = cca::LinearCCA<Scalar>(o);
    cca_.fit(z_m, e.z);
    correlation_.fit(cca_.transform_first(z_m), cca_.transform_second(e.z));
  }

  bool fitted() const { return cca_.fitted(); }
  const Vector<double>& canonical_correlations() const { return cca_.correlations(); }
  const CorrelationSimilarity<Scalar>& correlation() const { return correlation_; }

  Embedding<Scalar> embed_music(Model<Scalar>& model, const PairSet<Scalar>& data) {
    require_fitted();
    const auto m = model.forward_music(data.music, data.music_lengths, Mode::eval);
    return {cca_.transform_first(m.z), m.mean, m.log_variance};
  }
  Embedding<Scalar> embed_emotion(Model<Scalar>& model, const PairSet<Scalar>& data) {
    require_fitted();
    const auto e = model.forward_emotion(data.emotion, data.emotion_lengths, Mode::eval);
    return {cca_.transform_second(e.z), e.mean, e.log_variance};
  }

  /// Queries x candidates similarity (larger is better).
  Matrix<Scalar> similarity(const Embedding<Scalar>& queries, const Embedding<Scalar>& candidates,
                            Direction direction) const {
    return retrieval_similarity(correlation_, queries.phi, queries.mean, queries.log_variance,
                                candidates.phi, candidates.mean, candidates.log_variance, direction,
                                options_.threshold, options_.lambda);
  }

  /// M2E and E2M over the pairs of `test` (each song's own pair is the relevant item).
  RetrievalScores evaluate(Model<Scalar>& model, const PairSet<Scalar>& test) {
    test.validate("emer_cl::Retriever::evaluate");
    const Embedding<Scalar> music = embed_music(model, test);
    const Embedding<Scalar> emotion = embed_emotion(model, test);
    RetrievalScores s;
    s.pairs = test.size();
    const auto m2e = eval::paired_ranks(similarity(music, emotion, Direction::music_to_emotion));
    const auto e2m = eval::paired_ranks(similarity(emotion, music, Direction::emotion_to_music));
    s.m2e_mrr = eval::mean_reciprocal_rank(m2e);
    s.m2e_ar = eval::average_rank(m2e);
    s.e2m_mrr = eval::mean_reciprocal_rank(e2m);
    s.e2m_ar = eval::average_rank(e2m);
    return s;
  }

 private:
  void require_fitted() const {
    if (!fitted()) throw error("emer_cl::Retriever: embed or evaluate called before fit");
  }

  RetrievalOptions options_;
  cca::LinearCCA<Scalar> cca_;
  CorrelationSimilarity<Scalar> correlation_;
};

/// MRR and AR of random rankings of n candidates (chance): E[1/rank] = H_n / n, E[rank] = (n + 1) / 2.
inline RetrievalScores chance_scores(Index n) {
  double harmonic = 0;
  for (Index k = 1; k <= n; ++k) harmonic += 1.0 / double(k);
  RetrievalScores s;
  s.pairs = n;
  s.m2e_mrr = s.e2m_mrr = harmonic / double(n);
  s.m2e_ar = s.e2m_ar = double(n + 1) / 2.0;
  return s;
}

}  // namespace canon::emer_cl
