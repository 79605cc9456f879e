//===- Weights.cpp - Reading and writing constant weights -----------------===//
//
// Part of the mc project: an MLIR compiler for compressed neural networks.
//
//===----------------------------------------------------------------------===//

#include "mc/Dialect/MC/IR/Weights.h"

#include "mlir/IR/AsmState.h"
#include "mlir/IR/DialectResourceBlobManager.h"

#include <cstring>

using namespace mlir;

ElementsAttr mlir::mc::createWeightAttr(ShapedType type, StringRef name,
                                        ArrayRef<char> bytes) {
  if (type.getNumElements() <= kMaxLiteralElements) {
    if (type.getElementType().isInteger(1)) {
      SmallVector<bool> bits;
      for (char c : bytes)
        bits.push_back(c != 0);
      return DenseElementsAttr::get(type, bits);
    }
    return DenseElementsAttr::getFromRawBuffer(type, bytes);
  }
  size_t align = std::max<size_t>(
      1, (type.getElementTypeBitWidth() + 7) / 8);
  return DenseResourceElementsAttr::get(
      type, name.empty() ? StringRef("weight") : name,
      HeapAsmResourceBlob::allocateAndCopyWithAlign(bytes, align,
                                                    /*dataIsMutable=*/false));
}

ElementsAttr mlir::mc::createWeightAttr(ShapedType type, StringRef name,
                                        ArrayRef<float> values) {
  return createWeightAttr(
      type, name,
      ArrayRef<char>(reinterpret_cast<const char *>(values.data()),
                     values.size() * sizeof(float)));
}

/// Raw bytes of a resource constant, or nullopt when the blob is missing
/// (e.g. elided when printed).
static std::optional<ArrayRef<char>> resourceBytes(ElementsAttr attr) {
  auto resource = dyn_cast<DenseResourceElementsAttr>(attr);
  if (!resource)
    return std::nullopt;
  AsmResourceBlob *blob = resource.getRawHandle().getBlob();
  if (!blob)
    return std::nullopt;
  return blob->getData();
}

std::optional<SmallVector<float>> mlir::mc::getF32Values(ElementsAttr attr) {
  auto type = cast<ShapedType>(attr.getType());
  if (!type.getElementType().isF32())
    return std::nullopt;
  if (auto dense = dyn_cast<DenseElementsAttr>(attr))
    return SmallVector<float>(dense.getValues<float>());
  if (std::optional<ArrayRef<char>> bytes = resourceBytes(attr)) {
    if ((int64_t)bytes->size() != type.getNumElements() * 4)
      return std::nullopt;
    SmallVector<float> values(type.getNumElements());
    std::memcpy(values.data(), bytes->data(), bytes->size());
    return values;
  }
  return std::nullopt;
}

std::optional<SmallVector<int64_t>> mlir::mc::getIntValues(ElementsAttr attr) {
  auto type = cast<ShapedType>(attr.getType());
  auto intType = dyn_cast<IntegerType>(type.getElementType());
  if (!intType)
    return std::nullopt;
  SmallVector<int64_t> values;
  if (auto dense = dyn_cast<DenseIntElementsAttr>(attr)) {
    for (const APInt &v : dense.getValues<APInt>())
      values.push_back(intType.isUnsigned() || intType.getWidth() == 1
                           ? (int64_t)v.getZExtValue()
                           : v.getSExtValue());
    return values;
  }
  std::optional<ArrayRef<char>> bytes = resourceBytes(attr);
  unsigned width = intType.getWidth() == 1 ? 8 : intType.getWidth();
  if (!bytes || (int64_t)bytes->size() != type.getNumElements() * (width / 8))
    return std::nullopt;
  // memcpy: blob bytes need not be aligned for the element type.
  auto load = [](const char *p, auto zero) {
    decltype(zero) v;
    std::memcpy(&v, p, sizeof(v));
    return (int64_t)v;
  };
  bool isUnsigned = intType.isUnsigned();
  const char *p = bytes->data();
  for (int64_t i = 0; i < type.getNumElements(); ++i, p += width / 8) {
    switch (width) {
    case 8:
      values.push_back(isUnsigned ? load(p, uint8_t()) : load(p, int8_t()));
      break;
    case 16:
      values.push_back(isUnsigned ? load(p, uint16_t()) : load(p, int16_t()));
      break;
    case 32:
      values.push_back(isUnsigned ? load(p, uint32_t()) : load(p, int32_t()));
      break;
    case 64:
      values.push_back(load(p, int64_t()));
      break;
    default:
      return std::nullopt;
    }
  }
  return values;
}
