//===- AttachCalibration.cpp - Calibration statistics from a file ---------===//
//
// Part of the mc project: an MLIR compiler for compressed neural networks.
//
//===----------------------------------------------------------------------===//
//
// Implements mc-attach-calibration: reads a calibration file and attaches
// mc.calib / mc.calib_col_norm to the entry function.
//
//===----------------------------------------------------------------------===//

#include "mc/Calibration/Statistics.h"
#include "mc/Dialect/MC/Transforms/Passes.h"

namespace mlir::mc {
#define GEN_PASS_DEF_MCATTACHCALIBRATIONPASS
#include "mc/Dialect/MC/Transforms/Passes.h.inc"
} // namespace mlir::mc

using namespace mlir;
using namespace mlir::mc;

namespace {

struct AttachCalibrationPass
    : mc::impl::MCAttachCalibrationPassBase<AttachCalibrationPass> {
  using Base::Base;

  void runOnOperation() override {
    ModuleOp module = getOperation();
    if (file.empty()) {
      module.emitError() << "mc-attach-calibration: the 'file' option is "
                            "required";
      return signalPassFailure();
    }
    auto entry = module.lookupSymbol<func::FuncOp>(function);
    if (!entry || entry.isDeclaration()) {
      module.emitError() << "mc-attach-calibration: no function @" << function
                         << " with a body";
      return signalPassFailure();
    }
    llvm::Expected<CalibrationTable> table = readCalibrationTable(file);
    if (!table) {
      module.emitError() << "mc-attach-calibration: "
                         << llvm::toString(table.takeError());
      return signalPassFailure();
    }
    if (failed(attachCalibration(entry, *table)))
      return signalPassFailure();
  }
};

} // namespace
