//===- Passes.h - GPU codegen passes ----------------------------*- C++ -*-===//
//
// Part of the mc project: an MLIR compiler for compressed neural networks.
//
//===----------------------------------------------------------------------===//
//
// Declarations and registration of the passes in Passes.td.
//
//===----------------------------------------------------------------------===//

#ifndef MC_CODEGEN_GPU_PASSES_H
#define MC_CODEGEN_GPU_PASSES_H

#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/Func/IR/FuncOps.h"
#include "mlir/Dialect/GPU/IR/GPUDialect.h"
#include "mlir/Dialect/LLVMIR/LLVMDialect.h"
#include "mlir/Dialect/LLVMIR/NVVMDialect.h"
#include "mlir/Dialect/Linalg/IR/Linalg.h"
#include "mlir/Dialect/MemRef/IR/MemRef.h"
#include "mlir/Dialect/SCF/IR/SCF.h"
#include "mlir/IR/BuiltinOps.h"
#include "mlir/Pass/Pass.h"

namespace mlir::mc {

#define GEN_PASS_DECL
#include "mc/Codegen/GPU/Passes.h.inc"

#define GEN_PASS_REGISTRATION
#include "mc/Codegen/GPU/Passes.h.inc"

} // namespace mlir::mc

#endif // MC_CODEGEN_GPU_PASSES_H
