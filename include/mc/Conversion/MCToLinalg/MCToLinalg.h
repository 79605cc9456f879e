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

namespace mlir {
class ConversionTarget;
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

} // namespace mc
} // namespace mlir

#endif // MC_CONVERSION_MCTOLINALG_MCTOLINALG_H
