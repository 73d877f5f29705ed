#include <catch2/catch.hpp>

#include <cmath>
#include <cstdio>
#include <fstream>
#include <map>

#include "canon/io/npy.hpp"
#include "canon_test.hpp"

namespace {

std::string error_of(const std::string& bytes) {
  try {
    canon::io::parse_npy(bytes, "x.npy");
  } catch (const canon::io_error& e) {
    return e.what();
  }
  return "no error";
}

}  // namespace

TEST_CASE("npy decodes files written by NumPy", "[io][npy]") {
  auto files = canon_test::npy_fixture_files();
  for (const char* name : {"f8_c", "f4_c", "f8_fortran", "f8_big"}) {
    INFO(name);
    const auto a = canon::io::parse_npy(files[name], name);
    REQUIRE(a.shape == std::vector<canon::Index>{3, 4});
    const auto m = a.matrix<double>();
    for (int i = 0; i < 3; ++i)
      for (int j = 0; j < 4; ++j) CHECK(m(i, j) == 10.0 * i + j + 0.25);
  }
  for (const char* name : {"i4", "i2_big"}) {
    const auto m = canon::io::parse_npy(files[name], name).matrix<double>();
    CHECK(m(0, 0) == -5);
    CHECK(m(2, 3) == 18);
  }
  CHECK(canon::io::parse_npy(files["u1"], "u1").matrix<float>()(2, 3) == 23.0f);
  const auto v = canon::io::parse_npy(files["i8_1d"], "i8").matrix<double>();
  CHECK(v.rows() == 7);
  CHECK(v(0, 0) == -3);
  CHECK(v(6, 0) == 3);
  for (const char* name : {"f4_3d", "f8_3d_fortran"}) {
    const auto a = canon::io::parse_npy(files[name], name);
    REQUIRE(a.shape == std::vector<canon::Index>{2, 3, 4});
    for (int k = 0; k < 24; ++k) CHECK(a.data[static_cast<std::size_t>(k)] == k);
    CHECK_THROWS_AS(a.matrix<double>(), canon::shape_error);
  }
  const auto b = canon::io::parse_npy(files["bool"], "bool");
  CHECK(b.data == std::vector<double>{1, 0, 1});
}

TEMPLATE_TEST_CASE("npy write then read round trips exactly", "[io][npy]", float, double) {
  const canon::Matrix<TestType> m = canon_test::random_matrix(5, 3, 7).cast<TestType>();
  const std::string path = "canon_test_roundtrip.npy";
  canon::io::write_npy(path, m);
  const auto a = canon::io::read_npy(path);
  CHECK(a.descr == (sizeof(TestType) == 4 ? "<f4" : "<f8"));
  CHECK(a.matrix<TestType>() == m);
  canon::io::write_npy_1d(path, std::vector<TestType>{1, 2, 3});
  CHECK(canon::io::read_npy(path).shape == std::vector<canon::Index>{3});
  std::remove(path.c_str());
}

TEST_CASE("npy rejects truncated and garbled files with offsets", "[io][npy]") {
  auto files = canon_test::npy_fixture_files();
  const std::string good = files["f8_c"];
  CHECK_THAT(error_of(""), Catch::Contains("x.npy") && Catch::Contains("too short"));
  CHECK_THAT(error_of("garbage bytes here"), Catch::Contains("magic"));
  CHECK_THAT(error_of(good.substr(0, 40)), Catch::Contains("truncated"));
  CHECK_THAT(error_of(good.substr(0, good.size() - 1)), Catch::Contains("truncated"));
  CHECK_THAT(error_of(good + "x"), Catch::Contains("trailing"));
  std::string bad = good;
  bad.replace(bad.find("<f8"), 3, "<c8");
  CHECK_THAT(error_of(bad), Catch::Contains("unsupported dtype"));
  bad = good;
  bad.replace(bad.find("(3, 4)"), 6, "(3; 4)");
  CHECK_THAT(error_of(bad), Catch::Contains("byte") && Catch::Contains("shape"));
  bad = good;
  bad.replace(bad.find("False"), 5, "Fals ");
  CHECK_THAT(error_of(bad), Catch::Contains("True or False"));
  bad = good;
  bad.replace(bad.find("(3, 4)"), 6, "(99999999, 99999999, 99999999)");
  CHECK_THAT(error_of(bad), Catch::Contains("overflows") || Catch::Contains("data bytes"));
  bad = good;
  bad[6] = 9;
  CHECK_THAT(error_of(bad), Catch::Contains("version"));
  CHECK_THROWS_WITH(canon::io::read_npy("/nonexistent.npy"), Catch::Contains("/nonexistent.npy"));
}

TEST_CASE("npy non-finite values are kept and reported, float overflow refused", "[io][npy]") {
  const std::string path = "canon_test_nonfinite.npy";
  canon::io::write_npy_1d(path, std::vector<double>{1.0, NAN, 1e300, INFINITY});
  const auto a = canon::io::read_npy(path);
  CHECK(std::isnan(a.data[1]));
  CHECK(std::isinf(a.data[3]));
  REQUIRE(a.warnings.size() == 1);
  CHECK_THAT(a.warnings[0], Catch::Contains(path) && Catch::Contains("2 NaN/Inf") && Catch::Contains("element 1"));
  CHECK(a.matrix<double>()(2, 0) == 1e300);
  CHECK_THROWS_WITH(a.matrix<float>(), Catch::Contains("element 2") && Catch::Contains("32-bit"));
  canon::io::write_npy_1d(path, std::vector<double>{1.0, 2.0});
  CHECK(canon::io::read_npy(path).warnings.empty());
  CHECK(canon::io::read_npy(path).matrix<float>()(1, 0) == 2.0f);
  std::remove(path.c_str());
}

TEST_CASE("npy: an empty float64 array decodes (found by fuzz_npy under UBSan)", "[io][npy][robust]") {
  // shape (0,): no data bytes. The fast copy path passed a null pointer to memcpy, which
  // is undefined behaviour even for zero bytes (only the sanitizer build can see it).
  std::string header = "{'descr': '<f8', 'fortran_order': False, 'shape': (0,), }";
  header.resize(118 - 1, ' ');
  header += '\n';
  std::string bytes = std::string("\x93NUMPY\x01\x00", 8);
  bytes += char(header.size() & 0xFF);
  bytes += char(header.size() >> 8);
  bytes += header;
  const auto a = canon::io::parse_npy(bytes, "empty.npy");
  CHECK(a.shape == std::vector<canon::Index>{0});
  CHECK(a.data.empty());
}
