// canon/models/emer_cl.hpp — EMER-CL (Takashima et al.): music and emotion in common
// spaces trained with a composite CCA + Gaussian-KL ranking loss. The room:
// models/emer_cl/ (namespace canon::emer_cl). See docs/emer-cl.md. Everything here needs
// only Eigen; the MER comparison (mer.hpp, an SVR through libsvm) needs the canon::svm
// component and is included from canon/svm.hpp instead; reading real files
// (files.hpp: canon::io and canon::signal) is included from canon/models/emer_cl_files.hpp.
#pragma once

#include "canon/models/emer_cl/baselines.hpp"
#include "canon/models/emer_cl/data.hpp"
#include "canon/models/emer_cl/loss.hpp"
#include "canon/models/emer_cl/model.hpp"
#include "canon/models/emer_cl/protocol.hpp"
#include "canon/models/emer_cl/retrieval.hpp"
#include "canon/models/emer_cl/semi_real.hpp"
#include "canon/models/emer_cl/similarity.hpp"
#include "canon/models/emer_cl/task.hpp"
