// RUN: mc-opt %s --split-input-file --verify-diagnostics --mc-gpu-device-memory | FileCheck %s

// Intermediate buffers are allocated on the device; a constant global is
// copied to device memory at the entry and freed before the return.
// CHECK-LABEL: func.func @main
// CHECK: %[[G:.+]] = memref.get_global @w : memref<4xf32>
// CHECK: %[[DG:.+]] = gpu.alloc  () : memref<4xf32>
// CHECK: gpu.memcpy  %[[DG]], %[[G]] : memref<4xf32>, memref<4xf32>
// CHECK: %[[T:.+]] = gpu.alloc  (%{{.+}}) : memref<?xf32>
// CHECK: gpu.launch_func @k::@k {{.*}} args(%[[DG]] : memref<4xf32>, %[[T]] : memref<?xf32>)
// CHECK: gpu.dealloc  %[[T]] : memref<?xf32>
// CHECK: gpu.dealloc  %[[DG]] : memref<4xf32>
// CHECK-NEXT: return
// CHECK-NOT: memref.alloc
module attributes {gpu.container_module} {
  memref.global "private" constant @w : memref<4xf32> = dense<1.0>
  func.func @main(%n: index) {
    %c1 = arith.constant 1 : index
    %t = memref.alloc(%n) : memref<?xf32>
    %w = memref.get_global @w : memref<4xf32>
    gpu.launch_func @k::@k blocks in (%c1, %c1, %c1) threads in (%c1, %c1, %c1) args(%w : memref<4xf32>, %t : memref<?xf32>)
    memref.dealloc %t : memref<?xf32>
    return
  }
  gpu.module @k {
    gpu.func @k(%w: memref<4xf32>, %t: memref<?xf32>) kernel {
      gpu.return
    }
  }
}

// -----

// The host must not read buffers: they are in device memory.
func.func @host_load(%m: memref<4xf32>) -> f32 {
  %c0 = arith.constant 0 : index
  // expected-error @+1 {{'memref.load' accesses a buffer on the host; with --target=cuda every buffer is in device memory and must be read and written by GPU kernels}}
  %x = memref.load %m[%c0] : memref<4xf32>
  return %x : f32
}

// -----

func.func @host_copy(%a: memref<4xf32>, %b: memref<4xf32>) {
  // expected-error @+1 {{'memref.copy' accesses a buffer on the host}}
  memref.copy %a, %b : memref<4xf32> to memref<4xf32>
  return
}
