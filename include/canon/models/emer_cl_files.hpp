// canon/models/emer_cl_files.hpp — EMER-CL's inputs from real files (DEAM and PMEmo
// annotations, .npy / CSV frame features, audio through canon's default frame feature)
// and the semi-real default built on DEAM's real annotations. Needs the canon::io
// (libsndfile) and canon::signal (FFTW) components: link both. See docs/emer-cl.md.
#pragma once
#include "canon/models/emer_cl.hpp"
#include "canon/models/emer_cl/files.hpp"
