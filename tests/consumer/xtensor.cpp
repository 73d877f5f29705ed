// A signal batch seen through canon::xtensor from outside canon's build: the zero-copy
// (N, C, T) view, a reduction by xtensor on canon's memory, a .npy written and read back.
#include <canon/xtensor.hpp>
#include <iostream>
#include <xtensor/xmath.hpp>

int main(int argc, char** argv) {
  if (argc != 2) return 2;
  const canon::Index channels = 2, time = 3, batch = 4;
  canon::Matrix<float> x(channels * time, batch);
  for (canon::Index k = 0; k < x.size(); ++k) x.data()[k] = float(k);
  const auto view = canon::xtensor::signal_view(x, channels);  // (N, C, T), no copy
  const xt::xtensor<float, 2> energy = xt::sum(view * view, {2});
  canon::xtensor::write_npy(argv[1], view);
  const auto back = canon::xtensor::to_signal_batch(canon::xtensor::read_npy<float>(argv[1]));
  const bool same = view.data() == x.data() && back == x && energy(1, 0) == float(6 * 6 + 8 * 8 + 10 * 10);
  std::cout << "canon " << canon::version << " with xtensor: " << (same ? "views and .npy agree" : "MISMATCH") << "\n";
  return same ? 0 : 1;
}
