// RUN: mc-opt %s --mc-gpu-merge-kernel-modules | FileCheck %s

// The kernels of two outlined modules end up in the first one, the second
// renamed after its module; the launches follow.
// CHECK: gpu.launch_func @k::@k blocks
// CHECK: gpu.launch_func @k::@k_0 blocks
// CHECK: gpu.module @k {
// CHECK: gpu.func @k(
// CHECK: gpu.func @k_0(
// CHECK-NOT: gpu.module
module attributes {gpu.container_module} {
  func.func @main(%m: memref<8xf32>) {
    %c1 = arith.constant 1 : index
    %c8 = arith.constant 8 : index
    gpu.launch_func @k::@k blocks in (%c1, %c1, %c1) threads in (%c8, %c1, %c1) args(%m : memref<8xf32>)
    gpu.launch_func @k_0::@k blocks in (%c1, %c1, %c1) threads in (%c8, %c1, %c1) args(%m : memref<8xf32>)
    return
  }
  gpu.module @k {
    gpu.func @k(%m: memref<8xf32>) kernel {
      %i = gpu.thread_id x
      %v = arith.constant 1.0 : f32
      memref.store %v, %m[%i] : memref<8xf32>
      gpu.return
    }
  }
  gpu.module @k_0 {
    gpu.func @k(%m: memref<8xf32>) kernel {
      %i = gpu.thread_id x
      %v = arith.constant 2.0 : f32
      memref.store %v, %m[%i] : memref<8xf32>
      gpu.return
    }
  }
}
