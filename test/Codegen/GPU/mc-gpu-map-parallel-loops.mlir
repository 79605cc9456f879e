// RUN: mc-opt %s --split-input-file --mc-gpu-map-parallel-loops | FileCheck %s
// RUN: mc-opt %s --split-input-file --mc-gpu-map-parallel-loops="block-size=64" | FileCheck %s --check-prefix=B64

// A 2-D loop: tiled by the block size along the innermost dimension, the
// tile loop on blocks (innermost dimension on block_x), the intra-tile loop
// on threads (innermost dimension on thread_x), with a bounds guard.
// CHECK-LABEL: func.func @two_d
// CHECK-DAG: %[[C128:.+]] = arith.constant 128 : index
// CHECK: %[[STEP:.+]] = arith.muli %{{.+}}, %[[C128]] : index
// CHECK: scf.parallel ({{.*}}) = ({{.*}}) to ({{.*}}) step (%{{.+}}, %[[STEP]])
// CHECK: scf.parallel
// CHECK: scf.if
// CHECK: memref.store
// CHECK: {mapping = [#gpu.loop_dim_map<processor = sequential, map = (d0) -> (d0), bound = (d0) -> (d0)>, #gpu.loop_dim_map<processor = thread_x, map = (d0) -> (d0), bound = (d0) -> (d0)>]}
// CHECK: {mapping = [#gpu.loop_dim_map<processor = block_y, map = (d0) -> (d0), bound = (d0) -> (d0)>, #gpu.loop_dim_map<processor = block_x, map = (d0) -> (d0), bound = (d0) -> (d0)>]}
// B64-LABEL: func.func @two_d
// B64: arith.constant 64 : index
func.func @two_d(%m: memref<?x?xf32>, %v: f32) {
  %c0 = arith.constant 0 : index
  %c1 = arith.constant 1 : index
  %d0 = memref.dim %m, %c0 : memref<?x?xf32>
  %d1 = memref.dim %m, %c1 : memref<?x?xf32>
  scf.parallel (%i, %j) = (%c0, %c0) to (%d0, %d1) step (%c1, %c1) {
    memref.store %v, %m[%i, %j] : memref<?x?xf32>
  }
  return
}

// -----

// A 4-D loop: the two outer dimensions beyond block_y/block_z... the first
// one runs sequentially in each thread; nested loops (reductions) are left
// inside.
// CHECK-LABEL: func.func @four_d
// CHECK: scf.for
// CHECK: {mapping = [#gpu.loop_dim_map<processor = sequential{{.*}}>, #gpu.loop_dim_map<processor = sequential{{.*}}>, #gpu.loop_dim_map<processor = sequential{{.*}}>, #gpu.loop_dim_map<processor = thread_x{{.*}}>]}
// CHECK: {mapping = [#gpu.loop_dim_map<processor = sequential{{.*}}>, #gpu.loop_dim_map<processor = block_z{{.*}}>, #gpu.loop_dim_map<processor = block_y{{.*}}>, #gpu.loop_dim_map<processor = block_x{{.*}}>]}
func.func @four_d(%m: memref<2x3x4x5xf32>, %r: memref<7xf32>) {
  %c0 = arith.constant 0 : index
  %c1 = arith.constant 1 : index
  %c2 = arith.constant 2 : index
  %c3 = arith.constant 3 : index
  %c4 = arith.constant 4 : index
  %c5 = arith.constant 5 : index
  %c7 = arith.constant 7 : index
  scf.parallel (%a, %b, %c, %d) = (%c0, %c0, %c0, %c0) to (%c2, %c3, %c4, %c5) step (%c1, %c1, %c1, %c1) {
    %init = memref.load %m[%a, %b, %c, %d] : memref<2x3x4x5xf32>
    %s = scf.for %k = %c0 to %c7 step %c1 iter_args(%acc = %init) -> f32 {
      %x = memref.load %r[%k] : memref<7xf32>
      %y = arith.addf %acc, %x : f32
      scf.yield %y : f32
    }
    memref.store %s, %m[%a, %b, %c, %d] : memref<2x3x4x5xf32>
  }
  return
}
