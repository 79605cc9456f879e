// RUN: mc-opt %s --mc-cpu-pipeline | FileCheck %s
// RUN: mc-opt %s --mc-to-llvm | FileCheck %s --check-prefix=LIBC

// mc-cpu-pipeline (what mc-compile runs) allocates the buffer between the
// two products through the runtime's cache (runtime/mc_alloc.c), never
// through malloc/free; plain mc-to-llvm (for mlir-runner) keeps malloc.

// CHECK-NOT: @malloc
// CHECK-NOT: @free
// CHECK-DAG: llvm.func @_mlir_memref_to_llvm_alloc(i64) -> !llvm.ptr
// CHECK-DAG: llvm.func @_mlir_memref_to_llvm_free(!llvm.ptr)
// CHECK-LABEL: llvm.func @main(
// CHECK: llvm.call @_mlir_memref_to_llvm_alloc(
// CHECK: llvm.call @_mlir_memref_to_llvm_free(
// CHECK: llvm.return

// LIBC-NOT: _mlir_memref_to_llvm
// LIBC-DAG: llvm.func @malloc(i64) -> !llvm.ptr
// LIBC-DAG: llvm.func @free(!llvm.ptr)
func.func @main(%x: tensor<?x4xf32> {mc.name = "x"}) -> (tensor<?x2xf32> {mc.name = "y"}) {
  %w1 = mc.constant dense<0.5> : tensor<8x4xf32>
  %b1 = mc.constant dense<1.0> : tensor<8xf32>
  %w2 = mc.constant dense<0.25> : tensor<2x8xf32>
  %b2 = mc.constant dense<0.0> : tensor<2xf32>
  %h = mc.linear %x, %w1, %b1 : (tensor<?x4xf32>, tensor<8x4xf32>, tensor<8xf32>) -> tensor<?x8xf32>
  %r = mc.relu %h : tensor<?x8xf32>
  %y = mc.linear %r, %w2, %b2 : (tensor<?x8xf32>, tensor<2x8xf32>, tensor<2xf32>) -> tensor<?x2xf32>
  return %y : tensor<?x2xf32>
}
