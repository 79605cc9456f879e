//===- RuntimeABI.h - The model signature the runtime ABI sees --*- C++ -*-===//
//
// Part of the mc project: an MLIR compiler for compressed neural networks.
//
//===----------------------------------------------------------------------===//
//
// The description of a model function that the C runtime ABI
// (runtime/include/mc/runtime.h, docs/RuntimeABI.md) exposes: names, element
// types (ONNX TensorProto codes), shapes with -1 for the dynamic batch. Used
// by mc-emit-runtime-abi (the info table in the library) and by mc-compile
// (the generated C header), so both always agree.
//
//===----------------------------------------------------------------------===//

#ifndef MC_CODEGEN_COMMON_RUNTIMEABI_H
#define MC_CODEGEN_COMMON_RUNTIMEABI_H

#include "mlir/Dialect/Func/IR/FuncOps.h"
#include "mlir/IR/BuiltinOps.h"
#include "llvm/ADT/SmallVector.h"

#include <string>

namespace mlir::mc {

/// Limits and version of the ABI; runtime.h has the same values.
constexpr int32_t kRuntimeABIVersion = 1;
constexpr int64_t kRuntimeABIMaxRank = 16;
constexpr int64_t kRuntimeABIMaxTensors = 32;
/// The model function the runtime calls (as `_mlir_ciface_main`).
constexpr llvm::StringLiteral kRuntimeABIFunction = "main";

/// One input or output of the model.
struct TensorSignature {
  std::string name;
  llvm::SmallVector<int64_t> shape; // -1 = the dynamic batch
  int32_t dtype = 0;                // an mc_dtype (ONNX TensorProto code)
};

/// The model function as the runtime ABI presents it.
struct ModelSignature {
  llvm::SmallVector<TensorSignature> inputs;
  llvm::SmallVector<TensorSignature> outputs;
  /// -1 when some tensor has a dynamic leading dimension; otherwise the one
  /// batch the model runs at (the leading dimension of the first input of
  /// rank >= 1, or 1).
  int64_t batch = -1;
};

/// Returns the mc_dtype code of an element type (quantized types by their
/// storage type), or 0 when the ABI does not support it.
int32_t getRuntimeDType(Type elementType);

/// Returns the name of an mc_dtype code as NumPy spells it ("float32",
/// "uint8", ...), or "unknown".
llvm::StringRef getRuntimeDTypeName(int32_t dtype);

/// Finds `@main` in `module` and describes it, or emits an error (on the
/// module or the function) saying why it does not fit the ABI.
FailureOr<ModelSignature> getModelSignature(ModuleOp module);

} // namespace mlir::mc

#endif // MC_CODEGEN_COMMON_RUNTIMEABI_H
