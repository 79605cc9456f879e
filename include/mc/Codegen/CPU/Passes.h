//===- Passes.h - CPU codegen passes ----------------------------*- C++ -*-===//
//
// Part of the mc project: an MLIR compiler for compressed neural networks.
//
//===----------------------------------------------------------------------===//
//
// Declarations and registration of the passes in Passes.td.
//
//===----------------------------------------------------------------------===//

#ifndef MC_CODEGEN_CPU_PASSES_H
#define MC_CODEGEN_CPU_PASSES_H

#include "mlir/Dialect/Affine/IR/AffineOps.h"
#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/Func/IR/FuncOps.h"
#include "mlir/Dialect/Linalg/IR/Linalg.h"
#include "mlir/Dialect/MemRef/IR/MemRef.h"
#include "mlir/Dialect/SCF/IR/SCF.h"
#include "mlir/Dialect/Tensor/IR/Tensor.h"
#include "mlir/Dialect/Vector/IR/VectorOps.h"
#include "mlir/Pass/Pass.h"

namespace mlir::mc {

#define GEN_PASS_DECL
#include "mc/Codegen/CPU/Passes.h.inc"

#define GEN_PASS_REGISTRATION
#include "mc/Codegen/CPU/Passes.h.inc"

} // namespace mlir::mc

#endif // MC_CODEGEN_CPU_PASSES_H
