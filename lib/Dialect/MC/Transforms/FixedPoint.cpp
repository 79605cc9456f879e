//===- FixedPoint.cpp - Float requantization scales to fixed point --------===//
//
// Part of the mc project: an MLIR compiler for compressed neural networks.
//
//===----------------------------------------------------------------------===//
//
// Implements mc-fixed-point: every mc.requantize in the float form
// (`scale`) gets the integer form (`multiplier`, `shift`) computed by
// quantizeMultiplier, so that the lowering needs integer arithmetic only.
//
//===----------------------------------------------------------------------===//

#include "mc/Dialect/MC/IR/MCOps.h"
#include "mc/Dialect/MC/Transforms/Passes.h"
#include "mc/Dialect/MC/Utils/QuantMath.h"

#include "mlir/IR/Builders.h"

namespace mlir::mc {
#define GEN_PASS_DEF_MCFIXEDPOINTPASS
#include "mc/Dialect/MC/Transforms/Passes.h.inc"
} // namespace mlir::mc

using namespace mlir;
using namespace mlir::mc;

namespace {

struct MCFixedPointPass : mc::impl::MCFixedPointPassBase<MCFixedPointPass> {
  using Base::Base;

  void runOnOperation() override {
    bool failed = false;
    getOperation().walk([&](RequantizeOp op) {
      if (!op.getScale())
        return;
      if (::failed(rewrite(op)))
        failed = true;
    });
    if (failed)
      signalPassFailure();
  }

  /// Replaces `scale` of `op` by `multiplier` and `shift`, or reports the
  /// first scale that has no encoding and leaves `op` unchanged.
  LogicalResult rewrite(RequantizeOp op) {
    ArrayRef<double> scales = *op.getScale();
    SmallVector<int32_t> multipliers;
    SmallVector<int8_t> shifts;
    for (auto [channel, scale] : llvm::enumerate(scales)) {
      FixedPointScale fp;
      ScaleError error = quantizeMultiplier(scale, fp);
      if (error != ScaleError::None) {
        InFlightDiagnostic diag = op.emitOpError("scale ") << scale;
        if (op.getAxis())
          diag << " of channel " << channel;
        diag << " " << describeScaleError(error);
        return diag;
      }
      multipliers.push_back(fp.multiplier);
      shifts.push_back(static_cast<int8_t>(fp.shift));
    }
    Builder b(op.getContext());
    op.removeScaleAttr();
    op.setMultiplierAttr(b.getDenseI32ArrayAttr(multipliers));
    op.setShiftAttr(b.getDenseI8ArrayAttr(shifts));
    ++numOps;
    numScales += scales.size();
    return success();
  }
};

} // namespace
