// RUN: mc-opt %s --mc-cpu-conv-to-matmul | FileCheck %s

// A 3x3 NCHW convolution with a dynamic batch: the patches [N, C*9, OH, OW]
// are gathered by a linalg.generic (row oh + kh, column ow + kw of channel
// k floordiv 9; along ow the reads are contiguous), collapsed to
// [N, C*9, OH*OW], and a linalg.contract over k multiplies them by the
// [F, C*9] filter into the collapsed output, expanded back to NCHW.
// CHECK-DAG: #[[CH:.+]] = affine_map<(d0, d1, d2) -> (d0 floordiv 9)>
// CHECK-DAG: #[[ROW:.+]] = affine_map<(d0, d1, d2) -> (d1 + (d0 floordiv 3) mod 3)>
// CHECK-DAG: #[[COL:.+]] = affine_map<(d0, d1, d2) -> (d2 + d0 mod 3)>
// CHECK-LABEL: func.func @conv(
// CHECK-SAME: %[[X:.+]]: tensor<?x2x6x6xf32>, %[[W:.+]]: tensor<4x2x3x3xf32>, %[[INIT:.+]]: tensor<?x4x4x4xf32>)
// CHECK: %[[N:.+]] = tensor.dim %[[X]], %c0
// CHECK: %[[E:.+]] = tensor.empty(%[[N]]) : tensor<?x18x4x4xf32>
// CHECK: %[[P:.+]] = linalg.generic {{.*}} outs(%[[E]] : tensor<?x18x4x4xf32>)
// CHECK:   %[[C:.+]] = affine.apply #[[CH]](
// CHECK:   %[[H:.+]] = affine.apply #[[ROW]](
// CHECK:   %[[V:.+]] = affine.apply #[[COL]](
// CHECK:   tensor.extract %[[X]][%{{.+}}, %[[C]], %[[H]], %[[V]]] : tensor<?x2x6x6xf32>
// CHECK: %[[PM:.+]] = tensor.collapse_shape %[[P]] {{\[}}[0], [1], [2, 3]] : tensor<?x18x4x4xf32> into tensor<?x18x16xf32>
// CHECK: %[[WM:.+]] = tensor.collapse_shape %[[W]] {{\[}}[0], [1, 2, 3]] : tensor<4x2x3x3xf32> into tensor<4x18xf32>
// CHECK: %[[IM:.+]] = tensor.collapse_shape %[[INIT]] {{\[}}[0], [1], [2, 3]] : tensor<?x4x4x4xf32> into tensor<?x4x16xf32>
// CHECK: %[[R:.+]] = linalg.contract {{.*}} ins(%[[WM]], %[[PM]] : tensor<4x18xf32>, tensor<?x18x16xf32>) outs(%[[IM]] : tensor<?x4x16xf32>)
// CHECK: tensor.expand_shape %[[R]] {{\[}}[0], [1], [2, 3]]{{.*}} : tensor<?x4x16xf32> into tensor<?x4x4x4xf32>
// CHECK-NOT: linalg.conv_2d_nchw_fchw
func.func @conv(%x: tensor<?x2x6x6xf32>, %w: tensor<4x2x3x3xf32>, %init: tensor<?x4x4x4xf32>) -> tensor<?x4x4x4xf32> {
  %0 = linalg.conv_2d_nchw_fchw {dilations = dense<1> : tensor<2xi64>, strides = dense<1> : tensor<2xi64>} ins(%x, %w : tensor<?x2x6x6xf32>, tensor<4x2x3x3xf32>) outs(%init : tensor<?x4x4x4xf32>) -> tensor<?x4x4x4xf32>
  return %0 : tensor<?x4x4x4xf32>
}

// A bias broadcast along N, OH and OW as the initial value (how the mc
// lowering writes a convolution's bias) is rebuilt as a broadcast into the
// collapsed [N, F, OH*OW] shape, not collapsed: tile-and-vectorize then fuses
// it into the register tiles. A fill is rebuilt the same way.
// CHECK-LABEL: func.func @conv_bias(
// CHECK-SAME: %[[X:.+]]: tensor<?x2x6x6xf32>, %[[W:.+]]: tensor<4x2x3x3xf32>, %[[BIAS:.+]]: tensor<4xf32>)
// CHECK: %[[PM:.+]] = tensor.collapse_shape %{{.+}} {{\[}}[0], [1], [2, 3]] : tensor<?x18x4x4xf32> into tensor<?x18x16xf32>
// CHECK: %[[E:.+]] = tensor.empty(%{{.+}}) : tensor<?x4x16xf32>
// CHECK: %[[B:.+]] = linalg.broadcast ins(%[[BIAS]] : tensor<4xf32>) outs(%[[E]] : tensor<?x4x16xf32>) dimensions = [0, 2]
// CHECK: linalg.contract {{.*}} outs(%[[B]] : tensor<?x4x16xf32>)
// CHECK-LABEL: func.func @conv_fill(
// CHECK: %[[E:.+]] = tensor.empty(%{{.+}}) : tensor<?x4x16xf32>
// CHECK: %[[F:.+]] = linalg.fill ins(%{{.+}} : f32) outs(%[[E]] : tensor<?x4x16xf32>)
// CHECK: linalg.contract {{.*}} outs(%[[F]] : tensor<?x4x16xf32>)
func.func @conv_bias(%x: tensor<?x2x6x6xf32>, %w: tensor<4x2x3x3xf32>, %bias: tensor<4xf32>) -> tensor<?x4x4x4xf32> {
  %c0 = arith.constant 0 : index
  %n = tensor.dim %x, %c0 : tensor<?x2x6x6xf32>
  %e = tensor.empty(%n) : tensor<?x4x4x4xf32>
  %init = linalg.broadcast ins(%bias : tensor<4xf32>) outs(%e : tensor<?x4x4x4xf32>) dimensions = [0, 2, 3]
  %0 = linalg.conv_2d_nchw_fchw {dilations = dense<1> : tensor<2xi64>, strides = dense<1> : tensor<2xi64>} ins(%x, %w : tensor<?x2x6x6xf32>, tensor<4x2x3x3xf32>) outs(%init : tensor<?x4x4x4xf32>) -> tensor<?x4x4x4xf32>
  return %0 : tensor<?x4x4x4xf32>
}
func.func @conv_fill(%x: tensor<?x2x6x6xf32>, %w: tensor<4x2x3x3xf32>) -> tensor<?x4x4x4xf32> {
  %c0 = arith.constant 0 : index
  %zero = arith.constant 0.0 : f32
  %n = tensor.dim %x, %c0 : tensor<?x2x6x6xf32>
  %e = tensor.empty(%n) : tensor<?x4x4x4xf32>
  %init = linalg.fill ins(%zero : f32) outs(%e : tensor<?x4x4x4xf32>) -> tensor<?x4x4x4xf32>
  %0 = linalg.conv_2d_nchw_fchw {dilations = dense<1> : tensor<2xi64>, strides = dense<1> : tensor<2xi64>} ins(%x, %w : tensor<?x2x6x6xf32>, tensor<4x2x3x3xf32>) outs(%init : tensor<?x4x4x4xf32>) -> tensor<?x4x4x4xf32>
  return %0 : tensor<?x4x4x4xf32>
}
