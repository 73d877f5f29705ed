#include <catch2/catch.hpp>

#include <type_traits>
#include <xtensor/xarray.hpp>
#include <xtensor/xmanipulation.hpp>
#include <xtensor/xtensor.hpp>

#include "canon/xtensor/feature_batch.hpp"
#include "canon/xtensor/signal_batch.hpp"
#include "canon_test.hpp"

namespace cx = canon::xtensor;
using canon::Index;
using canon::Matrix;

namespace {

template <class T, class = void>
struct can_view : std::false_type {};
template <class T>
struct can_view<T, std::void_t<decltype(cx::signal_view(std::declval<T>(), Index(1)))>> : std::true_type {};

template <class T, class = void>
struct can_map : std::false_type {};
template <class T>
struct can_map<T, std::void_t<decltype(cx::map_signal_batch(std::declval<T>()))>> : std::true_type {};

/// A row-major (N, C, T) array with a(n, c, t) = 100 n + 10 c + t.
template <class S>
xt::xarray<S> numbered(std::size_t n, std::size_t c, std::size_t t) {
  xt::xarray<S> a = xt::zeros<S>({n, c, t});
  for (std::size_t i = 0; i < n; ++i)
    for (std::size_t j = 0; j < c; ++j)
      for (std::size_t k = 0; k < t; ++k) a(i, j, k) = S(100 * i + 10 * j + k);
  return a;
}

}  // namespace

static_assert(can_view<Matrix<double>&>::value && can_view<const Matrix<float>&>::value);
static_assert(!can_view<Matrix<double>>::value);
static_assert(can_map<xt::xarray<float>&>::value && !can_map<xt::xarray<float>>::value);

TEMPLATE_TEST_CASE("signal_view: element (n, c, t) is batch(c + C*t, n), on the batch's memory", "[xtensor][signal]",
                   float, double) {
  using S = TestType;
  const Index C = 3, T = 4, N = 2;
  Matrix<S> x = canon_test::random_matrix(C * T, N, 2).template cast<S>();
  auto v = cx::signal_view(x, C);
  REQUIRE(v.dimension() == 3);
  CHECK(v.shape()[0] == std::size_t(N));
  CHECK(v.shape()[1] == std::size_t(C));
  CHECK(v.shape()[2] == std::size_t(T));
  CHECK(v.strides()[0] == C * T);
  CHECK(v.strides()[1] == 1);
  CHECK(v.strides()[2] == C);
  CHECK(v.data() == x.data());
  for (Index n = 0; n < N; ++n)
    for (Index c = 0; c < C; ++c)
      for (Index t = 0; t < T; ++t) CHECK(v(n, c, t) == x(c + C * t, n));
  v(1, 2, 3) = S(42);
  CHECK(x(2 + C * 3, 1) == S(42));
  x(1 + C * 2, 0) = S(-3);
  CHECK(v(0, 1, 2) == S(-3));

  const Matrix<S>& read_only = x;
  auto c = cx::signal_view(read_only, C);
  STATIC_REQUIRE(std::is_same_v<decltype(c), cx::StridedView<const S, 3>>);
  CHECK(c.data() == x.data());
  CHECK(c(1, 2, 3) == S(42));
  // Evaluated into a row-major xarray, the view is the NumPy (N, C, T) array.
  const xt::xarray<S> numpy_order = v;
  CHECK(numpy_order(0, 1, 2) == S(-3));
  CHECK(numpy_order.strides()[2] == 1);
}

TEST_CASE("signal_view refuses a batch that is not a whole number of channels", "[xtensor][signal]") {
  Matrix<double> x(10, 2);
  CHECK(canon_test::error_of<canon::shape_error>([&] { cx::signal_view(x, 3); }) ==
        "canon::xtensor::signal_view: the batch is 10x2, whose 10 rows are not a multiple of 3 channels; expected "
        "(channels * time) x batch, channels fastest");
  CHECK_THROWS_AS(cx::signal_view(x, 0), canon::value_error);
}

TEMPLATE_TEST_CASE("to_signal_batch copies a row-major (N, C, T) array: a transpose inside each sample",
                   "[xtensor][signal]", float, double) {
  using S = TestType;
  const std::size_t N = 2, C = 3, T = 5;
  const xt::xarray<S> a = numbered<S>(N, C, T);
  const Matrix<S> x = cx::to_signal_batch(a);
  REQUIRE(x.rows() == Index(C * T));
  REQUIRE(x.cols() == Index(N));
  CHECK(x.data() != a.data());
  for (std::size_t n = 0; n < N; ++n)
    for (std::size_t c = 0; c < C; ++c)
      for (std::size_t t = 0; t < T; ++t) CHECK(x(Index(c + C * t), Index(n)) == a(n, c, t));
  // docs/layer-contract-signals.md: x = a.permute(0, 2, 1).reshape(N, T*C).T, here in xtensor.
  const xt::xarray<S> channels_last = xt::transpose(a, {0, 2, 1});
  const xt::xarray<S> flat = xt::reshape_view(channels_last, {N, T * C});
  CHECK(cx::to_feature_batch(flat) == x);
  // Round trips: canon -> view -> canon, and xtensor -> canon -> view -> xtensor.
  CHECK(cx::to_signal_batch(cx::signal_view(x, Index(C))) == x);
  const xt::xarray<S> again = cx::signal_view(x, Index(C));
  CHECK(again == a);
  // Other scalars, and expressions.
  CHECK(cx::to_signal_batch<double>(a) == x.template cast<double>());
  CHECK(cx::to_signal_batch(a * S(2)) == (S(2) * x).eval());
  xt::xarray<S> two_d = xt::zeros<S>({2, 3});
  CHECK(canon_test::error_of<canon::shape_error>([&] { cx::to_signal_batch(two_d); }) ==
        "canon::xtensor::to_signal_batch: the array has shape (2, 3), 2 dimensions; expected 3, (N, C, T): batch, "
        "channels, time");
}

TEMPLATE_TEST_CASE("map_signal_batch: zero-copy when the strides already are canon's", "[xtensor][signal]", float,
                   double) {
  using S = TestType;
  const std::size_t N = 2, C = 3, T = 4;
  // Channels-last (N, T, C), row-major, as TensorFlow's NWC: its (N, C, T) transpose has
  // strides (C*T, 1, C), which is canon's layout.
  xt::xarray<S> nwc = xt::zeros<S>({N, T, C});
  for (std::size_t i = 0; i < nwc.size(); ++i) nwc.data()[i] = S(i);
  auto nct = xt::transpose(nwc, {0, 2, 1});
  auto m = cx::map_signal_batch(nct);
  STATIC_REQUIRE(std::is_same_v<decltype(m), Eigen::Map<Matrix<S>>>);
  REQUIRE(m.rows() == Index(C * T));
  REQUIRE(m.cols() == Index(N));
  CHECK(m.data() == nwc.data());
  for (std::size_t n = 0; n < N; ++n)
    for (std::size_t c = 0; c < C; ++c)
      for (std::size_t t = 0; t < T; ++t) CHECK(m(Index(c + C * t), Index(n)) == nct(n, c, t));
  m(Index(2 + C * 1), 1) = S(-8);
  CHECK(nwc(1, 1, 2) == S(-8));
  CHECK(nct(1, 2, 1) == S(-8));

  // The adaptor signal_view makes maps back onto the batch it came from.
  Matrix<S> x = canon_test::random_matrix(Index(C * T), Index(N), 4).template cast<S>();
  auto v = cx::signal_view(x, Index(C));
  auto back = cx::map_signal_batch(v);
  CHECK(back.data() == x.data());
  CHECK(back == x);

  // One channel (audio): a row-major (N, 1, T) array already is canon's layout.
  xt::xarray<S> audio = numbered<S>(N, 1, T);
  const auto& read_only = audio;
  auto mono = cx::map_signal_batch(read_only);
  STATIC_REQUIRE(std::is_same_v<decltype(mono), Eigen::Map<const Matrix<S>>>);
  CHECK(mono.data() == audio.data());
  CHECK(mono(3, 1) == S(103));
}

TEST_CASE("map_signal_batch refuses a row-major (N, C, T) array and points to the copy", "[xtensor][signal]") {
  xt::xarray<float> a = numbered<float>(2, 3, 4);
  CHECK(canon_test::error_of<canon::shape_error>([&] { cx::map_signal_batch(a); }) ==
        "canon::xtensor::map_signal_batch: the array of shape (2, 3, 4) has strides (12, 4, 1) (in elements); a "
        "zero-copy map needs strides (12, 1, 3) (canon's signal layout, channels fastest inside each sample; strides "
        "of dimensions of length 1 do not matter); canon::xtensor::to_signal_batch copies from any layout");
  xt::xtensor<float, 2> two_d = xt::zeros<float>({3, 4});
  CHECK(canon_test::error_of<canon::shape_error>([&] { cx::map_signal_batch(two_d); }) ==
        "canon::xtensor::map_signal_batch: the array has shape (3, 4), 2 dimensions; expected 3, (N, C, T): batch, "
        "channels, time");
}
