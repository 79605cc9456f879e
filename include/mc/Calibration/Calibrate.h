//===- Calibrate.h - Run the float model over calibration data --*- C++ -*-===//
//
// Part of the mc project: an MLIR compiler for compressed neural networks.
//
//===----------------------------------------------------------------------===//
//
// Calibration as mc-compile --calib runs it (docs/Rationale/Calibration.md):
//
//   1. loadCalibrationData reads the inputs (.npy, .pb TensorProto, or a
//      folder of them) and checks them against the model's signature;
//   2. calibrate clones the module, adds the observer variant
//      (mc-insert-observers), compiles it with mc's CPU target into a
//      temporary shared library, loads it, streams the inputs through it in
//      batches and accumulates the statistics of Statistics.h.
//
//===----------------------------------------------------------------------===//

#ifndef MC_CALIBRATION_CALIBRATE_H
#define MC_CALIBRATION_CALIBRATE_H

#include "mc/Calibration/Statistics.h"
#include "mc/Codegen/Common/RuntimeABI.h"
#include "mc/Support/Npy.h"
#include "mc/Target/CPU/CPUTarget.h"

#include "mlir/IR/BuiltinOps.h"
#include "llvm/Support/Error.h"

#include <cstdint>
#include <string>

namespace mlir::mc {

/// The calibration inputs: one array per model input, every sample
/// concatenated along the leading dimension.
struct CalibrationData {
  SmallVector<NpyArray> inputs;
  /// Number of samples (the common leading dimension).
  int64_t numSamples = 0;
};

/// Reads calibration inputs for a model whose inputs are `inputs`. `path`
/// is one of
///   - a .npy file or a .pb file (a serialized onnx.TensorProto) holding
///     stacked samples of a single-input model;
///   - a folder: its .npy / .pb files (sorted by name) are stacked samples of
///     the single input, or, for a model with several inputs, exactly the
///     files input_0, input_1, ... (one per input, as in ONNX test data
///     sets); its subfolders (sorted by name) are read the same way and
///     appended.
/// Each array has the input's element type and shape, with the leading
/// (batch) dimension holding any number of samples; an array without it (a
/// single sample) is accepted when the input has a dynamic batch.
llvm::Expected<CalibrationData>
loadCalibrationData(StringRef path, ArrayRef<TensorSignature> inputs);

struct CalibrationOptions {
  /// Code generation options of the calibration library.
  CPUTargetOptions target;
  /// libmc_runtime.a and the linker driver (see linkSharedLibrary).
  std::string runtimeLibrary;
  std::string linker = "cc";
  /// Samples per run of a dynamic-batch model (a static-batch model runs
  /// at its batch).
  int64_t batchSize = 64;
  /// Histogram bins (0: no histogram).
  int64_t numBins = 2048;
  /// Tapped tensors are kept in memory up to this many bytes so that the
  /// histograms need no second run of the model.
  uint64_t retainBytes = uint64_t(1) << 30;
  /// Print progress to stderr.
  bool showProgress = false;
};

/// Runs @main of `module` (mc IR; not modified) over `data`
/// and returns what it saw. Errors from compiling the observer variant are
/// also reported as diagnostics on the module.
llvm::Expected<CalibrationTable> calibrate(ModuleOp module,
                                           const CalibrationData &data,
                                           const CalibrationOptions &options);

} // namespace mlir::mc

#endif // MC_CALIBRATION_CALIBRATE_H
