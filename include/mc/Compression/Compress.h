//===- Compress.h - The compression flow of mc-compile ----------*- C++ -*-===//
//
// Part of the mc project: an MLIR compiler for compressed neural networks.
//
//===----------------------------------------------------------------------===//
//
// The order in which mc-compile (and the Python package) apply the
// compression passes to an imported model, and the checks on their options
// that can be made before any work is done:
//
//   1. canonicalize, mc-fold-batch-norm            (what is compressed is
//                                                   what will run)
//   2. calibrate                                    (Wanda, int8 activations)
//   3. mc-lowrank, then mc-prune
//   4. calibrate again if 3 changed the model and activations are quantized
//   5. mc-quantize, mc-fixed-point
//
//===----------------------------------------------------------------------===//

#ifndef MC_COMPRESSION_COMPRESS_H
#define MC_COMPRESSION_COMPRESS_H

#include "mlir/IR/BuiltinOps.h"

#include <optional>
#include <string>

namespace mlir::mc {

struct CompressionOptions {
  /// "", "magnitude" or "wanda".
  std::string prune;
  /// Fraction of weights (unstructured) or channels (channel) removed; not
  /// used by N:M patterns, whose sparsity is 1 - N/M.
  std::optional<double> sparsity;
  /// "unstructured", "N:M" or "channel"; empty: unstructured.
  std::string pattern;
  /// Leave the first / last prunable layer dense.
  bool keepFirst = false;
  bool keepLast = false;
  std::optional<double> lowrankEnergy;
  std::optional<double> lowrankRatio;
  /// "" or "int8".
  std::string quantize;
  /// Whether the caller can calibrate (calibration data was given).
  bool haveCalibration = false;

  bool needsCalibration() const {
    return prune == "wanda" || !quantize.empty();
  }
  bool any() const {
    return !prune.empty() || lowrankEnergy || lowrankRatio ||
           !quantize.empty();
  }
};

/// Checks what can be checked before compiling: combinations of options
/// and the need for calibration data. Fails with a message in `error`
/// (without a trailing period) otherwise. The passes check their own
/// option values (ranges, pattern syntax) when they run.
LogicalResult verifyCompressionOptions(const CompressionOptions &options,
                                       std::string &error);

/// Step 1: canonicalization and BatchNorm folding.
LogicalResult prepareForCompression(ModuleOp module);

/// Steps 2-5 on a prepared module. `calibrate` runs the calibration and
/// attaches its statistics to the module (docs/Rationale/Compression.md);
/// it is called only when the options need it. Diagnostics go to the
/// module's context.
LogicalResult
compressModel(ModuleOp module, const CompressionOptions &options,
              llvm::function_ref<LogicalResult(ModuleOp)> calibrate);

} // namespace mlir::mc

#endif // MC_COMPRESSION_COMPRESS_H
