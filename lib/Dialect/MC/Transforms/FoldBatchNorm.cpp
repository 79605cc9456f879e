//===- FoldBatchNorm.cpp - Fold batch norm into conv / linear -------------===//
//
// Part of the mc project: an MLIR compiler for compressed neural networks.
//
//===----------------------------------------------------------------------===//
//
// Implements mc-fold-batch-norm: an inference-mode mc.batch_norm after an
// mc.conv2d or mc.linear with constant parameters becomes a rescaled weight
// and a shifted bias of that layer.
//
//===----------------------------------------------------------------------===//

#include "mc/Dialect/MC/IR/MCOps.h"
#include "mc/Dialect/MC/IR/Weights.h"
#include "mc/Dialect/MC/Transforms/Passes.h"

#include "mlir/IR/Matchers.h"
#include "mlir/IR/PatternMatch.h"
#include "mlir/Transforms/GreedyPatternRewriteDriver.h"

#include <cmath>

namespace mlir::mc {
#define GEN_PASS_DEF_MCFOLDBATCHNORMPASS
#include "mc/Dialect/MC/Transforms/Passes.h.inc"
} // namespace mlir::mc

using namespace mlir;
using namespace mlir::mc;

namespace {

/// The f32 values of `v` if it is produced by a constant.
static std::optional<SmallVector<float>> constantF32(Value v) {
  ElementsAttr attr;
  if (!v || !matchPattern(v, m_Constant(&attr)))
    return std::nullopt;
  return getF32Values(attr);
}

/// Name for a folded constant: the layer's location name when it has one.
static std::string foldedName(Operation *layer, StringRef suffix) {
  if (auto named = dyn_cast<NameLoc>(layer->getLoc()))
    return (named.getName().getValue() + suffix).str();
  return ("folded" + suffix).str();
}

template <typename LayerOp>
struct FoldIntoLayer : OpRewritePattern<BatchNormOp> {
  FoldIntoLayer(MLIRContext *ctx, llvm::Statistic &folded)
      : OpRewritePattern(ctx), folded(folded) {}

  LogicalResult matchAndRewrite(BatchNormOp bn,
                                PatternRewriter &rewriter) const override {
    auto layer = bn.getInput().template getDefiningOp<LayerOp>();
    if (!layer)
      return rewriter.notifyMatchFailure(bn, "producer is not the layer kind");
    if (!layer->hasOneUse())
      return rewriter.notifyMatchFailure(bn, "layer has other users");
    auto resultType = cast<RankedTensorType>(layer.getType());
    // Batch norm normalizes axis 1; for linear that is the feature axis only
    // when the result is 2-D.
    if (std::is_same_v<LayerOp, LinearOp> && resultType.getRank() != 2)
      return rewriter.notifyMatchFailure(bn, "linear result is not 2-D");
    if (!resultType.getElementType().isF32())
      return rewriter.notifyMatchFailure(bn, "only f32 is folded");

    auto weight = constantF32(layer.getWeight());
    auto scale = constantF32(bn.getScale()), shift = constantF32(bn.getBias()),
         mean = constantF32(bn.getMean()), var = constantF32(bn.getVar());
    if (!weight || !scale || !shift || !mean || !var)
      return rewriter.notifyMatchFailure(bn, "non-constant parameters");
    size_t channels = scale->size();
    std::optional<SmallVector<float>> bias;
    if (layer.getBias()) {
      bias = constantF32(layer.getBias());
      if (!bias)
        return rewriter.notifyMatchFailure(bn, "non-constant layer bias");
    } else {
      bias = SmallVector<float>(channels, 0.0f);
    }

    // Per-channel factor k = scale / sqrt(var + eps), computed in double so
    // the folded layer differs from the original by float rounding only.
    double eps = bn.getEpsilon().convertToDouble();
    SmallVector<float> newBias(channels);
    SmallVector<float> newWeight(*weight);
    size_t perChannel = weight->size() / channels;
    for (size_t c = 0; c < channels; ++c) {
      double k = (*scale)[c] / std::sqrt((double)(*var)[c] + eps);
      for (size_t i = 0; i < perChannel; ++i)
        newWeight[c * perChannel + i] =
            (float)((double)(*weight)[c * perChannel + i] * k);
      newBias[c] =
          (float)(((double)(*bias)[c] - (*mean)[c]) * k + (double)(*shift)[c]);
    }

    auto weightType = cast<RankedTensorType>(layer.getWeight().getType());
    auto biasType = RankedTensorType::get({(int64_t)channels},
                                          weightType.getElementType());
    Location loc = layer.getLoc();
    // The layer uses the new constants, so they must come before it (the
    // rewriter's default insertion point is the batch norm, after it).
    rewriter.setInsertionPoint(layer);
    Value w = ConstantOp::create(
        rewriter, loc,
        createWeightAttr(weightType, foldedName(layer, ".weight"),
                         ArrayRef<float>(newWeight)));
    Value b = ConstantOp::create(
        rewriter, loc,
        createWeightAttr(biasType, foldedName(layer, ".bias"),
                         ArrayRef<float>(newBias)));
    rewriter.modifyOpInPlace(layer, [&] {
      layer.getWeightMutable().assign(w);
      if (layer.getBias())
        layer.getBiasMutable().assign(b);
      else
        layer.getBiasMutable().append(b);
    });
    rewriter.replaceOp(bn, layer.getResult());
    ++folded;
    return success();
  }

  llvm::Statistic &folded;
};

struct MCFoldBatchNormPass
    : mc::impl::MCFoldBatchNormPassBase<MCFoldBatchNormPass> {
  using Base::Base;
  void runOnOperation() override {
    RewritePatternSet patterns(&getContext());
    patterns.add<FoldIntoLayer<Conv2DOp>, FoldIntoLayer<LinearOp>>(
        &getContext(), numFolded);
    if (failed(applyPatternsGreedily(getOperation(), std::move(patterns))))
      signalPassFailure();
  }
};

} // namespace
