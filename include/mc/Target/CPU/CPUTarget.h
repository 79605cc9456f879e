//===- CPUTarget.h - Ahead-of-time compilation for the host CPU -*- C++ -*-===//
//
// Part of the mc project: an MLIR compiler for compressed neural networks.
//
//===----------------------------------------------------------------------===//
//
// The stages of `mc-compile --target=cpu`, each usable on its own:
//
//   mc IR --lowerToLLVMDialect--> LLVM dialect (mc-cpu-pipeline)
//         --translateToLLVMIR---> llvm::Module, optimized at -O<n>
//         --emitObjectFile------> ELF object (LLVM's TargetMachine)
//         --linkSharedLibrary---> model .so with libmc_runtime.a (`cc -shared`)
//
// plus the C header that documents one model (generateModelHeader). The
// library's C ABI is runtime/include/mc/runtime.h; docs/RuntimeABI.md.
//
//===----------------------------------------------------------------------===//

#ifndef MC_TARGET_CPU_CPUTARGET_H
#define MC_TARGET_CPU_CPUTARGET_H

#include "mc/Codegen/Common/RuntimeABI.h"

#include "mlir/IR/BuiltinOps.h"
#include "llvm/IR/LLVMContext.h"
#include "llvm/IR/Module.h"
#include "llvm/Target/TargetMachine.h"

#include <memory>
#include <string>

namespace mlir::mc {

struct CPUTargetOptions {
  /// LLVM CPU name (`-mcpu`); empty: the host CPU.
  std::string cpu;
  /// LLVM feature string ("+avx2,-avx512f"); empty: the host CPU's features
  /// (when `cpu` is empty too) or the CPU's defaults.
  std::string features;
  /// Optimization level 0..3 of LLVM's pipelines and code generator.
  unsigned optLevel = 2;
  /// Model name recorded in the info table.
  std::string modelName;
  /// The compressed kernel for sparse int8 weights: auto, always or never
  /// (mc-cpu-int8-gemm-to-ukernel's `sparse`).
  std::string int8Sparse = "auto";
};

/// Registers the LLVM targets and MLIR translations that the CPU target uses
/// (X86 target, builtin and LLVM dialect translations). Call once.
void initializeCPUTarget(DialectRegistry &registry);

/// Runs mc-cpu-pipeline on `module` (mc IR in, LLVM dialect out).
LogicalResult lowerToLLVMDialect(ModuleOp module,
                                 const CPUTargetOptions &options);

/// Creates the TargetMachine for the host triple and `options` (PIC, for a
/// shared library); null with `error` set on failure.
std::unique_ptr<llvm::TargetMachine>
createCPUTargetMachine(const CPUTargetOptions &options, std::string &error);

/// Translates an LLVM-dialect module to LLVM IR for `machine` and runs
/// LLVM's optimization pipeline at `options.optLevel`. Null on failure (a
/// diagnostic is emitted on `module`).
std::unique_ptr<llvm::Module>
translateToLLVMIR(ModuleOp module, llvm::LLVMContext &context,
                  llvm::TargetMachine &machine,
                  const CPUTargetOptions &options);

/// Writes `module` as an object file to `path`.
LogicalResult emitObjectFile(llvm::Module &module, llvm::TargetMachine &machine,
                             StringRef path, std::string &error);

/// Links `objectPath` with the runtime archive into the shared library
/// `outputPath` by running `linker` (a C compiler driver, `cc` by default)
/// with -shared, -lm and a version script that exports only the ABI's
/// functions.
LogicalResult linkSharedLibrary(StringRef objectPath, StringRef outputPath,
                                StringRef runtimeLibrary, StringRef linker,
                                std::string &error,
                                ArrayRef<StringRef> extraExports = {},
                                ArrayRef<StringRef> extraLinkArgs = {});

/// Returns the default location of libmc_runtime.a: `../lib` beside the
/// directory of the running executable (`argv0`), as in the build and
/// install trees.
std::string getDefaultRuntimeLibrary(const char *argv0);

/// Returns a self-contained C header for the model: the ABI of
/// runtime/include/mc/runtime.h, then this model's inputs and outputs as a
/// comment and as MC_MODEL_* macros. `guard` is the include guard;
/// `source` names the compiled file in the header's first comment.
std::string generateModelHeader(const ModelSignature &signature,
                                StringRef modelName, StringRef source,
                                StringRef guard);

} // namespace mlir::mc

#endif // MC_TARGET_CPU_CPUTARGET_H
