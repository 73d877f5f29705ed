// canon/nn/batch_norm1d.hpp — batch normalisation of multichannel signals (PyTorch's
// BatchNorm1d on (N, C, T) input).
//
// In the signal layout (channel c, time t at row c + t*C, one column per sample) the
// whole batch is a contiguous C x (T N) matrix, so per-channel statistics are row-wise.
// With m = T N values per channel:
//
//   train:  mu = mean(x),  v = mean((x - mu)^2)  (biased),  xh = (x - mu) / sqrt(v + eps)
//           y = gamma xh + beta
//           running_mean <- (1 - momentum) running_mean + momentum mu
//           running_var  <- (1 - momentum) running_var  + momentum v m / (m - 1)  (unbiased)
//   eval:   y = gamma (x - running_mean) / sqrt(running_var + eps) + beta
//
// Backward in train mode (the statistics depend on x), per channel:
//   dgamma = sum(dy xh),  dbeta = sum(dy),
//   dx = gamma / sqrt(v + eps) * (dy - mean(dy) - xh mean(dy xh))
// In eval mode the statistics are constants: dx = gamma / sqrt(running_var + eps) dy.
// One value per channel in train mode (m = 1) has no variance; PyTorch raises and so
// does this layer, rather than silently switching modes.
#pragma once

#include <cmath>
#include <vector>

#include "canon/core/checks.hpp"
#include "canon/core/detail/parallel_columns.hpp"
#include "canon/core/parameter.hpp"

namespace canon::nn {

template <class Scalar>
class BatchNorm1D {
  CANON_REQUIRE_SCALAR(Scalar);

 public:
  using scalar_type = Scalar;

  /// Signals of any length whose rows are a multiple of `channels`.
  explicit BatchNorm1D(Index channels, double momentum = 0.1, double eps = 1e-5)
      : gamma_(channels, 1, "weight"),
        beta_(channels, 1, "bias"),
        running_mean_(Matrix<Scalar>::Zero(channels, 1), "running_mean"),
        running_var_(Matrix<Scalar>::Ones(channels, 1), "running_var"),
        momentum_(momentum),
        eps_(eps) {
    canon::detail::require_positive(channels, "BatchNorm1D", "channels");
    canon::detail::require_in_range(momentum, 0.0, 1.0, "BatchNorm1D", "momentum");
    canon::detail::require_positive(eps, "BatchNorm1D", "eps");
    gamma_.value.setOnes();
  }

  Index channels() const { return gamma_.value.rows(); }

  const Matrix<Scalar>& forward(const Matrix<Scalar>& x, Mode mode) {
    const Index c = channels();
    if (x.rows() % c != 0 || x.rows() == 0)
      throw shape_error(canon::detail::message("BatchNorm1D::forward: input rows (", x.rows(),
                                               ") must be a positive multiple of the ", c,
                                               " channels (channels x length per column)"));
    canon::detail::require_batch(x, 1, "BatchNorm1D::forward");
    const Index m = x.size() / c;
    mode_ = mode;
    input_ = &x;
    output_.resize(x.rows(), x.cols());
    ConstMap xs(x.data(), c, m);
    Map ys(output_.data(), c, m);
    if (mode == Mode::train) {
      if (m < 2)
        throw value_error(canon::detail::message(
            "BatchNorm1D::forward: train mode needs more than one value per channel ",
            "(batch x length = ", m, "); use a larger batch or eval mode"));
      // Statistics accumulate in double (a float sum over T N ~ 10^6 values loses
      // digits), each thread over its own columns, the partial sums added in thread
      // order (the same result for the same thread count).
      Eigen::ArrayXd mean, var;
      moments(xs, mean, var);
      inv_std_ = (var + eps_).rsqrt().matrix().template cast<Scalar>();
      mean_ = mean.matrix().template cast<Scalar>();
      // y = gamma xh + beta, xh = (x - mu) / sqrt(v + eps); xh is not stored: backward
      // recomputes it from the input, which stays alive as the previous layer's output.
      canon::detail::parallel_columns(c, m, [&](int, Index j0, Index n) {
        const auto xh = (xs.middleCols(j0, n).colwise() - mean_).array().colwise() * inv_std_.array();
        ys.middleCols(j0, n) =
                   ((xh.colwise() * gamma_.value.col(0).array()).colwise() + beta_.value.col(0).array()).matrix();
      });
      const double mom = momentum_;
      const double unbias = static_cast<double>(m) / static_cast<double>(m - 1);
      running_mean_.value.col(0) =
          ((1 - mom) * running_mean_.value.col(0).template cast<double>() + mom * mean.matrix())
              .template cast<Scalar>();
      running_var_.value.col(0) =
          ((1 - mom) * running_var_.value.col(0).template cast<double>() + mom * unbias * var.matrix())
              .template cast<Scalar>();
    } else {
      inv_std_ = (running_var_.value.col(0).template cast<double>().array() + eps_)
                     .rsqrt()
                     .matrix()
                     .template cast<Scalar>();
      const Vector<Scalar> scale = gamma_.value.col(0).cwiseProduct(inv_std_);
      const Vector<Scalar> shift =
          beta_.value.col(0) - scale.cwiseProduct(running_mean_.value.col(0));
      ys.noalias() = ((xs.array().colwise() * scale.array()).colwise() + shift.array()).matrix();
    }
    return output_;
  }
  const Matrix<Scalar>& forward(Matrix<Scalar>&&, Mode) = delete;

  const Matrix<Scalar>& backward(const Matrix<Scalar>& dy) {
    if (input_ == nullptr) throw error("BatchNorm1D::backward called before forward");
    canon::detail::require_same_shape(dy, output_, "BatchNorm1D::backward", "output gradient",
                                      "output");
    input_grad_.resize(dy.rows(), dy.cols());
    backward_into(dy.data(), input_grad_.data());
    return input_grad_;
  }

  /// backward() with caller-owned storage (see Conv1D::backward_into): dy and dx both
  /// have the shape of the last forward's input.
  void backward_into(const Scalar* dy, Scalar* dx) {
    if (input_ == nullptr) throw error("BatchNorm1D::backward called before forward");
    const Index c = channels(), m = input_->size() / c;
    ConstMap dys(dy, c, m);
    Map dxs(dx, c, m);
    if (mode_ == Mode::train) {
      ConstMap xs(input_->data(), c, m);
      auto normalised = [&](Index j0, Index n) {
        return ((xs.middleCols(j0, n).colwise() - mean_).array().colwise() * inv_std_.array());
      };
      // dbeta = sum dy, dgamma = sum dy xh: per-thread partial sums in double.
      const int threads = canon::detail::column_threads(c, m);
      std::vector<Eigen::ArrayXd> sum_dy(std::size_t(threads), Eigen::ArrayXd::Zero(c)),
          sum_dy_xh(std::size_t(threads), Eigen::ArrayXd::Zero(c));
      canon::detail::parallel_columns(c, m, [&](int t, Index j0, Index n) {
        const auto xh = normalised(j0, n);
        for (Index j = 0; j < n; ++j) {
          const auto g = dys.col(j0 + j).array();
          sum_dy[std::size_t(t)] += g.template cast<double>();
          sum_dy_xh[std::size_t(t)] += (g * xh.col(j)).template cast<double>();
        }
      });
      for (int t = 1; t < threads; ++t) {
        sum_dy[0] += sum_dy[std::size_t(t)];
        sum_dy_xh[0] += sum_dy_xh[std::size_t(t)];
      }
      beta_.grad.col(0) = sum_dy[0].matrix().template cast<Scalar>();
      gamma_.grad.col(0) = sum_dy_xh[0].matrix().template cast<Scalar>();
      // dx = gamma / sqrt(v + eps) (dy - mean(dy) - xh mean(dy xh))
      const Vector<Scalar> mean_dy = (sum_dy[0] / double(m)).matrix().template cast<Scalar>();
      const Vector<Scalar> mean_dy_xh = (sum_dy_xh[0] / double(m)).matrix().template cast<Scalar>();
      const Vector<Scalar> scale = gamma_.value.col(0).cwiseProduct(inv_std_);
      canon::detail::parallel_columns(c, m, [&](int, Index j0, Index n) {
        dxs.middleCols(j0, n) = (((dys.middleCols(j0, n).colwise() - mean_dy).array() -
                                         normalised(j0, n).colwise() * mean_dy_xh.array())
                                            .colwise() *
                                        scale.array())
                                           .matrix();
      });
    } else {
      beta_.grad.col(0).noalias() = dys.rowwise().sum();
      ConstMap xs(input_->data(), c, m);
      const Vector<Scalar> centred_scale = inv_std_;
      gamma_.grad.col(0).noalias() =
          ((xs.colwise() - running_mean_.value.col(0)).array().colwise() *
           centred_scale.array())
              .matrix()
              .cwiseProduct(dys)
              .rowwise()
              .sum();
      const Vector<Scalar> scale = gamma_.value.col(0).cwiseProduct(inv_std_);
      dxs.noalias() = (dys.array().colwise() * scale.array()).matrix();
    }
  }

  template <class Visitor>
  void visit_parameters(Visitor&& visit) {
    visit(gamma_);
    visit(beta_);
  }
  template <class Visitor>
  void visit_buffers(Visitor&& visit) {
    visit(running_mean_);
    visit(running_var_);
  }

  Parameter<Scalar>& weight() { return gamma_; }
  Parameter<Scalar>& bias() { return beta_; }
  Buffer<Scalar>& running_mean() { return running_mean_; }
  Buffer<Scalar>& running_var() { return running_var_; }

 private:
  using Map = Eigen::Map<Matrix<Scalar>>;
  using ConstMap = Eigen::Map<const Matrix<Scalar>>;

  Parameter<Scalar> gamma_, beta_;
  Buffer<Scalar> running_mean_, running_var_;
  double momentum_, eps_;
  Mode mode_ = Mode::train;
  const Matrix<Scalar>* input_ = nullptr;
  Vector<Scalar> inv_std_, mean_;  // of the last train-mode batch
  Matrix<Scalar> output_, input_grad_;

  /// Per-channel mean and (biased) variance in one pass over x: sums of d = x - k and
  /// d^2 about a shift k, the first column (a value of the data, so |mean - k| is of
  /// the order of the standard deviation and var = E[d^2] - E[d]^2 does not cancel
  /// catastrophically), accumulated in double per thread and added in thread order.
  static void moments(const ConstMap& xs, Eigen::ArrayXd& mean, Eigen::ArrayXd& var) {
    const Index c = xs.rows(), m = xs.cols();
    const Eigen::ArrayXd shift = xs.col(0).template cast<double>().array();
    const int threads = canon::detail::column_threads(c, m);
    std::vector<Eigen::ArrayXd> sum(std::size_t(threads), Eigen::ArrayXd::Zero(c)),
        squares(std::size_t(threads), Eigen::ArrayXd::Zero(c));
    canon::detail::parallel_columns(c, m, [&](int t, Index j0, Index n) {
      Eigen::ArrayXd& s1 = sum[std::size_t(t)];
      Eigen::ArrayXd& s2 = squares[std::size_t(t)];
      for (Index j = j0; j < j0 + n; ++j) {
        const auto d = xs.col(j).template cast<double>().array() - shift;  // an expression, not a copy
        s1 += d;
        s2 += d.square();
      }
    });
    for (int t = 1; t < threads; ++t) {
      sum[0] += sum[std::size_t(t)];
      squares[0] += squares[std::size_t(t)];
    }
    const Eigen::ArrayXd mean_d = sum[0] / double(m);
    mean = shift + mean_d;
    var = (squares[0] / double(m) - mean_d.square()).max(0.0);
  }
};

}  // namespace canon::nn
