//===- RequantizeToLinalg.cpp - mc.requantize to integer linalg -----------===//
//
// Part of the mc project: an MLIR compiler for compressed neural networks.
//
//===----------------------------------------------------------------------===//
//
// Lowers mc.requantize in its integer form (`multiplier`, `shift`, as
// mc-fixed-point leaves it) to one elementwise linalg.generic of integer
// arith ops. Per element, with M, n from the element's channel:
//
//   p = extsi(acc) * M                      i64, exact: |p| < 2^62
//   q = clamp(p, -B, B) << k                k = max(-n, 0), B = 2^62 >> k
//   r = (q + H) >>s s                       s = max(n, 0), H = s ? 2^(s-1) : 0
//   y = trunci(clamp(r + zp, qmin, qmax))   to the storage type
//
// which is, for every int32 acc, floor(acc * M * 2^-n + 1/2) + zp saturated
// to the storage range (docs/Rationale/Requantization.md; QuantMath.h holds
// the reference the integration tests compare with). For n >= 1 the clamp
// and the left shift are no-ops (k = 0, |p| < B = 2^62) and the rounding
// add cannot overflow (p + 2^62 < 2^63); for n <= 0, H = s = 0 and the
// clamp only moves products that saturate anyway. Steps that are no-ops for
// every channel are not emitted, so the usual case (all n >= 1) is a
// multiply, an add, a shift and the saturation.
//
//===----------------------------------------------------------------------===//

#include "mc/Conversion/MCToLinalg/MCToLinalg.h"
#include "mc/Dialect/MC/IR/MCOps.h"
#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/Linalg/IR/Linalg.h"
#include "mlir/Dialect/Quant/IR/QuantTypes.h"
#include "mlir/Dialect/Tensor/IR/Tensor.h"
#include "mlir/IR/AffineMap.h"
#include "mlir/Transforms/DialectConversion.h"

using namespace mlir;
using namespace mlir::mc;

namespace {

/// The per-channel constants of the lowered arithmetic (see the file
/// comment), one entry per channel.
struct ChannelParams {
  SmallVector<int64_t> multiplier, bound, leftShift, half, rightShift;

  explicit ChannelParams(ArrayRef<int32_t> multipliers,
                         ArrayRef<int8_t> shifts) {
    for (auto [m, n] : llvm::zip_equal(multipliers, shifts)) {
      int64_t k = n < 0 ? -int64_t(n) : 0;
      int64_t s = n > 0 ? int64_t(n) : 0;
      multiplier.push_back(m);
      leftShift.push_back(k);
      bound.push_back((int64_t(1) << 62) >> k);
      rightShift.push_back(s);
      half.push_back(s ? int64_t(1) << (s - 1) : 0);
    }
  }

  /// Whether any channel shifts left (n < 0): the clamp and the left shift
  /// are needed. n == 0 needs neither step.
  bool anyLeft() const {
    return llvm::any_of(leftShift, [](int64_t k) { return k != 0; });
  }
  /// Whether any channel shifts right (n > 0).
  bool anyRight() const {
    return llvm::any_of(rightShift, [](int64_t s) { return s != 0; });
  }
};

struct RequantizeOpLowering : OpConversionPattern<RequantizeOp> {
  using OpConversionPattern::OpConversionPattern;

  LogicalResult
  matchAndRewrite(RequantizeOp op, OpAdaptor adaptor,
                  ConversionPatternRewriter &rewriter) const override {
    if (!op.getMultiplier() || !op.getShift())
      return rewriter.notifyMatchFailure(
          op, "float scales: mc-fixed-point must run first");
    auto resultType = cast<RankedTensorType>(op.getType());
    auto quantType =
        dyn_cast<quant::UniformQuantizedType>(resultType.getElementType());
    if (!quantType)
      return rewriter.notifyMatchFailure(op, "result not quantized per tensor");
    auto outType = dyn_cast_or_null<RankedTensorType>(
        getTypeConverter()->convertType(resultType));
    if (!outType || outType.getElementType() != quantType.getStorageType())
      return rewriter.notifyMatchFailure(
          op, "type converter does not map the result to its storage type");

    Location loc = op.getLoc();
    Value input = adaptor.getInput();
    auto inputType = cast<RankedTensorType>(input.getType());
    int64_t rank = inputType.getRank();
    Type i64 = rewriter.getI64Type();
    Type storage = quantType.getStorageType();
    int64_t zeroPoint = quantType.getZeroPoint();
    int64_t qmin = quantType.getStorageTypeMin();
    int64_t qmax = quantType.getStorageTypeMax();

    // Bind the arrays: they are references into the attributes.
    ArrayRef<int32_t> multipliers = *op.getMultiplier();
    ArrayRef<int8_t> shifts = *op.getShift();
    ChannelParams params(multipliers, shifts);
    bool left = params.anyLeft(), right = params.anyRight();
    // One channel (no axis, or an axis of size 1) is per tensor.
    bool perChannel = op.getAxis() && multipliers.size() > 1;
    int64_t axis = op.getAxis().value_or(0);

    // Per-channel constants are 1-D tensors read through the channel map;
    // per-tensor ones are scalar constants in the body.
    MLIRContext *ctx = rewriter.getContext();
    AffineMap identity = rewriter.getMultiDimIdentityMap(rank);
    SmallVector<Value> inputs{input};
    SmallVector<AffineMap> maps{identity};
    auto addChannelTensor = [&](ArrayRef<int64_t> values, Type element) {
      auto type = RankedTensorType::get({(int64_t)values.size()}, element);
      SmallVector<APInt> bits = llvm::map_to_vector(values, [&](int64_t v) {
        return APInt(element.getIntOrFloatBitWidth(), v, /*isSigned=*/true);
      });
      inputs.push_back(arith::ConstantOp::create(
          rewriter, loc, DenseIntElementsAttr::get(type, bits)));
      maps.push_back(
          AffineMap::get(rank, 0, getAffineDimExpr(axis, ctx), ctx));
    };
    // Operand positions in the body's block arguments (0 is acc).
    enum Param { Multiplier, Bound, LeftShift, Half, RightShift, NumParams };
    int position[NumParams] = {0, 0, 0, 0, 0};
    // The multipliers are i32 (extended in the body: LLVM then multiplies
    // 32 x 32 -> 64 bits, vpmuldq on x86, instead of a full 64-bit
    // product); the other constants need i64.
    Type i32 = rewriter.getI32Type();
    auto use = [&](Param which, ArrayRef<int64_t> values) {
      if (!perChannel)
        return;
      position[which] = inputs.size();
      addChannelTensor(values, which == Multiplier ? i32 : i64);
    };
    use(Multiplier, params.multiplier);
    if (left) {
      use(Bound, params.bound);
      use(LeftShift, params.leftShift);
    }
    if (right) {
      use(Half, params.half);
      use(RightShift, params.rightShift);
    }

    // The result: same shape as the input, storage element type.
    SmallVector<Value> dynamicSizes;
    for (int64_t i = 0; i < rank; ++i)
      if (inputType.isDynamicDim(i))
        dynamicSizes.push_back(tensor::DimOp::create(rewriter, loc, input, i));
    Value init = tensor::EmptyOp::create(rewriter, loc, inputType.getShape(),
                                         storage, dynamicSizes);
    maps.push_back(identity);
    SmallVector<utils::IteratorType> iterators(rank,
                                               utils::IteratorType::parallel);

    auto generic = linalg::GenericOp::create(
        rewriter, loc, TypeRange{outType}, inputs, ValueRange{init}, maps,
        iterators, [&](OpBuilder &b, Location l, ValueRange args) {
          auto constant = [&](int64_t v) -> Value {
            return arith::ConstantOp::create(b, l, b.getI64IntegerAttr(v));
          };
          // The value of a parameter: a block argument per channel, a
          // constant per tensor.
          auto param = [&](Param which, ArrayRef<int64_t> values) -> Value {
            return perChannel ? args[position[which]] : constant(values[0]);
          };
          Value acc = arith::ExtSIOp::create(b, l, i64, args[0]);
          Value multiplier =
              perChannel
                  ? Value(arith::ExtSIOp::create(b, l, i64,
                                                 args[position[Multiplier]]))
                  : constant(params.multiplier[0]);
          Value value = arith::MulIOp::create(b, l, acc, multiplier);
          if (left) {
            Value bound = param(Bound, params.bound);
            Value negBound = arith::SubIOp::create(b, l, constant(0), bound);
            value = arith::MaxSIOp::create(b, l, value, negBound);
            value = arith::MinSIOp::create(b, l, value, bound);
            value = arith::ShLIOp::create(
                b, l, value, param(LeftShift, params.leftShift));
          }
          if (right) {
            value = arith::AddIOp::create(b, l, value,
                                          param(Half, params.half));
            value = arith::ShRSIOp::create(
                b, l, value, param(RightShift, params.rightShift));
          }
          value = arith::AddIOp::create(b, l, value, constant(zeroPoint));
          value = arith::MaxSIOp::create(b, l, value, constant(qmin));
          value = arith::MinSIOp::create(b, l, value, constant(qmax));
          value = arith::TruncIOp::create(b, l, storage, value);
          linalg::YieldOp::create(b, l, value);
        });
    rewriter.replaceOp(op, generic.getResults());
    return success();
  }
};

} // namespace

void mlir::mc::populateRequantizeToLinalgConversionPatterns(
    const TypeConverter &typeConverter, RewritePatternSet &patterns) {
  patterns.add<RequantizeOpLowering>(typeConverter, patterns.getContext());
}

LogicalResult mlir::mc::checkRequantizeInFixedPoint(Operation *root) {
  WalkResult result = root->walk([](RequantizeOp op) {
    if (op.getMultiplier())
      return WalkResult::advance();
    op.emitOpError("still has float `scale`s; run mc-fixed-point first to "
                   "turn them into `multiplier` and `shift`");
    return WalkResult::interrupt();
  });
  return failure(result.wasInterrupted());
}
