// RUN: not mc-opt %s --mc-gpu-map-parallel-loops="block-size=0" 2>&1 | FileCheck %s
// RUN: not mc-opt %s --mc-gpu-map-parallel-loops="block-size=2048" 2>&1 | FileCheck %s --check-prefix=BIG
// RUN: mc-opt %s --split-input-file --verify-diagnostics --mc-gpu-map-parallel-loops

// CHECK: error: mc-gpu-map-parallel-loops: block-size must be in [1, 1024], got 0
// BIG: error: mc-gpu-map-parallel-loops: block-size must be in [1, 1024], got 2048
func.func @f(%m: memref<8xf32>, %v: f32) {
  %c0 = arith.constant 0 : index
  %c1 = arith.constant 1 : index
  %c8 = arith.constant 8 : index
  scf.parallel (%i) = (%c0) to (%c8) step (%c1) {
    memref.store %v, %m[%i] : memref<8xf32>
  }
  return
}

// -----

// A parallel loop with a reduction has no GPU mapping here.
func.func @reduce(%m: memref<8xf32>) -> f32 {
  %c0 = arith.constant 0 : index
  %c1 = arith.constant 1 : index
  %c8 = arith.constant 8 : index
  %zero = arith.constant 0.0 : f32
  // expected-error @+1 {{scf.parallel with a reduction cannot be mapped to GPU threads}}
  %s = scf.parallel (%i) = (%c0) to (%c8) step (%c1) init (%zero) -> f32 {
    %x = memref.load %m[%i] : memref<8xf32>
    scf.reduce(%x : f32) {
    ^bb0(%a: f32, %b: f32):
      %y = arith.addf %a, %b : f32
      scf.reduce.return %y : f32
    }
  }
  return %s : f32
}
