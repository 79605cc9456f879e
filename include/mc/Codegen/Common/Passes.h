//===- Passes.h - Target-independent codegen passes -------------*- C++ -*-===//
//
// Part of the mc project: an MLIR compiler for compressed neural networks.
//
//===----------------------------------------------------------------------===//
//
// Declarations and registration of the passes in Passes.td.
//
//===----------------------------------------------------------------------===//

#ifndef MC_CODEGEN_COMMON_PASSES_H
#define MC_CODEGEN_COMMON_PASSES_H

#include "mlir/Dialect/Func/IR/FuncOps.h"
#include "mlir/Dialect/LLVMIR/LLVMDialect.h"
#include "mlir/Dialect/Linalg/IR/Linalg.h"
#include "mlir/Pass/Pass.h"

namespace mlir::mc {

#define GEN_PASS_DECL
#include "mc/Codegen/Common/Passes.h.inc"

#define GEN_PASS_REGISTRATION
#include "mc/Codegen/Common/Passes.h.inc"

} // namespace mlir::mc

#endif // MC_CODEGEN_COMMON_PASSES_H
