//===- LowRank.cpp - SVD and rank choice for low-rank factoring -----------===//
//
// Part of the mc project: an MLIR compiler for compressed neural networks.
//
//===----------------------------------------------------------------------===//

#include "mc/Dialect/MC/Utils/LowRank.h"

// GCC reports a false "may be used uninitialized" inside Eigen's triangular
// matrix-vector product; the warning is Eigen's, not ours.
#if defined(__GNUC__) && !defined(__clang__)
#pragma GCC diagnostic push
#pragma GCC diagnostic ignored "-Wmaybe-uninitialized"
#endif
#include <Eigen/SVD>
#if defined(__GNUC__) && !defined(__clang__)
#pragma GCC diagnostic pop
#endif

#include <algorithm>
#include <cmath>

using namespace mlir;
using namespace mlir::mc;

std::optional<LowRankSVD> LowRankSVD::compute(llvm::ArrayRef<float> matrix,
                                              int64_t rows, int64_t cols) {
  if (rows <= 0 || cols <= 0 || (int64_t)matrix.size() != rows * cols)
    return std::nullopt;
  Eigen::MatrixXd m(rows, cols);
  for (int64_t i = 0; i < rows; ++i)
    for (int64_t j = 0; j < cols; ++j) {
      float x = matrix[i * cols + j];
      if (!std::isfinite(x))
        return std::nullopt;
      m(i, j) = x;
    }

  // Divide and conquer (it hands blocks under 16 columns to one-sided
  // Jacobi), thin U and V: k = min(rows, cols) columns each.
  Eigen::BDCSVD<Eigen::MatrixXd> svd(m,
                                     Eigen::ComputeThinU | Eigen::ComputeThinV);
  if (svd.info() != Eigen::Success)
    return std::nullopt;

  LowRankSVD result(rows, cols);
  const Eigen::VectorXd &s = svd.singularValues();
  const Eigen::MatrixXd &uMat = svd.matrixU();
  const Eigen::MatrixXd &vMat = svd.matrixV();
  int64_t k = s.size();
  result.sigma.assign(s.data(), s.data() + k);
  result.u.resize(k * rows);
  result.v.resize(k * cols);
  for (int64_t i = 0; i < k; ++i) {
    // Sign rule: the largest-magnitude entry of u_i is positive.
    int64_t big = 0;
    for (int64_t j = 1; j < rows; ++j)
      if (std::abs(uMat(j, i)) > std::abs(uMat(big, i)))
        big = j;
    double sign = uMat(big, i) < 0 ? -1.0 : 1.0;
    for (int64_t j = 0; j < rows; ++j)
      result.u[i * rows + j] = sign * uMat(j, i);
    for (int64_t j = 0; j < cols; ++j)
      result.v[i * cols + j] = sign * vMat(j, i);
  }
  return result;
}

double LowRankSVD::energyKept(int64_t rank) const {
  double kept = 0, total = 0;
  for (int64_t i = 0, e = maxRank(); i < e; ++i) {
    double sq = sigma[i] * sigma[i];
    total += sq;
    if (i < rank)
      kept += sq;
  }
  return total > 0 ? kept / total : 1.0;
}

int64_t LowRankSVD::rankForEnergy(double energy) const {
  double total = 0;
  for (double s : sigma)
    total += s * s;
  double goal = (energy - 1e-12) * total;
  double kept = 0;
  for (int64_t r = 1, e = maxRank(); r <= e; ++r) {
    kept += sigma[r - 1] * sigma[r - 1];
    if (kept >= goal)
      return r;
  }
  return maxRank();
}

void LowRankSVD::factors(int64_t rank, llvm::SmallVectorImpl<float> &left,
                         llvm::SmallVectorImpl<float> &right) const {
  rank = std::clamp<int64_t>(rank, 1, maxRank());
  left.assign(numRows * rank, 0.0f);
  right.assign(rank * numCols, 0.0f);
  for (int64_t i = 0; i < rank; ++i) {
    double root = std::sqrt(sigma[i]);
    for (int64_t j = 0; j < numRows; ++j)
      left[j * rank + i] = (float)(u[i * numRows + j] * root);
    for (int64_t j = 0; j < numCols; ++j)
      right[i * numCols + j] = (float)(root * v[i * numCols + j]);
  }
}

int64_t mlir::mc::rankForRatio(double ratio, int64_t rows, int64_t cols) {
  int64_t k = std::min(rows, cols);
  double r = std::ceil(ratio * (double)k - 1e-9);
  return std::clamp<int64_t>((int64_t)r, 1, k);
}

bool mlir::mc::lowRankReducesCost(int64_t rows, int64_t cols, int64_t rank) {
  return rank * (rows + cols) < rows * cols;
}
