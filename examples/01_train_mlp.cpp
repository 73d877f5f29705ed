// 01 — train a small MLP and watch the loss fall.
//
// The task: regress y = sin(x1) + x2 * x3 from three inputs. A 3-32-32-1 network with
// tanh, trained by Adam on mean squared error, full batch of 256 samples. Every
// piece is one canon header: Dense, Tanh, Sequential, MSE, Adam.
#include <canon/canon.hpp>
#include <cmath>
#include <cstdio>

int main() {
  using S = double;
  canon::Rng rng(2026);

  // Data: 3 x 256 inputs (features x batch: one column per sample) and 1 x 256 targets.
  canon::Matrix<S> x(3, 256), y(1, 256);
  canon::fill_uniform(x, rng, -2.0, 2.0);
  for (canon::Index j = 0; j < x.cols(); ++j) y(0, j) = std::sin(x(0, j)) + x(1, j) * x(2, j);

  canon::nn::Sequential<S> model;
  model.add(canon::nn::Dense<S>(3, 32, rng));
  model.add(canon::nn::Tanh<S>());
  model.add(canon::nn::Dense<S>(32, 32, rng));
  model.add(canon::nn::Tanh<S>());
  model.add(canon::nn::Dense<S>(32, 1, rng));

  canon::loss::MSE<S> loss;
  canon::optim::Adam<S> adam({0.01});
  // Full-batch Adam at a fixed rate overshoots once the loss is small; a step decay of
  // the learning rate (x0.5 every 400 steps) lets it settle.
  const double variance = (y.array() - y.mean()).square().mean();
  std::printf("training a 3-32-32-1 MLP on y = sin(x1) + x2 x3 (target variance %.3f)\n", variance);
  for (int step = 0; step <= 2000; ++step) {
    if (step > 0 && step % 400 == 0) adam.set_learning_rate(adam.options().learning_rate * 0.5);
    const S value = loss.forward(model.forward(x, canon::Mode::train), y);
    model.backward(loss.backward());  // writes every parameter's gradient
    adam.step(model);
    if (step % 250 == 0) std::printf("step %4d   loss %.5f\n", step, double(value));
  }
  const S final_loss = loss.forward(model.forward(x, canon::Mode::eval), y);
  std::printf("final loss %.5f = %.2f %% of the target variance\n", double(final_loss),
              100.0 * double(final_loss) / variance);
  return final_loss < 0.1 * variance ? 0 : 1;
}
