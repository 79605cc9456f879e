//===- CPUTarget.cpp - Ahead-of-time compilation for the host CPU ---------===//
//
// Part of the mc project: an MLIR compiler for compressed neural networks.
//
//===----------------------------------------------------------------------===//
//
// mc-cpu-pipeline, translation to LLVM IR, LLVM's optimization pipeline,
// object emission through LLVM's TargetMachine, and the link of the model's
// shared library with the system C compiler driver.
//
//===----------------------------------------------------------------------===//

#include "mc/Target/CPU/CPUTarget.h"

#include "mc/Pipelines/Pipelines.h"

#include "mlir/IR/Diagnostics.h"
#include "mlir/Pass/PassManager.h"
#include "mlir/Target/LLVMIR/Dialect/Builtin/BuiltinToLLVMIRTranslation.h"
#include "mlir/Target/LLVMIR/Dialect/LLVMIR/LLVMToLLVMIRTranslation.h"
#include "mlir/Target/LLVMIR/Export.h"
#include "llvm/ADT/StringMap.h"
#include "llvm/IR/LegacyPassManager.h"
#include "llvm/IR/Verifier.h"
#include "llvm/MC/MCSubtargetInfo.h"
#include "llvm/MC/TargetRegistry.h"
#include "llvm/Passes/OptimizationLevel.h"
#include "llvm/Passes/PassBuilder.h"
#include "llvm/Support/FileSystem.h"
#include "llvm/Support/FileUtilities.h"
#include "llvm/Support/Path.h"
#include "llvm/Support/Program.h"
#include "llvm/Support/TargetSelect.h"
#include "llvm/Support/ToolOutputFile.h"
#include "llvm/Support/raw_ostream.h"
#include "llvm/TargetParser/Host.h"
#include "llvm/TargetParser/SubtargetFeature.h"
#include "llvm/TargetParser/Triple.h"

extern "C" {
// The X86 target's entry points; LLVM's dylib has them, but only the
// *_Native wrappers in TargetSelect.h are declared for the host.
void LLVMInitializeX86TargetInfo();
void LLVMInitializeX86Target();
void LLVMInitializeX86TargetMC();
void LLVMInitializeX86AsmPrinter();
}

using namespace mlir;
using namespace mlir::mc;

void mlir::mc::initializeCPUTarget(DialectRegistry &registry) {
  LLVMInitializeX86TargetInfo();
  LLVMInitializeX86Target();
  LLVMInitializeX86TargetMC();
  LLVMInitializeX86AsmPrinter();
  registerBuiltinDialectTranslation(registry);
  registerLLVMDialectTranslation(registry);
}

LogicalResult mlir::mc::lowerToLLVMDialect(ModuleOp module,
                                           const CPUTargetOptions &options) {
  PassManager pm(module->getName());
  if (failed(applyPassManagerCLOptions(pm)))
    return failure();
  MCCPUPipelineOptions pipelineOptions;
  pipelineOptions.modelName = options.modelName;
  pipelineOptions.int8Sparse = options.int8Sparse;
  buildMCCPUPipeline(pm, pipelineOptions);
  return pm.run(module);
}

std::unique_ptr<llvm::TargetMachine>
mlir::mc::createCPUTargetMachine(const CPUTargetOptions &options,
                                 std::string &error) {
  llvm::Triple triple(llvm::sys::getProcessTriple());
  const llvm::Target *target =
      llvm::TargetRegistry::lookupTarget(triple, error);
  if (!target)
    return nullptr;
  if (triple.getArch() != llvm::Triple::x86_64) {
    error =
        "the CPU target supports x86-64 hosts only, this is " + triple.str();
    return nullptr;
  }
  std::string cpu = options.cpu;
  std::string features = options.features;
  if (cpu.empty()) {
    cpu = llvm::sys::getHostCPUName().str();
    if (features.empty()) {
      llvm::SubtargetFeatures host;
      for (const auto &feature : llvm::sys::getHostCPUFeatures())
        host.AddFeature(feature.getKey(), feature.getValue());
      features = host.getString();
    }
  }
  // An unknown CPU name would only be a warning, and then a fatal error
  // inside the code generator.
  std::unique_ptr<llvm::MCSubtargetInfo> subtarget(
      target->createMCSubtargetInfo(triple, "", ""));
  if (!subtarget || !subtarget->isCPUStringValid(cpu)) {
    error = "unknown CPU '" + cpu + "' for " + triple.str() +
            " (llc -mcpu=help lists the names)";
    return nullptr;
  }
  llvm::CodeGenOptLevel level;
  switch (options.optLevel) {
  case 0:
    level = llvm::CodeGenOptLevel::None;
    break;
  case 1:
    level = llvm::CodeGenOptLevel::Less;
    break;
  case 2:
    level = llvm::CodeGenOptLevel::Default;
    break;
  default:
    level = llvm::CodeGenOptLevel::Aggressive;
    break;
  }
  llvm::TargetOptions targetOptions;
  std::unique_ptr<llvm::TargetMachine> machine(target->createTargetMachine(
      triple, cpu, features, targetOptions, llvm::Reloc::PIC_,
      /*CM=*/std::nullopt, level));
  if (!machine)
    error = "cannot create a target machine for " + triple.str() + " (cpu '" +
            cpu + "')";
  return machine;
}

std::unique_ptr<llvm::Module>
mlir::mc::translateToLLVMIR(ModuleOp module, llvm::LLVMContext &context,
                            llvm::TargetMachine &machine,
                            const CPUTargetOptions &options) {
  std::unique_ptr<llvm::Module> llvmModule =
      mlir::translateModuleToLLVMIR(module, context, "model");
  if (!llvmModule) {
    module.emitError() << "cannot translate the lowered module to LLVM IR";
    return nullptr;
  }
  llvmModule->setTargetTriple(machine.getTargetTriple());
  llvmModule->setDataLayout(machine.createDataLayout());
  // Record the CPU on every function so that the IR printed by
  // --emit=llvm compiles the same way with llc or clang.
  for (llvm::Function &function : *llvmModule) {
    if (function.isDeclaration())
      continue;
    function.addFnAttr("target-cpu", machine.getTargetCPU());
    if (!machine.getTargetFeatureString().empty())
      function.addFnAttr("target-features", machine.getTargetFeatureString());
  }

  llvm::LoopAnalysisManager loopAnalyses;
  llvm::FunctionAnalysisManager functionAnalyses;
  llvm::CGSCCAnalysisManager cgsccAnalyses;
  llvm::ModuleAnalysisManager moduleAnalyses;
  llvm::PipelineTuningOptions tuning;
  tuning.LoopVectorization = options.optLevel >= 2;
  tuning.SLPVectorization = options.optLevel >= 2;
  llvm::PassBuilder builder(&machine, tuning);
  builder.registerModuleAnalyses(moduleAnalyses);
  builder.registerCGSCCAnalyses(cgsccAnalyses);
  builder.registerFunctionAnalyses(functionAnalyses);
  builder.registerLoopAnalyses(loopAnalyses);
  builder.crossRegisterProxies(loopAnalyses, functionAnalyses, cgsccAnalyses,
                               moduleAnalyses);
  llvm::OptimizationLevel level = llvm::OptimizationLevel::O0;
  switch (options.optLevel) {
  case 0:
    break;
  case 1:
    level = llvm::OptimizationLevel::O1;
    break;
  case 2:
    level = llvm::OptimizationLevel::O2;
    break;
  default:
    level = llvm::OptimizationLevel::O3;
    break;
  }
  llvm::ModulePassManager passes =
      options.optLevel == 0 ? builder.buildO0DefaultPipeline(level)
                            : builder.buildPerModuleDefaultPipeline(level);
  passes.run(*llvmModule, moduleAnalyses);

  std::string message;
  llvm::raw_string_ostream os(message);
  if (llvm::verifyModule(*llvmModule, &os)) {
    module.emitError() << "LLVM IR verification failed: " << message;
    return nullptr;
  }
  return llvmModule;
}

LogicalResult mlir::mc::emitObjectFile(llvm::Module &module,
                                       llvm::TargetMachine &machine,
                                       StringRef path, std::string &error) {
  std::error_code ec;
  llvm::ToolOutputFile output(path, ec, llvm::sys::fs::OF_None);
  if (ec) {
    error = "cannot write '" + path.str() + "': " + ec.message();
    return failure();
  }
  llvm::legacy::PassManager codegen;
  if (machine.addPassesToEmitFile(codegen, output.os(), nullptr,
                                  llvm::CodeGenFileType::ObjectFile)) {
    error = "the target cannot emit object files";
    return failure();
  }
  codegen.run(module);
  output.os().flush();
  if (output.os().has_error()) {
    error = "cannot write '" + path.str() + "'";
    return failure();
  }
  output.keep();
  return success();
}

std::string mlir::mc::getDefaultRuntimeLibrary(const char *argv0) {
  // Any address in this binary will do for getMainExecutable.
  static int anchor;
  std::string executable = llvm::sys::fs::getMainExecutable(argv0, &anchor);
  SmallString<256> path(llvm::sys::path::parent_path(executable));
  llvm::sys::path::append(path, "..", "lib", "libmc_runtime.a");
  llvm::sys::path::remove_dots(path, /*remove_dot_dot=*/true);
  return std::string(path);
}

LogicalResult mlir::mc::linkSharedLibrary(StringRef objectPath,
                                          StringRef outputPath,
                                          StringRef runtimeLibrary,
                                          StringRef linker,
                                          std::string &error,
                                          ArrayRef<StringRef> extraExports,
                                          ArrayRef<StringRef> extraLinkArgs) {
  if (!llvm::sys::fs::exists(runtimeLibrary)) {
    error = "runtime library '" + runtimeLibrary.str() +
            "' not found (build the mc_runtime target or pass --runtime-lib)";
    return failure();
  }
  llvm::ErrorOr<std::string> program = llvm::sys::findProgramByName(linker);
  if (!program) {
    error = "linker '" + linker.str() + "' not found in PATH";
    return failure();
  }

  // Export the ABI only: the generated `main` and `_mlir_ciface_main` stay
  // local, so they can neither clash with nor be interposed by the symbols
  // of the program that loads the library.
  SmallString<128> scriptPath;
  int fd;
  if (std::error_code ec = llvm::sys::fs::createTemporaryFile(
          "mc-exports", "map", fd, scriptPath)) {
    error = "cannot create a temporary file: " + ec.message();
    return failure();
  }
  llvm::FileRemover removeScript(scriptPath);
  {
    llvm::raw_fd_ostream script(fd, /*shouldClose=*/true);
    script << "{\n  global:\n    mc_model_info;\n    mc_model_run;\n"
              "    mc_last_error;\n";
    for (StringRef name : extraExports)
      script << "    " << name << ";\n";
    script << "  local:\n    *;\n};\n";
  }

  std::string versionScript = ("-Wl,--version-script=" + scriptPath).str();
  SmallVector<StringRef> args = {
      *program, "-shared", "-o", outputPath, objectPath,
      // Nothing in the object refers to the ABI
      // functions: take the whole archive.
      "-Wl,--whole-archive", runtimeLibrary, "-Wl,--no-whole-archive", "-lm",
      versionScript, "-Wl,-z,noexecstack", "-Wl,-z,relro,-z,now"};
  llvm::append_range(args, extraLinkArgs);
  std::string message;
  int status = llvm::sys::ExecuteAndWait(*program, args, std::nullopt, {},
                                         /*SecondsToWait=*/0,
                                         /*MemoryLimit=*/0, &message);
  if (status != 0) {
    error = "linking '" + outputPath.str() + "' with " + *program +
            (message.empty()
                 ? " failed (exit status " + std::to_string(status) + ")"
                 : " failed: " + message);
    return failure();
  }
  return success();
}
