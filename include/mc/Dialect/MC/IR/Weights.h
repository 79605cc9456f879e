//===- Weights.h - Reading and writing constant weights ---------*- C++ -*-===//
//
// Part of the mc project: an MLIR compiler for compressed neural networks.
//
//===----------------------------------------------------------------------===//
//
// Weights are `dense_resource` blobs (large tensors) or plain `dense`
// literals (small ones). These helpers hide the difference from passes.
//
//===----------------------------------------------------------------------===//

#ifndef MC_DIALECT_MC_IR_WEIGHTS_H
#define MC_DIALECT_MC_IR_WEIGHTS_H

#include "mlir/IR/BuiltinAttributes.h"
#include "mlir/IR/BuiltinTypes.h"
#include <optional>

namespace mlir::mc {

/// Tensors with at most this many elements become `dense` literals; larger
/// ones become `dense_resource` blobs.
constexpr int64_t kMaxLiteralElements = 16;

/// Creates a constant attribute of `type` holding `bytes` (row-major,
/// host byte order; bool as one byte per element). Large tensors become a
/// `dense_resource` blob named after `name` (uniqued by the context), small
/// ones a `dense` literal.
ElementsAttr createWeightAttr(ShapedType type, StringRef name,
                              ArrayRef<char> bytes);

/// Same, from float values (type must have an f32 element type).
ElementsAttr createWeightAttr(ShapedType type, StringRef name,
                              ArrayRef<float> values);

/// The row-major f32 values of a constant with an f32 element type, whether
/// `dense`, splat or `dense_resource`; nullopt for anything else.
std::optional<SmallVector<float>> getF32Values(ElementsAttr attr);

/// The row-major values of an integer constant, sign-extended to int64;
/// nullopt for non-integer or unreadable attributes.
std::optional<SmallVector<int64_t>> getIntValues(ElementsAttr attr);

} // namespace mlir::mc

#endif // MC_DIALECT_MC_IR_WEIGHTS_H
