#include <canon/loss/dcca.hpp>
#include <canon/nn/activations.hpp>
#include <canon/nn/dense.hpp>
#include <canon/nn/sequential.hpp>
#include <canon/optim/adam.hpp>
#include <canon/train/trainer.hpp>
#include <canon/train/two_view.hpp>
#include <cstdio>
#include <limits>
#include <sstream>

#include "canon_test.hpp"

using namespace canon;

namespace {

// A stand-in for Deep CCA with the same interface: L = mean((H1 - H2)^2) plus a term
// that keeps H2's first row near 1 so the optimum is not trivially zero.
struct Agreement {
  struct Gradients {
    const Matrix<double>& first;
    const Matrix<double>& second;
  };
  Matrix<double> d1, d2, diff;
  double forward(const Matrix<double>& h1, const Matrix<double>& h2) {
    diff = h1 - h2;
    const double n = double(diff.size());
    const double anchor = (h2.row(0).array() - 1.0).square().mean();
    d1 = 2.0 / n * diff;
    d2 = -d1;
    d2.row(0).array() += 2.0 * (h2.row(0).array() - 1.0) / double(h2.cols());
    return diff.squaredNorm() / n + anchor;
  }
  Gradients backward() const { return {d1, d2}; }
};

using Branch = nn::Sequential<double>;
using Model = train::TwoView<Branch, Branch>;

Model make_model() {
  Rng rng(3);
  Branch a, b;
  a.add(nn::Dense<double>(4, 6, rng));
  a.add(nn::Tanh<double>());
  a.add(nn::Dense<double>(6, 2, rng));
  b.add(nn::Dense<double>(3, 2, rng));
  return Model(std::move(a), std::move(b), "audio", "eeg");
}

struct Data {
  Matrix<double> x1, x2, v1, v2;
};
Data make_data() {
  // The second view is a noisy linear function of the first, so agreement is learnable.
  Data d;
  d.x1 = canon_test::random_matrix(4, 90, 1);
  Matrix<double> mix = canon_test::random_matrix(3, 4, 2);
  d.x2 = mix * d.x1 + 0.1 * canon_test::random_matrix(3, 90, 3);
  d.v1 = canon_test::random_matrix(4, 30, 4);
  d.v2 = mix * d.v1 + 0.1 * canon_test::random_matrix(3, 30, 5);
  return d;
}

std::vector<Matrix<double>> weights(Model& model) {
  std::vector<Matrix<double>> out;
  model.visit_parameters([&](Parameter<double>& p) { out.push_back(p.value); });
  return out;
}

}  // namespace

TEST_CASE("TwoView: branch tensors are prefixed with the view names") {
  auto model = make_model();
  std::vector<std::string> names;
  model.visit_parameters([&](Parameter<double>& p) { names.push_back(p.name); });
  CHECK(names.front() == "audio.0.weight");
  CHECK(names.back() == "eeg.0.bias");
}

TEST_CASE("train_two_view: the loss falls and the best validation epoch is restored") {
  auto model = make_model();
  const Data d = make_data();
  Agreement loss;
  optim::Adam<double> adam({0.02});
  train::TrainerOptions options;
  options.epochs = 40;
  options.batch_size = 16;
  options.min_batch = 8;  // 90 = 5 x 16 + 10: the last batch of 10 is kept
  std::ostringstream log;
  options.log = &log;
  options.log_interval_seconds = 0;
  const auto result = train::train_two_view(model, loss, adam, d.x1, d.x2, d.v1, d.v2, options);
  REQUIRE(result.history.size() == 40);
  CHECK(result.history.back().train_loss < 0.5 * result.history.front().train_loss);
  CHECK(adam.steps() == 40 * 6);
  // After training the model holds the best epoch's weights.
  const auto& h1 = model.first().forward(d.v1, Mode::eval);
  const auto& h2 = model.second().forward(d.v2, Mode::eval);
  CHECK(loss.forward(h1, h2) == Approx(result.best_validation_loss).epsilon(1e-12));
  CHECK(log.str().find("epoch 40/40 done") != std::string::npos);
  CHECK(log.str().find("samples/s") != std::string::npos);
}

TEST_CASE("train_two_view: an interrupted run resumed from its checkpoint ends identically") {
  const Data d = make_data();
  const std::string path = "canon-test-trainer.ckpt";
  std::remove(path.c_str());
  train::TrainerOptions options;
  options.epochs = 6;
  options.batch_size = 16;
  options.min_batch = 16;  // the last 10 samples are dropped each epoch
  options.patience = 2;

  auto straight = make_model();
  Agreement loss;
  optim::Adam<double> adam({0.02});
  const auto full = train::train_two_view(straight, loss, adam, d.x1, d.x2, d.v1, d.v2, options);

  options.checkpoint_path = path;
  options.resume = true;
  options.epochs = 3;  // "interrupted" after three epochs
  auto first_part = make_model();
  optim::Adam<double> adam1({0.02});
  train::train_two_view(first_part, loss, adam1, d.x1, d.x2, d.v1, d.v2, options);
  options.epochs = 6;
  auto resumed = make_model();  // a fresh process: new model, new optimizer
  optim::Adam<double> adam2({0.02});
  const auto rest = train::train_two_view(resumed, loss, adam2, d.x1, d.x2, d.v1, d.v2, options);
  CHECK(rest.resumed_from_epoch == 3);
  CHECK(rest.best_epoch == full.best_epoch);
  CHECK(rest.best_validation_loss == full.best_validation_loss);
  CHECK(weights(resumed) == weights(straight));
  std::remove(path.c_str());
}

TEST_CASE("train_two_view: unpaired views, too few samples and NaN are refused") {
  auto model = make_model();
  Agreement loss;
  optim::Adam<double> adam;
  train::TrainerOptions options;
  options.batch_size = 8;
  Data d = make_data();
  Matrix<double> short_x2 = d.x2.leftCols(50);
  CHECK_THROWS_WITH(train::train_two_view(model, loss, adam, d.x1, short_x2, d.v1, d.v2, options),
                    Catch::Contains("90 and 50 samples"));
  Matrix<double> tiny1 = d.x1.leftCols(1), tiny2 = d.x2.leftCols(1);
  CHECK_THROWS_WITH(train::train_two_view(model, loss, adam, tiny1, tiny2, d.v1, d.v2, options),
                    Catch::Contains("cannot fill one batch"));
  d.x1(2, 7) = std::numeric_limits<double>::quiet_NaN();
  CHECK_THROWS_WITH(train::train_two_view(model, loss, adam, d.x1, d.x2, d.v1, d.v2, options),
                    Catch::Contains("row 2, column 7"));
}

TEST_CASE("train_two_view: a degenerate Deep CCA batch is reported in the result and the log") {
  Rng rng(8);
  Branch a, b;
  a.add(nn::Dense<double>(4, 6, rng));
  b.add(nn::Dense<double>(3, 6, rng));
  Model model(std::move(a), std::move(b), "audio", "eeg");
  const Data d = make_data();
  loss::DeepCCA<double> dcca;
  optim::Adam<double> adam({0.001});
  train::TrainerOptions options;
  options.epochs = 2;
  options.batch_size = 10;  // 6 + 6 outputs on 10 samples
  std::ostringstream log;
  options.log = &log;
  const auto result = train::train_two_view(model, dcca, adam, d.x1, d.x2, d.v1, d.v2, options);
  REQUIRE(result.warnings.size() == 1);
  CHECK_THAT(result.warnings[0], Catch::Contains("batch of m = 10"));
  CHECK(log.str().find("warning: DeepCCA") != std::string::npos);
  // With batches larger than o1 + o2 nothing is reported.
  options.batch_size = 30;
  options.log = nullptr;
  CHECK(train::train_two_view(model, dcca, adam, d.x1, d.x2, d.v1, d.v2, options).warnings.empty());
}

TEST_CASE("train_two_view: a float run resumed from its checkpoint ends identically") {
  // The early-stopping best is a double; a float checkpoint must keep it unrounded, or the
  // resumed run compares later epochs against another value and keeps other weights.
  const Data d = make_data();
  const Matrix<float> x1 = d.x1.cast<float>(), x2 = d.x2.cast<float>(), v1 = d.v1.cast<float>(),
                      v2 = d.v2.cast<float>();
  auto make = [] {
    Rng rng(5);
    nn::Sequential<float> a, b;
    a.add(nn::Dense<float>(4, 3, rng));
    a.add(nn::Tanh<float>());
    a.add(nn::Dense<float>(3, 2, rng));
    b.add(nn::Dense<float>(3, 2, rng));
    return train::TwoView<nn::Sequential<float>, nn::Sequential<float>>(std::move(a), std::move(b), "a", "b");
  };
  loss::DeepCCA<float> dcca;
  train::TrainerOptions options;
  options.epochs = 8;
  options.batch_size = 30;
  options.patience = 3;
  auto straight = make();
  optim::Adam<float> adam({0.01f});
  const auto full = train::train_two_view(straight, dcca, adam, x1, x2, v1, v2, options);

  const std::string path = "canon-test-trainer-float.ckpt";
  std::remove(path.c_str());
  options.checkpoint_path = path;
  options.resume = true;
  options.epochs = 3;
  auto first = make();
  optim::Adam<float> adam1({0.01f});
  train::train_two_view(first, dcca, adam1, x1, x2, v1, v2, options);
  options.epochs = 8;
  auto resumed = make();
  optim::Adam<float> adam2({0.01f});
  std::ostringstream log;
  options.log = &log;
  const auto rest = train::train_two_view(resumed, dcca, adam2, x1, x2, v1, v2, options);
  CHECK(rest.best_epoch == full.best_epoch);
  CHECK(rest.best_validation_loss == full.best_validation_loss);  // exactly, not to float rounding
  std::vector<Matrix<float>> wa, wb;
  straight.visit_parameters([&](Parameter<float>& p) { wa.push_back(p.value); });
  resumed.visit_parameters([&](Parameter<float>& p) { wb.push_back(p.value); });
  CHECK(wa == wb);
  // The resumed run's progress lines keep the run's epoch numbers.
  CHECK(log.str().find("epoch 4/8") != std::string::npos);
  CHECK(log.str().find("epoch 1/8") == std::string::npos);
  std::remove(path.c_str());
}

TEST_CASE("train_two_view: resuming a run that had stopped early returns its result") {
  const Data d = make_data();
  const std::string path = "canon-test-trainer-stopped.ckpt";
  std::remove(path.c_str());
  train::TrainerOptions options;
  options.epochs = 200;
  options.batch_size = 16;
  options.patience = 1;  // stops at the first epoch that does not improve
  options.checkpoint_path = path;
  options.resume = true;
  Agreement loss;
  auto model = make_model();
  optim::Adam<double> adam({0.2});  // a large step, so some epoch fails to improve
  const auto done = train::train_two_view(model, loss, adam, d.x1, d.x2, d.v1, d.v2, options);
  REQUIRE(long(done.history.size()) < options.epochs);  // it did stop early
  const long steps = adam.steps();
  auto again = make_model();
  optim::Adam<double> adam2({0.2});
  std::ostringstream log;
  options.log = &log;
  const auto resumed = train::train_two_view(again, loss, adam2, d.x1, d.x2, d.v1, d.v2, options);
  CHECK(resumed.history.empty());  // nothing trained
  CHECK(adam2.steps() == steps);   // the optimizer state as saved, no further step
  CHECK(resumed.best_epoch == done.best_epoch);
  CHECK(weights(again) == weights(model));  // the best epoch's weights, as the first run ended
  CHECK(log.str().find("stopped early") != std::string::npos);
  std::remove(path.c_str());
}
