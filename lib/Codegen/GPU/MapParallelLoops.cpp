//===- MapParallelLoops.cpp - scf.parallel to GPU blocks and threads ------===//
//
// Part of the mc project: an MLIR compiler for compressed neural networks.
//
//===----------------------------------------------------------------------===//
//
// The mc-gpu-map-parallel-loops pass: tiles every outermost scf.parallel
// along its innermost dimension by the block size and annotates both loops
// with the GPU mapping that convert-parallel-loops-to-gpu reads.
//
//===----------------------------------------------------------------------===//

#include "mc/Codegen/GPU/Passes.h"

#include "mlir/Dialect/GPU/IR/GPUDialect.h"
#include "mlir/Dialect/GPU/Transforms/ParallelLoopMapper.h"
#include "mlir/Dialect/SCF/IR/SCF.h"
#include "mlir/Dialect/SCF/Transforms/Transforms.h"
#include "mlir/IR/AffineMap.h"

namespace mlir::mc {
#define GEN_PASS_DEF_MCGPUMAPPARALLELLOOPSPASS
#include "mc/Codegen/GPU/Passes.h.inc"
} // namespace mlir::mc

using namespace mlir;

namespace {

/// The mapping of a loop with `rank` dimensions whose innermost dimensions
/// go, innermost first, to `processors`; the others run sequentially.
LogicalResult mapLoop(scf::ParallelOp loop,
                      ArrayRef<gpu::Processor> processors) {
  MLIRContext *ctx = loop.getContext();
  unsigned rank = loop.getNumLoops();
  AffineMap identity = AffineMap::getMultiDimIdentityMap(1, ctx);
  SmallVector<gpu::ParallelLoopDimMappingAttr> mapping;
  for (unsigned d = 0; d < rank; ++d) {
    unsigned fromInner = rank - 1 - d;
    gpu::Processor processor = fromInner < processors.size()
                                   ? processors[fromInner]
                                   : gpu::Processor::Sequential;
    mapping.push_back(gpu::ParallelLoopDimMappingAttr::get(ctx, processor,
                                                           identity, identity));
  }
  return gpu::setMappingAttr(loop, mapping);
}

struct MCGPUMapParallelLoopsPass
    : mc::impl::MCGPUMapParallelLoopsPassBase<MCGPUMapParallelLoopsPass> {
  using Base::Base;

  void runOnOperation() override {
    if (blockSize < 1 || blockSize > 1024) {
      getOperation().emitError()
          << "mc-gpu-map-parallel-loops: block-size must be in [1, 1024], got "
          << blockSize.getValue();
      return signalPassFailure();
    }
    // Outermost loops only: nested ones run inside a thread.
    SmallVector<scf::ParallelOp> loops;
    getOperation().walk([&](scf::ParallelOp loop) {
      if (!loop->getParentOfType<scf::ParallelOp>() &&
          !loop->hasAttr(gpu::getMappingAttrName()))
        loops.push_back(loop);
    });
    for (scf::ParallelOp loop : loops) {
      if (!loop.getInitVals().empty()) {
        loop.emitError() << "scf.parallel with a reduction cannot be mapped "
                            "to GPU threads";
        return signalPassFailure();
      }
      SmallVector<int64_t> tileSizes(loop.getNumLoops(), 1);
      tileSizes.back() = blockSize;
      auto [outer, inner] =
          scf::tileParallelLoop(loop, tileSizes, /*noMinMaxBounds=*/true);
      if (failed(mapLoop(outer, {gpu::Processor::BlockX,
                                 gpu::Processor::BlockY,
                                 gpu::Processor::BlockZ})) ||
          failed(mapLoop(inner, {gpu::Processor::ThreadX})))
        return signalPassFailure();
    }
  }
};

} // namespace
