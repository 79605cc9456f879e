//===- QuantMath.cpp - Fixed-point requantization arithmetic --------------===//
//
// Part of the mc project: an MLIR compiler for compressed neural networks.
//
//===----------------------------------------------------------------------===//
//
// Scale encoding and the reference integer requantization. Every operation
// here is defined for every int32 input: products are formed in int64 where
// they cannot overflow, shifts stay below 64, and left shifts are
// multiplications by a power of two of values bounded beforehand.
//
//===----------------------------------------------------------------------===//

#include "mc/Dialect/MC/Utils/QuantMath.h"

#include <cassert>
#include <cmath>

using namespace mlir::mc;

const char *mlir::mc::describeScaleError(ScaleError error) {
  switch (error) {
  case ScaleError::None:
    return "is representable";
  case ScaleError::NotFinite:
    return "is not finite";
  case ScaleError::NotPositive:
    return "is not positive";
  case ScaleError::TooSmall:
    return "is below 2^-33, the smallest scale a multiplier in [2^30, 2^31) "
           "with a shift of at most 63 represents";
  case ScaleError::TooLarge:
    return "is 2^62 or above, the largest scale a multiplier in [2^30, 2^31) "
           "with a shift of at least -31 represents";
  }
  return "is invalid";
}

ScaleError mlir::mc::quantizeMultiplier(double scale,
                                        FixedPointScale &result) {
  if (!std::isfinite(scale))
    return ScaleError::NotFinite;
  if (!(scale > 0))
    return ScaleError::NotPositive;
  // scale = m * 2^e with m in [0.5, 1); m * 2^31 is in [2^30, 2^31) and
  // exact (a change of exponent), so scale * 2^n with n = 31 - e is too.
  int e = 0;
  double m = std::frexp(scale, &e);
  long long mult = std::llround(std::ldexp(m, 31));
  // Computed in long long: e is in [-1073, 1024] for finite doubles.
  long long shift = 31LL - e;
  if (mult == (1LL << 31)) {
    // m rounded up to 1: 2^31 * 2^-n == 2^30 * 2^-(n-1).
    mult = 1LL << 30;
    --shift;
  }
  if (shift > kMaxRequantShift)
    return ScaleError::TooSmall;
  if (shift < kMinRequantShift)
    return ScaleError::TooLarge;
  result.multiplier = static_cast<int32_t>(mult);
  result.shift = static_cast<int>(shift);
  return ScaleError::None;
}

double mlir::mc::dequantizeMultiplier(FixedPointScale fp) {
  return std::ldexp(static_cast<double>(fp.multiplier), -fp.shift);
}

int32_t mlir::mc::requantize(int32_t acc, FixedPointScale fp, int32_t zp,
                             int32_t qmin, int32_t qmax) {
  assert(fp.multiplier >= (int32_t(1) << 30) && "multiplier not normalized");
  assert(fp.shift >= kMinRequantShift && fp.shift <= kMaxRequantShift &&
         "shift out of range");
  assert(qmin <= qmax && "empty saturation range");
  // |acc * M| <= 2^31 * (2^31 - 1) < 2^62.
  int64_t p = static_cast<int64_t>(acc) * fp.multiplier;
  int64_t r;
  if (fp.shift >= 1) {
    // Round half up: add one half of the last kept bit, then floor. With
    // n <= 63 the addend is at most 2^62 and p + 2^62 < 2^63. `>>` on a
    // negative int64 is an arithmetic shift (implementation-defined before
    // C++20, arithmetic on every compiler mc supports, and what the
    // generated arith.shrsi does).
    int64_t half = int64_t(1) << (fp.shift - 1);
    r = (p + half) >> fp.shift;
  } else {
    // A left shift by k = -n <= 31: exact where |p| <= 2^62 / 2^k. Beyond
    // that the exact |r| exceeds 2^62 and any clamp to int32 saturates, so
    // p is first bounded and the result lands on exactly +-2^62.
    int k = -fp.shift;
    int64_t bound = (int64_t(1) << 62) >> k;
    int64_t bounded = p < -bound ? -bound : (p > bound ? bound : p);
    r = bounded * (int64_t(1) << k);
  }
  // |r| <= 2^62 and |zp| <= 2^31: the sum fits.
  int64_t y = r + zp;
  if (y < qmin)
    return qmin;
  if (y > qmax)
    return qmax;
  return static_cast<int32_t>(y);
}
