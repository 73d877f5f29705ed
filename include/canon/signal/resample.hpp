// canon/signal/resample.hpp — rational-factor polyphase resampling, numerically as
// scipy.signal.resample_poly(x, up, down, axis=-1) with its default window
// ('kaiser', 5.0) and zero padding (scipy 1.10).
//
// With g = gcd(up, down), up /= g, down /= g, r = max(up, down):
//   h = up * firwin(2 * 10 r + 1, 1 / r, window=('kaiser', 5.0))
//     firwin: h[n] = f_c sinc(f_c (n - L)) w[n] / sum_n(...), L = 10 r, f_c = 1 / r,
//     w[n] = I0(5 sqrt(1 - ((n - L)/L)^2)) / I0(5)  (symmetric Kaiser window);
//   h is padded with n_pre = down - (L mod down) leading zeros (and trailing zeros if
//   needed) so that output samples sit at the filter's centre;
//   y = upfirdn(h, x, up, down):  y[k] = sum_i h[k down - i up] x[i];
//   the result keeps y[n_pre_remove .. n_pre_remove + n_out), with
//   n_pre_remove = (L + n_pre) / down and n_out = ceil(n_in up / down).
#pragma once

#include <algorithm>
#include <cmath>
#include <numeric>
#include <string_view>
#include <vector>

#include "canon/core/checks.hpp"
#include "canon/core/constants.hpp"
#include "canon/core/error.hpp"
#include "canon/core/types.hpp"

namespace canon::signal {

namespace detail {

/// Modified Bessel function of the first kind, order 0, by its power series
/// I0(x) = sum_k ((x/2)^k / k!)^2; converges to double precision for |x| <= 50.
inline double bessel_i0(double x) {
  const double q = x * x / 4.0;
  double term = 1.0, sum = 1.0;
  for (int k = 1; k < 500; ++k) {
    term *= q / (static_cast<double>(k) * k);
    sum += term;
    if (term < sum * 1e-17) break;
  }
  return sum;
}

/// scipy's _output_len: length of upfirdn's output.
inline Index upfirdn_length(Index len_h, Index in_len, Index up, Index down) {
  const Index in_len_copy = in_len + (len_h + ((-len_h % up) + up) % up) / up - 1;
  const Index nt = in_len_copy * up;
  return nt / down + (nt % down > 0 ? 1 : 0);
}

}  // namespace detail

/// The FIR filter resample_poly designs for (up, down) after reduction by their gcd,
/// including the gain `up` and the zero padding (exposed for tests and reuse).
inline std::vector<double> resample_poly_filter(Index up, Index down, Index* pre_remove = nullptr,
                                                Index n_in = 0) {
  const Index r = std::max(up, down), half = 10 * r, taps = 2 * half + 1;
  const double fc = 1.0 / static_cast<double>(r), beta = 5.0;
  std::vector<double> h(static_cast<std::size_t>(taps));
  const double i0_beta = detail::bessel_i0(beta);
  double total = 0.0;
  for (Index n = 0; n < taps; ++n) {
    const double m = static_cast<double>(n - half);
    const double arg = fc * m;
    const double sinc = arg == 0.0 ? 1.0 : std::sin(pi * arg) / (pi * arg);
    const double ratio = m / static_cast<double>(half);
    const double w = detail::bessel_i0(beta * std::sqrt(1.0 - ratio * ratio)) / i0_beta;
    h[static_cast<std::size_t>(n)] = fc * sinc * w;
    total += h[static_cast<std::size_t>(n)];
  }
  for (double& v : h) v = v / total * static_cast<double>(up);
  const Index n_pre_pad = down - half % down;
  Index n_post_pad = 0;
  const Index n_pre_remove = (half + n_pre_pad) / down;
  if (n_in > 0) {
    Index n_out = n_in * up;
    n_out = n_out / down + (n_out % down ? 1 : 0);
    while (detail::upfirdn_length(taps + n_pre_pad + n_post_pad, n_in, up, down) < n_out + n_pre_remove)
      ++n_post_pad;
  }
  h.insert(h.begin(), static_cast<std::size_t>(n_pre_pad), 0.0);
  h.insert(h.end(), static_cast<std::size_t>(n_post_pad), 0.0);
  if (pre_remove) *pre_remove = n_pre_remove;
  return h;
}

/// scipy.signal.resample_poly(x, up, down, axis=-1): each row of x (channels x samples)
/// resampled by up/down; the output has ceil(samples * up / down) columns (after gcd).
template <class S>
Matrix<S> resample_poly(const Matrix<S>& x, Index up, Index down) {
  CANON_REQUIRE_SCALAR(S);
  constexpr std::string_view where = "canon::signal::resample_poly";
  if (up < 1 || down < 1)
    throw value_error(canon::detail::message(where, ": up and down must be >= 1, got up = ", up,
                                             ", down = ", down));
  if (x.rows() < 1 || x.cols() < 1)
    throw shape_error(canon::detail::message(where, ": x must be channels x samples with at least one channel and one sample, got ",
                                             x.rows(), "x", x.cols()));
  canon::detail::require_finite(x, where, "x");
  const Index g = std::gcd(up, down);
  up /= g;
  down /= g;
  if (up == 1 && down == 1) return x;
  const Index n_in = x.cols();
  Index n_out = n_in * up;
  n_out = n_out / down + (n_out % down ? 1 : 0);
  Index pre = 0;
  const std::vector<double> hd = resample_poly_filter(up, down, &pre, n_in);
  const std::vector<S> h(hd.begin(), hd.end());
  const Index len_h = static_cast<Index>(h.size());
  Matrix<S> y(x.rows(), n_out);
  const Matrix<S> xt = x.transpose();  // channels contiguous
#if defined(_OPENMP)
#pragma omp parallel for schedule(static)
#endif
  for (Index ch = 0; ch < x.rows(); ++ch) {
    const S* xc = xt.col(ch).data();
    for (Index o = 0; o < n_out; ++o) {
      // y[k] = sum_i h[k down - i up] x[i] over 0 <= k down - i up < len_h.
      const Index k = o + pre, t = k * down;
      Index i_hi = t / up;                       // largest i with t - i up >= 0
      if (i_hi > n_in - 1) i_hi = n_in - 1;
      S acc(0);
      for (Index i = i_hi; i >= 0; --i) {
        const Index j = t - i * up;
        if (j >= len_h) break;
        acc += h[static_cast<std::size_t>(j)] * xc[i];
      }
      y(ch, o) = acc;
    }
  }
  return y;
}

/// The same for any Eigen expression (a RowVector such as `audio.mono()`, a block, a
/// product): evaluated once into a matrix of its own scalar, then resampled as above.
template <class Derived, std::enable_if_t<is_eigen_v<Derived>, int> = 0>
Matrix<typename Derived::Scalar> resample_poly(const Eigen::MatrixBase<Derived>& x, Index up, Index down) {
  return resample_poly(Matrix<typename Derived::Scalar>(x), up, down);
}

}  // namespace canon::signal
