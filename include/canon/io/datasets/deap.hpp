// canon/io/datasets/deap.hpp — DEAP (Koelstra et al. 2012).
//
// The preprocessed data ships as Python pickles (s01.dat ... s32.dat), each a dict with
// 'data' (40 trials x 40 channels x 8064 samples at 128 Hz: 3 s baseline + 60 s
// trial; channels 0–31 are EEG) and 'labels' (40 x 4: valence, arousal, dominance,
// liking, 1–9). canon does not read pickles; export each once with NumPy:
//
//   /usr/bin/python3 -c "import pickle,sys,numpy as np; d=pickle.load(open(sys.argv[1],'rb'),encoding='latin1'); np.save(sys.argv[2]+'_data.npy',d['data']); np.save(sys.argv[2]+'_labels.npy',d['labels'])" s01.dat s01
//
// and load s01_data.npy + s01_labels.npy with load_deap_subject. The raw recordings
// are BioSemi BDF files: load_deap_bdf_subject (canon/io/datasets/deap_bdf.hpp) makes
// the same trials from them; participant_ratings.csv holds the participants' ratings
// per trial.
#pragma once

#include <cmath>
#include <map>
#include <string>
#include <utility>
#include <vector>

#include "canon/io/csv.hpp"
#include "canon/io/npy.hpp"

namespace canon::io {

struct DeapTrial {
  Matrix<double> eeg;  ///< 32 EEG channels x samples, baseline removed
  double valence = 0, arousal = 0, dominance = 0, liking = 0;  ///< 1–9
};

struct DeapOptions {
  Index eeg_channels = 32;
  double sample_rate = 128.0;
  double baseline_seconds = 3.0;  ///< removed from the start of every trial
};

inline std::vector<DeapTrial> load_deap_subject(const std::string& data_npy, const std::string& labels_npy,
                                                const DeapOptions& o = {}) {
  // Every option is checked before it sizes or indexes anything.
  if (o.eeg_channels <= 0)
    throw value_error(canon::detail::message("load_deap_subject: eeg_channels must be positive, got ", o.eeg_channels));
  if (!std::isfinite(o.sample_rate) || !(o.sample_rate > 0) || o.sample_rate > 1e9)
    throw value_error(canon::detail::message("load_deap_subject: sample_rate must be a positive rate in Hz, got ",
                                             o.sample_rate));
  if (!std::isfinite(o.baseline_seconds) || !(o.baseline_seconds >= 0) || o.baseline_seconds > 1e6)
    throw value_error(canon::detail::message(
        "load_deap_subject: baseline_seconds must be a finite number of seconds >= 0, got ", o.baseline_seconds));
  const double baseline_samples = o.baseline_seconds * o.sample_rate;
  if (std::abs(baseline_samples - std::round(baseline_samples)) > 1e-6)
    throw value_error(canon::detail::message("load_deap_subject: the baseline of ", o.baseline_seconds, " s at ",
                                             o.sample_rate, " Hz is ", baseline_samples,
                                             " samples (expected a whole number; rounding would shift the trial)"));
  const auto baseline = static_cast<Index>(std::round(baseline_samples));
  const NpyArray data = read_npy(data_npy);
  const NpyArray labels = read_npy(labels_npy);
  if (data.shape.size() != 3 || data.shape[1] < o.eeg_channels || data.shape[2] <= baseline)
    throw io_error(canon::detail::message(data_npy, ": expected trials x channels x samples with at least ",
                                          o.eeg_channels, " channels and more than ", baseline,
                                          " samples (DEAP: 40 x 40 x 8064)"));
  if (labels.shape.size() != 2 || labels.shape[0] != data.shape[0] || labels.shape[1] < 4)
    throw io_error(canon::detail::message(labels_npy, ": expected ", data.shape[0],
                                          " x 4 ratings (valence, arousal, dominance, liking)"));
  const Index trials = data.shape[0], channels = data.shape[1], samples = data.shape[2];
  std::vector<DeapTrial> out(static_cast<std::size_t>(trials));
  for (Index k = 0; k < trials; ++k) {
    DeapTrial& t = out[static_cast<std::size_t>(k)];
    t.eeg.resize(o.eeg_channels, samples - baseline);
    for (Index c = 0; c < o.eeg_channels; ++c)
      for (Index s = baseline; s < samples; ++s) {
        const double x = data.data[static_cast<std::size_t>((k * channels + c) * samples + s)];
        if (!std::isfinite(x))
          throw io_error(canon::detail::message(data_npy, ": trial ", k, ", channel ", c, ", sample ", s, " is ", x,
                                                " (expected finite EEG values)"));
        t.eeg(c, s - baseline) = x;
      }
    double* fields[] = {&t.valence, &t.arousal, &t.dominance, &t.liking};
    for (Index j = 0; j < 4; ++j) {
      const double v = labels.data[static_cast<std::size_t>(k * labels.shape[1] + j)];
      if (!(v >= 1.0 && v <= 9.0))
        throw io_error(canon::detail::message(labels_npy, ": trial ", k, " rating ", j, " is ", v,
                                              " (expected 1 to 9)"));
      *fields[j] = v;
    }
  }
  return out;
}

struct DeapRating {
  long long participant = 0, trial = 0, experiment = 0;
  double valence = 0, arousal = 0, dominance = 0, liking = 0;
};

/// participant_ratings.csv (Participant_id, Trial, Experiment_id, ..., Valence,
/// Arousal, Dominance, Liking, ...).
inline std::vector<DeapRating> read_deap_ratings(const std::string& path) {
  const Table t = read_csv(path);
  const Index p = t.column("Participant_id"), tr = t.column("Trial"), e = t.column("Experiment_id");
  const Index v = t.column("Valence"), a = t.column("Arousal"), d = t.column("Dominance"), l = t.column("Liking");
  std::vector<DeapRating> out;
  std::map<std::pair<long long, long long>, std::size_t> first_line;
  for (Index r = 0; r < t.row_count(); ++r) {
    DeapRating x{t.integer(r, p), t.integer(r, tr), t.integer(r, e),
                 t.number(r, v), t.number(r, a), t.number(r, d), t.number(r, l)};
    const std::size_t line = t.lines[static_cast<std::size_t>(r)];
    const auto seen = first_line.emplace(std::make_pair(x.participant, x.trial), line);
    if (!seen.second)
      throw io_error(canon::detail::message(path, ": line ", line, ": participant ", x.participant, " trial ", x.trial,
                                            " already has a row (line ", seen.first->second,
                                            "); expected one row per participant and trial"));
    for (double value : {x.valence, x.arousal, x.dominance, x.liking})
      if (!(value >= 1.0 && value <= 9.0))
        throw io_error(canon::detail::message(path, ": line ", t.lines[static_cast<std::size_t>(r)], ": rating ",
                                              value, " outside 1 to 9"));
    out.push_back(x);
  }
  return out;
}

}  // namespace canon::io
