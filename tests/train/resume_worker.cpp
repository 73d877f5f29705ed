// The training process that test_resume.cpp kills with SIGKILL at random moments:
//   resume_worker float|double <checkpoint> <model-out>
// trains canon_test::DropoutTask with checkpoints, resuming from <checkpoint> when it
// exists, and saves the final model to <model-out>. Exit 0 when done, 2 on an error.
#include <canon/core/serialization.hpp>
#include <cstdio>
#include <exception>
#include <string>

#include "dropout_task.hpp"

template <class S>
void run(const std::string& checkpoint, const std::string& out) {
  canon_test::DropoutTask<S> task(5);
  canon::optim::Adam<S> adam({1e-3});
  auto options = canon_test::dropout_task_options();
  options.checkpoint_path = checkpoint;
  options.resume = true;
  canon::train::fit(task, adam, options);
  canon::save(task.model(), out);
}

int main(int argc, char** argv) {
  if (argc != 4) {
    std::fprintf(stderr, "usage: resume_worker float|double <checkpoint> <model-out>\n");
    return 2;
  }
  try {
    if (std::string(argv[1]) == "float") run<float>(argv[2], argv[3]);
    else run<double>(argv[2], argv[3]);
  } catch (const std::exception& e) {
    std::fprintf(stderr, "resume_worker: %s\n", e.what());
    return 2;
  }
  return 0;
}
