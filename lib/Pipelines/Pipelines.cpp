//===- Pipelines.cpp - mc's pass pipelines --------------------------------===//
//
// Part of the mc project: an MLIR compiler for compressed neural networks.
//
//===----------------------------------------------------------------------===//
//
// The mc-to-llvm pipeline: from float mc ops on tensors to the LLVM dialect.
//
//===----------------------------------------------------------------------===//

#include "mc/Pipelines/Pipelines.h"

#include "mc/Codegen/CPU/Passes.h"
#include "mc/Codegen/Common/Passes.h"
#include "mc/Conversion/Passes.h"
#include "mc/Dialect/MC/Transforms/Passes.h"
#include "mlir/Conversion/Passes.h"
#include "mlir/Dialect/Arith/Transforms/Passes.h"
#include "mlir/Dialect/Bufferization/Pipelines/Passes.h"
#include "mlir/Dialect/Bufferization/Transforms/Passes.h"
#include "mlir/Dialect/Func/IR/FuncOps.h"
#include "mlir/Dialect/Linalg/Passes.h"
#include "mlir/Dialect/Math/Transforms/Passes.h"
#include "mlir/Dialect/MemRef/Transforms/Passes.h"
#include "mlir/Pass/PassManager.h"
#include "mlir/Pass/PassRegistry.h"
#include "mlir/Transforms/Passes.h"

using namespace mlir;

void mlir::mc::buildMCToLLVMPipeline(OpPassManager &pm,
                                     const MCToLLVMOptions &options) {
  // mc -> linalg/tensor/arith/math on tensors.
  pm.addNestedPass<func::FuncOp>(createConvertMCToLinalgPass());
  pm.addPass(createCanonicalizerPass());
  // int8 products are packed before elementwise fusion, which would
  // otherwise fuse the producer of their activations (a requantization)
  // into their bodies.
  if (options.vectorize && options.ukernels)
    pm.addNestedPass<func::FuncOp>(createMCCPUPackInt8WeightsPass());
  if (options.fuseElementwise)
    pm.addNestedPass<func::FuncOp>(createLinalgElementwiseOpFusionPass());
  if (options.vectorize) {
    // Contractions (matmuls, convolutions through im2col) become
    // register-tiled vector code; everything else stays for the loop
    // lowering below.
    pm.addNestedPass<func::FuncOp>(createMCCPUPretransposeWeightsPass());
    pm.addNestedPass<func::FuncOp>(createMCCPUConvToMatmulPass());
    pm.addPass(createCanonicalizerPass());
    pm.addNestedPass<func::FuncOp>(createMCCPUTileAndVectorizePass());
  }
  pm.addPass(createCanonicalizerPass());
  pm.addPass(createCSEPass());

  // Tensors -> buffers. Function boundaries use identity layouts so that
  // the generated functions take plain contiguous memrefs.
  pm.addNestedPass<func::FuncOp>(
      bufferization::createEmptyTensorEliminationPass());
  bufferization::OneShotBufferizePassOptions bufferizeOptions;
  bufferizeOptions.bufferizeFunctionBoundaries = true;
  bufferizeOptions.functionBoundaryTypeConversion =
      bufferization::LayoutMapOption::IdentityLayoutMap;
  pm.addPass(bufferization::createOneShotBufferizePass(bufferizeOptions));
  // Per-tile buffers of fused producers (im2col of one image) are allocated
  // once per call rather than once per loop iteration.
  pm.addNestedPass<func::FuncOp>(bufferization::createBufferLoopHoistingPass());
  if (options.vectorize) {
    // Tiled loops carry their buffer as an iter_arg and copy each peeled
    // tile onto itself; folding both lets a returned buffer be seen as the
    // allocation that out-params replace.
    pm.addPass(createCanonicalizerPass());
    pm.addPass(createCSEPass());
    pm.addPass(createCanonicalizerPass());
  }
  if (options.outParams) {
    // Before deallocation: the buffer a function returns is then written in
    // place of the caller's out-param instead of being copied into it.
    bufferization::BufferResultsToOutParamsPassOptions outParamsOptions;
    outParamsOptions.hoistStaticAllocs = true;
    outParamsOptions.hoistDynamicAllocs = true;
    outParamsOptions.modifyPublicFunctions = true;
    pm.addPass(
        bufferization::createBufferResultsToOutParamsPass(outParamsOptions));
  }
  bufferization::buildBufferDeallocationPipeline(pm);
  pm.addPass(createConvertBufferizationToMemRefPass());
  if (options.vectorize)
    pm.addNestedPass<func::FuncOp>(createMCCPULowerVectorsPass());
  if (options.vectorize && options.ukernels) {
    MCCPUInt8GemmToUkernelPassOptions ukernelOptions;
    ukernelOptions.sparse = options.int8Sparse;
    pm.addPass(createMCCPUInt8GemmToUkernelPass(ukernelOptions));
  }

  // Buffers -> loops. Strided copies become loops too, so that the code
  // calls no MLIR runtime function (memrefCopy).
  pm.addNestedPass<func::FuncOp>(createMCMemRefCopyToLinalgPass());
  pm.addNestedPass<func::FuncOp>(createConvertLinalgToLoopsPass());
  pm.addPass(createCanonicalizerPass());

  // Everything -> LLVM. f16/bf16 math goes through f32; functions LLVM has
  // no intrinsic for (erf) become libm calls.
  pm.addPass(math::createMathExtendToSupportedTypes());
  pm.addPass(createSCFToControlFlowPass());
  pm.addPass(memref::createExpandStridedMetadataPass());
  pm.addPass(createLowerAffinePass());
  pm.addPass(arith::createArithExpandOpsPass());
  pm.addPass(createConvertMathToLLVMPass());
  // Before the vector conversion: libm calls on vectors are made per
  // element with vector.extract / vector.insert.
  pm.addPass(createConvertMathToLibmPass());
  pm.addPass(createConvertVectorToLLVMPass());
  pm.addPass(createUBToLLVMConversionPass());
  pm.addPass(createArithToLLVMConversionPass());
  pm.addPass(createConvertIndexToLLVMPass());
  FinalizeMemRefToLLVMConversionPassOptions memrefOptions;
  memrefOptions.useGenericFunctions = options.runtimeAlloc;
  pm.addPass(createFinalizeMemRefToLLVMConversionPass(memrefOptions));
  pm.addPass(createConvertControlFlowToLLVMPass());
  pm.addPass(createConvertFuncToLLVMPass());
  pm.addPass(createReconcileUnrealizedCastsPass());
  pm.addPass(createCanonicalizerPass());
}

void mlir::mc::buildMCCPUPipeline(OpPassManager &pm,
                                  const MCCPUPipelineOptions &options) {
  pm.addPass(createCanonicalizerPass());
  pm.addNestedPass<func::FuncOp>(createMCFoldBatchNormPass());
  // Requantization scales left in floating point (imported QLinearConv /
  // QLinearMatMul models) become multiplier/shift pairs; a no-op after
  // mc-compile --quantize, which runs it already.
  pm.addNestedPass<func::FuncOp>(createMCFixedPointPass());
  pm.addPass(createCanonicalizerPass());
  MCEmitRuntimeABIPassOptions abiOptions;
  abiOptions.modelName = options.modelName;
  pm.addPass(createMCEmitRuntimeABIPass(abiOptions));
  MCToLLVMOptions llvmOptions;
  llvmOptions.outParams = true;
  llvmOptions.runtimeAlloc = true;
  llvmOptions.int8Sparse = options.int8Sparse.getValue();
  buildMCToLLVMPipeline(pm, llvmOptions);
}

void mlir::mc::registerMCPipelines() {
  PassPipelineRegistration<MCToLLVMOptions>(
      "mc-to-llvm",
      "Lower float mc ops (dynamic batch included) to the LLVM dialect",
      buildMCToLLVMPipeline);
  PassPipelineRegistration<MCCPUPipelineOptions>(
      "mc-cpu-pipeline",
      "What mc-compile runs: mc canonicalization, BatchNorm folding and "
      "fixed-point requantization, the "
      "runtime ABI, and mc-to-llvm with out-params",
      buildMCCPUPipeline);
#ifdef MC_ENABLE_GPU
  registerMCCUDAPipeline();
#endif
}
