//===- RuntimeABI.cpp - The model signature the runtime ABI sees ----------===//
//
// Part of the mc project: an MLIR compiler for compressed neural networks.
//
//===----------------------------------------------------------------------===//
//
// Checks that `@main` fits the C runtime ABI and describes its tensors.
//
//===----------------------------------------------------------------------===//

#include "mc/Codegen/Common/RuntimeABI.h"

#include "mlir/Dialect/Quant/IR/QuantTypes.h"
#include "mlir/IR/BuiltinTypes.h"
#include "llvm/ADT/Twine.h"

using namespace mlir;
using namespace mlir::mc;

int32_t mlir::mc::getRuntimeDType(Type type) {
  bool isUnsigned = false;
  if (auto quant = dyn_cast<quant::QuantizedType>(type)) {
    type = quant.getStorageType();
    isUnsigned = !quant.isSigned();
  }
  if (type.isF32())
    return 1;
  if (type.isF64())
    return 11;
  if (type.isF16())
    return 10;
  if (type.isBF16())
    return 16;
  auto integer = dyn_cast<IntegerType>(type);
  if (!integer)
    return 0;
  isUnsigned |= integer.isUnsigned();
  switch (integer.getWidth()) {
  case 1:
    return isUnsigned ? 0 : 9;
  case 8:
    return isUnsigned ? 2 : 3;
  case 16:
    return isUnsigned ? 4 : 5;
  case 32:
    return isUnsigned ? 12 : 6;
  case 64:
    return isUnsigned ? 13 : 7;
  default:
    return 0;
  }
}

StringRef mlir::mc::getRuntimeDTypeName(int32_t dtype) {
  switch (dtype) {
  case 1:
    return "float32";
  case 2:
    return "uint8";
  case 3:
    return "int8";
  case 4:
    return "uint16";
  case 5:
    return "int16";
  case 6:
    return "int32";
  case 7:
    return "int64";
  case 9:
    return "bool";
  case 10:
    return "float16";
  case 11:
    return "float64";
  case 12:
    return "uint32";
  case 13:
    return "uint64";
  case 16:
    return "bfloat16";
  default:
    return "unknown";
  }
}

/// Checks one argument or result; `what` names it in diagnostics.
static LogicalResult describe(func::FuncOp func, Type type, StringRef what,
                              TensorSignature &tensor) {
  auto ranked = dyn_cast<RankedTensorType>(type);
  if (!ranked)
    return func.emitError() << what << " has type " << type
                            << "; the runtime ABI takes ranked tensors only";
  tensor.dtype = getRuntimeDType(ranked.getElementType());
  if (!tensor.dtype)
    return func.emitError()
           << what << " has element type " << ranked.getElementType()
           << ", which the runtime ABI does not support";
  if (ranked.getRank() > kRuntimeABIMaxRank)
    return func.emitError()
           << what << " has rank " << ranked.getRank()
           << "; the runtime ABI allows at most " << kRuntimeABIMaxRank;
  for (auto [dim, size] : llvm::enumerate(ranked.getShape())) {
    if (ShapedType::isDynamic(size) && dim != 0)
      return func.emitError()
             << what << " has type " << type
             << ": only the leading (batch) dimension may be dynamic";
    tensor.shape.push_back(ShapedType::isDynamic(size) ? -1 : size);
  }
  return success();
}

FailureOr<ModelSignature> mlir::mc::getModelSignature(ModuleOp module) {
  auto func = module.lookupSymbol<func::FuncOp>(kRuntimeABIFunction);
  if (!func || func.isDeclaration())
    return module.emitError() << "no model function: expected a func.func @"
                              << kRuntimeABIFunction << " with a body";
  if (!func.isPublic())
    return func.emitError() << "the model function @" << kRuntimeABIFunction
                            << " must be public";
  int64_t count = func.getNumArguments() + func.getNumResults();
  if (count > kRuntimeABIMaxTensors)
    return func.emitError()
           << "the model function has " << count
           << " inputs and outputs; the runtime ABI allows at most "
           << kRuntimeABIMaxTensors;
  if (func.getNumResults() == 0)
    return func.emitError() << "the model function has no results";

  ModelSignature signature;
  for (unsigned i = 0, e = func.getNumArguments(); i < e; ++i) {
    TensorSignature tensor;
    auto name = func.getArgAttrOfType<StringAttr>(i, "mc.name");
    tensor.name = name ? name.getValue().str() : ("input" + Twine(i)).str();
    if (failed(describe(
            func, func.getArgumentTypes()[i],
            ("input " + Twine(i) + " ('" + tensor.name + "')").str(), tensor)))
      return failure();
    signature.inputs.push_back(std::move(tensor));
  }
  for (unsigned i = 0, e = func.getNumResults(); i < e; ++i) {
    TensorSignature tensor;
    auto name = func.getResultAttrOfType<StringAttr>(i, "mc.name");
    tensor.name = name ? name.getValue().str() : ("output" + Twine(i)).str();
    if (failed(describe(
            func, func.getResultTypes()[i],
            ("output " + Twine(i) + " ('" + tensor.name + "')").str(), tensor)))
      return failure();
    signature.outputs.push_back(std::move(tensor));
  }

  bool dynamic = false;
  for (auto *tensors : {&signature.inputs, &signature.outputs})
    for (const TensorSignature &tensor : *tensors)
      dynamic |= !tensor.shape.empty() && tensor.shape[0] < 0;
  signature.batch = -1;
  if (!dynamic) {
    signature.batch = 1;
    for (const TensorSignature &input : signature.inputs) {
      if (!input.shape.empty()) {
        signature.batch = input.shape[0];
        break;
      }
    }
  }
  return signature;
}
