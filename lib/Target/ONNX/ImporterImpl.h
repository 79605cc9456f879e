//===- ImporterImpl.h - Internals shared by the ONNX op handlers -*- C++ -*-===//
//
// Part of the mc project: an MLIR compiler for compressed neural networks.
//
//===----------------------------------------------------------------------===//
//
// The importer walks the graph in topological order and calls one handler
// per node, looked up by (op type, opset) in a registry filled by the files of
// this directory, one per op family (Elementwise.cpp, Gemm.cpp, Conv.cpp,
// Norm.cpp, Shape.cpp, Quantize.cpp). A handler sees the node through a
// NodeContext: typed access to inputs (as SSA values, as constants, or as
// integers known at import time), attributes with defaults, and diagnostics
// that name the file, the node and its op type.
//
// Shape subgraphs (Shape, Gather, Concat, Unsqueeze, Cast, arithmetic on
// shapes, ...) are evaluated at import on KnownInts: small integer tensors
// whose entries are known, or `kUnknown` where they stand for the dynamic
// batch size. Such values become SSA values only if a real op consumes them.
//
//===----------------------------------------------------------------------===//

#ifndef MC_LIB_TARGET_ONNX_IMPORTERIMPL_H
#define MC_LIB_TARGET_ONNX_IMPORTERIMPL_H

#include "mc/Target/ONNX/ONNXImporter.h"

#include "mlir/IR/Builders.h"
#include "mlir/IR/BuiltinAttributes.h"
#include "mlir/IR/BuiltinTypes.h"
#include "mlir/IR/Diagnostics.h"
#include "llvm/ADT/StringMap.h"

#include "onnx/onnx_pb.h"

#include <functional>
#include <limits>
#include <optional>

namespace mlir::mc::onnx_import {

/// Stands for the (dynamic) batch size inside KnownInts.
constexpr int64_t kUnknown = std::numeric_limits<int64_t>::min();

/// A small integer tensor whose values are known while importing.
struct KnownInts {
  SmallVector<int64_t> shape;
  SmallVector<int64_t> values;

  bool fullyKnown() const {
    return llvm::none_of(values, [](int64_t v) { return v == kUnknown; });
  }
  static KnownInts vector(ArrayRef<int64_t> values) {
    return {{(int64_t)values.size()}, SmallVector<int64_t>(values)};
  }
  static KnownInts scalar(int64_t value) { return {{}, {value}}; }
};

/// What the importer knows about one named ONNX value.
struct Entry {
  /// The SSA value, once materialized.
  Value value;
  /// Constant data (initializers, Constant nodes, folded results).
  ElementsAttr constant;
  /// Integer data known at import (shape math); may hold kUnknown entries.
  std::optional<KnownInts> ints;
  /// Element type of `ints` (i64, i32, i1) when there is no `value`.
  Type intsElementType;
};

class Importer;

/// A handler's view of one ONNX node.
class NodeContext {
public:
  NodeContext(Importer &importer, const onnx::NodeProto &node, int64_t index,
              int64_t opset);

  const onnx::NodeProto &node;
  int64_t opset;
  Location loc;

  OpBuilder &builder();
  MLIRContext *context();

  //===--- Inputs ----------------------------------------------------------===//

  /// True when input `i` is given (present and not the empty name).
  bool hasInput(size_t i) const;
  size_t numInputs() const { return node.input_size(); }
  /// The SSA value of input `i`, materializing constants on demand.
  FailureOr<Value> input(size_t i);
  /// The ranked type of input `i` without materializing it.
  FailureOr<RankedTensorType> inputType(size_t i);
  /// Constant data of input `i`, or null.
  ElementsAttr constantInput(size_t i);
  /// Integer data of input `i` known at import, or null.
  const KnownInts *knownInts(size_t i);
  /// Input `i` as fully known integers; diagnoses otherwise.
  FailureOr<SmallVector<int64_t>> requireInts(size_t i, StringRef what);
  /// Input `i` as constant floating-point values; diagnoses otherwise.
  FailureOr<SmallVector<double>> requireFloats(size_t i, StringRef what);

  //===--- Attributes ------------------------------------------------------===//

  const onnx::AttributeProto *attr(StringRef name) const;
  bool hasAttr(StringRef name) const { return attr(name) != nullptr; }
  int64_t getInt(StringRef name, int64_t defaultValue) const;
  float getFloat(StringRef name, float defaultValue) const;
  std::string getString(StringRef name, StringRef defaultValue) const;
  SmallVector<int64_t> getInts(StringRef name,
                               ArrayRef<int64_t> defaultValue = {}) const;

  //===--- Results ---------------------------------------------------------===//

  size_t numOutputs() const { return node.output_size(); }
  /// True when output `i` exists and something (a node or a graph output)
  /// reads it.
  bool outputUsed(size_t i) const;
  void setResult(size_t i, Value value);
  void setKnownInts(size_t i, KnownInts ints, Type elementType);
  void setConstant(size_t i, ElementsAttr constant);

  //===--- Diagnostics -----------------------------------------------------===//

  /// An error at the node's location, prefixed with "node 'N' (OpType): ".
  InFlightDiagnostic emitError();
  /// Reports "node 'N' (OpType): unsupported <what>" and returns failure.
  LogicalResult unsupported(const Twine &what);
  /// Diagnoses any used output at index >= `count`.
  LogicalResult onlyFirstOutputsUsed(size_t count);

  /// The node's display name: its name, or "#index" when it has none.
  std::string displayName() const;

  Importer &importer;

private:
  int64_t index;
};

using Handler = std::function<LogicalResult(NodeContext &)>;

/// Handlers keyed by op type and the opset version they apply from.
class HandlerRegistry {
public:
  /// Registers `fn` for `opType` from opset `sinceVersion` on.
  void add(StringRef opType, int64_t sinceVersion, Handler fn);
  /// The handler for `opType` at `opset`, or null.
  const Handler *lookup(StringRef opType, int64_t opset) const;

private:
  llvm::StringMap<SmallVector<std::pair<int64_t, Handler>, 2>> handlers;
};

void registerConvHandlers(HandlerRegistry &registry);
void registerElementwiseHandlers(HandlerRegistry &registry);
void registerGemmHandlers(HandlerRegistry &registry);
void registerNormHandlers(HandlerRegistry &registry);
void registerQuantizeHandlers(HandlerRegistry &registry);
void registerShapeHandlers(HandlerRegistry &registry);

//===----------------------------------------------------------------------===//
// Shared helpers
//===----------------------------------------------------------------------===//

/// The mc element type of an ONNX TensorProto data type, or null when mc does
/// not take it.
Type convertElementType(int32_t onnxType, MLIRContext *context);
/// ONNX's name of a data type (e.g. "STRING").
std::string onnxTypeName(int32_t onnxType);

/// A constant attribute for `tensor`, or failure with a diagnostic at `loc`.
FailureOr<ElementsAttr> convertTensor(const onnx::TensorProto &tensor,
                                      StringRef name, Location loc);

/// Integer values of a constant, when it is an integer tensor.
std::optional<KnownInts> knownIntsOf(ElementsAttr constant);

/// A dense attribute of `elementType` (an integer type) holding `ints`.
DenseElementsAttr intsToAttr(const KnownInts &ints, Type elementType);

/// Integer Add/Sub/Mul/Div of inputs 0 and 1 when both are known at import
/// (shape math): sets the result and succeeds. Fails, without a diagnostic,
/// when they are not both known, and the caller emits ops instead.
LogicalResult foldKnownBinary(NodeContext &ctx, StringRef op);

/// The printed form of a type, for messages.
inline std::string typeString(Type type) {
  std::string s;
  llvm::raw_string_ostream os(s);
  os << type;
  return s;
}

/// Normalizes a possibly negative axis; failure when out of range.
FailureOr<int64_t> normalizeAxis(int64_t axis, int64_t rank);

/// A scalar f32 (or `elementType`) splat constant, broadcastable anywhere.
Value createScalar(NodeContext &ctx, Type elementType, double value);

/// Creates `OpTy` (an op whose result type is inferred) without risking the
/// abort of ODS's inferring builders on bad input: the op is built with a
/// placeholder type, then its type is inferred; on failure the op is erased
/// and the inference message is reported as a node diagnostic.
LogicalResult inferResultTypeOrErase(NodeContext &ctx, Operation *op);

template <typename OpTy, typename... Args>
FailureOr<Value> buildInferred(NodeContext &ctx, Args &&...args) {
  Type placeholder = NoneType::get(ctx.context());
  auto op = OpTy::create(ctx.builder(), ctx.loc, placeholder,
                         std::forward<Args>(args)...);
  if (failed(inferResultTypeOrErase(ctx, op.getOperation())))
    return failure();
  return op->getResult(0);
}

/// The importer proper: owns the value table and the builder.
class Importer {
public:
  Importer(MLIRContext *context, StringRef fileName,
           const ONNXImportOptions &options);

  OwningOpRef<ModuleOp> run(onnx::ModelProto &model);

  /// The SSA value for `name`, materializing constants; diagnoses unknown
  /// names at `loc`.
  FailureOr<Value> materialize(StringRef name, Location loc);
  Entry *lookup(StringRef name);

  MLIRContext *context;
  OpBuilder builder;
  std::string fileName;
  const ONNXImportOptions &options;
  llvm::StringMap<Entry> values;
  /// How many nodes and graph outputs read each value.
  llvm::StringMap<unsigned> uses;
  HandlerRegistry registry;

  Location fileLoc();
  InFlightDiagnostic emitFileError();
};

} // namespace mlir::mc::onnx_import

#endif // MC_LIB_TARGET_ONNX_IMPORTERIMPL_H
