// Trains a two-layer network for a few steps: proves headers, targets and flags work
// from outside canon's own build.
#include <canon/canon.hpp>
#include <iostream>

int main() {
  canon::Rng rng(1);
  canon::nn::Sequential<double> model;
  model.add(canon::nn::Dense<double>(3, 8, rng));
  model.add(canon::nn::Tanh<double>());
  model.add(canon::nn::Dense<double>(8, 1, rng));
  canon::Matrix<double> x(3, 16), y(1, 16);
  canon::fill_normal(x, rng);
  y = x.colwise().sum();
  canon::loss::MSE<double> loss;
  canon::optim::Adam<double> adam({0.01});
  double first = 0, last = 0;
  for (int step = 0; step < 200; ++step) {
    last = loss.forward(model.forward(x, canon::Mode::train), y);
    if (step == 0) first = last;
    model.backward(loss.backward());
    adam.step(model);
  }
  std::cout << "canon " << canon::version << ": loss " << first << " -> " << last << "\n";
  return last < first ? 0 : 1;
}
