//===- QuantMath.h - Fixed-point requantization arithmetic ------*- C++ -*-===//
//
// Part of the mc project: an MLIR compiler for compressed neural networks.
//
//===----------------------------------------------------------------------===//
//
// The integer arithmetic behind mc.requantize, with no IR dependence: the
// encoding of a positive real scale S as an int32 multiplier M in
// [2^30, 2^31) and a shift n with S ~= M * 2^-n, and the reference
// evaluation of
//
//   y = clamp(floor(acc * M * 2^-n + 1/2) + zp, qmin, qmax)
//
// (round half up, one rounding) with 64-bit integer operations only and no
// undefined behaviour for any int32 input. docs/Rationale/Requantization.md
// states and justifies the rule; the MCToLinalg lowering emits the same
// operations.
//
//===----------------------------------------------------------------------===//

#ifndef MC_DIALECT_MC_UTILS_QUANTMATH_H
#define MC_DIALECT_MC_UTILS_QUANTMATH_H

#include <cstdint>

namespace mlir::mc {

/// Smallest and largest shifts an encoding may use (and mc.requantize's
/// verifier accepts). With M in [2^30, 2^31) they bound the scales that can
/// be encoded to [2^-33, 2^62).
constexpr int kMinRequantShift = -31;
constexpr int kMaxRequantShift = 63;

/// A scale S encoded as `multiplier * 2^-shift`.
struct FixedPointScale {
  /// In [2^30, 2^31).
  int32_t multiplier = 0;
  /// In [kMinRequantShift, kMaxRequantShift]; negative means a left shift.
  int shift = 0;
};

/// Why a scale has no encoding.
enum class ScaleError {
  None,
  /// NaN or +-infinity.
  NotFinite,
  /// Zero or negative (a requantization scale is a product and quotient of
  /// positive quantization scales).
  NotPositive,
  /// Below 2^-33 (after rounding the multiplier): it would need a shift
  /// above 63.
  TooSmall,
  /// 2^62 or above (after rounding): it would need a shift below -31.
  TooLarge,
};

/// Short English description of `error` ("is not finite", ...), for
/// diagnostics: "scale 1e-12 <description>".
const char *describeScaleError(ScaleError error);

/// Encodes `scale` as the nearest `M * 2^-n` with M in [2^30, 2^31):
/// `M = round(scale * 2^n)` (ties away from zero) for the unique n that puts
/// `scale * 2^n` in [2^30, 2^31); when that rounds up to 2^31 the encoding
/// is `(2^30, n - 1)`, which is the same value. The relative error
/// |M * 2^-n - scale| / scale is at most 2^-31.
///
/// Returns ScaleError::None and sets `result` on success; otherwise returns
/// the reason and leaves `result` untouched.
ScaleError quantizeMultiplier(double scale, FixedPointScale &result);

/// The exact value `M * 2^-n` of an encoding, as a double (exact: M has 31
/// significant bits).
double dequantizeMultiplier(FixedPointScale fp);

/// Reference evaluation of one requantized value:
///
///   y = clamp(floor(acc * M * 2^-n + 1/2) + zp, qmin, qmax)
///
/// computed as documented in docs/Rationale/Requantization.md:
///   p = acc * M                                     (exact in int64)
///   n >= 1: r = (p + 2^(n-1)) >> n                 (arithmetic shift)
///   n <= 0: r = clamp(p, -(2^62 >> -n), 2^62 >> -n) * 2^-n
///   y = clamp(r + zp, qmin, qmax)
/// The clamp in the n <= 0 case changes r only where |acc * M * 2^-n| >
/// 2^62, where both the clamped and the exact value saturate.
///
/// Preconditions (asserted): M in [2^30, 2^31), n in [-31, 63],
/// qmin <= qmax. `zp` need not lie in [qmin, qmax].
int32_t requantize(int32_t acc, FixedPointScale fp, int32_t zp, int32_t qmin,
                   int32_t qmax);

} // namespace mlir::mc

#endif // MC_DIALECT_MC_UTILS_QUANTMATH_H
