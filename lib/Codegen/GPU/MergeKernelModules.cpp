//===- MergeKernelModules.cpp - One gpu.module for all kernels ------------===//
//
// Part of the mc project: an MLIR compiler for compressed neural networks.
//
//===----------------------------------------------------------------------===//
//
// The mc-gpu-merge-kernel-modules pass: moves the kernels that
// gpu-kernel-outlining put into one gpu.module each into a single module and
// retargets the launches.
//
//===----------------------------------------------------------------------===//

#include "mc/Codegen/GPU/Passes.h"

#include "mlir/Dialect/GPU/IR/GPUDialect.h"
#include "mlir/IR/SymbolTable.h"

namespace mlir::mc {
#define GEN_PASS_DEF_MCGPUMERGEKERNELMODULESPASS
#include "mc/Codegen/GPU/Passes.h.inc"
} // namespace mlir::mc

using namespace mlir;

namespace {

struct MCGPUMergeKernelModulesPass
    : mc::impl::MCGPUMergeKernelModulesPassBase<MCGPUMergeKernelModulesPass> {
  using Base::Base;

  void runOnOperation() override {
    ModuleOp module = getOperation();
    SmallVector<gpu::GPUModuleOp> kernelModules;
    for (auto kernels : module.getOps<gpu::GPUModuleOp>())
      if (!kernels.getTargetsAttr())
        kernelModules.push_back(kernels);
    if (kernelModules.size() < 2)
      return;

    gpu::GPUModuleOp first = kernelModules.front();
    SymbolTable firstTable(first);
    // (old module, old function) -> new function name in `first`.
    llvm::DenseMap<std::pair<StringAttr, StringAttr>, StringAttr> renamed;
    for (gpu::GPUModuleOp kernels : llvm::drop_begin(kernelModules)) {
      SmallVector<Operation *> moved;
      SmallVector<std::pair<StringAttr, StringAttr>> localRenames;
      for (Operation &op :
           llvm::make_early_inc_range(kernels.getBody()->getOperations())) {
        auto symbol = dyn_cast<SymbolOpInterface>(&op);
        if (!symbol) {
          op.emitError() << "cannot merge '" << op.getName()
                         << "' into another gpu.module";
          return signalPassFailure();
        }
        StringAttr oldName = symbol.getNameAttr();
        op.remove();
        // Outlined kernels are all named after their host function: name
        // them after their module, which is unique in the parent module.
        if (isa<gpu::GPUFuncOp>(op))
          symbol.setName(kernels.getSymNameAttr());
        // insert() renames again if the name is taken in `first`.
        StringAttr newName = firstTable.insert(&op);
        renamed[{kernels.getSymNameAttr(), oldName}] = newName;
        if (newName != oldName)
          localRenames.push_back({oldName, newName});
        moved.push_back(&op);
      }
      // Uses inside the moved ops of a renamed symbol (e.g. a global).
      for (auto [oldName, newName] : localRenames)
        for (Operation *op : moved)
          if (failed(SymbolTable::replaceAllSymbolUses(oldName, newName, op))) {
            op->emitError() << "cannot rename uses of '" << oldName.getValue()
                            << "'";
            return signalPassFailure();
          }
    }

    // Retarget the launches, then drop the emptied modules.
    module.walk([&](gpu::LaunchFuncOp launch) {
      SymbolRefAttr kernel = launch.getKernel();
      auto it = renamed.find(
          {kernel.getRootReference(), kernel.getLeafReference()});
      if (it != renamed.end())
        launch.setKernelAttr(SymbolRefAttr::get(
            first.getSymNameAttr(), {FlatSymbolRefAttr::get(it->second)}));
    });
    for (gpu::GPUModuleOp kernels : llvm::drop_begin(kernelModules))
      kernels.erase();
  }
};

} // namespace
