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

/// The channels-first product of a convolution, one image at a time:
/// loops (n, f, p, g, r), out[n, f, p] += W[f, 4 g + r] * patches[n, 4 g + r,
/// p] with the constant weight packed as [K4, F, kGroup] and the patches
/// [N, K4 kGroup, P] (mc_ukernel_i8mm_s8u8). No map has a floordiv or mod,
/// so the product tiles and fuses per image like any op over images. The
/// pixels may be split in `pixelDims` dimensions (OH, OW), the loops then
/// being (n, f, p..., g, r).
SmallVector<AffineMap> leftPackedMaps(MLIRContext *ctx,
                                      unsigned pixelDims = 1);

/// `out + ext_si(a) * ext_ui(b)`: signed weights, unsigned activations.
bool isSignedUnsignedMacBody(linalg::GenericOp op);

} // namespace mlir::mc::int8gemm

#endif // MC_CODEGEN_CPU_INT8GEMM_H
