//===- Quantize.cpp - ONNX quantized ops ----------------------------------===//
//
// Part of the mc project: an MLIR compiler for compressed neural networks.
//
//===----------------------------------------------------------------------===//
//
// QuantizeLinear / DequantizeLinear (per tensor and per axis), QLinearConv,
// QLinearMatMul, ConvInteger and MatMulInteger. Scales and zero points must be
// constants; they move into `!quant.uniform` element types. Integer tensors
// (graph inputs, weights) are reinterpreted as quantized values with
// mc.storage_cast; QLinear ops become an int32-accumulating mc.qconv2d /
// mc.qmatmul followed by mc.requantize with S = s_in * s_w[c] / s_out.
//
//===----------------------------------------------------------------------===//

#include "ImporterImpl.h"

#include "mc/Dialect/MC/IR/MCOps.h"

using namespace mlir;
using namespace mlir::mc;
using namespace mlir::mc::onnx_import;

namespace {
/// Quantization parameters read from a node's scale and zero-point inputs.
struct QuantParams {
  SmallVector<double> scales;
  SmallVector<int64_t> zeroPoints;
  /// Storage element type of the quantized values (i8, ui8 or i32).
  IntegerType storage;
  bool perAxis = false;
};
} // namespace

/// Reads scale input `scaleIndex` and optional zero-point input `zpIndex`.
/// Without a zero point the storage is `defaultStorage` with zero point 0.
static FailureOr<QuantParams> readParams(NodeContext &ctx, size_t scaleIndex,
                                         std::optional<size_t> zpIndex,
                                         IntegerType defaultStorage,
                                         bool withScale = true) {
  QuantParams p;
  FailureOr<RankedTensorType> scaleType;
  if (withScale) {
    FailureOr<SmallVector<double>> scales =
        ctx.requireFloats(scaleIndex, "scale");
    if (failed(scales))
      return failure();
    p.scales = *scales;
    scaleType = ctx.inputType(scaleIndex);
    p.perAxis = scaleType->getRank() == 1 && p.scales.size() > 1;
  }
  p.storage = defaultStorage;
  if (zpIndex && ctx.hasInput(*zpIndex)) {
    FailureOr<SmallVector<int64_t>> zps =
        ctx.requireInts(*zpIndex, "zero point");
    FailureOr<RankedTensorType> zpType = ctx.inputType(*zpIndex);
    if (failed(zps) || failed(zpType))
      return failure();
    p.zeroPoints = *zps;
    auto intType = dyn_cast<IntegerType>(zpType->getElementType());
    if (!intType || (intType.getWidth() != 8 && intType.getWidth() != 32))
      return ctx.unsupported("zero point type " +
                             typeString(zpType->getElementType())),
             failure();
    p.storage = intType;
    if (!withScale) {
      p.perAxis = zpType->getRank() == 1 && p.zeroPoints.size() > 1;
      p.scales.assign(p.zeroPoints.size(), 1.0);
    }
  } else {
    if (!withScale)
      p.scales.assign(1, 1.0);
    p.zeroPoints.assign(p.scales.size(), 0);
  }
  if (p.zeroPoints.size() == 1 && p.scales.size() > 1)
    p.zeroPoints.assign(p.scales.size(), p.zeroPoints.front());
  if (p.scales.size() == 1 && p.zeroPoints.size() > 1) {
    p.scales.assign(p.zeroPoints.size(), p.scales.front());
    p.perAxis = true;
  }
  if (p.scales.size() != p.zeroPoints.size())
    return ctx.emitError() << "scale has " << p.scales.size()
                           << " entries but the zero point has "
                           << p.zeroPoints.size(),
           failure();
  return p;
}

/// The `!quant.uniform` element type for `p` along `axis`.
static FailureOr<quant::QuantizedType>
quantType(NodeContext &ctx, const QuantParams &p, Type expressed, int64_t axis) {
  bool isSigned = !p.storage.isUnsigned();
  unsigned width = p.storage.getWidth();
  unsigned flags = isSigned ? quant::QuantizationFlags::Signed : 0;
  Type storage = IntegerType::get(ctx.context(), width);
  int64_t lo = isSigned ? -(int64_t(1) << (width - 1)) : 0;
  int64_t hi = isSigned ? (int64_t(1) << (width - 1)) - 1
                        : (int64_t(1) << width) - 1;
  auto emit = [&] { return ctx.emitError(); };
  for (double s : p.scales)
    if (!(s > 0))
      return ctx.unsupported("non-positive quantization scale " +
                             std::to_string(s)),
             failure();
  quant::QuantizedType type;
  if (p.perAxis)
    type = quant::UniformQuantizedPerAxisType::getChecked(
        emit, flags, storage, expressed, p.scales, p.zeroPoints, axis, lo, hi);
  else
    type = quant::UniformQuantizedType::getChecked(
        emit, flags, storage, expressed, p.scales.front(), p.zeroPoints.front(),
        lo, hi);
  if (!type)
    return failure();
  return type;
}

/// The integer type that stores values of `q` at the model boundary.
static IntegerType storageIntType(quant::QuantizedType q) {
  return IntegerType::get(q.getContext(), q.getStorageTypeIntegralWidth(),
                          q.isSigned() ? IntegerType::Signless
                                       : IntegerType::Unsigned);
}

/// Reinterprets `v` (integer storage or another quantized type with the same
/// storage) as a tensor of `q`.
static FailureOr<Value> asQuantized(NodeContext &ctx, Value v,
                                    quant::QuantizedType q) {
  auto type = cast<RankedTensorType>(v.getType());
  if (type.getElementType() == q)
    return v;
  if (auto current = dyn_cast<quant::QuantizedType>(type.getElementType()))
    v = StorageCastOp::create(ctx.builder(), ctx.loc,
                              type.clone(storageIntType(current)), v);
  auto intType =
      dyn_cast<IntegerType>(cast<RankedTensorType>(v.getType()).getElementType());
  if (!intType || intType != storageIntType(q))
    return ctx.emitError() << "expected " << storageIntType(q)
                           << " data for quantized type " << q << ", got "
                           << cast<RankedTensorType>(v.getType()).getElementType(),
           failure();
  return Value(StorageCastOp::create(ctx.builder(), ctx.loc, type.clone(q), v));
}

static LogicalResult importQuantizeLinear(NodeContext &ctx) {
  FailureOr<Value> x = ctx.input(0);
  if (failed(x))
    return failure();
  auto type = cast<RankedTensorType>(x->getType());
  if (!type.getElementType().isF32())
    return ctx.unsupported("quantization of " +
                           typeString(type.getElementType()));
  auto u8 = IntegerType::get(ctx.context(), 8, IntegerType::Unsigned);
  FailureOr<QuantParams> p = readParams(ctx, 1, 2, u8);
  if (failed(p))
    return failure();
  FailureOr<int64_t> axis = normalizeAxis(ctx.getInt("axis", 1), type.getRank());
  if (p->perAxis && failed(axis))
    return ctx.emitError() << "axis out of range";
  FailureOr<quant::QuantizedType> q =
      quantType(ctx, *p, type.getElementType(), p->perAxis ? *axis : 0);
  if (failed(q))
    return failure();
  ctx.setResult(0, QuantizeOp::create(ctx.builder(), ctx.loc, type.clone(*q), *x));
  return success();
}

static LogicalResult importDequantizeLinear(NodeContext &ctx) {
  FailureOr<Value> x = ctx.input(0);
  if (failed(x))
    return failure();
  auto type = cast<RankedTensorType>(x->getType());
  Type element = type.getElementType();
  IntegerType storage;
  if (auto q = dyn_cast<quant::QuantizedType>(element))
    storage = storageIntType(q);
  else
    storage = dyn_cast<IntegerType>(element);
  if (!storage || (storage.getWidth() != 8 && storage.getWidth() != 32))
    return ctx.unsupported("dequantization of " + typeString(element));
  FailureOr<QuantParams> p = readParams(ctx, 1, 2, storage);
  if (failed(p))
    return failure();
  FailureOr<int64_t> axis = normalizeAxis(ctx.getInt("axis", 1), type.getRank());
  if (p->perAxis && failed(axis))
    return ctx.emitError() << "axis out of range";
  FailureOr<RankedTensorType> scaleType = ctx.inputType(1);
  Type expressed = scaleType->getElementType();
  if (!expressed.isF32())
    return ctx.unsupported("dequantization to " + typeString(expressed));
  FailureOr<quant::QuantizedType> q =
      quantType(ctx, *p, expressed, p->perAxis ? *axis : 0);
  if (failed(q))
    return failure();
  FailureOr<Value> xq = asQuantized(ctx, *x, *q);
  if (failed(xq))
    return failure();
  ctx.setResult(0, DequantizeOp::create(ctx.builder(), ctx.loc,
                                        type.clone(expressed), *xq));
  return success();
}

/// Quantized operand `index` with parameters from inputs `scale`/`zp`.
static FailureOr<Value> quantizedInput(NodeContext &ctx, size_t index,
                                       size_t scaleIndex,
                                       std::optional<size_t> zpIndex,
                                       bool withScale, int64_t axis,
                                       bool allowPerAxis, QuantParams &params) {
  FailureOr<Value> v = ctx.input(index);
  if (failed(v))
    return failure();
  auto type = cast<RankedTensorType>(v->getType());
  IntegerType storage;
  if (auto q = dyn_cast<quant::QuantizedType>(type.getElementType()))
    storage = storageIntType(q);
  else
    storage = dyn_cast<IntegerType>(type.getElementType());
  if (!storage || storage.getWidth() != 8)
    return ctx.unsupported("operand type " +
                           typeString(type.getElementType()) +
                           " (expected 8-bit integers)"),
           failure();
  FailureOr<QuantParams> p =
      readParams(ctx, scaleIndex, zpIndex, storage, withScale);
  if (failed(p))
    return failure();
  if (p->perAxis && !allowPerAxis)
    return ctx.unsupported("per-axis quantization of input #" + Twine(index)),
           failure();
  params = *p;
  Type expressed = Float32Type::get(ctx.context());
  FailureOr<quant::QuantizedType> q =
      quantType(ctx, *p, expressed, p->perAxis ? axis : 0);
  if (failed(q))
    return failure();
  return asQuantized(ctx, *v, *q);
}

/// Reads the conv window of a QLinearConv/ConvInteger (2-D only).
static LogicalResult readConvAttrs(NodeContext &ctx, RankedTensorType in,
                                   RankedTensorType w,
                                   SmallVector<int64_t> &strides,
                                   SmallVector<int64_t> &pads,
                                   SmallVector<int64_t> &dilations) {
  if (in.getRank() != 4 || w.getRank() != 4)
    return ctx.unsupported("quantized convolution that is not 2-D");
  strides = ctx.getInts("strides", {1, 1});
  dilations = ctx.getInts("dilations", {1, 1});
  pads = ctx.getInts("pads", {0, 0, 0, 0});
  std::string autoPad = ctx.getString("auto_pad", "NOTSET");
  if (autoPad == "VALID")
    pads = {0, 0, 0, 0};
  else if (autoPad != "NOTSET")
    return ctx.unsupported("auto_pad value '" + autoPad +
                           "' on a quantized convolution");
  return success();
}

/// Sets output 0 to `acc` requantized to the output parameters `y`, with the
/// per-channel scale S[c] = s_in * s_w[c] / s_out along `channelAxis` of the
/// accumulator (or one scale when the weight is quantized per tensor).
static LogicalResult requantizeResult(NodeContext &ctx, Value acc,
                                      const QuantParams &in,
                                      const QuantParams &weight,
                                      const QuantParams &y,
                                      int64_t channelAxis) {
  SmallVector<double> scales;
  for (double ws : weight.scales)
    scales.push_back(in.scales.front() * ws / y.scales.front());
  FailureOr<quant::QuantizedType> yq =
      quantType(ctx, y, Float32Type::get(ctx.context()), 0);
  if (failed(yq))
    return failure();
  auto accType = cast<RankedTensorType>(acc.getType());
  OpBuilder &b = ctx.builder();
  ctx.setResult(0, RequantizeOp::create(
                       b, ctx.loc, accType.clone(*yq), acc,
                       b.getDenseF64ArrayAttr(scales), DenseI32ArrayAttr(),
                       DenseI8ArrayAttr(),
                       weight.perAxis ? b.getI64IntegerAttr(channelAxis)
                                      : IntegerAttr()));
  return success();
}

static LogicalResult importQLinearConv(NodeContext &ctx) {
  QuantParams xp, wp, yp;
  FailureOr<Value> x = quantizedInput(ctx, 0, 1, 2, true, 0, false, xp);
  if (failed(x))
    return failure();
  FailureOr<Value> w = quantizedInput(ctx, 3, 4, 5, true, 0, true, wp);
  if (failed(w))
    return failure();
  FailureOr<RankedTensorType> yScaleType = ctx.inputType(6);
  if (failed(yScaleType))
    return failure();
  auto u8 = IntegerType::get(ctx.context(), 8, IntegerType::Unsigned);
  FailureOr<QuantParams> y = readParams(ctx, 6, 7, u8);
  if (failed(y))
    return failure();
  if (y->perAxis)
    return ctx.unsupported("per-axis output quantization");
  Value bias;
  if (ctx.hasInput(8)) {
    FailureOr<Value> b = ctx.input(8);
    if (failed(b))
      return failure();
    bias = *b;
  }
  SmallVector<int64_t> strides, pads, dilations;
  if (failed(readConvAttrs(ctx, cast<RankedTensorType>(x->getType()),
                           cast<RankedTensorType>(w->getType()), strides, pads,
                           dilations)))
    return failure();
  FailureOr<Value> acc =
      buildInferred<QConv2DOp>(ctx, *x, *w, bias, strides, pads, dilations,
                               ctx.getInt("group", 1));
  if (failed(acc))
    return failure();
  return requantizeResult(ctx, *acc, xp, wp, *y, /*channelAxis=*/1);
}

static LogicalResult importQLinearMatMul(NodeContext &ctx) {
  QuantParams ap, bp;
  FailureOr<Value> a = quantizedInput(ctx, 0, 1, 2, true, 0, false, ap);
  if (failed(a))
    return failure();
  FailureOr<RankedTensorType> bType = ctx.inputType(3);
  if (failed(bType))
    return failure();
  FailureOr<Value> b =
      quantizedInput(ctx, 3, 4, 5, true, bType->getRank() - 1, true, bp);
  if (failed(b))
    return failure();
  auto u8 = IntegerType::get(ctx.context(), 8, IntegerType::Unsigned);
  FailureOr<QuantParams> y = readParams(ctx, 6, 7, u8);
  if (failed(y))
    return failure();
  if (y->perAxis)
    return ctx.unsupported("per-axis output quantization");
  FailureOr<Value> acc = buildInferred<QMatMulOp>(ctx, *a, *b);
  if (failed(acc))
    return failure();
  auto accType = cast<RankedTensorType>(acc->getType());
  return requantizeResult(ctx, *acc, ap, bp, *y, accType.getRank() - 1);
}

static LogicalResult importMatMulInteger(NodeContext &ctx) {
  QuantParams ap, bp;
  FailureOr<Value> a = quantizedInput(ctx, 0, 0, 2, false, 0, false, ap);
  if (failed(a))
    return failure();
  FailureOr<RankedTensorType> bType = ctx.inputType(1);
  if (failed(bType))
    return failure();
  FailureOr<Value> b =
      quantizedInput(ctx, 1, 0, 3, false, bType->getRank() - 1, true, bp);
  if (failed(b))
    return failure();
  FailureOr<Value> acc = buildInferred<QMatMulOp>(ctx, *a, *b);
  if (failed(acc))
    return failure();
  ctx.setResult(0, *acc);
  return success();
}

static LogicalResult importConvInteger(NodeContext &ctx) {
  QuantParams xp, wp;
  FailureOr<Value> x = quantizedInput(ctx, 0, 0, 2, false, 0, false, xp);
  if (failed(x))
    return failure();
  FailureOr<Value> w = quantizedInput(ctx, 1, 0, 3, false, 0, true, wp);
  if (failed(w))
    return failure();
  SmallVector<int64_t> strides, pads, dilations;
  if (failed(readConvAttrs(ctx, cast<RankedTensorType>(x->getType()),
                           cast<RankedTensorType>(w->getType()), strides, pads,
                           dilations)))
    return failure();
  FailureOr<Value> acc =
      buildInferred<QConv2DOp>(ctx, *x, *w, Value(), strides, pads, dilations,
                               ctx.getInt("group", 1));
  if (failed(acc))
    return failure();
  ctx.setResult(0, *acc);
  return success();
}

void onnx_import::registerQuantizeHandlers(HandlerRegistry &registry) {
  registry.add("QuantizeLinear", 10, importQuantizeLinear);
  registry.add("DequantizeLinear", 10, importDequantizeLinear);
  registry.add("QLinearConv", 10, importQLinearConv);
  registry.add("QLinearMatMul", 10, importQLinearMatMul);
  registry.add("MatMulInteger", 10, importMatMulInteger);
  registry.add("ConvInteger", 10, importConvInteger);
}
