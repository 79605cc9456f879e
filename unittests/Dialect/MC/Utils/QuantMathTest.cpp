//===- QuantMathTest.cpp - Tests of the fixed-point requantization math ---===//
//
// Part of the mc project: an MLIR compiler for compressed neural networks.
//
//===----------------------------------------------------------------------===//
//
// quantizeMultiplier: hand-computed encodings, every error class, and the
// nearest-encoding property over random scales. requantize: bit-exact
// against an independent 128-bit formulation of
//   y = clamp(floor((2 * acc * M + 2^n) / 2^(n+1)) + zp, qmin, qmax)
// over millions of random inputs and every combination of extreme ones, and
// within 1 of round(acc * S) computed in double. The same file is built a
// second time with -fsanitize=undefined (MCQuantMathUBSanTests), so any
// signed overflow or out-of-range shift in QuantMath.cpp fails that binary.
//
//===----------------------------------------------------------------------===//

#include "mc/Dialect/MC/Utils/QuantMath.h"

#include "gtest/gtest.h"

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <limits>
#include <random>
#include <vector>

using namespace mlir::mc;

namespace {

constexpr int32_t kInt32Min = std::numeric_limits<int32_t>::min();
constexpr int32_t kInt32Max = std::numeric_limits<int32_t>::max();

/// Saturation ranges of the storage types a requantized result may have.
struct Range {
  int32_t qmin, qmax;
};
const Range kRanges[] = {
    {-128, 127}, {0, 255}, {-32768, 32767}, {kInt32Min, kInt32Max}};

//===----------------------------------------------------------------------===//
// Independent formulation: exact rational arithmetic in 128 bits
//===----------------------------------------------------------------------===//

using Int128 = __int128;

/// floor(a / b) for b > 0.
Int128 floorDiv(Int128 a, Int128 b) {
  Int128 q = a / b;
  if (a % b != 0 && a < 0)
    --q;
  return q;
}

/// floor(acc * M * 2^-n + 1/2) = floor((2 * acc * M + 2^n) / 2^(n+1)) for
/// n >= 0, and acc * M * 2^-n (an integer) for n < 0; |value| < 2^94.
Int128 exactRoundHalfUp(int32_t acc, int32_t m, int n) {
  Int128 p = Int128(acc) * m;
  if (n < 0)
    return p * (Int128(1) << -n);
  return floorDiv(2 * p + (Int128(1) << n), Int128(1) << (n + 1));
}

int32_t exactRequantize(int32_t acc, FixedPointScale fp, int32_t zp,
                        int32_t qmin, int32_t qmax) {
  Int128 y = exactRoundHalfUp(acc, fp.multiplier, fp.shift) + zp;
  if (y < qmin)
    return qmin;
  if (y > qmax)
    return qmax;
  return static_cast<int32_t>(y);
}

/// round(acc * S) in double (ties away from zero), then zp and saturation.
int64_t doubleRequantize(int32_t acc, double scale, int32_t zp, int32_t qmin,
                         int32_t qmax) {
  double y = std::round(static_cast<double>(acc) * scale) + zp;
  if (y < qmin)
    return qmin;
  if (y > qmax)
    return qmax;
  return static_cast<int64_t>(y);
}

/// Accumulators that stress the boundaries.
const int32_t kExtremeAccs[] = {kInt32Min,     kInt32Min + 1, -65536, -257,
                                -1,            0,             1,      255,
                                65536,         kInt32Max - 1, kInt32Max};

/// A random accumulator: uniform over int32 half the time, otherwise
/// log-uniform in magnitude (so that small products, which do not saturate,
/// are common).
int32_t randomAcc(std::mt19937_64 &rng) {
  if (rng() & 1)
    return static_cast<int32_t>(static_cast<uint32_t>(rng()));
  int bits = static_cast<int>(rng() % 32); // magnitude below 2^bits
  int64_t mag = static_cast<int64_t>(rng() % (uint64_t(1) << bits));
  return static_cast<int32_t>((rng() & 1) ? -mag : mag);
}

/// A scale log-uniform over [2^lo, 2^hi).
double randomScale(std::mt19937_64 &rng, double lo, double hi) {
  std::uniform_real_distribution<double> exponent(lo, hi);
  return std::exp2(exponent(rng));
}

//===----------------------------------------------------------------------===//
// quantizeMultiplier
//===----------------------------------------------------------------------===//

FixedPointScale encode(double scale) {
  FixedPointScale fp;
  ScaleError error = quantizeMultiplier(scale, fp);
  EXPECT_EQ(error, ScaleError::None) << "scale " << scale;
  return fp;
}

TEST(QuantizeMultiplier, HandComputed) {
  struct Case {
    double scale;
    int32_t multiplier;
    int shift;
  } cases[] = {
      {1.0, 1 << 30, 30},
      {0.5, 1 << 30, 31},
      {0.75, 1610612736, 31},       // 3 * 2^29
      {3.0, 1610612736, 29},
      {1.0 / 3.0, 1431655765, 32},  // 2^32 / 3 = 1431655765.33
      {0.1, 1717986918, 34},        // 0.1 * 2^34 = 1717986918.4
      {std::ldexp(1.0, -31), 1 << 30, 61},
      {std::ldexp(1.0, -33), 1 << 30, 63},
      {std::ldexp(1.0, 61), 1 << 30, -31},
      {std::ldexp(1.0, 8) - 0.5, 2143289344, 23}, // 255.5 * 2^23
      // 1 - 2^-40: M = round(2^31 - 2^-9) = 2^31, renormalized.
      {1.0 - std::ldexp(1.0, -40), 1 << 30, 30},
      // 1 + 2^-30 is exactly (2^30 + 1) * 2^-30.
      {1.0 + std::ldexp(1.0, -30), (1 << 30) + 1, 30},
      // Largest double below 2^-33 rounds up to 2^-33.
      {std::nextafter(std::ldexp(1.0, -33), 0.0), 1 << 30, 63},
      // Largest scale that has an encoding: (2^31 - 1) * 2^31.
      {std::ldexp(double(kInt32Max), 31), kInt32Max, -31},
  };
  for (const Case &c : cases) {
    FixedPointScale fp = encode(c.scale);
    EXPECT_EQ(fp.multiplier, c.multiplier) << "scale " << c.scale;
    EXPECT_EQ(fp.shift, c.shift) << "scale " << c.scale;
  }
}

TEST(QuantizeMultiplier, Errors) {
  struct Case {
    double scale;
    ScaleError error;
  } cases[] = {
      {std::numeric_limits<double>::quiet_NaN(), ScaleError::NotFinite},
      {std::numeric_limits<double>::infinity(), ScaleError::NotFinite},
      {-std::numeric_limits<double>::infinity(), ScaleError::NotFinite},
      {0.0, ScaleError::NotPositive},
      {-0.0, ScaleError::NotPositive},
      {-0.5, ScaleError::NotPositive},
      {std::numeric_limits<double>::denorm_min(), ScaleError::TooSmall},
      {std::ldexp(1.0, -34), ScaleError::TooSmall},
      // Just below the rounding boundary of 2^-33.
      {std::ldexp(1.0 - std::ldexp(1.0, -31), -33), ScaleError::TooSmall},
      {std::ldexp(1.0, 62), ScaleError::TooLarge},
      // Rounds up to 2^62.
      {std::nextafter(std::ldexp(1.0, 62), 0.0), ScaleError::TooLarge},
      {std::numeric_limits<double>::max(), ScaleError::TooLarge},
  };
  for (const Case &c : cases) {
    FixedPointScale fp{123, 7};
    EXPECT_EQ(quantizeMultiplier(c.scale, fp), c.error) << "scale " << c.scale;
    // The output is untouched on error.
    EXPECT_EQ(fp.multiplier, 123);
    EXPECT_EQ(fp.shift, 7);
  }
  EXPECT_STREQ(describeScaleError(ScaleError::NotPositive), "is not positive");
}

// Over the whole representable range, the encoding is normalized and is the
// nearest multiple of 2^-n: |M * 2^-n - S| <= 2^-n / 2, hence a relative
// error of at most 2^-31.
TEST(QuantizeMultiplier, NearestEncoding) {
  std::mt19937_64 rng(1);
  for (int i = 0; i < 1000000; ++i) {
    double scale = randomScale(rng, -33, 62);
    FixedPointScale fp = encode(scale);
    ASSERT_GE(fp.multiplier, 1 << 30);
    ASSERT_GE(fp.shift, kMinRequantShift);
    ASSERT_LE(fp.shift, kMaxRequantShift);
    // scale * 2^n and M differ by at most 1/2; both are exact in double.
    double scaled = std::ldexp(scale, fp.shift);
    ASSERT_LE(std::fabs(scaled - fp.multiplier), 0.5) << "scale " << scale;
    ASSERT_LE(std::fabs(dequantizeMultiplier(fp) - scale) / scale,
              std::ldexp(1.0, -31));
  }
}

//===----------------------------------------------------------------------===//
// requantize: bit-exact against the 128-bit formulation
//===----------------------------------------------------------------------===//

// Hand-checked values of the rule, ties included.
TEST(Requantize, HandComputed) {
  // S = 0.5: ties round up, in both signs.
  FixedPointScale half{1 << 30, 31};
  EXPECT_EQ(requantize(3, half, 0, -128, 127), 2);   // 1.5 -> 2
  EXPECT_EQ(requantize(-3, half, 0, -128, 127), -1); // -1.5 -> -1
  EXPECT_EQ(requantize(-5, half, 0, -128, 127), -2); // -2.5 -> -2
  EXPECT_EQ(requantize(5, half, 0, -128, 127), 3);   // 2.5 -> 3
  // Zero point added after rounding, then saturation.
  EXPECT_EQ(requantize(5, half, -128, -128, 127), -125);
  EXPECT_EQ(requantize(300, half, 0, -128, 127), 127);
  EXPECT_EQ(requantize(-300, half, 0, -128, 127), -128);
  EXPECT_EQ(requantize(-300, half, 128, 0, 255), 0);
  EXPECT_EQ(requantize(200, half, 128, 0, 255), 228);
  // S = 1: identity up to saturation.
  FixedPointScale one{1 << 30, 30};
  EXPECT_EQ(requantize(kInt32Max, one, 0, kInt32Min, kInt32Max), kInt32Max);
  EXPECT_EQ(requantize(kInt32Min, one, 0, kInt32Min, kInt32Max), kInt32Min);
  EXPECT_EQ(requantize(kInt32Min, one, kInt32Max, kInt32Min, kInt32Max), -1);
  // Smallest scale: |acc * 2^-33| <= 1/4 always rounds to 0.
  FixedPointScale tiny{1 << 30, 63};
  EXPECT_EQ(requantize(kInt32Min, tiny, 7, -128, 127), 7);
  EXPECT_EQ(requantize(kInt32Max, tiny, 7, -128, 127), 7);
  // Largest scale (left shift by 31): every non-zero accumulator saturates,
  // even against the widest zero point.
  FixedPointScale huge{kInt32Max, -31};
  EXPECT_EQ(requantize(1, huge, kInt32Min, kInt32Min, kInt32Max), kInt32Max);
  EXPECT_EQ(requantize(-1, huge, kInt32Max, kInt32Min, kInt32Max), kInt32Min);
  EXPECT_EQ(requantize(0, huge, 3, -128, 127), 3);
  // Shift 0: S = M.
  FixedPointScale whole{1 << 30, 0};
  EXPECT_EQ(requantize(-2, whole, kInt32Max, kInt32Min, kInt32Max), -1);
}

// Every combination of extreme accumulators, multipliers, all shifts, zero
// points and ranges.
TEST(Requantize, ExtremesBitExact) {
  const int32_t multipliers[] = {1 << 30, (1 << 30) + 1, kInt32Max - 1,
                                 kInt32Max};
  const int32_t zeroPoints[] = {kInt32Min, -128, -1, 0, 1, 127, 255, kInt32Max};
  int64_t checked = 0;
  for (int32_t acc : kExtremeAccs)
    for (int32_t m : multipliers)
      for (int n = kMinRequantShift; n <= kMaxRequantShift; ++n)
        for (int32_t zp : zeroPoints)
          for (Range r : kRanges) {
            FixedPointScale fp{m, n};
            ASSERT_EQ(requantize(acc, fp, zp, r.qmin, r.qmax),
                      exactRequantize(acc, fp, zp, r.qmin, r.qmax))
                << "acc " << acc << " M " << m << " n " << n << " zp " << zp
                << " range [" << r.qmin << ", " << r.qmax << "]";
            ++checked;
          }
  EXPECT_EQ(checked, 11 * 4 * 95 * 8 * 4);
}

// Random accumulators, multipliers, shifts and zero points.
TEST(Requantize, RandomBitExact) {
  std::mt19937_64 rng(2);
  std::uniform_int_distribution<int32_t> mult(1 << 30, kInt32Max);
  std::uniform_int_distribution<int> shift(kMinRequantShift, kMaxRequantShift);
  for (int i = 0; i < 4000000; ++i) {
    int32_t acc = randomAcc(rng);
    FixedPointScale fp{mult(rng), shift(rng)};
    const Range &r = kRanges[rng() % 4];
    // A zero point inside the range, or (rarely) anywhere in int32.
    int32_t zp = (i % 16 == 0)
                     ? static_cast<int32_t>(static_cast<uint32_t>(rng()))
                     : static_cast<int32_t>(
                           r.qmin + static_cast<int64_t>(
                                        rng() % (uint64_t(int64_t(r.qmax) -
                                                          r.qmin) +
                                                 1)));
    ASSERT_EQ(requantize(acc, fp, zp, r.qmin, r.qmax),
              exactRequantize(acc, fp, zp, r.qmin, r.qmax))
        << "acc " << acc << " M " << fp.multiplier << " n " << fp.shift
        << " zp " << zp;
  }
}

//===----------------------------------------------------------------------===//
// requantize against round(acc * S) in double
//===----------------------------------------------------------------------===//

/// Checks |requantize(acc, encode(S)) - clamp(round(acc * S) + zp)| <= 1 for
/// 8- and 16-bit ranges, and for the int32 range where |acc * S| <= 2^30 (the
/// encoding's relative error of 2^-31 moves larger products by up to 1, and
/// the rounding by up to 1 more). Returns the absolute difference.
int64_t checkAgainstDouble(int32_t acc, double scale, int32_t zp,
                           const Range &r) {
  FixedPointScale fp = encode(scale);
  int64_t fixed = requantize(acc, fp, zp, r.qmin, r.qmax);
  int64_t real = doubleRequantize(acc, scale, zp, r.qmin, r.qmax);
  int64_t diff = fixed > real ? fixed - real : real - fixed;
  bool wide = r.qmax == kInt32Max;
  if (!wide || std::fabs(static_cast<double>(acc) * scale) <= 0x1p30)
    EXPECT_LE(diff, 1) << "acc " << acc << " scale " << scale << " zp " << zp
                       << " range [" << r.qmin << ", " << r.qmax << "]";
  else
    EXPECT_LE(diff, 2) << "acc " << acc << " scale " << scale;
  return diff;
}

TEST(Requantize, WithinOneOfDouble) {
  std::mt19937_64 rng(3);
  int64_t differ = 0, maxDiff = 0;
  const int total = 4000000;
  for (int i = 0; i < total; ++i) {
    int32_t acc = randomAcc(rng);
    double scale = randomScale(rng, -31, 8);
    const Range &r = kRanges[rng() % 4];
    int32_t zp = r.qmax == 255 ? 128 : (r.qmin == -128 ? -3 : 0);
    int64_t diff = checkAgainstDouble(acc, scale, zp, r);
    differ += diff != 0;
    maxDiff = std::max(maxDiff, diff);
    if (HasFailure())
      return;
  }
  std::printf("requantize vs round(acc*S) in double: %lld of %d differ, "
              "by at most %lld\n",
              static_cast<long long>(differ), total,
              static_cast<long long>(maxDiff));
}

// Scales at the ends of the range and around 1, against the extreme
// accumulators and random ones.
TEST(Requantize, SpecialScalesWithinOneOfDouble) {
  std::vector<double> scales = {
      std::ldexp(1.0, -33),
      std::ldexp(1.0, -31),
      std::nextafter(std::ldexp(1.0, -31), 0.0),
      std::nextafter(std::ldexp(1.0, -31), 1.0),
      std::ldexp(1.0, -31) * 1.5,
      1.0 - std::ldexp(1.0, -40),
      1.0 - std::ldexp(1.0, -20),
      std::nextafter(1.0, 0.0),
      1.0,
      std::nextafter(1.0, 2.0),
      1.0 + std::ldexp(1.0, -20),
      1.5,
      2.0,
      255.5,
      256.0,
      std::ldexp(1.0, 20) + 0.25,
      std::ldexp(1.0, 31),
      std::ldexp(1.0, 40),
      std::ldexp(1.9, 61),
  };
  std::mt19937_64 rng(4);
  for (double scale : scales)
    for (const Range &r : kRanges)
      for (int32_t zp : {r.qmin, int32_t(0), r.qmax}) {
        if (zp < r.qmin || zp > r.qmax)
          continue;
        for (int32_t acc : kExtremeAccs)
          checkAgainstDouble(acc, scale, zp, r);
        for (int i = 0; i < 2000; ++i)
          checkAgainstDouble(randomAcc(rng), scale, zp, r);
        if (HasFailure())
          return;
      }
}

//===----------------------------------------------------------------------===//
// Comparison with the two-rounding scheme of gemmlowp / TFLite
//===----------------------------------------------------------------------===//

/// gemmlowp's scheme for S < 1 written from its definition: a rounding
/// (ties away from zero) "doubling high multiply" by M (acc * M / 2^31),
/// then a rounding (ties away from zero) division by 2^(n - 31).
int64_t twoRoundings(int32_t acc, FixedPointScale fp) {
  int64_t p = static_cast<int64_t>(acc) * fp.multiplier;
  int64_t nudge = p >= 0 ? (int64_t(1) << 30) : 1 - (int64_t(1) << 30);
  int64_t high = (p + nudge) / (int64_t(1) << 31); // truncating division
  int e = fp.shift - 31;
  int64_t mask = (int64_t(1) << e) - 1;
  int64_t rem = high & mask;
  int64_t threshold = (mask >> 1) + (high < 0 ? 1 : 0);
  return (high >> e) + (rem > threshold ? 1 : 0);
}

// The measurement quoted in docs/Rationale/Requantization.md: how often the
// two roundings land one away from the single rounding of the exact
// product, for S log-uniform in [2^-31, 2^-1) and accumulators whose
// products are within the int8 range. Never more than one away.
TEST(Requantize, TwoRoundingSchemeDiffersByAtMostOne) {
  std::mt19937_64 rng(5);
  int64_t differ = 0, differAway = 0, total = 0;
  while (total < 4000000) {
    double scale = randomScale(rng, -31, -1);
    FixedPointScale fp = encode(scale);
    if (fp.shift < 32 || fp.shift > 62)
      continue;
    // acc uniform over the accumulators whose scaled value is in
    // [-128, 128].
    double limit = std::min(128.0 / scale, 2147483647.0);
    std::uniform_int_distribution<int64_t> accs(-static_cast<int64_t>(limit),
                                                static_cast<int64_t>(limit));
    int32_t acc = static_cast<int32_t>(accs(rng));
    int64_t single = requantize(acc, fp, 0, kInt32Min, kInt32Max);
    int64_t two = twoRoundings(acc, fp);
    ASSERT_LE(std::llabs(single - two), 1) << "acc " << acc << " n " << fp.shift;
    differ += single != two;
    // The same single rounding with gemmlowp's tie rule (half away from
    // zero): what is left is due to rounding twice.
    Int128 p = Int128(acc) * fp.multiplier;
    Int128 magnitude = ((p < 0 ? -p : p) + (Int128(1) << (fp.shift - 1))) >>
                       fp.shift;
    int64_t away = static_cast<int64_t>(p < 0 ? -magnitude : magnitude);
    differAway += away != two;
    ++total;
  }
  std::printf("two roundings vs one (half up): %lld of %lld differ (%.4f%%)\n"
              "two roundings vs one (half away from zero): %lld differ "
              "(%.4f%%)\n",
              static_cast<long long>(differ), static_cast<long long>(total),
              100.0 * differ / total, static_cast<long long>(differAway),
              100.0 * differAway / total);
}

} // namespace
