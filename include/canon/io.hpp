// canon/io.hpp — the canon::io component (libsndfile, EDFlib): audio, EDF/BDF, CSV,
// .npy and the dataset loaders.
#pragma once

#include "canon/canon.hpp"
#include "canon/io/audio.hpp"
#include "canon/io/biosemi_status.hpp"
#include "canon/io/channel_type.hpp"
#include "canon/io/csv.hpp"
#include "canon/io/edf.hpp"
#include "canon/io/feature_matrix.hpp"
#include "canon/io/npy.hpp"
#include "canon/io/resample_audio.hpp"
#include "canon/io/datasets/deam.hpp"
#include "canon/io/datasets/deap.hpp"
#include "canon/io/datasets/deap_stimuli.hpp"
#include "canon/io/datasets/deap_bdf.hpp"
#include "canon/io/datasets/manifest.hpp"
#include "canon/io/datasets/pmemo.hpp"
