//===- QuantizedToLinalg.cpp - Lowering of quantized mc ops ---------------===//
//
// Part of the mc project: an MLIR compiler for compressed neural networks.
//
//===----------------------------------------------------------------------===//
//
// Conversion patterns from the quantized ops of the mc dialect (mc.quantize,
// mc.dequantize, mc.storage_cast, mc.qlinear, mc.qconv2d, mc.qmatmul, and
// mc.max_pool2d / mc.constant on quantized or unsigned tensors) to linalg,
// tensor, arith and math on the integer storage of the values.
//
// Storage: a tensor of `!quant.uniform<i8:...>` or `<u8:...>` becomes a
// tensor of signless i8 holding the same bits, and a `ui8` tensor (an ONNX
// uint8 model input or output) becomes signless i8 too. Signedness is read
// from the original (quantized) types, never from the converted ones: every
// widening of a stored value is `arith.extsi` for signed and `arith.extui`
// for unsigned storage.
//
// Numeric rules (test/Integration/CPU/quantized-*.test check them exactly
// against NumPy int64 references):
// - products widen both operands to i32 and subtract the zero points in
//   i32 before multiplying, so `(x - zx) * (w - zw)` is exact; a zero point
//   of 0 is not subtracted; sums accumulate in i32 (wrapping, as ONNX's
//   int32 accumulators);
// - convolutions pad the input with its own zero point, so that a padded
//   element contributes exactly 0;
// - quantize computes round_half_even(x / scale) + zero_point in f32 (f64
//   for f64 inputs) and saturates to the storage range of the type (NaN
//   gives the minimum);
// - dequantize computes (q - zero_point) in i32 (i64 for 32-bit storage),
//   converts it to float exactly and multiplies by the scale;
// - max pooling compares the stored integers (signed or unsigned), exact
//   because quantization is monotonic; padding uses the smallest storage
//   value, so it never wins.
//
//===----------------------------------------------------------------------===//

#include "mc/Conversion/MCToLinalg/MCToLinalg.h"
#include "mc/Dialect/MC/IR/MCOps.h"

#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/Arith/Utils/Utils.h"
#include "mlir/Dialect/Func/IR/FuncOps.h"
#include "mlir/Dialect/Func/Transforms/FuncConversions.h"
#include "mlir/Dialect/Linalg/IR/Linalg.h"
#include "mlir/Dialect/Math/IR/Math.h"
#include "mlir/Dialect/Quant/IR/QuantTypes.h"
#include "mlir/Dialect/Tensor/IR/Tensor.h"
#include "mlir/IR/AffineMap.h"
#include "mlir/IR/BuiltinAttributes.h"
#include "mlir/IR/DialectResourceBlobManager.h"
#include "mlir/Transforms/DialectConversion.h"
#include "llvm/ADT/STLExtras.h"

using namespace mlir;
using namespace mlir::mc;

namespace {

using BodyFn = function_ref<Value(OpBuilder &, Location, ValueRange)>;

//===----------------------------------------------------------------------===//
// Helpers
//===----------------------------------------------------------------------===//

RankedTensorType tensorType(Value v) {
  return cast<RankedTensorType>(v.getType());
}

/// The quantized element type of a tensor type, or null.
quant::QuantizedType quantElement(Type type) {
  auto shaped = dyn_cast<ShapedType>(type);
  return shaped ? dyn_cast<quant::QuantizedType>(shaped.getElementType())
                : quant::QuantizedType();
}

/// Scales and zero points of a per-tensor or per-axis `!quant.uniform`
/// type. Per tensor, `scales` and `zeroPoints` have one entry and `axis` is
/// empty.
struct QuantParams {
  bool isSigned = true;
  unsigned width = 8;
  int64_t storageMin = 0, storageMax = 0;
  SmallVector<double> scales;
  SmallVector<int64_t> zeroPoints;
  std::optional<int64_t> axis;

  bool allZeroPointsZero() const {
    return llvm::all_of(zeroPoints, [](int64_t z) { return z == 0; });
  }
  /// The zero point shared by every channel, if there is one.
  std::optional<int64_t> uniformZeroPoint() const {
    if (llvm::all_equal(zeroPoints))
      return zeroPoints.front();
    return std::nullopt;
  }
};

FailureOr<QuantParams> getQuantParams(quant::QuantizedType q) {
  QuantParams p;
  p.isSigned = q.isSigned();
  p.width = q.getStorageTypeIntegralWidth();
  p.storageMin = q.getStorageTypeMin();
  p.storageMax = q.getStorageTypeMax();
  if (auto t = dyn_cast<quant::UniformQuantizedType>(q)) {
    p.scales.push_back(t.getScale());
    p.zeroPoints.push_back(t.getZeroPoint());
    return p;
  }
  if (auto t = dyn_cast<quant::UniformQuantizedPerAxisType>(q)) {
    llvm::append_range(p.scales, t.getScales());
    llvm::append_range(p.zeroPoints, t.getZeroPoints());
    p.axis = t.getQuantizedDimension();
    return p;
  }
  return failure();
}

Value intConst(OpBuilder &b, Location loc, Type type, int64_t value) {
  return arith::ConstantOp::create(b, loc, b.getIntegerAttr(type, value));
}

Value floatConst(OpBuilder &b, Location loc, Type type, double value) {
  return arith::ConstantOp::create(b, loc, b.getFloatAttr(type, value));
}

/// Widens a stored integer to `to` with the signedness of its storage.
Value widen(OpBuilder &b, Location loc, Value v, Type to, bool isSigned) {
  if (v.getType() == to)
    return v;
  if (isSigned)
    return arith::ExtSIOp::create(b, loc, to, v);
  return arith::ExtUIOp::create(b, loc, to, v);
}

/// A tensor.empty of `type`; dynamic dimensions take their sizes from
/// `sizes` (one entry per dimension).
Value createEmpty(OpBuilder &b, Location loc, RankedTensorType type,
                  ArrayRef<OpFoldResult> sizes) {
  SmallVector<Value> dynamicSizes;
  for (auto [i, dim] : llvm::enumerate(type.getShape()))
    if (ShapedType::isDynamic(dim))
      dynamicSizes.push_back(getValueOrCreateConstantIndexOp(b, loc, sizes[i]));
  return tensor::EmptyOp::create(b, loc, type.getShape(), type.getElementType(),
                                 dynamicSizes);
}

Value createFilled(OpBuilder &b, Location loc, RankedTensorType type,
                   ArrayRef<OpFoldResult> sizes, Value scalar) {
  Value empty = createEmpty(b, loc, type, sizes);
  return linalg::FillOp::create(b, loc, ValueRange{scalar}, ValueRange{empty})
      .getResult(0);
}

/// A linalg.generic with one output `init`; `body` receives the block
/// arguments (inputs, then the output) and returns the value to yield.
Value buildGeneric(OpBuilder &b, Location loc, ValueRange inputs,
                   ArrayRef<AffineMap> inputMaps, Value init,
                   AffineMap outputMap, ArrayRef<utils::IteratorType> iterators,
                   BodyFn body) {
  SmallVector<AffineMap> maps(inputMaps);
  maps.push_back(outputMap);
  auto generic = linalg::GenericOp::create(
      b, loc, TypeRange{init.getType()}, inputs, ValueRange{init}, maps,
      iterators, [&](OpBuilder &nb, Location nl, ValueRange args) {
        linalg::YieldOp::create(nb, nl, body(nb, nl, args));
      });
  return generic.getResult(0);
}

/// A 1-D (or `shape`d) dense constant of i32 values.
Value i32TensorConst(OpBuilder &b, Location loc, ArrayRef<int64_t> shape,
                     ArrayRef<int64_t> values) {
  auto type = RankedTensorType::get(shape, b.getI32Type());
  SmallVector<int32_t> v = llvm::map_to_vector(
      values, [](int64_t x) { return static_cast<int32_t>(x); });
  return arith::ConstantOp::create(
      b, loc, DenseElementsAttr::get(type, ArrayRef<int32_t>(v)));
}

/// Pads dimensions 2 and 3 (H and W) of an NCHW tensor with `value`.
Value padSpatial(OpBuilder &b, Location loc, Value input, int64_t top,
                 int64_t left, int64_t bottom, int64_t right, Value value) {
  if (top == 0 && left == 0 && bottom == 0 && right == 0)
    return input;
  auto type = tensorType(input);
  SmallVector<int64_t> shape(type.getShape());
  if (!ShapedType::isDynamic(shape[2]))
    shape[2] += top + bottom;
  if (!ShapedType::isDynamic(shape[3]))
    shape[3] += left + right;
  SmallVector<OpFoldResult> low = {b.getIndexAttr(0), b.getIndexAttr(0),
                                   b.getIndexAttr(top), b.getIndexAttr(left)};
  SmallVector<OpFoldResult> high = {b.getIndexAttr(0), b.getIndexAttr(0),
                                    b.getIndexAttr(bottom),
                                    b.getIndexAttr(right)};
  return tensor::PadOp::create(
      b, loc, RankedTensorType::get(shape, type.getElementType()), input, low,
      high, value);
}

/// `(x - zp)` in i32 for a stored value `x`, where `zp` is either a
/// constant (`zpConst`, skipped when 0) or a block argument (`zpArg`).
Value centered(OpBuilder &b, Location loc, Value x, bool isSigned,
               std::optional<int64_t> zpConst, Value zpArg) {
  Type i32 = b.getI32Type();
  Value wide = widen(b, loc, x, i32, isSigned);
  if (zpArg)
    return arith::SubIOp::create(b, loc, wide, zpArg);
  if (zpConst && *zpConst != 0)
    return arith::SubIOp::create(b, loc, wide, intConst(b, loc, i32, *zpConst));
  return wide;
}

/// Operands are quantized with at most 32-bit storage that fits i32 math.
LogicalResult checkProductOperand(Operation *op, const QuantParams &p,
                                  ConversionPatternRewriter &rewriter) {
  if (p.width > 16)
    return rewriter.notifyMatchFailure(
        op, "products of more than 16-bit storage do not fit i32");
  return success();
}

//===----------------------------------------------------------------------===//
// Pattern base
//===----------------------------------------------------------------------===//

template <typename OpTy>
struct QuantPattern : OpConversionPattern<OpTy> {
  using OpConversionPattern<OpTy>::OpConversionPattern;

protected:
  RankedTensorType getResultType(OpTy op) const {
    return dyn_cast_or_null<RankedTensorType>(
        this->getTypeConverter()->convertType(op->getResult(0).getType()));
  }
};

//===----------------------------------------------------------------------===//
// mc.quantize / mc.dequantize / mc.storage_cast
//===----------------------------------------------------------------------===//

/// The float type the (de)quantization arithmetic runs in: f32, or f64 for
/// f64 tensors.
Type computeFloatType(OpBuilder &b, Type element) {
  return element.isF64() ? Type(b.getF64Type()) : Type(b.getF32Type());
}

/// Converts `v` between float types (extension or truncation).
Value convertFloat(OpBuilder &b, Location loc, Value v, Type to) {
  unsigned from = v.getType().getIntOrFloatBitWidth();
  unsigned width = to.getIntOrFloatBitWidth();
  if (v.getType() == to)
    return v;
  if (from < width)
    return arith::ExtFOp::create(b, loc, to, v);
  return arith::TruncFOp::create(b, loc, to, v);
}

/// Identity map plus, for per-axis parameters, the map to the axis.
AffineMap axisMap(int64_t rank, int64_t axis, MLIRContext *ctx) {
  return AffineMap::get(rank, 0, getAffineDimExpr(axis, ctx));
}

struct QuantizeOpLowering : QuantPattern<QuantizeOp> {
  using QuantPattern::QuantPattern;

  LogicalResult
  matchAndRewrite(QuantizeOp op, OpAdaptor adaptor,
                  ConversionPatternRewriter &rewriter) const override {
    Location loc = op.getLoc();
    RankedTensorType resultType = getResultType(op);
    FailureOr<QuantParams> params =
        getQuantParams(quantElement(op.getResult().getType()));
    if (!resultType || failed(params))
      return rewriter.notifyMatchFailure(op, "unsupported quantized type");
    QuantParams &p = *params;
    Value input = adaptor.getInput();
    auto inType = tensorType(input);
    int64_t rank = inType.getRank();
    Type ct = computeFloatType(rewriter, inType.getElementType());
    Type storage = resultType.getElementType();
    MLIRContext *ctx = rewriter.getContext();
    AffineMap identity = AffineMap::getMultiDimIdentityMap(rank, ctx);

    SmallVector<Value> inputs = {input};
    SmallVector<AffineMap> maps = {identity};
    if (p.axis) {
      auto paramType = RankedTensorType::get(
          {static_cast<int64_t>(p.scales.size())}, ct);
      SmallVector<Attribute> scales, zps;
      for (auto [s, z] : llvm::zip(p.scales, p.zeroPoints)) {
        scales.push_back(rewriter.getFloatAttr(ct, s));
        zps.push_back(rewriter.getFloatAttr(ct, static_cast<double>(z)));
      }
      inputs.push_back(arith::ConstantOp::create(
          rewriter, loc, DenseElementsAttr::get(paramType, scales)));
      inputs.push_back(arith::ConstantOp::create(
          rewriter, loc, DenseElementsAttr::get(paramType, zps)));
      maps.append(2, axisMap(rank, *p.axis, ctx));
    }
    Value empty = createEmpty(rewriter, loc, resultType,
                              tensor::getMixedSizes(rewriter, loc, input));
    Value result = buildGeneric(
        rewriter, loc, inputs, maps, empty, identity,
        SmallVector<utils::IteratorType>(rank, utils::IteratorType::parallel),
        [&](OpBuilder &b, Location l, ValueRange args) -> Value {
          Value x = convertFloat(b, l, args[0], ct);
          Value scale = p.axis ? args[1] : floatConst(b, l, ct, p.scales[0]);
          Value q = math::RoundEvenOp::create(
              b, l, arith::DivFOp::create(b, l, x, scale));
          if (p.axis)
            q = arith::AddFOp::create(b, l, q, args[2]);
          else if (p.zeroPoints[0] != 0)
            q = arith::AddFOp::create(
                b, l, q,
                floatConst(b, l, ct, static_cast<double>(p.zeroPoints[0])));
          // Saturate in float (maxnumf makes NaN the minimum), then
          // convert; 32-bit storage clamps again in i64, where float(max)
          // rounds above the storage range.
          q = arith::MaxNumFOp::create(
              b, l, q, floatConst(b, l, ct, double(p.storageMin)));
          q = arith::MinNumFOp::create(
              b, l, q, floatConst(b, l, ct, double(p.storageMax)));
          if (p.width < 32) {
            Value i = arith::FPToSIOp::create(b, l, b.getI32Type(), q);
            return arith::TruncIOp::create(b, l, storage, i);
          }
          Type i64 = b.getI64Type();
          Value i = arith::FPToSIOp::create(b, l, i64, q);
          i = arith::MaxSIOp::create(b, l, i, intConst(b, l, i64, p.storageMin));
          i = arith::MinSIOp::create(b, l, i, intConst(b, l, i64, p.storageMax));
          return storage == i64 ? i : arith::TruncIOp::create(b, l, storage, i);
        });
    rewriter.replaceOp(op, result);
    return success();
  }
};

struct DequantizeOpLowering : QuantPattern<DequantizeOp> {
  using QuantPattern::QuantPattern;

  LogicalResult
  matchAndRewrite(DequantizeOp op, OpAdaptor adaptor,
                  ConversionPatternRewriter &rewriter) const override {
    Location loc = op.getLoc();
    RankedTensorType resultType = getResultType(op);
    FailureOr<QuantParams> params =
        getQuantParams(quantElement(op.getInput().getType()));
    if (!resultType || failed(params))
      return rewriter.notifyMatchFailure(op, "unsupported quantized type");
    QuantParams &p = *params;
    if (p.width > 32)
      return rewriter.notifyMatchFailure(op, "storage wider than 32 bits");
    Value input = adaptor.getInput();
    int64_t rank = resultType.getRank();
    Type ct = computeFloatType(rewriter, resultType.getElementType());
    // q - zp is exact in i32 for storage up to 16 bits, in i64 above.
    Type it = p.width <= 16 ? rewriter.getI32Type() : rewriter.getI64Type();
    MLIRContext *ctx = rewriter.getContext();
    AffineMap identity = AffineMap::getMultiDimIdentityMap(rank, ctx);

    SmallVector<Value> inputs = {input};
    SmallVector<AffineMap> maps = {identity};
    if (p.axis) {
      int64_t n = p.scales.size();
      auto scaleType = RankedTensorType::get({n}, ct);
      auto zpType = RankedTensorType::get({n}, it);
      SmallVector<Attribute> scales, zps;
      for (auto [s, z] : llvm::zip(p.scales, p.zeroPoints)) {
        scales.push_back(rewriter.getFloatAttr(ct, s));
        zps.push_back(rewriter.getIntegerAttr(it, z));
      }
      inputs.push_back(arith::ConstantOp::create(
          rewriter, loc, DenseElementsAttr::get(scaleType, scales)));
      inputs.push_back(arith::ConstantOp::create(
          rewriter, loc, DenseElementsAttr::get(zpType, zps)));
      maps.append(2, axisMap(rank, *p.axis, ctx));
    }
    Value empty = createEmpty(rewriter, loc, resultType,
                              tensor::getMixedSizes(rewriter, loc, input));
    Type resultElement = resultType.getElementType();
    Value result = buildGeneric(
        rewriter, loc, inputs, maps, empty, identity,
        SmallVector<utils::IteratorType>(rank, utils::IteratorType::parallel),
        [&](OpBuilder &b, Location l, ValueRange args) -> Value {
          Value q = widen(b, l, args[0], it, p.isSigned);
          if (p.axis)
            q = arith::SubIOp::create(b, l, q, args[2]);
          else if (p.zeroPoints[0] != 0)
            q = arith::SubIOp::create(b, l, q,
                                      intConst(b, l, it, p.zeroPoints[0]));
          Value f = arith::SIToFPOp::create(b, l, ct, q);
          Value scale = p.axis ? args[1] : floatConst(b, l, ct, p.scales[0]);
          Value y = arith::MulFOp::create(b, l, f, scale);
          return convertFloat(b, l, y, resultElement);
        });
    rewriter.replaceOp(op, result);
    return success();
  }
};

/// Quantized values and their integer storage have the same converted type:
/// the cast disappears.
struct StorageCastOpLowering : QuantPattern<StorageCastOp> {
  using QuantPattern::QuantPattern;

  LogicalResult
  matchAndRewrite(StorageCastOp op, OpAdaptor adaptor,
                  ConversionPatternRewriter &rewriter) const override {
    RankedTensorType resultType = getResultType(op);
    if (!resultType || resultType != adaptor.getInput().getType())
      return rewriter.notifyMatchFailure(op, "storage types differ");
    rewriter.replaceOp(op, adaptor.getInput());
    return success();
  }
};

/// mc.constant of quantized or unsigned values: the same bits as a
/// signless arith.constant (a dense_resource blob stays a resource).
struct StorageConstantOpLowering : QuantPattern<ConstantOp> {
  using QuantPattern::QuantPattern;

  LogicalResult
  matchAndRewrite(ConstantOp op, OpAdaptor adaptor,
                  ConversionPatternRewriter &rewriter) const override {
    RankedTensorType resultType = getResultType(op);
    if (!resultType || resultType == op.getType())
      return rewriter.notifyMatchFailure(op, "type does not change");
    TypedAttr value;
    if (auto dense = dyn_cast<DenseIntOrFPElementsAttr>(op.getValue())) {
      if (!dense.getElementType().isIntOrFloat() ||
          dense.getElementType().getIntOrFloatBitWidth() !=
              resultType.getElementTypeBitWidth())
        return rewriter.notifyMatchFailure(op, "element widths differ");
      value = dense.bitcast(resultType.getElementType());
    } else if (auto resource =
                   dyn_cast<DenseResourceElementsAttr>(op.getValue())) {
      value = DenseResourceElementsAttr::get(resultType,
                                             resource.getRawHandle());
    } else {
      return rewriter.notifyMatchFailure(op, "unsupported constant attribute");
    }
    rewriter.replaceOpWithNewOp<arith::ConstantOp>(op, value);
    return success();
  }
};

//===----------------------------------------------------------------------===//
// mc.qlinear
//===----------------------------------------------------------------------===//

/// Zero points of a weight-like operand along its channel dimension: a
/// constant, or (when channels differ) an i32 tensor read per channel.
struct ChannelZeroPoint {
  std::optional<int64_t> constant;
  SmallVector<int64_t> perChannel;
};

ChannelZeroPoint channelZeroPoint(const QuantParams &p) {
  ChannelZeroPoint z;
  if (std::optional<int64_t> u = p.uniformZeroPoint())
    z.constant = *u;
  else
    z.perChannel = p.zeroPoints;
  return z;
}

struct QLinearOpLowering : QuantPattern<QLinearOp> {
  using QuantPattern::QuantPattern;

  LogicalResult
  matchAndRewrite(QLinearOp op, OpAdaptor adaptor,
                  ConversionPatternRewriter &rewriter) const override {
    Location loc = op.getLoc();
    RankedTensorType resultType = getResultType(op);
    FailureOr<QuantParams> xp =
        getQuantParams(quantElement(op.getInput().getType()));
    FailureOr<QuantParams> wp =
        getQuantParams(quantElement(op.getWeight().getType()));
    if (!resultType || failed(xp) || failed(wp))
      return rewriter.notifyMatchFailure(op, "unsupported quantized types");
    if (failed(checkProductOperand(op, *xp, rewriter)) ||
        failed(checkProductOperand(op, *wp, rewriter)))
      return failure();
    Value input = adaptor.getInput(), weight = adaptor.getWeight();
    auto weightType = tensorType(weight);
    if (!weightType.hasStaticShape())
      return rewriter.notifyMatchFailure(op, "weight must have a static shape");
    int64_t rank = tensorType(input).getRank();
    int64_t outFeatures = weightType.getDimSize(0);
    MLIRContext *ctx = rewriter.getContext();

    // Loops: the input's leading dimensions, then o, then k.
    int64_t numLoops = rank + 1;
    SmallVector<AffineExpr> lead;
    for (int64_t i = 0; i < rank - 1; ++i)
      lead.push_back(getAffineDimExpr(i, ctx));
    AffineExpr o = getAffineDimExpr(rank - 1, ctx);
    AffineExpr k = getAffineDimExpr(rank, ctx);
    SmallVector<AffineExpr> xExprs(lead), outExprs(lead);
    xExprs.push_back(k);
    outExprs.push_back(o);
    AffineMap xMap = AffineMap::get(numLoops, 0, xExprs, ctx);
    AffineMap wMap = AffineMap::get(numLoops, 0, {o, k}, ctx);
    AffineMap outMap = AffineMap::get(numLoops, 0, outExprs, ctx);

    SmallVector<OpFoldResult> sizes =
        tensor::getMixedSizes(rewriter, loc, input);
    sizes.back() = rewriter.getIndexAttr(outFeatures);
    Value init;
    if (Value bias = adaptor.getBias()) {
      Value empty = createEmpty(rewriter, loc, resultType, sizes);
      init = linalg::BroadcastOp::create(
                 rewriter, loc, bias, empty,
                 llvm::to_vector(llvm::seq<int64_t>(0, rank - 1)))
                 .getResult()[0];
    } else {
      init = createFilled(rewriter, loc, resultType, sizes,
                          intConst(rewriter, loc, rewriter.getI32Type(), 0));
    }

    ChannelZeroPoint wz = channelZeroPoint(*wp);
    SmallVector<Value> inputs = {input, weight};
    SmallVector<AffineMap> maps = {xMap, wMap};
    if (!wz.constant) {
      inputs.push_back(i32TensorConst(rewriter, loc, {outFeatures},
                                      wz.perChannel));
      maps.push_back(AffineMap::get(numLoops, 0, o));
    }
    SmallVector<utils::IteratorType> iterators(numLoops,
                                               utils::IteratorType::parallel);
    iterators.back() = utils::IteratorType::reduction;
    std::optional<int64_t> xz = xp->zeroPoints[0];
    bool xSigned = xp->isSigned, wSigned = wp->isSigned;
    Value result = buildGeneric(
        rewriter, loc, inputs, maps, init, outMap, iterators,
        [&](OpBuilder &b, Location l, ValueRange args) -> Value {
          Value x = centered(b, l, args[0], xSigned, xz, Value());
          Value w = centered(b, l, args[1], wSigned, wz.constant,
                             wz.constant ? Value() : args[2]);
          Value prod = arith::MulIOp::create(b, l, x, w);
          return arith::AddIOp::create(b, l, args.back(), prod);
        });
    rewriter.replaceOp(op, result);
    return success();
  }
};

//===----------------------------------------------------------------------===//
// mc.qconv2d
//===----------------------------------------------------------------------===//

struct QConv2DOpLowering : QuantPattern<QConv2DOp> {
  using QuantPattern::QuantPattern;

  LogicalResult
  matchAndRewrite(QConv2DOp op, OpAdaptor adaptor,
                  ConversionPatternRewriter &rewriter) const override {
    Location loc = op.getLoc();
    RankedTensorType resultType = getResultType(op);
    FailureOr<QuantParams> xp =
        getQuantParams(quantElement(op.getInput().getType()));
    FailureOr<QuantParams> wp =
        getQuantParams(quantElement(op.getWeight().getType()));
    if (!resultType || failed(xp) || failed(wp))
      return rewriter.notifyMatchFailure(op, "unsupported quantized types");
    if (failed(checkProductOperand(op, *xp, rewriter)) ||
        failed(checkProductOperand(op, *wp, rewriter)))
      return failure();
    Value input = adaptor.getInput(), weight = adaptor.getWeight();
    auto inType = tensorType(input);
    auto weightType = tensorType(weight);
    if (!weightType.hasStaticShape())
      return rewriter.notifyMatchFailure(op, "weight must have a static shape");
    if (inType.isDynamicDim(1))
      return rewriter.notifyMatchFailure(op, "dynamic channel dimension");
    if (resultType.isDynamicDim(2) || resultType.isDynamicDim(3))
      return rewriter.notifyMatchFailure(op, "dynamic spatial output size");
    int64_t groups = op.getGroups();
    int64_t channels = inType.getDimSize(1);
    int64_t filters = weightType.getDimSize(0);
    if (groups <= 0 || channels % groups != 0 || filters % groups != 0)
      return rewriter.notifyMatchFailure(op, "invalid groups");
    int64_t cg = channels / groups, fg = filters / groups;
    int64_t kh = weightType.getDimSize(2), kw = weightType.getDimSize(3);
    ArrayRef<int64_t> pads = op.getPads(), strides = op.getStrides(),
                      dilations = op.getDilations();
    Type storage = inType.getElementType();
    Type i32 = rewriter.getI32Type();
    MLIRContext *ctx = rewriter.getContext();

    // Padding holds the input zero point: (zp - zp) contributes nothing.
    Value padValue = intConst(rewriter, loc, storage, xp->zeroPoints[0]);
    Value padded = padSpatial(rewriter, loc, input, pads[0], pads[1], pads[2],
                              pads[3], padValue);

    // The accumulator starts at the bias (per output channel) or zero.
    SmallVector<OpFoldResult> outSizes =
        tensor::getMixedSizes(rewriter, loc, input);
    outSizes[1] = rewriter.getIndexAttr(filters);
    outSizes[2] = rewriter.getIndexAttr(resultType.getDimSize(2));
    outSizes[3] = rewriter.getIndexAttr(resultType.getDimSize(3));
    Value init;
    if (Value bias = adaptor.getBias()) {
      Value empty = createEmpty(rewriter, loc, resultType, outSizes);
      init = linalg::BroadcastOp::create(rewriter, loc, bias, empty,
                                         ArrayRef<int64_t>{0, 2, 3})
                 .getResult()[0];
    } else {
      init = createFilled(rewriter, loc, resultType, outSizes,
                          intConst(rewriter, loc, i32, 0));
    }

    // Channels split into [groups, per group] on input, weight and result,
    // so that one generic covers plain, grouped and depthwise convolution.
    auto paddedType = tensorType(padded);
    SmallVector<ReassociationIndices> splitDim1 = {{0}, {1, 2}, {3}, {4}};
    SmallVector<OpFoldResult> inSizes =
        tensor::getMixedSizes(rewriter, loc, padded);
    Value in5 = tensor::ExpandShapeOp::create(
        rewriter, loc,
        RankedTensorType::get({paddedType.getDimSize(0), groups, cg,
                               paddedType.getDimSize(2),
                               paddedType.getDimSize(3)},
                              storage),
        padded, splitDim1,
        {inSizes[0], rewriter.getIndexAttr(groups), rewriter.getIndexAttr(cg),
         inSizes[2], inSizes[3]});
    Value w5 = tensor::ExpandShapeOp::create(
        rewriter, loc,
        RankedTensorType::get({groups, fg, cg, kh, kw},
                              weightType.getElementType()),
        weight, ArrayRef<ReassociationIndices>{{0, 1}, {2}, {3}, {4}},
        ArrayRef<OpFoldResult>{
            rewriter.getIndexAttr(groups), rewriter.getIndexAttr(fg),
            rewriter.getIndexAttr(cg), rewriter.getIndexAttr(kh),
            rewriter.getIndexAttr(kw)});
    auto out5Type = RankedTensorType::get(
        {resultType.getDimSize(0), groups, fg, resultType.getDimSize(2),
         resultType.getDimSize(3)},
        i32);
    Value init5 = tensor::ExpandShapeOp::create(
        rewriter, loc, out5Type, init, splitDim1,
        {outSizes[0], rewriter.getIndexAttr(groups), rewriter.getIndexAttr(fg),
         outSizes[2], outSizes[3]});

    // Loops (n, g, f, oh, ow, c, i, j).
    AffineExpr n, g, f, oh, ow, c, i, j;
    bindDims(ctx, n, g, f, oh, ow, c, i, j);
    AffineMap inMap = AffineMap::get(
        8, 0,
        {n, g, c, oh * strides[0] + i * dilations[0],
         ow * strides[1] + j * dilations[1]},
        ctx);
    AffineMap wMap = AffineMap::get(8, 0, {g, f, c, i, j}, ctx);
    AffineMap outMap = AffineMap::get(8, 0, {n, g, f, oh, ow}, ctx);
    ChannelZeroPoint wz = channelZeroPoint(*wp);
    SmallVector<Value> inputs = {in5, w5};
    SmallVector<AffineMap> maps = {inMap, wMap};
    if (!wz.constant) {
      inputs.push_back(
          i32TensorConst(rewriter, loc, {groups, fg}, wz.perChannel));
      maps.push_back(AffineMap::get(8, 0, {g, f}, ctx));
    }
    using utils::IteratorType;
    SmallVector<IteratorType> iterators(5, IteratorType::parallel);
    iterators.append(3, IteratorType::reduction);
    std::optional<int64_t> xz = xp->zeroPoints[0];
    bool xSigned = xp->isSigned, wSigned = wp->isSigned;
    Value conv = buildGeneric(
        rewriter, loc, inputs, maps, init5, outMap, iterators,
        [&](OpBuilder &b, Location l, ValueRange args) -> Value {
          Value x = centered(b, l, args[0], xSigned, xz, Value());
          Value w = centered(b, l, args[1], wSigned, wz.constant,
                             wz.constant ? Value() : args[2]);
          Value prod = arith::MulIOp::create(b, l, x, w);
          return arith::AddIOp::create(b, l, args.back(), prod);
        });
    Value result = tensor::CollapseShapeOp::create(rewriter, loc, resultType,
                                                   conv, splitDim1);
    rewriter.replaceOp(op, result);
    return success();
  }
};

//===----------------------------------------------------------------------===//
// mc.qmatmul
//===----------------------------------------------------------------------===//

struct QMatMulOpLowering : QuantPattern<QMatMulOp> {
  using QuantPattern::QuantPattern;

  LogicalResult
  matchAndRewrite(QMatMulOp op, OpAdaptor adaptor,
                  ConversionPatternRewriter &rewriter) const override {
    Location loc = op.getLoc();
    RankedTensorType resultType = getResultType(op);
    FailureOr<QuantParams> lp =
        getQuantParams(quantElement(op.getLhs().getType()));
    FailureOr<QuantParams> rp =
        getQuantParams(quantElement(op.getRhs().getType()));
    if (!resultType || failed(lp) || failed(rp))
      return rewriter.notifyMatchFailure(op, "unsupported quantized types");
    if (failed(checkProductOperand(op, *lp, rewriter)) ||
        failed(checkProductOperand(op, *rp, rewriter)))
      return failure();
    Value lhs = adaptor.getLhs(), rhs = adaptor.getRhs();
    auto lhsIn = tensorType(lhs), rhsIn = tensorType(rhs);
    bool lhsVector = lhsIn.getRank() == 1, rhsVector = rhsIn.getRank() == 1;
    Type i32 = rewriter.getI32Type();
    MLIRContext *ctx = rewriter.getContext();

    // NumPy promotes a 1-D lhs to a row and a 1-D rhs to a column.
    if (lhsVector)
      lhs = tensor::ExpandShapeOp::create(
          rewriter, loc,
          RankedTensorType::get({1, lhsIn.getDimSize(0)},
                                lhsIn.getElementType()),
          lhs, SmallVector<ReassociationIndices>{{0, 1}},
          ArrayRef<OpFoldResult>{rewriter.getIndexAttr(1),
                                 tensor::getMixedSize(rewriter, loc, lhs, 0)});
    if (rhsVector)
      rhs = tensor::ExpandShapeOp::create(
          rewriter, loc,
          RankedTensorType::get({rhsIn.getDimSize(0), 1},
                                rhsIn.getElementType()),
          rhs, SmallVector<ReassociationIndices>{{0, 1}},
          ArrayRef<OpFoldResult>{tensor::getMixedSize(rewriter, loc, rhs, 0),
                                 rewriter.getIndexAttr(1)});
    auto lhsType = tensorType(lhs), rhsType = tensorType(rhs);
    int64_t lhsBatch = lhsType.getRank() - 2, rhsBatch = rhsType.getRank() - 2;
    int64_t numBatch = std::max(lhsBatch, rhsBatch);

    // Batch shape and sizes of the (promoted) result: NumPy broadcasting,
    // a dynamic size read from an operand whose aligned dimension is
    // dynamic.
    SmallVector<int64_t> fullShape;
    SmallVector<OpFoldResult> fullSizes;
    for (int64_t d = 0; d < numBatch; ++d) {
      int64_t li = d - (numBatch - lhsBatch), ri = d - (numBatch - rhsBatch);
      int64_t ls = li >= 0 ? lhsType.getDimSize(li) : 1;
      int64_t rs = ri >= 0 ? rhsType.getDimSize(ri) : 1;
      if (ShapedType::isDynamic(ls) || ShapedType::isDynamic(rs)) {
        fullShape.push_back(ShapedType::kDynamic);
        fullSizes.push_back(
            ShapedType::isDynamic(ls)
                ? tensor::getMixedSize(rewriter, loc, lhs, li)
                : tensor::getMixedSize(rewriter, loc, rhs, ri));
        if ((!ShapedType::isDynamic(ls) && ls != 1) ||
            (!ShapedType::isDynamic(rs) && rs != 1))
          return rewriter.notifyMatchFailure(
              op, "a dynamic batch dimension meets a static one");
        continue;
      }
      if (ls != rs && ls != 1 && rs != 1)
        return rewriter.notifyMatchFailure(op, "batch dimensions differ");
      fullShape.push_back(std::max(ls, rs));
      fullSizes.push_back(rewriter.getIndexAttr(std::max(ls, rs)));
    }
    int64_t m = lhsType.getDimSize(lhsBatch);
    int64_t n = rhsType.getDimSize(rhsBatch + 1);
    fullShape.append({m, n});
    fullSizes.push_back(tensor::getMixedSize(rewriter, loc, lhs, lhsBatch));
    fullSizes.push_back(tensor::getMixedSize(rewriter, loc, rhs, rhsBatch + 1));
    auto fullType = RankedTensorType::get(fullShape, i32);

    // Loops (batch..., m, n, k); a stretched unit batch dimension reads
    // index 0.
    int64_t numLoops = numBatch + 3;
    AffineExpr mE = getAffineDimExpr(numBatch, ctx);
    AffineExpr nE = getAffineDimExpr(numBatch + 1, ctx);
    AffineExpr kE = getAffineDimExpr(numBatch + 2, ctx);
    auto operandMap = [&](RankedTensorType type, int64_t batch, AffineExpr a,
                          AffineExpr b) {
      SmallVector<AffineExpr> exprs;
      for (int64_t i = 0; i < batch; ++i) {
        int64_t d = i + (numBatch - batch);
        if (type.getDimSize(i) == 1 && fullShape[d] != 1)
          exprs.push_back(getAffineConstantExpr(0, ctx));
        else
          exprs.push_back(getAffineDimExpr(d, ctx));
      }
      exprs.append({a, b});
      return AffineMap::get(numLoops, 0, exprs, ctx);
    };
    SmallVector<AffineExpr> outExprs;
    for (int64_t d = 0; d < numBatch + 2; ++d)
      outExprs.push_back(getAffineDimExpr(d, ctx));
    AffineMap outMap = AffineMap::get(numLoops, 0, outExprs, ctx);

    ChannelZeroPoint rz = channelZeroPoint(*rp);
    SmallVector<Value> inputs = {lhs, rhs};
    SmallVector<AffineMap> maps = {operandMap(lhsType, lhsBatch, mE, kE),
                                   operandMap(rhsType, rhsBatch, kE, nE)};
    if (!rz.constant) {
      inputs.push_back(i32TensorConst(
          rewriter, loc, {static_cast<int64_t>(rz.perChannel.size())},
          rz.perChannel));
      maps.push_back(AffineMap::get(numLoops, 0, nE));
    }
    Value init = createFilled(rewriter, loc, fullType, fullSizes,
                              intConst(rewriter, loc, i32, 0));
    SmallVector<utils::IteratorType> iterators(numLoops,
                                               utils::IteratorType::parallel);
    iterators.back() = utils::IteratorType::reduction;
    std::optional<int64_t> lz = lp->zeroPoints[0];
    bool lSigned = lp->isSigned, rSigned = rp->isSigned;
    Value result = buildGeneric(
        rewriter, loc, inputs, maps, init, outMap, iterators,
        [&](OpBuilder &b, Location l, ValueRange args) -> Value {
          Value a = centered(b, l, args[0], lSigned, lz, Value());
          Value c = centered(b, l, args[1], rSigned, rz.constant,
                             rz.constant ? Value() : args[2]);
          Value prod = arith::MulIOp::create(b, l, a, c);
          return arith::AddIOp::create(b, l, args.back(), prod);
        });

    // Drop the dimensions that the 1-D promotion added.
    if (lhsVector || rhsVector) {
      SmallVector<ReassociationIndices> groups;
      for (int64_t d = 0; d < numBatch; ++d)
        groups.push_back({d});
      if (lhsVector && rhsVector) {
        if (groups.empty())
          groups = {};
        else
          llvm::append_range(groups.back(),
                             ArrayRef<int64_t>{numBatch, numBatch + 1});
      } else {
        groups.push_back({numBatch, numBatch + 1});
      }
      result = tensor::CollapseShapeOp::create(rewriter, loc, resultType,
                                               result, groups);
    }
    rewriter.replaceOp(op, result);
    return success();
  }
};

//===----------------------------------------------------------------------===//
// mc.max_pool2d on quantized values
//===----------------------------------------------------------------------===//

/// Extra padding after the explicit one so that `out` windows fit along one
/// spatial axis (only ceil_mode needs it).
int64_t ceilModeExtraPad(int64_t in, int64_t out, int64_t kernel,
                         int64_t stride, int64_t dilation, int64_t padBegin,
                         int64_t padEnd) {
  int64_t needed = (out - 1) * stride + dilation * (kernel - 1) + 1;
  return std::max<int64_t>(0, needed - (in + padBegin + padEnd));
}

struct QuantizedMaxPool2DOpLowering : QuantPattern<MaxPool2DOp> {
  using QuantPattern::QuantPattern;

  LogicalResult
  matchAndRewrite(MaxPool2DOp op, OpAdaptor adaptor,
                  ConversionPatternRewriter &rewriter) const override {
    Location loc = op.getLoc();
    quant::QuantizedType q = quantElement(op.getInput().getType());
    if (!q)
      return rewriter.notifyMatchFailure(op, "not quantized");
    RankedTensorType resultType = getResultType(op);
    Value input = adaptor.getInput();
    auto inType = tensorType(input);
    if (!resultType || inType.getRank() != 4 || inType.isDynamicDim(2) ||
        inType.isDynamicDim(3) || resultType.isDynamicDim(2) ||
        resultType.isDynamicDim(3))
      return rewriter.notifyMatchFailure(op, "spatial sizes must be static");
    Type storage = resultType.getElementType();
    unsigned width = storage.getIntOrFloatBitWidth();
    bool isSigned = q.isSigned();
    ArrayRef<int64_t> kernel = op.getKernel(), strides = op.getStrides(),
                      dilations = op.getDilations(), pads = op.getPads();
    int64_t extraH =
        ceilModeExtraPad(inType.getDimSize(2), resultType.getDimSize(2),
                         kernel[0], strides[0], dilations[0], pads[0], pads[2]);
    int64_t extraW =
        ceilModeExtraPad(inType.getDimSize(3), resultType.getDimSize(3),
                         kernel[1], strides[1], dilations[1], pads[1], pads[3]);
    // The smallest storage value never wins the maximum.
    Value lowest = arith::ConstantOp::create(
        rewriter, loc,
        rewriter.getIntegerAttr(storage, isSigned
                                             ? APInt::getSignedMinValue(width)
                                             : APInt::getMinValue(width)));
    Value padded = padSpatial(rewriter, loc, input, pads[0], pads[1],
                              pads[2] + extraH, pads[3] + extraW, lowest);
    Value window = tensor::EmptyOp::create(
        rewriter, loc, ArrayRef<int64_t>{kernel[0], kernel[1]}, storage);
    Value init = createFilled(rewriter, loc, resultType,
                              tensor::getMixedSizes(rewriter, loc, input),
                              lowest);
    Value result;
    if (isSigned) {
      result = linalg::PoolingNchwMaxOp::create(
                   rewriter, loc, TypeRange{resultType},
                   ValueRange{padded, window}, ValueRange{init},
                   rewriter.getI64TensorAttr(strides),
                   rewriter.getI64TensorAttr(dilations))
                   .getResult(0);
    } else {
      // linalg has no unsigned NCHW max pool: the same loops with maxui.
      MLIRContext *ctx = rewriter.getContext();
      AffineExpr n, c, oh, ow, i, j;
      bindDims(ctx, n, c, oh, ow, i, j);
      AffineMap inMap = AffineMap::get(
          6, 0,
          {n, c, oh * strides[0] + i * dilations[0],
           ow * strides[1] + j * dilations[1]},
          ctx);
      AffineMap windowMap = AffineMap::get(6, 0, {i, j}, ctx);
      AffineMap outMap = AffineMap::get(6, 0, {n, c, oh, ow}, ctx);
      using utils::IteratorType;
      SmallVector<IteratorType> iterators(4, IteratorType::parallel);
      iterators.append(2, IteratorType::reduction);
      result = buildGeneric(
          rewriter, loc, ValueRange{padded, window}, {inMap, windowMap}, init,
          outMap, iterators, [](OpBuilder &b, Location l, ValueRange args) {
            return arith::MaxUIOp::create(b, l, args[0], args[2]);
          });
    }
    rewriter.replaceOp(op, result);
    return success();
  }
};

/// True when `type` is a tensor whose converted form differs: quantized or
/// unsigned elements.
bool hasStorageElements(Type type) {
  auto tensor = dyn_cast<RankedTensorType>(type);
  if (!tensor)
    return false;
  Type element = tensor.getElementType();
  if (isa<quant::QuantizedType>(element))
    return true;
  auto integer = dyn_cast<IntegerType>(element);
  return integer && !integer.isSignless();
}

} // namespace

//===----------------------------------------------------------------------===//
// Entry points
//===----------------------------------------------------------------------===//

void mlir::mc::populateMCQuantizedTypeConversions(
    TypeConverter &typeConverter) {
  typeConverter.addConversion(
      [](RankedTensorType type) -> std::optional<Type> {
        Type element = type.getElementType();
        if (auto q = dyn_cast<quant::QuantizedType>(element))
          return type.clone(q.getStorageType());
        if (auto integer = dyn_cast<IntegerType>(element);
            integer && !integer.isSignless())
          return type.clone(
              IntegerType::get(type.getContext(), integer.getWidth()));
        return std::nullopt;
      });
  // Between a value that stays quantized (the result of mc.requantize, which
  // the fixed-point lowering handles) and its converted users: an
  // unrealized cast, which that lowering resolves.
  auto materialize = [](OpBuilder &builder, Type type, ValueRange inputs,
                        Location loc) -> Value {
    if (inputs.size() != 1 || !(hasStorageElements(type) ||
                                hasStorageElements(inputs.front().getType())))
      return Value();
    return UnrealizedConversionCastOp::create(builder, loc, type, inputs)
        .getResult(0);
  };
  typeConverter.addSourceMaterialization(materialize);
  typeConverter.addTargetMaterialization(materialize);
}

void mlir::mc::populateMCQuantizedToLinalgConversionPatterns(
    const TypeConverter &typeConverter, RewritePatternSet &patterns) {
  MLIRContext *ctx = patterns.getContext();
  patterns.add<QuantizeOpLowering, DequantizeOpLowering, StorageCastOpLowering,
               QLinearOpLowering, QConv2DOpLowering, QMatMulOpLowering>(
      typeConverter, ctx);
  // Ahead of the float patterns for the same ops, which refuse these types.
  patterns.add<StorageConstantOpLowering, QuantizedMaxPool2DOpLowering>(
      typeConverter, ctx, /*benefit=*/2);
  // Function boundaries: a ui8 model input or output becomes i8 storage.
  populateFunctionOpInterfaceTypeConversionPattern<func::FuncOp>(patterns,
                                                                 typeConverter);
  populateReturnOpTypeConversionPattern(patterns, typeConverter);
  populateCallOpTypeConversionPattern(patterns, typeConverter);
}

void mlir::mc::configureMCQuantizedToLinalgConversionTarget(
    ConversionTarget &target, const TypeConverter &typeConverter) {
  // Every mc op goes, quantized or not; mc.requantize stays for the
  // fixed-point lowering.
  target.addIllegalDialect<MCDialect>();
  target.addIllegalOp<QuantizeOp, DequantizeOp, StorageCastOp, QLinearOp,
                      QConv2DOp, QMatMulOp>();
  target.addLegalOp<RequantizeOp>();
  target.addDynamicallyLegalOp<func::FuncOp>([&](func::FuncOp op) {
    return typeConverter.isSignatureLegal(op.getFunctionType()) &&
           typeConverter.isLegal(&op.getBody());
  });
  target.addDynamicallyLegalOp<func::ReturnOp, func::CallOp>(
      [&](Operation *op) { return typeConverter.isLegal(op); });
}

LogicalResult mlir::mc::checkMCUnsignedOps(Operation *root) {
  // Unsigned tensors convert to signless storage, so a pattern that picks
  // its arith ops from the converted type would compute with signed
  // semantics. Only ops whose result does not depend on signedness (shape
  // ops, constants, modular add/sub/mul/neg, storage casts) may see them.
  WalkResult result = root->walk([](Operation *op) {
    if (!isa<DivOp, ReluOp, ClipOp, CastOp>(op))
      return WalkResult::advance();
    auto isUnsigned = [](Type type) {
      return hasStorageElements(type) &&
             !isa<quant::QuantizedType>(
                 cast<RankedTensorType>(type).getElementType());
    };
    if (llvm::any_of(op->getOperandTypes(), isUnsigned) ||
        llvm::any_of(op->getResultTypes(), isUnsigned)) {
      op->emitOpError() << "on unsigned integer tensors is unsupported by "
                           "the lowering";
      return WalkResult::interrupt();
    }
    return WalkResult::advance();
  });
  return failure(result.wasInterrupted());
}
