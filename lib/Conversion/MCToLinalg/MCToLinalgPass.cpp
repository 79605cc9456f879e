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
#include "mlir/Dialect/Func/IR/FuncOps.h"
#include "mlir/Transforms/DialectConversion.h"
#include "llvm/ADT/STLExtras.h"

namespace mlir::mc {
#define GEN_PASS_DEF_CONVERTMCTOLINALGPASS
#include "mc/Conversion/Passes.h.inc"
} // namespace mlir::mc

using namespace mlir;
using namespace mlir::mc;

namespace {

/// The unsigned integer tensor type among `op`'s operands and results, if
/// any (ONNX uint8/uint16/... tensors that are not quantized).
Type findUnsignedTensorType(Operation *op) {
  auto isUnsigned = [](Type t) {
    auto shaped = dyn_cast<ShapedType>(t);
    return shaped && shaped.getElementType().isUnsignedInteger();
  };
  for (Type t : llvm::concat<Type>(op->getOperandTypes(),
                                   op->getResultTypes()))
    if (isUnsigned(t))
      return t;
  return {};
}

/// arith computes on signless integers only, so the float lowering has no
/// pattern for an mc op on unsigned integer tensors: reports the first one
/// as unsupported instead of letting the conversion fail with a generic
/// "failed to legalize". The quantization ops keep their unsigned storage
/// (and a constant that only feeds mc.storage_cast is quantized storage):
/// they belong to the fixed-point lowering.
LogicalResult checkNoUnsignedTensors(func::FuncOp func) {
  WalkResult result = func.walk([](Operation *op) {
    if (!isa<MCDialect>(op->getDialect()) ||
        isa<QuantizeOp, DequantizeOp, StorageCastOp, QConv2DOp, QMatMulOp,
            RequantizeOp>(op))
      return WalkResult::advance();
    if (isa<ConstantOp>(op) && !op->use_empty() &&
        llvm::all_of(op->getUsers(),
                     [](Operation *user) { return isa<StorageCastOp>(user); }))
      return WalkResult::advance();
    Type type = findUnsignedTensorType(op);
    if (!type)
      return WalkResult::advance();
    op->emitOpError() << "on unsigned integer tensors (" << type
                      << ") is unsupported: the float lowering computes on "
                         "signless integers only";
    return WalkResult::interrupt();
  });
  return failure(result.wasInterrupted());
}

struct ConvertMCToLinalgPass
    : mc::impl::ConvertMCToLinalgPassBase<ConvertMCToLinalgPass> {
  using Base::Base;

  void runOnOperation() override {
    MLIRContext *ctx = &getContext();
    if (failed(checkNoUnsignedTensors(getOperation())))
      return signalPassFailure();
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
