//===- Report.h - What compression did to each layer ------------*- C++ -*-===//
//
// Part of the mc project: an MLIR compiler for compressed neural networks.
//
//===----------------------------------------------------------------------===//
//
// A snapshot of a model's layers (parameters, non-zeros, sparsity pattern,
// rank, bits, bytes) taken from mc IR, and the report that compares the
// snapshot before compression with the one after: JSON for tools
// (`mc-compile --report FILE`) and a table for people (`mc-compile -v`).
// Everything is read from the IR itself — the attributes the compression
// passes leave (docs/Rationale/Compression.md) and the weight constants.
//
//===----------------------------------------------------------------------===//

#ifndef MC_COMPRESSION_REPORT_H
#define MC_COMPRESSION_REPORT_H

#include "mlir/IR/BuiltinOps.h"
#include "llvm/Support/JSON.h"
#include "llvm/Support/raw_ostream.h"

#include <optional>
#include <string>
#include <vector>

namespace mlir::mc {

/// One layer with weights (mc.linear, mc.conv2d, mc.qlinear, mc.qconv2d,
/// mc.matmul / mc.qmatmul with a constant operand).
struct LayerStats {
  /// The layer's location name (the ONNX node name for imported models).
  std::string name;
  /// The op name without the dialect prefix: "linear", "qconv2d", ...
  std::string kind;
  std::vector<int64_t> weightShape;
  /// Weight and bias elements.
  int64_t params = 0;
  /// Non-zero weight elements (bias excluded).
  int64_t nonzeroWeights = 0;
  int64_t weightElements = 0;
  /// "dense", "unstructured", "N:M" (from `mc.sparsity`).
  std::string pattern = "dense";
  /// From `mc.lowrank`, for a factor of a split layer.
  std::optional<int64_t> rank;
  /// Bits per stored weight element.
  unsigned weightBits = 0;
  /// Bytes of weight and bias as stored.
  int64_t bytes = 0;

  double sparsity() const {
    return weightElements ? 1.0 - double(nonzeroWeights) / weightElements
                          : 0.0;
  }
};

struct ModelStats {
  std::vector<LayerStats> layers;
  /// Bytes of every constant in the module (weights, biases, tables).
  int64_t constantBytes = 0;
};

/// Takes the snapshot of `module`'s layers in program order.
ModelStats collectModelStats(ModuleOp module);

/// Writes the JSON report: `settings` (the compression options as given),
/// totals before/after and, per layer after compression, its statistics
/// next to those of the layer it came from before (matched by name; a
/// factor of a low-rank split, named `<layer>.<suffix>`, matches `<layer>`).
void writeReportJSON(llvm::raw_ostream &os, const ModelStats &before,
                     const ModelStats &after,
                     const llvm::json::Object &settings);

/// Writes the same comparison as a fixed-width table.
void printReportTable(llvm::raw_ostream &os, const ModelStats &before,
                      const ModelStats &after);

} // namespace mlir::mc

#endif // MC_COMPRESSION_REPORT_H
