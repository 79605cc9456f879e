//===- MemRefCopyToLinalg.cpp - Strided memref.copy to linalg.copy --------===//
//
// Part of the mc project: an MLIR compiler for compressed neural networks.
//
//===----------------------------------------------------------------------===//
//
// The mc-memref-copy-to-linalg pass: copies that the LLVM lowering would
// turn into a call to the `memrefCopy` runtime function become linalg.copy
// (and later loops), so generated code needs no MLIR runtime library.
//
//===----------------------------------------------------------------------===//

#include "mc/Codegen/Common/Passes.h"

#include "mlir/Dialect/Linalg/IR/Linalg.h"
#include "mlir/Dialect/MemRef/IR/MemRef.h"
#include "mlir/Dialect/MemRef/Utils/MemRefUtils.h"
#include "mlir/IR/PatternMatch.h"
#include "mlir/Transforms/GreedyPatternRewriteDriver.h"

namespace mlir::mc {
#define GEN_PASS_DEF_MCMEMREFCOPYTOLINALGPASS
#include "mc/Codegen/Common/Passes.h.inc"
} // namespace mlir::mc

using namespace mlir;

namespace {

/// Mirrors the test in MemRefToLLVM's copy lowering: a copy between two such
/// memrefs becomes a memcpy intrinsic, anything else a runtime call.
bool lowersToMemcpy(Type type) {
  auto memref = dyn_cast<MemRefType>(type);
  return memref && (memref.getLayout().isIdentity() ||
                    memref::isStaticShapeAndContiguousRowMajor(memref));
}

struct StridedCopyToLinalg : OpRewritePattern<memref::CopyOp> {
  using OpRewritePattern::OpRewritePattern;

  LogicalResult matchAndRewrite(memref::CopyOp op,
                                PatternRewriter &rewriter) const override {
    Type source = op.getSource().getType(), target = op.getTarget().getType();
    if (lowersToMemcpy(source) && lowersToMemcpy(target))
      return rewriter.notifyMatchFailure(op, "contiguous: becomes a memcpy");
    if (!isa<MemRefType>(source) || !isa<MemRefType>(target))
      return rewriter.notifyMatchFailure(op, "unranked memrefs");
    rewriter.replaceOpWithNewOp<linalg::CopyOp>(op, ValueRange{op.getSource()},
                                                ValueRange{op.getTarget()});
    return success();
  }
};

struct MCMemRefCopyToLinalgPass
    : mc::impl::MCMemRefCopyToLinalgPassBase<MCMemRefCopyToLinalgPass> {
  using Base::Base;

  void runOnOperation() override {
    RewritePatternSet patterns(&getContext());
    patterns.add<StridedCopyToLinalg>(&getContext());
    if (failed(applyPatternsGreedily(getOperation(), std::move(patterns))))
      signalPassFailure();
  }
};

} // namespace
