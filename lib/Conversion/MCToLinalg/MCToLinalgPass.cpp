//===- MCToLinalgPass.cpp - The convert-mc-to-linalg pass -----------------===//
//
// Part of the mc project: an MLIR compiler for compressed neural networks.
//
//===----------------------------------------------------------------------===//
//
// Drives the MCToLinalg patterns with a partial dialect conversion: every
// float mc op must be lowered, quantized ones stay for the fixed-point
// lowering.
//
//===----------------------------------------------------------------------===//

#include "mc/Conversion/Passes.h"

#include "mc/Conversion/MCToLinalg/MCToLinalg.h"
#include "mc/Dialect/MC/IR/MCOps.h"
#include "mlir/Transforms/DialectConversion.h"

namespace mlir::mc {
#define GEN_PASS_DEF_CONVERTMCTOLINALGPASS
#include "mc/Conversion/Passes.h.inc"
} // namespace mlir::mc

using namespace mlir;
using namespace mlir::mc;

namespace {

struct ConvertMCToLinalgPass
    : mc::impl::ConvertMCToLinalgPassBase<ConvertMCToLinalgPass> {
  using Base::Base;

  void runOnOperation() override {
    MLIRContext *ctx = &getContext();
    // Float tensors keep their types. The converter is the hook through
    // which a quantized lowering would map element types to storage types.
    TypeConverter typeConverter;
    typeConverter.addConversion([](Type type) { return type; });

    ConversionTarget target(*ctx);
    configureMCToLinalgConversionTarget(target);
    RewritePatternSet patterns(ctx);
    populateMCToLinalgConversionPatterns(typeConverter, patterns);
    if (failed(applyPartialConversion(getOperation(), target,
                                      std::move(patterns))))
      signalPassFailure();
  }
};

} // namespace
