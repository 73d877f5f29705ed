#include <canon/core/serialization.hpp>
#include <canon/nn/activations.hpp>
#include <canon/nn/dense.hpp>
#include <canon/nn/sequential.hpp>
#include <cstdio>
#include <cstring>
#include <limits>
#include <filesystem>
#include <fstream>

#include "canon_test.hpp"

using namespace canon;

namespace {

template <class S>
nn::Sequential<S> network(std::uint64_t seed, Index hidden = 5) {
  Rng rng(seed);
  nn::Sequential<S> model;
  model.add(nn::Dense<S>(3, hidden, rng));
  model.add(nn::ReLU<S>());
  model.add(nn::Dense<S>(hidden, 2, rng));
  return model;
}

// A minimal layer with one parameter and one buffer (the shape of a batch-norm layer).
struct WithBuffer {
  using scalar_type = double;
  Parameter<double> scale{2, 1, "scale"};
  Buffer<double> running{Matrix<double>::Zero(2, 1), "running"};
  template <class V> void visit_parameters(V&& v) { v(scale); }
  template <class V> void visit_buffers(V&& v) { v(running); }
};

// The same names with the kinds swapped.
struct SwappedKinds {
  using scalar_type = double;
  Parameter<double> running{2, 1, "running"};
  Buffer<double> scale{Matrix<double>::Zero(2, 1), "scale"};
  template <class V> void visit_parameters(V&& v) { v(running); }
  template <class V> void visit_buffers(V&& v) { v(scale); }
};

std::string temporary_path(const std::string& name) {
  return (std::string("canon-test-") + name + ".bin");
}

std::vector<char> read_bytes(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  return {std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>()};
}
void write_bytes(const std::string& path, const std::vector<char>& bytes) {
  std::ofstream(path, std::ios::binary).write(bytes.data(), std::streamsize(bytes.size()));
}

}  // namespace

TEMPLATE_TEST_CASE("save/load: a round trip restores every value exactly", "[core]", float,
                   double) {
  auto saved = network<TestType>(1);
  auto loaded = network<TestType>(2);
  const std::string path = temporary_path("roundtrip");
  save(saved, path);
  load(loaded, path);
  std::vector<Matrix<TestType>> a, b;
  saved.visit_parameters([&](Parameter<TestType>& p) { a.push_back(p.value); });
  loaded.visit_parameters([&](Parameter<TestType>& p) { b.push_back(p.value); });
  REQUIRE(a.size() == b.size());
  for (std::size_t i = 0; i < a.size(); ++i) CHECK(a[i] == b[i]);
  std::remove(path.c_str());
}

TEST_CASE("save/load: a float file loads into a double model") {
  auto f = network<float>(1);
  auto d = network<double>(2);
  const std::string path = temporary_path("float-to-double");
  save(f, path);
  load(d, path);
  CHECK(d.at<nn::Dense<double>>(0).weight().value ==
        f.at<nn::Dense<float>>(0).weight().value.cast<double>());
  std::remove(path.c_str());
}

TEST_CASE("save/load: wrong shapes, missing tensors and damaged files are rejected") {
  auto model = network<double>(1);
  const std::string path = temporary_path("damaged");
  save(model, path);
  const auto bytes = read_bytes(path);

  SECTION("other shapes") {
    auto wider = network<double>(1, 7);
    const Matrix<double> before = wider.at<nn::Dense<double>>(0).weight().value;
    CHECK_THROWS_WITH(load(wider, path), Catch::Contains("0.weight") && Catch::Contains("5x3") &&
                                             Catch::Contains("7x3"));
    CHECK_THROWS_AS(load(wider, path), shape_error);
    CHECK(wider.at<nn::Dense<double>>(0).weight().value == before);  // untouched
  }
  SECTION("a model with a tensor the file lacks, or without one the file has") {
    Rng rng(3);
    nn::Sequential<double> longer = network<double>(1);
    longer.add(nn::Dense<double>(2, 2, rng));
    CHECK_THROWS_WITH(load(longer, path), Catch::Contains("no tensor '3.weight'"));
    nn::Sequential<double> shorter;
    shorter.add(nn::Dense<double>(3, 5, rng));
    CHECK_THROWS_WITH(load(shorter, path), Catch::Contains("does not have"));
  }
  SECTION("truncated") {
    write_bytes(path, std::vector<char>(bytes.begin(), bytes.begin() + 40));
    CHECK_THROWS_AS(load(model, path), io_error);
    write_bytes(path, {});
    CHECK_THROWS_WITH(load(model, path), Catch::Contains("0 bytes"));
  }
  SECTION("one flipped byte") {
    auto corrupt = bytes;
    corrupt[corrupt.size() / 2] ^= 0x10;
    write_bytes(path, corrupt);
    CHECK_THROWS_WITH(load(model, path), Catch::Contains("checksum"));
  }
  SECTION("not a canon file") {
    write_bytes(path, std::vector<char>(100, 'x'));
    CHECK_THROWS_WITH(load(model, path), Catch::Contains("not a canon tensor file"));
  }
  SECTION("missing file") { CHECK_THROWS_AS(load(model, "no/such/file.bin"), io_error); }
  std::remove(path.c_str());
}

TEST_CASE("save: a failed write leaves the previous file intact") {
  auto model = network<double>(1);
  const std::string path = temporary_path("atomic");
  save(model, path);
  const auto before = read_bytes(path);
  CHECK_THROWS_AS(save(model, "no/such/directory/file.bin"), io_error);
  CHECK_THROWS_AS(write_file_atomically(path, [](std::ostream&) {
                    throw io_error("simulated failure halfway");
                  }),
                  io_error);
  CHECK(read_bytes(path) == before);
  const std::filesystem::path file(path);
  const auto folder = file.has_parent_path() ? file.parent_path() : std::filesystem::path(".");
  for (const auto& entry : std::filesystem::directory_iterator(folder))  // no temporary left
    CHECK(entry.path().filename().string().rfind(file.filename().string() + ".tmp-canon", 0) != 0);
  std::remove(path.c_str());
}

TEST_CASE("save/load: buffers travel with parameters and keep their kind") {
  WithBuffer a, b;
  a.scale.value << 1, 2;
  a.running.value << 3, 4;
  const std::string path = temporary_path("buffers");
  save(a, path);
  load(b, path);
  CHECK(b.scale.value == a.scale.value);
  CHECK(b.running.value == a.running.value);
  // A file whose tensor "running" is a parameter does not load into a buffer.
  SwappedKinds swapped;
  CHECK_THROWS_WITH(load(swapped, path), Catch::Contains("as a buffer") && Catch::Contains("running"));
  std::remove(path.c_str());
}

namespace {

// Rewrites the checksum after a test has edited a file's bytes on purpose.
void write_with_checksum(const std::string& path, std::vector<char> bytes) {
  const std::size_t body = bytes.size() - 8;
  const std::uint64_t hash = detail::fnv1a(bytes.data(), body);
  std::memcpy(bytes.data() + body, &hash, 8);
  write_bytes(path, bytes);
}

template <class T>
void poke(std::vector<char>& bytes, std::size_t at, T value) {
  std::memcpy(bytes.data() + at, &value, sizeof value);
}

// A batch-norm-like pair of buffers under the names batch norm uses.
struct WithVariance {
  using scalar_type = double;
  Parameter<double> gamma{2, 1, "0.gamma"};
  Buffer<double> running_var{Matrix<double>::Ones(2, 1), "0.running_var"};
  template <class V> void visit_parameters(V&& v) { v(gamma); }
  template <class V> void visit_buffers(V&& v) { v(running_var); }
};

}  // namespace

TEST_CASE("load: sizes read from the file are checked before anything is allocated", "[core][robust]") {
  auto model = network<double>(1);
  const std::string path = temporary_path("sizes");
  save(model, path);
  const auto bytes = read_bytes(path);
  // Layout: magic 8, version 4, scalar size 4, count 8, then the first tensor ("0.weight"):
  // kind at 24, name length at 25, name at 29, rows at 37, columns at 45.
  SECTION("a 4 GiB name length") {
    auto edited = bytes;
    poke<std::uint32_t>(edited, 25, 0xFFFFFFFFu);
    write_with_checksum(path, edited);
    CHECK_THROWS_WITH(load(model, path), Catch::Contains("name length of 4294967295"));
    CHECK_THROWS_AS(load(model, path), io_error);
  }
  SECTION("a dimension that does not fit an Index") {
    auto edited = bytes;
    poke<std::uint64_t>(edited, 37, 0);
    poke<std::uint64_t>(edited, 45, ~std::uint64_t(0));
    write_with_checksum(path, edited);
    CHECK_THROWS_WITH(load(model, path), Catch::Contains("each dimension must be at most"));
  }
  SECTION("rows x columns far beyond the file") {
    auto edited = bytes;
    poke<std::uint64_t>(edited, 37, std::uint64_t(1) << 40);
    poke<std::uint64_t>(edited, 45, std::uint64_t(1) << 40);
    write_with_checksum(path, edited);
    CHECK_THROWS_WITH(load(model, path), Catch::Contains("'0.weight'") && Catch::Contains("too short"));
  }
  std::remove(path.c_str());
}

TEST_CASE("load: non-finite parameters and negative running variances are refused", "[core][robust]") {
  const std::string path = temporary_path("values");
  SECTION("a NaN weight, named, and the model left untouched") {
    auto source = network<double>(1);
    source.at<nn::Dense<double>>(2).weight().value(1, 3) = std::numeric_limits<double>::quiet_NaN();
    save(source, path);
    auto target = network<double>(5);
    const Matrix<double> before = target.at<nn::Dense<double>>(0).weight().value;
    CHECK_THROWS_WITH(load(target, path), Catch::Contains("'2.weight'") && Catch::Contains("(1, 3)") &&
                                              Catch::Contains("finite"));
    CHECK_THROWS_AS(load(target, path), io_error);
    CHECK(target.at<nn::Dense<double>>(0).weight().value == before);
  }
  SECTION("an infinite bias") {
    auto source = network<double>(1);
    source.at<nn::Dense<double>>(0).bias().value(0, 0) = std::numeric_limits<double>::infinity();
    save(source, path);
    CHECK_THROWS_WITH(load(source, path), Catch::Contains("'0.bias'"));
  }
  SECTION("a double value too large for a float model") {
    auto source = network<double>(1);
    source.at<nn::Dense<double>>(0).weight().value(0, 0) = 1e300;
    save(source, path);
    auto target = network<float>(1);
    CHECK_THROWS_WITH(load(target, path), Catch::Contains("'0.weight'") && Catch::Contains("scalar type"));
  }
  SECTION("a negative running variance") {
    WithVariance source, target;
    source.running_var.value(1, 0) = -0.5;
    save(source, path);
    CHECK_THROWS_WITH(load(target, path), Catch::Contains("'0.running_var'") && Catch::Contains(">= 0"));
    CHECK(target.running_var.value == Matrix<double>::Ones(2, 1));
    source.running_var.value(1, 0) = 0;  // zero is a valid variance (a constant channel)
    save(source, path);
    CHECK_NOTHROW(load(target, path));
  }
  std::remove(path.c_str());
}

TEST_CASE("load: a tensor with no values is read without a null-pointer copy", "[core][robust]") {
  // An empty matrix has no storage (data() is null), and the reader copied zero bytes
  // into it with memcpy, which is undefined for a null pointer even then. Found by
  // tests/fuzz/fuzz_model; this test fails only under UBSan (-fsanitize=undefined).
  const std::string path = temporary_path("empty");
  std::string a = "a", b = "b";
  Matrix<float> rows_only(0, 3), cols_only(2, 0);
  const std::vector<detail::TensorRecord<float>> records{{detail::TensorKind::parameter, &a, &rows_only},
                                                         {detail::TensorKind::buffer, &b, &cols_only}};
  detail::write_tensor_file(path, records);
  const auto stored = detail::read_tensor_file(path);
  REQUIRE(stored.size() == 2);
  CHECK(stored.at("a").value.rows() == 0);
  CHECK(stored.at("a").value.cols() == 3);
  CHECK(stored.at("b").value.rows() == 2);
  CHECK(stored.at("b").value.cols() == 0);
  std::remove(path.c_str());
}

TEST_CASE("save: metadata is stored as text records that load ignores and read_metadata returns", "[core]") {
  const std::string path = temporary_path("metadata");
  auto model = network<double>(1);
  save(model, path);
  CHECK(read_bytes(path)[8] == 1);  // without metadata: format version 1, as before
  CHECK(read_metadata(path).empty());

  const Metadata metadata{{"architecture", "{\"sizes\": [3, 5, 2]}"},
                          {"empty", ""},
                          {"utf-8", "m\xC3\xBAsica"}};
  save(model, path, metadata);
  CHECK(read_bytes(path)[8] == 2);
  CHECK(read_metadata(path) == metadata);
  auto other = network<double>(9);
  load(other, path);
  CHECK(other.at<nn::Dense<double>>(0).weight().value == model.at<nn::Dense<double>>(0).weight().value);
  std::remove(path.c_str());
}

TEST_CASE("load: broken text records are refused with the reason", "[core][robust]") {
  const std::string path = temporary_path("text");
  auto model = network<double>(1);
  save(model, path, {{"a", "xyz"}});
  const auto bytes = read_bytes(path);
  // The text record is last: kind, u32 name length 1, "a", u64 length 3, "xyz", then the hash.
  const std::size_t length_at = bytes.size() - 8 - 3 - 8;
  SECTION("a text length beyond the file") {
    auto edited = bytes;
    poke<std::uint64_t>(edited, length_at, std::uint64_t(1) << 62);
    write_with_checksum(path, edited);
    CHECK_THROWS_WITH(read_metadata(path), Catch::Contains("text length of 4611686018427387904"));
  }
  SECTION("a text record in a version 1 file") {
    auto edited = bytes;
    poke<std::uint32_t>(edited, 8, 1);
    write_with_checksum(path, edited);
    CHECK_THROWS_WITH(load(model, path), Catch::Contains("has kind 3"));
  }
  SECTION("an unknown format version") {
    auto edited = bytes;
    poke<std::uint32_t>(edited, 8, 3);
    write_with_checksum(path, edited);
    CHECK_THROWS_WITH(read_metadata(path), Catch::Contains("versions 1 and 2"));
  }
  std::remove(path.c_str());
}
