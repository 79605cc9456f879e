//===- Npy.h - Reading and writing NumPy .npy files -------------*- C++ -*-===//
//
// Part of the mc project: an MLIR compiler for compressed neural networks.
//
//===----------------------------------------------------------------------===//
//
// A small reader and writer for NumPy's .npy format (versions 1.0, 2.0 and
// 3.0): little-endian (or byte-order free) numeric arrays in C order. Element
// types are named by the ONNX TensorProto codes that the runtime ABI uses
// (runtime/include/mc/runtime.h): float16/32/64, int8/16/32/64,
// uint8/16/32/64 and bool. Big-endian data, Fortran order, structured and
// object arrays are rejected with a message saying so. Data buffers are
// 64-byte aligned, ready to hand to a compiled model.
//
// Depends on LLVM Support only (no MLIR), so mc-run stays small.
//
//===----------------------------------------------------------------------===//

#ifndef MC_SUPPORT_NPY_H
#define MC_SUPPORT_NPY_H

#include "llvm/ADT/ArrayRef.h"
#include "llvm/ADT/SmallVector.h"
#include "llvm/ADT/StringRef.h"
#include "llvm/Support/Error.h"

#include <cstdint>
#include <memory>
#include <string>

namespace mlir::mc {

/// Size in bytes of one element of an mc_dtype code, or 0 if the .npy
/// support does not know it.
int64_t getNpyElementSize(int32_t dtype);

/// NumPy's name of an mc_dtype code ("float32"), or "unknown".
llvm::StringRef getNpyDTypeName(int32_t dtype);

/// "(2, 1, 28, 28)", as NumPy prints shapes ("(3,)" for rank 1).
std::string formatNpyShape(llvm::ArrayRef<int64_t> shape);

/// A dense, C-order array with a 64-byte aligned buffer.
class NpyArray {
public:
  NpyArray() = default;
  /// A zero-filled array; fails if the byte size overflows.
  static llvm::Expected<NpyArray> allocate(int32_t dtype,
                                           llvm::ArrayRef<int64_t> shape);

  int32_t getDType() const { return dtype; }
  llvm::ArrayRef<int64_t> getShape() const { return shape; }
  int64_t getNumElements() const;
  int64_t getNumBytes() const { return numBytes; }
  void *getData() { return data.get(); }
  const void *getData() const { return data.get(); }

private:
  struct Free {
    void operator()(void *pointer) const;
  };
  int32_t dtype = 0;
  llvm::SmallVector<int64_t> shape;
  int64_t numBytes = 0;
  std::unique_ptr<char, Free> data;
};

/// Parses the bytes of a .npy file; `name` appears in error messages.
llvm::Expected<NpyArray> parseNpy(llvm::StringRef bytes, llvm::StringRef name);

/// Reads a .npy file.
llvm::Expected<NpyArray> readNpy(llvm::StringRef path);

/// Returns the bytes of a version 1.0 .npy file holding `array` (version 2.0
/// if the header needs more than 65535 bytes).
std::string serializeNpy(const NpyArray &array);

/// Writes `array` to `path` as a .npy file.
llvm::Error writeNpy(const NpyArray &array, llvm::StringRef path);

} // namespace mlir::mc

#endif // MC_SUPPORT_NPY_H
