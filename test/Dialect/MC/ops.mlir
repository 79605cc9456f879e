// RUN: mc-opt %s | mc-opt | FileCheck %s
// RUN: mc-opt %s --mlir-print-op-generic | mc-opt | FileCheck %s

// Every mc op round-trips through the custom and the generic form. Default
// valued attributes are elided when printed; an explicit default is elided too.

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

//===----------------------------------------------------------------------===//
// Constants
//===----------------------------------------------------------------------===//

// mc.constant holds a dense literal, a splat, an i1 literal or a
// dense_resource blob (kept through both forms).
// CHECK-LABEL: func.func @constant
func.func @constant() -> (tensor<2xi64>, tensor<2x2xf32>, tensor<3xi1>, tensor<2xf32>) {
  // CHECK: mc.constant dense<[1, -1]> : tensor<2xi64>
  %s = mc.constant dense<[1, -1]> : tensor<2xi64>
  // CHECK: mc.constant dense<5.000000e-01> : tensor<2x2xf32>
  %h = mc.constant dense<0.5> : tensor<2x2xf32>
  // CHECK: mc.constant dense<[true, false, true]> : tensor<3xi1>
  %m = mc.constant dense<[true, false, true]> : tensor<3xi1>
  // CHECK: mc.constant dense_resource<ops_blob> : tensor<2xf32>
  %w = mc.constant dense_resource<ops_blob> : tensor<2xf32>
  return %s, %h, %m, %w : tensor<2xi64>, tensor<2x2xf32>, tensor<3xi1>, tensor<2xf32>
}

//===----------------------------------------------------------------------===//
// Linear algebra
//===----------------------------------------------------------------------===//

// mc.linear with and without bias, on 2-D (dynamic batch), 3-D and 1-D inputs.
// CHECK-LABEL: func.func @linear
// CHECK-SAME: (%[[X:[^:]+]]: tensor<?x784xf32>, %[[W:[^:]+]]: tensor<128x784xf32>, %[[B:[^:]+]]: tensor<128xf32>, %[[X3:[^:]+]]: tensor<2x16x784xf32>, %[[X1:[^:]+]]: tensor<784xf32>)
func.func @linear(%x: tensor<?x784xf32>, %w: tensor<128x784xf32>, %b: tensor<128xf32>, %x3: tensor<2x16x784xf32>, %x1: tensor<784xf32>) -> (tensor<?x128xf32>, tensor<2x16x128xf32>, tensor<128xf32>) {
  // CHECK: mc.linear %[[X]], %[[W]], %[[B]] : (tensor<?x784xf32>, tensor<128x784xf32>, tensor<128xf32>) -> tensor<?x128xf32>
  %0 = mc.linear %x, %w, %b : (tensor<?x784xf32>, tensor<128x784xf32>, tensor<128xf32>) -> tensor<?x128xf32>
  // CHECK: mc.linear %[[X3]], %[[W]] : (tensor<2x16x784xf32>, tensor<128x784xf32>) -> tensor<2x16x128xf32>
  %1 = mc.linear %x3, %w : (tensor<2x16x784xf32>, tensor<128x784xf32>) -> tensor<2x16x128xf32>
  // CHECK: mc.linear %[[X1]], %[[W]], %[[B]] : (tensor<784xf32>, tensor<128x784xf32>, tensor<128xf32>) -> tensor<128xf32>
  %2 = mc.linear %x1, %w, %b : (tensor<784xf32>, tensor<128x784xf32>, tensor<128xf32>) -> tensor<128xf32>
  return %0, %1, %2 : tensor<?x128xf32>, tensor<2x16x128xf32>, tensor<128xf32>
}

// mc.matmul: batched with dynamic batch, broadcast batch dimensions, 1-D lhs,
// 1-D rhs and two 1-D operands (a 0-D result).
// CHECK-LABEL: func.func @matmul
// CHECK-SAME: (%[[Q:[^:]+]]: tensor<?x4x16x8xf32>, %[[K:[^:]+]]: tensor<?x4x8x16xf32>, %[[A:[^:]+]]: tensor<2x1x3x4xf32>, %[[B:[^:]+]]: tensor<5x4x6xf32>, %[[V:[^:]+]]: tensor<4xf32>, %[[M:[^:]+]]: tensor<3x4xf32>)
func.func @matmul(%q: tensor<?x4x16x8xf32>, %k: tensor<?x4x8x16xf32>, %a: tensor<2x1x3x4xf32>, %b: tensor<5x4x6xf32>, %v: tensor<4xf32>, %m: tensor<3x4xf32>) -> (tensor<?x4x16x16xf32>, tensor<2x5x3x6xf32>, tensor<5x6xf32>, tensor<3xf32>, tensor<f32>) {
  // CHECK: mc.matmul %[[Q]], %[[K]] : (tensor<?x4x16x8xf32>, tensor<?x4x8x16xf32>) -> tensor<?x4x16x16xf32>
  %0 = mc.matmul %q, %k : (tensor<?x4x16x8xf32>, tensor<?x4x8x16xf32>) -> tensor<?x4x16x16xf32>
  // CHECK: mc.matmul %[[A]], %[[B]] : (tensor<2x1x3x4xf32>, tensor<5x4x6xf32>) -> tensor<2x5x3x6xf32>
  %1 = mc.matmul %a, %b : (tensor<2x1x3x4xf32>, tensor<5x4x6xf32>) -> tensor<2x5x3x6xf32>
  // CHECK: mc.matmul %[[V]], %[[B]] : (tensor<4xf32>, tensor<5x4x6xf32>) -> tensor<5x6xf32>
  %2 = mc.matmul %v, %b : (tensor<4xf32>, tensor<5x4x6xf32>) -> tensor<5x6xf32>
  // CHECK: mc.matmul %[[M]], %[[V]] : (tensor<3x4xf32>, tensor<4xf32>) -> tensor<3xf32>
  %3 = mc.matmul %m, %v : (tensor<3x4xf32>, tensor<4xf32>) -> tensor<3xf32>
  // CHECK: mc.matmul %[[V]], %[[V]] : (tensor<4xf32>, tensor<4xf32>) -> tensor<f32>
  %4 = mc.matmul %v, %v : (tensor<4xf32>, tensor<4xf32>) -> tensor<f32>
  return %0, %1, %2, %3, %4 : tensor<?x4x16x16xf32>, tensor<2x5x3x6xf32>, tensor<5x6xf32>, tensor<3xf32>, tensor<f32>
}

// mc.conv2d without bias and with defaults (explicit defaults are elided),
// and a depthwise convolution with bias, strides, pads and dilations.
// CHECK-LABEL: func.func @conv2d
// CHECK-SAME: (%[[X:[^:]+]]: tensor<?x4x9x9xf32>, %[[W:[^:]+]]: tensor<8x4x3x3xf32>, %[[DW:[^:]+]]: tensor<4x1x3x3xf32>, %[[B:[^:]+]]: tensor<4xf32>)
func.func @conv2d(%x: tensor<?x4x9x9xf32>, %w: tensor<8x4x3x3xf32>, %dw: tensor<4x1x3x3xf32>, %b: tensor<4xf32>) -> (tensor<?x8x7x7xf32>, tensor<?x8x7x7xf32>, tensor<?x4x4x4xf32>) {
  // CHECK: mc.conv2d %[[X]], %[[W]] : (tensor<?x4x9x9xf32>, tensor<8x4x3x3xf32>) -> tensor<?x8x7x7xf32>
  %0 = mc.conv2d %x, %w : (tensor<?x4x9x9xf32>, tensor<8x4x3x3xf32>) -> tensor<?x8x7x7xf32>
  // CHECK: mc.conv2d %[[X]], %[[W]] : (tensor<?x4x9x9xf32>, tensor<8x4x3x3xf32>) -> tensor<?x8x7x7xf32>
  %1 = mc.conv2d %x, %w {strides = array<i64: 1, 1>, pads = array<i64: 0, 0, 0, 0>, dilations = array<i64: 1, 1>, groups = 1 : i64} : (tensor<?x4x9x9xf32>, tensor<8x4x3x3xf32>) -> tensor<?x8x7x7xf32>
  // (9 + 1 + 1 - 2 * 2 - 1) / 2 + 1 = 4
  // CHECK: mc.conv2d %[[X]], %[[DW]], %[[B]] {dilations = array<i64: 2, 2>, groups = 4 : i64, pads = array<i64: 1, 1, 1, 1>, strides = array<i64: 2, 2>} : (tensor<?x4x9x9xf32>, tensor<4x1x3x3xf32>, tensor<4xf32>) -> tensor<?x4x4x4xf32>
  %2 = mc.conv2d %x, %dw, %b {strides = array<i64: 2, 2>, pads = array<i64: 1, 1, 1, 1>, dilations = array<i64: 2, 2>, groups = 4 : i64} : (tensor<?x4x9x9xf32>, tensor<4x1x3x3xf32>, tensor<4xf32>) -> tensor<?x4x4x4xf32>
  return %0, %1, %2 : tensor<?x8x7x7xf32>, tensor<?x8x7x7xf32>, tensor<?x4x4x4xf32>
}

//===----------------------------------------------------------------------===//
// Pooling
//===----------------------------------------------------------------------===//

// Max pooling on quantized values keeps the quantized type.
// CHECK-LABEL: func.func @max_pool2d_quantized
func.func @max_pool2d_quantized(%x: tensor<?x8x6x6x!quant.uniform<i8:f32, 0.5:-128>>) -> tensor<?x8x3x3x!quant.uniform<i8:f32, 0.5:-128>> {
  // CHECK: mc.max_pool2d %{{.*}} {kernel = array<i64: 2, 2>, strides = array<i64: 2, 2>} : (tensor<?x8x6x6x!quant.uniform<i8:f32, 5.000000e-01:-128>>) -> tensor<?x8x3x3x!quant.uniform<i8:f32, 5.000000e-01:-128>>
  %0 = mc.max_pool2d %x {kernel = array<i64: 2, 2>, strides = array<i64: 2, 2>} : (tensor<?x8x6x6x!quant.uniform<i8:f32, 0.5:-128>>) -> tensor<?x8x3x3x!quant.uniform<i8:f32, 0.5:-128>>
  return %0 : tensor<?x8x3x3x!quant.uniform<i8:f32, 0.5:-128>>
}

// Pools with defaults, asymmetric pads, dilations, ceil_mode and
// count_include_pad.
// CHECK-LABEL: func.func @pooling
// CHECK-SAME: (%[[X:[^:]+]]: tensor<?x8x7x7xf32>)
func.func @pooling(%x: tensor<?x8x7x7xf32>) -> (tensor<?x8x3x3xf32>, tensor<?x8x4x4xf32>, tensor<?x8x4x2xf32>, tensor<?x8x7x7xf32>, tensor<?x8x4x4xf32>, tensor<?x8x1x1xf32>) {
  // CHECK: mc.max_pool2d %[[X]] {kernel = array<i64: 2, 2>, strides = array<i64: 2, 2>} : (tensor<?x8x7x7xf32>) -> tensor<?x8x3x3xf32>
  %0 = mc.max_pool2d %x {kernel = array<i64: 2, 2>, strides = array<i64: 2, 2>, ceil_mode = false} : (tensor<?x8x7x7xf32>) -> tensor<?x8x3x3xf32>
  // ceil((7 - 2) / 2) + 1 = 4
  // CHECK: mc.max_pool2d %[[X]] {ceil_mode = true, kernel = array<i64: 2, 2>, strides = array<i64: 2, 2>} : (tensor<?x8x7x7xf32>) -> tensor<?x8x4x4xf32>
  %1 = mc.max_pool2d %x {kernel = array<i64: 2, 2>, strides = array<i64: 2, 2>, ceil_mode = true} : (tensor<?x8x7x7xf32>) -> tensor<?x8x4x4xf32>
  // H: (7 + 1 + 0 - 2 * 2 - 1) / 1 + 1 = 4; W: (7 + 0 + 1 - 2 * 2 - 1) / 2 + 1 = 2
  // CHECK: mc.max_pool2d %[[X]] {dilations = array<i64: 2, 2>, kernel = array<i64: 3, 3>, pads = array<i64: 1, 0, 0, 1>, strides = array<i64: 1, 2>} : (tensor<?x8x7x7xf32>) -> tensor<?x8x4x2xf32>
  %2 = mc.max_pool2d %x {kernel = array<i64: 3, 3>, strides = array<i64: 1, 2>, pads = array<i64: 1, 0, 0, 1>, dilations = array<i64: 2, 2>} : (tensor<?x8x7x7xf32>) -> tensor<?x8x4x2xf32>
  // CHECK: mc.avg_pool2d %[[X]] {count_include_pad = true, kernel = array<i64: 3, 3>, pads = array<i64: 1, 1, 1, 1>} : (tensor<?x8x7x7xf32>) -> tensor<?x8x7x7xf32>
  %3 = mc.avg_pool2d %x {kernel = array<i64: 3, 3>, pads = array<i64: 1, 1, 1, 1>, count_include_pad = true} : (tensor<?x8x7x7xf32>) -> tensor<?x8x7x7xf32>
  // CHECK: mc.avg_pool2d %[[X]] {ceil_mode = true, kernel = array<i64: 2, 2>, strides = array<i64: 2, 2>} : (tensor<?x8x7x7xf32>) -> tensor<?x8x4x4xf32>
  %4 = mc.avg_pool2d %x {kernel = array<i64: 2, 2>, strides = array<i64: 2, 2>, ceil_mode = true, count_include_pad = false} : (tensor<?x8x7x7xf32>) -> tensor<?x8x4x4xf32>
  // CHECK: mc.global_avg_pool2d %[[X]] : (tensor<?x8x7x7xf32>) -> tensor<?x8x1x1xf32>
  %5 = mc.global_avg_pool2d %x : (tensor<?x8x7x7xf32>) -> tensor<?x8x1x1xf32>
  return %0, %1, %2, %3, %4, %5 : tensor<?x8x3x3xf32>, tensor<?x8x4x4xf32>, tensor<?x8x4x2xf32>, tensor<?x8x7x7xf32>, tensor<?x8x4x4xf32>, tensor<?x8x1x1xf32>
}

//===----------------------------------------------------------------------===//
// Normalization
//===----------------------------------------------------------------------===//

// mc.batch_norm with the default and an explicit epsilon, on 4-D and 2-D
// inputs.
// CHECK-LABEL: func.func @batch_norm
// CHECK-SAME: (%[[X:[^:]+]]: tensor<?x8x4x4xf32>, %[[Y:[^:]+]]: tensor<?x8xf16>, %[[P:[^:]+]]: tensor<8xf32>, %[[H:[^:]+]]: tensor<8xf16>)
func.func @batch_norm(%x: tensor<?x8x4x4xf32>, %y: tensor<?x8xf16>, %p: tensor<8xf32>, %h: tensor<8xf16>) -> (tensor<?x8x4x4xf32>, tensor<?x8xf16>) {
  // CHECK: mc.batch_norm %[[X]], %[[P]], %[[P]], %[[P]], %[[P]] : tensor<?x8x4x4xf32>, tensor<8xf32>, tensor<8xf32>, tensor<8xf32>, tensor<8xf32>
  %0 = mc.batch_norm %x, %p, %p, %p, %p : tensor<?x8x4x4xf32>, tensor<8xf32>, tensor<8xf32>, tensor<8xf32>, tensor<8xf32>
  // CHECK: mc.batch_norm %[[Y]], %[[H]], %[[H]], %[[H]], %[[H]] {epsilon = 1.000000e-03 : f32} : tensor<?x8xf16>, tensor<8xf16>, tensor<8xf16>, tensor<8xf16>, tensor<8xf16>
  %1 = mc.batch_norm %y, %h, %h, %h, %h {epsilon = 1.0e-3 : f32} : tensor<?x8xf16>, tensor<8xf16>, tensor<8xf16>, tensor<8xf16>, tensor<8xf16>
  return %0, %1 : tensor<?x8x4x4xf32>, tensor<?x8xf16>
}

// mc.layer_norm with and without bias, default and explicit axis/epsilon.
// CHECK-LABEL: func.func @layer_norm
// CHECK-SAME: (%[[X:[^:]+]]: tensor<?x16x32xf32>, %[[G:[^:]+]]: tensor<32xf32>, %[[B:[^:]+]]: tensor<32xf32>, %[[G2:[^:]+]]: tensor<16x32xf32>)
func.func @layer_norm(%x: tensor<?x16x32xf32>, %g: tensor<32xf32>, %b: tensor<32xf32>, %g2: tensor<16x32xf32>) -> (tensor<?x16x32xf32>, tensor<?x16x32xf32>, tensor<?x16x32xf32>) {
  // CHECK: mc.layer_norm %[[X]], %[[G]], %[[B]] : tensor<?x16x32xf32>, tensor<32xf32>, tensor<32xf32>
  %0 = mc.layer_norm %x, %g, %b {axis = -1 : i64, epsilon = 1.0e-5 : f32} : tensor<?x16x32xf32>, tensor<32xf32>, tensor<32xf32>
  // CHECK: mc.layer_norm %[[X]], %[[G]] : tensor<?x16x32xf32>, tensor<32xf32>
  %1 = mc.layer_norm %x, %g : tensor<?x16x32xf32>, tensor<32xf32>
  // CHECK: mc.layer_norm %[[X]], %[[G2]] {axis = 1 : i64, epsilon = 9.99999997E-7 : f32} : tensor<?x16x32xf32>, tensor<16x32xf32>
  %2 = mc.layer_norm %x, %g2 {axis = 1 : i64, epsilon = 1.0e-6 : f32} : tensor<?x16x32xf32>, tensor<16x32xf32>
  return %0, %1, %2 : tensor<?x16x32xf32>, tensor<?x16x32xf32>, tensor<?x16x32xf32>
}

// mc.softmax with the default and a non-default axis.
// CHECK-LABEL: func.func @softmax
// CHECK-SAME: (%[[X:[^:]+]]: tensor<?x10xf32>)
func.func @softmax(%x: tensor<?x10xf32>) -> (tensor<?x10xf32>, tensor<?x10xf32>) {
  // CHECK: mc.softmax %[[X]] : tensor<?x10xf32>
  %0 = mc.softmax %x : tensor<?x10xf32>
  // CHECK: mc.softmax %[[X]] {axis = 0 : i64} : tensor<?x10xf32>
  %1 = mc.softmax %x {axis = 0 : i64} : tensor<?x10xf32>
  return %0, %1 : tensor<?x10xf32>, tensor<?x10xf32>
}

//===----------------------------------------------------------------------===//
// Reductions
//===----------------------------------------------------------------------===//

// mc.reduce_mean keeping the reduced dimensions (the default, elided when
// given explicitly) and dropping them, with positive and negative axes.
// CHECK-LABEL: func.func @reduce_mean
// CHECK-SAME: (%[[X:[^:]+]]: tensor<?x8x7x7xf32>)
func.func @reduce_mean(%x: tensor<?x8x7x7xf32>) -> (tensor<?x8x1x1xf32>, tensor<?x8x7xf32>, tensor<1x1x1x1xf32>) {
  // CHECK: mc.reduce_mean %[[X]] {axes = array<i64: 2, 3>} : (tensor<?x8x7x7xf32>) -> tensor<?x8x1x1xf32>
  %0 = mc.reduce_mean %x {axes = array<i64: 2, 3>, keepdims = true} : (tensor<?x8x7x7xf32>) -> tensor<?x8x1x1xf32>
  // CHECK: mc.reduce_mean %[[X]] {axes = array<i64: -1>, keepdims = false} : (tensor<?x8x7x7xf32>) -> tensor<?x8x7xf32>
  %1 = mc.reduce_mean %x {axes = array<i64: -1>, keepdims = false} : (tensor<?x8x7x7xf32>) -> tensor<?x8x7xf32>
  // CHECK: mc.reduce_mean %[[X]] {axes = array<i64: 0, 1, 2, 3>} : (tensor<?x8x7x7xf32>) -> tensor<1x1x1x1xf32>
  %2 = mc.reduce_mean %x {axes = array<i64: 0, 1, 2, 3>} : (tensor<?x8x7x7xf32>) -> tensor<1x1x1x1xf32>
  return %0, %1, %2 : tensor<?x8x1x1xf32>, tensor<?x8x7xf32>, tensor<1x1x1x1xf32>
}

//===----------------------------------------------------------------------===//
// Elementwise binary ops
//===----------------------------------------------------------------------===//

// Binary ops with NumPy broadcasting: a trailing vector, 1 against a dynamic
// dimension, two size-1 dimensions stretching both ways, a 0-D operand, and
// same-shape integer operands.
// CHECK-LABEL: func.func @binary
// CHECK-SAME: (%[[A:[^:]+]]: tensor<?x16x32xf32>, %[[V:[^:]+]]: tensor<32xf32>, %[[C:[^:]+]]: tensor<?x1xf32>, %[[R:[^:]+]]: tensor<1x5xf32>, %[[S:[^:]+]]: tensor<f32>, %[[I:[^:]+]]: tensor<4xi64>, %[[J:[^:]+]]: tensor<2x4xi32>, %[[K:[^:]+]]: tensor<2x1xi32>)
func.func @binary(%a: tensor<?x16x32xf32>, %v: tensor<32xf32>, %c: tensor<?x1xf32>, %r: tensor<1x5xf32>, %s: tensor<f32>, %i: tensor<4xi64>, %j: tensor<2x4xi32>, %k: tensor<2x1xi32>) {
  // CHECK: mc.add %[[A]], %[[V]] : (tensor<?x16x32xf32>, tensor<32xf32>) -> tensor<?x16x32xf32>
  %0 = mc.add %a, %v : (tensor<?x16x32xf32>, tensor<32xf32>) -> tensor<?x16x32xf32>
  // CHECK: mc.sub %[[C]], %[[R]] : (tensor<?x1xf32>, tensor<1x5xf32>) -> tensor<?x5xf32>
  %1 = mc.sub %c, %r : (tensor<?x1xf32>, tensor<1x5xf32>) -> tensor<?x5xf32>
  // CHECK: mc.mul %[[S]], %[[A]] : (tensor<f32>, tensor<?x16x32xf32>) -> tensor<?x16x32xf32>
  %2 = mc.mul %s, %a : (tensor<f32>, tensor<?x16x32xf32>) -> tensor<?x16x32xf32>
  // CHECK: mc.div %[[I]], %[[I]] : (tensor<4xi64>, tensor<4xi64>) -> tensor<4xi64>
  %3 = mc.div %i, %i : (tensor<4xi64>, tensor<4xi64>) -> tensor<4xi64>
  // CHECK: mc.pow %[[V]], %[[S]] : (tensor<32xf32>, tensor<f32>) -> tensor<32xf32>
  %4 = mc.pow %v, %s : (tensor<32xf32>, tensor<f32>) -> tensor<32xf32>
  // CHECK: mc.add %[[K]], %[[J]] : (tensor<2x1xi32>, tensor<2x4xi32>) -> tensor<2x4xi32>
  %5 = mc.add %k, %j : (tensor<2x1xi32>, tensor<2x4xi32>) -> tensor<2x4xi32>
  // CHECK: mc.mul %[[C]], %[[C]] : (tensor<?x1xf32>, tensor<?x1xf32>) -> tensor<?x1xf32>
  %6 = mc.mul %c, %c : (tensor<?x1xf32>, tensor<?x1xf32>) -> tensor<?x1xf32>
  return
}

//===----------------------------------------------------------------------===//
// Elementwise unary ops and activations
//===----------------------------------------------------------------------===//

// Unary ops, gelu in both forms, clip with and without bounds, cast.
// CHECK-LABEL: func.func @unary
// CHECK-SAME: (%[[X:[^:]+]]: tensor<?x128xf32>, %[[I:[^:]+]]: tensor<4xi8>, %[[L:[^:]+]]: tensor<?x16xi64>)
func.func @unary(%x: tensor<?x128xf32>, %i: tensor<4xi8>, %l: tensor<?x16xi64>) {
  // CHECK: mc.sqrt %[[X]] : tensor<?x128xf32>
  %0 = mc.sqrt %x : tensor<?x128xf32>
  // CHECK: mc.exp %[[X]] : tensor<?x128xf32>
  %1 = mc.exp %x : tensor<?x128xf32>
  // CHECK: mc.erf %[[X]] : tensor<?x128xf32>
  %2 = mc.erf %x : tensor<?x128xf32>
  // CHECK: mc.sigmoid %[[X]] : tensor<?x128xf32>
  %3 = mc.sigmoid %x : tensor<?x128xf32>
  // CHECK: mc.tanh %[[X]] : tensor<?x128xf32>
  %4 = mc.tanh %x : tensor<?x128xf32>
  // CHECK: mc.relu %[[X]] : tensor<?x128xf32>
  %5 = mc.relu %x : tensor<?x128xf32>
  // CHECK: mc.relu %[[I]] : tensor<4xi8>
  %6 = mc.relu %i : tensor<4xi8>
  // CHECK: mc.neg %[[L]] : tensor<?x16xi64>
  %7 = mc.neg %l : tensor<?x16xi64>
  // CHECK: mc.gelu %[[X]] : tensor<?x128xf32>
  %8 = mc.gelu %x {approximate = "none"} : tensor<?x128xf32>
  // CHECK: mc.gelu %[[X]] {approximate = "tanh"} : tensor<?x128xf32>
  %9 = mc.gelu %x {approximate = "tanh"} : tensor<?x128xf32>
  // CHECK: mc.clip %[[X]] {max = 6.000000e+00 : f64, min = 0.000000e+00 : f64} : tensor<?x128xf32>
  %10 = mc.clip %x {min = 0.0 : f64, max = 6.0 : f64} : tensor<?x128xf32>
  // CHECK: mc.clip %[[I]] {min = -3.000000e+00 : f64} : tensor<4xi8>
  %11 = mc.clip %i {min = -3.0 : f64} : tensor<4xi8>
  // CHECK: mc.clip %[[X]] : tensor<?x128xf32>
  %12 = mc.clip %x : tensor<?x128xf32>
  // CHECK: mc.cast %[[L]] : tensor<?x16xi64> -> tensor<?x16xf32>
  %13 = mc.cast %l : tensor<?x16xi64> -> tensor<?x16xf32>
  // CHECK: mc.cast %[[X]] : tensor<?x128xf32> -> tensor<?x128xi1>
  %14 = mc.cast %x : tensor<?x128xf32> -> tensor<?x128xi1>
  return
}

//===----------------------------------------------------------------------===//
// Shape manipulation
//===----------------------------------------------------------------------===//

// mc.reshape: static to static, static to one dynamic dimension, dynamic to
// dynamic.
// CHECK-LABEL: func.func @reshape
// CHECK-SAME: (%[[X:[^:]+]]: tensor<?x32x7x7xf32>, %[[S:[^:]+]]: tensor<2x6xi64>)
func.func @reshape(%x: tensor<?x32x7x7xf32>, %s: tensor<2x6xi64>) -> (tensor<?x1568xf32>, tensor<3x4xi64>, tensor<?x4xi64>) {
  // CHECK: mc.reshape %[[X]] : tensor<?x32x7x7xf32> -> tensor<?x1568xf32>
  %0 = mc.reshape %x : tensor<?x32x7x7xf32> -> tensor<?x1568xf32>
  // CHECK: mc.reshape %[[S]] : tensor<2x6xi64> -> tensor<3x4xi64>
  %1 = mc.reshape %s : tensor<2x6xi64> -> tensor<3x4xi64>
  // CHECK: mc.reshape %[[S]] : tensor<2x6xi64> -> tensor<?x4xi64>
  %2 = mc.reshape %s : tensor<2x6xi64> -> tensor<?x4xi64>
  return %0, %1, %2 : tensor<?x1568xf32>, tensor<3x4xi64>, tensor<?x4xi64>
}

// mc.flatten with the default axis, axis 0, a negative axis and axis == rank.
// CHECK-LABEL: func.func @flatten
// CHECK-SAME: (%[[X:[^:]+]]: tensor<?x32x7x7xf32>, %[[Y:[^:]+]]: tensor<2x3x4xf32>)
func.func @flatten(%x: tensor<?x32x7x7xf32>, %y: tensor<2x3x4xf32>) {
  // CHECK: mc.flatten %[[X]] : (tensor<?x32x7x7xf32>) -> tensor<?x1568xf32>
  %0 = mc.flatten %x {axis = 1 : i64} : (tensor<?x32x7x7xf32>) -> tensor<?x1568xf32>
  // CHECK: mc.flatten %[[Y]] {axis = 0 : i64} : (tensor<2x3x4xf32>) -> tensor<1x24xf32>
  %1 = mc.flatten %y {axis = 0 : i64} : (tensor<2x3x4xf32>) -> tensor<1x24xf32>
  // CHECK: mc.flatten %[[X]] {axis = -1 : i64} : (tensor<?x32x7x7xf32>) -> tensor<?x7xf32>
  %2 = mc.flatten %x {axis = -1 : i64} : (tensor<?x32x7x7xf32>) -> tensor<?x7xf32>
  // CHECK: mc.flatten %[[Y]] {axis = 3 : i64} : (tensor<2x3x4xf32>) -> tensor<24x1xf32>
  %3 = mc.flatten %y {axis = 3 : i64} : (tensor<2x3x4xf32>) -> tensor<24x1xf32>
  return
}

// mc.transpose of a dynamic-batch tensor and of a quantized tensor.
// CHECK-LABEL: func.func @transpose
// CHECK-SAME: (%[[X:[^:]+]]: tensor<?x16x4x8xf32>, %[[Q:[^:]+]]: tensor<2x3x!quant.uniform<i8:f32, 5.000000e-01>>)
func.func @transpose(%x: tensor<?x16x4x8xf32>, %q: tensor<2x3x!quant.uniform<i8:f32, 0.5>>) {
  // CHECK: mc.transpose %[[X]] {perm = array<i64: 0, 2, 1, 3>} : (tensor<?x16x4x8xf32>) -> tensor<?x4x16x8xf32>
  %0 = mc.transpose %x {perm = array<i64: 0, 2, 1, 3>} : (tensor<?x16x4x8xf32>) -> tensor<?x4x16x8xf32>
  // CHECK: mc.transpose %[[Q]] {perm = array<i64: 1, 0>} : (tensor<2x3x!quant.uniform<i8:f32, 5.000000e-01>>) -> tensor<3x2x!quant.uniform<i8:f32, 5.000000e-01>>
  %1 = mc.transpose %q {perm = array<i64: 1, 0>} : (tensor<2x3x!quant.uniform<i8:f32, 0.5>>) -> tensor<3x2x!quant.uniform<i8:f32, 0.5>>
  return
}

// mc.concat of one, two and three inputs, with a negative axis and a dynamic
// concatenation axis.
// CHECK-LABEL: func.func @concat
// CHECK-SAME: (%[[A:[^:]+]]: tensor<?x8x7x7xf32>, %[[B:[^:]+]]: tensor<?x16x7x7xf32>, %[[I:[^:]+]]: tensor<2xi64>, %[[J:[^:]+]]: tensor<1xi64>)
func.func @concat(%a: tensor<?x8x7x7xf32>, %b: tensor<?x16x7x7xf32>, %i: tensor<2xi64>, %j: tensor<1xi64>) {
  // CHECK: mc.concat %[[A]], %[[B]] {axis = 1 : i64} : (tensor<?x8x7x7xf32>, tensor<?x16x7x7xf32>) -> tensor<?x24x7x7xf32>
  %0 = mc.concat %a, %b {axis = 1 : i64} : (tensor<?x8x7x7xf32>, tensor<?x16x7x7xf32>) -> tensor<?x24x7x7xf32>
  // CHECK: mc.concat %[[I]], %[[J]], %[[I]] {axis = -1 : i64} : (tensor<2xi64>, tensor<1xi64>, tensor<2xi64>) -> tensor<5xi64>
  %1 = mc.concat %i, %j, %i {axis = -1 : i64} : (tensor<2xi64>, tensor<1xi64>, tensor<2xi64>) -> tensor<5xi64>
  // CHECK: mc.concat %[[A]] {axis = 0 : i64} : (tensor<?x8x7x7xf32>) -> tensor<?x8x7x7xf32>
  %2 = mc.concat %a {axis = 0 : i64} : (tensor<?x8x7x7xf32>) -> tensor<?x8x7x7xf32>
  // CHECK: mc.concat %[[A]], %[[A]] {axis = 0 : i64} : (tensor<?x8x7x7xf32>, tensor<?x8x7x7xf32>) -> tensor<?x8x7x7xf32>
  %3 = mc.concat %a, %a {axis = 0 : i64} : (tensor<?x8x7x7xf32>, tensor<?x8x7x7xf32>) -> tensor<?x8x7x7xf32>
  return
}

// mc.slice along one axis, along two axes with a negative step and a negative
// axis, and an empty slice.
// CHECK-LABEL: func.func @slice
// CHECK-SAME: (%[[X:[^:]+]]: tensor<?x8xf32>, %[[Y:[^:]+]]: tensor<4x6x5xi64>)
func.func @slice(%x: tensor<?x8xf32>, %y: tensor<4x6x5xi64>) {
  // CHECK: mc.slice %[[X]] {axes = array<i64: 1>, sizes = array<i64: 4>, starts = array<i64: 2>, steps = array<i64: 1>} : (tensor<?x8xf32>) -> tensor<?x4xf32>
  %0 = mc.slice %x {axes = array<i64: 1>, starts = array<i64: 2>, sizes = array<i64: 4>, steps = array<i64: 1>} : (tensor<?x8xf32>) -> tensor<?x4xf32>
  // CHECK: mc.slice %[[Y]] {axes = array<i64: 0, -1>, sizes = array<i64: 2, 3>, starts = array<i64: 3, 0>, steps = array<i64: -2, 2>} : (tensor<4x6x5xi64>) -> tensor<2x6x3xi64>
  %1 = mc.slice %y {axes = array<i64: 0, -1>, starts = array<i64: 3, 0>, sizes = array<i64: 2, 3>, steps = array<i64: -2, 2>} : (tensor<4x6x5xi64>) -> tensor<2x6x3xi64>
  // CHECK: mc.slice %[[Y]] {axes = array<i64: 1>, sizes = array<i64: 0>, starts = array<i64: 0>, steps = array<i64: 1>} : (tensor<4x6x5xi64>) -> tensor<4x0x5xi64>
  %2 = mc.slice %y {axes = array<i64: 1>, starts = array<i64: 0>, sizes = array<i64: 0>, steps = array<i64: 1>} : (tensor<4x6x5xi64>) -> tensor<4x0x5xi64>
  return
}

// mc.gather: an embedding lookup with i64 ids (default axis) and a gather
// along axis 1 with 0-D i32 indices.
// CHECK-LABEL: func.func @gather
// CHECK-SAME: (%[[T:[^:]+]]: tensor<1000x64xf32>, %[[IDS:[^:]+]]: tensor<?x16xi64>, %[[I:[^:]+]]: tensor<i32>)
func.func @gather(%t: tensor<1000x64xf32>, %ids: tensor<?x16xi64>, %i: tensor<i32>) {
  // CHECK: mc.gather %[[T]], %[[IDS]] : (tensor<1000x64xf32>, tensor<?x16xi64>) -> tensor<?x16x64xf32>
  %0 = mc.gather %t, %ids {axis = 0 : i64} : (tensor<1000x64xf32>, tensor<?x16xi64>) -> tensor<?x16x64xf32>
  // CHECK: mc.gather %[[T]], %[[I]] {axis = -1 : i64} : (tensor<1000x64xf32>, tensor<i32>) -> tensor<1000xf32>
  %1 = mc.gather %t, %i {axis = -1 : i64} : (tensor<1000x64xf32>, tensor<i32>) -> tensor<1000xf32>
  return
}

// mc.squeeze / mc.unsqueeze with positive and negative axes.
// CHECK-LABEL: func.func @squeeze_unsqueeze
// CHECK-SAME: (%[[X:[^:]+]]: tensor<?x32x1x1xf32>, %[[Y:[^:]+]]: tensor<?x32xf32>)
func.func @squeeze_unsqueeze(%x: tensor<?x32x1x1xf32>, %y: tensor<?x32xf32>) {
  // CHECK: mc.squeeze %[[X]] {axes = array<i64: 2, 3>} : (tensor<?x32x1x1xf32>) -> tensor<?x32xf32>
  %0 = mc.squeeze %x {axes = array<i64: 2, 3>} : (tensor<?x32x1x1xf32>) -> tensor<?x32xf32>
  // CHECK: mc.squeeze %[[X]] {axes = array<i64: -1>} : (tensor<?x32x1x1xf32>) -> tensor<?x32x1xf32>
  %1 = mc.squeeze %x {axes = array<i64: -1>} : (tensor<?x32x1x1xf32>) -> tensor<?x32x1xf32>
  // CHECK: mc.unsqueeze %[[Y]] {axes = array<i64: 1>} : (tensor<?x32xf32>) -> tensor<?x1x32xf32>
  %2 = mc.unsqueeze %y {axes = array<i64: 1>} : (tensor<?x32xf32>) -> tensor<?x1x32xf32>
  // CHECK: mc.unsqueeze %[[Y]] {axes = array<i64: -1, 0>} : (tensor<?x32xf32>) -> tensor<1x?x32x1xf32>
  %3 = mc.unsqueeze %y {axes = array<i64: -1, 0>} : (tensor<?x32xf32>) -> tensor<1x?x32x1xf32>
  return
}

//===----------------------------------------------------------------------===//
// Quantization
//===----------------------------------------------------------------------===//

// mc.quantize / mc.dequantize, per tensor and per axis (with a storage range).
// CHECK-LABEL: func.func @quantize
// CHECK-SAME: (%[[X:[^:]+]]: tensor<?x3xf32>, %[[Q:[^:]+]]: tensor<?x3x!quant.uniform<i8:f32, 2.500000e-01:3>>, %[[P:[^:]+]]: tensor<?x3x!quant.uniform<i8<-127:127>:f32:1, {5.000000e-01,2.500000e-01,1.250000e-01:-1}>>)
func.func @quantize(%x: tensor<?x3xf32>, %q: tensor<?x3x!quant.uniform<i8:f32, 0.25:3>>, %p: tensor<?x3x!quant.uniform<i8<-127:127>:f32:1, {0.5, 0.25, 0.125:-1}>>) {
  // CHECK: mc.quantize %[[X]] : tensor<?x3xf32> -> tensor<?x3x!quant.uniform<u8:f32, 3.906250e-03>>
  %0 = mc.quantize %x : tensor<?x3xf32> -> tensor<?x3x!quant.uniform<u8:f32, 0.00390625>>
  // CHECK: mc.quantize %[[X]] : tensor<?x3xf32> -> tensor<?x3x!quant.uniform<i8<-127:127>:f32:1, {5.000000e-01,2.500000e-01,1.250000e-01:-1}>>
  %1 = mc.quantize %x : tensor<?x3xf32> -> tensor<?x3x!quant.uniform<i8<-127:127>:f32:1, {0.5, 0.25, 0.125:-1}>>
  // CHECK: mc.dequantize %[[Q]] : tensor<?x3x!quant.uniform<i8:f32, 2.500000e-01:3>> -> tensor<?x3xf32>
  %2 = mc.dequantize %q : tensor<?x3x!quant.uniform<i8:f32, 0.25:3>> -> tensor<?x3xf32>
  // CHECK: mc.dequantize %[[P]] : tensor<?x3x!quant.uniform<i8<-127:127>:f32:1, {5.000000e-01,2.500000e-01,1.250000e-01:-1}>> -> tensor<?x3xf32>
  %3 = mc.dequantize %p : tensor<?x3x!quant.uniform<i8<-127:127>:f32:1, {0.5, 0.25, 0.125:-1}>> -> tensor<?x3xf32>
  return
}

// mc.storage_cast in both directions: ui8 and u8, i8 and i8 per axis, i32.
// CHECK-LABEL: func.func @storage_cast
// CHECK-SAME: (%[[U:[^:]+]]: tensor<?x1x28x28xui8>, %[[Q:[^:]+]]: tensor<2x3x!quant.uniform<i8:f32:0, {5.000000e-01,2.500000e-01}>>, %[[A:[^:]+]]: tensor<?x10xi32>)
func.func @storage_cast(%u: tensor<?x1x28x28xui8>, %q: tensor<2x3x!quant.uniform<i8:f32:0, {0.5, 0.25}>>, %a: tensor<?x10xi32>) {
  // CHECK: mc.storage_cast %[[U]] : tensor<?x1x28x28xui8> -> tensor<?x1x28x28x!quant.uniform<u8:f32, 3.906250e-03>>
  %0 = mc.storage_cast %u : tensor<?x1x28x28xui8> -> tensor<?x1x28x28x!quant.uniform<u8:f32, 0.00390625>>
  // CHECK: mc.storage_cast %[[Q]] : tensor<2x3x!quant.uniform<i8:f32:0, {5.000000e-01,2.500000e-01}>> -> tensor<2x3xi8>
  %1 = mc.storage_cast %q : tensor<2x3x!quant.uniform<i8:f32:0, {0.5, 0.25}>> -> tensor<2x3xi8>
  // CHECK: mc.storage_cast %[[A]] : tensor<?x10xi32> -> tensor<?x10x!quant.uniform<i32:f32, 1.250000e-01>>
  %2 = mc.storage_cast %a : tensor<?x10xi32> -> tensor<?x10x!quant.uniform<i32:f32, 0.125>>
  return
}

// mc.qconv2d with a per-axis weight and no bias, and with a per-tensor weight,
// an int32 bias and non-default window attributes.
// CHECK-LABEL: func.func @qconv2d
// CHECK-SAME: (%[[X:[^:]+]]: tensor<?x2x8x8x!quant.uniform<u8:f32, 3.906250e-03>>, %[[W:[^:]+]]: tensor<4x2x3x3x!quant.uniform<i8:f32:0, {5.000000e-01,2.500000e-01,5.000000e-01,2.500000e-01}>>, %[[DW:[^:]+]]: tensor<2x1x3x3x!quant.uniform<i8:f32, 1.250000e-01>>, %[[B:[^:]+]]: tensor<2xi32>)
func.func @qconv2d(%x: tensor<?x2x8x8x!quant.uniform<u8:f32, 0.00390625>>, %w: tensor<4x2x3x3x!quant.uniform<i8:f32:0, {0.5, 0.25, 0.5, 0.25}>>, %dw: tensor<2x1x3x3x!quant.uniform<i8:f32, 0.125>>, %b: tensor<2xi32>) {
  // CHECK: mc.qconv2d %[[X]], %[[W]] : (tensor<?x2x8x8x!quant.uniform<u8:f32, 3.906250e-03>>, tensor<4x2x3x3x!quant.uniform<i8:f32:0, {5.000000e-01,2.500000e-01,5.000000e-01,2.500000e-01}>>) -> tensor<?x4x6x6xi32>
  %0 = mc.qconv2d %x, %w : (tensor<?x2x8x8x!quant.uniform<u8:f32, 0.00390625>>, tensor<4x2x3x3x!quant.uniform<i8:f32:0, {0.5, 0.25, 0.5, 0.25}>>) -> tensor<?x4x6x6xi32>
  // (8 + 1 + 1 - 3) / 2 + 1 = 4
  // CHECK: mc.qconv2d %[[X]], %[[DW]], %[[B]] {groups = 2 : i64, pads = array<i64: 1, 1, 1, 1>, strides = array<i64: 2, 2>} : (tensor<?x2x8x8x!quant.uniform<u8:f32, 3.906250e-03>>, tensor<2x1x3x3x!quant.uniform<i8:f32, 1.250000e-01>>, tensor<2xi32>) -> tensor<?x2x4x4xi32>
  %1 = mc.qconv2d %x, %dw, %b {strides = array<i64: 2, 2>, pads = array<i64: 1, 1, 1, 1>, groups = 2 : i64} : (tensor<?x2x8x8x!quant.uniform<u8:f32, 0.00390625>>, tensor<2x1x3x3x!quant.uniform<i8:f32, 0.125>>, tensor<2xi32>) -> tensor<?x2x4x4xi32>
  return
}

// mc.qlinear with a per-axis weight and an int32 bias, and per tensor
// without a bias.
// CHECK-LABEL: func.func @qlinear
// CHECK-SAME: (%[[X:[^:]+]]: tensor<?x4x!quant.uniform<i8:f32, 2.500000e-01:-3>>, %[[W:[^:]+]]: tensor<2x4x!quant.uniform<i8:f32:0, {5.000000e-01,2.500000e-01}>>, %[[T:[^:]+]]: tensor<2x4x!quant.uniform<i8:f32, 1.250000e-01>>, %[[B:[^:]+]]: tensor<2xi32>)
func.func @qlinear(%x: tensor<?x4x!quant.uniform<i8:f32, 0.25:-3>>, %w: tensor<2x4x!quant.uniform<i8:f32:0, {0.5, 0.25}>>, %t: tensor<2x4x!quant.uniform<i8:f32, 0.125>>, %b: tensor<2xi32>) {
  // CHECK: mc.qlinear %[[X]], %[[W]], %[[B]] : (tensor<?x4x!quant.uniform<i8:f32, 2.500000e-01:-3>>, tensor<2x4x!quant.uniform<i8:f32:0, {5.000000e-01,2.500000e-01}>>, tensor<2xi32>) -> tensor<?x2xi32>
  %0 = mc.qlinear %x, %w, %b : (tensor<?x4x!quant.uniform<i8:f32, 0.25:-3>>, tensor<2x4x!quant.uniform<i8:f32:0, {0.5, 0.25}>>, tensor<2xi32>) -> tensor<?x2xi32>
  // CHECK: mc.qlinear %[[X]], %[[T]] : (tensor<?x4x!quant.uniform<i8:f32, 2.500000e-01:-3>>, tensor<2x4x!quant.uniform<i8:f32, 1.250000e-01>>) -> tensor<?x2xi32>
  %1 = mc.qlinear %x, %t : (tensor<?x4x!quant.uniform<i8:f32, 0.25:-3>>, tensor<2x4x!quant.uniform<i8:f32, 0.125>>) -> tensor<?x2xi32>
  return
}

// mc.qmatmul per tensor (with a zero point), with a per-axis rhs along its
// last dimension, and with a 1-D lhs.
// CHECK-LABEL: func.func @qmatmul
// CHECK-SAME: (%[[A:[^:]+]]: tensor<?x4x!quant.uniform<u8:f32, 2.500000e-01:128>>, %[[B:[^:]+]]: tensor<4x2x!quant.uniform<i8:f32, 1.250000e-01>>, %[[P:[^:]+]]: tensor<4x2x!quant.uniform<i8:f32:1, {5.000000e-01,2.500000e-01}>>, %[[V:[^:]+]]: tensor<4x!quant.uniform<i8:f32, 5.000000e-01>>)
func.func @qmatmul(%a: tensor<?x4x!quant.uniform<u8:f32, 0.25:128>>, %b: tensor<4x2x!quant.uniform<i8:f32, 0.125>>, %p: tensor<4x2x!quant.uniform<i8:f32:1, {0.5, 0.25}>>, %v: tensor<4x!quant.uniform<i8:f32, 0.5>>) {
  // CHECK: mc.qmatmul %[[A]], %[[B]] : (tensor<?x4x!quant.uniform<u8:f32, 2.500000e-01:128>>, tensor<4x2x!quant.uniform<i8:f32, 1.250000e-01>>) -> tensor<?x2xi32>
  %0 = mc.qmatmul %a, %b : (tensor<?x4x!quant.uniform<u8:f32, 0.25:128>>, tensor<4x2x!quant.uniform<i8:f32, 0.125>>) -> tensor<?x2xi32>
  // CHECK: mc.qmatmul %[[A]], %[[P]] : (tensor<?x4x!quant.uniform<u8:f32, 2.500000e-01:128>>, tensor<4x2x!quant.uniform<i8:f32:1, {5.000000e-01,2.500000e-01}>>) -> tensor<?x2xi32>
  %1 = mc.qmatmul %a, %p : (tensor<?x4x!quant.uniform<u8:f32, 0.25:128>>, tensor<4x2x!quant.uniform<i8:f32:1, {0.5, 0.25}>>) -> tensor<?x2xi32>
  // CHECK: mc.qmatmul %[[V]], %[[P]] : (tensor<4x!quant.uniform<i8:f32, 5.000000e-01>>, tensor<4x2x!quant.uniform<i8:f32:1, {5.000000e-01,2.500000e-01}>>) -> tensor<2xi32>
  %2 = mc.qmatmul %v, %p : (tensor<4x!quant.uniform<i8:f32, 0.5>>, tensor<4x2x!quant.uniform<i8:f32:1, {0.5, 0.25}>>) -> tensor<2xi32>
  return
}

// mc.requantize in the scale form (per tensor and per axis) and in the
// multiplier/shift form (per tensor and per axis).
// CHECK-LABEL: func.func @requantize
// CHECK-SAME: (%[[ACC:[^:]+]]: tensor<?x2x4x4xi32>, %[[ACC2:[^:]+]]: tensor<?x10xi32>)
func.func @requantize(%acc: tensor<?x2x4x4xi32>, %acc2: tensor<?x10xi32>) {
  // CHECK: mc.requantize %[[ACC]] {axis = 1 : i64, scale = array<f64: 4.000000e-03, 5.000000e-03>} : tensor<?x2x4x4xi32> -> tensor<?x2x4x4x!quant.uniform<u8:f32, 5.000000e-02>>
  %0 = mc.requantize %acc {axis = 1 : i64, scale = array<f64: 0.004, 0.005>} : tensor<?x2x4x4xi32> -> tensor<?x2x4x4x!quant.uniform<u8:f32, 0.05>>
  // CHECK: mc.requantize %[[ACC2]] {scale = array<f64: 1.250000e-01>} : tensor<?x10xi32> -> tensor<?x10x!quant.uniform<i8:f32, 1.000000e-01:-3>>
  %1 = mc.requantize %acc2 {scale = array<f64: 0.125>} : tensor<?x10xi32> -> tensor<?x10x!quant.uniform<i8:f32, 0.1:-3>>
  // CHECK: mc.requantize %[[ACC2]] {multiplier = array<i32: 1073741824>, shift = array<i8: 31>} : tensor<?x10xi32> -> tensor<?x10x!quant.uniform<i8:f32, 1.000000e-01:-3>>
  %2 = mc.requantize %acc2 {multiplier = array<i32: 1073741824>, shift = array<i8: 31>} : tensor<?x10xi32> -> tensor<?x10x!quant.uniform<i8:f32, 0.1:-3>>
  // CHECK: mc.requantize %[[ACC]] {axis = 1 : i64, multiplier = array<i32: 1073741824, 2147483647>, shift = array<i8: 40, -2>} : tensor<?x2x4x4xi32> -> tensor<?x2x4x4x!quant.uniform<u8:f32, 5.000000e-02>>
  %3 = mc.requantize %acc {axis = 1 : i64, multiplier = array<i32: 1073741824, 2147483647>, shift = array<i8: 40, -2>} : tensor<?x2x4x4xi32> -> tensor<?x2x4x4x!quant.uniform<u8:f32, 0.05>>
  return
}

{-#
  dialect_resources: {
    builtin: {
      ops_blob: "0x040000000000803F00000040"
    }
  }
#-}
