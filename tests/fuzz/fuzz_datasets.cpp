// libFuzzer target for the DEAM, PMEmo and DEAP loaders (DEAP's ratings table as its
// third file), options included. Input: one byte choosing the loader, 24 bytes of
// three doubles for its options (any bit pattern: NaN, negative, huge), then its files
// separated by "\n--\n". A loader must return consistent finite data or throw a
// canon::error.
#include <cmath>
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <cstring>
#include <string>

#include "canon/io/datasets/deam.hpp"
#include "canon/io/datasets/deap.hpp"
#include "canon/io/datasets/pmemo.hpp"
#include "fuzz_support.hpp"

namespace {

bool finite(const std::vector<double>& v) {
  for (double x : v)
    if (!std::isfinite(x)) return false;
  return true;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  if (size < 25) return 0;
  double option[3];
  std::memcpy(option, data + 1, sizeof option);
  const auto files = canon_fuzz::split(std::string(reinterpret_cast<const char*>(data) + 25, size - 25));
  auto file = [&](std::size_t i, const char* name) {
    return canon_fuzz::write_file(name, i < files.size() ? files[i] : std::string());
  };
  try {
    switch (data[0] % 3) {
      case 0: {
        canon::io::DeamPaths p;
        p.arousal = file(0, "arousal.csv");
        p.valence = file(1, "valence.csv");
        if (files.size() > 2) p.statics = file(2, "static.csv");
        if (files.size() > 3) p.songs_info = file(3, "songs_info.csv");
        p.window_begin = option[0];
        p.window_end = option[1];
        for (const auto& s : canon::io::load_deam(p)) {
          if (s.arousal.empty() || s.arousal.size() != s.valence.size()) std::abort();
          if (!finite(s.arousal) || !finite(s.valence)) std::abort();
        }
        break;
      }
      case 1: {
        canon::io::PmemoPaths p;
        p.dynamic = file(0, "dynamic.csv");
        if (files.size() > 1) p.statics = file(1, "static.csv");
        p.step = option[0];
        p.min_seconds = option[1];
        const auto d = canon::io::load_pmemo(p);
        for (const auto& s : d.songs) {
          if (s.arousal.size() != s.valence.size() || !finite(s.arousal) || !finite(s.valence)) std::abort();
          if (static_cast<double>(s.arousal.size()) * p.step < p.min_seconds) std::abort();
        }
        break;
      }
      default: {
        if (files.size() > 2) {  // participant_ratings.csv
          try {
            for (const auto& r : canon::io::read_deap_ratings(file(2, "ratings.csv")))
              for (double x : {r.valence, r.arousal, r.dominance, r.liking})
                if (!(x >= 1 && x <= 9)) std::abort();
          } catch (const canon::error&) {
          }
        }
        canon::io::DeapOptions o;
        o.sample_rate = option[0];
        o.baseline_seconds = option[1];
        o.eeg_channels = static_cast<canon::Index>(static_cast<std::int8_t>(data[0] >> 2) % 40);
        const auto trials = canon::io::load_deap_subject(file(0, "data.npy"), file(1, "labels.npy"), o);
        for (const auto& t : trials) {
          if (t.eeg.rows() != o.eeg_channels || t.eeg.cols() <= 0 || !t.eeg.allFinite()) std::abort();
          for (double r : {t.valence, t.arousal, t.dominance, t.liking})
            if (!(r >= 1 && r <= 9)) std::abort();
        }
        break;
      }
    }
  } catch (const canon::error&) {
  }
  return 0;
}
