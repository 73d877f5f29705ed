// canon/signal/iir.hpp — Butterworth and notch IIR design in second-order sections,
// causal (sosfilt) and zero-phase (sosfiltfilt) filtering of multichannel signals.
//
// Every function reproduces the SciPy routine of the same name (scipy.signal 1.10):
// butter(N, Wn, btype, fs=fs, output='sos'), iirnotch(w0, Q, fs), sosfilt_zi,
// sosfilt and sosfiltfilt with the default odd padding. The design follows SciPy's
// path exactly, because the SOS split is not unique and users compare coefficients:
//   analog prototype p_m = -exp(i pi m / 2N), m = -N+1, -N+3, ..., N-1     (buttap)
//   pre-warp  w = 2 fs tan(pi Wn / fs) with fs = 2 after Wn -> 2 Wn / fs
//   lp2lp / lp2hp / lp2bp / lp2bs frequency transforms on zeros, poles and gain
//   bilinear  z = (2 fs + s) / (2 fs - s), missing zeros at z = -1
//   zpk2sos with pairing 'nearest': the pole closest to the unit circle is paired
//   with its nearest zero and placed in the LAST free section, the gain goes into the
//   first section.
// A signal is a canon::Matrix<S> with one row per channel (channels x samples); the
// SOS matrix has one row [b0 b1 b2 a0 a1 a2] per section and is designed in double.
#pragma once

#include <algorithm>
#include <cmath>
#include <complex>
#include <limits>
#include <string>
#include <string_view>
#include <vector>

#include "canon/core/checks.hpp"
#include "canon/core/constants.hpp"
#include "canon/core/error.hpp"
#include "canon/core/types.hpp"

namespace canon::signal {

/// The four Butterworth band types of scipy.signal.butter.
enum class BandType { lowpass, highpass, bandpass, bandstop };

/// Second-order sections: one row [b0 b1 b2 a0 a1 a2] per section, applied top to bottom.
using Sos = Matrix<double>;

namespace detail {

using cplx = std::complex<double>;

inline const char* band_name(BandType t) {
  switch (t) {
    case BandType::lowpass: return "lowpass";
    case BandType::highpass: return "highpass";
    case BandType::bandpass: return "bandpass";
    default: return "bandstop";
  }
}

inline cplx product(const std::vector<cplx>& v) {
  cplx r = 1.0;
  for (const cplx& x : v) r *= x;
  return r;
}

/// SciPy's _cplxreal: complex roots (one per conjugate pair, positive imaginary part,
/// sorted by real part) followed by the real roots (sorted ascending). A root is real
/// when |imag| <= 100 eps |z|.
inline std::vector<cplx> complex_then_real(std::vector<cplx> z) {
  const double tol = 100 * std::numeric_limits<double>::epsilon();
  std::vector<cplx> zc, zr;
  for (const cplx& x : z) {
    if (std::abs(x.imag()) <= tol * std::abs(x))
      zr.emplace_back(x.real(), 0.0);
    else if (x.imag() > 0)
      zc.push_back(x);
  }
  auto by_real = [](const cplx& a, const cplx& b) {
    return a.real() < b.real() || (a.real() == b.real() && std::abs(a.imag()) < std::abs(b.imag()));
  };
  std::stable_sort(zc.begin(), zc.end(), by_real);
  std::stable_sort(zr.begin(), zr.end(), by_real);
  zc.insert(zc.end(), zr.begin(), zr.end());
  return zc;
}

inline bool is_real(const cplx& x) { return x.imag() == 0.0; }

/// Index of the root of `from` nearest to `to`, restricted to real ("real"), complex
/// ("complex") or any roots (SciPy's _nearest_real_complex_idx; ties keep the first).
enum class Which { any, real, complex };
inline std::size_t nearest(const std::vector<cplx>& from, cplx to, Which which) {
  std::size_t best = from.size();
  double best_d = 0;
  for (std::size_t i = 0; i < from.size(); ++i) {
    if (which == Which::real && !is_real(from[i])) continue;
    if (which == Which::complex && is_real(from[i])) continue;
    const double d = std::abs(from[i] - to);
    if (best == from.size() || d < best_d) best = i, best_d = d;
  }
  if (best == from.size()) throw numerical_error("zpk2sos: no zero of the requested kind is left");
  return best;
}

/// Index of the root closest to the unit circle, argmin |1 - |p||.
inline std::size_t worst(const std::vector<cplx>& p, const std::vector<std::size_t>& among) {
  std::size_t best = among.front();
  for (std::size_t i : among)
    if (std::abs(1 - std::abs(p[i])) < std::abs(1 - std::abs(p[best]))) best = i;
  return best;
}

/// Monic polynomial coefficients of two roots, real parts: [1, -(r1 + r2), r1 r2].
inline void quadratic(cplx r1, cplx r2, double* out) {
  out[0] = 1.0;
  out[1] = (-(r1 + r2)).real();
  out[2] = (r1 * r2).real();
}

/// scipy.signal.zpk2sos(z, p, k) with pairing 'nearest' for a digital filter.
inline Sos zpk2sos(std::vector<cplx> z, std::vector<cplx> p, double k) {
  if (z.empty() && p.empty()) {
    Sos sos(1, 6);
    sos << k, 0, 0, 1, 0, 0;
    return sos;
  }
  while (p.size() < z.size()) p.emplace_back(0.0);
  while (z.size() < p.size()) z.emplace_back(0.0);
  const std::size_t n_sections = (p.size() + 1) / 2;
  if (p.size() % 2 == 1) {
    p.emplace_back(0.0);
    z.emplace_back(0.0);
  }
  z = complex_then_real(z);
  p = complex_then_real(p);
  Sos sos = Sos::Zero(static_cast<Index>(n_sections), 6);
  auto count_real = [](const std::vector<cplx>& v) {
    return static_cast<std::size_t>(std::count_if(v.begin(), v.end(), is_real));
  };
  auto take = [](std::vector<cplx>& v, std::size_t i) {
    const cplx x = v[i];
    v.erase(v.begin() + static_cast<std::ptrdiff_t>(i));
    return x;
  };
  for (std::size_t s = n_sections; s-- > 0;) {
    double b[3] = {0, 0, 0}, a[3] = {0, 0, 0};
    std::vector<std::size_t> all(p.size());
    for (std::size_t i = 0; i < p.size(); ++i) all[i] = i;
    const cplx p1 = take(p, worst(p, all));
    if (is_real(p1) && count_real(p) == 0) {
      // Last real pole: a first-order section padded with a pole and zero at 0.
      const cplx z1 = take(z, nearest(z, p1, Which::real));
      quadratic(z1, 0.0, b);
      quadratic(p1, 0.0, a);
    } else if (p.size() + 1 == z.size() && !is_real(p1) && count_real(p) == 1 &&
               count_real(z) == 1) {
      // One real pole and one real zero left: this pair must take a complex zero.
      const cplx z1 = take(z, nearest(z, p1, Which::complex));
      quadratic(z1, std::conj(z1), b);
      quadratic(p1, std::conj(p1), a);
    } else {
      cplx p2;
      if (is_real(p1)) {
        std::vector<std::size_t> reals;
        for (std::size_t i = 0; i < p.size(); ++i)
          if (is_real(p[i])) reals.push_back(i);
        p2 = take(p, worst(p, reals));
      } else {
        p2 = std::conj(p1);
      }
      quadratic(p1, p2, a);
      if (!z.empty()) {
        const cplx z1 = take(z, nearest(z, p1, Which::any));
        if (!is_real(z1)) {
          quadratic(z1, std::conj(z1), b);
        } else if (!z.empty()) {
          const cplx z2 = take(z, nearest(z, p1, Which::real));
          quadratic(z1, z2, b);
        } else {
          // One zero, two poles: numerator [0, 1, -z1].
          b[0] = 0, b[1] = 1, b[2] = -z1.real();
        }
      } else {
        b[0] = 0, b[1] = 0, b[2] = 1;
      }
    }
    const Index r = static_cast<Index>(s);
    for (int j = 0; j < 3; ++j) sos(r, j) = b[j], sos(r, 3 + j) = a[j];
  }
  sos.row(0).head(3) *= k;
  return sos;
}

inline void require_cutoff(double f, double fs, std::string_view where, std::string_view name) {
  if (!(f > 0.0 && f < fs / 2))
    throw value_error(canon::detail::message(
        where, ": ", name, " must lie strictly between 0 and the Nyquist frequency ", fs / 2,
        " Hz (fs = ", fs, " Hz), got ", f));
}

}  // namespace detail

/// scipy.signal.butter(order, cutoff, btype, fs=fs, output='sos'). `cutoff` holds one
/// frequency in Hz for lowpass/highpass and two (low, high) for bandpass/bandstop.
inline Sos butter(int order, const std::vector<double>& cutoff, BandType type, double fs) {
  using detail::cplx;
  constexpr std::string_view where = "canon::signal::butter";
  if (order < 1)
    throw value_error(canon::detail::message(where, ": order must be >= 1, got ", order));
  if (!(fs > 0.0) || !std::isfinite(fs))
    throw value_error(canon::detail::message(where, ": fs must be a positive finite sampling rate in Hz, got ", fs));
  const bool band = type == BandType::bandpass || type == BandType::bandstop;
  if (cutoff.size() != (band ? 2u : 1u))
    throw value_error(canon::detail::message(where, ": a ", detail::band_name(type),
                                             " filter needs ", band ? 2 : 1,
                                             " cutoff frequencies, got ", cutoff.size()));
  for (double f : cutoff) detail::require_cutoff(f, fs, where, "cutoff");
  if (band && !(cutoff[0] < cutoff[1]))
    throw value_error(canon::detail::message(where, ": cutoff must be (low, high) with low < high, got (",
                                             cutoff[0], ", ", cutoff[1], ")"));
  // Analog prototype (buttap): no zeros, poles on the unit circle's left half, k = 1.
  std::vector<cplx> z, p;
  for (int m = -order + 1; m < order; m += 2)
    p.push_back(-std::exp(cplx(0.0, pi * m / (2.0 * order))));
  double k = 1.0;
  // Pre-warp on the normalised scale (fs -> 2), exactly as scipy.signal.iirfilter.
  const double fs2 = 2.0;
  std::vector<double> warped;
  for (double f : cutoff) warped.push_back(2 * fs2 * std::tan(pi * (2 * f / fs) / fs2));
  const std::size_t degree = p.size() - z.size();
  if (type == BandType::lowpass) {
    const double wo = warped[0];
    for (cplx& x : p) x *= wo;
    k *= std::pow(wo, static_cast<double>(degree));
  } else if (type == BandType::highpass) {
    const double wo = warped[0];
    k *= (detail::product(z) * std::pow(-1.0, static_cast<double>(z.size())) /
          (detail::product(p) * std::pow(-1.0, static_cast<double>(p.size()))))
             .real();
    for (cplx& x : p) x = wo / x;
    z.assign(degree, cplx(0.0));
  } else {
    const double bw = warped[1] - warped[0];
    const double wo = std::sqrt(warped[0] * warped[1]);
    std::vector<cplx> zb, pb;
    if (type == BandType::bandpass) {
      for (cplx& x : p) x *= bw / 2;
      for (const cplx& x : p) pb.push_back(x + std::sqrt(x * x - wo * wo));
      for (const cplx& x : p) pb.push_back(x - std::sqrt(x * x - wo * wo));
      zb.assign(degree, cplx(0.0));
      k *= std::pow(bw, static_cast<double>(degree));
    } else {
      // prod(-z) / prod(-p) with no zeros: 1 / prod(-p).
      cplx prod_neg_p = 1.0;
      for (const cplx& x : p) prod_neg_p *= -x;
      k *= (cplx(1.0) / prod_neg_p).real();
      std::vector<cplx> ph;
      for (const cplx& x : p) ph.push_back((bw / 2) / x);
      for (const cplx& x : ph) pb.push_back(x + std::sqrt(x * x - wo * wo));
      for (const cplx& x : ph) pb.push_back(x - std::sqrt(x * x - wo * wo));
      zb.assign(degree, cplx(0.0, wo));
      zb.insert(zb.end(), degree, cplx(0.0, -wo));
    }
    z = zb;
    p = pb;
  }
  // Bilinear transform with fs = 2 (2 fs = 4); missing zeros go to z = -1 (Nyquist).
  const double f2 = 2 * fs2;
  cplx num = 1.0, den = 1.0;
  for (const cplx& x : z) num *= f2 - x;
  for (const cplx& x : p) den *= f2 - x;
  k *= (num / den).real();
  const std::size_t missing = p.size() - z.size();
  for (cplx& x : z) x = (f2 + x) / (f2 - x);
  for (cplx& x : p) x = (f2 + x) / (f2 - x);
  z.insert(z.end(), missing, cplx(-1.0));
  return detail::zpk2sos(z, p, k);
}

/// Convenience overload for lowpass/highpass.
inline Sos butter(int order, double cutoff, BandType type, double fs) {
  return butter(order, std::vector<double>{cutoff}, type, fs);
}

/// scipy.signal.iirnotch(w0, Q, fs) as one second-order section [b, a]: a notch at w0 Hz
/// whose -3 dB bandwidth is w0 / Q.
inline Sos iirnotch(double w0, double quality, double fs) {
  constexpr std::string_view where = "canon::signal::iirnotch";
  if (!(fs > 0.0) || !std::isfinite(fs))
    throw value_error(canon::detail::message(where, ": fs must be a positive finite sampling rate in Hz, got ", fs));
  detail::require_cutoff(w0, fs, where, "w0");
  if (!(quality > 0.0) || !std::isfinite(quality))
    throw value_error(canon::detail::message(where, ": Q must be positive and finite, got ", quality));
  const double w = 2 * w0 / fs;
  const double bw = w / quality * pi;
  const double wr = w * pi;
  const double gb = 1 / std::sqrt(2.0);
  const double beta = (std::sqrt(1.0 - gb * gb) / gb) * std::tan(bw / 2.0);
  const double gain = 1.0 / (1.0 + beta);
  Sos sos(1, 6);
  sos << gain, gain * -2.0 * std::cos(wr), gain, 1.0, -2.0 * gain * std::cos(wr), 2.0 * gain - 1.0;
  return sos;
}

namespace detail {

inline void require_sos(const Sos& sos, std::string_view where) {
  if (sos.rows() < 1 || sos.cols() != 6)
    throw shape_error(canon::detail::message(where, ": sos must be sections x 6 with at least one section, got ",
                                             sos.rows(), "x", sos.cols()));
  canon::detail::require_finite(sos, where, "sos");
  for (Index s = 0; s < sos.rows(); ++s)
    if (sos(s, 3) == 0.0)
      throw value_error(canon::detail::message(where, ": sos row ", s, " has a0 = 0; expected a0 != 0"));
}

template <class S>
void require_signal(const Matrix<S>& x, std::string_view where) {
  if (x.rows() < 1 || x.cols() < 1)
    throw shape_error(canon::detail::message(where, ": x must be channels x samples with at least one channel and one sample, got ",
                                             x.rows(), "x", x.cols()));
  canon::detail::require_finite(x, where, "x");
}

/// Sections normalised to a0 = 1, in the signal's scalar.
template <class S>
Matrix<S> normalised(const Sos& sos) {
  Matrix<double> n = sos;
  for (Index s = 0; s < n.rows(); ++s) n.row(s) /= sos(s, 3);
  return n.cast<S>();
}

/// Channels filtered together: one block of `lanes` channels shares every instruction
/// (SIMD across channels). A partial block is padded with zero channels, so each
/// channel always goes through the same arithmetic: its result does not depend on the
/// other channels, on the batch size or on the number of OpenMP threads.
inline constexpr Index lanes = 8;

template <class S>
using Lane = Eigen::Array<S, lanes, 1>;

/// Runs the cascade in place over a block of lanes at buf[t * stride + lane], t = 0..n-1
/// (backwards when `reverse`), in transposed direct form II per section:
///   y = b0 x + z0,  z0' = b1 x - a1 y + z1,  z1' = b2 x - a2 y.
/// The signal is processed in chunks that stay in L1 cache; within a chunk each section
/// runs over all samples with its state in registers. `state` holds 2 * sections lane
/// vectors [z0, z1] per section: initial conditions on entry, final ones on return.
template <class S>
void sosfilt_block(const Matrix<S>& c, S* buf, Index n, Index stride, bool reverse, Lane<S>* state) {
  constexpr Index chunk = 128;
  const Index sections = c.rows();
  for (Index k0 = 0; k0 < n; k0 += chunk) {
    const Index len = std::min(chunk, n - k0);
    for (Index s = 0; s < sections; ++s) {
      const S b0 = c(s, 0), b1 = c(s, 1), b2 = c(s, 2), a1 = c(s, 4), a2 = c(s, 5);
      Lane<S> z0 = state[2 * s], z1 = state[2 * s + 1];
      for (Index k = k0; k < k0 + len; ++k) {
        const Index t = reverse ? n - 1 - k : k;
        Eigen::Map<Lane<S>> io(buf + t * stride);
        const Lane<S> x = io;
        const Lane<S> y = b0 * x + z0;
        z0 = b1 * x - a1 * y + z1;
        z1 = b2 * x - a2 * y;
        io = y;
      }
      state[2 * s] = z0;
      state[2 * s + 1] = z1;
    }
  }
}

}  // namespace detail

/// scipy.signal.sosfilt_zi: the initial state (sections x 2) of the step response's
/// steady state, so that filtering a constant 1 starts without a transient. Section s
/// gets lfilter_zi of its own (b, a) scaled by the DC gain of sections 0..s-1; for a
/// biquad that is zi0 = (B0 + B1) / (1 + a1 + a2), zi1 = B1 - a2 zi0 with
/// B = b[1:] - a[1:] b0 (a normalised to a0 = 1).
inline Matrix<double> sosfilt_zi(const Sos& sos) {
  detail::require_sos(sos, "canon::signal::sosfilt_zi");
  Matrix<double> zi(sos.rows(), 2);
  double scale = 1.0;
  for (Index s = 0; s < sos.rows(); ++s) {
    const double a0 = sos(s, 3);
    const double b0 = sos(s, 0) / a0, b1 = sos(s, 1) / a0, b2 = sos(s, 2) / a0;
    const double a1 = sos(s, 4) / a0, a2 = sos(s, 5) / a0;
    const double B0 = b1 - a1 * b0, B1 = b2 - a2 * b0;
    const double z0 = (B0 + B1) / (1.0 + a1 + a2);
    zi(s, 0) = scale * z0;
    zi(s, 1) = scale * (B1 - a2 * z0);
    scale *= (sos(s, 0) + sos(s, 1) + sos(s, 2)) / (sos(s, 3) + sos(s, 4) + sos(s, 5));
  }
  return zi;
}

/// scipy.signal.sosfilt(sos, x, axis=-1): causal filtering of each row of x. With
/// `state` (channels x 2*sections, row c = state of channel c as [z0 z1] per section,
/// i.e. scipy's zi[:, c, :] flattened), the filter starts from it and the final state
/// is written back.
template <class S>
Matrix<S> sosfilt(const Sos& sos, const Matrix<S>& x, Matrix<S>* state = nullptr) {
  CANON_REQUIRE_SCALAR(S);
  constexpr std::string_view where = "canon::signal::sosfilt";
  detail::require_sos(sos, where);
  detail::require_signal(x, where);
  if (state) canon::detail::require_shape(*state, x.rows(), 2 * sos.rows(), where, "state (channels x 2*sections)");
  const Matrix<S> c = detail::normalised<S>(sos);
  const Index channels = x.rows(), n = x.cols(), sections = c.rows(), L = detail::lanes;
  const Index blocks = (channels + L - 1) / L;
  Matrix<S> y(channels, n);
#if defined(_OPENMP)
#pragma omp parallel for schedule(static)
#endif
  for (Index blk = 0; blk < blocks; ++blk) {
    const Index c0 = blk * L, width = std::min(L, channels - c0);
    std::vector<S> buf(static_cast<std::size_t>(n * L), S(0));
    for (Index t = 0; t < n; ++t)
      for (Index l = 0; l < width; ++l) buf[static_cast<std::size_t>(t * L + l)] = x(c0 + l, t);
    std::vector<detail::Lane<S>> st(static_cast<std::size_t>(2 * sections), detail::Lane<S>::Zero());
    if (state)
      for (Index s = 0; s < sections; ++s)
        for (Index l = 0; l < width; ++l)
          for (int j = 0; j < 2; ++j) st[static_cast<std::size_t>(2 * s + j)](l) = (*state)(c0 + l, 2 * s + j);
    detail::sosfilt_block(c, buf.data(), n, L, false, st.data());
    for (Index t = 0; t < n; ++t)
      for (Index l = 0; l < width; ++l) y(c0 + l, t) = buf[static_cast<std::size_t>(t * L + l)];
    if (state)
      for (Index s = 0; s < sections; ++s)
        for (Index l = 0; l < width; ++l)
          for (int j = 0; j < 2; ++j) (*state)(c0 + l, 2 * s + j) = st[static_cast<std::size_t>(2 * s + j)](l);
  }
  return y;
}

/// The edge padding sosfiltfilt uses by default:
/// 3 * (2 sections + 1 - min(#(b2 == 0), #(a2 == 0))).
inline Index sosfiltfilt_padlen(const Sos& sos) {
  const Index zb = (sos.col(2).array() == 0.0).count();
  const Index za = (sos.col(5).array() == 0.0).count();
  return 3 * (2 * sos.rows() + 1 - std::min(zb, za));
}

/// scipy.signal.sosfiltfilt(sos, x) with padtype='odd' and the default padlen: each row
/// is extended by padlen samples of odd reflection (2 x[0] - x[padlen..1] on the left),
/// filtered forward from sosfilt_zi * first sample, backward from sosfilt_zi * last
/// output, and the padding removed. Zero phase, squared magnitude response.
///
/// This overload writes into `out` (resized only when its shape differs, so a caller
/// that reuses it allocates nothing); `out` may be `x` itself (in-place filtering).
template <class S>
void sosfiltfilt(const Sos& sos, const Matrix<S>& x, Matrix<S>& out) {
  CANON_REQUIRE_SCALAR(S);
  constexpr std::string_view where = "canon::signal::sosfiltfilt";
  detail::require_sos(sos, where);
  detail::require_signal(x, where);
  const Index pad = sosfiltfilt_padlen(sos);
  if (x.cols() <= pad)
    throw value_error(canon::detail::message(where, ": x must have more than padlen = ", pad,
                                             " samples per channel (3 * (2 sections + 1) edge padding), got ",
                                             x.cols()));
  const Matrix<S> c = detail::normalised<S>(sos);
  const Matrix<S> zi = sosfilt_zi(sos).cast<S>();
  const Index channels = x.rows(), n = x.cols(), sections = c.rows();
  const Index L = detail::lanes, blocks = (channels + L - 1) / L;
  // The output doubles as the work buffer for the middle part: a full block of 8
  // channels is filtered in place where its samples lie (stride = channels); the odd
  // extensions at both ends live in small buffers, and a partial block is copied to an
  // interleaved buffer padded with zero channels. Every lane sees the same arithmetic.
  if (&out != &x) {
    out.resize(channels, n);
    out = x;
  }
#if defined(_OPENMP)
#pragma omp parallel for schedule(static)
#endif
  for (Index blk = 0; blk < blocks; ++blk) {
    const Index c0 = blk * L, width = std::min(L, channels - c0);
    std::vector<S> left(static_cast<std::size_t>(pad * L), S(0)), right(left.size(), S(0));
    std::vector<S> partial;
    S* mid = out.data() + c0;
    Index stride = channels;
    if (width < L) {
      partial.assign(static_cast<std::size_t>(n * L), S(0));
      for (Index i = 0; i < n; ++i)
        for (Index l = 0; l < width; ++l) partial[static_cast<std::size_t>(i * L + l)] = x(c0 + l, i);
      mid = partial.data();
      stride = L;
    }
    for (Index l = 0; l < width; ++l) {
      const Index ch = c0 + l;
      const S first = x(ch, 0), last = x(ch, n - 1);
      for (Index i = 0; i < pad; ++i) left[static_cast<std::size_t>(i * L + l)] = S(2) * first - x(ch, pad - i);
      for (Index i = 0; i < pad; ++i) right[static_cast<std::size_t>(i * L + l)] = S(2) * last - x(ch, n - 2 - i);
    }
    std::vector<detail::Lane<S>> st(static_cast<std::size_t>(2 * sections));
    const detail::Lane<S> x0 = Eigen::Map<const detail::Lane<S>>(left.data());
    for (Index s = 0; s < sections; ++s)
      for (int j = 0; j < 2; ++j) st[static_cast<std::size_t>(2 * s + j)] = zi(s, j) * x0;
    // Forward over left pad, middle, right pad: the state carries across the pieces.
    detail::sosfilt_block(c, left.data(), pad, L, false, st.data());
    detail::sosfilt_block(c, mid, n, stride, false, st.data());
    detail::sosfilt_block(c, right.data(), pad, L, false, st.data());
    const detail::Lane<S> y_last = Eigen::Map<const detail::Lane<S>>(right.data() + (pad - 1) * L);
    for (Index s = 0; s < sections; ++s)
      for (int j = 0; j < 2; ++j) st[static_cast<std::size_t>(2 * s + j)] = zi(s, j) * y_last;
    // Backward: right pad, middle (the result); the left pad would be cut anyway.
    detail::sosfilt_block(c, right.data(), pad, L, true, st.data());
    detail::sosfilt_block(c, mid, n, stride, true, st.data());
    if (width < L)
      for (Index i = 0; i < n; ++i)
        for (Index l = 0; l < width; ++l) out(c0 + l, i) = partial[static_cast<std::size_t>(i * L + l)];
  }
}

/// sosfiltfilt returning a new matrix.
template <class S>
Matrix<S> sosfiltfilt(const Sos& sos, const Matrix<S>& x) {
  Matrix<S> out;
  sosfiltfilt(sos, x, out);
  return out;
}

/// sosfilt and sosfiltfilt of any Eigen expression (a RowVector, a block): evaluated
/// once into a matrix of its own scalar, then filtered as above.
template <class Derived, std::enable_if_t<is_eigen_v<Derived>, int> = 0>
Matrix<typename Derived::Scalar> sosfilt(const Sos& sos, const Eigen::MatrixBase<Derived>& x) {
  return sosfilt(sos, Matrix<typename Derived::Scalar>(x));
}
template <class Derived, std::enable_if_t<is_eigen_v<Derived>, int> = 0>
Matrix<typename Derived::Scalar> sosfiltfilt(const Sos& sos, const Eigen::MatrixBase<Derived>& x) {
  return sosfiltfilt(sos, Matrix<typename Derived::Scalar>(x));
}

}  // namespace canon::signal
