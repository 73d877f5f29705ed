// .npz archives as NumPy writes them (np.savez, np.savez_compressed, zip64), canon's own
// archives read back, and damaged archives refused with the reason.
#include <canon/io/npz.hpp>
#include <canon/io/npz_samples.hpp>

#include <cstdio>
#include <fstream>
#include <sstream>

#include "canon_test.hpp"

using namespace canon;

namespace {

std::string fixture_path(const std::string& name) { return std::string(CANON_FIXTURES_DIR) + "/" + name; }

std::string read_bytes(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  std::ostringstream s;
  s << in.rdbuf();
  return s.str();
}

void write_bytes(const std::string& path, const std::string& bytes) {
  std::ofstream(path, std::ios::binary) << bytes;
}

void poke(std::string& bytes, std::size_t at, std::uint64_t value, int size) {
  for (int i = 0; i < size; ++i) bytes[at + std::size_t(i)] = char((value >> (8 * i)) & 0xFF);
}

}  // namespace

TEST_CASE("read_npz: np.savez, np.savez_compressed and zip64 archives as NumPy wrote them") {
  const auto f = canon_test::read_fixture("npz_reference.txt");
  const auto stored = io::read_npz(fixture_path("npz_stored.npz"));
  REQUIRE(stored.size() == 2);
  CHECK(stored.at("features").matrix<double>() == f.at("features"));
  CHECK(stored.at("weights").descr == "<f4");
  CHECK(stored.at("weights").matrix<double>() == f.at("weights").transpose());

  const auto compressed = io::read_npz(fixture_path("npz_compressed.npz"));
  REQUIRE(compressed.size() == 2);
  CHECK(compressed.at("arr_0").matrix<double>() == f.at("features"));  // a positional array
  CHECK(compressed.at("labels").descr == "<i2");
  CHECK(compressed.at("labels").matrix<double>() == f.at("labels"));

  const auto wide = io::read_npz(fixture_path("npz_zip64.npz"));  // zip64 in the directory too
  CHECK(wide.at("features").matrix<double>() == f.at("features"));
  CHECK(wide.at("weights").matrix<double>() == f.at("weights").transpose());
}

TEST_CASE("read_npz: a saturated end record leads to the zip64 end record") {
  // What a reader meets beyond 65535 members or 4 GiB: the classic end record's fields
  // saturated, the real values in the zip64 record that the locator points at.
  std::string bytes = read_bytes(fixture_path("npz_zip64.npz"));
  const std::size_t end = bytes.rfind(std::string("PK\x05\x06", 4));
  REQUIRE(end != std::string::npos);
  poke(bytes, end + 8, 0xFFFF, 2);
  poke(bytes, end + 10, 0xFFFF, 2);
  poke(bytes, end + 12, 0xFFFFFFFFu, 4);
  poke(bytes, end + 16, 0xFFFFFFFFu, 4);
  write_bytes("canon-test-saturated.npz", bytes);
  CHECK(io::read_npz("canon-test-saturated.npz").size() == 2);
  std::remove("canon-test-saturated.npz");
}

TEMPLATE_TEST_CASE("write_npz: canon's archives read back exactly, stored or deflated", "", float, double) {
  Matrix<TestType> a(3, 4), b(1, 7), empty(0, 2);
  a.setRandom();
  b.setRandom();
  for (const bool deflate : {true, false}) {
    io::write_npz<TestType>("canon-test-write.npz", {{"a", a}, {"b", b}, {"empty", empty}}, deflate);
    const auto back = io::read_npz("canon-test-write.npz");
    REQUIRE(back.size() == 3);
    CHECK(back.at("a").matrix<TestType>() == a);
    CHECK(back.at("b").shape == std::vector<Index>{1, 7});
    CHECK(back.at("b").matrix<TestType>() == b);
    CHECK(back.at("empty").shape == std::vector<Index>{0, 2});
    CHECK(back.at("a").descr == (sizeof(TestType) == 4 ? "<f4" : "<f8"));
  }
  // Deterministic bytes: the same arrays give the same file.
  io::write_npz<TestType>("canon-test-write.npz", {{"a", a}}, true);
  const std::string first = read_bytes("canon-test-write.npz");
  io::write_npz<TestType>("canon-test-write.npz", {{"a", a}}, true);
  CHECK(read_bytes("canon-test-write.npz") == first);
  std::remove("canon-test-write.npz");
}

TEST_CASE("read_npz: damaged archives are refused with the reason, never read past the end", "[robust]") {
  const std::string good = read_bytes(fixture_path("npz_compressed.npz"));
  const std::string path = "canon-test-damaged.npz";
  SECTION("every truncation") {
    for (std::size_t size = 0; size < good.size(); ++size) {
      write_bytes(path, good.substr(0, size));
      CHECK_THROWS_AS(io::read_npz(path), io_error);
    }
  }
  SECTION("a flipped byte in deflated data") {
    std::string bad = good;
    const std::size_t data = bad.find("labels.npy") + 10 + 20 + 20;  // inside labels' data
    bad[data] = char(bad[data] ^ 0x55);
    write_bytes(path, bad);
    CHECK_THROWS_WITH(io::read_npz(path), Catch::Contains("member 'labels.npy'"));
  }
  SECTION("not a zip") {
    write_bytes(path, std::string(100, 'x'));
    CHECK_THROWS_WITH(io::read_npz(path), Catch::Contains("not a zip (.npz) file"));
  }
  SECTION("a member that is not .npy") {
    std::string bad = good;
    const std::size_t central = bad.find(std::string("PK\x01\x02", 4));
    bad[central + 46 + 7] = 'x';  // "labels.npy" -> "labels.xpy" in the directory
    write_bytes(path, bad);
    CHECK_THROWS_WITH(io::read_npz(path), Catch::Contains("is not a .npy array"));
  }
  SECTION("a directory count beyond what the directory can hold") {
    std::string bad = good;
    const std::size_t end = bad.rfind(std::string("PK\x05\x06", 4));
    poke(bad, end + 10, 0xFFFE, 2);
    write_bytes(path, bad);
    CHECK_THROWS_WITH(io::read_npz(path), Catch::Contains("members in a"));
  }
  std::remove(path.c_str());
}

TEST_CASE("read_npz_samples: one array of a NumPy archive as samples x features") {
  const auto f = canon_test::read_fixture("npz_reference.txt");
  const std::string stored = fixture_path("npz_stored.npz");
  // Named: (5, 3) features are 5 samples, canon's 3 x 5; a 1-D array is one feature.
  CHECK(io::read_npz_samples(stored + ":features") == f.at("features").transpose());
  CHECK(io::read_npz_samples(stored + ":weights").rows() == 1);
  CHECK(io::read_npz_samples(fixture_path("npz_compressed.npz") + ":arr_0") == f.at("features").transpose());
  // Two arrays and no name, or a name the archive lacks: refused with the names it has.
  CHECK_THROWS_WITH(io::read_npz_samples(stored, "the first view"),
                    Catch::Contains("holds 2 arrays ('features', 'weights'); name one as") &&
                        Catch::Contains("the first view"));
  CHECK_THROWS_WITH(io::read_npz_samples(stored + ":feature"),
                    Catch::Contains("holds no array 'feature'; it holds 'features', 'weights'"));
  CHECK_THROWS_WITH(io::read_npz_samples("features.npy"), Catch::Contains("expected an .npz archive"));

  // A single array needs no name; canon's own archive reads back exactly.
  Matrix<double> x(2, 4);
  x << 1, 2, 3, 4, 5, 6, 7, std::nan("");
  const std::string mine = "canon-test-npz-samples.npz";
  io::write_npz_samples(mine, x.leftCols(3), "embedding");
  CHECK(io::read_npz(mine).at("embedding").shape == std::vector<Index>{3, 2});  // (samples, features)
  CHECK(io::read_npz_samples(mine) == x.leftCols(3));
  CHECK(io::read_npz_samples(mine + ":embedding") == x.leftCols(3));
  io::write_npz_samples(mine, x);  // NaN is written (it is the caller's), but never read as a feature
  CHECK_THROWS_WITH(io::read_npz_samples(mine), Catch::Contains("expected finite values"));
  std::remove(mine.c_str());

  io::NpzSource where;
  REQUIRE(io::parse_npz_source("dir.npz:x/run.npz:view", where));  // split at the last ".npz:"
  CHECK(where.path == "dir.npz:x/run.npz");
  CHECK(where.name == "view");
  CHECK_FALSE(io::parse_npz_source("view.npy", where));
}
