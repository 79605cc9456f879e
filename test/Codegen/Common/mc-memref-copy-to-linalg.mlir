// RUN: mc-opt %s -split-input-file --mc-memref-copy-to-linalg | FileCheck %s

// A copy into a strided subview (what bufferizing tensor.pad leaves) becomes
// linalg.copy, which later turns into loops instead of a memrefCopy call.
// CHECK-LABEL: func.func @strided_target
// CHECK-SAME: (%[[SRC:.+]]: memref<?x4xf32>, %[[DST:.+]]: memref<?x6xf32>)
// CHECK: %[[SUB:.+]] = memref.subview %[[DST]]
// CHECK: linalg.copy ins(%[[SRC]] : memref<?x4xf32>) outs(%[[SUB]] : memref<?x4xf32, strided<[6, 1], offset: 1>>)
// CHECK-NOT: memref.copy
func.func @strided_target(%src: memref<?x4xf32>, %dst: memref<?x6xf32>) {
  %c0 = arith.constant 0 : index
  %n = memref.dim %src, %c0 : memref<?x4xf32>
  %sub = memref.subview %dst[0, 1] [%n, 4] [1, 1] : memref<?x6xf32> to memref<?x4xf32, strided<[6, 1], offset: 1>>
  memref.copy %src, %sub : memref<?x4xf32> to memref<?x4xf32, strided<[6, 1], offset: 1>>
  return
}

// -----

// Copies between contiguous memrefs stay: they lower to a memcpy.
// CHECK-LABEL: func.func @contiguous
// CHECK: memref.copy %{{.+}}, %{{.+}} : memref<?x4xf32> to memref<?x4xf32>
// CHECK: memref.copy %{{.+}}, %{{.+}} : memref<2x4xf32, strided<[4, 1], offset: 8>> to memref<2x4xf32>
// CHECK-NOT: linalg.copy
func.func @contiguous(%a: memref<?x4xf32>, %b: memref<?x4xf32>, %c: memref<2x4xf32, strided<[4, 1], offset: 8>>, %d: memref<2x4xf32>) {
  memref.copy %a, %b : memref<?x4xf32> to memref<?x4xf32>
  memref.copy %c, %d : memref<2x4xf32, strided<[4, 1], offset: 8>> to memref<2x4xf32>
  return
}
