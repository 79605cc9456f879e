//===- InitAll.h - Register every mc dialect and pass -----------*- C++ -*-===//
//
// Part of the mc project: an MLIR compiler for compressed neural networks.
//
//===----------------------------------------------------------------------===//
//
// One place for the tools (mc-opt, mc-compile) to register mc's dialects and
// passes.
//
//===----------------------------------------------------------------------===//

#ifndef MC_INITALL_H
#define MC_INITALL_H

#include "mc/Codegen/CPU/Passes.h"
#include "mc/Codegen/Common/Passes.h"
#ifdef MC_ENABLE_GPU
#include "mc/Codegen/GPU/Passes.h"
#endif
#include "mc/Conversion/Passes.h"
#include "mc/Dialect/MC/IR/MCDialect.h"
#include "mc/Dialect/MC/Transforms/Passes.h"
#include "mc/Pipelines/Pipelines.h"
#include "mlir/Dialect/Func/IR/FuncOps.h"
#include "mlir/IR/DialectRegistry.h"

namespace mlir::mc {

/// Adds the mc dialect and the upstream dialects mc's own IR needs.
inline void registerAllDialects(DialectRegistry &registry) {
  registry.insert<MCDialect, func::FuncDialect, quant::QuantDialect>();
}

/// Registers every mc pass and named pipeline with the global registry.
inline void registerAllPasses() {
  registerMCPasses();
  registerMCCodegenCommonPasses();
  registerMCCodegenCPUPasses();
#ifdef MC_ENABLE_GPU
  registerMCCodegenGPUPasses();
#endif
  registerMCConversionPasses();
  registerMCPipelines();
}

} // namespace mlir::mc

#endif // MC_INITALL_H
