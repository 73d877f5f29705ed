// Same seed and same thread count: bit-identical training, with Eigen's GEMM running
// on several OpenMP threads (this test links canon::openmp).
#include <canon/canon.hpp>
#include <omp.h>

#include "canon_test.hpp"

using namespace canon;

namespace {

std::vector<Matrix<float>> train_once(std::uint64_t seed) {
  Rng rng(seed);
  nn::Sequential<float> model;
  model.add(nn::Dense<float>(64, 256, rng, nn::Init::he_normal));
  model.add(nn::ReLU<float>());
  model.add(nn::Dropout<float>(0.2, seed + 1));
  model.add(nn::Dense<float>(256, 256, rng));
  model.add(nn::Softplus<float>());
  model.add(nn::Dense<float>(256, 8, rng));
  Matrix<float> x(64, 128), y(8, 128);
  fill_normal(x, rng);
  fill_normal(y, rng);
  loss::MSE<float> mse;
  optim::Adam<float> adam({1e-3});
  for (int step = 0; step < 8; ++step) {
    mse.forward(model.forward(x, Mode::train), y);
    model.backward(mse.backward());
    adam.step(model);
  }
  std::vector<Matrix<float>> out;
  model.visit_parameters([&](Parameter<float>& p) { out.push_back(p.value); });
  return out;
}

}  // namespace

TEST_CASE("training is bit-identical for the same seed and thread count") {
  omp_set_num_threads(2);
  REQUIRE(Eigen::nbThreads() == 2);
  const auto a = train_once(11), b = train_once(11), c = train_once(12);
  CHECK(a == b);
  CHECK(a != c);
}

namespace {
// Records whether OpenMP may grant fewer threads than asked while the loop trains.
struct DynamicProbe {
  using scalar_type = float;
  Parameter<float> weight{1, 1, "w"};
  bool dynamic_seen = false;
  const char* name() const { return "probe"; }
  Index samples() const { return 8; }
  bool has_validation() const { return false; }
  double validation_loss() { return 0; }
  double train_batch(const std::vector<Index>&, const train::BatchPosition&) {
    dynamic_seen = dynamic_seen || omp_get_dynamic() != 0;
    weight.grad.setConstant(weight.value(0, 0));
    return double(weight.value(0, 0));
  }
  template <class V> void visit_parameters(V&& v) { v(weight); }
  template <class V> void visit_buffers(V&&) {}
};
}  // namespace

TEST_CASE("fit: OMP_DYNAMIC is off while the loop trains, and restored after") {
  omp_set_dynamic(1);
  DynamicProbe probe;
  probe.weight.value.setConstant(1);
  optim::Adam<float> adam({1e-2});
  train::LoopOptions options;
  options.epochs = 2;
  options.batch_size = 4;
  train::fit(probe, adam, options);
  CHECK_FALSE(probe.dynamic_seen);
  CHECK(omp_get_dynamic() != 0);
  omp_set_dynamic(0);
}
