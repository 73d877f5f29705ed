// Example 05: the music branch of Avramidis et al. 2022 on the authors' own released
// MusiCNN embeddings of the 34 DEAP stimuli (../shared/data/deap-stimuli-musicnn/):
// binarised valence and arousal (rating > 5 is positive) of each track from its 58
// per-window embeddings, 5 folds over tracks stratified by label, early stopping on
// training tracks, accuracy per window and per track (majority vote), beside a logistic
// regression on the same embeddings, the majority class, and the paper's numbers.
//
//   build/examples/05_avramidis_music [data-dir] [--seeds N]
#include <canon/io/npy.hpp>
#include <canon/models/avramidis.hpp>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <fstream>
#include <string>
#include <vector>

namespace {

struct Spread {
  double mean = 0, sd = 0;
};

Spread spread(const std::vector<double>& v) {
  Spread s;
  for (double x : v) s.mean += x;
  s.mean /= double(v.size());
  for (double x : v) s.sd += (x - s.mean) * (x - s.mean);
  s.sd = v.size() > 1 ? std::sqrt(s.sd / double(v.size() - 1)) : 0.0;
  return s;
}

}  // namespace

int main(int argc, char** argv) {
  // A 128-128-64-1 network on batches of 32: each product is far too small to share
  // between threads, and spinning threads on a busy machine made this 30x slower.
  Eigen::setNbThreads(1);
  std::string dir = std::string(CANON_SHARED_DATA_DIR) + "/deap-stimuli-musicnn";
  int seeds = 3;
  for (int i = 1; i < argc; ++i) {
    if (std::strcmp(argv[i], "--seeds") == 0 && i + 1 < argc) seeds = std::atoi(argv[++i]);
    else dir = argv[i];
  }
  const std::string embeds_path = dir + "/tracks_embeds.npy", labels_path = dir + "/tracks_labels.npy";
  if (!std::ifstream(embeds_path) || !std::ifstream(labels_path)) {
    std::printf("skipping: %s or %s is absent (see ../shared/data/README.md)\n", embeds_path.c_str(),
                labels_path.c_str());
    return 0;
  }
  // 1972 windows x 128 (row-major in the file) -> 128 x 1972, one column per window.
  const canon::Matrix<double> embeds = canon::io::read_npy(embeds_path).matrix<double>().transpose();
  const canon::Matrix<double> labels = canon::io::read_npy(labels_path).matrix<double>();
  std::vector<int> track(std::size_t(labels.rows()));
  for (canon::Index j = 0; j < labels.rows(); ++j) track[std::size_t(j)] = int(labels(j, 2));
  std::printf("%ld windows of %ld-d MusiCNN embeddings, 34 tracks; %d seeds x 5 folds\n\n",
              long(embeds.cols()), long(embeds.rows()), seeds);

  const char* dims[] = {"valence", "arousal"};
  const double paper_track[] = {78.7, 91.9};
  std::printf("%-8s | %-22s | %-22s | %-22s | paper (per track)\n", "", "music branch (window / track)",
              "logistic (window / track)", "majority (window / track)");
  for (int d = 0; d < 2; ++d) {
    std::vector<canon::Index> label(std::size_t(labels.rows()));
    for (canon::Index j = 0; j < labels.rows(); ++j) label[std::size_t(j)] = labels(j, d) > 5.0 ? 1 : 0;
    std::vector<double> nw, nt, lw, lt, mw, mt;
    for (int s = 0; s < seeds; ++s) {
      canon::avramidis::MusicExperimentOptions options;
      options.seed = 1 + std::uint64_t(s);
      for (const auto& r : canon::avramidis::music_only_cv(embeds, track, label, options)) {
        nw.push_back(100 * r.network.window), nt.push_back(100 * r.network.track);
        lw.push_back(100 * r.logistic.window), lt.push_back(100 * r.logistic.track);
        mw.push_back(100 * r.majority.window), mt.push_back(100 * r.majority.track);
      }
    }
    auto cell = [](const std::vector<double>& w, const std::vector<double>& t) {
      const Spread a = spread(w), b = spread(t);
      char text[64];
      std::snprintf(text, sizeof text, "%4.1f (%4.1f) / %4.1f (%4.1f)", a.mean, a.sd, b.mean, b.sd);
      return std::string(text);
    };
    std::printf("%-8s | %-29s | %-25s | %-25s | %.1f\n", dims[d], cell(nw, nt).c_str(), cell(lw, lt).c_str(),
                cell(mw, mt).c_str(), paper_track[d]);
  }
  std::printf("\nmean (sd) over %d folds x seeds, in %%; chance is the majority class of the training windows\n",
              5 * seeds);
  return 0;
}
