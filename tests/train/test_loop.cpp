// The generic loop driving a task that is not a two-view model: an encoder with two
// heads (a classifier and, behind gradient reversal, a discriminator), labels, a
// class-weighted loss and a schedule that reads the training progress.
#include <canon/loss/bce.hpp>
#include <canon/nn/activations.hpp>
#include <canon/nn/dense.hpp>
#include <canon/nn/fork.hpp>
#include <canon/nn/gradient_reversal.hpp>
#include <canon/nn/sequential.hpp>
#include <canon/optim/adam.hpp>
#include <canon/train/loop.hpp>
#include <cstdio>
#include <stdexcept>
#include <sstream>

#include "canon_test.hpp"

using namespace canon;

namespace {

struct Data {
  Matrix<double> x, y, domain;  // 4 x n features, 1 x n labels, 1 x n "domain" labels
};

Data make_data(Index n, std::uint64_t seed) {
  Data d;
  d.x = canon_test::random_matrix(4, n, seed);
  d.y.resize(1, n);
  d.domain.resize(1, n);
  for (Index j = 0; j < n; ++j) {
    d.y(0, j) = d.x(0, j) + 0.5 * d.x(1, j) > 0 ? 1.0 : 0.0;  // learnable
    d.domain(0, j) = d.x(3, j) > 0 ? 1.0 : 0.0;               // to be unlearned
  }
  return d;
}

class TwoHeadTask {
 public:
  using scalar_type = double;

  TwoHeadTask(const Data& train, const Data& validation, std::uint64_t seed)
      : train_(train), validation_(validation) {
    Rng rng(seed);
    encoder_.add(nn::Dense<double>(4, 5, rng));
    encoder_.add(nn::Tanh<double>());
    heads_.add(nn::Dense<double>(5, 1, rng), "classifier");
    nn::Sequential<double> discriminator;
    discriminator.add(nn::GradientReversal<double>({1.0, nn::ReversalSchedule::ganin}));
    discriminator.add(nn::Dense<double>(5, 1, rng));
    heads_.add(std::move(discriminator), "discriminator");
    encoder_.visit_parameters([](Parameter<double>& p) { p.name = "encoder." + p.name; });
    heads_.visit_parameters([](Parameter<double>& p) { p.name = "heads." + p.name; });
  }

  const char* name() const { return "two-head task"; }
  Index samples() const { return train_.x.cols(); }
  bool has_validation() const { return validation_.x.cols() > 0; }

  double train_batch(const std::vector<Index>& indices, const train::BatchPosition& at) {
    if (at.epoch == interrupt_at_epoch && at.batch == 1) throw std::runtime_error("interrupted");
    gather(train_.x, indices, x_);
    gather(train_.y, indices, y_);
    gather(train_.domain, indices, domain_);
    grl().set_progress(at.progress());
    last_progress = at.progress();
    const auto& h = encoder_.forward(x_, Mode::train);
    heads_.forward_heads(h, Mode::train);
    const double value = classify_.forward(heads_.head_output(0), y_) +
                         discriminate_.forward(heads_.head_output(1), domain_);
    const Matrix<double>& dh = heads_.backward_heads({&classify_.backward(), &discriminate_.backward()});
    encoder_.backward(dh);
    return value;
  }

  double validation_loss() {
    const auto& h = encoder_.forward(validation_.x, Mode::eval);
    heads_.forward_heads(h, Mode::eval);
    return classify_.forward(heads_.head_output(0), validation_.y);
  }

  double accuracy(const Data& d) {
    const auto& h = encoder_.forward(d.x, Mode::eval);
    heads_.forward_heads(h, Mode::eval);
    const Matrix<double>& logits = heads_.head_output(0);
    Index right = 0;
    for (Index j = 0; j < logits.cols(); ++j) right += (logits(0, j) > 0) == (d.y(0, j) > 0.5);
    return double(right) / double(logits.cols());
  }

  nn::GradientReversal<double>& grl() {
    return heads_.head<nn::Sequential<double>>(1).at<nn::GradientReversal<double>>(0);
  }

  template <class V>
  void visit_parameters(V&& visit) {
    encoder_.visit_parameters(visit);
    heads_.visit_parameters(visit);
  }
  template <class V>
  void visit_buffers(V&& visit) {
    encoder_.visit_buffers(visit);
    heads_.visit_buffers(visit);
  }

  double last_progress = -1;
  long interrupt_at_epoch = -1;  // simulates a killed process in the middle of that epoch

 private:
  static void gather(const Matrix<double>& m, const std::vector<Index>& idx, Matrix<double>& out) {
    out.resize(m.rows(), Index(idx.size()));
    for (std::size_t k = 0; k < idx.size(); ++k) out.col(Index(k)) = m.col(idx[k]);
  }
  const Data &train_, &validation_;
  nn::Sequential<double> encoder_;
  nn::Fork<double> heads_;
  loss::BCEWithLogits<double> classify_, discriminate_;
  Matrix<double> x_, y_, domain_;
};

std::vector<Matrix<double>> weights(TwoHeadTask& task) {
  std::vector<Matrix<double>> out;
  task.visit_parameters([&](Parameter<double>& p) { out.push_back(p.value); });
  return out;
}

// A task whose loss becomes NaN at the second batch.
struct Diverging {
  using scalar_type = double;
  Parameter<double> weight{1, 1, "w"};
  const char* name() const { return "diverging"; }
  Index samples() const { return 10; }
  bool has_validation() const { return false; }
  double train_batch(const std::vector<Index>&, const train::BatchPosition& at) {
    return at.batch == 1 ? std::nan("") : 1.0;
  }
  double validation_loss() { return 0; }
  template <class V>
  void visit_parameters(V&& v) { v(weight); }
  template <class V>
  void visit_buffers(V&&) {}
};

}  // namespace

TEST_CASE("fit: a labelled two-head task learns, and the schedule sees the progress") {
  const Data train = make_data(200, 1), validation = make_data(80, 2);
  TwoHeadTask task(train, validation, 3);
  const double before = task.accuracy(validation);
  optim::Adam<double> adam({0.03});
  train::LoopOptions options;
  options.epochs = 30;
  options.batch_size = 32;
  options.min_batch = 8;  // 200 = 6 x 32 + 8: the last batch of 8 is kept
  std::ostringstream log;
  options.log = &log;
  options.log_interval_seconds = 0;
  const auto result = train::fit(task, adam, options);
  REQUIRE(result.history.size() == 30);
  CHECK(adam.steps() == 30 * 7);
  CHECK(result.history.back().train_loss < result.history.front().train_loss);
  // The restored best epoch classifies held-out data well; chance is about 0.5.
  CHECK(before < 0.8);
  CHECK(task.accuracy(validation) > 0.9);
  // The last batch saw p = (29 * 7 + 6) / (30 * 7), and the Ganin lambda followed it.
  CHECK(task.last_progress == Approx((29.0 * 7 + 6) / (30.0 * 7)).epsilon(1e-15));
  CHECK(task.grl().lambda() > 0.99);
  CHECK(log.str().find("epoch 30/30 done") != std::string::npos);
}

TEST_CASE("fit: the same seed gives the same weights; a resumed run ends identically") {
  const Data train = make_data(120, 4), validation = make_data(40, 5);
  train::LoopOptions options;
  options.epochs = 6;
  options.batch_size = 16;
  options.patience = 3;
  auto run = [&](const train::LoopOptions& o, TwoHeadTask& task) {
    optim::Adam<double> adam({0.02});
    return train::fit(task, adam, o);
  };
  TwoHeadTask a(train, validation, 6), b(train, validation, 6);
  const auto full = run(options, a);
  run(options, b);
  CHECK(weights(a) == weights(b));

  const std::string path = "canon-test-loop.ckpt";
  std::remove(path.c_str());
  // The first process dies in the middle of epoch 3 (the progress schedule depends on
  // the planned number of epochs, so the interruption must not change the options).
  train::LoopOptions interrupted = options;
  interrupted.checkpoint_path = path;
  interrupted.resume = true;
  TwoHeadTask first(train, validation, 6);
  first.interrupt_at_epoch = 2;
  CHECK_THROWS_WITH(run(interrupted, first), "interrupted");
  TwoHeadTask resumed(train, validation, 6);  // a fresh process: new task, new optimizer
  const auto rest = run(interrupted, resumed);
  CHECK(rest.resumed_from_epoch == 2);
  CHECK(rest.best_epoch == full.best_epoch);
  CHECK(rest.best_validation_loss == full.best_validation_loss);
  CHECK(weights(resumed) == weights(a));
  std::remove(path.c_str());
}

TEST_CASE("fit: stop_requested stops the run with canon::interrupted; resuming finishes it identically") {
  const Data train = make_data(120, 4), validation = make_data(40, 5);
  train::LoopOptions options;
  options.epochs = 5;
  options.batch_size = 16;
  auto run = [&](const train::LoopOptions& o, TwoHeadTask& task) {
    optim::Adam<double> adam({0.02});
    return train::fit(task, adam, o);
  };
  TwoHeadTask uninterrupted(train, validation, 6);
  run(options, uninterrupted);

  const std::string path = "canon-test-loop-stop.ckpt";
  std::remove(path.c_str());
  train::LoopOptions stopping = options;
  stopping.checkpoint_path = path;
  stopping.resume = true;
  long batches = 0;
  stopping.stop_requested = [&] { return ++batches == 3 * 8 + 2; };  // epoch 4, batch 2
  TwoHeadTask first(train, validation, 6);
  std::string message;
  try {
    run(stopping, first);
  } catch (const interrupted& stop) {
    message = stop.what();
  }
  CHECK_THAT(message, Catch::Contains("interrupted at epoch 4, batch 2") &&
                          Catch::Contains("holds the run after epoch 3"));
  stopping.stop_requested = nullptr;
  TwoHeadTask resumed(train, validation, 6);
  CHECK(run(stopping, resumed).resumed_from_epoch == 3);
  CHECK(weights(resumed) == weights(uninterrupted));
  std::remove(path.c_str());
}

TEST_CASE("fit: bad options and a diverging loss are refused with the task's name") {
  const Data train = make_data(20, 7), validation = make_data(10, 8);
  TwoHeadTask task(train, validation, 9);
  optim::Adam<double> adam;
  train::LoopOptions options;
  options.batch_size = 8;
  options.min_batch = 9;
  CHECK_THROWS_WITH(train::fit(task, adam, options),
                    Catch::Contains("two-head task") && Catch::Contains("min_batch"));
  options.min_batch = 2;
  options.epochs = 0;
  CHECK_THROWS_WITH(train::fit(task, adam, options), Catch::Contains("epochs"));
  options.epochs = 1;
  options.batch_size = 30;
  options.min_batch = 25;
  CHECK_THROWS_WITH(train::fit(task, adam, options), Catch::Contains("cannot fill one batch"));
  Diverging diverging;
  train::LoopOptions two_batches;
  two_batches.batch_size = 5;
  CHECK_THROWS_WITH(train::fit(diverging, adam, two_batches),
                    Catch::Contains("diverging: the loss is nan at epoch 1, batch 2"));
}

TEST_CASE("BatchPosition: progress runs over [0, 1)") {
  train::BatchPosition first{0, 0, 4, 5}, last{3, 4, 4, 5};
  CHECK(first.progress() == 0.0);
  CHECK(last.progress() == Approx(19.0 / 20.0));
}
