//===- MCOps.h - Operations of the mc dialect -------------------*- C++ -*-===//
//
// Part of the mc project: an MLIR compiler for compressed neural networks.
//
//===----------------------------------------------------------------------===//
//
// Declares the mc ops (generated from MCOps.td) and shape helpers that the
// ops' type inference and the ONNX importer share.
//
//===----------------------------------------------------------------------===//

#ifndef MC_DIALECT_MC_IR_MCOPS_H
#define MC_DIALECT_MC_IR_MCOPS_H

#include "mc/Dialect/MC/IR/MCDialect.h"
#include "mlir/Bytecode/BytecodeOpInterface.h"
#include "mlir/Dialect/Quant/IR/QuantTypes.h"
#include "mlir/IR/BuiltinTypes.h"
#include "mlir/IR/OpDefinition.h"
#include "mlir/Interfaces/InferTypeOpInterface.h"
#include "mlir/Interfaces/SideEffectInterfaces.h"

#define GET_OP_CLASSES
#include "mc/Dialect/MC/IR/MCOps.h.inc"

namespace mlir::mc {

/// Broadcasts two shapes with NumPy rules. Returns failure when they are
/// incompatible. ShapedType::kDynamic broadcasts against 1 and itself.
LogicalResult broadcastShapes(ArrayRef<int64_t> lhs, ArrayRef<int64_t> rhs,
                              SmallVectorImpl<int64_t> &result);

/// Output size of one spatial axis of a convolution or pooling window
/// (dynamic in, dynamic out). `ceilMode` rounds up as ONNX pooling does.
int64_t windowOutputSize(int64_t in, int64_t kernel, int64_t stride,
                         int64_t padBegin, int64_t padEnd, int64_t dilation,
                         bool ceilMode = false);

} // namespace mlir::mc

#endif // MC_DIALECT_MC_IR_MCOPS_H
