// libFuzzer target for the Raposo branch notation (models/raposo/branch.hpp). Input: one
// byte of input channels and two of input length (signed, so zero and negative sizes
// are tried too), one byte of flags, then the branch string. parse_branch and
// branch_shapes must return or throw canon::error; what they return must be
// consistent (one shape per layer plus the input, each length the previous one divided
// by the stride, positive sizes). When the branch is small (sizes that cannot ask for
// a legitimately huge allocation) the network is also built with make_branch and run
// forward on a two-column batch: its output must have the last shape's size and be
// finite.
#include <cmath>
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <string>
#include <vector>

#include "canon/models/raposo/branch.hpp"

namespace {

/// A generous bound on the work and memory of building and running the network.
bool small(const std::vector<canon::raposo::BranchLayer>& layers,
           const std::vector<canon::raposo::SignalShape>& shapes) {
  if (layers.size() > 12) return false;
  double weights = 0, activations = 0;
  for (std::size_t i = 0; i < layers.size(); ++i) {
    const auto& in = shapes[i];
    const auto& out = shapes[i + 1];
    if (layers[i].kind == canon::raposo::BranchLayer::Kind::conv)
      weights += double(in.channels) * double(layers[i].width) * double(out.channels);
    activations += double(in.channels) * double(in.length) + double(out.channels) * double(out.length);
  }
  return weights <= 2e4 && activations <= 2e4;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  if (size < 4) return 0;
  canon::raposo::SignalShape input;
  input.channels = static_cast<std::int8_t>(data[0]);
  input.length = static_cast<std::int16_t>(data[1] | (data[2] << 8));
  const bool fused = data[3] & 1;
  const std::string spec(reinterpret_cast<const char*>(data) + 4, size - 4);
  std::vector<canon::raposo::BranchLayer> layers;
  std::vector<canon::raposo::SignalShape> shapes;
  try {
    layers = canon::raposo::parse_branch(spec);
  } catch (const canon::error&) {
    return 0;
  }
  if (layers.empty()) std::abort();
  for (const auto& l : layers) {
    if (l.width <= 0 || l.stride <= 0) std::abort();
    if (l.kind == canon::raposo::BranchLayer::Kind::conv ? l.channels <= 0 : l.width != l.stride) std::abort();
  }
  try {
    shapes = canon::raposo::branch_shapes(layers, input);
  } catch (const canon::error&) {
    return 0;
  }
  if (shapes.size() != layers.size() + 1) std::abort();
  for (std::size_t i = 0; i < layers.size(); ++i) {
    const auto& in = shapes[i];
    const auto& out = shapes[i + 1];
    if (out.channels <= 0 || out.length <= 0 || out.length * layers[i].stride != in.length) std::abort();
    if (out.channels != (layers[i].kind == canon::raposo::BranchLayer::Kind::conv ? layers[i].channels : in.channels))
      std::abort();
  }
  if (!small(layers, shapes)) return 0;
  try {
    canon::Rng rng(3);
    auto net = canon::raposo::make_branch<float>(spec, input, rng, canon::nn::Init::he_uniform, fused);
    canon::Matrix<float> x(input.size(), 2);
    canon::fill_normal(x, rng);
    const canon::Matrix<float>& y = net.forward(x, canon::Mode::train);
    if (y.rows() != shapes.back().size() || y.cols() != 2 || !y.allFinite()) std::abort();
  } catch (const canon::error&) {
    std::abort();  // parse_branch and branch_shapes accepted it: building must work
  }
  return 0;
}
