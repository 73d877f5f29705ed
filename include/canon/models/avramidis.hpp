// canon/models/avramidis.hpp — Avramidis et al. 2022: affective EEG representations with
// music supervision. The room: models/avramidis/ (namespace canon::avramidis). See
// docs/avramidis.md. Built so far: the EEG branch, the music branch and its experiment.
#pragma once

#include "canon/models/avramidis/eeg_branch.hpp"
#include "canon/models/avramidis/music_branch.hpp"
#include "canon/models/avramidis/music_experiment.hpp"
