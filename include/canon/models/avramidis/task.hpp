// canon/models/avramidis/task.hpp — the joint objective of Avramidis et al. 2022 (Eq. 1-3)
// as a task of the generic loop (train/loop.hpp):
//
//   J = l1 (l11 l_eeg + l12 l_music) + l2 l_dd
//
// l_eeg and l_music: binary cross-entropy of the shared classifier's logits against the
// segment's label, each with balanced class weights from the *training* labels of its
// modality (w_c = n / (2 n_c)); l_dd: unweighted BCE of the discriminator's logits
// against the modality (EEG 1, music 0; its two classes are always equally many). The
// authors' preset (train.py calc_multiloss) is l1 = 0.9, l11 = 0.6, l12 = 0.4, l2 = 0.1.
//
// The ablations of the paper are presets of the same weights: `eeg_only` (the paper's
// "l_a only": l12 = l2 = 0, no music reaches the model) and `no_domain` (l2 = 0). A
// zero weight skips its forward work: the music net is not run when l12 = l2 = 0, the
// discriminator not when l2 = 0.
//
// Training batches send their first floor(m / 2) pairs to the discriminator (see
// model.hpp); validation sends all of them, for a less noisy early-stopping signal.
// The reversal follows train::BatchPosition::progress() (constant, or Ganin's schedule).
//
// Class weights: the authors recompute weights per batch with a 0.75 factor on the
// minority class and none on validation; canon uses the training fold's balanced
// weights for both, so early stopping watches the objective that is trained.
#pragma once

#include <cmath>
#include <vector>

#include "canon/loss/bce.hpp"
#include "canon/models/avramidis/model.hpp"
#include "canon/train/loop.hpp"

namespace canon::avramidis {

struct LossWeights {
  double l1 = 0.9, l11 = 0.6, l12 = 0.4, l2 = 0.1;

  static LossWeights authors() { return {}; }
  static LossWeights eeg_only() { return {1.0, 1.0, 0.0, 0.0}; }
  static LossWeights no_domain() { return {1.0, 0.6, 0.4, 0.0}; }

  bool uses_music() const { return l12 != 0.0 || l2 != 0.0; }
  bool uses_domain() const { return l2 != 0.0; }
};

/// What early stopping watches on the validation set. The paper (and the authors' code)
/// stop on J itself. The music net overfits its 22 or so training tracks within a few
/// epochs, and its rising validation loss then ends the run before the EEG branch has
/// learnt (on the demo's data the best epoch by J came 2-3 times earlier than the EEG
/// loss's); `eeg_loss` stops on l_eeg alone, the quantity the EEG classifier is judged by.
enum class StopOn { joint_loss, eeg_loss };

/// Paired segments: column j of eeg (channels * features) and of music (embedding) is one
/// aligned 3 s pair; labels 1 x n of 0/1 per modality.
template <class Scalar>
struct PairedBatch {
  const Matrix<Scalar>* eeg = nullptr;
  const Matrix<Scalar>* music = nullptr;
  const Matrix<Scalar>* eeg_labels = nullptr;
  const Matrix<Scalar>* music_labels = nullptr;
  Index size() const { return eeg == nullptr ? 0 : eeg->cols(); }
};

/// The parts of J on one batch (unweighted means), and J itself.
struct JointLoss {
  double eeg = 0, music = 0, domain = 0, total = 0;
};

namespace detail {

inline void require_weights(const LossWeights& w, const char* where) {
  for (double v : {w.l1, w.l11, w.l12, w.l2})
    if (!(std::isfinite(v) && v >= 0.0))
      throw value_error(canon::detail::message(where, ": loss weights must be finite and >= 0, got l1 = ", w.l1,
                                               ", l11 = ", w.l11, ", l12 = ", w.l12, ", l2 = ", w.l2));
  if (w.l1 * (w.l11 + w.l12) + w.l2 == 0.0)
    throw value_error(canon::detail::message(where, ": every loss weight is zero; nothing would be trained"));
}

template <class Scalar>
void require_pairs(const PairedBatch<Scalar>& b, Index eeg_rows, Index music_rows, const char* where,
                   const char* which) {
  if (b.eeg == nullptr || b.music == nullptr || b.eeg_labels == nullptr || b.music_labels == nullptr)
    throw value_error(canon::detail::message(where, ": the ", which, " set is missing a matrix"));
  const Index n = b.eeg->cols();
  canon::detail::require_shape(*b.eeg, eeg_rows, n, where, "EEG segments (channels * features x n)");
  canon::detail::require_shape(*b.music, music_rows, n, where, "music embeddings (embedding x n)");
  canon::detail::require_shape(*b.eeg_labels, 1, n, where, "EEG labels (1 x n)");
  canon::detail::require_shape(*b.music_labels, 1, n, where, "music labels (1 x n)");
  canon::detail::require_finite(*b.eeg, where, "EEG segments");
  canon::detail::require_finite(*b.music, where, "music embeddings");
  for (const Matrix<Scalar>* y : {b.eeg_labels, b.music_labels})
    for (Index j = 0; j < n; ++j)
      if ((*y)(0, j) != Scalar(0) && (*y)(0, j) != Scalar(1))
        throw value_error(canon::detail::message(where, ": ", which, " label ", j, " is ", (*y)(0, j),
                                                 "; expected 0 or 1"));
}

}  // namespace detail

/// J and its gradients for one forward of the model: the loss side of the task, apart so
/// that tests (and the PyTorch reference) can drive it on a fixed batch.
template <class Scalar>
class JointObjective {
 public:
  JointObjective(LossWeights weights, const Matrix<Scalar>& eeg_train_labels,
                 const Matrix<Scalar>& music_train_labels)
      : w_(weights) {
    detail::require_weights(weights, "avramidis::JointObjective");
    auto [ep, en] = loss::balanced_class_weights(eeg_train_labels);
    eeg_ = loss::BCEWithLogits<Scalar>(ep, en);
    if (w_.l12 != 0.0) {
      auto [mp, mn] = loss::balanced_class_weights(music_train_labels);
      music_ = loss::BCEWithLogits<Scalar>(mp, mn);
    }
  }

  const LossWeights& weights() const { return w_; }

  /// Runs the model on columns `columns` of the data (all when empty), with `domain_count`
  /// pairs to the discriminator, and returns the parts of J. With `backward`, the
  /// gradients of J go into the model's parameters.
  JointLoss evaluate(JointModel<Scalar>& model, const Matrix<Scalar>& eeg, const Matrix<Scalar>& music,
                     const Matrix<Scalar>& eeg_labels, const Matrix<Scalar>& music_labels, Index domain_count,
                     Mode mode, bool backward) {
    const Index m = eeg.cols();
    const Index h = w_.uses_domain() ? domain_count : 0;
    const auto out = model.forward(eeg, music, h, mode);
    JointLoss l;
    eeg_logits_ = out.logits.leftCols(m);
    l.eeg = double(eeg_.forward(eeg_logits_, eeg_labels));
    if (w_.l12 != 0.0) {
      music_logits_ = out.logits.rightCols(m);
      l.music = double(music_.forward(music_logits_, music_labels));
    }
    if (h > 0) {
      domain_labels_.resize(1, 2 * h);
      domain_labels_.leftCols(h).setOnes();
      domain_labels_.rightCols(h).setZero();
      l.domain = double(domain_.forward(out.domain_logits, domain_labels_));
    }
    l.total = w_.l1 * (w_.l11 * l.eeg + w_.l12 * l.music) + w_.l2 * l.domain;
    if (backward && std::isfinite(l.total)) {
      d_logits_.setZero(1, 2 * m);
      d_logits_.leftCols(m) = Scalar(w_.l1 * w_.l11) * eeg_.backward();
      if (w_.l12 != 0.0) d_logits_.rightCols(m) = Scalar(w_.l1 * w_.l12) * music_.backward();
      if (h > 0) d_domain_ = Scalar(w_.l2) * domain_.backward();
      else d_domain_.resize(1, 0);
      model.backward(d_logits_, d_domain_);
    }
    return l;
  }

 private:
  LossWeights w_;
  loss::BCEWithLogits<Scalar> eeg_, music_, domain_;
  Matrix<Scalar> eeg_logits_, music_logits_, domain_labels_, d_logits_, d_domain_;
};

/// The joint model trained on paired segments by train::fit.
template <class Scalar>
class JointTask : public train::ModelTask<JointModel<Scalar>> {
  using Base = train::ModelTask<JointModel<Scalar>>;

 public:
  using scalar_type = Scalar;

  /// The matrices are referenced, not copied; validation may be empty (size 0).
  JointTask(JointModel<Scalar>& model, PairedBatch<Scalar> training, PairedBatch<Scalar> validation,
            LossWeights weights, StopOn stop_on = StopOn::joint_loss)
      : Base(model), train_(training), valid_(validation), stop_on_(stop_on),
        objective_(weights, check(training, "training"), *training.music_labels) {
    if (validation.size() > 0) detail::require_pairs(validation, rows_eeg(), rows_music(), name(), "validation");
  }

  const char* name() const { return "avramidis::JointTask"; }
  Index samples() const { return train_.size(); }
  bool has_validation() const { return valid_.size() > 0; }
  const JointLoss& last_batch() const { return last_; }

  double train_batch(const std::vector<Index>& indices, const train::BatchPosition& position) {
    model_.set_progress(position.progress());
    train::detail::gather_columns(*train_.eeg, indices, eeg_);
    train::detail::gather_columns(*train_.eeg_labels, indices, eeg_labels_);
    if (objective_.weights().uses_music()) {
      train::detail::gather_columns(*train_.music, indices, music_);
      train::detail::gather_columns(*train_.music_labels, indices, music_labels_);
    } else {
      // The music net still runs (one GEMM of a zero batch), but no gradient reaches it.
      music_.setZero(train_.music->rows(), Index(indices.size()));
      music_labels_.setZero(1, Index(indices.size()));
    }
    last_ = objective_.evaluate(model_, eeg_, music_, eeg_labels_, music_labels_, Index(indices.size()) / 2,
                                Mode::train, true);
    return last_.total;
  }

  double validation_loss() {
    const JointLoss l = objective_.evaluate(model_, *valid_.eeg, *valid_.music, *valid_.eeg_labels,
                                            *valid_.music_labels, valid_.size(), Mode::eval, false);
    return stop_on_ == StopOn::joint_loss ? l.total : l.eeg;
  }

 private:
  using Base::model_;
  Index rows_eeg() const { return model_.eeg_input_size(); }
  Index rows_music() const { return model_.config().music.embedding; }
  const Matrix<Scalar>& check(const PairedBatch<Scalar>& b, const char* which) const {
    detail::require_pairs(b, rows_eeg(), rows_music(), name(), which);
    return *b.eeg_labels;
  }

  PairedBatch<Scalar> train_, valid_;
  StopOn stop_on_;
  JointObjective<Scalar> objective_;
  Matrix<Scalar> eeg_, music_, eeg_labels_, music_labels_;
  JointLoss last_;
};

}  // namespace canon::avramidis
