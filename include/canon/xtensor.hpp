// canon/xtensor.hpp — the canon::xtensor component (xtensor 0.24): zero-copy views between
// canon's batches and xt arrays (features, signals, sequences, Avramidis's DE segments),
// copying conversions where the two layouts differ, and .npy files into xt::xarray and
// back. See docs/xtensor.md. .npz archives into xt::xarray: canon/xtensor/npz.hpp, not
// included here because it also needs canon::npz (zlib).
#pragma once

#include "canon/canon.hpp"
#include "canon/xtensor/view.hpp"
#include "canon/xtensor/feature_batch.hpp"
#include "canon/xtensor/npy.hpp"
#include "canon/xtensor/segment_batch.hpp"
#include "canon/xtensor/sequence_batch.hpp"
#include "canon/xtensor/signal_batch.hpp"
