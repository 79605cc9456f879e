//===- SparsityTest.cpp - mc-prune's scoring and selection helpers --------===//
//
// Part of the mc project: an MLIR compiler for compressed neural networks.
//
//===----------------------------------------------------------------------===//
//
// Edge cases of Utils/Sparsity.h, and random checks of the selection
// against a brute-force sort.
//
//===----------------------------------------------------------------------===//

#include "mc/Dialect/MC/Utils/Sparsity.h"

#include "gtest/gtest.h"

#include <algorithm>
#include <cmath>
#include <random>

using namespace mlir::mc;
using llvm::SmallVector;

TEST(Sparsity, ParsesNMPatterns) {
  for (auto [text, n, m] : {std::tuple{"2:4", 2, 4}, std::tuple{"4:8", 4, 8},
                            std::tuple{"1:16", 1, 16}}) {
    llvm::Expected<NMPattern> p = parseNMPattern(text);
    ASSERT_TRUE(bool(p)) << text;
    EXPECT_EQ(p->n, n);
    EXPECT_EQ(p->m, m);
  }
  EXPECT_DOUBLE_EQ((NMPattern{2, 4}.sparsity()), 0.5);
  EXPECT_DOUBLE_EQ((NMPattern{1, 4}.sparsity()), 0.75);
}

TEST(Sparsity, RejectsBadNMPatterns) {
  for (const char *text : {"3:2", "4:4", "0:4", "-1:4", "2:", ":4", "2:4:8",
                           "a:b", "2-4", " 2:4", "", "unstructured"}) {
    llvm::Expected<NMPattern> p = parseNMPattern(text);
    EXPECT_FALSE(bool(p)) << text;
    if (!p)
      llvm::consumeError(p.takeError());
  }
}

TEST(Sparsity, CountsRoundHalfUp) {
  EXPECT_EQ(numToPrune(10, 0.3), 3); // 0.3 * 10 = 3.0000000000000004
  EXPECT_EQ(numToPrune(10, 0.7), 7); // 0.7 * 10 = 7.000000000000001
  EXPECT_EQ(numToPrune(4, 0.5), 2);
  EXPECT_EQ(numToPrune(3, 0.5), 2); // 1.5 rounds up
  EXPECT_EQ(numToPrune(5, 0.0), 0);
  EXPECT_EQ(numToPrune(5, 1.0), 5);
  EXPECT_EQ(numToPrune(0, 0.5), 0);
}

TEST(Sparsity, TiesGoToTheLowerIndex) {
  SmallVector<float> scores = {1, 1, 1, 1, 1};
  SmallVector<bool> mask = selectLowest(scores, 2);
  EXPECT_EQ(mask, (SmallVector<bool>{true, true, false, false, false}));
  scores = {2, 1, 2, 1, 2};
  mask = selectLowest(scores, 3);
  EXPECT_EQ(mask, (SmallVector<bool>{true, true, false, true, false}));
  // k is clamped.
  EXPECT_EQ(selectLowest(scores, 9), SmallVector<bool>(5, true));
  EXPECT_EQ(selectLowest(scores, -1), SmallVector<bool>(5, false));
}

TEST(Sparsity, SelectionMatchesASortRandomly) {
  std::mt19937 rng(7);
  std::uniform_int_distribution<int> value(0, 9); // many ties
  for (int trial = 0; trial < 200; ++trial) {
    size_t size = 1 + rng() % 40;
    SmallVector<float> scores(size);
    for (float &s : scores)
      s = value(rng);
    int64_t k = rng() % (size + 1);
    SmallVector<bool> mask = selectLowest(scores, k);
    SmallVector<size_t> order(size);
    for (size_t i = 0; i < size; ++i)
      order[i] = i;
    std::stable_sort(order.begin(), order.end(),
                     [&](size_t a, size_t b) { return scores[a] < scores[b]; });
    SmallVector<bool> expected(size, false);
    for (int64_t i = 0; i < k; ++i)
      expected[order[i]] = true;
    EXPECT_EQ(mask, expected) << "trial " << trial;
  }
}

TEST(Sparsity, PerGroupSelectionMeetsNM) {
  std::mt19937 rng(11);
  std::normal_distribution<float> normal;
  for (NMPattern p : {NMPattern{2, 4}, NMPattern{4, 8}, NMPattern{1, 4}}) {
    int64_t rows = 5, cols = 4 * p.m;
    SmallVector<float> w(rows * cols);
    for (float &x : w)
      x = normal(rng);
    SmallVector<float> original(w);
    SmallVector<bool> mask =
        selectLowestPerGroup(magnitudeScores(w), p.m, p.m - p.n);
    for (size_t i = 0; i < w.size(); ++i)
      if (mask[i])
        w[i] = 0;
    EXPECT_TRUE(satisfiesNM(w, rows, cols, p));
    EXPECT_EQ(std::count(mask.begin(), mask.end(), true),
              rows * cols / p.m * (p.m - p.n));
    // The kept weight of each group is at least as large as every removed
    // one of the same group.
    for (int64_t g = 0; g < rows * cols; g += p.m) {
      float minKept = INFINITY, maxRemoved = 0;
      for (int64_t i = g; i < g + p.m; ++i) {
        if (mask[i])
          maxRemoved = std::max(maxRemoved, std::fabs(original[i]));
        else
          minKept = std::min(minKept, std::fabs(original[i]));
      }
      EXPECT_LE(maxRemoved, minKept);
    }
  }
}

TEST(Sparsity, NMCheckCountsNonZeros) {
  SmallVector<float> w = {1, 0, 2, 0, 0, 0, 0, 3};
  EXPECT_TRUE(satisfiesNM(w, 1, 8, NMPattern{2, 4}));
  EXPECT_TRUE(satisfiesNM(w, 2, 4, NMPattern{2, 4}));
  w[1] = 5;
  EXPECT_FALSE(satisfiesNM(w, 1, 8, NMPattern{2, 4}));
  EXPECT_TRUE(satisfiesNM(w, 1, 8, NMPattern{4, 8}));
  EXPECT_FALSE(
      satisfiesNM(w, 1, 6, NMPattern{2, 4})); // 6 is not a multiple of 4
}

TEST(Sparsity, WandaScoresUseTheRowsGroup) {
  // 4 rows in 2 groups, 2 columns: rows 0-1 use norms[0:2], rows 2-3
  // norms[2:4].
  SmallVector<float> w = {1, -1, 2, 2, -3, 1, 1, 1};
  SmallVector<float> norms = {1, 10, 100, 1000};
  SmallVector<float> s = wandaScores(w, 4, 2, norms, 2);
  EXPECT_EQ(s, (SmallVector<float>{1, 10, 2, 20, 300, 1000, 100, 1000}));
  s = wandaScores(w, 4, 2, llvm::ArrayRef<float>(norms).take_front(2), 1);
  EXPECT_EQ(s, (SmallVector<float>{1, 10, 2, 20, 3, 10, 1, 10}));
}

TEST(Sparsity, KeepsTheLargestRows) {
  // Rows with norms 5, 1, 5, 0, 1: removing 3 drops row 3, then rows 1 and
  // 4 (equal norms, both go); removing 2 drops rows 3 and 1 (tie: lower
  // index first).
  SmallVector<float> w = {3, 4, 1, 0, 0, 5, 0, 0, 0, -1};
  SmallVector<double> norms = rowL2Norms(w, 5, 2);
  EXPECT_EQ(norms, (SmallVector<double>{5, 1, 5, 0, 1}));
  EXPECT_EQ(keptRows(norms, 3), (SmallVector<int64_t>{0, 2}));
  EXPECT_EQ(keptRows(norms, 2), (SmallVector<int64_t>{0, 2, 4}));
  EXPECT_EQ(keptRows(norms, 0), (SmallVector<int64_t>{0, 1, 2, 3, 4}));
}
