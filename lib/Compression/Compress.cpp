//===- Compress.cpp - The compression flow of mc-compile ------------------===//
//
// Part of the mc project: an MLIR compiler for compressed neural networks.
//
//===----------------------------------------------------------------------===//

#include "mc/Compression/Compress.h"

#include "mlir/Pass/PassManager.h"
#include "mlir/Pass/PassRegistry.h"
#include "llvm/ADT/StringExtras.h"
#include "llvm/Support/Format.h"
#include "llvm/Support/FormatVariadic.h"
#include "llvm/Support/raw_ostream.h"

using namespace mlir;
using namespace mlir::mc;

LogicalResult mlir::mc::verifyCompressionOptions(const CompressionOptions &o,
                                                 std::string &error) {
  if (o.prune.empty() && o.sparsity)
    error = "--sparsity needs --prune=magnitude|wanda";
  else if (o.prune.empty() && !o.pattern.empty())
    error = "--sparsity-pattern needs --prune=magnitude|wanda";
  else if (o.prune.empty() && (o.keepFirst || o.keepLast))
    error = std::string("--prune-keep-") + (o.keepFirst ? "first" : "last") +
            " needs --prune=magnitude|wanda";
  else if (o.lowrankEnergy && o.lowrankRatio)
    error = "--lowrank-energy and --lowrank-ratio exclude each other";
  else if (o.sparsity && o.pattern.find(':') != std::string::npos)
    error = "--sparsity does not apply to an N:M pattern (its sparsity is "
            "1 - N/M)";
  else if (o.prune == "wanda" && !o.haveCalibration)
    error = "--prune=wanda needs calibration data (--calib=PATH or "
            "--calib-load=FILE) for the activation norms";
  else if (!o.quantize.empty() && !o.haveCalibration)
    error = "--quantize=" + o.quantize +
            " needs calibration data (--calib=PATH or --calib-load=FILE) "
            "for the activation ranges";
  return failure(!error.empty());
}

/// Parses and runs a textual pass pipeline on `module`.
static LogicalResult runPipeline(ModuleOp module, StringRef pipeline) {
  std::string message;
  llvm::raw_string_ostream errors(message);
  // `pipeline` is anchored on builtin.module: parse it into a pass manager
  // anchored there too. (Added to a default, "any"-anchored PassManager it
  // would become a nested builtin.module pipeline, which runs on modules
  // inside `module`, i.e. on nothing.)
  FailureOr<OpPassManager> parsed = parsePassPipeline(pipeline, errors);
  if (failed(parsed)) {
    emitError(module.getLoc()) << "cannot build the pass pipeline '"
                               << pipeline << "': " << message;
    return failure();
  }
  PassManager pm(module->getContext(), parsed->getOpAnchorName());
  static_cast<OpPassManager &>(pm) = std::move(*parsed);
  return pm.run(module);
}

LogicalResult mlir::mc::prepareForCompression(ModuleOp module) {
  return runPipeline(module,
                     "builtin.module(canonicalize,func.func(mc-fold-batch-"
                     "norm),canonicalize)");
}

/// `value` with every digit a double holds, for a pass option.
static std::string exact(double value) {
  return llvm::formatv("{0}", llvm::format("%.17g", value)).str();
}

LogicalResult mlir::mc::compressModel(
    ModuleOp module, const CompressionOptions &options,
    llvm::function_ref<LogicalResult(ModuleOp)> calibrate) {
  if (options.needsCalibration() && failed(calibrate(module)))
    return failure();

  SmallVector<std::string> reshape;
  if (options.lowrankEnergy)
    reshape.push_back(
        "mc-lowrank{energy=" + exact(*options.lowrankEnergy) + "}");
  if (options.lowrankRatio)
    reshape.push_back(
        "mc-lowrank{rank-ratio=" + exact(*options.lowrankRatio) + "}");
  if (!options.prune.empty()) {
    std::string prune = "mc-prune{method=" + options.prune;
    if (!options.pattern.empty())
      prune += " pattern=" + options.pattern;
    if (options.sparsity)
      prune += " sparsity=" + exact(*options.sparsity);
    if (options.keepFirst)
      prune += " keep-first=true";
    if (options.keepLast)
      prune += " keep-last=true";
    reshape.push_back(prune + "}");
  }
  if (!reshape.empty()) {
    if (failed(runPipeline(module, "builtin.module(func.func(" +
                                       llvm::join(reshape, ",") +
                                       "),canonicalize)")))
      return failure();
    // Pruned or split layers change every activation after them: the
    // ranges int8 activations are quantized with must be measured anew.
    if (!options.quantize.empty() && failed(calibrate(module)))
      return failure();
  }
  if (!options.quantize.empty())
    return runPipeline(
        module, "builtin.module(mc-quantize,func.func(mc-fixed-point),"
                "canonicalize)");
  return success();
}
