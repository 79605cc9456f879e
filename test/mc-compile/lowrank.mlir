// mc-compile --lowrank-energy / --lowrank-ratio run mc-lowrank on the model
// before code generation. The weight has rank 2 (σ = 225, 56.25), so both
// flags below split it at rank 2 and the compiled library computes the same
// function as the unsplit one. Rank 0 is refused by the pass.
//
// RUN: mc-compile %s -o %t.orig.so
// RUN: mc-compile %s -o %t.energy.so --lowrank-energy=0.99 -v | FileCheck %s
// RUN: mc-compile %s -o %t.ratio.so --lowrank-ratio=0.5 -v | FileCheck %s
// RUN: %python %S/../mc-run/Inputs/npy_tool.py random %t.x.npy float32 5 6
// RUN: mc-run %t.orig.so --input %t.x.npy --output %t.y.npy
// RUN: mc-run %t.energy.so --input %t.x.npy --output %t.y.energy.npy
// RUN: mc-run %t.ratio.so --input %t.x.npy --output %t.y.ratio.npy
// RUN: %python %S/../mc-run/Inputs/npy_tool.py compare %t.y.energy.npy %t.y.npy --atol 1e-4 --rtol 1e-6 | FileCheck %s --check-prefix=SAME
// RUN: %python %S/../mc-run/Inputs/npy_tool.py compare %t.y.ratio.npy %t.y.npy --atol 1e-4 --rtol 1e-6 | FileCheck %s --check-prefix=SAME
// RUN: not mc-compile %s -o %t.zero.so --lowrank-ratio=0 2>&1 | FileCheck %s --check-prefix=RANK0
// RUN: not mc-compile %s -o %t.zero.so --lowrank-energy=0 2>&1 | FileCheck %s --check-prefix=ENERGY0

// CHECK: layer kind params after sparsity pattern rank bits bytes after
// CHECK-NEXT: fc1.lowrank_in linear 28 12 0.0% dense 2 32 112 48
// CHECK-NEXT: fc1 linear 28 12 0.0% dense 2 32 112 48
// CHECK-NEXT: model: 28 -> 24 parameters in layers

// SAME: ok: float32 (5, 4)

// RANK0: error: mc-lowrank: 'rank-ratio' must be in (0, 1], got 0 (rank 0 keeps nothing)
// ENERGY0: error: mc-lowrank: 'energy' must be in (0, 1], got 0 (rank 0 keeps nothing)

func.func @main(%x: tensor<?x6xf32> {mc.name = "x"}) -> (tensor<?x4xf32> {mc.name = "y"}) {
  %w = mc.constant dense<[[22.5, -37.5, -22.5, -7.5, -7.5, 0.0], [26.25, -56.25, -26.25, -33.75, -33.75, -37.5], [45.0, -75.0, -45.0, -15.0, -15.0, 0.0], [52.5, -112.5, -52.5, -67.5, -67.5, -75.0]]> : tensor<4x6xf32>
  %b = mc.constant dense<[1.0, 2.0, 3.0, 4.0]> : tensor<4xf32>
  %y = mc.linear %x, %w, %b : (tensor<?x6xf32>, tensor<4x6xf32>, tensor<4xf32>) -> tensor<?x4xf32> loc("fc1")
  return %y : tensor<?x4xf32>
}
