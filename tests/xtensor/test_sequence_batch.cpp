#include <catch2/catch.hpp>

#include <type_traits>
#include <xtensor/xarray.hpp>
#include <xtensor/xmanipulation.hpp>
#include <xtensor/xtensor.hpp>

#include "canon/xtensor/feature_batch.hpp"
#include "canon/xtensor/sequence_batch.hpp"
#include "canon_test.hpp"

namespace cx = canon::xtensor;
using canon::Index;
using canon::Matrix;

namespace {

template <class T, class = void>
struct can_view : std::false_type {};
template <class T>
struct can_view<T, std::void_t<decltype(cx::sequence_view(std::declval<T>(), Index(1)))>> : std::true_type {};

}  // namespace

static_assert(can_view<Matrix<double>&>::value && !can_view<Matrix<double>>::value);

TEMPLATE_TEST_CASE("sequence_view: (n, t, f) is batch(f + F*t, n), C order, same memory", "[xtensor][sequence]",
                   float, double) {
  using S = TestType;
  const Index F = 4, T = 3, N = 2;
  Matrix<S> x = canon_test::random_matrix(F * T, N, 5).template cast<S>();
  auto v = cx::sequence_view(x, F);
  STATIC_REQUIRE(std::is_same_v<decltype(v), cx::RowMajorView<S, 3>>);
  CHECK(v.shape()[0] == std::size_t(N));
  CHECK(v.shape()[1] == std::size_t(T));
  CHECK(v.shape()[2] == std::size_t(F));
  CHECK(v.data() == x.data());
  for (Index n = 0; n < N; ++n)
    for (Index t = 0; t < T; ++t)
      for (Index f = 0; f < F; ++f) CHECK(v(n, t, f) == x(f + F * t, n));
  v(1, 2, 3) = S(5);
  CHECK(x(3 + F * 2, 1) == S(5));
  // docs/layer-contract.md: PyTorch's batch-first (N, T, F) maps in as x.reshape(N, T*F).T.
  const xt::xarray<S> batch_first = v;
  CHECK(cx::to_feature_batch(xt::reshape_view(batch_first, {std::size_t(N), std::size_t(T * F)})) == x);

  const Matrix<S>& read_only = x;
  STATIC_REQUIRE(std::is_same_v<decltype(cx::sequence_view(read_only, F)), cx::RowMajorView<const S, 3>>);
  CHECK(canon_test::error_of<canon::shape_error>([&] { cx::sequence_view(x, 5); }) ==
        "canon::xtensor::sequence_view: the batch is 12x2, whose 12 rows are not a multiple of 5 features; expected "
        "(features * steps) x batch, features fastest");
}

TEMPLATE_TEST_CASE("map_sequence_batch maps a batch-first (N, T, F) array; to_sequence_batch copies the rest",
                   "[xtensor][sequence]", float, double) {
  using S = TestType;
  const std::size_t N = 2, T = 3, F = 4;
  xt::xarray<S> a = xt::zeros<S>({N, T, F});
  for (std::size_t i = 0; i < a.size(); ++i) a.data()[i] = S(i) / S(4);
  auto m = cx::map_sequence_batch(a);
  REQUIRE(m.rows() == Index(F * T));
  REQUIRE(m.cols() == Index(N));
  CHECK(m.data() == a.data());
  for (std::size_t n = 0; n < N; ++n)
    for (std::size_t t = 0; t < T; ++t)
      for (std::size_t f = 0; f < F; ++f) CHECK(m(Index(f + F * t), Index(n)) == a(n, t, f));
  m(0, 1) = S(-1);
  CHECK(a(1, 0, 0) == S(-1));

  // Time-major (T, N, F), PyTorch's default for recurrent layers, is not canon's layout:
  // its batch-first transpose has strides (F, N*F, 1).
  const xt::xarray<S> time_major = xt::transpose(a, {1, 0, 2});
  auto as_batch_first = xt::transpose(time_major, {1, 0, 2});
  CHECK(canon_test::error_of<canon::shape_error>([&] { cx::map_sequence_batch(as_batch_first); }) ==
        "canon::xtensor::map_sequence_batch: the array of shape (2, 3, 4) has strides (4, 8, 1) (in elements); a "
        "zero-copy map needs strides (12, 4, 1) (C order, features fastest; strides of dimensions of length 1 do "
        "not matter); canon::xtensor::to_sequence_batch copies from any layout");
  const Matrix<S> copied = cx::to_sequence_batch(as_batch_first);
  CHECK(copied == m);
  CHECK(copied.data() != a.data());
  CHECK(cx::to_sequence_batch<float>(a) == m.template cast<float>());
  xt::xarray<S> four = xt::zeros<S>({1, 2, 3, 4});
  CHECK_THROWS_AS(cx::map_sequence_batch(four), canon::shape_error);
}
