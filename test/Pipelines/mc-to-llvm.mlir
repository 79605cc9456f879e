// RUN: mc-opt %s --mc-to-llvm | FileCheck %s \
// RUN:   --implicit-check-not='{{(^ *|= )"?(mc|linalg|tensor|memref|bufferization|scf|arith|math|affine|cf|func)\.[a-z_]+}}'
// RUN: mc-opt %s --mc-to-llvm="fuse-elementwise=false" | FileCheck %s \
// RUN:   --implicit-check-not='{{(^ *|= )"?(mc|linalg|tensor|memref|bufferization|scf|arith|math|affine|cf|func)\.[a-z_]+}}'

// A small CNN with a dynamic batch (conv, relu, pool, flatten, reshape,
// linear, softmax) is lowered completely to the LLVM dialect: no op of any
// other dialect is left, and no MLIR runtime function (memrefCopy) is called.
// The function takes and returns memref descriptors whose batch size is a
// run-time value.

// CHECK-DAG: llvm.mlir.global private constant @{{.+}}(dense_resource<conv1.weight> : tensor<4x1x3x3xf32>)
// CHECK-DAG: llvm.func @malloc(i64) -> !llvm.ptr
// CHECK-DAG: llvm.func @free(!llvm.ptr)
// CHECK-NOT: memrefCopy
// CHECK-LABEL: llvm.func @cnn(
// CHECK-SAME: -> !llvm.struct<(ptr, ptr, i64, array<2 x i64>, array<2 x i64>)>
// CHECK: llvm.intr.exp
// CHECK: llvm.return
func.func @cnn(%x: tensor<?x1x8x8xf32>) -> tensor<?x10xf32> {
  %w1 = mc.constant dense_resource<conv1.weight> : tensor<4x1x3x3xf32>
  %b1 = mc.constant dense<[0.1, 0.2, 0.3, 0.4]> : tensor<4xf32>
  %c = mc.conv2d %x, %w1, %b1 {pads = array<i64: 1, 1, 1, 1>} : (tensor<?x1x8x8xf32>, tensor<4x1x3x3xf32>, tensor<4xf32>) -> tensor<?x4x8x8xf32>
  %r = mc.relu %c : tensor<?x4x8x8xf32>
  %p = mc.max_pool2d %r {kernel = array<i64: 2, 2>, strides = array<i64: 2, 2>} : (tensor<?x4x8x8xf32>) -> tensor<?x4x4x4xf32>
  %a = mc.avg_pool2d %p {kernel = array<i64: 3, 3>, pads = array<i64: 1, 1, 1, 1>} : (tensor<?x4x4x4xf32>) -> tensor<?x4x4x4xf32>
  %f = mc.flatten %a : (tensor<?x4x4x4xf32>) -> tensor<?x64xf32>
  %s = mc.reshape %f : tensor<?x64xf32> -> tensor<?x2x32xf32>
  %g = mc.reshape %s : tensor<?x2x32xf32> -> tensor<?x64xf32>
  %w2 = mc.constant dense<0.01> : tensor<10x64xf32>
  %b2 = mc.constant dense<0.5> : tensor<10xf32>
  %y = mc.linear %g, %w2, %b2 : (tensor<?x64xf32>, tensor<10x64xf32>, tensor<10xf32>) -> tensor<?x10xf32>
  %z = mc.softmax %y : tensor<?x10xf32>
  return %z : tensor<?x10xf32>
}

{-#
  dialect_resources: {
    builtin: {
      conv1.weight: "0x040000000000803F0000000000000000000000000000803F000000000000000000000000000080BF0000003F0000003F0000003F0000003F0000003F0000003F0000003F0000003F0000003F000080BF000080BF000080BF0000000000000000000000000000803F0000803F0000803F00000000000000000000803F00000000000000000000803F0000000000000000000080BF"
    }
  }
#-}
