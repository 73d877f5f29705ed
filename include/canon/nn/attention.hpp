// canon/nn/attention.hpp — softmax attention over the steps of a sequence.
//
// For sample n with steps x_t (F features each, t < L_n; layout of docs/layer-contract.md,
// "Sequences"):
//
//   score        s_t = w^T x_t                           (AttentionScore::linear)
//                s_t = v^T tanh(W x_t + b)               (AttentionScore::additive,
//                                                         Bahdanau et al. 2015, A units)
//   weights      a_t = exp(s_t) / sum_{k < L} exp(s_k)   (softmax over the steps)
//   output       c   = sum_t a_t x_t                     (AttentionOutput::weighted_sum: F)
//                y_t = a_t x_t                           (AttentionOutput::weighted_steps: F*T)
//
// weighted_sum is the usual attention pooling; weighted_steps keeps every step, scaled by
// its weight, for models that flatten after attending (Avramidis 2022: the flattened LSTM
// outputs weighed before the dense layer). The linear score has no bias: a constant added
// to every score cancels in the softmax. Padded steps (t >= L_n) get weight exactly 0 and
// exactly zero gradient.
//
// The softmax runs over the step axis. The Avramidis authors' released code applies
// nn.Softmax(dim=1) to scores of shape (batch, 1), an axis of size one, so every weight is
// exactly 1 and their "attention" is the identity; canon offers no such mode.
//
// Backward, with g_t = dL/dy_t (weighted_steps) or g_t = dL/dc (weighted_sum):
//   da_t = g_t . x_t
//   ds_t = a_t (da_t - sum_k a_k da_k)                   (softmax Jacobian)
//   dL/dx_t = a_t g_t + ds_t ds_t/dx_t,   ds_t/dx_t = w  or  W^T (v o (1 - u_t^2))
//   dL/dw = sum_{t,n} ds_t x_t;   additive: dL/dv = sum ds_t u_t, e_t = ds_t v o (1 - u_t^2),
//   dL/dW = sum e_t x_t^T, dL/db = sum e_t
// Every sum over steps and samples is one GEMM over the batch viewed as F x (T*N).
#pragma once

#include <string>
#include <vector>

#include "canon/core/checks.hpp"
#include "canon/core/parameter.hpp"
#include "canon/core/rng.hpp"
#include "canon/nn/init.hpp"
#include "canon/nn/recurrent_state.hpp"

namespace canon::nn {

enum class AttentionScore { linear, additive };
enum class AttentionOutput { weighted_sum, weighted_steps };

struct AttentionOptions {
  AttentionScore score = AttentionScore::linear;
  Index attention_size = 0;  ///< A, the units of the additive score (required for it)
  AttentionOutput output = AttentionOutput::weighted_sum;
};

template <class Scalar>
class Attention {
  CANON_REQUIRE_SCALAR(Scalar);

 public:
  using scalar_type = Scalar;

  /// Sequences of `steps` steps of `features` features. Weights are drawn as PyTorch's
  /// nn.Linear default, U(-1/sqrt(fan_in), 1/sqrt(fan_in)).
  Attention(Index features, Index steps, Rng& rng, AttentionOptions options = {})
      : features_(features), steps_(steps), options_(options) {
    const char* where = "Attention";
    canon::detail::require_parameter_size(1, features, where, "score rows", "features");
    canon::detail::require_positive(steps, where, "steps");
    if (additive()) {
      canon::detail::require_parameter_size(options.attention_size, features, where,
                                            "attention_size (the additive score's units)", "features");
      projection_ = Parameter<Scalar>(options.attention_size, features, "projection.weight");
      projection_bias_ = Parameter<Scalar>(options.attention_size, 1, "projection.bias");
      score_ = Parameter<Scalar>(1, options.attention_size, "score.weight");
      initialise_fan_in_uniform(projection_.value, features, rng);
      initialise_fan_in_uniform(projection_bias_.value, features, rng);
      initialise_fan_in_uniform(score_.value, options.attention_size, rng);
    } else {
      if (options.attention_size != 0)
        throw value_error(canon::detail::message(where, ": attention_size applies to the additive score "
                                          "only; the linear score got ", options.attention_size));
      score_ = Parameter<Scalar>(1, features, "score.weight");
      initialise_fan_in_uniform(score_.value, features, rng);
    }
  }

  Index features() const { return features_; }
  Index steps() const { return steps_; }
  Index output_rows() const {
    return options_.output == AttentionOutput::weighted_sum ? features_ : features_ * steps_;
  }

  const Matrix<Scalar>& forward(const Matrix<Scalar>& x, Mode mode) {
    return forward_impl(x, nullptr, mode);
  }
  const Matrix<Scalar>& forward(Matrix<Scalar>&&, Mode) = delete;

  /// With per-sample lengths in [1, steps]: steps t >= L_n are padding.
  const Matrix<Scalar>& forward(const Matrix<Scalar>& x, const std::vector<Index>& lengths, Mode mode) {
    return forward_impl(x, &lengths, mode);
  }
  const Matrix<Scalar>& forward(Matrix<Scalar>&&, const std::vector<Index>&, Mode) = delete;

  /// The attention weights of the last forward: steps x batch, each column summing to 1
  /// over the sample's own steps (0 on padding).
  const Matrix<Scalar>& weights() const { return weights_; }

  const Matrix<Scalar>& backward(const Matrix<Scalar>& dy) {
    if (input_ == nullptr) throw error("Attention::backward called before forward");
    canon::detail::require_same_shape(dy, output_, "Attention::backward", "output gradient", "output");
    const Matrix<Scalar>& x = *input_;
    const Index n = x.cols(), tn = steps_ * n;
    ConstMap steps_view(x.data(), features_, tn);
    input_grad_.resize(x.rows(), n);
    Map dx_steps(input_grad_.data(), features_, tn);
    score_grad_.resize(1, tn);
    const bool sum = options_.output == AttentionOutput::weighted_sum;
    for (Index j = 0; j < n; ++j) {
      const Index length = batch_.lengths[std::size_t(j)];
      const auto sample = steps_view.middleCols(j * steps_, length);
      auto a = weights_.col(j).head(length);
      auto ds = score_grad_.row(0).segment(j * steps_, steps_);
      auto dxj = dx_steps.middleCols(j * steps_, steps_);
      if (sum) {
        // da_t = g . x_t for the one g = dL/dc;  dL/dx_t = a_t g (outer product)
        ds.head(length).noalias() = dy.col(j).transpose() * sample;
        dxj.leftCols(length).noalias() = dy.col(j) * a.transpose();
      } else {
        ConstMap g(dy.col(j).data(), features_, steps_);
        ds.head(length) = (g.leftCols(length).array() * sample.array()).colwise().sum();
        dxj.leftCols(length).noalias() = g.leftCols(length) * a.asDiagonal();
      }
      // ds_t = a_t (da_t - sum_k a_k da_k)
      const Scalar mean = ds.head(length).dot(a.transpose());
      ds.head(length) = (ds.head(length).array() - mean) * a.transpose().array();
      ds.tail(steps_ - length).setZero();
      dxj.rightCols(steps_ - length).setZero();
    }
    // The score's gradient through every step at once.
    if (additive()) {
      // e = ds v o (1 - u^2): A x (T N)
      hidden_grad_.resize(options_.attention_size, tn);
      hidden_grad_.noalias() = score_.value.transpose() * score_grad_;
      hidden_grad_.array() *= Scalar(1) - hidden_.array().square();
      score_.grad.noalias() = score_grad_ * hidden_.transpose();
      projection_.grad.noalias() = hidden_grad_ * steps_view.transpose();
      projection_bias_.grad.col(0).noalias() = hidden_grad_.rowwise().sum();
      dx_steps.noalias() += projection_.value.transpose() * hidden_grad_;
    } else {
      score_.grad.noalias() = score_grad_ * steps_view.transpose();
      dx_steps.noalias() += score_.value.transpose() * score_grad_;
    }
    return input_grad_;
  }

  template <class Visitor>
  void visit_parameters(Visitor&& visit) {
    if (additive()) {
      visit(projection_);
      visit(projection_bias_);
    }
    visit(score_);
  }
  template <class Visitor>
  void visit_buffers(Visitor&&) {}

 private:
  using Map = Eigen::Map<Matrix<Scalar>>;
  using ConstMap = Eigen::Map<const Matrix<Scalar>>;

  const Matrix<Scalar>& forward_impl(const Matrix<Scalar>& x, const std::vector<Index>* lengths, Mode) {
    const char* where = "Attention::forward";
    canon::detail::check_sequence(x, features_, lengths, where, batch_);
    if (batch_.steps != steps_)
      throw shape_error(canon::detail::message(where, ": input must have ", features_ * steps_,
                                               " rows (", features_, " features x ", steps_,
                                               " steps), got ", canon::detail::shape_of(x)));
    input_ = &x;
    const Index n = x.cols(), tn = steps_ * n;
    ConstMap steps_view(x.data(), features_, tn);  // column t + n T is step t of sample n

    // Scores of every step of every sample at once: 1 x (T N).
    scores_.resize(1, tn);
    if (additive()) {
      hidden_.resize(options_.attention_size, tn);
      hidden_.noalias() = projection_.value * steps_view;
      hidden_.colwise() += projection_bias_.value.col(0);
      hidden_ = hidden_.array().tanh();
      scores_.noalias() = score_.value * hidden_;
    } else {
      scores_.noalias() = score_.value * steps_view;
    }
    // Softmax over each sample's own steps; padding gets weight 0.
    weights_.setZero(steps_, n);
    for (Index j = 0; j < n; ++j) {
      const Index length = batch_.lengths[std::size_t(j)];
      auto s = scores_.row(0).segment(j * steps_, length);
      auto a = weights_.col(j).head(length);
      a = (s.array() - s.maxCoeff()).exp().transpose();
      a /= a.sum();
    }
    output_.resize(output_rows(), n);
    for (Index j = 0; j < n; ++j) {
      const auto sample = steps_view.middleCols(j * steps_, steps_);
      if (options_.output == AttentionOutput::weighted_sum) {
        output_.col(j).noalias() = sample * weights_.col(j);
      } else {
        Eigen::Map<Matrix<Scalar>> y(output_.col(j).data(), features_, steps_);
        y.noalias() = sample * weights_.col(j).asDiagonal();
      }
    }
    return output_;
  }

  bool additive() const { return options_.score == AttentionScore::additive; }

  Index features_, steps_;
  AttentionOptions options_;
  Parameter<Scalar> projection_, projection_bias_, score_;
  const Matrix<Scalar>* input_ = nullptr;
  canon::detail::SequenceBatch batch_;  // steps and lengths of the last forward
  Matrix<Scalar> hidden_, scores_, weights_, output_;
  Matrix<Scalar> score_grad_, hidden_grad_, input_grad_;
};

}  // namespace canon::nn
