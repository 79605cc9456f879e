//===- TileAndVectorize.cpp - Register tiles for contractions -------------===//
//
// Part of the mc project: an MLIR compiler for compressed neural networks.
//
//===----------------------------------------------------------------------===//
//
// The mc-cpu-tile-and-vectorize pass. A contraction is tiled in three
// rounds with upstream's TilingInterface (scf::tileUsingSCF), peeled so that
// full tiles are static, vectorized with linalg::vectorize, and its
// accumulator is hoisted out of the reduction loop into registers.
//
//===----------------------------------------------------------------------===//

#include "mc/Codegen/CPU/Passes.h"

#include "mlir/Dialect/Linalg/IR/Linalg.h"
#include "mlir/Dialect/Linalg/IR/LinalgInterfaces.h"
#include "mlir/Dialect/Linalg/Transforms/Transforms.h"
#include "mlir/Dialect/SCF/Transforms/TileUsingInterface.h"
#include "mlir/Dialect/SCF/Transforms/Transforms.h"
#include "mlir/Dialect/Tensor/Transforms/Transforms.h"
#include "mlir/Dialect/Vector/Transforms/LoweringPatterns.h"
#include "mlir/Dialect/Vector/Transforms/VectorRewritePatterns.h"
#include "mlir/IR/PatternMatch.h"
#include "mlir/Transforms/GreedyPatternRewriteDriver.h"
#include "mlir/Transforms/LoopInvariantCodeMotionUtils.h"

namespace mlir::mc {
#define GEN_PASS_DEF_MCCPUTILEANDVECTORIZEPASS
#include "mc/Codegen/CPU/Passes.h.inc"
} // namespace mlir::mc

using namespace mlir;

namespace {

/// Marks the contractions this pass works on; tiling clones attributes, so
/// the tiled ops of every round carry it too.
constexpr StringLiteral kMarker = "__mc_cpu_contraction__";

/// The loop dimensions of the innermost (vector) and second innermost (row)
/// output dimension of a contraction this pass handles, or failure.
struct TileDims {
  int64_t vectorDim = -1;
  int64_t rowDim = -1;
};

FailureOr<TileDims> getTileDims(linalg::LinalgOp op) {
  if (!op.hasPureTensorSemantics() || op.getNumDpsInits() != 1 ||
      op.getNumDpsInputs() != 2 || !linalg::isaContractionOpInterface(op))
    return failure();
  for (OpOperand &operand : op->getOpOperands())
    if (!isa<FloatType>(getElementTypeOrSelf(operand.get().getType())))
      return failure();
  AffineMap outMap = op.getMatchingIndexingMap(op.getDpsInitOperand(0));
  if (!outMap.isProjectedPermutation() || outMap.getNumResults() == 0)
    return failure();
  TileDims dims;
  unsigned numResults = outMap.getNumResults();
  dims.vectorDim = outMap.getDimPosition(numResults - 1);
  if (numResults > 1)
    dims.rowDim = outMap.getDimPosition(numResults - 2);
  return dims;
}

/// Runs every canonicalization pattern of the loaded dialects, plus the
/// folding of slices into vector transfers.
LogicalResult canonicalize(Operation *root) {
  MLIRContext *ctx = root->getContext();
  RewritePatternSet patterns(ctx);
  for (Dialect *dialect : ctx->getLoadedDialects())
    dialect->getCanonicalizationPatterns(patterns);
  for (RegisteredOperationName op : ctx->getRegisteredOperations())
    op.getCanonicalizationPatterns(patterns, ctx);
  tensor::populateFoldTensorSubsetOpPatterns(patterns);
  // A slice of a tensor.empty is a smaller tensor.empty: fused producers
  // then write per-tile buffers instead of slices of a whole-batch one.
  tensor::populateFoldTensorEmptyPatterns(patterns);
  return applyPatternsGreedily(root, std::move(patterns));
}

SmallVector<linalg::LinalgOp> collectMarked(Operation *root) {
  SmallVector<linalg::LinalgOp> ops;
  root->walk([&](linalg::LinalgOp op) {
    if (op->hasAttr(kMarker))
      ops.push_back(op);
  });
  return ops;
}

SmallVector<OpFoldResult> indexAttrs(OpBuilder &b, ArrayRef<int64_t> sizes) {
  return llvm::map_to_vector(
      sizes, [&](int64_t s) -> OpFoldResult { return b.getIndexAttr(s); });
}

/// An elementwise op that writes a fresh tensor.empty while one of its
/// inputs, of the same type, dies at it writes that input instead. One-shot
/// bufferization then updates the contraction's buffer in place (as it does
/// on its own for untiled ops), rather than allocating a second buffer.
void reuseDyingInputs(RewriterBase &rewriter, func::FuncOp func) {
  func.walk([&](linalg::GenericOp op) {
    if (!op.hasPureTensorSemantics() || op.getNumDpsInits() != 1 ||
        op.getNumParallelLoops() != op.getNumLoops() ||
        !llvm::all_of(op.getIndexingMapsArray(),
                      [](AffineMap m) { return m.isIdentity(); }))
      return;
    OpOperand *init = op.getDpsInitOperand(0);
    if (!init->get().getDefiningOp<tensor::EmptyOp>() ||
        op.payloadUsesValueFromOperand(init))
      return;
    for (OpOperand *input : op.getDpsInputOperands()) {
      Value v = input->get();
      if (v.getType() != init->get().getType() || !v.hasOneUse() ||
          !v.getDefiningOp() || v.getDefiningOp<arith::ConstantOp>())
        continue;
      rewriter.modifyOpInPlace(op, [&] { init->set(v); });
      return;
    }
  });
}

struct MCCPUTileAndVectorizePass
    : mc::impl::MCCPUTileAndVectorizePassBase<MCCPUTileAndVectorizePass> {
  using Base::Base;

  void runOnOperation() override;

private:
  LogicalResult tileOuterAndFuse(RewriterBase &rewriter, linalg::LinalgOp op);
  LogicalResult tileRegisters(RewriterBase &rewriter, linalg::LinalgOp op);
  LogicalResult tileRemaining(RewriterBase &rewriter, linalg::LinalgOp op);
};

/// Round 1: every parallel dimension but the register-tile ones by 1, with
/// the operands' producers fused into the loop nest.
LogicalResult
MCCPUTileAndVectorizePass::tileOuterAndFuse(RewriterBase &rewriter,
                                            linalg::LinalgOp op) {
  TileDims dims = *getTileDims(op);
  SmallVector<int64_t> sizes(op.getNumLoops(), 0);
  bool any = false;
  for (auto [i, type] : llvm::enumerate(op.getIteratorTypesArray())) {
    if (type != utils::IteratorType::parallel ||
        static_cast<int64_t>(i) == dims.vectorDim ||
        static_cast<int64_t>(i) == dims.rowDim)
      continue;
    sizes[i] = 1;
    any = true;
  }
  if (!any)
    return success();
  scf::SCFTileAndFuseOptions options;
  options.tilingOptions.setTileSizes(indexAttrs(rewriter, sizes));
  rewriter.setInsertionPoint(op);
  FailureOr<scf::SCFTileAndFuseResult> result =
      scf::tileConsumerAndFuseProducersUsingSCF(
          rewriter, cast<TilingInterface>(op.getOperation()), options);
  if (failed(result))
    return op.emitOpError("could not be tiled by 1 along its outer "
                          "parallel dimensions");
  for (OpResult res : op->getResults())
    if (Value replacement = result->replacements.lookup(res))
      rewriter.replaceAllUsesWith(res, replacement);
  rewriter.eraseOp(op);
  return success();
}

/// Round 2: the row and vector dimensions by the register tile; the loops
/// are peeled so that all but the last tile are static.
LogicalResult MCCPUTileAndVectorizePass::tileRegisters(RewriterBase &rewriter,
                                                       linalg::LinalgOp op) {
  TileDims dims = *getTileDims(op);
  SmallVector<int64_t> sizes(op.getNumLoops(), 0);
  sizes[dims.vectorDim] = vectorTile;
  if (dims.rowDim >= 0)
    sizes[dims.rowDim] = rowTile;
  scf::SCFTilingOptions options;
  options.setTileSizes(indexAttrs(rewriter, sizes));
  rewriter.setInsertionPoint(op);
  FailureOr<scf::SCFTilingResult> result = scf::tileUsingSCF(
      rewriter, cast<TilingInterface>(op.getOperation()), options);
  if (failed(result))
    return op.emitOpError("could not be tiled to register tiles");
  rewriter.replaceOp(op, result->replacements);
  // Innermost first: peeling an outer loop clones the (already peeled)
  // inner ones into both of its parts.
  for (LoopLikeOpInterface loop : llvm::reverse(result->loops)) {
    auto forOp = dyn_cast<scf::ForOp>(loop.getOperation());
    scf::ForOp partial;
    if (forOp)
      (void)scf::peelForLoopAndSimplifyBounds(rewriter, forOp, partial);
  }
  return success();
}

/// Round 3: dimensions still dynamic (a partial tile of a dynamic size) and
/// the reduction dimensions by 1, which leaves static tiles only.
LogicalResult MCCPUTileAndVectorizePass::tileRemaining(RewriterBase &rewriter,
                                                       linalg::LinalgOp op) {
  SmallVector<int64_t> ranges = op.getStaticLoopRanges();
  SmallVector<int64_t> sizes(op.getNumLoops(), 0);
  for (auto [i, type] : llvm::enumerate(op.getIteratorTypesArray()))
    if (type == utils::IteratorType::reduction ||
        ShapedType::isDynamic(ranges[i]))
      sizes[i] = 1;
  scf::SCFTilingOptions options;
  options.setTileSizes(indexAttrs(rewriter, sizes));
  rewriter.setInsertionPoint(op);
  FailureOr<scf::SCFTilingResult> result = scf::tileUsingSCF(
      rewriter, cast<TilingInterface>(op.getOperation()), options);
  if (failed(result))
    return op.emitOpError("could not be tiled along its reduction");
  rewriter.replaceOp(op, result->replacements);
  return success();
}

void MCCPUTileAndVectorizePass::runOnOperation() {
  if (rowTile <= 0 || vectorTile <= 0) {
    emitError(getOperation().getLoc())
        << "mc-cpu-tile-and-vectorize: row-tile and vector-tile must be "
           "positive (got "
        << static_cast<int64_t>(rowTile) << " and "
        << static_cast<int64_t>(vectorTile) << ")";
    return signalPassFailure();
  }
  func::FuncOp func = getOperation();
  IRRewriter rewriter(&getContext());
  reuseDyingInputs(rewriter, func);

  SmallVector<linalg::LinalgOp> targets;
  func.walk([&](linalg::LinalgOp op) {
    if (succeeded(getTileDims(op)))
      targets.push_back(op);
  });
  if (targets.empty())
    return;
  for (linalg::LinalgOp op : targets)
    op->setAttr(kMarker, rewriter.getUnitAttr());

  for (linalg::LinalgOp op : targets)
    if (failed(tileOuterAndFuse(rewriter, op)))
      return signalPassFailure();
  for (linalg::LinalgOp op : collectMarked(func))
    if (failed(tileRegisters(rewriter, op)))
      return signalPassFailure();
  // Folds the peeled bounds so that full tiles get static types.
  if (failed(canonicalize(func)))
    return signalPassFailure();
  for (linalg::LinalgOp op : collectMarked(func))
    if (failed(tileRemaining(rewriter, op)))
      return signalPassFailure();
  if (failed(canonicalize(func)))
    return signalPassFailure();

  for (linalg::LinalgOp op : collectMarked(func)) {
    op->removeAttr(kMarker);
    if (!op.hasPureTensorSemantics() ||
        llvm::any_of(op.getStaticLoopRanges(), ShapedType::isDynamic)) {
      op.emitOpError("tile has a dynamic shape after tiling");
      return signalPassFailure();
    }
    rewriter.setInsertionPoint(op);
    FailureOr<linalg::VectorizationResult> result = linalg::vectorize(
        rewriter, op, /*inputVectorSizes=*/{}, /*inputScalableVecDims=*/{},
        /*vectorizeNDExtract=*/false, /*flatten1DDepthwiseConv=*/false,
        /*assumeDynamicDimsMatchVecSizes=*/false,
        /*createNamedContraction=*/true);
    if (failed(result)) {
      op.emitOpError("could not be vectorized");
      return signalPassFailure();
    }
    rewriter.replaceOp(op, result->replacements);
  }

  {
    // Broadcasts folded into the transfers' permutation maps are split out
    // again so that they fold into the contraction's indexing maps: what is
    // left is a row-major `rows x cols x 1` matmul contraction.
    RewritePatternSet patterns(&getContext());
    vector::populateVectorTransferPermutationMapLoweringPatterns(patterns);
    vector::populateVectorReductionToContractPatterns(patterns);
    vector::populateCastAwayVectorLeadingOneDimPatterns(patterns);
    tensor::populateFoldTensorSubsetOpPatterns(patterns);
    if (failed(applyPatternsGreedily(func, std::move(patterns))))
      return signalPassFailure();
  }
  if (failed(canonicalize(func)))
    return signalPassFailure();

  // Keep the accumulator of each reduction loop in registers: hoist the
  // matching transfer_read/transfer_write pair on its iter_arg.
  SmallVector<LoopLikeOpInterface> loops;
  func.walk([&](LoopLikeOpInterface loop) { loops.push_back(loop); });
  for (LoopLikeOpInterface loop : loops) {
    moveLoopInvariantCode(loop);
    hoistLoopInvariantSubsets(rewriter, loop);
  }
  if (failed(canonicalize(func)))
    return signalPassFailure();
}

} // namespace
