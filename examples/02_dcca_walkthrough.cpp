// 02 — Deep CCA, one tiny batch, every intermediate printed.
//
// Two views of m = 8 samples (3 and 2 dimensions) share one latent signal. The program
// prints the covariances S11, S22, S12, the whitened cross-covariance T, its singular
// values (the canonical correlations), the canonical weights and variates, the
// gradient dL/dH1 = -W1 diag(g') (Phi2 - diag(sigma) Phi1) / (m-1), and checks the
// gradient against central finite differences. docs/math/dcca-gradient.md derives it.
#include <canon/canon.hpp>
#include <canon/testing/gradient_check.hpp>
#include <Eigen/Eigenvalues>
#include <cstdio>
#include <iostream>

using canon::Matrix;

int main() {
  canon::Rng rng(3);
  const canon::Index m = 8;
  Matrix<double> z(1, m), h1(3, m), h2(2, m), noise1(3, m), noise2(2, m);
  canon::fill_normal(z, rng);
  canon::fill_normal(noise1, rng);
  canon::fill_normal(noise2, rng);
  h1 = Eigen::Vector3d(1.0, -0.5, 0.3) * z + 0.5 * noise1;
  h2 = Eigen::Vector2d(0.8, 0.4) * z + 0.5 * noise2;
  const double r = 1e-3;
  Eigen::IOFormat fmt(4, 0, "  ", "\n", "    ", "");

  // 1. centre and form the regularised covariances
  Matrix<double> c1 = h1.colwise() - h1.rowwise().mean(), c2 = h2.colwise() - h2.rowwise().mean();
  Matrix<double> s11 = c1 * c1.transpose() / (m - 1) + r * Matrix<double>::Identity(3, 3);
  Matrix<double> s22 = c2 * c2.transpose() / (m - 1) + r * Matrix<double>::Identity(2, 2);
  Matrix<double> s12 = c1 * c2.transpose() / (m - 1);
  std::cout << "S11 =\n" << s11.format(fmt) << "\nS22 =\n" << s22.format(fmt) << "\nS12 =\n" << s12.format(fmt) << "\n";

  // 2. T = S11^{-1/2} S12 S22^{-1/2} and its SVD
  auto inv_sqrt = [](const Matrix<double>& s) {
    Eigen::SelfAdjointEigenSolver<Matrix<double>> e(s);
    return Matrix<double>(e.eigenvectors() * e.eigenvalues().cwiseSqrt().cwiseInverse().asDiagonal() *
                          e.eigenvectors().transpose());
  };
  const Matrix<double> a1 = inv_sqrt(s11), a2 = inv_sqrt(s22), t = a1 * s12 * a2;
  Eigen::JacobiSVD<Matrix<double>> svd(t, Eigen::ComputeThinU | Eigen::ComputeThinV);
  std::cout << "T =\n" << t.format(fmt) << "\ncanonical correlations sigma = "
            << svd.singularValues().transpose().format(fmt) << "\n";

  // 3. canonical weights and variates
  const Matrix<double> w1 = a1 * svd.matrixU(), w2 = a2 * svd.matrixV();
  const Matrix<double> phi1 = w1.transpose() * c1, phi2 = w2.transpose() * c2;
  std::cout << "W1 =\n" << w1.format(fmt) << "\nPhi1 (variates of view 1) =\n" << phi1.format(fmt)
            << "\nPhi2 =\n" << phi2.format(fmt) << "\n";

  // 4. the trace-norm gradient by the closed form, and canon's loss
  const Matrix<double> by_hand =
      -w1 * (phi2 - svd.singularValues().asDiagonal() * phi1) / double(m - 1);
  canon::loss::DccaOptions options;
  options.ridge1 = options.ridge2 = r;
  canon::loss::DeepCCA<double> dcca(options);
  const double loss = dcca.forward(h1, h2);
  const Matrix<double> grad = dcca.backward().first;
  std::printf("loss = -sum(sigma) = %.10f (by hand %.10f)\n", loss, -svd.singularValues().sum());
  std::cout << "dL/dH1 (canon) =\n" << grad.format(fmt) << "\n";
  const double agreement = (grad - by_hand).norm() / by_hand.norm();
  std::printf("closed form by hand vs canon: relative difference %.2e\n", agreement);

  // 5. finite differences
  auto value = [&] { return double(dcca.forward(h1, h2)); };
  const Matrix<double> numeric = canon::testing::numerical_gradient(value, h1);
  const double fd_error = (grad - numeric).norm() / numeric.norm();
  std::printf("finite differences vs analytic: relative error %.2e (canon requires < 1e-6)\n", fd_error);
  return agreement < 1e-10 && fd_error < 1e-6 ? 0 : 1;
}
