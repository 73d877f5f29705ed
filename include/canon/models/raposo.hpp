// canon/models/raposo.hpp — Raposo et al. 2017 (canon::raposo), all of it: branches
// from the paper's notation, recordings to chunks, the model, the folds x runs
// protocol, the transfer protocol, and synthetic sessions as recordings. Eigen only.
#pragma once

#include "canon/models/raposo/branch.hpp"
#include "canon/models/raposo/data.hpp"
#include "canon/models/raposo/model.hpp"
#include "canon/models/raposo/protocol.hpp"
#include "canon/models/raposo/synthetic.hpp"
#include "canon/models/raposo/transfer.hpp"
