#include <catch2/catch.hpp>

#include <type_traits>
#include <xtensor/xarray.hpp>
#include <xtensor/xmanipulation.hpp>
#include <xtensor/xmath.hpp>
#include <xtensor/xtensor.hpp>

#include "canon/xtensor/feature_batch.hpp"
#include "canon_test.hpp"

namespace cx = canon::xtensor;
using canon::Index;
using canon::Matrix;

namespace {

template <class T, class = void>
struct can_view : std::false_type {};
template <class T>
struct can_view<T, std::void_t<decltype(cx::feature_view(std::declval<T>()))>> : std::true_type {};

template <class T, class = void>
struct can_map : std::false_type {};
template <class T>
struct can_map<T, std::void_t<decltype(cx::map_feature_batch(std::declval<T>()))>> : std::true_type {};

}  // namespace

// Views of temporaries would dangle: those overloads are deleted.
static_assert(can_view<Matrix<double>&>::value && can_view<const Matrix<float>&>::value);
static_assert(!can_view<Matrix<double>>::value && !can_view<const Matrix<double>>::value);
static_assert(can_map<xt::xarray<double>&>::value && !can_map<xt::xarray<double>>::value);

TEMPLATE_TEST_CASE("feature_view: the (N, F) array over an F x N batch, same memory", "[xtensor][features]", float,
                   double) {
  using S = TestType;
  const Index F = 3, N = 5;
  Matrix<S> x = canon_test::random_matrix(F, N, 1).template cast<S>();
  auto v = cx::feature_view(x);
  REQUIRE(v.dimension() == 2);
  CHECK(v.shape()[0] == std::size_t(N));
  CHECK(v.shape()[1] == std::size_t(F));
  CHECK(v.data() == x.data());
  for (Index n = 0; n < N; ++n)
    for (Index f = 0; f < F; ++f) CHECK(v(n, f) == x(f, n));
  v(4, 2) = S(7);
  CHECK(x(2, 4) == S(7));
  x(1, 3) = S(-2);
  CHECK(v(3, 1) == S(-2));
  // xtensor computes on canon's memory: the per-feature mean over the samples.
  const xt::xtensor<S, 1> mean = xt::mean(v, {0});
  for (Index f = 0; f < F; ++f) CHECK(double(mean(f)) == Approx(double(x.row(f).mean())).epsilon(1e-6));

  const Matrix<S>& read_only = x;
  auto c = cx::feature_view(read_only);
  STATIC_REQUIRE(std::is_same_v<decltype(c), cx::RowMajorView<const S, 2>>);
  CHECK(c.data() == x.data());
  CHECK(c(4, 2) == S(7));
}

TEMPLATE_TEST_CASE("map_feature_batch: an (N, F) C-order array is an F x N batch without a copy",
                   "[xtensor][features]", float, double) {
  using S = TestType;
  xt::xarray<S> a = xt::zeros<S>({4, 3});
  for (std::size_t n = 0; n < 4; ++n)
    for (std::size_t f = 0; f < 3; ++f) a(n, f) = S(10 * n + f);
  auto m = cx::map_feature_batch(a);
  STATIC_REQUIRE(std::is_same_v<decltype(m), Eigen::Map<Matrix<S>>>);
  REQUIRE(m.rows() == 3);
  REQUIRE(m.cols() == 4);
  CHECK(m.data() == a.data());
  for (Index n = 0; n < 4; ++n)
    for (Index f = 0; f < 3; ++f) CHECK(m(f, n) == S(10 * n + f));
  m(2, 1) = S(99);
  CHECK(a(1, 2) == S(99));
  a(0, 0) = S(-1);
  CHECK(m(0, 0) == S(-1));
  // canon computes on xtensor's memory.
  CHECK(m.colwise().sum()(1) == S(10 + 11 + 99));

  const xt::xarray<S>& read_only = a;
  auto c = cx::map_feature_batch(read_only);
  STATIC_REQUIRE(std::is_same_v<decltype(c), Eigen::Map<const Matrix<S>>>);
  CHECK(c.data() == a.data());

  xt::xtensor<S, 2> t = a;  // a fixed-rank container maps the same way
  CHECK(cx::map_feature_batch(t) == m);

  // Round trip: canon -> xtensor -> canon, still the same memory.
  auto view = cx::feature_view(m);
  auto back = cx::map_feature_batch(view);
  CHECK(back.data() == a.data());
  xt::xarray<S> one = xt::ones<S>({1, 3});  // one sample: stride 0 on the batch axis
  CHECK(cx::map_feature_batch(one).cols() == 1);
}

TEST_CASE("map_feature_batch refuses other layouts, naming the strides and the copying function",
          "[xtensor][features]") {
  xt::xarray<double, xt::layout_type::column_major> fortran = xt::zeros<double>({4, 3});
  CHECK(canon_test::error_of<canon::shape_error>([&] { cx::map_feature_batch(fortran); }) ==
        "canon::xtensor::map_feature_batch: the array of shape (4, 3) has strides (1, 4) (in elements); a zero-copy "
        "map needs strides (3, 1) (C order, one sample per row; strides of dimensions of length 1 do not matter); "
        "canon::xtensor::to_feature_batch copies from any layout");
  xt::xarray<double> b = xt::zeros<double>({3, 4});
  auto transposed = xt::transpose(b);
  CHECK_THROWS_AS(cx::map_feature_batch(transposed), canon::shape_error);
  xt::xarray<double> three = xt::zeros<double>({2, 3, 4});
  CHECK(canon_test::error_of<canon::shape_error>([&] { cx::map_feature_batch(three); }) ==
        "canon::xtensor::map_feature_batch: the array has shape (2, 3, 4), 3 dimensions; expected 2, (N, F): batch, "
        "features");
}

TEMPLATE_TEST_CASE("to_feature_batch copies any layout and expression", "[xtensor][features]", float, double) {
  using S = TestType;
  xt::xarray<S, xt::layout_type::column_major> a = xt::zeros<S>({4, 3});
  for (std::size_t n = 0; n < 4; ++n)
    for (std::size_t f = 0; f < 3; ++f) a(n, f) = S(10 * n + f);
  const Matrix<S> x = cx::to_feature_batch(a);
  REQUIRE(x.rows() == 3);
  REQUIRE(x.cols() == 4);
  CHECK(x.data() != a.data());
  for (Index n = 0; n < 4; ++n)
    for (Index f = 0; f < 3; ++f) CHECK(x(f, n) == S(10 * n + f));
  const Matrix<S> shifted = cx::to_feature_batch(a + S(1));
  CHECK(shifted == (x.array() + S(1)).matrix());
  const Matrix<float> single = cx::to_feature_batch<float>(xt::xarray<double>(a));
  CHECK(single == x.template cast<float>());
  // Round trip through a view gives the batch back.
  Matrix<S> y = canon_test::random_matrix(6, 2, 3).template cast<S>();
  CHECK(cx::to_feature_batch(cx::feature_view(y)) == y);
  CHECK_THROWS_AS(cx::to_feature_batch(xt::xarray<S>(xt::zeros<S>({3}))), canon::shape_error);
}
