// RUN: mc-opt %s -split-input-file --mc-prune="pattern=channel" 2>/dev/null | FileCheck %s

// mc-prune pattern=channel (sparsity 0.5): each layer loses the
// round(0.5 * F) output channels with the smallest weight L2 norm (ties:
// lower index first) and physically shrinks, with its bias and its
// consumers. Layers are visited in program order; a layer whose output
// reaches the function's results or an op that cannot drop channels stays
// as it is (the remark is tested in mc-prune-invalid.mlir).

// conv -> batch_norm -> relu -> max_pool -> conv. conv1's filter norms are
// [1, 0.1, 3, 0.2]: filters 1 and 3 go, with their bias entries, the four
// batch-norm parameters and input channels 1 and 3 of conv2. conv2 itself
// feeds the results and stays at 2 filters.
// CHECK-LABEL: func.func @conv_bn_relu_pool_conv
// CHECK-DAG: %[[C0:.+]] = mc.constant dense<{{\[\[\[\[}}1.000000e+00]]], {{\[\[\[}}-3.000000e+00]]]]> : tensor<2x1x1x1xf32>
// CHECK-DAG: %[[C1:.+]] = mc.constant dense<[1.000000e+00, 3.000000e+00]> : tensor<2xf32>
// CHECK: mc.conv2d %{{.+}}, %[[C0]], %[[C1]] : (tensor<?x1x6x6xf32>, tensor<2x1x1x1xf32>, tensor<2xf32>) -> tensor<?x2x6x6xf32>
// CHECK-DAG: %[[C2:.+]] = mc.constant dense<[1.000000e+00, 3.000000e+00]> : tensor<2xf32>
// CHECK-DAG: %[[C3:.+]] = mc.constant dense<[1.000000e-01, 3.000000e-01]> : tensor<2xf32>
// CHECK-DAG: %[[C4:.+]] = mc.constant dense<[-1.000000e+00, -3.000000e+00]> : tensor<2xf32>
// CHECK-DAG: %[[C5:.+]] = mc.constant dense<[5.000000e+00, 7.000000e+00]> : tensor<2xf32>
// CHECK: mc.batch_norm %{{.+}}, %[[C2]], %[[C3]], %[[C4]], %[[C5]] : tensor<?x2x6x6xf32>, tensor<2xf32>, tensor<2xf32>, tensor<2xf32>, tensor<2xf32>
// CHECK: mc.relu %{{.+}} : tensor<?x2x6x6xf32>
// CHECK: mc.max_pool2d %{{.+}} {kernel = array<i64: 2, 2>, strides = array<i64: 2, 2>} : (tensor<?x2x6x6xf32>) -> tensor<?x2x3x3xf32>
// CHECK-DAG: %[[C6:.+]] = mc.constant dense<{{\[\[\[\[}}1.000000e+00]], {{\[\[}}3.000000e+00]]], {{\[\[\[}}5.000000e+00]], {{\[\[}}7.000000e+00]]]]> : tensor<2x2x1x1xf32>
// CHECK: mc.conv2d %{{.+}}, %[[C6]] {mc.calib_col_norm = dense<{{\[\[\[}}5.000000e-01]], {{\[\[}}2.500000e+00]]]> : tensor<2x1x1xf32>} : (tensor<?x2x3x3xf32>, tensor<2x2x1x1xf32>) -> tensor<?x2x3x3xf32>
// CHECK: return
func.func @conv_bn_relu_pool_conv(%x: tensor<?x1x6x6xf32>) -> tensor<?x2x3x3xf32> {
  %w1 = mc.constant dense<[[[[1.0]]], [[[0.1]]], [[[-3.0]]], [[[0.2]]]]> : tensor<4x1x1x1xf32>
  %b1 = mc.constant dense<[1.0, 2.0, 3.0, 4.0]> : tensor<4xf32>
  %c1 = mc.conv2d %x, %w1, %b1 : (tensor<?x1x6x6xf32>, tensor<4x1x1x1xf32>, tensor<4xf32>) -> tensor<?x4x6x6xf32>
  %g = mc.constant dense<[1.0, 2.0, 3.0, 4.0]> : tensor<4xf32>
  %beta = mc.constant dense<[0.1, 0.2, 0.3, 0.4]> : tensor<4xf32>
  %m = mc.constant dense<[-1.0, -2.0, -3.0, -4.0]> : tensor<4xf32>
  %v = mc.constant dense<[5.0, 6.0, 7.0, 8.0]> : tensor<4xf32>
  %n = mc.batch_norm %c1, %g, %beta, %m, %v : tensor<?x4x6x6xf32>, tensor<4xf32>, tensor<4xf32>, tensor<4xf32>, tensor<4xf32>
  %r = mc.relu %n : tensor<?x4x6x6xf32>
  %p = mc.max_pool2d %r {kernel = array<i64: 2, 2>, strides = array<i64: 2, 2>} : (tensor<?x4x6x6xf32>) -> tensor<?x4x3x3xf32>
  %w2 = mc.constant dense<[[[[1.0]], [[2.0]], [[3.0]], [[4.0]]], [[[5.0]], [[6.0]], [[7.0]], [[8.0]]]]> : tensor<2x4x1x1xf32>
  %c2 = mc.conv2d %p, %w2 {mc.calib_col_norm = dense<[[[0.5]], [[1.5]], [[2.5]], [[3.5]]]> : tensor<4x1x1xf32>} : (tensor<?x4x3x3xf32>, tensor<2x4x1x1xf32>) -> tensor<?x2x3x3xf32>
  return %c2 : tensor<?x2x3x3xf32>
}

// -----

// conv -> flatten -> linear: conv's filter norms are [2, 1]; filter 1 goes, and
// with it the linear layer's input columns 4..7 (channel 1's 2x2 block in
// C*H*W order).
// CHECK-LABEL: func.func @conv_flatten_linear
// CHECK-DAG: %[[C0:.+]] = mc.constant dense<2.000000e+00> : tensor<1x1x1x1xf32>
// CHECK: mc.conv2d %{{.+}}, %[[C0]] : (tensor<?x1x2x2xf32>, tensor<1x1x1x1xf32>) -> tensor<?x1x2x2xf32>
// CHECK: mc.flatten %{{.+}} : (tensor<?x1x2x2xf32>) -> tensor<?x4xf32>
// CHECK-DAG: %[[C1:.+]] = mc.constant dense<{{\[\[}}1.000000e+00, 2.000000e+00, 3.000000e+00, 4.000000e+00], [-1.000000e+00, -2.000000e+00, -3.000000e+00, -4.000000e+00]]> : tensor<2x4xf32>
// CHECK: mc.linear %{{.+}}, %[[C1]] : (tensor<?x4xf32>, tensor<2x4xf32>) -> tensor<?x2xf32>
// CHECK: return
func.func @conv_flatten_linear(%x: tensor<?x1x2x2xf32>) -> tensor<?x2xf32> {
  %w1 = mc.constant dense<[[[[2.0]]], [[[-1.0]]]]> : tensor<2x1x1x1xf32>
  %c = mc.conv2d %x, %w1 : (tensor<?x1x2x2xf32>, tensor<2x1x1x1xf32>) -> tensor<?x2x2x2xf32>
  %f = mc.flatten %c : (tensor<?x2x2x2xf32>) -> tensor<?x8xf32>
  %w2 = mc.constant dense<[[1.0, 2.0, 3.0, 4.0, 5.0, 6.0, 7.0, 8.0], [-1.0, -2.0, -3.0, -4.0, -5.0, -6.0, -7.0, -8.0]]> : tensor<2x8xf32>
  %y = mc.linear %f, %w2 : (tensor<?x8xf32>, tensor<2x8xf32>) -> tensor<?x2xf32>
  return %y : tensor<?x2xf32>
}

// -----

// A flattening mc.reshape works like mc.flatten.
// CHECK-LABEL: func.func @conv_reshape_linear
// CHECK-DAG: %[[C0:.+]] = mc.constant dense<2.000000e+00> : tensor<1x1x1x1xf32>
// CHECK: mc.conv2d %{{.+}}, %[[C0]] : (tensor<?x1x2x2xf32>, tensor<1x1x1x1xf32>) -> tensor<?x1x2x2xf32>
// CHECK: mc.reshape %{{.+}} : tensor<?x1x2x2xf32> -> tensor<?x4xf32>
// CHECK-DAG: %[[C1:.+]] = mc.constant dense<{{\[\[}}5.000000e+00, 6.000000e+00, 7.000000e+00, 8.000000e+00], [-5.000000e+00, -6.000000e+00, -7.000000e+00, -8.000000e+00]]> : tensor<2x4xf32>
// CHECK: mc.linear %{{.+}}, %[[C1]] : (tensor<?x4xf32>, tensor<2x4xf32>) -> tensor<?x2xf32>
// CHECK: return
func.func @conv_reshape_linear(%x: tensor<?x1x2x2xf32>) -> tensor<?x2xf32> {
  %w1 = mc.constant dense<[[[[-1.0]]], [[[2.0]]]]> : tensor<2x1x1x1xf32>
  %c = mc.conv2d %x, %w1 : (tensor<?x1x2x2xf32>, tensor<2x1x1x1xf32>) -> tensor<?x2x2x2xf32>
  %f = mc.reshape %c : tensor<?x2x2x2xf32> -> tensor<?x8xf32>
  %w2 = mc.constant dense<[[1.0, 2.0, 3.0, 4.0, 5.0, 6.0, 7.0, 8.0], [-1.0, -2.0, -3.0, -4.0, -5.0, -6.0, -7.0, -8.0]]> : tensor<2x8xf32>
  %y = mc.linear %f, %w2 : (tensor<?x8xf32>, tensor<2x8xf32>) -> tensor<?x2xf32>
  return %y : tensor<?x2xf32>
}

// -----

// linear -> relu -> linear: row norms [5, 1, sqrt(2)]; round(1.5) = 2 rows go
// (1 and 2), and columns 1 and 2 of the next layer. Its mc.calib_col_norm
// shrinks the same way.
// CHECK-LABEL: func.func @linear_relu_linear
// CHECK-DAG: %[[C0:.+]] = mc.constant dense<{{\[\[}}3.000000e+00, 4.000000e+00]]> : tensor<1x2xf32>
// CHECK-DAG: %[[C1:.+]] = mc.constant dense<5.000000e-01> : tensor<1xf32>
// CHECK: mc.linear %{{.+}}, %[[C0]], %[[C1]] : (tensor<?x2xf32>, tensor<1x2xf32>, tensor<1xf32>) -> tensor<?x1xf32>
// CHECK: mc.relu %{{.+}} : tensor<?x1xf32>
// CHECK-DAG: %[[C2:.+]] = mc.constant dense<{{\[\[}}1.000000e+00], [4.000000e+00]]> : tensor<2x1xf32>
// CHECK: mc.linear %{{.+}}, %[[C2]] {mc.calib_col_norm = dense<7.000000e+00> : tensor<1xf32>} : (tensor<?x1xf32>, tensor<2x1xf32>) -> tensor<?x2xf32>
// CHECK: return
func.func @linear_relu_linear(%x: tensor<?x2xf32>) -> tensor<?x2xf32> {
  %w1 = mc.constant dense<[[3.0, 4.0], [0.0, 1.0], [1.0, -1.0]]> : tensor<3x2xf32>
  %b1 = mc.constant dense<[0.5, 0.25, 0.125]> : tensor<3xf32>
  %h = mc.linear %x, %w1, %b1 : (tensor<?x2xf32>, tensor<3x2xf32>, tensor<3xf32>) -> tensor<?x3xf32>
  %r = mc.relu %h : tensor<?x3xf32>
  %w2 = mc.constant dense<[[1.0, 2.0, 3.0], [4.0, 5.0, 6.0]]> : tensor<2x3xf32>
  %y = mc.linear %r, %w2 {mc.calib_col_norm = dense<[7.0, 8.0, 9.0]> : tensor<3xf32>} : (tensor<?x3xf32>, tensor<2x3xf32>) -> tensor<?x2xf32>
  return %y : tensor<?x2xf32>
}

// -----

// Through a depthwise convolution: conv1 loses filter 0 (norm 1 < 2); the
// depthwise layer (groups = 2) loses channel 0's filter and bias entry and
// becomes groups = 1; conv3 loses input channel 0. conv3 (1 filter) keeps
// its one filter.
// CHECK-LABEL: func.func @depthwise
// CHECK-DAG: %[[C0:.+]] = mc.constant dense<2.000000e+00> : tensor<1x1x1x1xf32>
// CHECK: mc.conv2d %{{.+}}, %[[C0]] : (tensor<?x1x2x2xf32>, tensor<1x1x1x1xf32>) -> tensor<?x1x2x2xf32>
// CHECK-DAG: %[[C1:.+]] = mc.constant dense<2.000000e+01> : tensor<1x1x1x1xf32>
// CHECK-DAG: %[[C2:.+]] = mc.constant dense<-5.000000e-01> : tensor<1xf32>
// CHECK: mc.conv2d %{{.+}}, %[[C1]], %[[C2]] : (tensor<?x1x2x2xf32>, tensor<1x1x1x1xf32>, tensor<1xf32>) -> tensor<?x1x2x2xf32>
// CHECK-DAG: %[[C3:.+]] = mc.constant dense<4.000000e+00> : tensor<1x1x1x1xf32>
// CHECK: mc.conv2d %{{.+}}, %[[C3]] : (tensor<?x1x2x2xf32>, tensor<1x1x1x1xf32>) -> tensor<?x1x2x2xf32>
// CHECK: return
func.func @depthwise(%x: tensor<?x1x2x2xf32>) -> tensor<?x1x2x2xf32> {
  %w1 = mc.constant dense<[[[[1.0]]], [[[2.0]]]]> : tensor<2x1x1x1xf32>
  %c1 = mc.conv2d %x, %w1 : (tensor<?x1x2x2xf32>, tensor<2x1x1x1xf32>) -> tensor<?x2x2x2xf32>
  %wd = mc.constant dense<[[[[10.0]]], [[[20.0]]]]> : tensor<2x1x1x1xf32>
  %bd = mc.constant dense<[0.5, -0.5]> : tensor<2xf32>
  %d = mc.conv2d %c1, %wd, %bd {groups = 2 : i64} : (tensor<?x2x2x2xf32>, tensor<2x1x1x1xf32>, tensor<2xf32>) -> tensor<?x2x2x2xf32>
  %w3 = mc.constant dense<[[[[3.0]], [[4.0]]]]> : tensor<1x2x1x1xf32>
  %c3 = mc.conv2d %d, %w3 : (tensor<?x2x2x2xf32>, tensor<1x2x1x1xf32>) -> tensor<?x1x2x2xf32>
  return %c3 : tensor<?x1x2x2xf32>
}

// -----

// A residual add cannot drop channels of one operand: nothing changes.
// CHECK-LABEL: func.func @residual
// CHECK-DAG: %[[C0:.+]] = mc.constant dense<{{\[\[\[\[}}1.000000e+00]], {{\[\[}}0.000000e+00]]], {{\[\[\[}}0.000000e+00]], {{\[\[}}2.000000e+00]]]]> : tensor<2x2x1x1xf32>
// CHECK: mc.conv2d %{{.+}}, %[[C0]] : (tensor<?x2x2x2xf32>, tensor<2x2x1x1xf32>) -> tensor<?x2x2x2xf32>
// CHECK: mc.add %{{.+}}, %{{.+}} : (tensor<?x2x2x2xf32>, tensor<?x2x2x2xf32>) -> tensor<?x2x2x2xf32>
// CHECK: return
func.func @residual(%x: tensor<?x2x2x2xf32>) -> tensor<?x2x2x2xf32> {
  %w = mc.constant dense<[[[[1.0]], [[0.0]]], [[[0.0]], [[2.0]]]]> : tensor<2x2x1x1xf32>
  %c = mc.conv2d %x, %w : (tensor<?x2x2x2xf32>, tensor<2x2x1x1xf32>) -> tensor<?x2x2x2xf32>
  %y = mc.add %c, %x : (tensor<?x2x2x2xf32>, tensor<?x2x2x2xf32>) -> tensor<?x2x2x2xf32>
  return %y : tensor<?x2x2x2xf32>
}
