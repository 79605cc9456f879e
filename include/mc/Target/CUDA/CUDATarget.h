//===- CUDATarget.h - Ahead-of-time compilation for NVIDIA GPUs -*- C++ -*-===//
//
// Part of the mc project: an MLIR compiler for compressed neural networks.
//
//===----------------------------------------------------------------------===//
//
// The CUDA side of mc-compile --target=cuda: mc-cuda-pipeline, the PTX of
// the lowered module, and the runtime archive the model library links.
// Host code generation and the link reuse the CPU target (CPUTarget.h).
//
//===----------------------------------------------------------------------===//

#ifndef MC_TARGET_CUDA_CUDATARGET_H
#define MC_TARGET_CUDA_CUDATARGET_H

#include "mlir/IR/BuiltinOps.h"
#include "mlir/IR/DialectRegistry.h"

#include <string>

namespace mlir::mc {

struct CUDATargetOptions {
  /// NVIDIA architecture, `sm_<major><minor>` (sm_80, sm_90, ...).
  std::string chip = "sm_80";
  /// Model name recorded in the info table.
  std::string modelName;
  /// Optimization level 0..3 of the kernels' LLVM pipeline.
  unsigned optLevel = 2;
  /// CUDA toolkit providing nvvm/libdevice/libdevice.10.bc.
  std::string cudaPath;
};

/// The CUDA toolkit to take libdevice from: `requested` if not empty, else
/// $CUDA_HOME, $CUDA_PATH or /usr/local/cuda. Fails with a message naming
/// the path when it holds no nvvm/libdevice/libdevice.10.bc.
FailureOr<std::string> findCUDAToolkit(StringRef requested,
                                       std::string &error);

/// Checks `chip` (`sm_<digits>`, at least sm_52); returns an error message
/// or "".
std::string verifyCUDAChip(StringRef chip);

/// The PTX ISA version (`+ptxNN` feature) used for `chip`.
std::string getPTXFeatures(StringRef chip);

/// Registers what mc-cuda-pipeline needs beyond the dialects: the NVVM
/// target attribute's serialization (to PTX through LLVM's NVPTX backend)
/// and the LLVM IR translations of the builtin, LLVM, NVVM and GPU
/// dialects.
void initializeCUDATarget(DialectRegistry &registry);

/// Runs mc-cuda-pipeline on `module`.
LogicalResult lowerToLLVMDialectForCUDA(ModuleOp module,
                                        const CUDATargetOptions &options);

/// The PTX of every gpu.binary object in `module` (after
/// mc-cuda-pipeline), concatenated; fails with a diagnostic if there is
/// none.
FailureOr<std::string> getModulePTX(ModuleOp module);

/// Default libmc_cuda_runtime.a: ../lib beside the mc-compile binary.
std::string getDefaultCUDARuntimeLibrary(const char *argv0);

} // namespace mlir::mc

#endif // MC_TARGET_CUDA_CUDATARGET_H
