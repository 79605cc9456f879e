//===- Pipelines.h - mc's pass pipelines ------------------------*- C++ -*-===//
//
// Part of the mc project: an MLIR compiler for compressed neural networks.
//
//===----------------------------------------------------------------------===//
//
// Pipeline builders shared by mc-opt (as named pipelines) and the compiler
// drivers, so that `mc-opt --mc-to-llvm` runs exactly what they run.
//
//===----------------------------------------------------------------------===//

#ifndef MC_PIPELINES_PIPELINES_H
#define MC_PIPELINES_PIPELINES_H

#include "mlir/Pass/PassOptions.h"

namespace mlir {
class OpPassManager;

namespace mc {

/// Options of the mc-to-llvm pipeline.
struct MCToLLVMOptions : public PassPipelineOptions<MCToLLVMOptions> {
  PassOptions::Option<bool> fuseElementwise{
      *this, "fuse-elementwise",
      llvm::cl::desc("Fuse producer/consumer linalg elementwise ops before "
                     "bufferization"),
      llvm::cl::init(true)};
};

/// Lowers a module of float mc ops (with dynamic batch dimensions) to the
/// LLVM dialect: mc -> linalg/tensor/arith/math, elementwise fusion,
/// one-shot bufferization with identity layouts at function boundaries,
/// ownership-based buffer deallocation, linalg -> loops, and every remaining
/// dialect (scf, cf, arith, math, memref, index, func) -> llvm.
void buildMCToLLVMPipeline(OpPassManager &pm, const MCToLLVMOptions &options);

/// Registers mc's named pipelines (`mc-to-llvm`).
void registerMCPipelines();

} // namespace mc
} // namespace mlir

#endif // MC_PIPELINES_PIPELINES_H
