//===- MCDialect.h - The mc dialect -----------------------------*- C++ -*-===//
//
// Part of the mc project: an MLIR compiler for compressed neural networks.
//
//===----------------------------------------------------------------------===//
//
// Declares the mc dialect class (generated from MCDialect.td).
//
//===----------------------------------------------------------------------===//

#ifndef MC_DIALECT_MC_IR_MCDIALECT_H
#define MC_DIALECT_MC_IR_MCDIALECT_H

#include "mlir/Dialect/Quant/IR/Quant.h"
#include "mlir/IR/Dialect.h"

#include "mc/Dialect/MC/IR/MCOpsDialect.h.inc"

#endif // MC_DIALECT_MC_IR_MCDIALECT_H
