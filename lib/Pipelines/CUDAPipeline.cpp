//===- CUDAPipeline.cpp - mc's pass pipeline for NVIDIA GPUs --------------===//
//
// Part of the mc project: an MLIR compiler for compressed neural networks.
//
//===----------------------------------------------------------------------===//
//
// mc-cuda-pipeline: from mc ops on tensors to an LLVM-dialect host module
// that launches PTX kernels (a gpu.binary) through the mgpu* entry points of
// runtime/mc_cuda_runtime.c.
//
//===----------------------------------------------------------------------===//

#include "mc/Pipelines/Pipelines.h"

#include "mc/Codegen/Common/Passes.h"
#include "mc/Codegen/GPU/Passes.h"
#include "mc/Conversion/Passes.h"
#include "mc/Dialect/MC/Transforms/Passes.h"
#include "mlir/Conversion/Passes.h"
#include "mlir/Dialect/Arith/Transforms/Passes.h"
#include "mlir/Dialect/Bufferization/Pipelines/Passes.h"
#include "mlir/Dialect/Bufferization/Transforms/Passes.h"
#include "mlir/Dialect/Func/IR/FuncOps.h"
#include "mlir/Dialect/GPU/IR/GPUDialect.h"
#include "mlir/Dialect/GPU/Transforms/Passes.h"
#include "mlir/Dialect/Linalg/Passes.h"
#include "mlir/Dialect/Math/Transforms/Passes.h"
#include "mlir/Dialect/MemRef/Transforms/Passes.h"
#include "mlir/Pass/PassManager.h"
#include "mlir/Pass/PassRegistry.h"
#include "mlir/Transforms/Passes.h"

using namespace mlir;

void mlir::mc::buildMCCUDAPipeline(OpPassManager &pm,
                                   const MCCUDAPipelineOptions &options) {
  // The same mc-level preparation and ABI as mc-cpu-pipeline.
  pm.addPass(createCanonicalizerPass());
  pm.addNestedPass<func::FuncOp>(createMCFoldBatchNormPass());
  pm.addNestedPass<func::FuncOp>(createMCFixedPointPass());
  pm.addPass(createCanonicalizerPass());
  MCEmitRuntimeABIPassOptions abiOptions;
  abiOptions.modelName = options.modelName;
  pm.addPass(createMCEmitRuntimeABIPass(abiOptions));

  // mc -> linalg on tensors, elementwise chains fused into one op each
  // (not into reductions).
  pm.addNestedPass<func::FuncOp>(createConvertMCToLinalgPass());
  pm.addPass(createCanonicalizerPass());
  pm.addNestedPass<func::FuncOp>(createMCGPUFuseElementwisePass());
  pm.addPass(createCanonicalizerPass());
  pm.addPass(createCSEPass());

  // Tensors -> buffers, destination-passing @main (as on the CPU).
  pm.addNestedPass<func::FuncOp>(
      bufferization::createEmptyTensorEliminationPass());
  bufferization::OneShotBufferizePassOptions bufferizeOptions;
  bufferizeOptions.bufferizeFunctionBoundaries = true;
  bufferizeOptions.functionBoundaryTypeConversion =
      bufferization::LayoutMapOption::IdentityLayoutMap;
  pm.addPass(bufferization::createOneShotBufferizePass(bufferizeOptions));
  bufferization::BufferResultsToOutParamsPassOptions outParamsOptions;
  outParamsOptions.hoistStaticAllocs = true;
  outParamsOptions.hoistDynamicAllocs = true;
  outParamsOptions.modifyPublicFunctions = true;
  pm.addPass(
      bufferization::createBufferResultsToOutParamsPass(outParamsOptions));
  bufferization::buildBufferDeallocationPipeline(pm);
  pm.addPass(createConvertBufferizationToMemRefPass());
  pm.addPass(createCanonicalizerPass());

  // int8 GEMMs -> tensor-core kernels (gpu.launch with mma.sync).
  pm.addNestedPass<func::FuncOp>(createMCGPUInt8MmaPass());

  // Every linalg op (copies included) -> one kernel: parallel dimensions on
  // blocks and threads, reductions as loops inside each thread.
  pm.addNestedPass<func::FuncOp>(createMCMemRefCopyToLinalgPass());
  pm.addNestedPass<func::FuncOp>(createConvertLinalgToParallelLoopsPass());
  pm.addPass(createCanonicalizerPass());
  MCGPUMapParallelLoopsPassOptions mapOptions;
  mapOptions.blockSize = options.blockSize;
  pm.addNestedPass<func::FuncOp>(createMCGPUMapParallelLoopsPass(mapOptions));
  pm.addPass(createConvertParallelLoopToGpuPass());
  pm.addPass(createGpuKernelOutliningPass());
  pm.addPass(createMCGPUMergeKernelModulesPass());
  pm.addPass(createMCGPUDeviceMemoryPass());
  // Stream-ordered allocation, copies and launches on the host.
  pm.addNestedPass<func::FuncOp>(createGpuAsyncRegionPass());

  // Kernels -> NVVM; host -> LLVM with mgpu* runtime calls.
  GpuNVVMAttachTargetOptions targetOptions;
  targetOptions.chip = options.chip;
  targetOptions.features = options.features;
  targetOptions.optLevel = options.optLevel;
  pm.addPass(createGpuNVVMAttachTarget(targetOptions));
  pm.addPass(math::createMathExtendToSupportedTypes());
  pm.addPass(createSCFToControlFlowPass());
  pm.addPass(memref::createExpandStridedMetadataPass());
  pm.addPass(createLowerAffinePass());
  pm.addPass(arith::createArithExpandOpsPass());
  pm.addPass(createArithToLLVMConversionPass());
  pm.addPass(createConvertIndexToLLVMPass());
  pm.addPass(createCanonicalizerPass());
  pm.addPass(createCSEPass());
  pm.addNestedPass<gpu::GPUModuleOp>(createConvertGpuOpsToNVVMOps());
  pm.addNestedPass<gpu::GPUModuleOp>(createCanonicalizerPass());
  pm.addNestedPass<gpu::GPUModuleOp>(createCSEPass());
  pm.addNestedPass<gpu::GPUModuleOp>(createReconcileUnrealizedCastsPass());
  pm.addPass(createGpuToLLVMConversionPass());
  pm.addPass(createUBToLLVMConversionPass());
  pm.addPass(createConvertMathToLLVMPass());
  pm.addPass(createFinalizeMemRefToLLVMConversionPass());
  pm.addPass(createConvertControlFlowToLLVMPass());
  pm.addPass(createConvertFuncToLLVMPass());
  pm.addPass(createReconcileUnrealizedCastsPass());
  pm.addPass(createCanonicalizerPass());
  if (options.toBinary) {
    GpuModuleToBinaryPassOptions binaryOptions;
    binaryOptions.compilationTarget = "isa";
    binaryOptions.toolkitPath = options.cudaPath;
    pm.addPass(createGpuModuleToBinaryPass(binaryOptions));
  }
}

void mlir::mc::registerMCCUDAPipeline() {
  PassPipelineRegistration<MCCUDAPipelineOptions>(
      "mc-cuda-pipeline",
      "What mc-compile --target=cuda runs: the mc preparation and runtime "
      "ABI of mc-cpu-pipeline, linalg ops mapped to GPU kernels, kernels to "
      "NVVM and PTX, the host to LLVM with mgpu* runtime calls",
      buildMCCUDAPipeline);
}
