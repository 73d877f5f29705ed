#include <catch2/catch.hpp>

#include <cstdio>
#include <fstream>
#include <map>
#include <sstream>
#include <string>
#include <type_traits>
#include <xtensor/xarray.hpp>
#include <xtensor/xtensor.hpp>

#include "canon/io/npy.hpp"
#include "canon/xtensor/feature_batch.hpp"
#include "canon/xtensor/npy.hpp"
#include "canon/xtensor/signal_batch.hpp"
#include "canon_test.hpp"

namespace cx = canon::xtensor;
using canon::Index;
using canon::Matrix;

namespace {

/// A file in the working directory, removed when the test ends.
struct TempFile {
  std::string path;
  explicit TempFile(std::string p, const std::string& bytes = "") : path(std::move(p)) {
    if (!bytes.empty()) std::ofstream(path, std::ios::binary) << bytes;
  }
  ~TempFile() { std::remove(path.c_str()); }
  std::string bytes() const {
    std::ifstream in(path, std::ios::binary);
    std::ostringstream s;
    s << in.rdbuf();
    return s.str();
  }
};

template <class Shape>
std::vector<std::size_t> dims(const Shape& s) {
  return std::vector<std::size_t>(s.begin(), s.end());
}

}  // namespace

TEMPLATE_TEST_CASE("read_npy: NumPy's files keep their shape, Fortran order honoured", "[xtensor][npy]", float,
                   double) {
  using S = TestType;
  auto files = canon_test::npy_fixture_files();
  for (const char* name : {"f8_c", "f4_c", "f8_fortran", "f8_big"}) {
    INFO(name);
    const TempFile file(std::string("canon_test_xt_") + name + ".npy", files[name]);
    const xt::xarray<S> a = cx::read_npy<S>(file.path);
    REQUIRE(dims(a.shape()) == std::vector<std::size_t>{3, 4});
    for (std::size_t i = 0; i < 3; ++i)
      for (std::size_t j = 0; j < 4; ++j) CHECK(a(i, j) == S(10.0 * double(i) + double(j) + 0.25));
  }
  for (const char* name : {"f4_3d", "f8_3d_fortran"}) {
    INFO(name);
    const auto a = cx::to_xarray<S>(canon::io::parse_npy(files[name], name), name);
    REQUIRE(dims(a.shape()) == std::vector<std::size_t>{2, 3, 4});
    for (std::size_t i = 0; i < 2; ++i)
      for (std::size_t j = 0; j < 3; ++j)
        for (std::size_t k = 0; k < 4; ++k) CHECK(a(i, j, k) == S(12 * i + 4 * j + k));
    const xt::xtensor<S, 3> t = cx::to_xtensor<S, 3>(canon::io::parse_npy(files[name], name), name);
    CHECK(t == a);
  }
  const auto ints = cx::to_xarray<S>(canon::io::parse_npy(files["i8_1d"], "i8_1d"));
  REQUIRE(dims(ints.shape()) == std::vector<std::size_t>{7});
  CHECK(ints(0) == S(-3));
  CHECK(ints(6) == S(3));
  const auto small = cx::to_xarray<S>(canon::io::parse_npy(files["i2_big"], "i2_big"));
  CHECK(small(2, 3) == S(18));
  const auto flags = cx::to_xarray<S>(canon::io::parse_npy(files["bool"], "bool"));
  CHECK(flags == xt::xarray<S>{1, 0, 1});
}

TEST_CASE("read_npy can keep a Fortran-order file in Fortran order: canon's batch memory", "[xtensor][npy]") {
  auto files = canon_test::npy_fixture_files();
  const TempFile file("canon_test_xt_fortran.npy", files["f8_fortran"]);
  const auto a = cx::read_npy<double, xt::layout_type::column_major>(file.path);
  STATIC_REQUIRE(std::is_same_v<std::decay_t<decltype(a)>, xt::xarray<double, xt::layout_type::column_major>>);
  CHECK(a(2, 3) == 23.25);
  CHECK(a.strides()[0] == 1);
  CHECK(a.strides()[1] == 3);
  // Its memory, column-major, is the 3 x 4 matrix: what canon's layout holds.
  const Eigen::Map<const Matrix<double>> m(a.data(), 3, 4);
  for (Index i = 0; i < 3; ++i)
    for (Index j = 0; j < 4; ++j) CHECK(m(i, j) == 10.0 * double(i) + double(j) + 0.25);
}

TEST_CASE("read_npy_tensor and to_xtensor name the shape when the rank differs", "[xtensor][npy]") {
  auto files = canon_test::npy_fixture_files();
  const TempFile file("canon_test_xt_3d.npy", files["f4_3d"]);
  try {
    cx::read_npy_tensor<float, 2>(file.path);
    FAIL("expected a shape_error");
  } catch (const canon::shape_error& e) {
    CHECK(std::string(e.what()) == file.path + ": the array has shape (2, 3, 4), 3 dimensions; expected 2");
  }
  CHECK(cx::read_npy_tensor<float, 3>(file.path)(1, 2, 3) == 23.0f);
  const auto two_d = canon::io::parse_npy(files["f8_c"], "f8_c");
  CHECK_THROWS_AS((cx::to_xtensor<double, 1>(two_d)), canon::shape_error);
}

TEST_CASE("read_npy refuses what float cannot hold and passes on the parser's errors", "[xtensor][npy]") {
  const TempFile big("canon_test_xt_big.npy");
  Matrix<double> m(1, 2);
  m << 1.0, 1e300;
  canon::io::write_npy(big.path, m);
  try {
    cx::read_npy<float>(big.path);
    FAIL("expected a value_error");
  } catch (const canon::value_error& e) {
    CHECK_THAT(e.what(), Catch::Contains("element 1 (C order) is 1e+300, beyond the range of the requested 32-bit"));
  }
  CHECK(cx::read_npy<double>(big.path)(0, 1) == 1e300);
  canon::io::NpyArray by_hand;
  by_hand.shape = {2, 3};
  by_hand.data = {1, 2, 3, 4, 5};
  try {
    cx::to_xarray<double>(by_hand, "by_hand");
    FAIL("expected a shape_error");
  } catch (const canon::shape_error& e) {
    CHECK(std::string(e.what()) == "by_hand: the array has shape (2, 3) but holds 5 values; expected the product of "
                                   "the shape");
  }
  auto files = canon_test::npy_fixture_files();
  const TempFile truncated("canon_test_xt_truncated.npy", files["f8_c"].substr(0, 140));
  CHECK_THROWS_AS(cx::read_npy<double>(truncated.path), canon::io_error);
}

TEMPLATE_TEST_CASE("write_npy writes any xt expression in C order; canon's reader gets it back", "[xtensor][npy]",
                   float, double) {
  using S = TestType;
  const TempFile file("canon_test_xt_write.npy");
  // A signal batch exported as NumPy's (N, C, T): the strided view, written in C order.
  const Index C = 3, T = 4, N = 2;
  Matrix<S> x = canon_test::random_matrix(C * T, N, 11).template cast<S>();
  cx::write_npy(file.path, cx::signal_view(x, C));
  const auto raw = canon::io::read_npy(file.path);
  CHECK(raw.descr == (sizeof(S) == 4 ? "<f4" : "<f8"));
  REQUIRE(raw.shape == std::vector<Index>{N, C, T});
  for (Index n = 0; n < N; ++n)
    for (Index c = 0; c < C; ++c)
      for (Index t = 0; t < T; ++t)
        CHECK(raw.data[std::size_t(n * C * T + c * T + t)] == double(x(c + C * t, n)));
  CHECK(cx::to_signal_batch(cx::read_npy<S>(file.path)) == x);

  // A feature batch: byte for byte what canon::io::write_npy writes for the (N, F) matrix.
  const TempFile eigen_file("canon_test_xt_eigen.npy");
  Matrix<S> features = canon_test::random_matrix(3, 5, 12).template cast<S>();
  cx::write_npy(file.path, cx::feature_view(features));
  canon::io::write_npy(eigen_file.path, features.transpose());
  CHECK(file.bytes() == eigen_file.bytes());

  // Any rank, a 0-d array included, and another scalar on request.
  const xt::xarray<S> scalar = S(3.5);
  cx::write_npy(file.path, scalar);
  CHECK(canon::io::read_npy(file.path).shape.empty());
  CHECK(cx::read_npy<S>(file.path)() == S(3.5));
  xt::xarray<double> four = xt::zeros<double>({2, 1, 3, 2});
  for (std::size_t k = 0; k < four.size(); ++k) four.data()[k] = 0.5 * double(k);
  cx::write_npy<S>(file.path, four + 1.0);
  CHECK(canon::io::read_npy(file.path).descr == (sizeof(S) == 4 ? "<f4" : "<f8"));
  const xt::xarray<S> back = cx::read_npy<S>(file.path);
  CHECK(back == xt::xarray<S>(xt::cast<S>(four + 1.0)));
}
