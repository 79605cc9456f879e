// RUN: mc-opt %s --mc-cuda-pipeline="to-binary=false" | FileCheck %s

// An int8 layer (mc.qlinear with an activation zero point, then the
// fixed-point requantization and the dequantization) for CUDA: the GEMM is
// one kernel on the tensor cores (two mma.sync m16n8k32 s8 per K step: the
// product and the zero-point term), and the requantization and
// dequantization run in its epilogue (arithmetic shift, float multiply,
// f32 store) instead of a kernel of their own.
// CHECK: gpu.module @main_kernel
// CHECK: nvvm.mma.sync {{.*}}intOverflowBehavior = #nvvm.mma_int_overflow<wrapped>{{.*}}multiplicandAPtxType = #nvvm.mma_type<s8>, multiplicandBPtxType = #nvvm.mma_type<s8>, shape = #nvvm.shape<m = 16, n = 8, k = 32>
// CHECK: nvvm.mma.sync
// CHECK: llvm.ashr
// CHECK: llvm.sitofp
// CHECK: llvm.fmul
// CHECK: llvm.store {{.*}} : f32, !llvm.ptr
// CHECK: llvm.return
// CHECK-NOT: llvm.ashr
func.func @main(%x: tensor<?x37xi8> {mc.name = "x"}) -> (tensor<?x13xf32> {mc.name = "y"}) {
  %xq = mc.storage_cast %x : tensor<?x37xi8> -> tensor<?x37x!quant.uniform<i8:f32, 0.05:-3>>
  %w = mc.constant dense<[[-5, -2, 1, 4, -4, -1, 2, 5, -3, 0, 3, -5, -2, 1, 4, -4, -1, 2, 5, -3, 0, 3, -5, -2, 1, 4, -4, -1, 2, 5, -3, 0, 3, -5, -2, 1, 4], [2, 5, -3, 0, 3, -5, -2, 1, 4, -4, -1, 2, 5, -3, 0, 3, -5, -2, 1, 4, -4, -1, 2, 5, -3, 0, 3, -5, -2, 1, 4, -4, -1, 2, 5, -3, 0], [-2, 1, 4, -4, -1, 2, 5, -3, 0, 3, -5, -2, 1, 4, -4, -1, 2, 5, -3, 0, 3, -5, -2, 1, 4, -4, -1, 2, 5, -3, 0, 3, -5, -2, 1, 4, -4], [5, -3, 0, 3, -5, -2, 1, 4, -4, -1, 2, 5, -3, 0, 3, -5, -2, 1, 4, -4, -1, 2, 5, -3, 0, 3, -5, -2, 1, 4, -4, -1, 2, 5, -3, 0, 3], [1, 4, -4, -1, 2, 5, -3, 0, 3, -5, -2, 1, 4, -4, -1, 2, 5, -3, 0, 3, -5, -2, 1, 4, -4, -1, 2, 5, -3, 0, 3, -5, -2, 1, 4, -4, -1], [-3, 0, 3, -5, -2, 1, 4, -4, -1, 2, 5, -3, 0, 3, -5, -2, 1, 4, -4, -1, 2, 5, -3, 0, 3, -5, -2, 1, 4, -4, -1, 2, 5, -3, 0, 3, -5], [4, -4, -1, 2, 5, -3, 0, 3, -5, -2, 1, 4, -4, -1, 2, 5, -3, 0, 3, -5, -2, 1, 4, -4, -1, 2, 5, -3, 0, 3, -5, -2, 1, 4, -4, -1, 2], [0, 3, -5, -2, 1, 4, -4, -1, 2, 5, -3, 0, 3, -5, -2, 1, 4, -4, -1, 2, 5, -3, 0, 3, -5, -2, 1, 4, -4, -1, 2, 5, -3, 0, 3, -5, -2], [-4, -1, 2, 5, -3, 0, 3, -5, -2, 1, 4, -4, -1, 2, 5, -3, 0, 3, -5, -2, 1, 4, -4, -1, 2, 5, -3, 0, 3, -5, -2, 1, 4, -4, -1, 2, 5], [3, -5, -2, 1, 4, -4, -1, 2, 5, -3, 0, 3, -5, -2, 1, 4, -4, -1, 2, 5, -3, 0, 3, -5, -2, 1, 4, -4, -1, 2, 5, -3, 0, 3, -5, -2, 1], [-1, 2, 5, -3, 0, 3, -5, -2, 1, 4, -4, -1, 2, 5, -3, 0, 3, -5, -2, 1, 4, -4, -1, 2, 5, -3, 0, 3, -5, -2, 1, 4, -4, -1, 2, 5, -3], [-5, -2, 1, 4, -4, -1, 2, 5, -3, 0, 3, -5, -2, 1, 4, -4, -1, 2, 5, -3, 0, 3, -5, -2, 1, 4, -4, -1, 2, 5, -3, 0, 3, -5, -2, 1, 4], [2, 5, -3, 0, 3, -5, -2, 1, 4, -4, -1, 2, 5, -3, 0, 3, -5, -2, 1, 4, -4, -1, 2, 5, -3, 0, 3, -5, -2, 1, 4, -4, -1, 2, 5, -3, 0]]> : tensor<13x37xi8>
  %wq = mc.storage_cast %w : tensor<13x37xi8> -> tensor<13x37x!quant.uniform<i8:f32, 0.01>>
  %acc = mc.qlinear %xq, %wq : (tensor<?x37x!quant.uniform<i8:f32, 0.05:-3>>, tensor<13x37x!quant.uniform<i8:f32, 0.01>>) -> tensor<?x13xi32>
  %q = mc.requantize %acc {multiplier = array<i32: 1073741824>, shift = array<i8: 31>} : tensor<?x13xi32> -> tensor<?x13x!quant.uniform<i8:f32, 0.2:1>>
  %y = mc.dequantize %q : tensor<?x13x!quant.uniform<i8:f32, 0.2:1>> -> tensor<?x13xf32>
  return %y : tensor<?x13xf32>
}
