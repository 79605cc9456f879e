//===- MCToLinalg.h - Lowering of mc ops to linalg --------------*- C++ -*-===//
//
// Part of the mc project: an MLIR compiler for compressed neural networks.
//
//===----------------------------------------------------------------------===//
//
// Patterns that lower the float and shape ops of the mc dialect to linalg,
// tensor, arith and math on tensors (convert-mc-to-linalg).
//
//===----------------------------------------------------------------------===//

#ifndef MC_CONVERSION_MCTOLINALG_MCTOLINALG_H
#define MC_CONVERSION_MCTOLINALG_MCTOLINALG_H

#include "mlir/Support/LLVM.h"

namespace mlir {
class ConversionTarget;
class Operation;
class RewritePatternSet;
class TypeConverter;

namespace mc {

/// Adds the patterns lowering every float mc op (compute, normalization,
/// elementwise, shape ops and constants) to linalg/tensor/arith/math.
/// `typeConverter` converts the result types; the mc-to-linalg pass uses the
/// identity on tensors.
void populateMCToLinalgConversionPatterns(const TypeConverter &typeConverter,
                                          RewritePatternSet &patterns);

/// Marks the dialects the patterns produce legal, and every mc op illegal
/// except the quantized ones (quantization ops and shape ops on quantized
/// tensors), which the fixed-point lowering handles.
void configureMCToLinalgConversionTarget(ConversionTarget &target);

//===----------------------------------------------------------------------===//
// Quantized ops (QuantizedToLinalg.cpp)
//===----------------------------------------------------------------------===//

/// Adds the storage type conversions: a tensor of `!quant.uniform` values
/// becomes a tensor of its signless storage integers (u8 storage: i8 holding
/// the same bits), and a tensor of unsigned integers (`ui8` at a model
/// boundary) becomes the signless type of the same width. Other types fall
/// through to the conversions added before.
void populateMCQuantizedTypeConversions(TypeConverter &typeConverter);

/// Adds the patterns lowering mc.quantize, mc.dequantize, mc.storage_cast,
/// mc.qlinear, mc.qconv2d, mc.qmatmul, and mc.max_pool2d / mc.constant on
/// quantized or unsigned tensors, to integer linalg/tensor/arith code on the
/// storage types; plus the func/return/call signature conversions to those
/// types.
void populateMCQuantizedToLinalgConversionPatterns(
    const TypeConverter &typeConverter, RewritePatternSet &patterns);

/// Call after configureMCToLinalgConversionTarget: makes every mc op
/// illegal, quantized or not, except mc.requantize, and func ops legal once
/// their types are converted.
void configureMCQuantizedToLinalgConversionTarget(
    ConversionTarget &target, const TypeConverter &typeConverter);

/// Emits an error on each mc op whose lowering depends on signedness (div,
/// relu, clip, cast) and that sees an unsigned integer tensor, which the
/// lowering does not support; fails if there is one.
LogicalResult checkMCUnsignedOps(Operation *root);

//===----------------------------------------------------------------------===//
// mc.requantize (RequantizeToLinalg.cpp)
//===----------------------------------------------------------------------===//

/// Adds the pattern lowering `mc.requantize` in its integer form
/// (`multiplier`, `shift`) to a linalg.generic of integer arith ops
/// (RequantizeToLinalg.cpp; docs/Rationale/Requantization.md). Its result
/// type must convert to the tensor of the quantized type's storage type.
void populateRequantizeToLinalgConversionPatterns(
    const TypeConverter &typeConverter, RewritePatternSet &patterns);

/// Reports (as an error on the op) the first `mc.requantize` under `root`
/// that still has float scales, which only mc-fixed-point turns into the
/// integer form the lowering needs.
LogicalResult checkRequantizeInFixedPoint(Operation *root);

} // namespace mc
} // namespace mlir

#endif // MC_CONVERSION_MCTOLINALG_MCTOLINALG_H
