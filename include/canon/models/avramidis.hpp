// canon/models/avramidis.hpp — Avramidis et al. 2022: affective EEG representations with
// music supervision. The room: models/avramidis/ (namespace canon::avramidis). See
// docs/avramidis.md. Everything but segments.hpp needs only Eigen;
// segments.hpp (the DE features) needs the canon::signal component and is included here.
#pragma once

#include "canon/models/avramidis/eeg_branch.hpp"
#include "canon/models/avramidis/music_branch.hpp"
#include "canon/models/avramidis/metrics.hpp"
#include "canon/models/avramidis/model.hpp"
#include "canon/models/avramidis/music_experiment.hpp"
#include "canon/models/avramidis/music_features.hpp"
#include "canon/models/avramidis/protocol.hpp"
#include "canon/models/avramidis/segments.hpp"
#include "canon/models/avramidis/synthetic.hpp"
#include "canon/models/avramidis/task.hpp"
#include "canon/models/avramidis/track_folds.hpp"
