// canon/npz.hpp — the canon::npz component (zlib): NumPy .npz archives in and out.
#pragma once

#include "canon/canon.hpp"
#include "canon/io/npz.hpp"
#include "canon/io/npz_samples.hpp"
