//===- Passes.h - mc conversion passes --------------------------*- C++ -*-===//
//
// Part of the mc project: an MLIR compiler for compressed neural networks.
//
//===----------------------------------------------------------------------===//
//
// Declarations and registration of the conversion passes in Passes.td, and
// the headers exposing their patterns.
//
//===----------------------------------------------------------------------===//

#ifndef MC_CONVERSION_PASSES_H
#define MC_CONVERSION_PASSES_H

#include "mc/Conversion/MCToLinalg/MCToLinalg.h"
#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/Func/IR/FuncOps.h"
#include "mlir/Dialect/Linalg/IR/Linalg.h"
#include "mlir/Dialect/Math/IR/Math.h"
#include "mlir/Dialect/Tensor/IR/Tensor.h"
#include "mlir/Pass/Pass.h"

namespace mlir::mc {

#define GEN_PASS_DECL
#include "mc/Conversion/Passes.h.inc"

#define GEN_PASS_REGISTRATION
#include "mc/Conversion/Passes.h.inc"

} // namespace mlir::mc

#endif // MC_CONVERSION_PASSES_H
