// canon/eval/summary.hpp — the mean and spread of one score over folds, runs or seeds.
#pragma once

#include <cmath>
#include <vector>

namespace canon::eval {

/// The mean and the sample standard deviation (divisor n - 1) of some numbers.
struct Summary {
  double mean = 0.0, sd = 0.0;
};

/// Mean and sample standard deviation of `values`. No values give {0, 0}; one value
/// gives {value, 0} (a single number has no spread to estimate).
inline Summary summarise(const std::vector<double>& values) {
  Summary s;
  if (values.empty()) return s;
  for (double v : values) s.mean += v;
  s.mean /= double(values.size());
  if (values.size() > 1) {
    for (double v : values) s.sd += (v - s.mean) * (v - s.mean);
    s.sd = std::sqrt(s.sd / double(values.size() - 1));
  }
  return s;
}

}  // namespace canon::eval
