// RUN: mc-opt %s | mc-opt | FileCheck %s
// RUN: mc-opt %s --mlir-print-op-generic | mc-opt | FileCheck %s

// A small CNN head round-trips through the custom and the generic form.
// CHECK-LABEL: func.func @cnn
func.func @cnn(%x: tensor<?x1x28x28xf32>) -> tensor<?x10xf32> {
  // CHECK: mc.constant
  %w = mc.constant dense<1.0> : tensor<8x1x3x3xf32>
  %b = mc.constant dense<0.5> : tensor<8xf32>
  // CHECK: mc.conv2d %{{.*}}, %{{.*}}, %{{.*}} {pads = array<i64: 1, 1, 1, 1>}
  %c = mc.conv2d %x, %w, %b {pads = array<i64: 1, 1, 1, 1>} : (tensor<?x1x28x28xf32>, tensor<8x1x3x3xf32>, tensor<8xf32>) -> tensor<?x8x28x28xf32>
  // CHECK: mc.relu
  %r = mc.relu %c : tensor<?x8x28x28xf32>
  // CHECK: mc.max_pool2d
  %p = mc.max_pool2d %r {kernel = array<i64: 2, 2>, strides = array<i64: 2, 2>} : (tensor<?x8x28x28xf32>) -> tensor<?x8x14x14xf32>
  // CHECK: mc.flatten
  %f = mc.flatten %p : (tensor<?x8x14x14xf32>) -> tensor<?x1568xf32>
  %w2 = mc.constant dense<0.1> : tensor<10x1568xf32>
  // CHECK: mc.linear
  %y = mc.linear %f, %w2 : (tensor<?x1568xf32>, tensor<10x1568xf32>) -> tensor<?x10xf32>
  return %y : tensor<?x10xf32>
}
