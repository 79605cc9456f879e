//===- Statistics.h - Calibration statistics and their keys -----*- C++ -*-===//
//
// Part of the mc project: an MLIR compiler for compressed neural networks.
//
//===----------------------------------------------------------------------===//
//
// What calibration records (docs/Rationale/Calibration.md) and where it goes
// in the IR (docs/Rationale/Compression.md):
//
//   - which values of an entry function are observed, and the key that names
//     each one (getObservedValues), shared by mc-insert-observers and
//     mc-attach-calibration so that both agree;
//   - the statistics themselves (CalibrationTable), read from and written to
//     a JSON file;
//   - attaching a table to the IR (attachCalibration).
//
//===----------------------------------------------------------------------===//

#ifndef MC_CALIBRATION_STATISTICS_H
#define MC_CALIBRATION_STATISTICS_H

#include "mlir/Dialect/Func/IR/FuncOps.h"
#include "mlir/IR/BuiltinOps.h"
#include "llvm/ADT/SmallVector.h"
#include "llvm/ADT/StringMap.h"
#include "llvm/Support/Error.h"

#include <cstdint>
#include <string>
#include <vector>

namespace mlir::mc {

/// Attribute names of the contract (docs/Rationale/Compression.md).
constexpr llvm::StringLiteral kCalibAttrName = "mc.calib";
constexpr llvm::StringLiteral kCalibColNormAttrName = "mc.calib_col_norm";
/// The manifest of a calibration variant (mc-insert-observers).
constexpr llvm::StringLiteral kCalibTapsAttrName = "mc.calib_taps";

/// One observed value of an entry function.
struct ObservedValue {
  /// Unique key: the op's location name ("#N" appended to repeats), the op
  /// name when it has none, or "arg:<mc.name>" / "arg:<index>".
  std::string key;
  Value value;
  /// The producing op; null for a function argument.
  Operation *op = nullptr;
  /// The argument number when `op` is null.
  unsigned argNumber = 0;
};

/// The observed values of `func`, in order: float arguments first, then the
/// float results of mc ops (other than mc.constant) that depend on an
/// argument, in program order.
SmallVector<ObservedValue> getObservedValues(func::FuncOp func);

/// True for the layers that get `mc.calib_col_norm`: float mc.linear and
/// mc.conv2d.
bool hasColumnNorms(Operation *op);

/// The shape of `op`'s column norms: [in_features] or [C_in, KH, KW].
SmallVector<int64_t> getColumnNormShape(Operation *op);

/// Range statistics of one value.
struct RangeStats {
  double min = 0;
  double max = 0;
  /// Finite elements seen.
  int64_t count = 0;
  /// Counts of equal bins spanning [min, max]; may be empty.
  std::vector<int64_t> hist;
};

/// Wanda's column norms of one layer's input.
struct ColumnNorms {
  SmallVector<int64_t> shape;
  std::vector<float> values;
};

/// Everything one calibration run produced, by key.
struct CalibrationTable {
  /// Number of calibration samples (leading-dimension entries) run.
  int64_t numSamples = 0;
  llvm::StringMap<RangeStats> ranges;
  llvm::StringMap<ColumnNorms> colNorms;
};

/// Serializes `table` as the JSON document of docs/Rationale/Calibration.md.
std::string serializeCalibrationTable(const CalibrationTable &table);
/// Parses such a document; `name` appears in error messages.
llvm::Expected<CalibrationTable> parseCalibrationTable(llvm::StringRef text,
                                                       llvm::StringRef name);
/// File versions of the two.
llvm::Error writeCalibrationTable(const CalibrationTable &table,
                                  llvm::StringRef path);
llvm::Expected<CalibrationTable> readCalibrationTable(llvm::StringRef path);

/// Attaches `table` to `func` (mc.calib on observed ops and float arguments,
/// mc.calib_col_norm on linear and conv layers). Emits an error and fails if
/// an observed value has no entry, an entry matches nothing, or a column-norm
/// shape differs from the layer's.
LogicalResult attachCalibration(func::FuncOp func,
                                const CalibrationTable &table);

} // namespace mlir::mc

#endif // MC_CALIBRATION_STATISTICS_H
