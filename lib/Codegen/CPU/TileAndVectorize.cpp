//===- TileAndVectorize.cpp - Register tiles for contractions -------------===//
//
// Part of the mc project: an MLIR compiler for compressed neural networks.
//
//===----------------------------------------------------------------------===//
//
// The mc-cpu-tile-and-vectorize pass. Ops over images (NCHW and im2col
// tensors) are first put into one loop over the batch with their producers
// fused, so that a whole stack of convolutions runs image by image. A
// contraction is then tiled in three rounds with upstream's TilingInterface
// (scf::tileUsingSCF), peeled so that full tiles are static, vectorized with
// linalg::vectorize, and its accumulator is hoisted out of the reduction
// loop into registers. Elementwise ops, broadcasts, fills and gathers are
// tiled to rows and vectorized along their innermost dimension.
//
//===----------------------------------------------------------------------===//

#include "mc/Codegen/CPU/Passes.h"

#include "mlir/Dialect/Linalg/IR/Linalg.h"
#include "mlir/Dialect/Linalg/IR/LinalgInterfaces.h"
#include "mlir/Dialect/Linalg/Transforms/Transforms.h"
#include "mlir/Dialect/MemRef/Transforms/Transforms.h"
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

/// Marks the broadcasts and fills fused into register tiles as their
/// initial value: they are vectorized whole, so that the tile's accumulator
/// starts from their vector instead of a load.
constexpr StringLiteral kInitMarker = "__mc_cpu_tile_init__";

/// The longest row (in elements) vectorized as one vector value.
constexpr int64_t kMaxRow = 256;

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
  // tensor.dim of a result becomes a dim of the operands (in the end of
  // the function's arguments): a dim left on a whole-batch result would
  // keep alive the op that per-image fusion has cloned into its loop.
  memref::populateResolveRankedShapedTypeResultDimsPatterns(patterns);
  return applyPatternsGreedily(root, std::move(patterns));
}

/// Whether every result of `map` is a loop or a sum of loops with positive
/// constant coefficients.
bool isPositiveLinearMap(AffineMap map) {
  std::function<bool(AffineExpr)> positive = [&](AffineExpr e) {
    if (isa<AffineDimExpr>(e))
      return true;
    auto bin = dyn_cast<AffineBinaryOpExpr>(e);
    if (!bin)
      return false;
    if (bin.getKind() == AffineExprKind::Add)
      return positive(bin.getLHS()) && positive(bin.getRHS());
    if (bin.getKind() != AffineExprKind::Mul)
      return false;
    auto c = dyn_cast<AffineConstantExpr>(bin.getRHS());
    return c && c.getValue() > 0 && isa<AffineDimExpr>(bin.getLHS());
  };
  return llvm::all_of(map.getResults(), positive);
}

/// Whether `op` computes a tensor over images: a result of rank 3 or more
/// whose leading dimension is the batch, iterated by a parallel loop 0.
/// (Rank-2 results are matrices whose batch is the register tile's rows.)
bool isImageOp(Operation *op) {
  auto linalgOp = dyn_cast<linalg::LinalgOp>(op);
  if (!linalgOp || !linalgOp.hasPureTensorSemantics() ||
      linalgOp.getNumDpsInits() != 1 || linalgOp.getNumLoops() == 0)
    return false;
  auto type = dyn_cast<RankedTensorType>(op->getResult(0).getType());
  if (!type || type.getRank() < 3 || type.getDimSize(0) == 1)
    return false;
  // Tiling computes operand slices from the indexing maps; it is exact for
  // projected permutations and for sums of loops with positive
  // coefficients (the windows of convolutions and pooling, the 4 g + r of
  // the int8 convolution's product), not for other maps (e.g. the reversal
  // of a negative-step slice, floordiv/mod).
  if (!linalg::isaConvolutionOpInterface(linalgOp) &&
      !llvm::all_of(linalgOp.getIndexingMapsArray(), isPositiveLinearMap))
    return false;
  AffineMap outMap =
      linalgOp.getMatchingIndexingMap(linalgOp.getDpsInitOperand(0));
  return linalgOp.getIteratorTypesArray()[0] ==
             utils::IteratorType::parallel &&
         outMap.getResult(0) == getAffineDimExpr(0, op->getContext());
}

/// Whether a user of `op`'s result, looking through reshapes, is an op over
/// images (which then is the root that `op` is fused into).
bool feedsImageOp(Operation *op) {
  SmallVector<Value> worklist(op->getResults());
  while (!worklist.empty()) {
    Value v = worklist.pop_back_val();
    for (Operation *user : v.getUsers()) {
      if (isa<tensor::ExpandShapeOp, tensor::CollapseShapeOp>(user))
        worklist.append(user->result_begin(), user->result_end());
      else if (isImageOp(user))
        return true;
    }
  }
  return false;
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

/// Tiles `op` by `sizes` (0: not tiled) and replaces it with the loop nest.
FailureOr<scf::SCFTilingResult> tileOp(RewriterBase &rewriter, Operation *op,
                                       ArrayRef<int64_t> sizes) {
  scf::SCFTilingOptions options;
  options.setTileSizes(indexAttrs(rewriter, sizes));
  rewriter.setInsertionPoint(op);
  FailureOr<scf::SCFTilingResult> result =
      scf::tileUsingSCF(rewriter, cast<TilingInterface>(op), options);
  if (succeeded(result))
    rewriter.replaceOp(op, result->replacements);
  return result;
}

/// Tiles `op` with `options`, fusing its producers into the loops, and
/// replaces it with the loop nest.
FailureOr<scf::SCFTileAndFuseResult>
tileAndFuseOp(RewriterBase &rewriter, Operation *op,
              const scf::SCFTileAndFuseOptions &options) {
  rewriter.setInsertionPoint(op);
  FailureOr<scf::SCFTileAndFuseResult> result =
      scf::tileConsumerAndFuseProducersUsingSCF(
          rewriter, cast<TilingInterface>(op), options);
  if (failed(result))
    return failure();
  for (OpResult res : op->getResults())
    if (Value replacement = result->replacements.lookup(res))
      rewriter.replaceAllUsesWith(res, replacement);
  rewriter.eraseOp(op);
  return result;
}

/// Whether `op` only spreads values over its output (a broadcast or a
/// fill): cheap enough to be recomputed for every register tile.
bool isSpread(Operation *op) {
  return isa<linalg::BroadcastOp, linalg::FillOp>(op) &&
         cast<linalg::LinalgOp>(op).hasPureTensorSemantics();
}

/// An elementwise op that writes a fresh tensor.empty while one of its
/// inputs, of the same type, dies at it writes that input instead. One-shot
/// bufferization then updates the contraction's buffer in place (as it does
/// on its own for untiled ops), rather than allocating a second buffer.
void reuseDyingInputs(RewriterBase &rewriter, func::FuncOp func) {
  SmallVector<linalg::GenericOp> generics;
  func.walk([&](linalg::GenericOp op) { generics.push_back(op); });
  for (linalg::GenericOp op : generics) {
    if (!op.hasPureTensorSemantics() || op.getNumDpsInits() != 1 ||
        op.getNumParallelLoops() != op.getNumLoops() ||
        !llvm::all_of(op.getIndexingMapsArray(),
                      [](AffineMap m) { return m.isIdentity(); }))
      continue;
    OpOperand *init = op.getDpsInitOperand(0);
    if (!init->get().getDefiningOp<tensor::EmptyOp>() ||
        op.payloadUsesValueFromOperand(init))
      continue;
    for (OpOperand *input : op.getDpsInputOperands()) {
      Value v = input->get();
      if (v.getType() != init->get().getType() || !v.hasOneUse() ||
          !v.getDefiningOp() || v.getDefiningOp<arith::ConstantOp>())
        continue;
      // The input becomes the destination and the payload reads it through
      // the output's block argument, so that tiling slices one value (the
      // loop-carried destination) rather than two aliases of it.
      unsigned dropped = input->getOperandNumber();
      SmallVector<Value> inputs;
      SmallVector<AffineMap> maps;
      for (OpOperand *other : op.getDpsInputOperands())
        if (other->getOperandNumber() != dropped) {
          inputs.push_back(other->get());
          maps.push_back(op.getMatchingIndexingMap(other));
        }
      maps.push_back(op.getMatchingIndexingMap(init));
      rewriter.setInsertionPoint(op);
      auto inPlace = linalg::GenericOp::create(
          rewriter, op.getLoc(), op->getResultTypes(), inputs, ValueRange{v},
          maps, op.getIteratorTypesArray(),
          [&](OpBuilder &b, Location loc, ValueRange args) {
            Block *body = op.getBlock();
            IRMapping mapping;
            unsigned next = 0;
            for (OpOperand *other : op.getDpsInputOperands()) {
              BlockArgument arg = body->getArgument(other->getOperandNumber());
              mapping.map(arg, other->getOperandNumber() == dropped
                                   ? args.back()
                                   : args[next++]);
            }
            mapping.map(body->getArgument(init->getOperandNumber()),
                        args.back());
            for (Operation &inner : body->getOperations())
              b.clone(inner, mapping);
          });
      rewriter.replaceOp(op, inPlace->getResults());
      break;
    }
  }
}

/// A decomposed pad is `insert_slice %interior into fill(empty(sizes))`.
/// The empty tensor and the fill are moved up to right after the values
/// they use (the sizes, resolved beforehand to dimensions of the function's
/// inputs), so that they come before the ops that compute the interior:
/// empty-tensor elimination can then let those ops (e.g. the last pooling
/// of a per-image chain) write the interior of the padded buffer directly,
/// instead of a separate buffer copied into it after the loop.
void hoistPadFills(func::FuncOp func) {
  SmallVector<tensor::InsertSliceOp> inserts;
  func.walk([&](tensor::InsertSliceOp op) { inserts.push_back(op); });
  for (tensor::InsertSliceOp insert : inserts) {
    auto fill = insert.getDest().getDefiningOp<linalg::FillOp>();
    if (!fill || !fill.hasPureTensorSemantics() || !fill->hasOneUse())
      continue;
    auto empty = fill.getOutputs().front().getDefiningOp<tensor::EmptyOp>();
    if (!empty || !empty->hasOneUse())
      continue;
    Block *block = fill->getBlock();
    if (empty->getBlock() != block)
      continue;
    // The last definition of `values` in this block (values from enclosing
    // blocks dominate all of it), or null.
    auto lastDefinition = [&](ValueRange values) -> Operation * {
      Operation *last = nullptr;
      for (Value v : values) {
        Operation *def = v.getDefiningOp();
        if (def && def->getBlock() == block &&
            (!last || last->isBeforeInBlock(def)))
          last = def;
      }
      return last;
    };
    auto moveUpAfter = [&](Operation *op, Operation *after) {
      if (after)
        op->moveAfter(after);
      else
        op->moveBefore(&block->front());
    };
    // The sizes are dimensions of values defined earlier: they go up first.
    for (Value size : empty->getOperands())
      if (auto dim = size.getDefiningOp<tensor::DimOp>())
        if (dim->getBlock() == block && dim->hasOneUse())
          moveUpAfter(dim, lastDefinition(dim->getOperands()));
    SmallVector<Value> operands(empty->getOperands());
    operands.append(fill.getInputs().begin(), fill.getInputs().end());
    Operation *after = lastDefinition(operands);
    moveUpAfter(empty, after);
    fill->moveAfter(empty);
  }
}

/// Max pooling of a ReLU-like clamp, `max_pool(max(x, c), init = fill(v))`
/// (c a constant), is `max_pool(x, init = fill(max(v, c)))`: max is
/// monotonic and the window is never empty (NaN propagates the same way
/// through both). The clamp, a whole pass over the convolution's output
/// before pooling, then disappears; the clamp's value moves into the
/// pooling's initial value (-inf and 0 make 0).
void foldClampIntoMaxPooling(RewriterBase &rewriter, func::FuncOp func) {
  SmallVector<linalg::PoolingNchwMaxOp> pools;
  func.walk([&](linalg::PoolingNchwMaxOp op) { pools.push_back(op); });
  for (linalg::PoolingNchwMaxOp pool : pools) {
    if (!pool.hasPureTensorSemantics())
      continue;
    auto clamp = pool.getInputs()[0].getDefiningOp<linalg::GenericOp>();
    auto fill = pool.getOutputs()[0].getDefiningOp<linalg::FillOp>();
    if (!clamp || !fill || !clamp->hasOneUse() ||
        !clamp.hasPureTensorSemantics() || clamp.getNumDpsInputs() != 1 ||
        clamp.getNumDpsInits() != 1 ||
        clamp.getNumParallelLoops() != clamp.getNumLoops() ||
        !llvm::all_of(clamp.getIndexingMapsArray(),
                      [](AffineMap m) { return m.isIdentity(); }) ||
        clamp.getInputs()[0].getType() != clamp->getResult(0).getType())
      continue;
    Block *body = clamp.getBlock();
    if (body->getOperations().size() != 2)
      continue;
    auto max = dyn_cast<arith::MaximumFOp>(body->front());
    auto yield = cast<linalg::YieldOp>(body->getTerminator());
    if (!max || yield.getValues().front() != max.getResult())
      continue;
    BlockArgument in = body->getArgument(0);
    Value bound = max.getLhs() == in ? max.getRhs() : max.getLhs();
    if ((max.getLhs() != in && max.getRhs() != in) ||
        !bound.getDefiningOp<arith::ConstantOp>())
      continue;
    rewriter.setInsertionPoint(fill);
    Value init = arith::MaximumFOp::create(rewriter, fill.getLoc(),
                                           fill.getInputs()[0], bound);
    Value newFill =
        linalg::FillOp::create(rewriter, fill.getLoc(), init,
                               fill.getOutputs()[0])
            .getResult(0);
    rewriter.modifyOpInPlace(pool, [&] {
      pool.getDpsInputOperand(0)->set(clamp.getInputs()[0]);
      pool.getDpsInitOperand(0)->set(newFill);
    });
    rewriter.eraseOp(clamp);
    if (fill->use_empty())
      rewriter.eraseOp(fill);
  }
}

struct MCCPUTileAndVectorizePass
    : mc::impl::MCCPUTileAndVectorizePassBase<MCCPUTileAndVectorizePass> {
  using Base::Base;

  void runOnOperation() override;

private:
  LogicalResult vectorizePooling(RewriterBase &rewriter, linalg::LinalgOp op);
  LogicalResult tileImagesAndFuse(RewriterBase &rewriter, Operation *root);
  LogicalResult vectorizeRows(RewriterBase &rewriter, linalg::LinalgOp op);
  LogicalResult tileOuterAndFuse(RewriterBase &rewriter, linalg::LinalgOp op);
  LogicalResult tileRegisters(RewriterBase &rewriter, linalg::LinalgOp op);
  LogicalResult tileRemaining(RewriterBase &rewriter, linalg::LinalgOp op);
};

/// Round 0: the last op of a chain of ops over images is tiled by one image
/// and everything it is computed from is fused into that loop: convolution
/// (im2col, contraction, bias), ReLU, pooling and padding of one image then
/// follow each other while the image's activations are in cache, and no
/// tensor the size of the whole batch is materialized between them. Slices
/// are bubbled up through reshapes (the contraction's [N, F, H*W] result is
/// expanded to NCHW) so that fusion goes on past them. A producer with
/// other live users is not fused (it would be computed twice).
LogicalResult
MCCPUTileAndVectorizePass::tileImagesAndFuse(RewriterBase &rewriter,
                                             Operation *root) {
  auto linalgOp = cast<linalg::LinalgOp>(root);
  SmallVector<int64_t> sizes(linalgOp.getNumLoops(), 0);
  sizes[0] = 1;
  scf::SCFTileAndFuseOptions options;
  options.tilingOptions.setTileSizes(indexAttrs(rewriter, sizes));
  // The ops that feed only `root`, directly or through each other: walking
  // back through the block, an op joins when all its users have.
  llvm::SmallPtrSet<Operation *, 16> feedsOnlyRoot{root};
  for (Operation *op = root->getPrevNode(); op; op = op->getPrevNode()) {
    if (op->getNumResults() == 0 || !isPure(op))
      continue;
    if (llvm::all_of(op->getUsers(), [&](Operation *user) {
          return feedsOnlyRoot.contains(user);
        }))
      feedsOnlyRoot.insert(op);
  }
  options.setFusionControlFn(
      [&](tensor::ExtractSliceOp, OpResult producer, bool)
          -> std::optional<scf::SCFTileAndFuseOptions::ControlFnResult> {
        // Matrices (e.g. the [N*H*W, F] product of the int8 path) keep
        // their own tiling; only ops over images join the loop.
        Operation *owner = producer.getOwner();
        if (!feedsOnlyRoot.contains(owner) ||
            (isa<linalg::LinalgOp>(owner) && !isImageOp(owner)))
          return std::nullopt;
        return scf::SCFTileAndFuseOptions::ControlFnResult{};
      });
  RewritePatternSet cleanup(root->getContext());
  tensor::populateBubbleUpExtractSliceOpPatterns(cleanup);
  tensor::populateMergeConsecutiveInsertExtractSlicePatterns(cleanup);
  options.cleanupPatterns = FrozenRewritePatternSet(std::move(cleanup));
  if (failed(tileAndFuseOp(rewriter, root, options)))
    return root->emitOpError("could not be tiled by one image");
  return success();
}

/// Elementwise ops, broadcasts, fills and gathers (im2col) with a static
/// innermost dimension: every other dimension is tiled by 1 and the row is
/// vectorized. Ops whose rows are not vectorizable are left as they are
/// (they become scalar loops).
LogicalResult MCCPUTileAndVectorizePass::vectorizeRows(RewriterBase &rewriter,
                                                       linalg::LinalgOp op) {
  if (!op.hasPureTensorSemantics() || op.getNumDpsInits() != 1 ||
      op.getNumLoops() == 0 ||
      op.getNumParallelLoops() != op.getNumLoops() ||
      !llvm::all_of(op.getIndexingMapsArray(),
                    [](AffineMap m) { return m.isProjectedPermutation(); }))
    return success();
  AffineMap outMap = op.getMatchingIndexingMap(op.getDpsInitOperand(0));
  if (!outMap.isIdentity())
    return success();
  SmallVector<int64_t> ranges = op.getStaticLoopRanges();
  if (ShapedType::isDynamic(ranges.back()))
    return success();
  // Rows longer than kMaxRow are cut into equal pieces (the largest
  // divisor of the row length up to kMaxRow); without a divisor of at least
  // 8 the op stays scalar. (LLVM handles vectors of thousands of elements
  // badly.)
  int64_t rowLength = ranges.back();
  if (rowLength > kMaxRow) {
    int64_t piece = kMaxRow;
    while (rowLength % piece != 0)
      --piece;
    if (piece < 8)
      return success();
    rowLength = piece;
  }
  SmallVector<int64_t> sizes(op.getNumLoops(), 1);
  sizes.back() = rowLength == ranges.back() ? 0 : rowLength;
  linalg::LinalgOp row = op;
  if (rowLength != ranges.back() ||
      llvm::any_of(ArrayRef(ranges).drop_back(),
                   [](int64_t r) { return r != 1; })) {
    FailureOr<scf::SCFTilingResult> tiled = tileOp(rewriter, op, sizes);
    if (failed(tiled))
      return success();
    row = dyn_cast<linalg::LinalgOp>(tiled->tiledOps.front());
    if (!row)
      return success();
  }
  // Gathered rows (im2col) whose length is not a multiple of 8 are
  // vectorized with a masked vector of the next multiple of 16 (or power of
  // two below 16): one masked load and one masked store per row instead of
  // a split into 8-, 4-, 2- and 1-element pieces.
  SmallVector<int64_t> vectorSizes;
  int64_t length = row.getStaticLoopRanges().back();
  bool gathers = false;
  row->walk([&](tensor::ExtractOp) { gathers = true; });
  if (gathers && length % 8 != 0 &&
      llvm::all_of(row.getStaticLoopRanges(),
                   [](int64_t r) { return !ShapedType::isDynamic(r); })) {
    vectorSizes = llvm::to_vector(row.getStaticLoopRanges());
    vectorSizes.back() =
        length < 16 ? llvm::PowerOf2Ceil(length) : llvm::alignTo(length, 16);
  }
  SmallVector<bool> scalable(vectorSizes.size(), false);
  if (failed(linalg::vectorizeOpPrecondition(row, vectorSizes, scalable,
                                             /*vectorizeNDExtract=*/true)))
    return success();
  rewriter.setInsertionPoint(row);
  FailureOr<linalg::VectorizationResult> result = linalg::vectorize(
      rewriter, row, vectorSizes, scalable, /*vectorizeNDExtract=*/true);
  if (failed(result))
    return row->emitOpError("could not be vectorized");
  rewriter.replaceOp(row, result->replacements);
  return success();
}

/// NCHW pooling (max or sum, float or integer), tiled to one output row:
/// the KH input rows under the window are read as contiguous vectors and
/// combined elementwise with the pooling's own op first; then, for each of
/// the KW window columns, a `vector.shuffle` picks every stride-th element
/// of that combination and combines it into the output row, which
/// accumulates in a register (for 2x2 windows: two reads, three combines and
/// two shuffles per output row). An initial value made by `linalg.fill`
/// (-inf, 0) starts the register as that constant: the fill is not
/// materialized.
LogicalResult
MCCPUTileAndVectorizePass::vectorizePooling(RewriterBase &rewriter,
                                            linalg::LinalgOp op) {
  if (!isa<linalg::PoolingNchwMaxOp, linalg::PoolingNchwSumOp>(op) ||
      !op.hasPureTensorSemantics())
    return success();
  Block &body = op->getRegion(0).front();
  if (body.getOperations().size() != 2)
    return success();
  Operation &combine = body.front();
  if (combine.getNumOperands() != 2 || combine.getNumResults() != 1 ||
      !llvm::all_of(combine.getOperands(), [&](Value v) {
        return isa<BlockArgument>(v) &&
               cast<BlockArgument>(v).getOwner() == &body;
      }))
    return success();
  auto outType = cast<RankedTensorType>(op.getDpsInitOperand(0)->get().getType());
  auto windowType =
      cast<RankedTensorType>(op.getDpsInputOperand(1)->get().getType());
  if (!outType.hasStaticShape() || !windowType.hasStaticShape() ||
      windowType.getNumElements() > 64)
    return success();
  int64_t ow = outType.getDimSize(3);
  int64_t kh = windowType.getDimSize(0), kw = windowType.getDimSize(1);
  SmallVector<int64_t> strides, dilations;
  for (APInt v : op->getAttrOfType<DenseIntElementsAttr>("strides"))
    strides.push_back(v.getSExtValue());
  for (APInt v : op->getAttrOfType<DenseIntElementsAttr>("dilations"))
    dilations.push_back(v.getSExtValue());

  // Every window read stays inside the input row: the read covers all the
  // window's columns at once.
  auto inType = cast<RankedTensorType>(op.getDpsInputOperand(0)->get().getType());
  int64_t span = (ow - 1) * strides[1] + (kw - 1) * dilations[1] + 1;
  if (ShapedType::isDynamic(inType.getDimSize(3)) ||
      span > inType.getDimSize(3) || span > kMaxRow)
    return success();

  // An initial value filled with a constant needs no buffer: the output
  // row starts as that value in a register.
  Value fillValue;
  if (auto fill = op.getDpsInitOperand(0)->get().getDefiningOp<linalg::FillOp>()) {
    if (fill.hasPureTensorSemantics()) {
      fillValue = fill.getInputs().front();
      rewriter.modifyOpInPlace(op, [&] {
        op.getDpsInitOperand(0)->set(fill.getOutputs().front());
      });
    }
  }

  // One output row per tile: loops (n, c, oh, ow, kh, kw).
  linalg::LinalgOp row = op;
  if (outType.getDimSize(0) != 1 || outType.getDimSize(1) != 1 ||
      outType.getDimSize(2) != 1) {
    FailureOr<scf::SCFTilingResult> tiled =
        tileOp(rewriter, op, {1, 1, 1, 0, 0, 0});
    if (failed(tiled))
      return op.emitOpError("could not be tiled to output rows");
    row = cast<linalg::LinalgOp>(tiled->tiledOps.front());
  }
  // (`op`, with its payload, may be gone: take the tile's.)
  Operation &payload = row->getRegion(0).front().front();
  Value input = row.getDpsInputOperand(0)->get();
  Value init = row.getDpsInitOperand(0)->get();
  Type elementType = getElementTypeOrSelf(init.getType());
  Location loc = row.getLoc();
  rewriter.setInsertionPoint(row);
  Value zero = arith::ConstantIndexOp::create(rewriter, loc, 0);
  Value pad = arith::ConstantOp::create(rewriter, loc, elementType,
                                        rewriter.getZeroAttr(elementType));
  // The payload reads (input element, accumulator) in this order.
  auto combineVectors = [&](Value element, Value acc) -> Value {
    OperationState state(loc, payload.getName());
    for (Value operand : payload.getOperands())
      state.addOperands(cast<BlockArgument>(operand).getArgNumber() == 0
                            ? element
                            : acc);
    state.addTypes(acc.getType());
    state.addAttributes(payload.getAttrs());
    return rewriter.create(state)->getResult(0);
  };
  // Reads and writes of 1-D rows of rank-4 tensors. Rows whose length is
  // not a multiple of 8 are vectors of the next multiple of 16 (or power of
  // two below 16) under a mask: one masked load or store each instead of
  // pieces of 8, 4, 2 and 1 elements (the lanes past the row are not used).
  auto rowMap = AffineMapAttr::get(
      AffineMap::get(4, 0, getAffineDimExpr(3, rewriter.getContext())));
  auto padded = [](int64_t n) -> int64_t {
    if (n % 8 == 0)
      return n;
    return n < 16 ? static_cast<int64_t>(llvm::PowerOf2Ceil(n))
                  : static_cast<int64_t>(llvm::alignTo(n, 16));
  };
  int64_t owV = padded(ow), spanV = padded(span);
  auto maskOf = [&](int64_t length, int64_t lanes) -> Value {
    if (length == lanes)
      return Value();
    return vector::ConstantMaskOp::create(
        rewriter, loc, VectorType::get({lanes}, rewriter.getI1Type()),
        ArrayRef<int64_t>{length});
  };
  Value accMask = maskOf(ow, owV), lineMask = maskOf(span, spanV);
  ArrayAttr inBounds = rewriter.getBoolArrayAttr({true});
  auto accType = VectorType::get({owV}, elementType);
  auto lineType = VectorType::get({spanV}, elementType);
  Value acc =
      fillValue
          ? vector::BroadcastOp::create(rewriter, loc, accType, fillValue)
                .getResult()
          : vector::TransferReadOp::create(
                rewriter, loc, accType, init,
                ValueRange{zero, zero, zero, zero}, rowMap, pad, accMask,
                inBounds)
                .getResult();
  Value lines;
  for (int64_t y = 0; y < kh; ++y) {
    Value h = arith::ConstantIndexOp::create(rewriter, loc, y * dilations[0]);
    Value line = vector::TransferReadOp::create(
        rewriter, loc, lineType, input, ValueRange{zero, zero, h, zero},
        rowMap, pad, lineMask, inBounds);
    lines = lines ? combineVectors(line, lines) : line;
  }
  for (int64_t x = 0; x < kw; ++x) {
    SmallVector<int64_t> pick;
    for (int64_t i = 0; i < owV; ++i)
      pick.push_back(i < ow ? x * dilations[1] + i * strides[1] : 0);
    Value column = lines;
    if (spanV != owV || !llvm::equal(pick, llvm::seq<int64_t>(0, owV)))
      column = vector::ShuffleOp::create(rewriter, loc, lines, lines, pick);
    acc = combineVectors(column, acc);
  }
  Value result = vector::TransferWriteOp::create(
      rewriter, loc, acc, init, ValueRange{zero, zero, zero, zero}, rowMap,
      accMask, inBounds)->getResult(0);
  rewriter.replaceOp(row, result);
  return success();
}

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
  // The patches reach the contraction through a collapse_shape.
  RewritePatternSet cleanup(op->getContext());
  tensor::populateBubbleUpExtractSliceOpPatterns(cleanup);
  options.cleanupPatterns = FrozenRewritePatternSet(std::move(cleanup));
  if (failed(tileAndFuseOp(rewriter, op, options)))
    return op.emitOpError("could not be tiled by 1 along its outer "
                          "parallel dimensions");
  return success();
}

/// Round 2: the row and vector dimensions by the register tile; the loops
/// are peeled so that all but the last tile are static. A broadcast or fill
/// that initializes the accumulator (a bias) is fused into the tile, so
/// that the accumulator starts from it in registers rather than from a
/// copy of a materialized tensor.
LogicalResult MCCPUTileAndVectorizePass::tileRegisters(RewriterBase &rewriter,
                                                       linalg::LinalgOp op) {
  TileDims dims = *getTileDims(op);
  SmallVector<int64_t> sizes(op.getNumLoops(), 0);
  sizes[dims.vectorDim] = vectorTile;
  if (dims.rowDim >= 0)
    sizes[dims.rowDim] = rowTile;
  scf::SCFTileAndFuseOptions options;
  options.tilingOptions.setTileSizes(indexAttrs(rewriter, sizes));
  options.setFusionControlFn(
      [](tensor::ExtractSliceOp, OpResult producer, bool isDestination)
          -> std::optional<scf::SCFTileAndFuseOptions::ControlFnResult> {
        if (!isDestination || !isSpread(producer.getOwner()))
          return std::nullopt;
        return scf::SCFTileAndFuseOptions::ControlFnResult{};
      });
  FailureOr<scf::SCFTileAndFuseResult> result =
      tileAndFuseOp(rewriter, op, options);
  if (failed(result))
    return op.emitOpError("could not be tiled to register tiles");
  for (Operation *fused : result->tiledAndFusedOps)
    if (isSpread(fused))
      fused->setAttr(kInitMarker, rewriter.getUnitAttr());
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
  if (failed(tileOp(rewriter, op, sizes)))
    return op.emitOpError("could not be tiled along its reduction");
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
  {
    // A padded tensor becomes a fill of the padded shape with the source
    // inserted into it: empty-tensor elimination then lets the producer of
    // the source write the interior of the padded buffer directly.
    RewritePatternSet patterns(&getContext());
    linalg::populateDecomposePadPatterns(patterns);
    if (failed(applyPatternsGreedily(func, std::move(patterns))))
      return signalPassFailure();
  }
  {
    // Sizes of results in terms of the sizes of the function's inputs, so
    // that the fills of padded tensors can move up (hoistPadFills).
    RewritePatternSet patterns(&getContext());
    memref::populateResolveRankedShapedTypeResultDimsPatterns(patterns);
    if (failed(applyPatternsGreedily(func, std::move(patterns))))
      return signalPassFailure();
    hoistPadFills(func);
  }
  foldClampIntoMaxPooling(rewriter, func);

  if (failed(canonicalize(func)))
    return signalPassFailure();
  SmallVector<linalg::LinalgOp> targets;
  func.walk([&](linalg::LinalgOp op) {
    if (succeeded(getTileDims(op)))
      targets.push_back(op);
  });
  for (linalg::LinalgOp op : targets)
    op->setAttr(kMarker, rewriter.getUnitAttr());

  SmallVector<Operation *> imageRoots;
  func.walk([&](Operation *op) {
    if (isImageOp(op) && !feedsImageOp(op))
      imageRoots.push_back(op);
  });
  for (Operation *root : imageRoots)
    if (failed(tileImagesAndFuse(rewriter, root)))
      return signalPassFailure();
  if (failed(canonicalize(func)))
    return signalPassFailure();
  // After round 0: an op that writes its own input would be fused twice
  // (once per operand).
  reuseDyingInputs(rewriter, func);

  for (linalg::LinalgOp op : collectMarked(func))
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

  // The initial values of register tiles first, whole: the accumulators
  // then read back what these write, which canonicalization forwards.
  SmallVector<linalg::LinalgOp> inits;
  func.walk([&](linalg::LinalgOp op) {
    if (op->hasAttr(kInitMarker))
      inits.push_back(op);
  });
  for (linalg::LinalgOp op : inits) {
    op->removeAttr(kInitMarker);
    if (llvm::any_of(op.getStaticLoopRanges(), ShapedType::isDynamic))
      continue; // A partial tile: vectorized by rows below.
    rewriter.setInsertionPoint(op);
    FailureOr<linalg::VectorizationResult> result =
        linalg::vectorize(rewriter, op);
    if (failed(result)) {
      op.emitOpError("could not be vectorized");
      return signalPassFailure();
    }
    rewriter.replaceOp(op, result->replacements);
  }

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

  // Pooling before the rest: it takes over the fills of its initial values
  // (which are then dead, not vectorized).
  SmallVector<linalg::LinalgOp> pools;
  func.walk([&](linalg::LinalgOp op) { pools.push_back(op); });
  for (linalg::LinalgOp op : pools)
    if (failed(vectorizePooling(rewriter, op)))
      return signalPassFailure();
  SmallVector<linalg::LinalgOp> others;
  func.walk([&](linalg::LinalgOp op) { others.push_back(op); });
  for (linalg::LinalgOp op : others)
    if (isa<linalg::FillOp>(op) && op->use_empty())
      rewriter.eraseOp(op);
    else if (failed(vectorizeRows(rewriter, op)))
      return signalPassFailure();

  {
    // Masked transfers (gathered rows) carry their mask themselves.
    RewritePatternSet patterns(&getContext());
    vector::populateVectorMaskLoweringPatternsForSideEffectingOps(patterns);
    if (failed(applyPatternsGreedily(func, std::move(patterns))))
      return signalPassFailure();
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
