//===- ShapeHelpersTest.cpp - Broadcasting and window sizes ---------------===//
//
// Part of the mc project: an MLIR compiler for compressed neural networks.
//
//===----------------------------------------------------------------------===//

#include "mc/Dialect/MC/IR/MCOps.h"

#include "gtest/gtest.h"

using namespace mlir;
using namespace mlir::mc;

static constexpr int64_t kDyn = ShapedType::kDynamic;

TEST(BroadcastShapes, NumPyRules) {
  SmallVector<int64_t> out;
  ASSERT_TRUE(succeeded(broadcastShapes({8, 1, 6, 1}, {7, 1, 5}, out)));
  EXPECT_EQ(out, (SmallVector<int64_t>{8, 7, 6, 5}));
  ASSERT_TRUE(succeeded(broadcastShapes({}, {3, 4}, out)));
  EXPECT_EQ(out, (SmallVector<int64_t>{3, 4}));
  EXPECT_TRUE(failed(broadcastShapes({2, 3}, {4, 3}, out)));
}

TEST(BroadcastShapes, DynamicBatch) {
  SmallVector<int64_t> out;
  ASSERT_TRUE(succeeded(broadcastShapes({kDyn, 16, 32}, {32}, out)));
  EXPECT_EQ(out, (SmallVector<int64_t>{kDyn, 16, 32}));
  ASSERT_TRUE(succeeded(broadcastShapes({kDyn, 4}, {1, 4}, out)));
  EXPECT_EQ(out, (SmallVector<int64_t>{kDyn, 4}));
  ASSERT_TRUE(succeeded(broadcastShapes({kDyn, 4}, {kDyn, 4}, out)));
  EXPECT_EQ(out, (SmallVector<int64_t>{kDyn, 4}));
  // A dynamic size only broadcasts against 1 or itself.
  EXPECT_TRUE(failed(broadcastShapes({kDyn, 4}, {3, 4}, out)));
}

TEST(WindowOutputSize, FloorAndCeil) {
  // 28 with 3x3, pad 1, stride 1: same size.
  EXPECT_EQ(windowOutputSize(28, 3, 1, 1, 1, 1), 28);
  // 2x2 stride 2 pooling halves.
  EXPECT_EQ(windowOutputSize(28, 2, 2, 0, 0, 1), 14);
  // 7 with kernel 2 stride 2: floor 3, ceil 4.
  EXPECT_EQ(windowOutputSize(7, 2, 2, 0, 0, 1, false), 3);
  EXPECT_EQ(windowOutputSize(7, 2, 2, 0, 0, 1, true), 4);
  // Dilation 2 widens a 3-wide kernel to 5.
  EXPECT_EQ(windowOutputSize(10, 3, 1, 0, 0, 2), 6);
  // The last ceil-mode window must start inside input or leading padding:
  // in 5, k 2, s 2, pad 1/1: span 5 -> floor 3, ceil 4, but window 4 would
  // start at 6 >= 5 + 1, so 3.
  EXPECT_EQ(windowOutputSize(5, 2, 2, 1, 1, 1, true), 3);
  EXPECT_EQ(windowOutputSize(kDyn, 3, 1, 0, 0, 1), kDyn);
  // A window wider than the padded input yields 0 (reported by verifiers).
  EXPECT_EQ(windowOutputSize(2, 5, 1, 0, 0, 1), 0);
}
