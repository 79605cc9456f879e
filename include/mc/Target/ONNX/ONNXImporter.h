//===- ONNXImporter.h - ONNX models to the mc dialect -----------*- C++ -*-===//
//
// Part of the mc project: an MLIR compiler for compressed neural networks.
//
//===----------------------------------------------------------------------===//
//
// Entry points of the ONNX importer. The importer reads an ONNX ModelProto
// (opsets 1 to 17 of the default domain; an op whose version at the model's
// opset is older than any the importer handles is reported), folds
// shape-computing subgraphs, and builds a module holding one `func.func @main` of mc ops whose arguments
// and results carry their ONNX names as `mc.name` attributes. Every failure is
// reported as one diagnostic (file, node name, op type) through the context's
// diagnostic engine, and the result is null.
//
// This header deliberately does not include the ONNX protobuf headers.
//
//===----------------------------------------------------------------------===//

#ifndef MC_TARGET_ONNX_ONNXIMPORTER_H
#define MC_TARGET_ONNX_ONNXIMPORTER_H

#include "mlir/IR/BuiltinOps.h"
#include "mlir/IR/OwningOpRef.h"
#include "llvm/ADT/StringMap.h"

#include <string>

namespace mlir::mc {

/// Lowest and highest opset of the default ONNX domain that mc imports. Each
/// op handler is registered from the op version whose semantics it
/// implements, so an op older than that is "unsupported" even inside this
/// range.
constexpr int64_t kMinOpset = 1;
constexpr int64_t kMaxOpset = 17;

struct ONNXImportOptions {
  /// Graph inputs to bind to constant tensors before import, by name; each
  /// value is the path of a serialized onnx.TensorProto (.pb). A bound input
  /// becomes an initializer, so shape computations that depend on it fold.
  llvm::StringMap<std::string> boundInputs;
  /// Name of the generated function.
  std::string functionName = "main";
};

/// Imports the ONNX model in the file at `path`.
OwningOpRef<ModuleOp> importONNXFile(StringRef path, MLIRContext *context,
                                     const ONNXImportOptions &options = {});

/// Imports an ONNX model from serialized bytes; `fileName` names it in
/// diagnostics and locations.
OwningOpRef<ModuleOp> importONNXBuffer(StringRef bytes, StringRef fileName,
                                       MLIRContext *context,
                                       const ONNXImportOptions &options = {});

/// Registers the dialects that imported modules use.
void registerONNXImportDialects(DialectRegistry &registry);

} // namespace mlir::mc

#endif // MC_TARGET_ONNX_ONNXIMPORTER_H
