// canon/io/datasets/deap_bdf.hpp — DEAP (Koelstra et al. 2012) from its raw BioSemi
// recordings (data_original/sXX.bdf) to trials like the preprocessed release.
//
// DEAP's web site describes data_preprocessed as: "1. The data was downsampled to
// 128Hz. 2. EOG artefacts were removed as in [1]. 3. A bandpass frequency filter from
// 4.0-45.0Hz was applied. 4. The data was averaged to the common reference. 5. The EEG
// channels were reordered so that they all follow the Geneva order. 6. The data was
// segmented into 60 second trials and a 3 second pre-trial baseline removed. 7. The
// trials were reordered from presentation order to video (Experiment_id) order."
// (https://www.eecs.qmul.ac.uk/mmv/datasets/deap/readme.html). canon does, in that order:
//   1. resample_poly(x, 1, 4) per channel (canon/signal/resample.hpp: scipy's polyphase
//      resampler, an 81-tap Kaiser(beta = 5) low-pass at 64 Hz for 512 -> 128 Hz), on
//      the continuous recording;
//   2. NOT DONE: DEAP removed EOG artefacts "as in [1]" and publishes neither the
//      method's parameters nor the result per trial; blind source separation is not
//      cheap to reproduce faithfully, so trials keep their eye artefacts (say so when
//      comparing with the preprocessed release);
//   3. a zero-phase Butterworth band-pass, sosfiltfilt(butter(order, {4, 45}, bandpass,
//      128)) on the continuous 128 Hz signal. DEAP does not say which filter it used:
//      the order is DeapBdfOptions::filter_order (default 4, i.e. |H|^2 of an order-8
//      band-pass, -6 dB at 4 and 45 Hz); 0 switches the filter off;
//   4. common average reference over the EEG channels read: x_c(t) -= (1/C) sum_k x_k(t);
//   5. the channels are picked by label in the Geneva order (deap_geneva_channels()), so
//      Twente (s01–s22) and Geneva (s23–s32) files come out alike; optional;
//   6. trials cut at the Status-channel markers (canon/io/biosemi_status.hpp), with the
//      baseline_seconds before the video onset kept apart (DeapBdfTrial::baseline);
//   7. load_deap_bdf_subject reorders to Experiment_id with participant_ratings.csv and
//      returns DeapTrial, the type load_deap_subject returns.
//
// Status codes (DEAP readme, "Data_original"; the table is quoted in several public
// repositories, e.g. a tensor2tensor DEAP problem and Italian MNE scripts):
//   1 start of experiment / of the 2 min baseline / of each rating screen;
//   2 video synchronisation screen (1000 ms); 3 fixation screen before a trial (5000 ms);
//   4 start of music video playback (60000 ms); 5 fixation screen after the video
//   (3000 ms); 7 end of experiment.
// A trial is a code-4 onset, the last code-3 onset before it and the first code-5 onset
// after it. Real files carry stray 3s and 5s (Geneva files: an extra fixation at the
// start and an extra code 5 before the baseline, per public DEAP scripts), so a 3 not
// followed by a 4, or a 5 not preceded by one, is ignored and reported in `warnings`;
// a 4 with no 5 before the next 4 or the end is an error, as is a 4 with no 3 at least
// baseline_seconds before it, a video segment whose length differs from trial_seconds
// by more than marker_tolerance_seconds, or a trial count other than expected_trials.
//
// A marker at source sample m is at time m / 512 s; on the 128 Hz grid the cut starts
// at the nearest sample, round(m * 128 / 512), i.e. at most 1/256 s (half a sample)
// from the marker (DEAP's markers are not documented to a finer grid either).
#pragma once

#include <algorithm>
#include <cmath>
#include <numeric>
#include <set>
#include <string>
#include <utility>
#include <vector>

#include "canon/core/error.hpp"
#include "canon/core/types.hpp"
#include "canon/io/biosemi_status.hpp"
#include "canon/io/datasets/deap.hpp"
#include "canon/io/edf.hpp"
#include "canon/signal/iir.hpp"
#include "canon/signal/resample.hpp"

namespace canon::io {

/// The 32 EEG channels in DEAP's Geneva order (participants 23–32 and the preprocessed
/// release). Source: the channel table of the DEAP readme, as transcribed in
/// gzoumpourlis/DEAP_MNE_preprocessing metadata_csv/DEAP_EEG_channels.xlsx (f58f031).
inline const std::vector<std::string>& deap_geneva_channels() {
  static const std::vector<std::string> labels{
      "Fp1", "AF3", "F3", "F7", "FC5", "FC1", "C3", "T7", "CP5", "CP1", "P3", "P7", "PO3", "O1", "Oz", "Pz",
      "Fp2", "AF4", "Fz", "F4", "F8", "FC6", "FC2", "Cz", "C4", "T8", "CP6", "CP2", "P4", "P8", "PO4", "O2"};
  return labels;
}

/// The first 32 channels of the Twente recordings (participants 1–22), same source.
inline const std::vector<std::string>& deap_twente_channels() {
  static const std::vector<std::string> labels{
      "Fp1", "AF3", "F7", "F3", "FC1", "FC5", "T7", "C3", "CP1", "CP5", "P7", "P3", "Pz", "PO3", "O1", "Oz",
      "O2", "PO4", "P4", "P8", "CP6", "CP2", "C4", "T8", "FC6", "FC2", "F4", "F8", "AF4", "Fp2", "Fz", "Cz"};
  return labels;
}

/// The 6 DEAP videos Avramidis et al. 2022 leave out (their ratings disagree with the
/// experimenters' annotation), as Experiment_id (1-based). The authors' code excludes
/// 0-based indices [7, 9, 10, 15, 33, 35] of the preprocessed arrays, which DEAP orders
/// by Experiment_id: klean2050/EEG_CrossModal, eeg_cmr/preprocess.py, load_data(...,
/// exclude=True), commit 2e98bb0.
inline std::vector<int> avramidis2022_dropped_videos() { return {8, 10, 11, 16, 34, 36}; }

struct DeapBdfOptions {
  double source_rate = 512.0;     ///< Hz the EEG and Status channels must have (DEAP: 512)
  double target_rate = 128.0;     ///< Hz after resampling (DEAP: 128); whole Hz
  double low_hz = 4.0, high_hz = 45.0;  ///< band-pass edges (DEAP: 4.0–45.0 Hz)
  int filter_order = 4;           ///< Butterworth order, applied forward and backward; 0 = no filter
  bool common_average = true;     ///< subtract the mean over the EEG channels read
  bool geneva_order = true;       ///< pick EEG channels by label in deap_geneva_channels()
  Index eeg_channels = 32;        ///< with geneva_order = false and no eeg_labels: the first N channels
  std::vector<std::string> eeg_labels;  ///< explicit EEG labels (overrides both above)
  std::string status_label = "Status";  ///< BioSemi's trigger channel
  Index status_index = -1;        ///< 0-based; >= 0 overrides status_label (DEAP s24–s32: blank labels)
  int fixation_code = 3, video_code = 4, end_code = 5;  ///< DEAP readme's Status codes
  double trial_seconds = 60.0;    ///< from the video onset
  double baseline_seconds = 3.0;  ///< before the video onset, kept in DeapBdfTrial::baseline
  double marker_tolerance_seconds = 1.0;  ///< |(end - video) - trial_seconds| allowed (a guess: see docs)
  Index expected_trials = 40;     ///< complete trials the file must hold; 0 = any number >= 1
  std::vector<int> drop_videos;   ///< Experiment_ids left out by load_deap_bdf_subject
};

/// Where one trial's markers are, in samples at the source rate.
struct DeapTrialMarkers {
  Index fixation = 0, video = 0, end = 0;
};

struct DeapBdfTrial {
  Index presentation = 0;   ///< 1-based position in the recording (participant_ratings.csv "Trial")
  long long video = 0;      ///< Experiment_id; 0 until load_deap_bdf_trials assigns it
  DeapTrialMarkers markers;  ///< source-rate samples of the code 3, 4 and 5 onsets
  Matrix<double> baseline;  ///< channels x baseline samples before the video onset (target rate)
  DeapTrial trial;          ///< eeg: channels x trial samples from the onset; ratings 0 until assigned
};

struct DeapBdfRecording {
  std::string path;
  std::vector<std::string> labels;  ///< the rows of every baseline and eeg matrix
  double sample_rate = 0;           ///< the target rate
  std::vector<DeapBdfTrial> trials;  ///< presentation order
  std::vector<StatusEvent> events;   ///< every Status edge, source-rate samples
  std::vector<std::string> warnings;  ///< the EDF reader's and ignored stray markers
};

namespace detail {

inline void require_deap_bdf_options(const DeapBdfOptions& o) {
  const char* where = "read_deap_bdf";
  for (const double rate : {o.source_rate, o.target_rate})
    if (!(rate > 0) || std::floor(rate) != rate || rate > 1e7)
      throw value_error(canon::detail::message(where, ": source_rate and target_rate must be whole numbers of Hz in (0, 1e7], got ",
                                               o.source_rate, " and ", o.target_rate));
  if (o.filter_order < 0 || o.filter_order > 20)
    throw value_error(canon::detail::message(where, ": filter_order must be 0 (no filter) to 20, got ", o.filter_order));
  if (o.filter_order > 0 && !(o.low_hz > 0 && o.low_hz < o.high_hz && o.high_hz < o.target_rate / 2))
    throw value_error(canon::detail::message(where, ": the band must satisfy 0 < low_hz < high_hz < target_rate / 2 = ",
                                             o.target_rate / 2, " Hz, got ", o.low_hz, " to ", o.high_hz, " Hz"));
  for (const auto& [name, seconds] : {std::pair<const char*, double>{"trial_seconds", o.trial_seconds},
                                      std::pair<const char*, double>{"baseline_seconds", o.baseline_seconds}}) {
    const double samples = seconds * o.target_rate;
    if (!(seconds >= 0) || seconds > 1e6 || std::abs(samples - std::round(samples)) > 1e-6)
      throw value_error(canon::detail::message(where, ": ", name, " must be >= 0 and a whole number of samples at ",
                                               o.target_rate, " Hz, got ", seconds, " s (", samples, " samples)"));
  }
  if (!(o.trial_seconds > 0))
    throw value_error(canon::detail::message(where, ": trial_seconds must be positive, got ", o.trial_seconds));
  if (!(o.marker_tolerance_seconds >= 0) || o.marker_tolerance_seconds > 1e6)
    throw value_error(canon::detail::message(where, ": marker_tolerance_seconds must be >= 0, got ",
                                             o.marker_tolerance_seconds));
  if (o.expected_trials < 0)
    throw value_error(canon::detail::message(where, ": expected_trials must be >= 0 (0 = any), got ", o.expected_trials));
  if (o.eeg_labels.empty() && !o.geneva_order && o.eeg_channels <= 0)
    throw value_error(canon::detail::message(where, ": eeg_channels must be positive, got ", o.eeg_channels));
  const std::set<int> codes{o.fixation_code, o.video_code, o.end_code};
  if (codes.size() != 3 || *codes.begin() <= 0 || *codes.rbegin() > 0xFFFF)
    throw value_error(canon::detail::message(where, ": fixation_code, video_code and end_code must be distinct codes in [1, 65535], got ",
                                             o.fixation_code, ", ", o.video_code, ", ", o.end_code));
}

inline std::string at_time(Index sample, double rate) {
  return canon::detail::message("sample ", sample, " (", static_cast<double>(sample) / rate, " s)");
}

}  // namespace detail

/// The trials in a sequence of Status edges (see the header comment for the rules).
/// `samples` is the recording's length at `rate`; `where` names the file in messages;
/// ignored stray markers are described in `warnings`.
inline std::vector<DeapTrialMarkers> find_deap_trials(const std::vector<StatusEvent>& events, Index samples,
                                                      double rate, const DeapBdfOptions& o, const std::string& where,
                                                      std::vector<std::string>* warnings = nullptr) {
  detail::require_deap_bdf_options(o);
  std::vector<DeapTrialMarkers> out;
  Index fixation = -1, video = -1, stray_fixations = 0, stray_ends = 0, first_stray_fixation = -1, first_stray_end = -1;
  const Index baseline = static_cast<Index>(std::llround(o.baseline_seconds * rate));
  for (const StatusEvent& e : events) {
    if (e.code == o.fixation_code) {
      if (video >= 0)
        throw io_error(canon::detail::message(where, ": the video marker (code ", o.video_code, ") at ",
                                              detail::at_time(video, rate), " has no end marker (code ", o.end_code,
                                              ") before the fixation marker at ", detail::at_time(e.sample, rate),
                                              " (expected 3, 4, 5 per trial)"));
      if (fixation >= 0 && stray_fixations++ == 0) first_stray_fixation = fixation;
      fixation = e.sample;
    } else if (e.code == o.video_code) {
      if (video >= 0)
        throw io_error(canon::detail::message(where, ": the video marker (code ", o.video_code, ") at ",
                                              detail::at_time(video, rate), " has no end marker (code ", o.end_code,
                                              ") before the next video marker at ", detail::at_time(e.sample, rate),
                                              " (expected 3, 4, 5 per trial)"));
      if (fixation < 0 || e.sample - fixation < baseline)
        throw io_error(canon::detail::message(
            where, ": the video marker (code ", o.video_code, ") at ", detail::at_time(e.sample, rate),
            fixation < 0 ? canon::detail::message(" has no fixation marker (code ", o.fixation_code, ") before it")
                         : canon::detail::message(" follows its fixation marker (code ", o.fixation_code, ") at ",
                                                  detail::at_time(fixation, rate), " by less than the ",
                                                  o.baseline_seconds, " s baseline"),
            " (expected a fixation screen covering the baseline)"));
      video = e.sample;
    } else if (e.code == o.end_code) {
      if (video < 0) {
        if (stray_ends++ == 0) first_stray_end = e.sample;
        continue;
      }
      const double seconds = static_cast<double>(e.sample - video) / rate;
      if (std::abs(seconds - o.trial_seconds) > o.marker_tolerance_seconds)
        throw io_error(canon::detail::message(
            where, ": the video from ", detail::at_time(video, rate), " to its end marker at ",
            detail::at_time(e.sample, rate), " lasts ", seconds, " s (expected ", o.trial_seconds, " s +- ",
            o.marker_tolerance_seconds, " s: marker_tolerance_seconds)"));
      out.push_back({fixation, video, e.sample});
      fixation = video = -1;
    }
  }
  if (fixation >= 0 && stray_fixations++ == 0) first_stray_fixation = fixation;
  if (video >= 0)
    throw io_error(canon::detail::message(where, ": the video marker (code ", o.video_code, ") at ",
                                          detail::at_time(video, rate), " has no end marker (code ", o.end_code,
                                          ") before the recording ends at ", detail::at_time(samples, rate),
                                          " (an incomplete last trial: truncated recording?)"));
  if (warnings && stray_fixations > 0)
    warnings->push_back(canon::detail::message(where, ": ignored ", stray_fixations, " fixation marker(s) (code ",
                                               o.fixation_code, ") not followed by a video marker, first at ",
                                               detail::at_time(first_stray_fixation, rate)));
  if (warnings && stray_ends > 0)
    warnings->push_back(canon::detail::message(where, ": ignored ", stray_ends, " end marker(s) (code ", o.end_code,
                                               ") with no video marker before them, first at ",
                                               detail::at_time(first_stray_end, rate)));
  const bool count_ok = o.expected_trials > 0 ? static_cast<Index>(out.size()) == o.expected_trials : !out.empty();
  if (!count_ok)
    throw io_error(canon::detail::message(
        where, ": found ", out.size(), " complete trials (fixation ", o.fixation_code, ", video ", o.video_code,
        ", end ", o.end_code, " in the Status channel) but expected ",
        o.expected_trials > 0 ? canon::detail::message(o.expected_trials) : std::string("at least 1"),
        " (DeapBdfOptions::expected_trials; DEAP: 40)"));
  return out;
}

/// One participant's raw recording as trials in presentation order (ratings unset).
inline DeapBdfRecording read_deap_bdf(const std::string& path, const DeapBdfOptions& o = {}) {
  detail::require_deap_bdf_options(o);
  detail::EdfFile file(path);
  const EdfHeader header = file.header();
  DeapBdfRecording out;
  out.path = path;
  out.sample_rate = o.target_rate;
  out.warnings = header.warnings;

  // Channels: by label (Geneva order or the caller's list) or the first N by position.
  std::vector<Index> picks;
  const std::vector<std::string>& labels = !o.eeg_labels.empty() ? o.eeg_labels : deap_geneva_channels();
  if (!o.eeg_labels.empty() || o.geneva_order) {
    for (const std::string& l : labels) picks.push_back(header.channel(l));  // throws listing the labels
  } else {
    if (o.eeg_channels > static_cast<Index>(header.channels.size()))
      throw io_error(canon::detail::message(path, ": eeg_channels = ", o.eeg_channels, " but the file has only ",
                                            header.channels.size(), " channels"));
    for (Index i = 0; i < o.eeg_channels; ++i) picks.push_back(i);
  }
  Index status = o.status_index;
  if (status >= static_cast<Index>(header.channels.size()))
    throw value_error(canon::detail::message(path, ": status_index ", status, " is outside the file's ",
                                             header.channels.size(), " channels"));
  if (status < 0) {
    try {
      status = header.channel(o.status_label);
    } catch (const io_error& e) {
      throw io_error(canon::detail::message(e.what(), "; expected BioSemi's trigger channel '", o.status_label,
                                            "' (DEAP's Geneva files s24-s32 leave it unlabelled: pass "
                                            "DeapBdfOptions::status_index, the last channel)"));
    }
  }
  if (std::find(picks.begin(), picks.end(), status) != picks.end())
    throw value_error(canon::detail::message(path, ": the status channel ", status, " is among the EEG channels"));
  for (Index p : picks) out.labels.push_back(header.channels[static_cast<std::size_t>(p)].label);
  std::vector<Index> all = picks;
  all.push_back(status);
  for (Index p : all) {
    const EdfChannel& c = header.channels[static_cast<std::size_t>(p)];
    if (c.sample_rate != o.source_rate)
      throw value_error(canon::detail::message(path, ": channel '", c.label, "' is sampled at ", c.sample_rate,
                                               " Hz but expected ", o.source_rate,
                                               " Hz (DeapBdfOptions::source_rate; DEAP's raw BDF files are 512 Hz)"));
  }

  // The Status channel first: it decides whether the file is worth resampling.
  EegRecording status_rec = detail::read_edf_picks(file, header, {status});
  out.warnings.insert(out.warnings.end(), status_rec.warnings.begin() + static_cast<std::ptrdiff_t>(header.warnings.size()),
                      status_rec.warnings.end());
  const BiosemiStatus decoded = detail::decode_status(header, status, status_rec.data);
  status_rec.data.resize(0, 0);
  out.events = decoded.events;
  const Index n_source = static_cast<Index>(decoded.codes.size());
  const std::vector<DeapTrialMarkers> markers =
      find_deap_trials(decoded.events, n_source, o.source_rate, o, path, &out.warnings);

  // Resample eight channels at a time (a DEAP file is 40 min at 512 Hz: all 32 channels
  // at once would hold ~300 MB of doubles twice over).
  const auto source = static_cast<long long>(o.source_rate), target = static_cast<long long>(o.target_rate);
  const long long g = std::gcd(source, target);
  const Index up = static_cast<Index>(target / g), down = static_cast<Index>(source / g);
  const Index n_target = (n_source * up + down - 1) / down;  // ceil(n up / down), resample_poly's length
  Matrix<double> eeg(static_cast<Index>(picks.size()), n_target);
  for (std::size_t first = 0; first < picks.size(); first += 8) {
    const std::vector<Index> chunk(picks.begin() + static_cast<std::ptrdiff_t>(first),
                                   picks.begin() + static_cast<std::ptrdiff_t>(std::min(first + 8, picks.size())));
    EegRecording rec = detail::read_edf_picks(file, header, chunk);
    out.warnings.insert(out.warnings.end(), rec.warnings.begin() + static_cast<std::ptrdiff_t>(header.warnings.size()),
                        rec.warnings.end());
    if (rec.data.cols() != n_source)
      throw io_error(canon::detail::message(path, ": EEG channel '", rec.labels.front(), "' has ", rec.data.cols(),
                                            " samples but the status channel ", n_source));
    eeg.middleRows(static_cast<Index>(first), static_cast<Index>(chunk.size())) =
        signal::resample_poly(rec.data, up, down);
  }
  if (o.filter_order > 0)
    signal::sosfiltfilt(signal::butter(o.filter_order, {o.low_hz, o.high_hz}, signal::BandType::bandpass, o.target_rate),
                        eeg, eeg);
  if (o.common_average) eeg.rowwise() -= eeg.colwise().mean();

  const Index trial_len = static_cast<Index>(std::llround(o.trial_seconds * o.target_rate));
  const Index base_len = static_cast<Index>(std::llround(o.baseline_seconds * o.target_rate));
  for (std::size_t k = 0; k < markers.size(); ++k) {
    // Nearest target sample to the marker time m / source_rate: round(m up / down).
    const Index onset = (2 * markers[k].video * up + down) / (2 * down);
    if (onset - base_len < 0 || onset + trial_len > n_target)
      throw io_error(canon::detail::message(
          path, ": trial ", k + 1, " needs samples [", onset - base_len, ", ", onset + trial_len, ") at ",
          o.target_rate, " Hz (baseline and trial around the video marker at ",
          detail::at_time(markers[k].video, o.source_rate), ") but the recording has ", n_target,
          " (truncated recording?)"));
    DeapBdfTrial t;
    t.presentation = static_cast<Index>(k) + 1;
    t.markers = markers[k];
    t.baseline = eeg.middleCols(onset - base_len, base_len);
    t.trial.eeg = eeg.middleCols(onset, trial_len);
    out.trials.push_back(std::move(t));
  }
  return out;
}

/// The recording's trials in video (Experiment_id) order with their ratings, from the
/// participant's rows of participant_ratings.csv (read_deap_ratings), without the
/// videos in o.drop_videos. The rows must number the recording's trials 1..N
/// ("Trial", presentation order) and give each a distinct Experiment_id in 1..N.
inline std::vector<DeapBdfTrial> load_deap_bdf_trials(const std::string& bdf_path, const std::vector<DeapRating>& ratings,
                                                      long long participant, const DeapBdfOptions& o = {}) {
  const char* where = "load_deap_bdf_trials";
  std::set<int> drop;
  for (int v : o.drop_videos)
    if (v < 1 || !drop.insert(v).second)
      throw value_error(canon::detail::message(where, ": drop_videos must hold distinct Experiment_ids >= 1, got ", v,
                                               v < 1 ? " (ids are 1-based)" : " twice"));
  std::vector<const DeapRating*> rows;
  for (const DeapRating& r : ratings)
    if (r.participant == participant) rows.push_back(&r);
  if (rows.empty())
    throw io_error(canon::detail::message(where, ": the ratings have no rows for participant ", participant,
                                          " (expected one per trial of ", bdf_path, ")"));
  DeapBdfRecording rec = read_deap_bdf(bdf_path, o);
  const std::size_t n = rec.trials.size();
  if (rows.size() != n)
    throw io_error(canon::detail::message(where, ": participant ", participant, " has ", rows.size(),
                                          " rating rows but ", bdf_path, " holds ", n, " trials"));
  std::vector<const DeapRating*> by_video(n + 1, nullptr);
  std::vector<bool> trial_seen(n + 1, false);
  for (const DeapRating* r : rows) {
    if (r->trial < 1 || r->trial > static_cast<long long>(n) || trial_seen[static_cast<std::size_t>(r->trial)])
      throw io_error(canon::detail::message(where, ": participant ", participant, " trial ", r->trial,
                                            " is outside 1..", n, " or given twice"));
    if (r->experiment < 1 || r->experiment > static_cast<long long>(n) || by_video[static_cast<std::size_t>(r->experiment)])
      throw io_error(canon::detail::message(where, ": participant ", participant, " Experiment_id ", r->experiment,
                                            " is outside 1..", n, " or given twice"));
    trial_seen[static_cast<std::size_t>(r->trial)] = true;
    by_video[static_cast<std::size_t>(r->experiment)] = r;
  }
  for (int v : drop)
    if (v > static_cast<int>(n))
      throw value_error(canon::detail::message(where, ": drop_videos holds ", v, " but the recording has ", n,
                                               " videos (Experiment_id 1..", n, ")"));
  std::vector<DeapBdfTrial> out;
  for (std::size_t v = 1; v <= n; ++v) {
    if (drop.count(static_cast<int>(v))) continue;
    const DeapRating& r = *by_video[v];
    DeapBdfTrial t = std::move(rec.trials[static_cast<std::size_t>(r.trial - 1)]);
    t.video = r.experiment;
    t.trial.valence = r.valence;
    t.trial.arousal = r.arousal;
    t.trial.dominance = r.dominance;
    t.trial.liking = r.liking;
    out.push_back(std::move(t));
  }
  return out;
}

/// load_deap_bdf_trials as DeapTrial (the baseline dropped), interchangeable with
/// load_deap_subject's result: 32 x 7680 per trial with DEAP's defaults.
inline std::vector<DeapTrial> load_deap_bdf_subject(const std::string& bdf_path, const std::vector<DeapRating>& ratings,
                                                    long long participant, const DeapBdfOptions& o = {}) {
  std::vector<DeapTrial> out;
  for (DeapBdfTrial& t : load_deap_bdf_trials(bdf_path, ratings, participant, o)) out.push_back(std::move(t.trial));
  return out;
}

}  // namespace canon::io
