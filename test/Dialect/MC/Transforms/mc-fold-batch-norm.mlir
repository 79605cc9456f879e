// RUN: mc-opt %s -split-input-file --mc-fold-batch-norm | FileCheck %s

// mc-fold-batch-norm: k = scale / sqrt(var + eps), W' = W * k per output
// channel, b' = (b - mean) * k + beta. Folded tensors of at most 16 elements
// are dense literals, so the values are checked exactly.

// conv2d with a bias. eps = 0.75 makes sqrt(var + eps) = [2, 1], so
// k = [3 / 2, 0.5 / 1] = [1.5, 0.5]:
//   W'[0] = [1, 2, 3, 4] * 1.5, W'[1] = [5, 6, 7, 8] * 0.5
//   b' = [(0.5 - 1) * 1.5 + 0.1, (-1 + 2) * 0.5 + 0.2] = [-0.65, 0.7]
// CHECK-LABEL: func.func @conv_with_bias
// CHECK-SAME: (%[[X:[^:]+]]: tensor<?x1x3x3xf32>)
// CHECK-DAG: %[[W:.+]] = mc.constant dense<{{\[\[\[\[}}1.500000e+00, 3.000000e+00], [4.500000e+00, 6.000000e+00]]], {{\[\[\[}}2.500000e+00, 3.000000e+00], [3.500000e+00, 4.000000e+00]]]]> : tensor<2x1x2x2xf32>
// CHECK-DAG: %[[B:.+]] = mc.constant dense<[-6.500000e-01, 0.699999988]> : tensor<2xf32>
// CHECK: %[[C:.+]] = mc.conv2d %[[X]], %[[W]], %[[B]] : (tensor<?x1x3x3xf32>, tensor<2x1x2x2xf32>, tensor<2xf32>) -> tensor<?x2x2x2xf32>
// CHECK-NOT: mc.batch_norm
// CHECK: return %[[C]]
func.func @conv_with_bias(%x: tensor<?x1x3x3xf32>) -> tensor<?x2x2x2xf32> {
  %w = mc.constant dense<[[[[1.0, 2.0], [3.0, 4.0]]], [[[5.0, 6.0], [7.0, 8.0]]]]> : tensor<2x1x2x2xf32>
  %b = mc.constant dense<[0.5, -1.0]> : tensor<2xf32>
  %g = mc.constant dense<[3.0, 0.5]> : tensor<2xf32>
  %beta = mc.constant dense<[0.1, 0.2]> : tensor<2xf32>
  %m = mc.constant dense<[1.0, -2.0]> : tensor<2xf32>
  %v = mc.constant dense<[3.25, 0.25]> : tensor<2xf32>
  %c = mc.conv2d %x, %w, %b : (tensor<?x1x3x3xf32>, tensor<2x1x2x2xf32>, tensor<2xf32>) -> tensor<?x2x2x2xf32>
  %y = mc.batch_norm %c, %g, %beta, %m, %v {epsilon = 0.75 : f32} : tensor<?x2x2x2xf32>, tensor<2xf32>, tensor<2xf32>, tensor<2xf32>, tensor<2xf32>
  return %y : tensor<?x2x2x2xf32>
}

// -----

// conv2d without a bias gains one (b = 0), with the default eps = 1e-5 and
// the window attributes kept:
//   k = [1 / sqrt(1 + 1e-5), 2 / sqrt(4 + 1e-5)] = [0.999995, 0.99999875]
//   W' = [[1, -1] * k0, [2, 0.5] * k1]
//   b' = [(0 - 0.5) * k0 + 0, (0 + 1) * k1 + 1] = [-0.4999975, 1.99999875]
// CHECK-LABEL: func.func @conv_without_bias
// CHECK-SAME: (%[[X:[^:]+]]: tensor<?x2x4x4xf32>)
// CHECK-DAG: %[[W:.+]] = mc.constant dense<{{\[\[\[\[}}0.999994993]], {{\[\[}}-0.999994993]]], {{\[\[\[}}1.9999975]], {{\[\[}}0.499999374]]]]> : tensor<2x2x1x1xf32>
// CHECK-DAG: %[[B:.+]] = mc.constant dense<[-0.499997497, 1.99999881]> : tensor<2xf32>
// CHECK: %[[C:.+]] = mc.conv2d %[[X]], %[[W]], %[[B]] {pads = array<i64: 1, 1, 1, 1>, strides = array<i64: 2, 2>} : (tensor<?x2x4x4xf32>, tensor<2x2x1x1xf32>, tensor<2xf32>) -> tensor<?x2x3x3xf32>
// CHECK-NOT: mc.batch_norm
// CHECK: return %[[C]]
func.func @conv_without_bias(%x: tensor<?x2x4x4xf32>) -> tensor<?x2x3x3xf32> {
  %w = mc.constant dense<[[[[1.0]], [[-1.0]]], [[[2.0]], [[0.5]]]]> : tensor<2x2x1x1xf32>
  %g = mc.constant dense<[1.0, 2.0]> : tensor<2xf32>
  %beta = mc.constant dense<[0.0, 1.0]> : tensor<2xf32>
  %m = mc.constant dense<[0.5, -1.0]> : tensor<2xf32>
  %v = mc.constant dense<[1.0, 4.0]> : tensor<2xf32>
  %c = mc.conv2d %x, %w {strides = array<i64: 2, 2>, pads = array<i64: 1, 1, 1, 1>} : (tensor<?x2x4x4xf32>, tensor<2x2x1x1xf32>) -> tensor<?x2x3x3xf32>
  %y = mc.batch_norm %c, %g, %beta, %m, %v : tensor<?x2x3x3xf32>, tensor<2xf32>, tensor<2xf32>, tensor<2xf32>, tensor<2xf32>
  return %y : tensor<?x2x3x3xf32>
}

// -----

// linear on a 2-D input: the feature axis is axis 1. eps = 0 and var = [4, 1]
// give k = [4 / 2, -1 / 1] = [2, -1]:
//   W' = [[1, 2, 3] * 2, [4, 5, 6] * -1]
//   b' = [(1 - 1) * 2 + 0.5, (1 - 2) * -1 + 0.5] = [0.5, 1.5]
// CHECK-LABEL: func.func @linear
// CHECK-SAME: (%[[X:[^:]+]]: tensor<?x3xf32>)
// CHECK-DAG: %[[W:.+]] = mc.constant dense<{{\[\[}}2.000000e+00, 4.000000e+00, 6.000000e+00], [-4.000000e+00, -5.000000e+00, -6.000000e+00]]> : tensor<2x3xf32>
// CHECK-DAG: %[[B:.+]] = mc.constant dense<[5.000000e-01, 1.500000e+00]> : tensor<2xf32>
// CHECK: %[[L:.+]] = mc.linear %[[X]], %[[W]], %[[B]] : (tensor<?x3xf32>, tensor<2x3xf32>, tensor<2xf32>) -> tensor<?x2xf32>
// CHECK-NOT: mc.batch_norm
// CHECK: return %[[L]]
func.func @linear(%x: tensor<?x3xf32>) -> tensor<?x2xf32> {
  %w = mc.constant dense<[[1.0, 2.0, 3.0], [4.0, 5.0, 6.0]]> : tensor<2x3xf32>
  %b = mc.constant dense<1.0> : tensor<2xf32>
  %g = mc.constant dense<[4.0, -1.0]> : tensor<2xf32>
  %beta = mc.constant dense<0.5> : tensor<2xf32>
  %m = mc.constant dense<[1.0, 2.0]> : tensor<2xf32>
  %v = mc.constant dense<[4.0, 1.0]> : tensor<2xf32>
  %l = mc.linear %x, %w, %b : (tensor<?x3xf32>, tensor<2x3xf32>, tensor<2xf32>) -> tensor<?x2xf32>
  %y = mc.batch_norm %l, %g, %beta, %m, %v {epsilon = 0.0 : f32} : tensor<?x2xf32>, tensor<2xf32>, tensor<2xf32>, tensor<2xf32>, tensor<2xf32>
  return %y : tensor<?x2xf32>
}

// -----

// A folded weight of more than 16 elements becomes a dense_resource blob
// named after the layer's location; the 4-element bias stays a literal.
// k = scale = [1, 2, 0.5, -1] (var = 1, eps = 0), b' = beta - mean * k.
// CHECK-LABEL: func.func @conv_resource
// CHECK-DAG: %[[W:.+]] = mc.constant dense_resource<conv1.weight> : tensor<4x1x3x3xf32>
// CHECK-DAG: %[[B:.+]] = mc.constant dense<[-1.000000e+00, -2.000000e+00, -5.000000e-01, 1.000000e+00]> : tensor<4xf32>
// CHECK: mc.conv2d %{{.+}}, %[[W]], %[[B]]
// CHECK-NOT: mc.batch_norm
// Nine copies each of 1.0, 2.0, 0.5 and -1.0 (little-endian f32).
// CHECK: conv1.weight: "0x04000000{{(0000803F){9}(00000040){9}(0000003F){9}(000080BF){9}"}}
func.func @conv_resource(%x: tensor<?x1x5x5xf32>) -> tensor<?x4x3x3xf32> {
  %w = mc.constant dense<1.0> : tensor<4x1x3x3xf32>
  %g = mc.constant dense<[1.0, 2.0, 0.5, -1.0]> : tensor<4xf32>
  %beta = mc.constant dense<0.0> : tensor<4xf32>
  %m = mc.constant dense<1.0> : tensor<4xf32>
  %v = mc.constant dense<1.0> : tensor<4xf32>
  %c = mc.conv2d %x, %w : (tensor<?x1x5x5xf32>, tensor<4x1x3x3xf32>) -> tensor<?x4x3x3xf32> loc("conv1")
  %y = mc.batch_norm %c, %g, %beta, %m, %v {epsilon = 0.0 : f32} : tensor<?x4x3x3xf32>, tensor<4xf32>, tensor<4xf32>, tensor<4xf32>, tensor<4xf32>
  return %y : tensor<?x4x3x3xf32>
}

// -----

// Batch norm parameters that are not constants are not folded.
// CHECK-LABEL: func.func @non_constant_params
// CHECK-SAME: (%[[X:[^:]+]]: tensor<?x2xf32>, %[[G:[^:]+]]: tensor<2xf32>)
// CHECK: %[[W:.+]] = mc.constant
// CHECK: %[[L:.+]] = mc.linear %[[X]], %[[W]] :
// CHECK: mc.batch_norm %[[L]], %[[G]]
func.func @non_constant_params(%x: tensor<?x2xf32>, %g: tensor<2xf32>) -> tensor<?x2xf32> {
  %w = mc.constant dense<1.0> : tensor<2x2xf32>
  %p = mc.constant dense<0.5> : tensor<2xf32>
  %l = mc.linear %x, %w : (tensor<?x2xf32>, tensor<2x2xf32>) -> tensor<?x2xf32>
  %y = mc.batch_norm %l, %g, %p, %p, %p : tensor<?x2xf32>, tensor<2xf32>, tensor<2xf32>, tensor<2xf32>, tensor<2xf32>
  return %y : tensor<?x2xf32>
}

// -----

// A weight that is not a constant is not folded.
// CHECK-LABEL: func.func @non_constant_weight
// CHECK-SAME: (%[[X:[^:]+]]: tensor<?x1x2x2xf32>, %[[W:[^:]+]]: tensor<2x1x1x1xf32>)
// CHECK: %[[C:.+]] = mc.conv2d %[[X]], %[[W]] :
// CHECK: mc.batch_norm %[[C]]
func.func @non_constant_weight(%x: tensor<?x1x2x2xf32>, %w: tensor<2x1x1x1xf32>) -> tensor<?x2x2x2xf32> {
  %p = mc.constant dense<1.0> : tensor<2xf32>
  %c = mc.conv2d %x, %w : (tensor<?x1x2x2xf32>, tensor<2x1x1x1xf32>) -> tensor<?x2x2x2xf32>
  %y = mc.batch_norm %c, %p, %p, %p, %p : tensor<?x2x2x2xf32>, tensor<2xf32>, tensor<2xf32>, tensor<2xf32>, tensor<2xf32>
  return %y : tensor<?x2x2x2xf32>
}

// -----

// A layer bias that is not a constant is not folded.
// CHECK-LABEL: func.func @non_constant_bias
// CHECK-SAME: (%[[X:[^:]+]]: tensor<?x2xf32>, %[[B:[^:]+]]: tensor<2xf32>)
// CHECK: %[[W:.+]] = mc.constant
// CHECK: %[[L:.+]] = mc.linear %[[X]], %[[W]], %[[B]] :
// CHECK: mc.batch_norm %[[L]]
func.func @non_constant_bias(%x: tensor<?x2xf32>, %b: tensor<2xf32>) -> tensor<?x2xf32> {
  %w = mc.constant dense<1.0> : tensor<2x2xf32>
  %p = mc.constant dense<0.5> : tensor<2xf32>
  %l = mc.linear %x, %w, %b : (tensor<?x2xf32>, tensor<2x2xf32>, tensor<2xf32>) -> tensor<?x2xf32>
  %y = mc.batch_norm %l, %p, %p, %p, %p : tensor<?x2xf32>, tensor<2xf32>, tensor<2xf32>, tensor<2xf32>, tensor<2xf32>
  return %y : tensor<?x2xf32>
}

// -----

// A conv whose result has a second user keeps its weights: folding would
// change what that user sees.
// CHECK-LABEL: func.func @conv_second_user
// CHECK-SAME: (%[[X:[^:]+]]: tensor<?x1x2x2xf32>)
// CHECK: %[[W:.+]] = mc.constant dense<2.000000e+00> : tensor<2x1x1x1xf32>
// CHECK: %[[C:.+]] = mc.conv2d %[[X]], %[[W]] :
// CHECK: %[[Y:.+]] = mc.batch_norm %[[C]]
// CHECK: return %[[Y]], %[[C]]
func.func @conv_second_user(%x: tensor<?x1x2x2xf32>) -> (tensor<?x2x2x2xf32>, tensor<?x2x2x2xf32>) {
  %w = mc.constant dense<2.0> : tensor<2x1x1x1xf32>
  %p = mc.constant dense<1.0> : tensor<2xf32>
  %c = mc.conv2d %x, %w : (tensor<?x1x2x2xf32>, tensor<2x1x1x1xf32>) -> tensor<?x2x2x2xf32>
  %y = mc.batch_norm %c, %p, %p, %p, %p : tensor<?x2x2x2xf32>, tensor<2xf32>, tensor<2xf32>, tensor<2xf32>, tensor<2xf32>
  return %y, %c : tensor<?x2x2x2xf32>, tensor<?x2x2x2xf32>
}

// -----

// On a 3-D linear result, batch norm's axis 1 is not the feature axis
// (here both have size 2), so nothing is folded.
// CHECK-LABEL: func.func @linear_3d
// CHECK-SAME: (%[[X:[^:]+]]: tensor<?x2x2xf32>)
// CHECK: %[[W:.+]] = mc.constant dense<{{\[\[}}1.000000e+00, 2.000000e+00], [3.000000e+00, 4.000000e+00]]> : tensor<2x2xf32>
// CHECK: %[[L:.+]] = mc.linear %[[X]], %[[W]] :
// CHECK: mc.batch_norm %[[L]]
func.func @linear_3d(%x: tensor<?x2x2xf32>) -> tensor<?x2x2xf32> {
  %w = mc.constant dense<[[1.0, 2.0], [3.0, 4.0]]> : tensor<2x2xf32>
  %p = mc.constant dense<[1.0, 2.0]> : tensor<2xf32>
  %l = mc.linear %x, %w : (tensor<?x2x2xf32>, tensor<2x2xf32>) -> tensor<?x2x2xf32>
  %y = mc.batch_norm %l, %p, %p, %p, %p : tensor<?x2x2xf32>, tensor<2xf32>, tensor<2xf32>, tensor<2xf32>, tensor<2xf32>
  return %y : tensor<?x2x2xf32>
}

// -----

// Only f32 layers are folded.
// CHECK-LABEL: func.func @f16
// CHECK: mc.batch_norm
func.func @f16(%x: tensor<?x2xf16>) -> tensor<?x2xf16> {
  %w = mc.constant dense<1.0> : tensor<2x2xf16>
  %p = mc.constant dense<1.0> : tensor<2xf16>
  %l = mc.linear %x, %w : (tensor<?x2xf16>, tensor<2x2xf16>) -> tensor<?x2xf16>
  %y = mc.batch_norm %l, %p, %p, %p, %p : tensor<?x2xf16>, tensor<2xf16>, tensor<2xf16>, tensor<2xf16>, tensor<2xf16>
  return %y : tensor<?x2xf16>
}

// -----

// A batch norm after another op (here a relu) is left alone.
// CHECK-LABEL: func.func @other_producer
// CHECK: mc.relu
// CHECK: mc.batch_norm
func.func @other_producer(%x: tensor<?x2xf32>) -> tensor<?x2xf32> {
  %p = mc.constant dense<1.0> : tensor<2xf32>
  %r = mc.relu %x : tensor<?x2xf32>
  %y = mc.batch_norm %r, %p, %p, %p, %p : tensor<?x2xf32>, tensor<2xf32>, tensor<2xf32>, tensor<2xf32>, tensor<2xf32>
  return %y : tensor<?x2xf32>
}
