// Prints a hash of the gradients of canon's own parallel loops (a Conv1D backward over
// samples, a batch-norm pass over columns, an LSTM time loop and weight gradient over
// samples), for
// test_threads.cpp to compare across OpenMP settings: asked for the same thread count,
// the bits must not depend on how many threads the runtime grants.
#include <canon/core/rng.hpp>
#include <canon/nn/batch_norm1d.hpp>
#include <canon/nn/conv1d.hpp>
#include <canon/nn/lstm.hpp>
#include <cstdint>
#include <cstdio>

using namespace canon;

namespace {
std::uint64_t hash = 1469598103934665603ULL;  // FNV-1a over the bytes of every gradient
void absorb(const Matrix<float>& m) {
  const auto* p = reinterpret_cast<const unsigned char*>(m.data());
  for (std::size_t i = 0; i < std::size_t(m.size()) * sizeof(float); ++i) hash = (hash ^ p[i]) * 1099511628211ULL;
}
template <class Layer>
void run(Layer& layer, Index rows, Index cols, Rng& rng) {
  Matrix<float> x(rows, cols), dy;
  fill_normal(x, rng);
  const Matrix<float>& y = layer.forward(x, Mode::train);
  dy.resize(y.rows(), y.cols());
  fill_normal(dy, rng);
  absorb(layer.backward(dy));
  layer.visit_parameters([](Parameter<float>& p) { absorb(p.grad); });
}
}  // namespace

int main() {
  // Eigen's threaded products split by the team they are granted (which is why
  // train::fit holds a DeterministicThreads); single-threaded here, so what is compared
  // is canon's own partitioning.
  Eigen::setNbThreads(1);
  Rng rng(1);
  nn::Conv1D<float> conv(8, 512, 16, 3, 1, nn::Padding::same, rng);
  run(conv, 8 * 512, 64, rng);
  nn::BatchNorm1D<float> norm(64);
  run(norm, 64 * 256, 32, rng);
  nn::LSTM<float> lstm(64, 128, rng);
  run(lstm, 64 * 4, 64, rng);
  std::printf("%016llx\n", static_cast<unsigned long long>(hash));
  return 0;
}
