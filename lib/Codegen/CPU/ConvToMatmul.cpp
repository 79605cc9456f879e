//===- ConvToMatmul.cpp - NCHW convolutions as im2col + contraction -------===//
//
// Part of the mc project: an MLIR compiler for compressed neural networks.
//
//===----------------------------------------------------------------------===//
//
// The mc-cpu-conv-to-matmul pass. Upstream's im2col rewrite needs static
// shapes; mc's models have a dynamic batch, so this one builds the patch
// gather itself and leaves the batch dimension symbolic.
//
//===----------------------------------------------------------------------===//

#include "mc/Codegen/CPU/Passes.h"

#include "mlir/Dialect/Affine/IR/AffineOps.h"
#include "mlir/Dialect/Linalg/IR/Linalg.h"
#include "mlir/Dialect/Tensor/IR/Tensor.h"
#include "mlir/IR/PatternMatch.h"
#include "mlir/Transforms/GreedyPatternRewriteDriver.h"

namespace mlir::mc {
#define GEN_PASS_DEF_MCCPUCONVTOMATMULPASS
#include "mc/Codegen/CPU/Passes.h.inc"
} // namespace mlir::mc

using namespace mlir;

namespace {

/// The collapsed [N, F, OH*OW] initial value of the product. A bias
/// broadcast along N, OH and OW (or a fill) is rebuilt in the collapsed
/// shape rather than collapsed after the fact: the tile-and-vectorize pass
/// then fuses it into each register tile, which starts from the bias in
/// registers instead of copying a materialized bias tensor.
Value collapseInit(PatternRewriter &rewriter, Location loc, Value init,
                   ArrayRef<ReassociationIndices> reassociation) {
  auto type = cast<RankedTensorType>(init.getType());
  auto collapsedType = tensor::CollapseShapeOp::inferCollapsedType(
      type, reassociation);
  auto emptyOfCollapsed = [&]() -> Value {
    SmallVector<OpFoldResult> sizes{
        tensor::getMixedSize(rewriter, loc, init, 0),
        rewriter.getIndexAttr(collapsedType.getDimSize(1)),
        rewriter.getIndexAttr(collapsedType.getDimSize(2))};
    return tensor::EmptyOp::create(rewriter, loc, sizes,
                                   type.getElementType());
  };
  if (auto broadcast = init.getDefiningOp<linalg::BroadcastOp>()) {
    if (broadcast.hasPureTensorSemantics() &&
        broadcast.getInput().getType().getRank() == 1 &&
        broadcast.getDimensions() == ArrayRef<int64_t>{0, 2, 3}) {
      Value empty = emptyOfCollapsed();
      return linalg::BroadcastOp::create(rewriter, loc, broadcast.getInput(),
                                         empty, ArrayRef<int64_t>{0, 2})
          ->getResult(0);
    }
  }
  if (auto fill = init.getDefiningOp<linalg::FillOp>()) {
    if (fill.hasPureTensorSemantics()) {
      Value empty = emptyOfCollapsed();
      return linalg::FillOp::create(rewriter, loc, fill.getInputs(), empty)
          .getResult(0);
    }
  }
  return tensor::CollapseShapeOp::create(rewriter, loc, init, reassociation);
}

struct ConvNchwToIm2ColMatmul : OpRewritePattern<linalg::Conv2DNchwFchwOp> {
  using OpRewritePattern::OpRewritePattern;

  LogicalResult matchAndRewrite(linalg::Conv2DNchwFchwOp op,
                                PatternRewriter &rewriter) const override {
    if (!op.hasPureTensorSemantics())
      return rewriter.notifyMatchFailure(op, "not on tensors");
    Value input = op.getDpsInputOperand(0)->get();
    Value filter = op.getDpsInputOperand(1)->get();
    Value init = op.getDpsInitOperand(0)->get();
    auto inputType = cast<RankedTensorType>(input.getType());
    auto filterType = cast<RankedTensorType>(filter.getType());
    auto outType = cast<RankedTensorType>(init.getType());
    Type elementType = outType.getElementType();
    if (!isa<FloatType>(elementType) ||
        inputType.getElementType() != elementType ||
        filterType.getElementType() != elementType)
      return rewriter.notifyMatchFailure(op, "not a float convolution");
    // Only the batch may be dynamic.
    if (!filterType.hasStaticShape() ||
        llvm::any_of(inputType.getShape().drop_front(), ShapedType::isDynamic) ||
        llvm::any_of(outType.getShape().drop_front(), ShapedType::isDynamic))
      return rewriter.notifyMatchFailure(op, "dynamic non-batch dimension");

    int64_t kh = filterType.getDimSize(2), kw = filterType.getDimSize(3);
    int64_t k = filterType.getDimSize(1) * kh * kw;
    int64_t oh = outType.getDimSize(2), ow = outType.getDimSize(3);
    auto strides = llvm::to_vector(op.getStrides().getValues<int64_t>());
    auto dilations = llvm::to_vector(op.getDilations().getValues<int64_t>());

    Location loc = op.getLoc();
    MLIRContext *ctx = rewriter.getContext();
    auto par = utils::IteratorType::parallel;

    // patches[n, k, oh, ow] = input[n, c, oh * sh + kh * dh, ow * sw + kw * dw]
    // with k = (c, kh, kw) linearized row-major. Along ow (the innermost
    // dimension) a unit-stride convolution reads its input contiguously,
    // which the vectorizer turns into plain vector loads. The contraction
    // takes the patches as [N, k, OH * OW].
    OpFoldResult batch = tensor::getMixedSize(rewriter, loc, input, 0);
    Value patchesInit = tensor::EmptyOp::create(
        rewriter, loc,
        ArrayRef<OpFoldResult>{batch, rewriter.getIndexAttr(k),
                               rewriter.getIndexAttr(oh),
                               rewriter.getIndexAttr(ow)},
        elementType);
    AffineExpr dk, dy, dx;
    bindDims(ctx, dk, dy, dx);
    AffineMap channelMap = AffineMap::get(3, 0, dk.floorDiv(kh * kw));
    AffineMap rowMap = AffineMap::get(
        3, 0, dy * strides[0] + (dk.floorDiv(kw) % kh) * dilations[0]);
    AffineMap colMap =
        AffineMap::get(3, 0, dx * strides[1] + (dk % kw) * dilations[1]);
    auto patches = linalg::GenericOp::create(
        rewriter, loc, patchesInit.getType(), ValueRange{},
        ValueRange{patchesInit},
        ArrayRef<AffineMap>{rewriter.getMultiDimIdentityMap(4)},
        ArrayRef<utils::IteratorType>{par, par, par, par},
        [&](OpBuilder &b, Location l, ValueRange) {
          Value n = linalg::IndexOp::create(b, l, 0);
          SmallVector<Value> kyx{linalg::IndexOp::create(b, l, 1),
                                 linalg::IndexOp::create(b, l, 2),
                                 linalg::IndexOp::create(b, l, 3)};
          Value c = affine::AffineApplyOp::create(b, l, channelMap, kyx);
          Value h = affine::AffineApplyOp::create(b, l, rowMap, kyx);
          Value w = affine::AffineApplyOp::create(b, l, colMap, kyx);
          Value v = tensor::ExtractOp::create(b, l, input,
                                              ValueRange{n, c, h, w});
          linalg::YieldOp::create(b, l, v);
        });
    SmallVector<ReassociationIndices> outReassociation{{0}, {1}, {2, 3}};
    Value patchesMat = tensor::CollapseShapeOp::create(
        rewriter, loc, patches.getResult(0), outReassociation);

    // out[n, f, p] += filter[f, k] * patches[n, k, p]
    Value filterMat = tensor::CollapseShapeOp::create(
        rewriter, loc, filter,
        ArrayRef<ReassociationIndices>{{0}, {1, 2, 3}});
    Value initMat = collapseInit(rewriter, loc, init, outReassociation);
    AffineExpr n, f, p, r;
    bindDims(ctx, n, f, p, r);
    SmallVector<AffineMap> maps{AffineMap::get(4, 0, {f, r}, ctx),
                                AffineMap::get(4, 0, {n, r, p}, ctx),
                                AffineMap::get(4, 0, {n, f, p}, ctx)};
    // linalg.contract rather than a generic: the vectorizer then emits one
    // vector.contract with these maps instead of broadcasts and a reduction.
    auto matmul = linalg::ContractOp::create(
        rewriter, loc, TypeRange{initMat.getType()},
        ValueRange{filterMat, patchesMat}, ValueRange{initMat},
        rewriter.getAffineMapArrayAttr(maps));
    rewriter.replaceOpWithNewOp<tensor::ExpandShapeOp>(
        op, outType, matmul.getResult(0), outReassociation);
    return success();
  }
};

struct MCCPUConvToMatmulPass
    : mc::impl::MCCPUConvToMatmulPassBase<MCCPUConvToMatmulPass> {
  using Base::Base;

  void runOnOperation() override {
    RewritePatternSet patterns(&getContext());
    patterns.add<ConvNchwToIm2ColMatmul>(&getContext());
    if (failed(applyPatternsGreedily(getOperation(), std::move(patterns))))
      signalPassFailure();
  }
};

} // namespace
