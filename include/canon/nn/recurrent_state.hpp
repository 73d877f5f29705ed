// canon/nn/recurrent_state.hpp — what every recurrent layer shares: the state a caller
// passes in and reads out, the choice of output, the options, and the checks of a
// sequence batch (docs/layer-contract.md, "Sequences"; equations in docs/recurrent.md).
//
// Layout of a batch: (F*T) x N, features fastest, (feature f, step t) of sample n at
// x(f + t*F, n). A state is (layers*H) x N, layer l in rows [l*H, (l+1)*H) (PyTorch's
// h_0[l] transposed).
#pragma once

#include <algorithm>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "canon/core/checks.hpp"
#include "canon/core/types.hpp"

#ifdef _OPENMP
#include <omp.h>
#endif

namespace canon::nn {

/// A recurrent state: h, and c for an LSTM (empty for a GRU). Each (layers*H) x N.
template <class Scalar>
struct RecurrentState {
  Matrix<Scalar> h;
  Matrix<Scalar> c;
};

/// What forward returns: every step's top-layer h, (H*T) x N, or only the top layer's
/// h at each sample's own last step, H x N.
enum class RecurrentOutput { sequence, last_state };

/// Construction options shared by LSTM and GRU.
struct RecurrentOptions {
  Index layers = 1;                                   // stacked layers
  double dropout = 0.0;                               // between layers, train mode only
  std::uint64_t seed = 0;                             // of the dropout generator
  RecurrentOutput output = RecurrentOutput::sequence;  // what forward returns
  bool reverse = false;  // run from each sample's step L-1 down to 0 (Bidirectional sets it)
};

}  // namespace canon::nn

namespace canon::detail {

/// Steps and per-(step, sample) activity of one forward call.
struct SequenceBatch {
  Index steps = 0, samples = 0;
  bool full = true;                  // every sample is `steps` long: no masking at all
  std::vector<Index> lengths;        // one per sample (all `steps` when full)
  std::vector<unsigned char> active;  // active[t * samples + n] = (t < lengths[n])
  bool is_active(Index t, Index n) const {
    return full || active[static_cast<std::size_t>(t * samples + n)] != 0;
  }
};

/// Checks a sequence batch and its lengths (empty: every sample full length), and
/// fills `batch`. Rows must be a positive multiple of `features`; lengths in [1, T].
template <class Scalar>
void check_sequence(const Matrix<Scalar>& x, Index features, const std::vector<Index>* lengths,
                    std::string_view where, SequenceBatch& batch) {
  if (x.rows() == 0 || x.rows() % features != 0)
    throw shape_error(message(where, ": input must have F*T rows with F = ", features,
                              " features per step (a positive multiple of ", features,
                              "), got ", shape_of(x)));
  require_batch(x, 1, where);
  const Index t = x.rows() / features, n = x.cols();
  batch.steps = t;
  batch.samples = n;
  batch.full = true;
  batch.lengths.assign(static_cast<std::size_t>(n), t);
  if (lengths == nullptr) return;
  if (static_cast<Index>(lengths->size()) != n)
    throw value_error(message(where, ": ", lengths->size(), " lengths for a batch of ", n,
                              " samples; expected one length per sample"));
  for (Index j = 0; j < n; ++j) {
    const Index len = (*lengths)[static_cast<std::size_t>(j)];
    if (len < 1 || len > t)
      throw value_error(message(where, ": the length of sample ", j, " must lie in [1, ", t,
                                "] (the input has ", t, " steps), got ", len));
    batch.lengths[static_cast<std::size_t>(j)] = len;
    if (len != t) batch.full = false;
  }
  if (batch.full) return;
  batch.active.assign(static_cast<std::size_t>(t * n), 0);
  for (Index s = 0; s < t; ++s)
    for (Index j = 0; j < n; ++j)
      batch.active[static_cast<std::size_t>(s * n + j)] = s < batch.lengths[static_cast<std::size_t>(j)];
}

/// Throws shape_error unless a state tensor is rows x cols (or, when allowed, empty).
template <class Scalar>
void check_state(const Matrix<Scalar>& m, Index rows, Index cols, std::string_view where,
                 std::string_view what) {
  if (m.rows() != rows || m.cols() != cols)
    throw shape_error(message(where, ": ", what, " must be ", shape_string(rows, cols),
                              " ((layers*H) x N), got ", shape_of(m)));
}

/// The logistic function through tanh, which Eigen vectorises:
/// sigmoid(a) = 1 / (1 + e^-a) = (1 + tanh(a/2)) / 2, exact as an identity and free of
/// the overflow of e^-a for large negative a.
template <class Derived>
auto sigmoid(const Eigen::ArrayBase<Derived>& a) {
  using S = typename Derived::Scalar;
  return S(0.5) + S(0.5) * (S(0.5) * a).tanh();
}

/// Threads for a time loop whose steps cost `work_per_step` multiply-adds. Samples are
/// independent through time, so each thread runs every step for its own columns with
/// single-threaded products and no barrier per step (a product threaded per step would
/// synchronise T times per layer). Small problems stay on one thread.
inline int sample_threads(Index work_per_step, Index samples) {
#ifdef _OPENMP
  if (work_per_step < (Index(1) << 20) || samples < 2 || omp_in_parallel()) return 1;
  return int(std::min<Index>(omp_get_max_threads(), samples));
#else
  (void)work_per_step;
  (void)samples;
  return 1;
#endif
}

/// Calls f(part, first_column, column_count) for each thread's fixed share of `cols`
/// columns, [cols p / P, cols (p + 1) / P): the same partition on every run with the
/// same thread count, so results are bit-identical for a fixed count.
template <class F>
void for_each_part(Index work, Index cols, F&& f) {
  const int threads = sample_threads(work, cols);
#ifdef _OPENMP
#pragma omp parallel for schedule(static) num_threads(threads) if (threads > 1)
#endif
  for (int p = 0; p < threads; ++p) {
    const Index begin = cols * p / threads, end = cols * (p + 1) / threads;
    f(p, begin, end - begin);
  }
}

/// The same for a time loop over the samples, f(first_sample, sample_count).
template <class F>
void for_each_sample_part(Index work_per_step, Index samples, F&& f) {
  for_each_part(work_per_step, samples, [&](int, Index begin, Index count) { f(begin, count); });
}

/// out = a b^T summed over the K = a.cols() = b.cols() columns (a weight gradient over
/// all steps), K split among threads with single-threaded products and the partial
/// sums added in thread order. Measured on the 2-core machine, Eigen's own threading of
/// this shape (K in the thousands, a transposed operand) spent up to half its time
/// waiting; the split ran twice as fast.
template <class Out, class A, class B, class Scalar>
void sum_of_products(Out&& out, const A& a, const B& b, std::vector<Matrix<Scalar>>& partials) {
  const Index k = a.cols();
  const Index work = out.rows() * out.cols() * k;
  const int threads = sample_threads(work, k);
  if (threads == 1) {
    out.noalias() = a * b.transpose();
    return;
  }
  if (partials.size() < static_cast<std::size_t>(threads)) partials.resize(static_cast<std::size_t>(threads));
  for_each_part(work, k, [&](int p, Index c0, Index count) {
    Matrix<Scalar>& partial = partials[static_cast<std::size_t>(p)];
    partial.resize(out.rows(), out.cols());
    partial.noalias() = a.middleCols(c0, count) * b.middleCols(c0, count).transpose();
  });
  out = partials[0];
  for (int p = 1; p < threads; ++p) out += partials[static_cast<std::size_t>(p)];
}

/// The name suffix of a parameter of layer l: "_l0", "_l1_reverse".
inline std::string layer_suffix(Index layer, bool reverse) {
  return message("_l", layer, reverse ? "_reverse" : "");
}

}  // namespace canon::detail
