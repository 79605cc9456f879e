//===- FuseElementwise.cpp - Elementwise fusion for GPU kernels -----------===//
//
// Part of the mc project: an MLIR compiler for compressed neural networks.
//
//===----------------------------------------------------------------------===//
//
// The mc-gpu-fuse-elementwise pass: upstream elementwise fusion of linalg
// ops on tensors, except into consumers with a reduction dimension.
//
//===----------------------------------------------------------------------===//

#include "mc/Codegen/GPU/Passes.h"

#include "mlir/Dialect/Linalg/IR/Linalg.h"
#include "mlir/Dialect/Linalg/Transforms/Transforms.h"
#include "mlir/Transforms/GreedyPatternRewriteDriver.h"

namespace mlir::mc {
#define GEN_PASS_DEF_MCGPUFUSEELEMENTWISEPASS
#include "mc/Codegen/GPU/Passes.h.inc"
} // namespace mlir::mc

using namespace mlir;

namespace {

struct MCGPUFuseElementwisePass
    : mc::impl::MCGPUFuseElementwisePassBase<MCGPUFuseElementwisePass> {
  using Base::Base;

  void runOnOperation() override {
    RewritePatternSet patterns(&getContext());
    linalg::ControlFusionFn control = [](OpOperand *operand) {
      auto consumer = dyn_cast<linalg::LinalgOp>(operand->getOwner());
      return consumer &&
             consumer.getNumReductionLoops() == 0;
    };
    linalg::populateElementwiseOpsFusionPatterns(patterns, control);
    if (failed(applyPatternsGreedily(getOperation(), std::move(patterns))))
      return signalPassFailure();
  }
};

} // namespace
