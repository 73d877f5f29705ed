// canon/signal/wavelets.hpp — Daubechies wavelets db1..db20 and the multilevel discrete
// wavelet transform (wavedec / waverec) with PyWavelets' 'symmetric' and
// 'periodization' signal extensions, numerically identical to pywt 1.1.
//
// One level (filters of F taps, input x of N samples):
//   symmetric:     x is extended by half-sample reflection (x[-1] = x[0], x[N] = x[N-1],
//                  period 2N), and  cA[o] = sum_j dec_lo[j] x[2o + 1 - j],
//                  o = 0 .. floor((N + F - 1) / 2) - 1  (cD likewise with dec_hi).
//                  The inverse keeps the 'valid' part of the upsampled convolution:
//                  x[m] = sum_k rec_lo[k] u_A[m + F - 2 - k] + rec_hi[k] u_D[...],
//                  u[2i] = c[i], m = 0 .. 2n - F + 1.
//   periodization: an odd x is first extended by repeating its last sample; then
//                  cA[o] = sum_j dec_lo[j] x[(2o + F/2 - j) mod N], o = 0 .. N/2 - 1.
//                  The transform is orthogonal, so the inverse is its transpose.
// Filters: rec_lo is the Daubechies scaling filter h (PyWavelets' table, see
// detail/daubechies.hpp), dec_lo[k] = h[F-1-k], rec_hi[k] = (-1)^k h[F-1-k],
// dec_hi[k] = rec_hi[F-1-k].
#pragma once

#include <algorithm>
#include <cmath>
#include <string>
#include <string_view>
#include <type_traits>
#include <vector>

#include "canon/core/checks.hpp"
#include "canon/core/error.hpp"
#include "canon/core/types.hpp"
#include "canon/signal/detail/daubechies.hpp"

namespace canon::signal {

/// PyWavelets' signal extension modes that canon implements.
enum class WaveletMode { symmetric, periodization };

/// An orthogonal wavelet's four filters, as pywt.Wavelet exposes them.
struct Wavelet {
  std::string name;
  std::vector<double> dec_lo, dec_hi, rec_lo, rec_hi;
  Index length() const { return static_cast<Index>(dec_lo.size()); }
};

/// The Daubechies wavelet dbN (N vanishing moments, 2N taps), N = 1..20.
inline Wavelet daubechies(int order) {
  if (order < 1 || order > detail::daubechies_max_order)
    throw value_error(canon::detail::message("canon::signal::daubechies: order must lie in [1, ",
                                             detail::daubechies_max_order, "], got ", order));
  Wavelet w;
  w.name = "db" + std::to_string(order);
  const int f = 2 * order;
  const double* h = detail::daubechies_taps + detail::daubechies_offset[order];
  w.rec_lo.assign(h, h + f);
  for (int k = 0; k < f; ++k) {
    w.dec_lo.push_back(h[f - 1 - k]);
    w.rec_hi.push_back((k % 2 == 0 ? 1.0 : -1.0) * h[f - 1 - k]);
  }
  for (int k = 0; k < f; ++k) w.dec_hi.push_back(w.rec_hi[static_cast<std::size_t>(f - 1 - k)]);
  return w;
}

/// pywt.dwt_max_level(length, filter_length): floor(log2(length / (filter_length - 1))),
/// the deepest level at which the filter still overlaps the signal; 0 when the signal
/// is shorter than filter_length - 1.
inline int dwt_max_level(Index length, Index filter_length) {
  if (filter_length <= 1 || length < filter_length - 1) return 0;
  Index q = length / (filter_length - 1);
  int level = 0;
  while (q > 1) q /= 2, ++level;
  return level;
}

/// Number of coefficients one level produces from `length` samples.
inline Index dwt_coeff_length(Index length, Index filter_length, WaveletMode mode) {
  return mode == WaveletMode::periodization ? (length + 1) / 2 : (length + filter_length - 1) / 2;
}

namespace detail {

/// Half-sample symmetric index into [0, n) (period 2n), as pywt's 'symmetric'.
inline Index reflect(Index i, Index n) {
  const Index period = 2 * n;
  i %= period;
  if (i < 0) i += period;
  return i < n ? i : period - 1 - i;
}

template <class S>
void require_coeffs_finite(const Vector<S>& v, std::string_view where, std::string_view what) {
  canon::detail::require_finite(v, where, what);
}

}  // namespace detail

namespace detail {

/// Scratch of one DWT/IDWT level; grown on demand, so a caller that keeps it (the
/// WaveletTransform object) allocates once and never again.
template <class S>
struct WaveletScratch {
  Vector<S> even, odd;         // polyphase halves of the extended input (dwt)
  Vector<S> padded_a, padded_d; // coefficients with f/2 zeros either side (idwt)
  std::vector<S> lo, hi;        // filters in S
};

template <class V>
void grow(Index size, V& v) {
  if (v.size() < size) v.resize(size);
}

/// One DWT level of x[0, n) into ca[0, out) and cd[0, out), out = dwt_coeff_length.
template <class S>
void dwt_step(const S* x, Index n, const Wavelet& w, WaveletMode mode, S* ca_out, S* cd_out,
              WaveletScratch<S>& s) {
  const Index f = w.length();
  s.lo.assign(w.dec_lo.begin(), w.dec_lo.end());
  s.hi.assign(w.dec_hi.begin(), w.dec_hi.end());
  const Index m = mode == WaveletMode::symmetric ? n : n + (n % 2);  // periodization: even
  const Index out = dwt_coeff_length(n, f, mode);
  const Index shift = mode == WaveletMode::symmetric ? 1 : f / 2;  // cA[o] uses x[2o + shift - j]
  // Sample i of the extended signal.
  auto at = [&](Index i) -> S {
    if (mode == WaveletMode::symmetric) return x[reflect(i, n)];
    i %= m;
    if (i < 0) i += m;
    return i < n ? x[i] : x[n - 1];
  };
  // Polyphase form: with e[i] = extended x[i + base], base = shift - f + 1, the sum is
  // cA[o] = sum_j lo[j] e[2o + f - 1 - j]; splitting e into its even samples E[i] = e[2i]
  // and odd samples O[i] = e[2i + 1] turns every tap into a contiguous axpy over o,
  // which vectorises. The taps are still added in order j = 0, 1, ..., f - 1.
  const Index base = shift - f + 1, half_len = out + f / 2 + 1;
  grow(half_len, s.even);
  grow(half_len, s.odd);
  S* even = s.even.data();
  S* odd = s.odd.data();
  for (Index i = 0; i < half_len; ++i) {
    const Index e0 = 2 * i + base, e1 = e0 + 1;
    even[i] = (e0 >= 0 && e0 < n) ? x[e0] : at(e0);
    odd[i] = (e1 >= 0 && e1 < n) ? x[e1] : at(e1);
  }
  // Outputs in register-sized blocks: the block's accumulators stay in registers across
  // the f taps (one load of the input per tap and two multiply-adds), where a whole-array
  // axpy per tap would load and store both outputs f times.
  const S* lo = s.lo.data();
  const S* hi = s.hi.data();
  auto block = [&](Index o0, auto width) {
    constexpr Index w = decltype(width)::value;
    using Block = Eigen::Array<S, w, 1>;
    Block a = Block::Zero(), d = Block::Zero();
    for (Index j = 0; j < f; ++j) {
      const Index p = f - 1 - j;
      const Eigen::Map<const Block> src(((p % 2 == 0) ? even + p / 2 : odd + (p - 1) / 2) + o0);
      a += lo[j] * src;
      d += hi[j] * src;
    }
    Eigen::Map<Block>(ca_out + o0) = a;
    Eigen::Map<Block>(cd_out + o0) = d;
  };
  Index o0 = 0;
  for (; o0 + 16 <= out; o0 += 16) block(o0, std::integral_constant<Index, 16>{});
  for (; o0 < out; ++o0) block(o0, std::integral_constant<Index, 1>{});
}

/// Length of one inverse level from n coefficient pairs.
inline Index idwt_length(Index n, Index filter_length, WaveletMode mode) {
  return mode == WaveletMode::symmetric ? 2 * n - filter_length + 2 : 2 * n;
}

/// One inverse level: ca, cd [0, n) into x[0, idwt_length).
template <class S>
void idwt_step(const S* ca, const S* cd, Index n, const Wavelet& w, WaveletMode mode, S* x,
               WaveletScratch<S>& s) {
  const Index f = w.length();
  if (mode == WaveletMode::symmetric) {
    const Index len = idwt_length(n, f, mode);
    s.lo.assign(w.rec_lo.begin(), w.rec_lo.end());
    s.hi.assign(w.rec_hi.begin(), w.rec_hi.end());
    // Polyphase form: x[2q + r] = sum_u lo[r + 2u] A[q + f - 1 - u] + hi[r + 2u] D[...],
    // u = 0 .. f/2 - 1, where A and D are cA and cD with f/2 zeros on either side (the
    // taps that fall outside the coefficients).
    const Index h = f / 2;
    grow(n + f, s.padded_a);
    grow(n + f, s.padded_d);
    auto pa = s.padded_a.head(n + f);
    auto pd = s.padded_d.head(n + f);
    pa.head(h).setZero();
    pd.head(h).setZero();
    pa.segment(h, n) = Eigen::Map<const Vector<S>>(ca, n);
    pd.segment(h, n) = Eigen::Map<const Vector<S>>(cd, n);
    pa.tail(f - h).setZero();
    pd.tail(f - h).setZero();
    // Both phases of a block of q at once, accumulators in registers (see dwt_step), then
    // interleaved into x; every output still adds its taps in the order u = 0, 1, ...
    const S* lo = s.lo.data();
    const S* hi = s.hi.data();
    const S* a = pa.data();
    const S* d = pd.data();
    const Index pairs = len / 2;  // q with both 2q and 2q + 1 inside x
    auto block = [&](Index q0, auto width) {
      constexpr Index w = decltype(width)::value;
      using Block = Eigen::Array<S, w, 1>;
      Block even_out = Block::Zero(), odd_out = Block::Zero();
      for (Index u = 0; u < h; ++u) {
        const Index off = f - 1 - u + q0;
        const Eigen::Map<const Block> ab(a + off), db(d + off);
        even_out += lo[2 * u] * ab + hi[2 * u] * db;
        odd_out += lo[2 * u + 1] * ab + hi[2 * u + 1] * db;
      }
      for (Index i = 0; i < w; ++i) {
        x[2 * (q0 + i)] = even_out[i];
        x[2 * (q0 + i) + 1] = odd_out[i];
      }
    };
    Index q0 = 0;
    for (; q0 + 16 <= pairs; q0 += 16) block(q0, std::integral_constant<Index, 16>{});
    for (; q0 < pairs; ++q0) block(q0, std::integral_constant<Index, 1>{});
    if (len % 2 == 1) {  // the last even output has no odd partner
      S acc(0);
      for (Index u = 0; u < h; ++u) {
        const Index off = f - 1 - u + pairs;
        acc += lo[2 * u] * a[off] + hi[2 * u] * d[off];
      }
      x[len - 1] = acc;
    }
    return;
  }
  const Index m = 2 * n, half = f / 2;
  std::fill(x, x + m, S(0));
  for (Index o = 0; o < n; ++o)
    for (Index j = 0; j < f; ++j) {
      Index t = (2 * o + half - j) % m;
      if (t < 0) t += m;
      x[t] += S(w.dec_lo[static_cast<std::size_t>(j)]) * ca[o] + S(w.dec_hi[static_cast<std::size_t>(j)]) * cd[o];
    }
}

}  // namespace detail

/// One level of the DWT: returns (cA, cD).
template <class S>
std::pair<Vector<S>, Vector<S>> dwt(const Vector<S>& x, const Wavelet& w, WaveletMode mode) {
  CANON_REQUIRE_SCALAR(S);
  constexpr std::string_view where = "canon::signal::dwt";
  if (x.size() < 1) throw shape_error(canon::detail::message(where, ": x must have at least one sample, got 0"));
  canon::detail::require_finite(x, where, "x");
  const Index out = dwt_coeff_length(x.size(), w.length(), mode);
  Vector<S> ca(out), cd(out);
  detail::WaveletScratch<S> scratch;
  detail::dwt_step(x.data(), x.size(), w, mode, ca.data(), cd.data(), scratch);
  return {ca, cd};
}

/// One level of the inverse DWT (pywt.idwt): symmetric gives 2n - F + 2 samples,
/// periodization 2n.
template <class S>
Vector<S> idwt(const Vector<S>& ca, const Vector<S>& cd, const Wavelet& w, WaveletMode mode) {
  CANON_REQUIRE_SCALAR(S);
  constexpr std::string_view where = "canon::signal::idwt";
  if (ca.size() != cd.size())
    throw shape_error(canon::detail::message(where, ": cA and cD must have the same length, got ",
                                             ca.size(), " and ", cd.size()));
  if (ca.size() < 1) throw shape_error(canon::detail::message(where, ": coefficients must not be empty"));
  const Index f = w.length(), n = ca.size();
  const Index len = detail::idwt_length(n, f, mode);
  if (len < 1)
    throw shape_error(canon::detail::message(where, ": ", n, " coefficients are too few for ", w.name,
                                             " (need at least ", f / 2, ")"));
  Vector<S> x(len);
  detail::WaveletScratch<S> scratch;
  detail::idwt_step(ca.data(), cd.data(), n, w, mode, x.data(), scratch);
  return x;
}

/// pywt.wavedec(x, wavelet, mode, level): [cA_level, cD_level, ..., cD_1]. level < 0
/// means dwt_max_level; a level above dwt_max_level throws (pywt only warns: every
/// coefficient would then be dominated by the boundary extension).
template <class S>
std::vector<Vector<S>> wavedec(const Vector<S>& x, const Wavelet& w, WaveletMode mode, int level = -1) {
  CANON_REQUIRE_SCALAR(S);
  constexpr std::string_view where = "canon::signal::wavedec";
  if (x.size() < 1) throw shape_error(canon::detail::message(where, ": x must have at least one sample, got 0"));
  canon::detail::require_finite(x, where, "x");
  const int max_level = dwt_max_level(x.size(), w.length());
  if (level < 0) level = max_level;
  if (level > max_level)
    throw value_error(canon::detail::message(
        where, ": level must lie in [0, ", max_level, "] for ", x.size(), " samples and ", w.name,
        " (", w.length(), " taps; dwt_max_level = floor(log2(samples / (taps - 1)))), got ", level));
  std::vector<Vector<S>> out(static_cast<std::size_t>(level) + 1);
  Vector<S> a = x;
  for (int l = 0; l < level; ++l) {
    auto [ca, cd] = dwt(a, w, mode);
    out[static_cast<std::size_t>(level - l)] = std::move(cd);
    a = std::move(ca);
  }
  out[0] = std::move(a);
  return out;
}

/// pywt.waverec(coeffs, wavelet, mode): inverts wavedec. As in pywt, an approximation one
/// longer than the next detail is trimmed, and the result can be one sample longer than
/// the original (odd lengths); trim it to the original length.
template <class S>
Vector<S> waverec(const std::vector<Vector<S>>& coeffs, const Wavelet& w, WaveletMode mode) {
  CANON_REQUIRE_SCALAR(S);
  constexpr std::string_view where = "canon::signal::waverec";
  if (coeffs.empty()) throw shape_error(canon::detail::message(where, ": coeffs must hold at least the approximation"));
  Vector<S> a = coeffs[0];
  for (std::size_t i = 1; i < coeffs.size(); ++i) {
    const Vector<S>& d = coeffs[i];
    if (a.size() == d.size() + 1) {
      Vector<S> t = a.head(d.size());
      a = std::move(t);
    } else if (a.size() != d.size()) {
      throw shape_error(canon::detail::message(where, ": coefficient length mismatch at level ", i, ": ",
                                               a.size(), " approximation vs ", d.size(), " detail"));
    }
    a = idwt(a, d, w, mode);
  }
  return a;
}

}  // namespace canon::signal
