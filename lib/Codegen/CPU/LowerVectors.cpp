//===- LowerVectors.cpp - Vector code down to 1-D operations --------------===//
//
// Part of the mc project: an MLIR compiler for compressed neural networks.
//
//===----------------------------------------------------------------------===//
//
// The mc-cpu-lower-vectors pass: a composition of upstream's progressive
// vector lowerings chosen for register-tiled contractions on x86 (outer
// products, i.e. broadcast + FMA per accumulator row).
//
//===----------------------------------------------------------------------===//

#include "mc/Codegen/CPU/Passes.h"

#include "mlir/Conversion/VectorToSCF/VectorToSCF.h"
#include "mlir/Dialect/Vector/Transforms/LoweringPatterns.h"
#include "mlir/Dialect/Vector/Transforms/VectorRewritePatterns.h"
#include "mlir/IR/PatternMatch.h"
#include "mlir/Transforms/GreedyPatternRewriteDriver.h"

namespace mlir::mc {
#define GEN_PASS_DEF_MCCPULOWERVECTORSPASS
#include "mc/Codegen/CPU/Passes.h.inc"
} // namespace mlir::mc

using namespace mlir;

namespace {

void populateArithmeticLowerings(RewritePatternSet &patterns) {
  vector::populateVectorContractLoweringPatterns(
      patterns, vector::VectorContractLowering::OuterProduct);
  vector::populateVectorOuterProductLoweringPatterns(patterns);
  vector::populateVectorMultiReductionLoweringPatterns(
      patterns, vector::VectorMultiReductionLowering::InnerParallel);
  vector::populateVectorTransposeLoweringPatterns(
      patterns, vector::VectorTransposeLowering::EltWise);
  vector::populateVectorBroadcastLoweringPatterns(patterns);
  vector::populateVectorShapeCastLoweringPatterns(patterns);
  vector::populateVectorTransferPermutationMapLoweringPatterns(patterns);
  vector::populateVectorToVectorCanonicalizationPatterns(patterns);
}

struct MCCPULowerVectorsPass
    : mc::impl::MCCPULowerVectorsPassBase<MCCPULowerVectorsPass> {
  using Base::Base;

  void runOnOperation() override {
    MLIRContext *ctx = &getContext();
    // Contractions to FMAs first: they read their operands through
    // transposes and broadcasts that fold away before transfers unroll.
    {
      RewritePatternSet patterns(ctx);
      populateArithmeticLowerings(patterns);
      if (failed(applyPatternsGreedily(getOperation(), std::move(patterns))))
        return signalPassFailure();
    }
    // Then n-D transfers to unrolled 1-D transfers, loads and stores.
    {
      RewritePatternSet patterns(ctx);
      populateVectorToSCFConversionPatterns(
          patterns, VectorTransferToSCFOptions().enableFullUnroll().setTargetRank(1));
      vector::populateVectorTransferLoweringPatterns(patterns,
                                                     /*maxTransferRank=*/1);
      populateArithmeticLowerings(patterns);
      if (failed(applyPatternsGreedily(getOperation(), std::move(patterns))))
        return signalPassFailure();
    }
  }
};

} // namespace
