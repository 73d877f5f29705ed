// canon/train/trainer.hpp — the training loop and the two-view Deep CCA step together:
// what `train_two_view` users include. The loop itself is train/loop.hpp (any model,
// through a task); the two-view step is train/two_view_task.hpp.
#pragma once

#include "canon/train/loop.hpp"
#include "canon/train/two_view_task.hpp"
