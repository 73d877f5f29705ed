#include <canon/core/serialization.hpp>
#include <canon/nn/activations.hpp>
#include <canon/nn/dense.hpp>
#include <canon/nn/sequential.hpp>
#include <cstdio>
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
  std::ifstream leftover(path + ".tmp-canon");
  CHECK_FALSE(leftover.good());
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
