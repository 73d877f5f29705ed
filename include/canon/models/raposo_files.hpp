// canon/models/raposo_files.hpp — Raposo et al. 2017 from real files: a manifest of
// paired audio and EEG files into recordings, single audio or EEG files for embedding.
// Needs the canon::io component (libsndfile, EDFlib): link it. See docs/raposo.md.
#pragma once
#include "canon/models/raposo.hpp"
#include "canon/models/raposo/files.hpp"
