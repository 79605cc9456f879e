//===- Conv.cpp - ONNX convolution and pooling ----------------------------===//
//
// Part of the mc project: an MLIR compiler for compressed neural networks.
//
//===----------------------------------------------------------------------===//
//
// Conv, MaxPool, AveragePool, GlobalAveragePool and GlobalMaxPool. ONNX
// auto_pad is resolved into explicit pads here (spatial sizes are static).
// 1-D forms are imported as 2-D ones over a unit height: unsqueeze, the 2-D
// op, squeeze. 3-D pooling is separable and becomes two 2-D pools (see
// buildPool3D); GlobalMaxPool is a max pool whose window is the whole input,
// a 3-D GlobalAveragePool an mc.reduce_mean. Integer (int8/uint8) MaxPool
// pools quantized values of scale 1 (emitIntegerMaxPool).
//
//===----------------------------------------------------------------------===//

#include "ImporterImpl.h"

#include "mc/Dialect/MC/IR/MCOps.h"

using namespace mlir;
using namespace mlir::mc;
using namespace mlir::mc::onnx_import;

namespace {
/// Window attributes of a conv or pool, in mc's 2-D form.
struct Window {
  SmallVector<int64_t> kernel, strides, pads, dilations;
};
} // namespace

/// Reads kernel/strides/pads/dilations/auto_pad for the spatial axes of sizes
/// `inSizes` (pads as [begin..., end...]); with `widen1D` a 1-D window comes
/// back widened to 2-D over a unit height.
static FailureOr<Window> readWindow(NodeContext &ctx, ArrayRef<int64_t> kernel,
                                    ArrayRef<int64_t> inSizes,
                                    bool widen1D = true) {
  size_t n = kernel.size();
  Window w;
  w.kernel.assign(kernel.begin(), kernel.end());
  w.strides = ctx.getInts("strides", SmallVector<int64_t>(n, 1));
  w.dilations = ctx.getInts("dilations", SmallVector<int64_t>(n, 1));
  w.pads = ctx.getInts("pads", SmallVector<int64_t>(2 * n, 0));
  if (w.strides.size() != n || w.dilations.size() != n || w.pads.size() != 2 * n)
    return ctx.emitError() << "strides, dilations and pads must match the "
                           << n << " spatial dimension(s)",
           failure();
  std::string autoPad = ctx.getString("auto_pad", "NOTSET");
  if (autoPad == "VALID") {
    w.pads.assign(2 * n, 0);
  } else if (autoPad == "SAME_UPPER" || autoPad == "SAME_LOWER") {
    for (size_t i = 0; i < n; ++i) {
      if (ShapedType::isDynamic(inSizes[i]))
        return ctx.unsupported("auto_pad with a dynamic spatial size"),
               failure();
      int64_t out = (inSizes[i] + w.strides[i] - 1) / w.strides[i];
      int64_t span = (w.kernel[i] - 1) * w.dilations[i] + 1;
      int64_t total =
          std::max<int64_t>((out - 1) * w.strides[i] + span - inSizes[i], 0);
      int64_t small = total / 2, large = total - small;
      w.pads[i] = autoPad == "SAME_UPPER" ? small : large;
      w.pads[i + n] = autoPad == "SAME_UPPER" ? large : small;
    }
  } else if (autoPad != "NOTSET") {
    return ctx.unsupported("auto_pad value '" + autoPad + "'"), failure();
  }
  if (n == 1 && widen1D) {
    // Unit height in front: [1, k], pads [0, l, 0, r].
    w.kernel.insert(w.kernel.begin(), 1);
    w.strides.insert(w.strides.begin(), 1);
    w.dilations.insert(w.dilations.begin(), 1);
    w.pads = {0, w.pads[0], 0, w.pads[1]};
  }
  return w;
}

/// Checks the rank of a conv/pool input: 3 (1-D) or 4 (2-D).
static FailureOr<size_t> spatialRank(NodeContext &ctx, RankedTensorType type) {
  if (type.getRank() == 4 || type.getRank() == 3)
    return type.getRank() - 2;
  return ctx.unsupported(Twine(type.getRank() - 2) +
                         "-D spatial input (mc supports 1-D and 2-D)"),
         failure();
}

static FailureOr<Value> unsqueezeHeight(NodeContext &ctx, Value v) {
  return buildInferred<UnsqueezeOp>(ctx, v, ArrayRef<int64_t>{2});
}

static LogicalResult finish(NodeContext &ctx, FailureOr<Value> result,
                            size_t spatial) {
  if (failed(result))
    return failure();
  if (spatial == 1) {
    result = buildInferred<SqueezeOp>(ctx, *result, ArrayRef<int64_t>{2});
    if (failed(result))
      return failure();
  }
  ctx.setResult(0, *result);
  return success();
}

static LogicalResult importConv(NodeContext &ctx) {
  FailureOr<Value> input = ctx.input(0);
  FailureOr<Value> weight = ctx.input(1);
  if (failed(input) || failed(weight))
    return failure();
  auto inType = cast<RankedTensorType>(input->getType());
  auto wType = cast<RankedTensorType>(weight->getType());
  FailureOr<size_t> spatial = spatialRank(ctx, inType);
  if (failed(spatial))
    return failure();
  if (wType.getRank() != inType.getRank())
    return ctx.emitError() << "weight rank " << wType.getRank()
                           << " does not match input rank " << inType.getRank();
  if (!isa<FloatType>(inType.getElementType()))
    return ctx.unsupported("element type " +
                           typeString(inType.getElementType()) +
                           " (integer convolution is ConvInteger)");
  SmallVector<int64_t> kernel(wType.getShape().drop_front(2));
  if (ctx.hasAttr("kernel_shape") && ctx.getInts("kernel_shape") != kernel)
    return ctx.emitError() << "kernel_shape does not match the weight";
  FailureOr<Window> w =
      readWindow(ctx, kernel, inType.getShape().drop_front(2));
  if (failed(w))
    return failure();
  Value bias;
  if (ctx.hasInput(2)) {
    FailureOr<Value> b = ctx.input(2);
    if (failed(b))
      return failure();
    bias = *b;
  }
  if (*spatial == 1) {
    input = unsqueezeHeight(ctx, *input);
    weight = unsqueezeHeight(ctx, *weight);
    if (failed(input) || failed(weight))
      return failure();
  }
  return finish(ctx,
                buildInferred<Conv2DOp>(ctx, *input, *weight, bias, w->strides,
                                        w->pads, w->dilations,
                                        ctx.getInt("group", 1)),
                *spatial);
}

/// The attributes of one pooling node, in ONNX's layout (one entry per
/// spatial axis; pads [begin..., end...]).
namespace {
struct PoolParams {
  SmallVector<int64_t> kernel, strides, pads, dilations;
  bool ceilMode = false;
  bool countIncludePad = false;
};
} // namespace

/// One 2-D pooling op of kind `OpTy` on a 4-D input.
template <typename OpTy>
static FailureOr<Value> buildPool2D(NodeContext &ctx, Value input,
                                    const PoolParams &p) {
  if constexpr (std::is_same_v<OpTy, MaxPool2DOp>)
    return buildInferred<MaxPool2DOp>(ctx, input, p.kernel, p.strides, p.pads,
                                      p.dilations, p.ceilMode);
  else
    return buildInferred<AvgPool2DOp>(ctx, input, p.kernel, p.strides, p.pads,
                                      p.ceilMode, p.countIncludePad);
}

/// A reshape of `v` to `shape` (at most one dynamic entry, the batch).
static Value reshapeTo(NodeContext &ctx, Value v, ArrayRef<int64_t> shape) {
  auto type = cast<RankedTensorType>(v.getType());
  return ReshapeOp::create(ctx.builder(), ctx.loc,
                           RankedTensorType::get(shape, type.getElementType()),
                           v);
}

/// 3-D pooling [N, C, D, H, W] as two 2-D ones. Both the window and the
/// part of it inside the input are boxes, so the maximum (or the mean, whose
/// divisor is the product of the per-axis counts, with or without
/// count_include_pad and ceil_mode) splits into a pass over (H, W) on
/// [N, C*D, H, W] and a pass over D on [N, C, D, H'*W'] with a window of
/// width 1.
template <typename OpTy>
static FailureOr<Value> buildPool3D(NodeContext &ctx, Value input,
                                    const PoolParams &p) {
  // Only the batch may be dynamic (the importer's contract), so each reshape
  // has at most one dynamic dimension.
  auto type = cast<RankedTensorType>(input.getType());
  ArrayRef<int64_t> s = type.getShape();
  PoolParams hw = p;
  hw.kernel = {p.kernel[1], p.kernel[2]};
  hw.strides = {p.strides[1], p.strides[2]};
  hw.dilations = {p.dilations[1], p.dilations[2]};
  hw.pads = {p.pads[1], p.pads[2], p.pads[4], p.pads[5]};
  FailureOr<Value> planes = buildPool2D<OpTy>(
      ctx, reshapeTo(ctx, input, {s[0], s[1] * s[2], s[3], s[4]}), hw);
  if (failed(planes))
    return failure();
  ArrayRef<int64_t> ps = cast<RankedTensorType>(planes->getType()).getShape();
  int64_t oh = ps[2], ow = ps[3];
  PoolParams d = p;
  d.kernel = {p.kernel[0], 1};
  d.strides = {p.strides[0], 1};
  d.dilations = {p.dilations[0], 1};
  d.pads = {p.pads[0], 0, p.pads[3], 0};
  FailureOr<Value> depth = buildPool2D<OpTy>(
      ctx, reshapeTo(ctx, *planes, {s[0], s[1], s[2], oh * ow}), d);
  if (failed(depth))
    return failure();
  int64_t od = cast<RankedTensorType>(depth->getType()).getDimSize(2);
  return reshapeTo(ctx, *depth, {s[0], s[1], od, oh, ow});
}

/// Pooling `OpTy` over the 1, 2 or 3 spatial axes of `input`.
template <typename OpTy>
static FailureOr<Value> emitPool(NodeContext &ctx, Value input,
                                 const PoolParams &p) {
  auto inType = cast<RankedTensorType>(input.getType());
  size_t spatial = inType.getRank() - 2;
  if (spatial == 3)
    return buildPool3D<OpTy>(ctx, input, p);
  if (spatial == 2)
    return buildPool2D<OpTy>(ctx, input, p);
  // 1-D: unit height in front, [1, k], pads [0, l, 0, r].
  PoolParams q = p;
  q.kernel.insert(q.kernel.begin(), 1);
  q.strides.insert(q.strides.begin(), 1);
  q.dilations.insert(q.dilations.begin(), 1);
  q.pads = {0, p.pads[0], 0, p.pads[1]};
  FailureOr<Value> unsqueezed = unsqueezeHeight(ctx, input);
  if (failed(unsqueezed))
    return failure();
  FailureOr<Value> pooled = buildPool2D<OpTy>(ctx, *unsqueezed, q);
  if (failed(pooled))
    return failure();
  return buildInferred<SqueezeOp>(ctx, *pooled, ArrayRef<int64_t>{2});
}

/// Max pooling on int8 / uint8 tensors (ONNX MaxPool from opset 12): the
/// integers are reinterpreted as quantized values of scale 1 and zero point
/// 0, whose maximum mc.max_pool2d takes on the stored integers, and back.
static FailureOr<Value> emitIntegerMaxPool(NodeContext &ctx, Value input,
                                           const PoolParams &p) {
  auto type = cast<RankedTensorType>(input.getType());
  auto intType = cast<IntegerType>(type.getElementType());
  bool isSigned = !intType.isUnsigned();
  unsigned width = intType.getWidth();
  auto emit = [&] { return ctx.emitError(); };
  auto q = quant::UniformQuantizedType::getChecked(
      emit, isSigned ? quant::QuantizationFlags::Signed : 0,
      IntegerType::get(ctx.context(), width), Float32Type::get(ctx.context()),
      /*scale=*/1.0, /*zeroPoint=*/0,
      isSigned ? -(int64_t(1) << (width - 1)) : 0,
      isSigned ? (int64_t(1) << (width - 1)) - 1 : (int64_t(1) << width) - 1);
  if (!q)
    return failure();
  Value asQuant =
      StorageCastOp::create(ctx.builder(), ctx.loc, type.clone(q), input);
  FailureOr<Value> pooled = emitPool<MaxPool2DOp>(ctx, asQuant, p);
  if (failed(pooled))
    return failure();
  auto pooledType = cast<RankedTensorType>(pooled->getType());
  return Value(StorageCastOp::create(ctx.builder(), ctx.loc,
                                     pooledType.clone(intType), *pooled));
}

/// Checks the input of a pooling node: 1 to 3 spatial axes; float, or
/// int8/uint8 where `allowInt8`.
static FailureOr<Value> poolInput(NodeContext &ctx, bool allowInt8 = false) {
  FailureOr<Value> input = ctx.input(0);
  if (failed(input))
    return failure();
  auto inType = cast<RankedTensorType>(input->getType());
  if (inType.getRank() < 3 || inType.getRank() > 5) {
    (void)ctx.unsupported(Twine(inType.getRank() - 2) +
                          "-D spatial input (mc pools over 1 to 3 spatial "
                          "dimensions)");
    return failure();
  }
  Type elementType = inType.getElementType();
  bool isInt8 = elementType.isInteger(8) && !elementType.isSignedInteger();
  if (!isa<FloatType>(elementType) && !(allowInt8 && isInt8)) {
    (void)ctx.unsupported("element type " + typeString(elementType));
    return failure();
  }
  return input;
}

template <typename OpTy>
static LogicalResult importPool(NodeContext &ctx) {
  constexpr bool isMax = std::is_same_v<OpTy, MaxPool2DOp>;
  if (failed(ctx.onlyFirstOutputsUsed(1)))
    return failure();
  FailureOr<Value> input = poolInput(ctx, /*allowInt8=*/isMax);
  if (failed(input))
    return failure();
  auto inType = cast<RankedTensorType>(input->getType());
  size_t spatial = inType.getRank() - 2;
  if (!ctx.hasAttr("kernel_shape"))
    return ctx.emitError() << "missing attribute 'kernel_shape'";
  SmallVector<int64_t> kernel = ctx.getInts("kernel_shape");
  if (kernel.size() != spatial)
    return ctx.emitError() << "kernel_shape has " << kernel.size()
                           << " entries for " << spatial
                           << " spatial dimension(s)";
  if (isMax && ctx.getInt("storage_order", 0) != 0)
    return ctx.unsupported("storage_order = 1");
  // readWindow widens 1-D windows to 2-D; emitPool wants ONNX's layout.
  FailureOr<Window> w = readWindow(ctx, kernel, inType.getShape().drop_front(2),
                                   /*widen1D=*/false);
  if (failed(w))
    return failure();
  if (!isMax && llvm::any_of(w->dilations, [](int64_t d) { return d != 1; }))
    return ctx.unsupported("dilated average pooling");
  PoolParams p{w->kernel, w->strides, w->pads, w->dilations,
               ctx.getInt("ceil_mode", 0) != 0,
               ctx.getInt("count_include_pad", 0) != 0};
  FailureOr<Value> result =
      isa<IntegerType>(inType.getElementType())
          ? emitIntegerMaxPool(ctx, *input, p)
          : emitPool<OpTy>(ctx, *input, p);
  if (failed(result))
    return failure();
  ctx.setResult(0, *result);
  return success();
}

/// GlobalMaxPool: max pooling with a window as large as the input.
static LogicalResult importGlobalMaxPool(NodeContext &ctx) {
  FailureOr<Value> input = poolInput(ctx);
  if (failed(input))
    return failure();
  // Spatial sizes are static: only the batch may be dynamic.
  ArrayRef<int64_t> sizes =
      cast<RankedTensorType>(input->getType()).getShape().drop_front(2);
  size_t n = sizes.size();
  PoolParams p{SmallVector<int64_t>(sizes), SmallVector<int64_t>(n, 1),
               SmallVector<int64_t>(2 * n, 0), SmallVector<int64_t>(n, 1)};
  FailureOr<Value> result = emitPool<MaxPool2DOp>(ctx, *input, p);
  if (failed(result))
    return failure();
  ctx.setResult(0, *result);
  return success();
}

static LogicalResult importGlobalAveragePool(NodeContext &ctx) {
  FailureOr<Value> input = poolInput(ctx);
  if (failed(input))
    return failure();
  auto inType = cast<RankedTensorType>(input->getType());
  size_t spatial = inType.getRank() - 2;
  if (spatial == 3) {
    // The mean over D, H and W, kept as size-1 dimensions.
    FailureOr<Value> mean = buildInferred<ReduceMeanOp>(
        ctx, *input, ArrayRef<int64_t>{2, 3, 4}, /*keepdims=*/true);
    if (failed(mean))
      return failure();
    ctx.setResult(0, *mean);
    return success();
  }
  if (spatial == 1) {
    input = unsqueezeHeight(ctx, *input);
    if (failed(input))
      return failure();
  }
  return finish(ctx, buildInferred<GlobalAvgPool2DOp>(ctx, *input), spatial);
}

void onnx_import::registerConvHandlers(HandlerRegistry &registry) {
  // Before opset 10 pools had no ceil_mode (nor MaxPool dilations, nor
  // AveragePool count_include_pad before 7): the attributes are simply absent
  // and take their defaults.
  registry.add("Conv", 1, importConv);
  registry.add("MaxPool", 1, importPool<MaxPool2DOp>);
  registry.add("AveragePool", 1, importPool<AvgPool2DOp>);
  registry.add("GlobalAveragePool", 1, importGlobalAveragePool);
  registry.add("GlobalMaxPool", 1, importGlobalMaxPool);
}
