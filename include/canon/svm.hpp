// canon/svm.hpp — the canon::svm component (needs libsvm): the RBF epsilon-SVR.
#pragma once

#include "canon/canon.hpp"
#include "canon/svm/svr.hpp"
