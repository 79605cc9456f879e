//===- PretransposeWeights.cpp - Constant B of A * B^T, transposed --------===//
//
// Part of the mc project: an MLIR compiler for compressed neural networks.
//
//===----------------------------------------------------------------------===//
//
// The mc-cpu-pretranspose-weights pass: a matmul that reads a constant
// right-hand side through the transposed map gets the transposed constant
// instead, so that its rows are contiguous along the output columns.
//
//===----------------------------------------------------------------------===//

#include "mc/Codegen/CPU/Passes.h"

#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/Linalg/IR/Linalg.h"
#include "mlir/IR/BuiltinAttributes.h"
#include "mlir/IR/DialectResourceBlobManager.h"
#include "mlir/IR/PatternMatch.h"
#include "mlir/Transforms/GreedyPatternRewriteDriver.h"

namespace mlir::mc {
#define GEN_PASS_DEF_MCCPUPRETRANSPOSEWEIGHTSPASS
#include "mc/Codegen/CPU/Passes.h.inc"
} // namespace mlir::mc

using namespace mlir;

namespace {

/// The f32 elements of a constant attribute, inline or resource-backed;
/// false if they are not available.
bool getF32Elements(Attribute attr, SmallVectorImpl<float> &values) {
  if (auto dense = dyn_cast<DenseElementsAttr>(attr)) {
    if (!dense.getElementType().isF32())
      return false;
    llvm::append_range(values, dense.getValues<float>());
    return true;
  }
  if (auto resource = dyn_cast<DenseF32ResourceElementsAttr>(attr)) {
    std::optional<ArrayRef<float>> data = resource.tryGetAsArrayRef();
    if (!data)
      return false;
    llvm::append_range(values, *data);
    return true;
  }
  return false;
}

struct TransposeConstantRhs : OpRewritePattern<linalg::MatmulOp> {
  using OpRewritePattern::OpRewritePattern;

  LogicalResult matchAndRewrite(linalg::MatmulOp op,
                                PatternRewriter &rewriter) const override {
    if (!op.hasPureTensorSemantics())
      return rewriter.notifyMatchFailure(op, "not on tensors");
    MLIRContext *ctx = rewriter.getContext();
    AffineExpr m, n, k;
    bindDims(ctx, m, n, k);
    SmallVector<AffineMap> expected{AffineMap::get(3, 0, {m, k}, ctx),
                                    AffineMap::get(3, 0, {n, k}, ctx),
                                    AffineMap::get(3, 0, {m, n}, ctx)};
    if (op.getIndexingMapsArray() != expected)
      return rewriter.notifyMatchFailure(op, "not A * B^T");
    Value rhs = op.getDpsInputOperand(1)->get();
    auto constant = rhs.getDefiningOp<arith::ConstantOp>();
    auto type = dyn_cast<RankedTensorType>(rhs.getType());
    if (!constant || !type || !type.hasStaticShape())
      return rewriter.notifyMatchFailure(op, "rhs is not a static constant");
    SmallVector<float> values;
    if (!getF32Elements(constant.getValue(), values))
      return rewriter.notifyMatchFailure(op, "rhs elements are not f32");

    int64_t rows = type.getDimSize(0), cols = type.getDimSize(1);
    SmallVector<float> transposed(values.size());
    for (int64_t i = 0; i < rows; ++i)
      for (int64_t j = 0; j < cols; ++j)
        transposed[j * rows + i] = values[i * cols + j];
    auto transposedType = RankedTensorType::get({cols, rows}, rewriter.getF32Type());
    Value newRhs = arith::ConstantOp::create(
        rewriter, constant.getLoc(),
        DenseElementsAttr::get(transposedType, ArrayRef<float>(transposed)));
    rewriter.replaceOpWithNewOp<linalg::MatmulOp>(
        op, op->getResultTypes(),
        ValueRange{op.getDpsInputOperand(0)->get(), newRhs},
        ValueRange{op.getDpsInitOperand(0)->get()});
    return success();
  }
};

struct MCCPUPretransposeWeightsPass
    : mc::impl::MCCPUPretransposeWeightsPassBase<MCCPUPretransposeWeightsPass> {
  using Base::Base;

  void runOnOperation() override {
    RewritePatternSet patterns(&getContext());
    patterns.add<TransposeConstantRhs>(&getContext());
    if (failed(applyPatternsGreedily(getOperation(), std::move(patterns))))
      signalPassFailure();
  }
};

} // namespace
