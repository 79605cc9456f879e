//===- LowRankTest.cpp - SVD, rank rules and factors of mc-lowrank --------===//
//
// Part of the mc project: an MLIR compiler for compressed neural networks.
//
//===----------------------------------------------------------------------===//

#include "mc/Dialect/MC/Utils/LowRank.h"

#include "gtest/gtest.h"

#include <cmath>
#include <limits>
#include <random>

using namespace mlir::mc;

namespace {

/// Row-major product of the two factors.
std::vector<double> product(llvm::ArrayRef<float> left,
                            llvm::ArrayRef<float> right, int64_t rows,
                            int64_t rank, int64_t cols) {
  std::vector<double> out(rows * cols, 0.0);
  for (int64_t i = 0; i < rows; ++i)
    for (int64_t k = 0; k < rank; ++k)
      for (int64_t j = 0; j < cols; ++j)
        out[i * cols + j] += (double)left[i * rank + k] * right[k * cols + j];
  return out;
}

TEST(LowRank, RankOneOuterProductHasExactFactors) {
  // W = a bᵀ with a = [1, 2, 2], b = [2, 1, 2]: σ = 9, u = a / 3, v = b / 3,
  // so the balanced factors are a and b themselves.
  std::vector<float> w = {2, 1, 2, 4, 2, 4, 4, 2, 4};
  auto svd = LowRankSVD::compute(w, 3, 3);
  ASSERT_TRUE(svd.has_value());
  EXPECT_NEAR(svd->singularValues()[0], 9.0, 1e-12);
  EXPECT_NEAR(svd->singularValues()[1], 0.0, 1e-12);
  EXPECT_EQ(svd->rankForEnergy(1.0), 1);
  llvm::SmallVector<float> left, right;
  svd->factors(1, left, right);
  ASSERT_EQ(left.size(), 3u);
  ASSERT_EQ(right.size(), 3u);
  float a[] = {1, 2, 2}, b[] = {2, 1, 2};
  for (int i = 0; i < 3; ++i) {
    EXPECT_FLOAT_EQ(left[i], a[i]);
    EXPECT_FLOAT_EQ(right[i], b[i]);
  }
}

TEST(LowRank, SignRuleMakesLargestLeftEntryPositive) {
  // -W has the same singular values; the factors of -W are those of W with
  // the sign moved to the right factor, never to the left one.
  std::vector<float> w = {-2, -1, -2, -4, -2, -4, -4, -2, -4};
  auto svd = LowRankSVD::compute(w, 3, 3);
  ASSERT_TRUE(svd.has_value());
  llvm::SmallVector<float> left, right;
  svd->factors(1, left, right);
  EXPECT_FLOAT_EQ(left[1], 2.0f);
  EXPECT_FLOAT_EQ(right[0], -2.0f);
}

TEST(LowRank, EnergyRule) {
  // Diagonal 4 × 4 with σ = 4, 2, 1, 1: σ² = 16, 4, 1, 1 (total 22).
  std::vector<float> w(16, 0.0f);
  w[0] = 4;
  w[5] = -2;
  w[10] = 1;
  w[15] = 1;
  auto svd = LowRankSVD::compute(w, 4, 4);
  ASSERT_TRUE(svd.has_value());
  EXPECT_EQ(svd->rankForEnergy(16.0 / 22.0), 1); // exactly reached
  EXPECT_EQ(svd->rankForEnergy(0.73), 2);
  EXPECT_EQ(svd->rankForEnergy(20.0 / 22.0), 2);
  EXPECT_EQ(svd->rankForEnergy(0.91), 3);
  EXPECT_EQ(svd->rankForEnergy(1.0), 4);
  EXPECT_EQ(svd->rankForEnergy(1e-9), 1);
  EXPECT_DOUBLE_EQ(svd->energyKept(2), 20.0 / 22.0);
  EXPECT_DOUBLE_EQ(svd->energyKept(4), 1.0);
}

TEST(LowRank, ZeroMatrixKeepsRankOneAndFullEnergy) {
  std::vector<float> w(12, 0.0f);
  auto svd = LowRankSVD::compute(w, 3, 4);
  ASSERT_TRUE(svd.has_value());
  EXPECT_EQ(svd->maxRank(), 3);
  EXPECT_EQ(svd->rankForEnergy(1.0), 1);
  EXPECT_DOUBLE_EQ(svd->energyKept(1), 1.0);
  llvm::SmallVector<float> left, right;
  svd->factors(1, left, right);
  for (double x : product(left, right, 3, 1, 4))
    EXPECT_EQ(x, 0.0);
}

TEST(LowRank, RatioRule) {
  EXPECT_EQ(rankForRatio(0.25, 8, 16), 2);
  EXPECT_EQ(rankForRatio(0.3, 8, 16), 3); // ceil(2.4)
  // In double, 0.1 · 30 is 3.0000000000000004: still rank 3.
  EXPECT_EQ(rankForRatio(0.1, 30, 40), 3);
  EXPECT_EQ(rankForRatio(1e-6, 30, 40), 1); // never rank 0
  EXPECT_EQ(rankForRatio(1.0, 30, 40), 30);
}

TEST(LowRank, CostRule) {
  EXPECT_TRUE(lowRankReducesCost(4, 4, 1));    // 8 < 16
  EXPECT_FALSE(lowRankReducesCost(4, 4, 2));   // 16 = 16
  EXPECT_TRUE(lowRankReducesCost(6, 5, 2));    // 22 < 30
  EXPECT_FALSE(lowRankReducesCost(6, 5, 3));   // 33 > 30
  EXPECT_TRUE(lowRankReducesCost(16, 72, 12)); // 1056 < 1152
}

TEST(LowRank, RejectsNonFiniteAndMisshapedInput) {
  std::vector<float> w = {1, 2, 3, std::numeric_limits<float>::quiet_NaN()};
  EXPECT_FALSE(LowRankSVD::compute(w, 2, 2).has_value());
  w[3] = std::numeric_limits<float>::infinity();
  EXPECT_FALSE(LowRankSVD::compute(w, 2, 2).has_value());
  EXPECT_FALSE(LowRankSVD::compute(w, 3, 2).has_value());
  EXPECT_FALSE(LowRankSVD::compute({}, 0, 0).has_value());
}

TEST(LowRank, TruncationErrorIsTheDroppedEnergy) {
  // Eckart–Young on random matrices, wide and tall: ‖W − A·B‖_F² equals the
  // sum of the dropped σ², and at full rank A·B is W up to f32 rounding.
  std::mt19937 gen(7);
  std::normal_distribution<float> dist;
  for (auto [rows, cols] : {std::pair<int64_t, int64_t>{20, 33}, {41, 17}}) {
    std::vector<float> w(rows * cols);
    for (float &x : w)
      x = dist(gen);
    auto svd = LowRankSVD::compute(w, rows, cols);
    ASSERT_TRUE(svd.has_value());
    llvm::ArrayRef<double> s = svd->singularValues();
    for (size_t i = 1; i < s.size(); ++i)
      EXPECT_GE(s[i - 1], s[i]);
    double total = 0;
    for (float x : w)
      total += (double)x * x;
    for (int64_t rank : {int64_t(1), int64_t(5), svd->maxRank()}) {
      llvm::SmallVector<float> left, right;
      svd->factors(rank, left, right);
      std::vector<double> approx = product(left, right, rows, rank, cols);
      double err = 0, dropped = 0;
      for (int64_t i = 0; i < rows * cols; ++i)
        err += (approx[i] - w[i]) * (approx[i] - w[i]);
      for (int64_t i = rank; i < svd->maxRank(); ++i)
        dropped += s[i] * s[i];
      // Factors are rounded to f32: allow that rounding on top.
      EXPECT_NEAR(err, dropped, 1e-9 * total + 1e-5 * dropped) << rank;
    }
  }
}

} // namespace
