// canon/models/raposo.hpp — Raposo et al. 2017 (canon::raposo), all of it: branches
// from the paper's notation, recordings to chunks, the model, the folds x runs
// protocol and the transfer protocol. Eigen only.
#pragma once

#include "canon/models/raposo/branch.hpp"
#include "canon/models/raposo/data.hpp"
#include "canon/models/raposo/model.hpp"
#include "canon/models/raposo/protocol.hpp"
#include "canon/models/raposo/transfer.hpp"
