// RUN: mc-opt %s -split-input-file --mc-cpu-pretranspose-weights | FileCheck %s

// The [N, K] weight of A * B^T becomes its [K, N] transpose, computed at
// compile time, and the matmul gets the default maps.
// CHECK-LABEL: func.func @linear(
// CHECK-SAME: %[[X:.+]]: tensor<?x3xf32>, %[[INIT:.+]]: tensor<?x2xf32>)
// CHECK: %[[W:.+]] = arith.constant dense<{{\[}}[1.000000e+00, 4.000000e+00], [2.000000e+00, 5.000000e+00], [3.000000e+00, 6.000000e+00]]> : tensor<3x2xf32>
// CHECK: linalg.matmul ins(%[[X]], %[[W]] : tensor<?x3xf32>, tensor<3x2xf32>) outs(%[[INIT]] : tensor<?x2xf32>)
func.func @linear(%x: tensor<?x3xf32>, %init: tensor<?x2xf32>) -> tensor<?x2xf32> {
  %w = arith.constant dense<[[1.0, 2.0, 3.0], [4.0, 5.0, 6.0]]> : tensor<2x3xf32>
  %0 = linalg.matmul indexing_maps = [affine_map<(m, n, k) -> (m, k)>, affine_map<(m, n, k) -> (n, k)>, affine_map<(m, n, k) -> (m, n)>] ins(%x, %w : tensor<?x3xf32>, tensor<2x3xf32>) outs(%init : tensor<?x2xf32>) -> tensor<?x2xf32>
  return %0 : tensor<?x2xf32>
}

// -----

// A weight that is not a constant stays transposed in the map.
// CHECK-LABEL: func.func @not_constant(
// CHECK: linalg.matmul indexing_maps = [#{{.+}}, #{{.+}}, #{{.+}}] ins(%{{.+}}, %{{.+}} : tensor<?x3xf32>, tensor<2x3xf32>)
func.func @not_constant(%x: tensor<?x3xf32>, %w: tensor<2x3xf32>, %init: tensor<?x2xf32>) -> tensor<?x2xf32> {
  %0 = linalg.matmul indexing_maps = [affine_map<(m, n, k) -> (m, k)>, affine_map<(m, n, k) -> (n, k)>, affine_map<(m, n, k) -> (m, n)>] ins(%x, %w : tensor<?x3xf32>, tensor<2x3xf32>) outs(%init : tensor<?x2xf32>) -> tensor<?x2xf32>
  return %0 : tensor<?x2xf32>
}
