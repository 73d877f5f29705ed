// A user's feature file (.npy or .csv, one sample per row) as a canon matrix (one
// sample per column), and embeddings back to .npy.
#include <canon/io/feature_matrix.hpp>

#include <cstdio>
#include <fstream>

#include "canon_test.hpp"

using namespace canon;

namespace {

void write_text(const std::string& path, const std::string& text) { std::ofstream(path) << text; }

}  // namespace

TEST_CASE("read_samples: files hold one sample per row, canon one per column") {
  const Matrix<double> samples = (Matrix<double>(3, 2) << 1, 2, 3, 4, 5, 6.5).finished();  // n = 3, d = 2
  SECTION(".npy") {
    io::write_npy("canon-test-features.npy", samples);
    const Matrix<double> x = io::read_samples("canon-test-features.npy");
    CHECK(x == samples.transpose());
    std::remove("canon-test-features.npy");
  }
  SECTION("a 1-D .npy is one feature") {
    io::write_npy_1d<double>("canon-test-features.npy", {1, 2, 3, 4});
    CHECK(io::read_samples("canon-test-features.npy") == (Matrix<double>(1, 4) << 1, 2, 3, 4).finished());
    std::remove("canon-test-features.npy");
  }
  SECTION(".csv with and without a header") {
    write_text("canon-test-features.csv", "loudness,brightness\n1,2\n3,4\n5,6.5\n");
    CHECK(io::read_samples("canon-test-features.csv") == samples.transpose());
    write_text("canon-test-features.csv", "1,2\n3,4\n5,6.5\n");
    CHECK(io::read_samples("canon-test-features.csv") == samples.transpose());
    std::remove("canon-test-features.csv");
  }
  SECTION("write_samples writes (n, d)") {
    io::write_samples("canon-test-features.npy", samples.transpose());
    const auto array = io::read_npy("canon-test-features.npy");
    CHECK(array.shape == std::vector<Index>{3, 2});
    CHECK(array.descr == "<f8");
    CHECK(array.data[1] == 2);
    std::remove("canon-test-features.npy");
  }
}

TEST_CASE("read_samples: what is not a finite matrix is refused with where it is", "[robust]") {
  write_text("canon-test-bad.csv", "a,b\n1,2\n3,oops\n");
  CHECK_THROWS_WITH(io::read_samples("canon-test-bad.csv", "the first view"),
                    Catch::Contains("line 3, column 2") && Catch::Contains("'oops' is not a number") &&
                        Catch::Contains("the first view"));
  write_text("canon-test-bad.csv", "a,b\n1,2\n3,\n");
  CHECK_THROWS_WITH(io::read_samples("canon-test-bad.csv"), Catch::Contains("'' is not a number"));
  write_text("canon-test-bad.csv", "a,b\n");
  CHECK_THROWS_WITH(io::read_samples("canon-test-bad.csv"), Catch::Contains("holds 0 samples"));
  std::remove("canon-test-bad.csv");

  Matrix<double> with_nan = Matrix<double>::Ones(4, 2);
  with_nan(2, 1) = std::numeric_limits<double>::quiet_NaN();
  io::write_npy("canon-test-bad.npy", with_nan);
  CHECK_THROWS_WITH(io::read_samples("canon-test-bad.npy"),
                    Catch::Contains("at sample (row) 2, feature (column) 1") && Catch::Contains("finite"));
  std::remove("canon-test-bad.npy");

  CHECK_THROWS_WITH(io::read_samples("features.txt"), Catch::Contains("expected a .npy or .csv file"));
  CHECK_THROWS_AS(io::read_samples("canon-test-missing.npy"), io_error);
}
