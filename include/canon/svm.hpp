// canon/svm.hpp — the canon::svm component (needs libsvm): the RBF epsilon-SVR, and what
// is built on it: EMER-CL's MER comparison (Takashima et al., Section IV-F), which lives
// in the EMER-CL room but is included from here, not from canon/models/emer_cl.hpp, so
// that the EMER-CL umbrella keeps needing only Eigen.
#pragma once

#include "canon/canon.hpp"
#include "canon/models/emer_cl/mer.hpp"
#include "canon/svm/svr.hpp"
