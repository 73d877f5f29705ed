// The call forms a user writes without reading the signatures: the scalar deduced from
// the input (`stft(x, o)`, `mel_spectrogram(x, o)`, `differential_entropy(trial)`) and
// Eigen expressions where a matrix was expected (`resample_poly(audio.row(0), 1, 4)`,
// `clean_eeg(eeg.topRows(4), fs)`). Each must compute exactly what the explicit form
// computes on an evaluated copy: same type, same values bit for bit.
#include <canon/core/rng.hpp>
#include <canon/signal/differential_entropy.hpp>
#include <canon/signal/eeg_cleaning.hpp>
#include <canon/signal/mel.hpp>
#include <canon/signal/resample.hpp>
#include <canon/signal/stft.hpp>
#include <type_traits>

#include "signal_support.hpp"

using canon::Index;
using canon::Matrix;
using canon::RowVector;
namespace sig = canon::signal;

namespace {

template <class S>
Matrix<S> noise(Index rows, Index cols, std::uint64_t seed) {
  canon::Rng rng(seed);
  Matrix<S> x(rows, cols);
  for (Index j = 0; j < cols; ++j)
    for (Index i = 0; i < rows; ++i) x(i, j) = S(rng.normal());
  return x;
}

template <class S>
void require_same(const std::vector<Matrix<S>>& a, const std::vector<Matrix<S>>& b) {
  REQUIRE(a.size() == b.size());
  for (std::size_t i = 0; i < a.size(); ++i) CHECK(a[i] == b[i]);
}

}  // namespace

TEMPLATE_TEST_CASE("spectral functions deduce their scalar from the input", "[signal][api]", float, double) {
  using S = TestType;
  const Matrix<S> x = noise<S>(2, 4096, 3);
  const RowVector<S> mono = x.row(0);

  sig::StftOptions so;
  so.fs = 1000.0;
  so.nperseg = 128;
  const auto deduced = sig::stft(x, so);
  static_assert(std::is_same_v<std::decay_t<decltype(deduced)>, sig::Stft<S>>);
  const auto named = sig::stft<S>(x, so);
  REQUIRE(deduced.values.size() == named.values.size());
  for (std::size_t c = 0; c < named.values.size(); ++c) CHECK(deduced.values[c] == named.values[c]);
  require_same(sig::power_spectrogram(mono, so), sig::power_spectrogram<S>(Matrix<S>(mono), so));
  // Asking for another precision than the input's still works, as before.
  static_assert(std::is_same_v<decltype(sig::stft<double>(noise<float>(1, 8, 1), so)), sig::Stft<double>>);

  sig::MelOptions mo;
  mo.sr = 16000.0;
  mo.n_fft = 512;
  mo.hop = 160;
  mo.n_mels = 40;
  require_same(sig::mel_spectrogram(mono, mo), sig::mel_spectrogram<S>(Matrix<S>(mono), mo));

  const Matrix<S> audio = noise<S>(1, 16000 * 2, 5);
  const Matrix<S> frames = sig::frame_features(audio);
  static_assert(std::is_same_v<decltype(sig::frame_features(audio)), Matrix<S>>);
  CHECK(frames == sig::frame_features<S>(audio));

  const Matrix<S> trial = noise<S>(3, 128 * 6, 7);
  require_same(sig::differential_entropy(trial), sig::differential_entropy<S>(trial));
}

TEMPLATE_TEST_CASE("filters, resampling and cleaning accept Eigen expressions", "[signal][api]", float, double) {
  using S = TestType;
  const Matrix<S> eeg = noise<S>(6, 2048, 11);

  const Matrix<S> one_row = eeg.row(2);
  const auto resampled = sig::resample_poly(eeg.row(2), 1, 4);
  static_assert(std::is_same_v<std::decay_t<decltype(resampled)>, Matrix<S>>);
  CHECK(resampled == sig::resample_poly(one_row, 1, 4));
  CHECK(sig::resample_poly(eeg.topRows(3) * S(2), 3, 2) == sig::resample_poly(Matrix<S>(eeg.topRows(3) * S(2)), 3, 2));

  const sig::Sos sos = sig::butter(4, 20.0, sig::BandType::lowpass, 256.0);
  CHECK(sig::sosfiltfilt(sos, eeg.row(2)) == sig::sosfiltfilt(sos, one_row));
  CHECK(sig::sosfilt(sos, eeg.middleRows(1, 2)) == sig::sosfilt(sos, Matrix<S>(eeg.middleRows(1, 2))));

  const Matrix<S> first_four = eeg.topRows(4);
  CHECK(sig::clean_eeg(eeg.topRows(4), 256.0) == sig::clean_eeg(first_four, 256.0));
}
