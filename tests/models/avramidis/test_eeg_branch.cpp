#include <canon/models/avramidis/eeg_branch.hpp>

#include "canon_test.hpp"

using namespace canon;

TEST_CASE("avramidis::eeg_branch: the whole branch's gradients match finite differences") {
  // A small branch of the same structure (dropout off: a fixed function to differentiate).
  avramidis::EegBranchConfig c;
  c.channels = 4;
  c.features = 3;
  c.hidden1 = 3;
  c.hidden2 = 4;
  c.output = 2;
  c.recurrent_dropout = c.output_dropout = 0.0;
  Rng rng(7);
  auto net = avramidis::eeg_branch<double>(c, rng, 1);
  const auto report = testing::check_layer_gradients(net, canon_test::random_matrix(12, 5, 8));
  INFO(report.to_string());
  CHECK(report.worst() < 1e-6);
}

TEST_CASE("avramidis::eeg_branch: the authors' sizes give a 128-d embedding per segment") {
  Rng rng(1);
  auto net = avramidis::eeg_branch<float>(avramidis::EegBranchConfig{}, rng, 2);
  const Matrix<float> x = canon_test::random_matrix(12 * 32, 6, 3).cast<float>();
  const Matrix<float>& y = net.forward(x, Mode::train);
  CHECK(y.rows() == 128);
  CHECK(y.cols() == 6);
  CHECK(y.allFinite());
  // LSTM 12->128 and 128->256 (PyTorch's four tensors each), attention 1 x 256, dense
  // 8192 -> 128, batch-norm gamma and beta.
  const Index expected = 4 * 128 * (12 + 128 + 2) + 4 * 256 * (128 + 256 + 2) + 256 + 8192 * 128 + 128 + 2 * 32;
  CHECK(parameter_count(net) == expected);
}
