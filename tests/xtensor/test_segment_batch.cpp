#include <catch2/catch.hpp>

#include <type_traits>
#include <vector>
#include <xtensor/xarray.hpp>
#include <xtensor/xmanipulation.hpp>
#include <xtensor/xtensor.hpp>

#include "canon/xtensor/segment_batch.hpp"
#include "canon/xtensor/sequence_batch.hpp"
#include "canon_test.hpp"

#if CANON_TEST_WITH_SIGNAL
#include "canon/models/avramidis/segments.hpp"
#endif

namespace cx = canon::xtensor;
using canon::Index;
using canon::Matrix;

namespace {

template <class T, class = void>
struct can_view : std::false_type {};
template <class T>
struct can_view<T, std::void_t<decltype(cx::segment_view(std::declval<T>(), Index(1), Index(1)))>>
    : std::true_type {};

}  // namespace

static_assert(can_view<Matrix<double>&>::value && !can_view<Matrix<double>>::value);

TEMPLATE_TEST_CASE("segment_view: (trial, segment, channel, feature) over the segment batch, same memory",
                   "[xtensor][segments]", float, double) {
  using S = TestType;
  const Index trials = 2, segments = 3, C = 4, F = 5;
  Matrix<S> x = canon_test::random_matrix(C * F, trials * segments, 6).template cast<S>();
  auto v = cx::segment_view(x, segments, C);
  STATIC_REQUIRE(std::is_same_v<decltype(v), cx::RowMajorView<S, 4>>);
  REQUIRE(v.dimension() == 4);
  CHECK(v.shape()[0] == std::size_t(trials));
  CHECK(v.shape()[1] == std::size_t(segments));
  CHECK(v.shape()[2] == std::size_t(C));
  CHECK(v.shape()[3] == std::size_t(F));
  CHECK(v.data() == x.data());
  for (Index i = 0; i < trials; ++i)
    for (Index s = 0; s < segments; ++s)
      for (Index c = 0; c < C; ++c)
        for (Index f = 0; f < F; ++f) CHECK(v(i, s, c, f) == x(f + F * c, i * segments + s));
  v(1, 2, 3, 4) = S(9);
  CHECK(x(4 + F * 3, 1 * segments + 2) == S(9));
  // The same memory as the (N, C, F) sequence the EEG branch reads (channels as steps).
  auto as_sequence = cx::sequence_view(x, F);
  CHECK(as_sequence(1 * segments + 2, 3, 4) == S(9));

  const Matrix<S>& read_only = x;
  STATIC_REQUIRE(std::is_same_v<decltype(cx::segment_view(read_only, segments, C)), cx::RowMajorView<const S, 4>>);
  CHECK(canon_test::error_of<canon::shape_error>([&] { cx::segment_view(x, 4, C); }) ==
        "canon::xtensor::segment_view: the batch is 20x6, whose 6 columns are not a multiple of 4 segments; expected "
        "(channels * features) x (trials * segments), a channel's features fastest");
  CHECK(canon_test::error_of<canon::shape_error>([&] { cx::segment_view(x, segments, 3); }) ==
        "canon::xtensor::segment_view: the batch is 20x6, whose 20 rows are not a multiple of 3 channels; expected "
        "(channels * features) x (trials * segments), a channel's features fastest");
}

TEMPLATE_TEST_CASE("map_segment_batch maps a C-order (trials, segments, C, F) array; to_segment_batch copies",
                   "[xtensor][segments]", float, double) {
  using S = TestType;
  const std::size_t trials = 2, segments = 3, C = 4, F = 5;
  xt::xarray<S> a = xt::zeros<S>({trials, segments, C, F});
  for (std::size_t k = 0; k < a.size(); ++k) a.data()[k] = S(k);
  auto m = cx::map_segment_batch(a);
  STATIC_REQUIRE(std::is_same_v<decltype(m), Eigen::Map<Matrix<S>>>);
  REQUIRE(m.rows() == Index(C * F));
  REQUIRE(m.cols() == Index(trials * segments));
  CHECK(m.data() == a.data());
  for (std::size_t i = 0; i < trials; ++i)
    for (std::size_t s = 0; s < segments; ++s)
      for (std::size_t c = 0; c < C; ++c)
        for (std::size_t f = 0; f < F; ++f) CHECK(m(Index(f + F * c), Index(i * segments + s)) == a(i, s, c, f));
  m(Index(1 + F * 2), Index(1 * segments + 0)) = S(-4);
  CHECK(a(1, 0, 2, 1) == S(-4));

  // (C, F) swapped in memory, as a channels-last export would be: refused, then copied.
  const xt::xarray<S> swapped = xt::transpose(a, {0, 1, 3, 2});
  auto back = xt::transpose(swapped, {0, 1, 3, 2});
  CHECK(canon_test::error_of<canon::shape_error>([&] { cx::map_segment_batch(back); }) ==
        "canon::xtensor::map_segment_batch: the array of shape (2, 3, 4, 5) has strides (60, 20, 1, 4) (in "
        "elements); a zero-copy map needs strides (60, 20, 5, 1) (C order, a channel's features fastest; strides of "
        "dimensions of length 1 do not matter); canon::xtensor::to_segment_batch copies from any layout");
  const Matrix<S> copied = cx::to_segment_batch(back);
  CHECK(copied == m);
  CHECK(cx::to_segment_batch(cx::segment_view(copied, Index(segments), Index(C))) == copied);
  xt::xarray<S> three = xt::zeros<S>({2, 3, 4});
  CHECK(canon_test::error_of<canon::shape_error>([&] { cx::to_segment_batch(three); }) ==
        "canon::xtensor::to_segment_batch: the array has shape (2, 3, 4), 3 dimensions; expected 4, (trials, "
        "segments, C, F): trials, segments, channels, features");
}

#if CANON_TEST_WITH_SIGNAL
namespace {
struct Trial {
  Matrix<double> eeg;
  double valence = 0, arousal = 0;
};
}  // namespace

TEMPLATE_TEST_CASE("segment_view reads avramidis::make_segments' EEG as (trial, segment, channel, DE value)",
                   "[xtensor][segments][avramidis]", float, double) {
  using S = TestType;
  // Two 5 s trials of 4 channels at 128 Hz: 3 segments of 3 s with a 1 s hop each.
  const Index C = 4, samples = 5 * 128, segments = 3;
  std::vector<Trial> trials{{canon_test::random_matrix(C, samples, 7), 7.0, 3.0},
                            {canon_test::random_matrix(C, samples, 8), 2.0, 6.0}};
  canon::avramidis::MusicTracks<S> music;
  music.windows = segments;
  music.embeddings = canon_test::random_matrix(2, segments, 9).template cast<S>();
  music.valence = {5.5};
  music.arousal = {4.0};
  const auto set = canon::avramidis::make_segments(trials, {0, 0}, music);
  REQUIRE(set.eeg.rows() == C * 12);
  REQUIRE(set.eeg.cols() == 2 * segments);
  auto v = cx::segment_view(set.eeg, segments, C);
  CHECK(v.data() == set.eeg.data());
  for (std::size_t i = 0; i < trials.size(); ++i) {
    // The DE values as signal::differential_entropy gives them: C x 12 per segment,
    // column band * 3 + frame.
    const auto de = canon::signal::differential_entropy<S>(trials[i].eeg.template cast<S>());
    REQUIRE(Index(de.size()) == segments);
    for (Index s = 0; s < segments; ++s)
      for (Index c = 0; c < C; ++c)
        for (Index f = 0; f < 12; ++f) CHECK(v(Index(i), s, c, f) == de[std::size_t(s)](c, f));
  }
  // And the copy of the same array, as a NumPy export would hold it, gives the batch back.
  const xt::xarray<S> exported = v;
  CHECK(cx::to_segment_batch(exported) == set.eeg);
}
#endif
