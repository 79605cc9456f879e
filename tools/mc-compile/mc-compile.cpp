//===- mc-compile.cpp - Ahead-of-time compiler driver ---------------------===//
//
// Part of the mc project: an MLIR compiler for compressed neural networks.
//
//===----------------------------------------------------------------------===//
//
// `mc-compile model.onnx -o libmodel.so [--header model.h]` compiles an ONNX
// model (or mc IR from mc-import/mc-opt, as .mlir) into a shared library
// with the C ABI of runtime/include/mc/runtime.h. `--emit` stops after any
// stage:
//
//   mc    the mc IR about to be lowered (calibration statistics attached)
//   mlir  the LLVM-dialect module after mc-cpu-pipeline (info table included)
//   llvm  LLVM IR after LLVM's optimization pipeline at -O<n>
//   obj   the object file
//   lib   the shared library (default)
//   ptx   (--target=cuda) the PTX of the model's kernels
//
// `--calib DATA` runs the float model over calibration inputs first and
// attaches the statistics to the IR (docs/Rationale/Calibration.md);
// `--calib-save` / `--calib-load` keep them in a file.
//
// Exit status: 0 success, 1 usage or unreadable input (calibration data and
// files included), 2 import or parse error, 3 compilation (lowering) error,
// 4 code generation or link error, 5 an output cannot be written.
//
//===----------------------------------------------------------------------===//

#include "mc/Calibration/Calibrate.h"
#include "mc/Codegen/Common/RuntimeABI.h"
#include "mc/Compression/Compress.h"
#include "mc/Compression/Report.h"
#include "mc/InitAll.h"
#include "mc/Target/CPU/CPUTarget.h"
#ifdef MC_ENABLE_GPU
#include "mc/Target/CUDA/CUDATarget.h"
#endif
#include "mc/Target/ONNX/ONNXImporter.h"

#include "mlir/IR/AsmState.h"
#include "mlir/IR/MLIRContext.h"
#include "mlir/InitAllDialects.h"
#include "mlir/InitAllExtensions.h"
#include "mlir/Parser/Parser.h"
#include "mlir/Pass/PassManager.h"
#include "mlir/Support/FileUtilities.h"
#include "mlir/Transforms/Passes.h"
#include "llvm/ADT/StringExtras.h"
#include "llvm/Support/CommandLine.h"
#include "llvm/Support/FileSystem.h"
#include "llvm/Support/FileUtilities.h"
#include "llvm/Support/InitLLVM.h"
#include "llvm/Support/Path.h"
#include "llvm/Support/SourceMgr.h"
#include "llvm/Support/ToolOutputFile.h"

using namespace mlir;
namespace cl = llvm::cl;

namespace {

enum ExitCode {
  kSuccess = 0,
  kUsageError = 1,
  kImportError = 2,
  kCompileError = 3,
  kCodegenError = 4,
  kOutputError = 5,
};

enum class Emit { MC, MLIR, LLVM, Object, Library, PTX };
enum class Target { CPU, CUDA };

cl::OptionCategory category("mc-compile options");

cl::opt<std::string> inputFilename(cl::Positional,
                                   cl::desc("<model.onnx | model.mlir>"),
                                   cl::Required, cl::cat(category));
cl::opt<std::string>
    outputFilename("o",
                   cl::desc("Output file (default: lib<model>.so for "
                            "--emit=lib, <model>.o for obj, stdout else)"),
                   cl::value_desc("file"), cl::cat(category));
cl::opt<Emit> emit(
    "emit", cl::desc("Stop after this stage"), cl::init(Emit::Library),
    cl::values(clEnumValN(Emit::MC, "mc",
                          "the mc IR before lowering (with calibration)"),
               clEnumValN(Emit::MLIR, "mlir", "the LLVM-dialect module"),
               clEnumValN(Emit::LLVM, "llvm", "optimized LLVM IR"),
               clEnumValN(Emit::Object, "obj", "object file"),
               clEnumValN(Emit::Library, "lib", "shared library (default)"),
               clEnumValN(Emit::PTX, "ptx",
                          "the kernels' PTX (--target=cuda only)")),
    cl::cat(category));
cl::opt<Target>
    target("target", cl::desc("Target"), cl::init(Target::CPU),
           cl::values(clEnumValN(Target::CPU, "cpu", "the host CPU (default)"),
                      clEnumValN(Target::CUDA, "cuda",
                                 "NVIDIA GPUs: PTX kernels launched through "
                                 "the CUDA driver (docs/GPU.md)")),
           cl::cat(category));
cl::opt<std::string>
    cudaArch("cuda-arch",
             cl::desc("With --target=cuda: the GPU architecture of the PTX, "
                      "sm_75 or newer (default sm_80)"),
             cl::init("sm_80"), cl::value_desc("sm_NN"), cl::cat(category));
cl::opt<std::string>
    cudaPath("cuda-path",
             cl::desc("With --target=cuda: the CUDA toolkit whose libdevice "
                      "the kernels link (default: $CUDA_HOME, $CUDA_PATH or "
                      "/usr/local/cuda)"),
             cl::value_desc("dir"), cl::cat(category));
cl::opt<std::string> targetCPU("target-cpu",
                               cl::desc("LLVM CPU name (default: the host's)"),
                               cl::value_desc("name"), cl::cat(category));
cl::opt<std::string>
    targetFeatures("target-features",
                   cl::desc("LLVM target features, e.g. +avx2,-avx512f "
                            "(default: the host's)"),
                   cl::value_desc("features"), cl::cat(category));
cl::opt<char> optLevel("O",
                       cl::desc("Optimization level: -O0, -O1, -O2 "
                                "(default) or -O3"),
                       cl::Prefix, cl::init('2'), cl::cat(category));
cl::opt<std::string>
    headerFilename("header",
                   cl::desc("Also write a C header declaring the ABI and "
                            "documenting the model's inputs and outputs"),
                   cl::value_desc("file.h"), cl::cat(category));
cl::opt<std::string>
    modelName("model-name",
              cl::desc("Model name in the library (default: the input "
                       "file's stem)"),
              cl::value_desc("name"), cl::cat(category));
enum class Int8Sparse { Auto, Always, Never };
cl::opt<Int8Sparse> int8Sparse(
    "int8-sparse",
    cl::desc("Compressed int8 kernel for constant weights with at most 4 "
             "non-zeros per 8 reduction steps (2:4, 4:8 pruning; "
             "docs/Rationale/Int8Kernels.md)"),
    cl::init(Int8Sparse::Auto),
    cl::values(clEnumValN(Int8Sparse::Auto, "auto",
                          "where it is measured faster (default)"),
               clEnumValN(Int8Sparse::Always, "always", "every such weight"),
               clEnumValN(Int8Sparse::Never, "never", "the dense kernel")),
    cl::cat(category));
cl::opt<std::string>
    runtimeLibrary("runtime-lib",
                   cl::desc("libmc_runtime.a (libmc_cuda_runtime.a with "
                            "--target=cuda) to link (default: ../lib beside "
                            "mc-compile)"),
                   cl::value_desc("path"), cl::cat(category));
cl::opt<std::string> linker("linker",
                            cl::desc("C compiler driver that links the "
                                     "shared library"),
                            cl::init("cc"), cl::value_desc("program"),
                            cl::cat(category));

cl::OptionCategory compressionCategory(
    "mc-compile compression options",
    "Applied in this order: BatchNorm folding, calibration (when needed), "
    "low-rank splitting, pruning, quantization with fixed-point "
    "requantization (docs/Compression.md)");
enum class PruneMethod { None, Magnitude, Wanda };
cl::opt<PruneMethod> pruneMethod(
    "prune", cl::desc("Prune weights"), cl::init(PruneMethod::None),
    cl::values(clEnumValN(PruneMethod::Magnitude, "magnitude",
                          "smallest |W| per layer"),
               clEnumValN(PruneMethod::Wanda, "wanda",
                          "smallest |W|·‖X‖ per output row (needs "
                          "calibration)")),
    cl::cat(compressionCategory));
cl::opt<double> sparsity("sparsity",
                         cl::desc("Fraction of weights (or channels) to "
                                  "remove, in [0, 1) (default 0.5)"),
                         cl::cat(compressionCategory));
cl::opt<std::string> sparsityPattern(
    "sparsity-pattern",
    cl::desc("unstructured (default), N:M (e.g. 2:4, 4:8: at most N non-zeros "
             "in every M weights along the reduction) or channel (whole "
             "output channels, layers shrink)"),
    cl::value_desc("pattern"), cl::cat(compressionCategory));
cl::opt<bool> pruneKeepFirst(
    "prune-keep-first",
    cl::desc("Leave the first prunable layer (in program order) dense"),
    cl::cat(compressionCategory));
cl::opt<bool> pruneKeepLast(
    "prune-keep-last",
    cl::desc("Leave the last prunable layer (in program order) dense"),
    cl::cat(compressionCategory));
cl::opt<double>
    lowrankEnergy("lowrank-energy",
                  cl::desc("Split weights by SVD keeping this fraction of "
                           "the squared singular values, in (0, 1]"),
                  cl::cat(compressionCategory));
cl::opt<double> lowrankRatio("lowrank-ratio",
                             cl::desc("Split weights by SVD with rank = "
                                      "ratio · min(out, in), in (0, 1]"),
                             cl::cat(compressionCategory));
enum class Quantize { None, Int8 };
/// The compression options given on the command line, for the report's
/// `settings` (the same keys and types as the Python package's
/// mc.compile(..., report=True)).
llvm::json::Object compressionSettings();
cl::opt<Quantize> quantize(
    "quantize", cl::desc("Quantize weights and activations"),
    cl::init(Quantize::None),
    cl::values(clEnumValN(Quantize::Int8, "int8",
                          "int8 per-channel weights, int8 per-tensor "
                          "activations (needs calibration)")),
    cl::cat(compressionCategory));

cl::opt<std::string>
    reportFilename("report",
                   cl::desc("Write a JSON report of every layer before and "
                            "after compression (parameters, sparsity, rank, "
                            "bits, bytes)"),
                   cl::value_desc("file.json"), cl::cat(compressionCategory));
cl::opt<bool> verbose("v",
                      cl::desc("Print the compression report as a table on "
                               "stdout"),
                      cl::cat(compressionCategory));
cl::OptionCategory calibCategory("mc-compile calibration options");
cl::opt<std::string> calibData(
    "calib",
    cl::desc("Calibrate on these inputs: a .npy or .pb (onnx.TensorProto) "
             "file of stacked samples, or a folder of them"),
    cl::value_desc("path"), cl::cat(calibCategory));
cl::opt<std::string>
    calibSave("calib-save",
              cl::desc("Write the calibration statistics to this JSON file"),
              cl::value_desc("file"), cl::cat(calibCategory));
cl::opt<std::string> calibLoad(
    "calib-load",
    cl::desc("Attach the statistics of a --calib-save file instead of "
             "running calibration"),
    cl::value_desc("file"), cl::cat(calibCategory));
cl::opt<int64_t> calibBatch("calib-batch",
                            cl::desc("Samples per calibration run (default "
                                     "64; a static-batch model uses its "
                                     "batch)"),
                            cl::init(64), cl::value_desc("n"),
                            cl::cat(calibCategory));
cl::opt<int64_t>
    calibBins("calib-bins",
              cl::desc("Histogram bins per observed tensor (default 2048; "
                       "0: no histogram)"),
              cl::init(2048), cl::value_desc("n"), cl::cat(calibCategory));
cl::opt<uint64_t> calibMemory(
    "calib-memory",
    cl::desc("MiB of tapped tensors kept between the two calibration "
             "sweeps (default 1024); past it the model runs twice"),
    cl::init(1024), cl::value_desc("MiB"), cl::cat(calibCategory));

int error(const Twine &message, int code) {
  llvm::errs() << "mc-compile: error: " << message << "\n";
  return code;
}

/// Writes `text` to `path` ("-" is stdout).
LogicalResult writeFile(StringRef path,
                        llvm::function_ref<void(llvm::raw_ostream &)> write) {
  std::string message;
  std::unique_ptr<llvm::ToolOutputFile> output = openOutputFile(path, &message);
  if (!output) {
    error(message, kOutputError);
    return failure();
  }
  write(output->os());
  output->keep();
  return success();
}

/// An include guard from the header's file name: MODEL_H for model.h.
std::string headerGuard(StringRef path) {
  std::string guard;
  for (char c : llvm::sys::path::filename(path))
    guard += llvm::isAlnum(c) ? llvm::toUpper(c) : '_';
  if (guard.empty() || llvm::isDigit(guard[0]))
    guard = "MC_" + guard;
  return guard;
}

/// --calib / --calib-load on a module prepared for compression (BatchNorm
/// folded, so that the observed ops are the ones compiled): runs calibration
/// or reads a file, and attaches the statistics to @main. `first` is false
/// when the compression flow calibrates again after pruning or low-rank
/// splitting; only the first statistics are saved.
llvm::json::Object compressionSettings() {
  llvm::json::Object settings;
  if (pruneMethod != PruneMethod::None)
    settings["prune"] =
        pruneMethod == PruneMethod::Magnitude ? "magnitude" : "wanda";
  if (sparsity.getNumOccurrences())
    settings["sparsity"] = sparsity.getValue();
  if (!sparsityPattern.empty())
    settings["pattern"] = sparsityPattern.getValue();
  if (pruneKeepFirst)
    settings["keep_first"] = true;
  if (pruneKeepLast)
    settings["keep_last"] = true;
  if (lowrankEnergy.getNumOccurrences())
    settings["lowrank_energy"] = lowrankEnergy.getValue();
  if (lowrankRatio.getNumOccurrences())
    settings["lowrank_ratio"] = lowrankRatio.getValue();
  if (quantize == Quantize::Int8)
    settings["quantize"] = "int8";
  if (!calibData.empty() || !calibLoad.empty())
    settings["calib"] = true;
  return settings;
}

int calibrateModel(ModuleOp module, const char *argv0, bool first) {
  FailureOr<mc::ModelSignature> signature = mc::getModelSignature(module);
  if (failed(signature))
    return kCompileError;
  mc::CalibrationTable table;
  if (!calibLoad.empty() && !first) {
    return error("--calib-load: the saved statistics describe the model "
                 "before pruning / low-rank splitting; quantizing after "
                 "them needs --calib",
                 kUsageError);
  } else if (!calibLoad.empty()) {
    llvm::Expected<mc::CalibrationTable> loaded =
        mc::readCalibrationTable(calibLoad);
    if (!loaded)
      return error(llvm::toString(loaded.takeError()), kUsageError);
    table = std::move(*loaded);
  } else {
    llvm::Expected<mc::CalibrationData> data =
        mc::loadCalibrationData(calibData, signature->inputs);
    if (!data)
      return error(llvm::toString(data.takeError()), kUsageError);
    mc::CalibrationOptions options;
    options.target.cpu = targetCPU;
    options.target.features = targetFeatures;
    options.target.optLevel = optLevel - '0';
    options.runtimeLibrary = runtimeLibrary.empty()
                                 ? mc::getDefaultRuntimeLibrary(argv0)
                                 : runtimeLibrary.getValue();
    options.linker = linker;
    options.batchSize = calibBatch;
    options.numBins = calibBins;
    options.retainBytes = std::min<uint64_t>(calibMemory, UINT64_MAX >> 20)
                          << 20;
    options.showProgress = llvm::errs().is_displayed();
    llvm::Expected<mc::CalibrationTable> result =
        mc::calibrate(module, *data, options);
    if (!result)
      return error("calibration: " + llvm::toString(result.takeError()),
                   kCompileError);
    table = std::move(*result);
    if (first && !calibSave.empty())
      if (llvm::Error saveError = mc::writeCalibrationTable(table, calibSave))
        return error(llvm::toString(std::move(saveError)), kOutputError);
  }
  auto main = module.lookupSymbol<func::FuncOp>(mc::kRuntimeABIFunction);
  if (failed(mc::attachCalibration(main, table)))
    return kUsageError;
  return kSuccess;
}

int compile(const char *argv0) {
#ifdef MC_ENABLE_GPU
  if (target == Target::CUDA) {
    std::string chipError = mc::verifyCUDAChip(cudaArch);
    if (!chipError.empty())
      return error("--cuda-arch: " + chipError, kUsageError);
    std::string toolkitError;
    FailureOr<std::string> toolkit =
        mc::findCUDAToolkit(cudaPath, toolkitError);
    if (failed(toolkit))
      return error(toolkitError, kUsageError);
    cudaPath = *toolkit;
  }
#else
  if (target == Target::CUDA)
    return error("--target=cuda: this mc was built without MC_ENABLE_GPU",
                 kUsageError);
#endif
  if (target != Target::CUDA && cudaArch.getNumOccurrences())
    return error("--cuda-arch needs --target=cuda", kUsageError);
  if (target != Target::CUDA && cudaPath.getNumOccurrences())
    return error("--cuda-path needs --target=cuda", kUsageError);
  if (target != Target::CUDA && emit == Emit::PTX)
    return error("--emit=ptx needs --target=cuda", kUsageError);
  if (optLevel < '0' || optLevel > '3')
    return error(Twine("invalid optimization level -O") + Twine(optLevel) +
                     "; expected -O0, -O1, -O2 or -O3",
                 kUsageError);

  if (!calibData.empty() && !calibLoad.empty())
    return error("--calib and --calib-load exclude each other", kUsageError);
  if (!calibSave.empty() && calibData.empty())
    return error("--calib-save needs --calib", kUsageError);
  if (calibBatch <= 0)
    return error("--calib-batch must be positive", kUsageError);
  if (calibBins < 0)
    return error("--calib-bins must not be negative", kUsageError);

  StringRef extension = llvm::sys::path::extension(inputFilename);
  bool isONNX = extension == ".onnx";
  if (!isONNX && extension != ".mlir")
    return error("'" + inputFilename +
                     "': unknown input kind; expected a .onnx or .mlir file",
                 kUsageError);
  if (inputFilename != "-" && !llvm::sys::fs::exists(inputFilename))
    return error("cannot open '" + inputFilename +
                     "': no such file or directory",
                 kUsageError);
  if (llvm::sys::fs::is_directory(inputFilename))
    return error("'" + inputFilename + "' is a directory", kUsageError);

  mc::CompressionOptions compression;
  if (pruneMethod != PruneMethod::None)
    compression.prune =
        pruneMethod == PruneMethod::Magnitude ? "magnitude" : "wanda";
  if (sparsity.getNumOccurrences())
    compression.sparsity = sparsity;
  compression.pattern = sparsityPattern;
  compression.keepFirst = pruneKeepFirst;
  compression.keepLast = pruneKeepLast;
  if (lowrankEnergy.getNumOccurrences())
    compression.lowrankEnergy = lowrankEnergy;
  if (lowrankRatio.getNumOccurrences())
    compression.lowrankRatio = lowrankRatio;
  if (quantize == Quantize::Int8)
    compression.quantize = "int8";
  compression.haveCalibration = !calibData.empty() || !calibLoad.empty();
  std::string optionError;
  if (failed(mc::verifyCompressionOptions(compression, optionError)))
    return error(optionError, kUsageError);

  // Every upstream dialect and extension, as in mc-opt: .mlir input may use
  // any of them, and the pipeline needs their bufferization and
  // to-LLVM interface models.
  DialectRegistry registry;
  registerAllDialects(registry);
  registerAllExtensions(registry);
  mc::registerAllDialects(registry);
  mc::registerONNXImportDialects(registry);
  mc::initializeCPUTarget(registry);
#ifdef MC_ENABLE_GPU
  mc::initializeCUDATarget(registry);
#endif
  MLIRContext context(registry);
  llvm::SourceMgr sourceMgr;
  SourceMgrDiagnosticHandler diagnostics(sourceMgr, &context);

  OwningOpRef<ModuleOp> module;
  if (isONNX) {
    module = mc::importONNXFile(inputFilename, &context);
  } else {
    std::string message;
    std::unique_ptr<llvm::MemoryBuffer> buffer =
        openInputFile(inputFilename, &message);
    if (!buffer)
      return error(message, kUsageError);
    sourceMgr.AddNewSourceBuffer(std::move(buffer), llvm::SMLoc());
    module = parseSourceFile<ModuleOp>(sourceMgr, &context);
  }
  if (!module)
    return kImportError;

  if (failed(mc::prepareForCompression(*module)))
    return kCompileError;
  mc::ModelStats statsBefore = mc::collectModelStats(*module);
  // Calibration: inside the compression flow when it needs the statistics,
  // else right here (--calib alone attaches them, e.g. for --emit=mc).
  int calibCode = kSuccess;
  int calibRuns = 0;
  auto calibrate = [&](ModuleOp m) {
    calibCode = calibrateModel(m, argv0, calibRuns++ == 0);
    return success(calibCode == kSuccess);
  };
  if (compression.haveCalibration && !compression.needsCalibration() &&
      failed(calibrate(*module)))
    return calibCode;
  if (compression.any() &&
      failed(mc::compressModel(*module, compression, calibrate)))
    return calibCode != kSuccess ? calibCode : kCompileError;
  if (!reportFilename.empty() || verbose) {
    mc::ModelStats statsAfter = mc::collectModelStats(*module);
    if (!reportFilename.empty() &&
        failed(writeFile(reportFilename, [&](llvm::raw_ostream &os) {
          mc::writeReportJSON(os, statsBefore, statsAfter,
                              compressionSettings());
        })))
      return kOutputError;
    if (verbose)
      mc::printReportTable(llvm::outs(), statsBefore, statsAfter);
  }

  std::string stem = llvm::sys::path::stem(inputFilename).str();
  mc::CPUTargetOptions options;
  options.cpu = targetCPU;
  options.features = targetFeatures;
  options.optLevel = optLevel - '0';
  options.modelName = modelName.empty() ? stem : modelName.getValue();
  options.int8Sparse = int8Sparse == Int8Sparse::Always  ? "always"
                       : int8Sparse == Int8Sparse::Never ? "never"
                                                         : "auto";

  // The signature before lowering: the header describes the tensors.
  FailureOr<mc::ModelSignature> signature = mc::getModelSignature(*module);
  if (failed(signature))
    return kCompileError;

  if (!headerFilename.empty()) {
    std::string header = mc::generateModelHeader(
        *signature, options.modelName, llvm::sys::path::filename(inputFilename),
        headerGuard(headerFilename));
    if (failed(writeFile(headerFilename,
                         [&](llvm::raw_ostream &os) { os << header; })))
      return kOutputError;
  }

  std::string output = outputFilename;
  if (output.empty()) {
    if (emit == Emit::Library)
      output = "lib" + stem + ".so";
    else if (emit == Emit::Object)
      output = stem + ".o";
    else
      output = "-";
  }
  if (emit == Emit::MC) {
    if (failed(writeFile(output, [&](llvm::raw_ostream &os) {
          module->print(os);
          os << "\n";
        })))
      return kOutputError;
    return kSuccess;
  }
#ifdef MC_ENABLE_GPU
  if (target == Target::CUDA) {
    mc::CUDATargetOptions cudaOptions;
    cudaOptions.chip = cudaArch;
    cudaOptions.modelName = options.modelName;
    cudaOptions.optLevel = options.optLevel;
    cudaOptions.cudaPath = cudaPath;
    if (failed(mc::lowerToLLVMDialectForCUDA(*module, cudaOptions)))
      return kCompileError;
    if (emit == Emit::PTX) {
      FailureOr<std::string> ptx = mc::getModulePTX(*module);
      if (failed(ptx))
        return kCodegenError;
      if (failed(writeFile(output,
                           [&](llvm::raw_ostream &os) { os << *ptx; })))
        return kOutputError;
      return kSuccess;
    }
  } else if (failed(mc::lowerToLLVMDialect(*module, options))) {
    return kCompileError;
  }
#else
  if (failed(mc::lowerToLLVMDialect(*module, options)))
    return kCompileError;
#endif
  if (emit == Emit::MLIR) {
    if (failed(writeFile(output, [&](llvm::raw_ostream &os) {
          module->print(os);
          os << "\n";
        })))
      return kOutputError;
    return kSuccess;
  }

  std::string message;
  std::unique_ptr<llvm::TargetMachine> machine =
      mc::createCPUTargetMachine(options, message);
  if (!machine)
    return error(message, kCodegenError);
  llvm::LLVMContext llvmContext;
  std::unique_ptr<llvm::Module> llvmModule =
      mc::translateToLLVMIR(*module, llvmContext, *machine, options);
  if (!llvmModule)
    return kCodegenError;
  if (emit == Emit::LLVM) {
    if (failed(writeFile(output, [&](llvm::raw_ostream &os) {
          llvmModule->print(os, nullptr);
        })))
      return kOutputError;
    return kSuccess;
  }
  if (emit == Emit::Object) {
    if (failed(mc::emitObjectFile(*llvmModule, *machine, output, message)))
      return error(message, kOutputError);
    return kSuccess;
  }

  // The library: object to a temporary file, then the link.
  if (output == "-")
    return error("-o -: a shared library cannot go to stdout", kUsageError);
  std::string runtime = runtimeLibrary.getValue();
  SmallVector<StringRef> extraExports, extraLinkArgs;
#ifdef MC_ENABLE_GPU
  if (target == Target::CUDA) {
    // The CUDA runtime adds the device-pointer entry and loads libcuda with
    // dlopen at run time; the library never links against it.
    if (runtime.empty())
      runtime = mc::getDefaultCUDARuntimeLibrary(argv0);
    extraExports.push_back("mc_model_run_device");
    extraLinkArgs.push_back("-ldl");
  }
#endif
  if (runtime.empty()) {
    runtime = mc::getDefaultRuntimeLibrary(argv0);
    // The CPU runtime caches the generated code's buffers per thread
    // (runtime/mc_alloc.c) and lets the caller release them.
    extraExports.push_back("mc_release_cached_memory");
  }
  SmallString<128> objectPath;
  if (std::error_code ec =
          llvm::sys::fs::createTemporaryFile("mc-model", "o", objectPath))
    return error("cannot create a temporary file: " + ec.message(),
                 kOutputError);
  llvm::FileRemover removeObject(objectPath);
  if (failed(mc::emitObjectFile(*llvmModule, *machine, objectPath, message)))
    return error(message, kOutputError);
  if (failed(
          mc::linkSharedLibrary(objectPath, output, runtime, linker, message,
                                extraExports, extraLinkArgs)))
    return error(message, kCodegenError);
  return kSuccess;
}

} // namespace

int main(int argc, char **argv) {
  llvm::InitLLVM init(argc, argv);
  registerAsmPrinterCLOptions();
  registerMLIRContextCLOptions();
  registerPassManagerCLOptions();
  // The compression flow builds its pipelines from pass names.
  registerTransformsPasses();
  mc::registerAllPasses();
  cl::ParseCommandLineOptions(
      argc, argv,
      "mc ahead-of-time compiler: ONNX or mc IR to a native shared library\n");
  return compile(argv[0]);
}
