//===- Int8Gemm.h - Shape of packed int8 matrix products --------*- C++ -*-===//
//
// Part of the mc project: an MLIR compiler for compressed neural networks.
//
//===----------------------------------------------------------------------===//
//
// What mc-cpu-pack-int8-weights produces and mc-cpu-int8-gemm-to-ukernel
// consumes: the packing constants and the indexing maps of the packed
// product, and a matcher for its body. Shared by the two passes so that
// they agree on one definition.
//
//===----------------------------------------------------------------------===//

#ifndef MC_CODEGEN_CPU_INT8GEMM_H
#define MC_CODEGEN_CPU_INT8GEMM_H

#include "mlir/Dialect/Linalg/IR/Linalg.h"
#include "mlir/IR/AffineMap.h"

namespace mlir::mc::int8gemm {

/// Output columns per packed panel (two 16-lane int32 vectors).
constexpr int64_t kPanel = 32;
/// Reduction elements per vpdpbusd lane.
constexpr int64_t kGroup = 4;

/// The indexing maps of the packed product over (m, n, k): A (m, k),
/// packed B (n floordiv 32, k floordiv 4, n mod 32, k mod 4), C (m, n).
SmallVector<AffineMap> packedMaps(MLIRContext *ctx);

/// Whether `op`'s body is `out + extui(a) * extsi(b)` on i8 inputs and an
/// i32 output (operands of the add and of the multiply in either order).
bool isUnsignedSignedMacBody(linalg::GenericOp op);

} // namespace mlir::mc::int8gemm

#endif // MC_CODEGEN_CPU_INT8GEMM_H
