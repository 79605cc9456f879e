//===- MCToLinalgPass.cpp - The convert-mc-to-linalg pass -----------------===//
//
// Part of the mc project: an MLIR compiler for compressed neural networks.
//
//===----------------------------------------------------------------------===//
//
// Drives the MCToLinalg, QuantizedToLinalg and RequantizeToLinalg patterns
// with a partial dialect conversion: every mc op must be lowered,
// mc.requantize in its integer form (after mc-fixed-point).
//
//===----------------------------------------------------------------------===//

#include "mc/Conversion/Passes.h"

#include "mc/Conversion/MCToLinalg/MCToLinalg.h"
#include "mc/Dialect/MC/IR/MCOps.h"
#include "mlir/Dialect/Func/IR/FuncOps.h"
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
    // Float tensors keep their types; quantized and unsigned tensors become
    // their signless integer storage.
    TypeConverter typeConverter;
    typeConverter.addConversion([](Type type) { return type; });
    populateMCQuantizedTypeConversions(typeConverter);
    if (failed(checkMCUnsignedOps(getOperation())))
      return signalPassFailure();

    ConversionTarget target(*ctx);
    configureMCToLinalgConversionTarget(target);
    configureMCQuantizedToLinalgConversionTarget(target, typeConverter);
    RewritePatternSet patterns(ctx);
    populateMCToLinalgConversionPatterns(typeConverter, patterns);
    populateMCQuantizedToLinalgConversionPatterns(typeConverter, patterns);

    // mc.requantize: integer form only (mc-fixed-point), lowered by
    // RequantizeToLinalg.cpp.
    if (failed(checkRequantizeInFixedPoint(getOperation())))
      return signalPassFailure();
    target.addIllegalOp<RequantizeOp>();
    populateRequantizeToLinalgConversionPatterns(typeConverter, patterns);
    if (failed(applyPartialConversion(getOperation(), target,
                                      std::move(patterns))))
      signalPassFailure();
  }
};

} // namespace
