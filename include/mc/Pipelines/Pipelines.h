//===- Pipelines.h - mc's pass pipelines ------------------------*- C++ -*-===//
//
// Part of the mc project: an MLIR compiler for compressed neural networks.
//
//===----------------------------------------------------------------------===//
//
// Pipeline builders shared by mc-opt (as named pipelines) and the compiler
// drivers, so that `mc-opt --mc-to-llvm` runs exactly what they run.
//
//===----------------------------------------------------------------------===//

#ifndef MC_PIPELINES_PIPELINES_H
#define MC_PIPELINES_PIPELINES_H

#include "mlir/Pass/PassOptions.h"

namespace mlir {
class OpPassManager;

namespace mc {

/// Options of the mc-to-llvm pipeline.
struct MCToLLVMOptions : public PassPipelineOptions<MCToLLVMOptions> {
  PassOptions::Option<bool> fuseElementwise{
      *this, "fuse-elementwise",
      llvm::cl::desc("Fuse producer/consumer linalg elementwise ops before "
                     "bufferization"),
      llvm::cl::init(true)};
  PassOptions::Option<bool> outParams{
      *this, "out-params",
      llvm::cl::desc("Destination-passing functions for the runtime ABI "
                     "(docs/RuntimeABI.md): memref results of every function, "
                     "public ones included, become trailing out-params, and "
                     "the allocation of a returned buffer (dynamic shapes "
                     "included) is replaced by the out-param"),
      llvm::cl::init(false)};
  PassOptions::Option<bool> vectorize{
      *this, "vectorize",
      llvm::cl::desc("Tile float contractions (matmuls, convolutions via "
                     "im2col) to register tiles and vectorize them "
                     "(mc-cpu-* passes); off, every linalg op becomes a scalar "
                     "loop nest"),
      llvm::cl::init(true)};
  PassOptions::Option<bool> ukernels{
      *this, "ukernels",
      llvm::cl::desc("With vectorize: pack the constant weights of int8 "
                     "matrix products at compile time and call the runtime's "
                     "microkernel (mc_ukernel_i8mm_u8s8 in libmc_runtime.a, "
                     "AVX-512 VNNI where the CPU has it) for them; off, they "
                     "stay loop nests (for mlir-runner, which does not link "
                     "the runtime)"),
      llvm::cl::init(true)};
  PassOptions::Option<bool> runtimeAlloc{
      *this, "runtime-alloc",
      llvm::cl::desc("Lower memref.alloc/dealloc to calls of "
                     "_mlir_memref_to_llvm_alloc/_free, which libmc_runtime.a "
                     "implements with a per-thread cache of freed buffers "
                     "(runtime/mc_alloc.c), instead of malloc/free; off for "
                     "mlir-runner, which does not link the runtime"),
      llvm::cl::init(false)};
  PassOptions::Option<std::string> int8Sparse{
      *this, "int8-sparse",
      llvm::cl::desc("With ukernels: the sparse option of "
                     "mc-cpu-int8-gemm-to-ukernel (auto, always or never): "
                     "the compressed kernel for constant int8 weights with "
                     "at most 4 non-zeros per 8 reduction steps (2:4, 4:8)"),
      llvm::cl::init("auto")};
};

/// Lowers a module of float mc ops (with dynamic batch dimensions) to the
/// LLVM dialect: mc -> linalg/tensor/arith/math, elementwise fusion,
/// one-shot bufferization with identity layouts at function boundaries,
/// with `out-params`, results turned into trailing out-params,
/// ownership-based buffer deallocation, linalg -> loops, and every remaining
/// dialect (scf, cf, arith, math, memref, index, func) -> llvm.
void buildMCToLLVMPipeline(OpPassManager &pm, const MCToLLVMOptions &options);

/// Options of the mc-cpu-pipeline.
struct MCCPUPipelineOptions : public PassPipelineOptions<MCCPUPipelineOptions> {
  PassOptions::Option<std::string> modelName{
      *this, "model-name",
      llvm::cl::desc("Model name recorded in the library's info table"),
      llvm::cl::init("")};
  PassOptions::Option<std::string> int8Sparse{
      *this, "int8-sparse",
      llvm::cl::desc("The int8-sparse option of mc-to-llvm (auto, always or "
                     "never)"),
      llvm::cl::init("auto")};
};

/// What `mc-compile` runs on mc IR before translating to LLVM IR: the mc
/// canonicalizer, mc-fold-batch-norm, mc-emit-runtime-abi (C interface,
/// read-only inputs, the info table of docs/RuntimeABI.md) and mc-to-llvm
/// with out-params, so that `@main` becomes destination-passing.
void buildMCCPUPipeline(OpPassManager &pm, const MCCPUPipelineOptions &options);

/// Options of the mc-cuda-pipeline.
struct MCCUDAPipelineOptions
    : public PassPipelineOptions<MCCUDAPipelineOptions> {
  PassOptions::Option<std::string> modelName{
      *this, "model-name",
      llvm::cl::desc("Model name recorded in the library's info table"),
      llvm::cl::init("")};
  PassOptions::Option<std::string> chip{
      *this, "chip",
      llvm::cl::desc("NVIDIA architecture of the PTX (sm_80, sm_90, ...)"),
      llvm::cl::init("sm_80")};
  PassOptions::Option<std::string> features{
      *this, "features",
      llvm::cl::desc("NVPTX features, i.e. the PTX ISA version (+ptx80)"),
      llvm::cl::init("+ptx80")};
  PassOptions::Option<unsigned> optLevel{
      *this, "opt-level",
      llvm::cl::desc("Optimization level of the kernels' LLVM pipeline"),
      llvm::cl::init(2)};
  PassOptions::Option<int64_t> blockSize{
      *this, "block-size",
      llvm::cl::desc("Threads per block of the elementwise/loop kernels"),
      llvm::cl::init(128)};
  PassOptions::Option<std::string> cudaPath{
      *this, "cuda-path",
      llvm::cl::desc("CUDA toolkit whose nvvm/libdevice/libdevice.10.bc is "
                     "linked into the kernels (math functions, rounding); "
                     "empty: MLIR's default lookup (CUDA_ROOT, CUDA_HOME, "
                     "CUDA_PATH)"),
      llvm::cl::init("")};
  PassOptions::Option<bool> toBinary{
      *this, "to-binary",
      llvm::cl::desc("Serialize the kernels to PTX (gpu-module-to-binary); "
                     "off, the gpu.module stays in the NVVM dialect"),
      llvm::cl::init(true)};
};

/// What `mc-compile --target=cuda` runs on mc IR: the preparation and ABI of
/// mc-cpu-pipeline, mc -> linalg, bufferization with out-params, every
/// linalg op as a GPU kernel (mc-gpu-map-parallel-loops,
/// convert-parallel-loops-to-gpu, outlining into one gpu.module), buffers in
/// device memory (mc-gpu-device-memory), kernels to NVVM and PTX, and the
/// host to the LLVM dialect calling the mgpu* functions of
/// runtime/mc_cuda_runtime.c. See docs/GPU.md.
void buildMCCUDAPipeline(OpPassManager &pm,
                         const MCCUDAPipelineOptions &options);

/// Registers `mc-cuda-pipeline` (called by registerMCPipelines when mc is
/// built with MC_ENABLE_GPU).
void registerMCCUDAPipeline();

/// Registers mc's named pipelines (`mc-to-llvm`, `mc-cpu-pipeline`).
void registerMCPipelines();

} // namespace mc
} // namespace mlir

#endif // MC_PIPELINES_PIPELINES_H
