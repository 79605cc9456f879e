//===- WeightsTest.cpp - dense / dense_resource weight helpers ------------===//
//
// Part of the mc project: an MLIR compiler for compressed neural networks.
//
//===----------------------------------------------------------------------===//

#include "mc/Dialect/MC/IR/Weights.h"

#include "mlir/IR/MLIRContext.h"

#include "gtest/gtest.h"

using namespace mlir;
using namespace mlir::mc;

TEST(Weights, SmallTensorsAreLiterals) {
  MLIRContext ctx;
  auto type = RankedTensorType::get({2, 2}, Float32Type::get(&ctx));
  SmallVector<float> v = {1.0f, -2.5f, 3.0f, 0.0f};
  ElementsAttr attr = createWeightAttr(type, "w", ArrayRef<float>(v));
  EXPECT_TRUE(isa<DenseElementsAttr>(attr));
  auto back = getF32Values(attr);
  ASSERT_TRUE(back.has_value());
  EXPECT_EQ(*back, v);
}

TEST(Weights, LargeTensorsAreResourcesAndReadBack) {
  MLIRContext ctx;
  auto type = RankedTensorType::get({kMaxLiteralElements + 1},
                                    Float32Type::get(&ctx));
  SmallVector<float> v;
  for (int64_t i = 0; i <= kMaxLiteralElements; ++i)
    v.push_back(0.5f * i - 3.0f);
  ElementsAttr attr = createWeightAttr(type, "w", ArrayRef<float>(v));
  EXPECT_TRUE(isa<DenseResourceElementsAttr>(attr));
  auto back = getF32Values(attr);
  ASSERT_TRUE(back.has_value());
  EXPECT_EQ(*back, v);
  // Reading a float tensor as integers is refused, not reinterpreted.
  EXPECT_FALSE(getIntValues(attr).has_value());
}

TEST(Weights, IntegersKeepTheirSignedness) {
  MLIRContext ctx;
  SmallVector<char> bytes(40);
  for (int i = 0; i < 40; ++i)
    bytes[i] = (char)(i * 7 - 100);
  for (bool isUnsigned : {false, true}) {
    auto elementType = IntegerType::get(
        &ctx, 8, isUnsigned ? IntegerType::Unsigned : IntegerType::Signless);
    auto type = RankedTensorType::get({40}, elementType);
    ElementsAttr attr = createWeightAttr(type, "q", ArrayRef<char>(bytes));
    auto values = getIntValues(attr);
    ASSERT_TRUE(values.has_value());
    for (int i = 0; i < 40; ++i) {
      int64_t expected = isUnsigned ? (int64_t)(uint8_t)bytes[i]
                                    : (int64_t)(int8_t)bytes[i];
      EXPECT_EQ((*values)[i], expected) << "element " << i;
    }
  }
}

TEST(Weights, Int64RoundTrip) {
  MLIRContext ctx;
  SmallVector<int64_t> v = {-1, 0, 1, INT64_MAX, INT64_MIN};
  auto type = RankedTensorType::get({5}, IntegerType::get(&ctx, 64));
  ElementsAttr attr = createWeightAttr(
      type, "s",
      ArrayRef<char>(reinterpret_cast<const char *>(v.data()), v.size() * 8));
  auto values = getIntValues(attr);
  ASSERT_TRUE(values.has_value());
  EXPECT_EQ(*values, v);
}
