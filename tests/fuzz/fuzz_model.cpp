// libFuzzer target for canon's tensor file format (core/serialization.hpp) as read by
// canon::load and optim::load_checkpoint. Input: one control byte, then the file.
//   bit 0     append a valid FNV-1a checksum to the file (without it a mutation of the
//             body almost never gets past the checksum to the parser behind it)
//   bit 1     load into the double model (else the float one); either reads either file
//   bits 2-3  canon::load, load_checkpoint with Adam, with SGD, with Adam + EarlyStopping
// The models are fixed and small: Dense(3, 4), BatchNorm1D(4), Dense(4, 2). A load must
// succeed, leaving only finite values and running variances >= 0 in the model, or throw
// a canon::error; when it throws, the model, the optimizer and the early-stopping state
// must be exactly as they were (docs/reliability.md). Seeds: run the target with
// CANON_FUZZ_SEEDS=<folder> to write real model and checkpoint files there (each once
// as it is and once without its checksum, with bit 0 set) and exit.
#include <cmath>
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <cstring>
#include <fstream>
#include <string>
#include <vector>

#include "canon/core/serialization.hpp"
#include "canon/nn/batch_norm1d.hpp"
#include "canon/nn/dense.hpp"
#include "canon/nn/sequential.hpp"
#include "canon/optim/adam.hpp"
#include "canon/optim/checkpoint.hpp"
#include "canon/optim/sgd.hpp"
#include "fuzz_support.hpp"

namespace {

template <class S>
canon::nn::Sequential<S> network() {
  canon::Rng rng(11);
  canon::nn::Sequential<S> model;
  model.add(canon::nn::Dense<S>(3, 4, rng));
  model.add(canon::nn::BatchNorm1D<S>(4));
  model.add(canon::nn::Dense<S>(4, 2, rng));
  return model;
}

/// Every parameter and buffer of a model, in visit order.
template <class S>
std::vector<canon::Matrix<S>> tensors(canon::nn::Sequential<S>& model) {
  std::vector<canon::Matrix<S>> out;
  model.visit_parameters([&](canon::Parameter<S>& p) { out.push_back(p.value); });
  model.visit_buffers([&](canon::Buffer<S>& b) { out.push_back(b.value); });
  return out;
}

template <class S>
void set_tensors(canon::nn::Sequential<S>& model, const std::vector<canon::Matrix<S>>& values) {
  std::size_t i = 0;
  model.visit_parameters([&](canon::Parameter<S>& p) { p.value = values[i++]; });
  model.visit_buffers([&](canon::Buffer<S>& b) { b.value = values[i++]; });
}

/// Bitwise equality (a NaN equals itself, -0 differs from 0).
template <class S>
bool same(const canon::Matrix<S>& a, const canon::Matrix<S>& b) {
  return a.rows() == b.rows() && a.cols() == b.cols() &&
         (a.size() == 0 || std::memcmp(a.data(), b.data(), sizeof(S) * static_cast<std::size_t>(a.size())) == 0);
}

template <class S>
bool same(const std::vector<canon::Matrix<S>>& a, const std::vector<canon::Matrix<S>>& b) {
  if (a.size() != b.size()) return false;
  for (std::size_t i = 0; i < a.size(); ++i)
    if (!same(a[i], b[i])) return false;
  return true;
}

template <class S>
bool same(const canon::optim::detail::OptimizerState<S>& a, const canon::optim::detail::OptimizerState<S>& b) {
  if (a.steps != b.steps || a.slots.size() != b.slots.size()) return false;
  for (std::size_t i = 0; i < a.slots.size(); ++i)
    if (a.slots[i].name != b.slots[i].name || !same(a.slots[i].first, b.slots[i].first) ||
        !same(a.slots[i].second, b.slots[i].second))
      return false;
  return true;
}

template <class S>
bool same(const typename canon::optim::EarlyStopping<S>::State& a,
          const typename canon::optim::EarlyStopping<S>::State& b) {
  return std::memcmp(&a.best, &b.best, sizeof a.best) == 0 && a.best_epoch == b.best_epoch &&
         a.since_best == b.since_best && a.epochs == b.epochs && same(a.snapshot, b.snapshot);
}

/// An optimizer that has stepped: one slot per parameter, with values that are not zero.
template <class Optimizer, class S>
void give_state(Optimizer& optimizer, canon::nn::Sequential<S>& model) {
  canon::optim::detail::OptimizerState<S> state;
  state.steps = 3;
  model.visit_parameters([&](canon::Parameter<S>& p) {
    canon::optim::detail::Slot<S> slot;
    slot.name = p.name;
    slot.first = canon::Matrix<S>::Constant(p.value.rows(), p.value.cols(), S(0.25));
    if (Optimizer::uses_second_moment)
      slot.second = canon::Matrix<S>::Constant(p.value.rows(), p.value.cols(), S(0.0625));
    state.slots.push_back(std::move(slot));
  });
  optimizer.set_state(std::move(state));
}

template <class S>
struct Fixture {
  canon::nn::Sequential<S> model = network<S>();
  std::vector<canon::Matrix<S>> initial;
  canon::optim::detail::OptimizerState<S> adam_state, sgd_state;
  typename canon::optim::EarlyStopping<S>::State stopping;

  Fixture() {
    // Values that a file must change to be noticed: BatchNorm's buffers are not 0 and 1.
    model.visit_buffers([](canon::Buffer<S>& b) { b.value.setConstant(S(0.5)); });
    initial = tensors(model);
    canon::optim::Adam<S> adam;
    give_state(adam, model);
    adam_state = adam.state();
    canon::optim::SGD<S> sgd({0.1, 0.9});
    give_state(sgd, model);
    sgd_state = sgd.state();
    canon::optim::EarlyStopping<S> stopper(3);
    stopper.update(0.75, model);
    stopper.update(1.5, model);
    stopping = stopper.state();
  }
};

template <class S>
Fixture<S>& fixture() {
  static Fixture<S> f;
  return f;
}

template <class S>
void check_loaded(canon::nn::Sequential<S>& model) {
  model.visit_parameters([](canon::Parameter<S>& p) {
    if (!p.value.allFinite()) std::abort();
  });
  model.visit_buffers([](canon::Buffer<S>& b) {
    if (!b.value.allFinite()) std::abort();
    if (b.name.size() >= 11 && b.name.compare(b.name.size() - 11, 11, "running_var") == 0 &&
        (b.value.array() < S(0)).any())
      std::abort();
  });
}

template <class S>
void run(unsigned mode, const std::string& path) {
  Fixture<S>& f = fixture<S>();
  set_tensors(f.model, f.initial);  // every input starts from the same model
  canon::optim::Adam<S> adam;
  canon::optim::SGD<S> sgd({0.1, 0.9});
  adam.set_state(f.adam_state);
  sgd.set_state(f.sgd_state);
  canon::optim::EarlyStopping<S> stopper(3);
  stopper.set_state(f.stopping);
  try {
    switch (mode) {
      case 0: canon::load(f.model, path); break;
      case 1: canon::optim::load_checkpoint(path, f.model, adam); break;
      case 2: canon::optim::load_checkpoint(path, f.model, sgd); break;
      default: canon::optim::load_checkpoint(path, f.model, adam, &stopper); break;
    }
  } catch (const canon::error&) {
    if (!same(tensors(f.model), f.initial) || !same(adam.state(), f.adam_state) ||
        !same(sgd.state(), f.sgd_state) || !same<S>(stopper.state(), f.stopping))
      std::abort();  // a failed load changed something
    return;
  }
  check_loaded(f.model);
}

template <class S>
void write_seeds(const std::string& dir, unsigned type_bit) {
  Fixture<S>& f = fixture<S>();
  set_tensors(f.model, f.initial);
  const std::string tmp = canon_fuzz::folder() + "/seed";
  auto add = [&](unsigned mode, const std::string& name) {
    std::ifstream in(tmp, std::ios::binary);
    const std::string file((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
    for (unsigned fix = 0; fix < 2; ++fix) {
      std::ofstream out(dir + "/seed_" + name + (type_bit ? "_double" : "_float") + (fix ? "_nosum" : ""),
                        std::ios::binary);
      out.put(static_cast<char>(fix | type_bit | (mode << 2)));
      out << (fix ? file.substr(0, file.size() - 8) : file);
    }
  };
  canon::save(f.model, tmp);
  add(0, "model");
  canon::optim::Adam<S> adam;
  adam.set_state(f.adam_state);
  canon::optim::save_checkpoint(tmp, f.model, adam, {2, 3, 0.125});
  add(1, "adam");
  canon::optim::SGD<S> sgd({0.1, 0.9});
  sgd.set_state(f.sgd_state);
  canon::optim::save_checkpoint(tmp, f.model, sgd, {2, 3});
  add(2, "sgd");
  canon::optim::EarlyStopping<S> stopper(3);
  stopper.set_state(f.stopping);
  canon::optim::save_checkpoint(tmp, f.model, adam, {2, 3, 0.125}, &stopper);
  add(3, "stopping");
}

}  // namespace

extern "C" int LLVMFuzzerInitialize(int*, char***) {
  if (const char* dir = std::getenv("CANON_FUZZ_SEEDS")) {
    write_seeds<float>(dir, 0);
    write_seeds<double>(dir, 2);
    std::exit(0);
  }
  return 0;
}

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  if (size < 1) return 0;
  std::string bytes(reinterpret_cast<const char*>(data) + 1, size - 1);
  if (data[0] & 1) {
    const std::uint64_t hash = canon::detail::fnv1a(bytes.data(), bytes.size());
    bytes.append(reinterpret_cast<const char*>(&hash), sizeof hash);
  }
  const std::string path = canon_fuzz::write_file("model.bin", bytes);
  const unsigned mode = (data[0] >> 2) & 3;
  if (data[0] & 2)
    run<double>(mode, path);
  else
    run<float>(mode, path);
  return 0;
}
