#include <catch2/catch.hpp>

#include <array>
#include <type_traits>
#include <vector>
#include <xtensor/xarray.hpp>
#include <xtensor/xtensor.hpp>

#include "canon/xtensor/view.hpp"
#include "canon_test.hpp"

namespace cx = canon::xtensor;
using canon::Index;
using canon::Matrix;

TEMPLATE_TEST_CASE("the view aliases are the types xt::adapt builds", "[xtensor][view]", float, double) {
  using S = TestType;
  std::vector<S> buffer(24);
  const std::array<std::size_t, 3> shape{2, 3, 4};
  const std::array<std::ptrdiff_t, 3> strides{12, 1, 3};
  using RowMajor =
      decltype(xt::adapt<xt::layout_type::row_major>(buffer.data(), buffer.size(), xt::no_ownership(), shape));
  using Strided = decltype(xt::adapt(buffer.data(), buffer.size(), xt::no_ownership(), shape, strides));
  STATIC_REQUIRE(std::is_same_v<RowMajor, cx::RowMajorView<S, 3>>);
  STATIC_REQUIRE(std::is_same_v<Strided, cx::StridedView<S, 3>>);
  // Given an lvalue pointer, xt::adapt keeps a reference to that variable (xbuffer_adaptor<S*&>):
  // why canon's helpers hand it an rvalue, so that a view outlives the variable.
  S* pointer_variable = buffer.data();
  using FromLvalue = decltype(xt::adapt(pointer_variable, buffer.size(), xt::no_ownership(), shape, strides));
  STATIC_REQUIRE(!std::is_same_v<FromLvalue, cx::StridedView<S, 3>>);
  const S* read_only = buffer.data();
  using ConstStrided = decltype(xt::adapt(read_only + 0, buffer.size(), xt::no_ownership(), shape, strides));
  STATIC_REQUIRE(std::is_same_v<ConstStrided, cx::StridedView<const S, 3>>);
  // A const view hands out const elements: writing through it does not compile.
  using ConstElement = decltype(std::declval<cx::StridedView<const S, 3>&>()(0, 0, 0));
  using Element = decltype(std::declval<cx::RowMajorView<S, 2>&>()(0, 0));
  STATIC_REQUIRE(std::is_const_v<std::remove_reference_t<ConstElement>>);
  STATIC_REQUIRE(!std::is_const_v<std::remove_reference_t<Element>>);
}

TEST_CASE("tuple_text prints shapes as NumPy does", "[xtensor][view]") {
  CHECK(cx::detail::tuple_text(std::vector<int>{2, 3, 4}) == "(2, 3, 4)");
  CHECK(cx::detail::tuple_text(std::array<Index, 1>{5}) == "(5,)");
  CHECK(cx::detail::tuple_text(std::vector<int>{}) == "()");
}

TEST_CASE("stride checks ignore dimensions of length 1 and empty arrays", "[xtensor][view]") {
  // xtensor stores stride 0 for a dimension of length 1.
  xt::xarray<double> one_sample = xt::zeros<double>({1, 3, 4});
  REQUIRE(one_sample.strides()[0] == 0);
  CHECK(canon_test::error_of<canon::shape_error>([&] {
          cx::detail::require_strides(one_sample, std::array<Index, 3>{99, 4, 1}, "here", "layout", "copy");
        }) == "no error");
  const std::string message = canon_test::error_of<canon::shape_error>([&] {
    cx::detail::require_strides(one_sample, std::array<Index, 3>{12, 1, 3}, "here", "canon's", "copy_it");
  });
  CHECK(message ==
        "here: the array of shape (1, 3, 4) has strides (0, 4, 1) (in elements); a zero-copy map needs strides "
        "(12, 1, 3) (canon's; strides of dimensions of length 1 do not matter); copy_it copies from any layout");
  xt::xarray<double> empty = xt::zeros<double>({0, 3, 4});
  CHECK(canon_test::error_of<canon::shape_error>([&] {
          cx::detail::require_strides(empty, std::array<Index, 3>{1, 1, 1}, "here", "layout", "copy");
        }) == "no error");
}

TEST_CASE("rank and divisibility checks name what they got and what they expected", "[xtensor][view]") {
  xt::xarray<float> a = xt::zeros<float>({4, 5});
  CHECK(canon_test::error_of<canon::shape_error>([&] { cx::detail::require_rank<3>(a, "f", "(N, C, T): batch, channels, time"); }) ==
        "f: the array has shape (4, 5), 2 dimensions; expected 3, (N, C, T): batch, channels, time");
  CHECK(canon_test::error_of<canon::shape_error>([&] { cx::detail::require_divides(3, 10, 10, 2, "g", "channels", "rows", "canon's"); }) ==
        "g: the batch is 10x2, whose 10 rows are not a multiple of 3 channels; expected canon's");
  CHECK_THROWS_AS(cx::detail::require_divides(0, 10, 10, 2, "g", "channels", "rows", "x"), canon::value_error);
  CHECK(cx::detail::require_divides(5, 10, 10, 2, "g", "channels", "rows", "x") == 2);
}

TEMPLATE_TEST_CASE("map_matrix points at data() + data_offset(), const for const arrays", "[xtensor][view]", float,
                   double) {
  xt::xtensor<TestType, 2> a = xt::zeros<TestType>({3, 4});
  auto m = cx::detail::map_matrix(a, 4, 3);
  STATIC_REQUIRE(std::is_same_v<decltype(m), Eigen::Map<Matrix<TestType>>>);
  CHECK(m.data() == a.data());
  m(1, 2) = TestType(5);  // element 1 + 4*2 = 9 = a(2, 1) in C order
  CHECK(a(2, 1) == TestType(5));
  const auto& read_only = a;
  auto c = cx::detail::map_matrix(read_only, 4, 3);
  STATIC_REQUIRE(std::is_same_v<decltype(c), Eigen::Map<const Matrix<TestType>>>);
  CHECK(c(1, 2) == TestType(5));
}
