//===- InsertObservers.cpp - Calibration variant of the entry function ----===//
//
// Part of the mc project: an MLIR compiler for compressed neural networks.
//
//===----------------------------------------------------------------------===//
//
// Implements mc-insert-observers: clones the entry function into a variant
// that returns every observed float tensor (the taps), with a manifest
// saying which statistic of which key each tap feeds. mc-compile --calib
// compiles that variant and runs it over the calibration inputs.
//
//===----------------------------------------------------------------------===//

#include "mc/Calibration/Statistics.h"
#include "mc/Dialect/MC/IR/MCOps.h"
#include "mc/Dialect/MC/Transforms/Passes.h"

#include "mlir/IR/Builders.h"
#include "mlir/IR/IRMapping.h"
#include "llvm/ADT/MapVector.h"

namespace mlir::mc {
#define GEN_PASS_DEF_MCINSERTOBSERVERSPASS
#include "mc/Dialect/MC/Transforms/Passes.h.inc"
} // namespace mlir::mc

using namespace mlir;
using namespace mlir::mc;

namespace {

struct InsertObserversPass
    : mc::impl::MCInsertObserversPassBase<InsertObserversPass> {
  using Base::Base;

  void runOnOperation() override {
    ModuleOp module = getOperation();
    auto entry = module.lookupSymbol<func::FuncOp>(function);
    if (!entry || entry.isDeclaration()) {
      module.emitError() << "mc-insert-observers: no function @" << function
                         << " with a body";
      return signalPassFailure();
    }
    if (calibFunction.empty() || calibFunction == function) {
      module.emitError() << "mc-insert-observers: calib-function must name a "
                            "new function, not '"
                         << calibFunction << "'";
      return signalPassFailure();
    }
    if (module.lookupSymbol(calibFunction)) {
      module.emitError() << "mc-insert-observers: a symbol @" << calibFunction
                         << " already exists";
      return signalPassFailure();
    }

    OpBuilder builder(module.getContext());
    builder.setInsertionPointAfter(entry);
    auto calib = cast<func::FuncOp>(builder.clone(*entry));
    calib.setSymName(calibFunction);
    calib.setPublic();

    // The observed values of the clone and their keys are those of the
    // entry function: the clone is identical.
    SmallVector<ObservedValue> observed = getObservedValues(calib);

    // One tap per distinct value; a value feeds one or more statistics.
    llvm::MapVector<Value, SmallVector<std::pair<std::string, StringRef>>>
        taps;
    for (const ObservedValue &value : observed)
      taps[value.value].push_back({value.key, "range"});
    for (const ObservedValue &value : observed)
      if (value.op && hasColumnNorms(value.op))
        taps[value.op->getOperand(0)].push_back({value.key, "col_norm"});

    auto returnOp = cast<func::ReturnOp>(calib.getBody().back().getTerminator());
    builder.setInsertionPoint(returnOp);
    SmallVector<Value> results;
    SmallVector<Attribute> manifest;
    SmallVector<DictionaryAttr> resultAttrs;
    for (auto &[value, uses] : taps) {
      Value tap = value;
      auto type = cast<RankedTensorType>(value.getType());
      if (!type.getElementType().isF32())
        tap = CastOp::create(builder, value.getLoc(),
                             type.clone(builder.getF32Type()), value);
      int64_t index = results.size();
      results.push_back(tap);
      resultAttrs.push_back(builder.getDictionaryAttr(builder.getNamedAttr(
          "mc.name", builder.getStringAttr(uses.front().first))));
      for (auto &[key, stat] : uses)
        manifest.push_back(builder.getDictionaryAttr(
            {builder.getNamedAttr("key", builder.getStringAttr(key)),
             builder.getNamedAttr("stat", builder.getStringAttr(stat)),
             builder.getNamedAttr("tap", builder.getI64IntegerAttr(index))}));
    }
    if (results.empty()) {
      calib.erase();
      module.emitError() << "mc-insert-observers: @" << function
                         << " has no float tensor to observe";
      return signalPassFailure();
    }
    func::ReturnOp::create(builder, returnOp.getLoc(), results);
    returnOp.erase();
    calib.setFunctionType(builder.getFunctionType(
        calib.getArgumentTypes(), ValueRange(results).getTypes()));
    calib.setAllResultAttrs(resultAttrs);
    calib->setAttr(kCalibTapsAttrName, builder.getArrayAttr(manifest));
    numTaps = results.size();
  }
};

} // namespace
