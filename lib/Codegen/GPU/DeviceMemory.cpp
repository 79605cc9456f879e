//===- DeviceMemory.cpp - Host buffers to GPU memory ----------------------===//
//
// Part of the mc project: an MLIR compiler for compressed neural networks.
//
//===----------------------------------------------------------------------===//
//
// The mc-gpu-device-memory pass: after kernel outlining, the host functions
// allocate their buffers with gpu.alloc, copy constant globals to device
// memory, and must not touch buffer contents themselves.
//
//===----------------------------------------------------------------------===//

#include "mc/Codegen/GPU/Passes.h"

#include "mlir/Dialect/GPU/IR/GPUDialect.h"
#include "mlir/Dialect/MemRef/IR/MemRef.h"
#include "mlir/IR/Builders.h"
#include "mlir/Interfaces/SideEffectInterfaces.h"

namespace mlir::mc {
#define GEN_PASS_DEF_MCGPUDEVICEMEMORYPASS
#include "mc/Codegen/GPU/Passes.h.inc"
} // namespace mlir::mc

using namespace mlir;

namespace {

/// True if `op` reads or writes the contents of a buffer.
bool accessesBufferContents(Operation *op) {
  if (isa<memref::AllocaOp, memref::CopyOp>(op))
    return true;
  auto effects = dyn_cast<MemoryEffectOpInterface>(op);
  if (!effects)
    return false;
  SmallVector<MemoryEffects::EffectInstance> instances;
  effects.getEffects(instances);
  return llvm::any_of(instances, [](const MemoryEffects::EffectInstance &e) {
    Value value = e.getValue();
    return value && isa<BaseMemRefType>(value.getType()) &&
           isa<MemoryEffects::Read, MemoryEffects::Write>(e.getEffect());
  });
}

LogicalResult moveToDevice(func::FuncOp func) {
  // Anything left that dereferences a buffer on the host is an op that no
  // kernel took over.
  WalkResult checked = func.walk([&](Operation *op) {
    if (isa<memref::AllocOp, memref::DeallocOp, memref::GetGlobalOp>(op) ||
        op->getDialect()->getNamespace() == "gpu")
      return WalkResult::advance();
    if (accessesBufferContents(op)) {
      op->emitError() << "'" << op->getName()
                      << "' accesses a buffer on the host; with "
                         "--target=cuda every buffer is in device memory "
                         "and must be read and written by GPU kernels";
      return WalkResult::interrupt();
    }
    return WalkResult::advance();
  });
  if (checked.wasInterrupted())
    return failure();

  IRRewriter rewriter(func.getContext());
  SmallVector<memref::AllocOp> allocs;
  SmallVector<memref::DeallocOp> deallocs;
  SmallVector<memref::GetGlobalOp> globals;
  func.walk([&](Operation *op) {
    if (auto alloc = dyn_cast<memref::AllocOp>(op))
      allocs.push_back(alloc);
    else if (auto dealloc = dyn_cast<memref::DeallocOp>(op))
      deallocs.push_back(dealloc);
    else if (auto global = dyn_cast<memref::GetGlobalOp>(op))
      globals.push_back(global);
  });
  for (memref::AllocOp alloc : allocs) {
    rewriter.setInsertionPoint(alloc);
    auto device = gpu::AllocOp::create(
        rewriter, alloc.getLoc(), alloc.getType(), /*asyncToken=*/Type(),
        /*asyncDependencies=*/ValueRange(), alloc.getDynamicSizes(),
        alloc.getSymbolOperands(), /*hostShared=*/false);
    rewriter.replaceOp(alloc, device.getMemref());
  }
  for (memref::DeallocOp dealloc : deallocs) {
    rewriter.setInsertionPoint(dealloc);
    gpu::DeallocOp::create(rewriter, dealloc.getLoc(), /*asyncToken=*/Type(),
                           /*asyncDependencies=*/ValueRange(),
                           dealloc.getMemref());
    rewriter.eraseOp(dealloc);
  }
  if (globals.empty())
    return success();

  // Constants: one device copy per global and call, made at the entry and
  // freed at every return.
  SmallVector<func::ReturnOp> returns;
  func.walk([&](func::ReturnOp ret) { returns.push_back(ret); });
  Block &entry = func.getBody().front();
  rewriter.setInsertionPointToStart(&entry);
  for (memref::GetGlobalOp global : globals) {
    auto type = cast<MemRefType>(global.getType());
    if (!type.hasStaticShape()) {
      global.emitError() << "global '" << global.getName()
                         << "' has a dynamic shape";
      return failure();
    }
    Location loc = global.getLoc();
    global->moveBefore(&entry, rewriter.getInsertionPoint());
    auto device = gpu::AllocOp::create(
        rewriter, loc, type, Type(), ValueRange(), ValueRange(), ValueRange(),
        /*hostShared=*/false);
    Value copy = device.getMemref();
    global.getResult().replaceAllUsesWith(copy);
    gpu::MemcpyOp::create(rewriter, loc, Type(), ValueRange(), copy,
                          global.getResult());
    for (func::ReturnOp ret : returns) {
      OpBuilder::InsertionGuard guard(rewriter);
      rewriter.setInsertionPoint(ret);
      gpu::DeallocOp::create(rewriter, loc, Type(), ValueRange(), copy);
    }
  }
  return success();
}

struct MCGPUDeviceMemoryPass
    : mc::impl::MCGPUDeviceMemoryPassBase<MCGPUDeviceMemoryPass> {
  using Base::Base;

  void runOnOperation() override {
    for (auto func : getOperation().getOps<func::FuncOp>())
      if (!func.isExternal() && failed(moveToDevice(func)))
        return signalPassFailure();
  }
};

} // namespace
