#include <catch2/catch.hpp>

#include <string>
#include <vector>
#include <xtensor/xarray.hpp>

#include "canon/xtensor/feature_batch.hpp"
#include "canon/xtensor/npz.hpp"
#include "canon_test.hpp"

namespace cx = canon::xtensor;
using canon::Index;
using canon::Matrix;

namespace {

std::string fixture(const std::string& name) { return std::string(CANON_FIXTURES_DIR) + "/" + name; }

template <class Shape>
std::vector<std::size_t> dims(const Shape& s) {
  return std::vector<std::size_t>(s.begin(), s.end());
}

/// Element (i, j) of a 2-D xarray (or i of a 1-D one, j = 0) against a fixture block.
template <class S>
void check_against(const xt::xarray<S>& a, const Matrix<double>& expected, double tolerance) {
  const bool one_d = a.dimension() == 1;
  REQUIRE(a.size() == std::size_t(expected.size()));
  for (Index i = 0; i < expected.rows(); ++i)
    for (Index j = 0; j < expected.cols(); ++j) {
      const double got = one_d ? double(a(std::size_t(j))) : double(a(std::size_t(i), std::size_t(j)));
      CHECK(got == Approx(expected(i, j)).epsilon(tolerance).margin(tolerance));
    }
}

}  // namespace

TEMPLATE_TEST_CASE("read_npz: NumPy's archives into xt::xarray, shapes kept", "[xtensor][npz]", float, double) {
  using S = TestType;
  const double tolerance = std::is_same_v<S, float> ? 1e-7 : 0.0;
  const auto reference = canon_test::read_fixture("npz_reference.txt");
  for (const char* name : {"npz_stored.npz", "npz_zip64.npz"}) {
    INFO(name);
    const auto arrays = cx::read_npz<S>(fixture(name));
    REQUIRE(arrays.size() == 2);
    REQUIRE(dims(arrays.at("features").shape()) == std::vector<std::size_t>{5, 3});
    REQUIRE(dims(arrays.at("weights").shape()) == std::vector<std::size_t>{4});
    check_against(arrays.at("features"), reference.at("features"), tolerance);
    check_against(arrays.at("weights"), reference.at("weights"), 0.0);  // float32 in the file: exact in both
  }
  const auto compressed = cx::read_npz<S>(fixture("npz_compressed.npz"));
  REQUIRE(compressed.size() == 2);
  REQUIRE(dims(compressed.at("arr_0").shape()) == std::vector<std::size_t>{5, 3});
  REQUIRE(dims(compressed.at("labels").shape()) == std::vector<std::size_t>{2, 2});
  check_against(compressed.at("arr_0"), reference.at("features"), tolerance);
  check_against(compressed.at("labels"), reference.at("labels"), 0.0);
}

TEST_CASE("an .npz array of samples is a canon feature batch without a further copy", "[xtensor][npz]") {
  auto arrays = cx::read_npz<double>(fixture("npz_stored.npz"));
  xt::xarray<double>& features = arrays.at("features");
  auto batch = cx::map_feature_batch(features);
  CHECK(batch.data() == features.data());
  CHECK(batch == canon_test::read_fixture("npz_reference.txt").at("features").transpose());
}

TEST_CASE("read_npz passes on the zip reader's errors", "[xtensor][npz]") {
  CHECK_THROWS_AS(cx::read_npz<double>(fixture("npz_reference.txt")), canon::io_error);
  CHECK_THROWS_AS(cx::read_npz<float>(fixture("no_such_archive.npz")), canon::error);
}
