//===- CUDATarget.cpp - Ahead-of-time compilation for NVIDIA GPUs ---------===//
//
// Part of the mc project: an MLIR compiler for compressed neural networks.
//
//===----------------------------------------------------------------------===//
//
// mc-cuda-pipeline on a module, the PTX it produced, and the location of the
// CUDA runtime archive. Everything after the pipeline (host LLVM IR, object,
// link) is the CPU target's.
//
//===----------------------------------------------------------------------===//

#include "mc/Target/CUDA/CUDATarget.h"

#include "mc/Pipelines/Pipelines.h"
#include "mlir/Dialect/GPU/IR/GPUDialect.h"
#include "mlir/Pass/PassManager.h"
#include "mlir/Target/LLVM/NVVM/Target.h"
#include "mlir/Target/LLVMIR/Dialect/Builtin/BuiltinToLLVMIRTranslation.h"
#include "mlir/Target/LLVMIR/Dialect/GPU/GPUToLLVMIRTranslation.h"
#include "mlir/Target/LLVMIR/Dialect/LLVMIR/LLVMToLLVMIRTranslation.h"
#include "mlir/Target/LLVMIR/Dialect/NVVM/NVVMToLLVMIRTranslation.h"
#include "llvm/Support/FileSystem.h"

#include <cstdlib>
#include "llvm/Support/Path.h"

extern "C" {
// The NVPTX target's entry points (in LLVM's dylib; TargetSelect.h only
// declares the host's).
void LLVMInitializeNVPTXTargetInfo();
void LLVMInitializeNVPTXTarget();
void LLVMInitializeNVPTXTargetMC();
void LLVMInitializeNVPTXAsmPrinter();
}

using namespace mlir;
using namespace mlir::mc;

std::string mlir::mc::verifyCUDAChip(StringRef chip) {
  StringRef digits = chip;
  if (!digits.consume_front("sm_"))
    return "invalid CUDA architecture '" + chip.str() +
           "'; expected sm_<version>, e.g. sm_80 or sm_90";
  digits.consume_back("a");
  unsigned version;
  if (digits.getAsInteger(10, version))
    return "invalid CUDA architecture '" + chip.str() +
           "'; expected sm_<version>, e.g. sm_80 or sm_90";
  if (version < 75)
    return "CUDA architecture '" + chip.str() +
           "' is too old; mc needs sm_75 or newer (the CUDA 13 toolkit's "
           "ptxas dropped the older ones)";
  return "";
}

std::string mlir::mc::getPTXFeatures(StringRef chip) {
  StringRef digits = chip.drop_front(3);
  digits.consume_back("a");
  unsigned version = 0;
  (void)digits.getAsInteger(10, version);
  // PTX 8.0 (CUDA 12.0) covers sm_75 .. sm_90a; Blackwell needs 8.6.
  return version >= 100 ? "+ptx86" : "+ptx80";
}

FailureOr<std::string> mlir::mc::findCUDAToolkit(StringRef requested,
                                                 std::string &error) {
  std::string path = requested.str();
  if (path.empty()) {
    for (const char *name : {"CUDA_HOME", "CUDA_PATH"})
      if (const char *value = std::getenv(name); value && *value) {
        path = value;
        break;
      }
  }
  if (path.empty())
    path = "/usr/local/cuda";
  SmallString<256> libdevice(path);
  llvm::sys::path::append(libdevice, "nvvm", "libdevice", "libdevice.10.bc");
  if (!llvm::sys::fs::exists(libdevice)) {
    error = "no CUDA toolkit at '" + path + "' (" + libdevice.str().str() +
            " not found; the kernels link libdevice): install the CUDA "
            "toolkit or pass --cuda-path";
    return failure();
  }
  return path;
}

void mlir::mc::initializeCUDATarget(DialectRegistry &registry) {
  LLVMInitializeNVPTXTargetInfo();
  LLVMInitializeNVPTXTarget();
  LLVMInitializeNVPTXTargetMC();
  LLVMInitializeNVPTXAsmPrinter();
  NVVM::registerNVVMTargetInterfaceExternalModels(registry);
  registerBuiltinDialectTranslation(registry);
  registerLLVMDialectTranslation(registry);
  registerNVVMDialectTranslation(registry);
  registerGPUDialectTranslation(registry);
  // #gpu.select_object: embeds the PTX and loads it in a constructor.
  gpu::registerOffloadingLLVMTranslationInterfaceExternalModels(registry);
}

LogicalResult
mlir::mc::lowerToLLVMDialectForCUDA(ModuleOp module,
                                    const CUDATargetOptions &options) {
  std::string chipError = verifyCUDAChip(options.chip);
  if (!chipError.empty())
    return module.emitError() << chipError;
  PassManager pm(module->getName());
  if (failed(applyPassManagerCLOptions(pm)))
    return failure();
  MCCUDAPipelineOptions pipelineOptions;
  pipelineOptions.modelName = options.modelName;
  pipelineOptions.chip = options.chip;
  pipelineOptions.features = getPTXFeatures(options.chip);
  pipelineOptions.optLevel = options.optLevel;
  pipelineOptions.cudaPath = options.cudaPath;
  buildMCCUDAPipeline(pm, pipelineOptions);
  return pm.run(module);
}

FailureOr<std::string> mlir::mc::getModulePTX(ModuleOp module) {
  std::string ptx;
  for (auto binary : module.getOps<gpu::BinaryOp>()) {
    for (Attribute attr : binary.getObjects()) {
      auto object = dyn_cast<gpu::ObjectAttr>(attr);
      if (!object || object.getFormat() != gpu::CompilationTarget::Assembly)
        continue;
      StringRef text = object.getObject().getValue();
      // The serializer terminates the text for cuModuleLoadData.
      text = text.rtrim(StringRef("\0", 1));
      ptx += text.str();
    }
  }
  if (ptx.empty())
    return module.emitError() << "the lowered module holds no PTX";
  return ptx;
}

std::string mlir::mc::getDefaultCUDARuntimeLibrary(const char *argv0) {
  static int anchor;
  std::string executable = llvm::sys::fs::getMainExecutable(argv0, &anchor);
  SmallString<256> path(llvm::sys::path::parent_path(executable));
  llvm::sys::path::append(path, "..", "lib", "libmc_cuda_runtime.a");
  llvm::sys::path::remove_dots(path, /*remove_dot_dot=*/true);
  return std::string(path);
}
