//===- FoldQDQ.cpp - Integer layers from imported QDQ chains --------------===//
//
// Part of the mc project: an MLIR compiler for compressed neural networks.
//
//===----------------------------------------------------------------------===//
//
// Implements mc-fold-qdq: a float mc.linear / mc.conv2d between
// mc.dequantize inputs and an mc.quantize output (the QDQ form of ONNX
// quantized models) becomes mc.qlinear / mc.qconv2d + mc.requantize, the
// form mc-quantize produces. Only the parameters already present in the
// quantized types are used.
//
//===----------------------------------------------------------------------===//

#include "mc/Dialect/MC/IR/MCOps.h"
#include "mc/Dialect/MC/IR/Weights.h"
#include "mc/Dialect/MC/Transforms/Passes.h"

#include "mlir/Dialect/Quant/IR/QuantTypes.h"
#include "mlir/IR/Matchers.h"
#include "mlir/IR/PatternMatch.h"
#include "mlir/Transforms/GreedyPatternRewriteDriver.h"

#include <cmath>

namespace mlir::mc {
#define GEN_PASS_DEF_MCFOLDQDQPASS
#include "mc/Dialect/MC/Transforms/Passes.h.inc"
} // namespace mlir::mc

using namespace mlir;
using namespace mlir::mc;

namespace {

/// Relative tolerance when comparing a bias scale with s_in * s_w[c]: the
/// exporter computes it in f32.
constexpr double kScaleTolerance = 1e-6;

/// The per-tensor quantized element type of `v`'s tensor, or null.
static quant::UniformQuantizedType perTensorType(Value v) {
  return dyn_cast<quant::UniformQuantizedType>(
      cast<RankedTensorType>(v.getType()).getElementType());
}

/// Scales and zero points of a quantized weight type: per tensor, or per
/// axis along `axis`. Empty when it is neither.
static void weightParams(Type element, int64_t axis,
                         SmallVectorImpl<double> &scales, bool &perAxis) {
  perAxis = false;
  if (auto t = dyn_cast<quant::UniformQuantizedType>(element)) {
    scales.push_back(t.getScale());
    return;
  }
  if (auto t = dyn_cast<quant::UniformQuantizedPerAxisType>(element)) {
    if (t.getQuantizedDimension() != axis)
      return;
    scales.append(t.getScales().begin(), t.getScales().end());
    perAxis = true;
  }
}

/// quantize(dequantize(x)) to x's own type is x.
struct FoldRoundTrip : OpRewritePattern<QuantizeOp> {
  using OpRewritePattern::OpRewritePattern;
  LogicalResult matchAndRewrite(QuantizeOp op,
                                PatternRewriter &rewriter) const override {
    auto dq = op.getInput().getDefiningOp<DequantizeOp>();
    if (!dq || dq.getInput().getType() != op.getType())
      return rewriter.notifyMatchFailure(op, "not a round trip");
    rewriter.replaceOp(op, dq.getInput());
    return success();
  }
};

/// quantize(pool-or-shape(dequantize(x))) to x's type runs the op on x.
struct FoldPassThrough : OpRewritePattern<QuantizeOp> {
  FoldPassThrough(MLIRContext *ctx, llvm::Statistic &count)
      : OpRewritePattern(ctx), count(count) {}
  LogicalResult matchAndRewrite(QuantizeOp op,
                                PatternRewriter &rewriter) const override {
    Operation *inner = op.getInput().getDefiningOp();
    if (!inner || !isa<MaxPool2DOp, ReshapeOp, FlattenOp>(inner) ||
        !inner->hasOneUse())
      return rewriter.notifyMatchFailure(op, "not a pooling or shape op");
    auto dq = inner->getOperand(0).getDefiningOp<DequantizeOp>();
    auto qType = perTensorType(op.getResult());
    if (!dq || !qType || perTensorType(dq.getInput()) != qType)
      return rewriter.notifyMatchFailure(op, "input is not of the same type");
    rewriter.setInsertionPoint(inner);
    Operation *clone = rewriter.clone(*inner);
    clone->setOperand(0, dq.getInput());
    clone->getResult(0).setType(op.getType());
    rewriter.replaceOp(op, clone->getResults());
    ++count;
    return success();
  }
  llvm::Statistic &count;
};

/// quantize(relu?(linear | conv2d (dequantize x, dequantize w, bias)))
/// becomes requantize(qlinear | qconv2d (x, w, bias_i32)).
template <typename LayerOp>
struct FoldLayer : OpRewritePattern<QuantizeOp> {
  FoldLayer(MLIRContext *ctx, llvm::Statistic &count)
      : OpRewritePattern<QuantizeOp>(ctx), count(count) {}

  LogicalResult matchAndRewrite(QuantizeOp op,
                                PatternRewriter &rewriter) const override {
    auto outType = perTensorType(op.getResult());
    if (!outType)
      return rewriter.notifyMatchFailure(op, "output not per tensor");
    Value v = op.getInput();
    auto relu = v.getDefiningOp<ReluOp>();
    if (relu) {
      // Saturation at the storage minimum is the ReLU only when that
      // minimum stands for 0.
      if (outType.getZeroPoint() != outType.getStorageTypeMin() ||
          !relu->hasOneUse())
        return rewriter.notifyMatchFailure(op, "ReLU does not fold");
      v = relu.getInput();
    }
    auto layer = v.getDefiningOp<LayerOp>();
    if (!layer || !layer->hasOneUse())
      return rewriter.notifyMatchFailure(op, "no single-use layer");
    auto xdq = layer.getInput().template getDefiningOp<DequantizeOp>();
    auto wdq = layer.getWeight().template getDefiningOp<DequantizeOp>();
    if (!xdq || !wdq)
      return rewriter.notifyMatchFailure(op, "operands not dequantized");
    Value xq = xdq.getInput(), wq = wdq.getInput();
    auto inType = perTensorType(xq);
    if (!inType || !outType.getExpressedType().isF32())
      return rewriter.notifyMatchFailure(op, "input not per tensor");
    SmallVector<double> wScales;
    bool perAxis;
    weightParams(cast<RankedTensorType>(wq.getType()).getElementType(),
                 /*axis=*/0, wScales, perAxis);
    if (wScales.empty())
      return rewriter.notifyMatchFailure(op, "weight not per output channel");
    double sIn = inType.getScale();
    int64_t channels = cast<RankedTensorType>(wq.getType()).getDimSize(0);

    // The bias: integers at scale s_in * s_w[c], or a float constant.
    Location loc = layer.getLoc();
    rewriter.setInsertionPoint(layer);
    Value bias;
    if (Value b = layer.getBias()) {
      auto bBuilt = buildBias(rewriter, loc, b, sIn, wScales, channels);
      if (failed(bBuilt))
        return rewriter.notifyMatchFailure(op, "bias at another scale");
      bias = *bBuilt;
    }

    auto resultType = cast<RankedTensorType>(layer.getType());
    auto accType = resultType.clone(rewriter.getI32Type());
    Value acc;
    int64_t channelAxis;
    if constexpr (std::is_same_v<LayerOp, Conv2DOp>) {
      acc = QConv2DOp::create(rewriter, loc, accType, xq, wq, bias,
                              layer.getStridesAttr(), layer.getPadsAttr(),
                              layer.getDilationsAttr(), layer.getGroupsAttr());
      channelAxis = 1;
    } else {
      acc = QLinearOp::create(rewriter, loc, accType, xq, wq, bias);
      channelAxis = resultType.getRank() - 1;
    }
    SmallVector<double> scales;
    for (double sw : wScales)
      scales.push_back(sIn * sw / outType.getScale());
    rewriter.setInsertionPoint(op);
    rewriter.replaceOpWithNewOp<RequantizeOp>(
        op, op.getType(), acc, rewriter.getDenseF64ArrayAttr(scales),
        DenseI32ArrayAttr(), DenseI8ArrayAttr(),
        perAxis ? rewriter.getI64IntegerAttr(channelAxis) : IntegerAttr());
    if (relu)
      rewriter.eraseOp(relu);
    rewriter.eraseOp(layer);
    ++count;
    return success();
  }

  /// An i32 bias for `b`: the stored integers of a dequantized i32 bias
  /// whose scales are s_in * s_w[c] and zero points 0, or
  /// round(b / (s_in * s_w[c])) of a float constant.
  static FailureOr<Value> buildBias(PatternRewriter &rewriter, Location loc,
                                    Value b, double sIn,
                                    ArrayRef<double> wScales,
                                    int64_t channels) {
    auto scaleAt = [&](int64_t c) {
      return sIn * wScales[wScales.size() == 1 ? 0 : c];
    };
    auto i32 = rewriter.getI32Type();
    auto bType = RankedTensorType::get({channels}, i32);
    if (auto dq = b.getDefiningOp<DequantizeOp>()) {
      auto qType = cast<RankedTensorType>(dq.getInput().getType());
      SmallVector<double> bScales;
      SmallVector<int64_t> bZeroPoints;
      auto element = qType.getElementType();
      if (auto t = dyn_cast<quant::UniformQuantizedType>(element)) {
        bScales.push_back(t.getScale());
        bZeroPoints.push_back(t.getZeroPoint());
      } else if (auto t =
                     dyn_cast<quant::UniformQuantizedPerAxisType>(element)) {
        bScales.append(t.getScales().begin(), t.getScales().end());
        bZeroPoints.append(t.getZeroPoints().begin(), t.getZeroPoints().end());
      }
      auto q = cast<quant::QuantizedType>(element);
      if (bScales.empty() || q.getStorageTypeIntegralWidth() != 32 ||
          !q.isSigned() || qType.getRank() != 1 ||
          qType.getDimSize(0) != channels)
        return failure();
      for (int64_t c = 0; c < channels; ++c) {
        double s = bScales[bScales.size() == 1 ? 0 : c];
        int64_t zp = bZeroPoints[bZeroPoints.size() == 1 ? 0 : c];
        if (zp != 0 || std::fabs(s - scaleAt(c)) > kScaleTolerance * scaleAt(c))
          return failure();
      }
      return Value(StorageCastOp::create(rewriter, loc, bType, dq.getInput()));
    }
    ElementsAttr attr;
    if (!matchPattern(b, m_Constant(&attr)))
      return failure();
    std::optional<SmallVector<float>> values = getF32Values(attr);
    if (!values || (int64_t)values->size() != channels)
      return failure();
    SmallVector<int32_t> q;
    for (int64_t c = 0; c < channels; ++c) {
      double v = std::nearbyint((double)(*values)[c] / scaleAt(c));
      if (!(std::fabs(v) <= 2147483647.0))
        return failure();
      q.push_back((int32_t)v);
    }
    return Value(ConstantOp::create(
        rewriter, loc,
        createWeightAttr(bType, "qbias",
                         ArrayRef<char>(reinterpret_cast<const char *>(q.data()),
                                        q.size() * sizeof(int32_t)))));
  }

  llvm::Statistic &count;
};

struct MCFoldQDQPass : mc::impl::MCFoldQDQPassBase<MCFoldQDQPass> {
  using Base::Base;
  void runOnOperation() override {
    MLIRContext *ctx = &getContext();
    RewritePatternSet patterns(ctx);
    patterns.add<FoldRoundTrip>(ctx);
    patterns.add<FoldPassThrough>(ctx, numPassThrough);
    patterns.add<FoldLayer<LinearOp>, FoldLayer<Conv2DOp>>(ctx, numLayers);
    if (failed(applyPatternsGreedily(getOperation(), std::move(patterns))))
      signalPassFailure();
  }
};

} // namespace
