//===- Conv.cpp - ONNX convolution and pooling ----------------------------===//
//
// Part of the mc project: an MLIR compiler for compressed neural networks.
//
//===----------------------------------------------------------------------===//
//
// Conv, MaxPool, AveragePool and GlobalAveragePool. ONNX auto_pad is resolved
// into explicit pads here (spatial sizes are static). 1-D forms are imported
// as 2-D ones over a unit height: unsqueeze, the 2-D op, squeeze.
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

/// Reads kernel/strides/pads/dilations/auto_pad for `spatialRank` (1 or 2)
/// spatial axes of sizes `inSizes` and returns them widened to 2-D.
static FailureOr<Window> readWindow(NodeContext &ctx, ArrayRef<int64_t> kernel,
                                    ArrayRef<int64_t> inSizes) {
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
  if (n == 1) {
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

template <typename OpTy>
static LogicalResult importPool(NodeContext &ctx) {
  constexpr bool isMax = std::is_same_v<OpTy, MaxPool2DOp>;
  FailureOr<Value> input = ctx.input(0);
  if (failed(input))
    return failure();
  if (failed(ctx.onlyFirstOutputsUsed(1)))
    return failure();
  auto inType = cast<RankedTensorType>(input->getType());
  FailureOr<size_t> spatial = spatialRank(ctx, inType);
  if (failed(spatial))
    return failure();
  if (!isa<FloatType>(inType.getElementType()))
    return ctx.unsupported("element type " +
                           typeString(inType.getElementType()));
  if (!ctx.hasAttr("kernel_shape"))
    return ctx.emitError() << "missing attribute 'kernel_shape'";
  SmallVector<int64_t> kernel = ctx.getInts("kernel_shape");
  if (kernel.size() != *spatial)
    return ctx.emitError() << "kernel_shape has " << kernel.size()
                           << " entries for " << *spatial
                           << " spatial dimension(s)";
  if (isMax && ctx.getInt("storage_order", 0) != 0)
    return ctx.unsupported("storage_order = 1");
  FailureOr<Window> w =
      readWindow(ctx, kernel, inType.getShape().drop_front(2));
  if (failed(w))
    return failure();
  bool ceilMode = ctx.getInt("ceil_mode", 0) != 0;
  if (*spatial == 1) {
    input = unsqueezeHeight(ctx, *input);
    if (failed(input))
      return failure();
  }
  if constexpr (isMax) {
    return finish(ctx,
                  buildInferred<MaxPool2DOp>(ctx, *input, w->kernel,
                                             w->strides, w->pads, w->dilations,
                                             ceilMode),
                  *spatial);
  } else {
    if (llvm::any_of(w->dilations, [](int64_t d) { return d != 1; }))
      return ctx.unsupported("dilated average pooling");
    return finish(ctx,
                  buildInferred<AvgPool2DOp>(
                      ctx, *input, w->kernel, w->strides, w->pads, ceilMode,
                      ctx.getInt("count_include_pad", 0) != 0),
                  *spatial);
  }
}

static LogicalResult importGlobalAveragePool(NodeContext &ctx) {
  FailureOr<Value> input = ctx.input(0);
  if (failed(input))
    return failure();
  auto inType = cast<RankedTensorType>(input->getType());
  FailureOr<size_t> spatial = spatialRank(ctx, inType);
  if (failed(spatial))
    return failure();
  if (!isa<FloatType>(inType.getElementType()))
    return ctx.unsupported("element type " +
                           typeString(inType.getElementType()));
  if (*spatial == 1) {
    input = unsqueezeHeight(ctx, *input);
    if (failed(input))
      return failure();
  }
  return finish(ctx, buildInferred<GlobalAvgPool2DOp>(ctx, *input), *spatial);
}

void onnx_import::registerConvHandlers(HandlerRegistry &registry) {
  // Before opset 10 pools had no ceil_mode (nor MaxPool dilations): the
  // attributes are simply absent and take their defaults.
  registry.add("Conv", 1, importConv);
  registry.add("MaxPool", 8, importPool<MaxPool2DOp>);
  registry.add("AveragePool", 7, importPool<AvgPool2DOp>);
  registry.add("GlobalAveragePool", 1, importGlobalAveragePool);
}
