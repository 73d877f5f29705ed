// Resume is exact: a run interrupted anywhere (an exception mid-epoch, SIGKILL during a
// step or during a checkpoint write) and resumed from its checkpoint ends with the
// model the uninterrupted run ends with, byte for byte, in float and in double, with
// dropout (the masks' position is in the checkpoint) and early stopping. One run per
// checkpoint (a lock).
#include <canon/core/serialization.hpp>
#include <spawn.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <map>
#include <set>
#include <sstream>
#include <thread>

#include "canon_test.hpp"
#include "dropout_task.hpp"

extern char** environ;

using namespace canon;

namespace {

template <class S>
std::map<std::string, Matrix<S>> tensors(canon_test::DropoutTask<S>& task) {
  std::map<std::string, Matrix<S>> all;
  task.visit_parameters([&](Parameter<S>& p) { all[p.name] = p.value; });
  task.visit_buffers([&](Buffer<S>& b) { all[b.name] = b.value; });
  return all;
}

std::string bytes_of(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  std::ostringstream s;
  s << in.rdbuf();
  return s.str();
}

/// Names of the temporaries (core/atomic_file.hpp) of `checkpoint` in the working directory.
std::set<std::string> temporaries_of(const std::string& checkpoint) {
  std::set<std::string> found;
  for (const auto& entry : std::filesystem::directory_iterator(".")) {
    const std::string name = entry.path().filename().string();
    if (name.rfind(checkpoint + ".tmp-canon.", 0) == 0) found.insert(name);
  }
  return found;
}

void remove_run_files(const std::string& checkpoint) {
  for (const auto& entry : std::filesystem::directory_iterator("."))
    if (entry.path().filename().string().rfind(checkpoint, 0) == 0) std::filesystem::remove(entry.path());
}

pid_t start_worker(const std::string& scalar, const std::string& checkpoint, const std::string& out) {
  std::string worker = CANON_RESUME_WORKER;
  std::vector<char*> argv{worker.data(), const_cast<char*>(scalar.c_str()),
                          const_cast<char*>(checkpoint.c_str()), const_cast<char*>(out.c_str()), nullptr};
  pid_t pid = -1;
  REQUIRE(posix_spawn(&pid, worker.c_str(), nullptr, nullptr, argv.data(), environ) == 0);
  return pid;
}

/// Waits for the worker; true when it finished (exit 0), false when it was killed.
bool finished(pid_t pid) {
  int status = 0;
  REQUIRE(waitpid(pid, &status, 0) == pid);
  if (WIFSIGNALED(status)) return false;
  REQUIRE(WIFEXITED(status));
  REQUIRE(WEXITSTATUS(status) == 0);
  return true;
}

}  // namespace

TEMPLATE_TEST_CASE("fit: a run interrupted mid-epoch resumes to the same weights, dropout included",
                   "[robust]", float, double) {
  using S = TestType;
  const std::string path = std::string("canon-test-resume-") + (sizeof(S) == 4 ? "f" : "d") + ".ckpt";
  remove_run_files(path);
  auto options = canon_test::dropout_task_options();
  canon_test::DropoutTask<S> straight(5);
  optim::Adam<S> adam_straight({1e-3});
  const auto full = train::fit(straight, adam_straight, options);

  options.checkpoint_path = path;
  options.resume = true;
  canon_test::DropoutTask<S> first(5);
  first.interrupt_at_epoch = 3;
  optim::Adam<S> adam_first({1e-3});
  CHECK_THROWS_WITH(train::fit(first, adam_first, options), "interrupted");
  canon_test::DropoutTask<S> resumed(5);  // a new process: new task, new optimizer
  optim::Adam<S> adam_resumed({1e-3});
  const auto rest = train::fit(resumed, adam_resumed, options);
  CHECK(rest.resumed_from_epoch == 3);
  CHECK(rest.best_epoch == full.best_epoch);
  CHECK(rest.best_validation_loss == full.best_validation_loss);
  const auto a = tensors(straight), b = tensors(resumed);
  REQUIRE(a.size() == b.size());
  for (const auto& [name, value] : a) {
    INFO(name);
    CHECK(b.at(name) == value);
  }
  // Both dropout layers and the LSTM's between-layer dropout drew masks; they were
  // counted, and the counters came back from the checkpoint.
  int counters = 0;
  for (const auto& [name, value] : a)
    if (name.find("dropout_draws") != std::string::npos) {
      ++counters;
      CHECK(value(0, 1) > 0);
    }
  CHECK(counters == 3);
  remove_run_files(path);
}

TEST_CASE("the dropout mask counter is in checkpoints and not in model files", "[robust]") {
  canon_test::DropoutTask<float> task(5);
  optim::Adam<float> adam({1e-3});
  auto options = canon_test::dropout_task_options();
  options.epochs = 1;
  options.checkpoint_path = "canon-test-counter.ckpt";
  remove_run_files(options.checkpoint_path);
  train::fit(task, adam, options);
  save(task.model(), "canon-test-counter.model");
  const auto model_file = detail::read_tensor_file("canon-test-counter.model");
  const auto checkpoint = detail::read_tensor_file(options.checkpoint_path);
  CHECK(model_file.count("1.dropout_draws") == 0);
  CHECK(checkpoint.count("1.dropout_draws") == 0);
  REQUIRE(checkpoint.count("training_state.1.dropout_draws") == 1);
  CHECK(checkpoint.at("training_state.1.dropout_draws").value(0, 1) == 8);  // 8 batches, 8 masks
  CHECK(checkpoint.count("training_state.0.dropout_draws") == 1);            // the LSTM's
  // A model file still loads into a model with dropout (the counter is not the model's).
  canon_test::DropoutTask<float> other(9);
  CHECK_NOTHROW(load(other.model(), "canon-test-counter.model"));
  remove_run_files(options.checkpoint_path);
  std::remove("canon-test-counter.model");
}

TEST_CASE("fit: a second run on the same checkpoint is refused while the first holds it", "[robust]") {
  const std::string path = "canon-test-locked.ckpt";
  remove_run_files(path);
  canon_test::DropoutTask<float> task(5);
  optim::Adam<float> adam({1e-3});
  auto options = canon_test::dropout_task_options();
  options.epochs = 1;
  options.checkpoint_path = path;
  {
    const train::detail::CheckpointLock held(path, "another run");
    CHECK_THROWS_WITH(train::fit(task, adam, options),
                      Catch::Contains("another training run (pid " + std::to_string(getpid())) &&
                          Catch::Contains("canon-test-locked.ckpt.lock"));
  }
  CHECK_NOTHROW(train::fit(task, adam, options));  // released with its holder
  remove_run_files(path);
}

TEMPLATE_TEST_CASE("fit: SIGKILL during steps and checkpoint writes, then resume: the same model, byte for byte",
                   "[robust]", float, double) {
  const std::string scalar = sizeof(TestType) == 4 ? "float" : "double";
  const std::string reference_ckpt = "canon-test-kill-ref-" + scalar + ".ckpt";
  const std::string ckpt = "canon-test-kill-" + scalar + ".ckpt";
  const std::string reference = "canon-test-kill-ref-" + scalar + ".model";
  const std::string out = "canon-test-kill-" + scalar + ".model";
  remove_run_files(reference_ckpt);
  remove_run_files(ckpt);
  REQUIRE(finished(start_worker(scalar, reference_ckpt, reference)));
  const std::string expected = bytes_of(reference);
  REQUIRE(!expected.empty());

  // First killed inside checkpoint writes: as soon as the temporary of the run's second
  // checkpoint appears (the first is let through, so each restart gets one epoch
  // further). Then killed at random moments, mostly inside steps, later and later.
  // Every restart resumes from whatever checkpoint survived.
  Rng rng(11);
  int kills = 0, kills_in_write = 0;
  bool done = false;
  for (int attempt = 0; attempt < 20 && !done; ++attempt) {
    const pid_t pid = start_worker(scalar, ckpt, out);
    if (attempt < 4) {
      std::set<std::string> seen;
      const auto give_up = std::chrono::steady_clock::now() + std::chrono::seconds(20);
      while (seen.size() < 2 && std::chrono::steady_clock::now() < give_up) {
        for (const auto& name : temporaries_of(ckpt)) seen.insert(name);
        int status = 0;
        if (waitpid(pid, &status, WNOHANG) == pid) {  // finished before two more writes
          REQUIRE((WIFEXITED(status) && WEXITSTATUS(status) == 0));
          done = true;
          break;
        }
      }
      if (done) break;
    } else if (attempt < 12) {
      std::this_thread::sleep_for(std::chrono::microseconds(long(rng.uniform(2e3, 1e4 + 4e3 * attempt))));
    } else {
      done = finished(pid);
      break;
    }
    ::kill(pid, SIGKILL);
    const bool left_a_temporary = !temporaries_of(ckpt).empty();
    done = finished(pid);
    if (!done) {
      ++kills;
      kills_in_write += left_a_temporary;
    }
  }
  INFO("kills " << kills << ", of which inside a checkpoint write " << kills_in_write);
  REQUIRE(done);
  CHECK(kills >= 4);
  CHECK(kills_in_write >= 1);
  CHECK(bytes_of(out) == expected);
  CHECK(temporaries_of(ckpt).empty());  // the last run cleared what the killed ones left
  remove_run_files(reference_ckpt);
  remove_run_files(ckpt);
  std::remove(reference.c_str());
  std::remove(out.c_str());
}
