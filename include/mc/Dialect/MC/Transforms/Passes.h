//===- Passes.h - Passes on the mc dialect ----------------------*- C++ -*-===//
//
// Part of the mc project: an MLIR compiler for compressed neural networks.
//
//===----------------------------------------------------------------------===//
//
// Declarations and registration of the passes in Passes.td.
//
//===----------------------------------------------------------------------===//

#ifndef MC_DIALECT_MC_TRANSFORMS_PASSES_H
#define MC_DIALECT_MC_TRANSFORMS_PASSES_H

#include "mc/Dialect/MC/IR/MCDialect.h"
#include "mlir/Dialect/Func/IR/FuncOps.h"
#include "mlir/Pass/Pass.h"

namespace mlir::mc {

#define GEN_PASS_DECL
#include "mc/Dialect/MC/Transforms/Passes.h.inc"

#define GEN_PASS_REGISTRATION
#include "mc/Dialect/MC/Transforms/Passes.h.inc"

} // namespace mlir::mc

#endif // MC_DIALECT_MC_TRANSFORMS_PASSES_H
