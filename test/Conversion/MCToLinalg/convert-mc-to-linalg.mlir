// RUN: mc-opt %s -split-input-file --convert-mc-to-linalg | FileCheck %s
// Every case also lowers all the way to the LLVM dialect, dynamic batch
// included.
// RUN: mc-opt %s -split-input-file --mc-to-llvm | FileCheck %s --check-prefix=LLVM \
// RUN:   --implicit-check-not='{{(^ *|= )"?(mc|linalg|tensor|memref|bufferization|scf|arith|math|affine|cf|func)\.[a-z_]+}}'

// mc.constant becomes arith.constant with the very same attribute; a
// dense_resource blob stays a resource.
// CHECK-LABEL: func.func @constant
// LLVM-LABEL: llvm.func @constant(
// CHECK-DAG: arith.constant dense_resource<w> : tensor<2x2xf32>
// CHECK-DAG: arith.constant dense<[1, -1]> : tensor<2xi64>
// CHECK-NOT: mc.
func.func @constant() -> (tensor<2x2xf32>, tensor<2xi64>) {
  %0 = mc.constant dense_resource<w> : tensor<2x2xf32>
  %1 = mc.constant dense<[1, -1]> : tensor<2xi64>
  return %0, %1 : tensor<2x2xf32>, tensor<2xi64>
}
{-#
  dialect_resources: {
    builtin: {
      w: "0x040000000000803F000000400000404000008040"
    }
  }
#-}

// -----

// mc.linear on a 2-D input with dynamic batch: the bias is broadcast into
// the accumulator and the weight is read transposed by the matmul's maps.
// CHECK-DAG: #[[LHS:.+]] = affine_map<(d0, d1, d2) -> (d0, d2)>
// CHECK-DAG: #[[RHS:.+]] = affine_map<(d0, d1, d2) -> (d1, d2)>
// CHECK-DAG: #[[OUT:.+]] = affine_map<(d0, d1, d2) -> (d0, d1)>
// CHECK-LABEL: func.func @linear_dynamic
// LLVM-LABEL: llvm.func @linear_dynamic(
// CHECK-SAME: (%[[X:.+]]: tensor<?x8xf32>, %[[W:.+]]: tensor<4x8xf32>, %[[B:.+]]: tensor<4xf32>)
// CHECK: %[[N:.+]] = tensor.dim %[[X]], %{{.+}} : tensor<?x8xf32>
// CHECK: %[[E:.+]] = tensor.empty(%[[N]]) : tensor<?x4xf32>
// CHECK: %[[ACC:.+]] = linalg.broadcast ins(%[[B]] : tensor<4xf32>) outs(%[[E]] : tensor<?x4xf32>) dimensions = [0]
// CHECK: linalg.matmul indexing_maps = [#[[LHS]], #[[RHS]], #[[OUT]]] ins(%[[X]], %[[W]] : tensor<?x8xf32>, tensor<4x8xf32>) outs(%[[ACC]] : tensor<?x4xf32>)
func.func @linear_dynamic(%x: tensor<?x8xf32>, %w: tensor<4x8xf32>, %b: tensor<4xf32>) -> tensor<?x4xf32> {
  %y = mc.linear %x, %w, %b : (tensor<?x8xf32>, tensor<4x8xf32>, tensor<4xf32>) -> tensor<?x4xf32>
  return %y : tensor<?x4xf32>
}

// -----

// mc.linear on a 3-D input without bias: leading dimensions are collapsed
// into the rows and expanded back; the accumulator starts at zero.
// CHECK-LABEL: func.func @linear_3d
// LLVM-LABEL: llvm.func @linear_3d(
// CHECK: %[[X2:.+]] = tensor.collapse_shape %{{.+}} {{\[}}[0, 1], [2]] : tensor<?x3x8xf32> into tensor<?x8xf32>
// CHECK: %[[Z:.+]] = linalg.fill
// CHECK: %[[MM:.+]] = linalg.matmul {{.*}} ins(%[[X2]], %{{.+}} : tensor<?x8xf32>, tensor<4x8xf32>) outs(%[[Z]] : tensor<?x4xf32>)
// CHECK: tensor.expand_shape %[[MM]] {{\[}}[0, 1], [2]] output_shape [%{{.+}}, 3, 4] : tensor<?x4xf32> into tensor<?x3x4xf32>
func.func @linear_3d(%x: tensor<?x3x8xf32>, %w: tensor<4x8xf32>) -> tensor<?x3x4xf32> {
  %y = mc.linear %x, %w : (tensor<?x3x8xf32>, tensor<4x8xf32>) -> tensor<?x3x4xf32>
  return %y : tensor<?x3x4xf32>
}

// -----

// mc.linear on a 1-D input: viewed as one row.
// CHECK-LABEL: func.func @linear_vector
// LLVM-LABEL: llvm.func @linear_vector(
// CHECK: tensor.expand_shape %{{.+}} {{\[}}[0, 1]] output_shape [1, 8] : tensor<8xf32> into tensor<1x8xf32>
// CHECK: linalg.matmul
// CHECK: tensor.collapse_shape %{{.+}} {{\[}}[0, 1]] : tensor<1x4xf32> into tensor<4xf32>
func.func @linear_vector(%x: tensor<8xf32>, %w: tensor<4x8xf32>) -> tensor<4xf32> {
  %y = mc.linear %x, %w : (tensor<8xf32>, tensor<4x8xf32>) -> tensor<4xf32>
  return %y : tensor<4xf32>
}

// -----

// Plain 2-D mc.matmul is linalg.matmul.
// CHECK-LABEL: func.func @matmul_2d
// LLVM-LABEL: llvm.func @matmul_2d(
// CHECK: %[[Z:.+]] = linalg.fill
// CHECK: linalg.matmul ins(%{{.+}}, %{{.+}} : tensor<?x8xf32>, tensor<8x5xf32>) outs(%[[Z]] : tensor<?x5xf32>)
func.func @matmul_2d(%a: tensor<?x8xf32>, %b: tensor<8x5xf32>) -> tensor<?x5xf32> {
  %y = mc.matmul %a, %b : (tensor<?x8xf32>, tensor<8x5xf32>) -> tensor<?x5xf32>
  return %y : tensor<?x5xf32>
}

// -----

// A batched lhs times one matrix folds the batch into the rows.
// CHECK-LABEL: func.func @matmul_batch_times_matrix
// LLVM-LABEL: llvm.func @matmul_batch_times_matrix(
// CHECK: tensor.collapse_shape %{{.+}} {{\[}}[0, 1, 2], [3]] : tensor<?x2x3x8xf32> into tensor<?x8xf32>
// CHECK: linalg.matmul
// CHECK: tensor.expand_shape %{{.+}} {{\[}}[0, 1, 2], [3]] output_shape [%{{.+}}, 2, 3, 5] : tensor<?x5xf32> into tensor<?x2x3x5xf32>
// CHECK-NOT: linalg.batch_matmul
func.func @matmul_batch_times_matrix(%a: tensor<?x2x3x8xf32>, %b: tensor<8x5xf32>) -> tensor<?x2x3x5xf32> {
  %y = mc.matmul %a, %b : (tensor<?x2x3x8xf32>, tensor<8x5xf32>) -> tensor<?x2x3x5xf32>
  return %y : tensor<?x2x3x5xf32>
}

// -----

// Broadcast batch dimensions: the stretched unit dimension of the rhs is
// collapsed away and re-added by linalg.broadcast, then the two batch
// dimensions collapse into one for linalg.batch_matmul.
// CHECK-LABEL: func.func @matmul_broadcast
// LLVM-LABEL: llvm.func @matmul_broadcast(
// CHECK-SAME: (%[[A:.+]]: tensor<?x4x3x8xf32>, %[[B:.+]]: tensor<1x4x8x5xf32>)
// CHECK: %[[BC:.+]] = tensor.collapse_shape %[[B]] {{\[}}[0, 1], [2], [3]] : tensor<1x4x8x5xf32> into tensor<4x8x5xf32>
// CHECK: %[[BB:.+]] = linalg.broadcast ins(%[[BC]] : tensor<4x8x5xf32>) outs(%{{.+}} : tensor<?x4x8x5xf32>) dimensions = [0]
// CHECK: %[[A3:.+]] = tensor.collapse_shape %[[A]] {{\[}}[0, 1], [2], [3]] : tensor<?x4x3x8xf32> into tensor<?x3x8xf32>
// CHECK: %[[B3:.+]] = tensor.collapse_shape %[[BB]] {{\[}}[0, 1], [2], [3]] : tensor<?x4x8x5xf32> into tensor<?x8x5xf32>
// CHECK: %[[MM:.+]] = linalg.batch_matmul ins(%[[A3]], %[[B3]] : tensor<?x3x8xf32>, tensor<?x8x5xf32>)
// CHECK: tensor.expand_shape %[[MM]] {{\[}}[0, 1], [2], [3]] output_shape [%{{.+}}, 4, 3, 5] : tensor<?x3x5xf32> into tensor<?x4x3x5xf32>
func.func @matmul_broadcast(%a: tensor<?x4x3x8xf32>, %b: tensor<1x4x8x5xf32>) -> tensor<?x4x3x5xf32> {
  %y = mc.matmul %a, %b : (tensor<?x4x3x8xf32>, tensor<1x4x8x5xf32>) -> tensor<?x4x3x5xf32>
  return %y : tensor<?x4x3x5xf32>
}

// -----

// 1-D operands are promoted to a row / a column and the added dimension is
// dropped again.
// CHECK-LABEL: func.func @matmul_vectors
// LLVM-LABEL: llvm.func @matmul_vectors(
// CHECK: tensor.expand_shape %{{.+}} {{\[}}[0, 1]] output_shape [1, 8] : tensor<8xf32> into tensor<1x8xf32>
// CHECK: tensor.expand_shape %{{.+}} {{\[}}[0, 1]] output_shape [8, 1] : tensor<8xf32> into tensor<8x1xf32>
// CHECK: linalg.matmul
// CHECK: tensor.collapse_shape %{{.+}} [] : tensor<1x1xf32> into tensor<f32>
func.func @matmul_vectors(%a: tensor<8xf32>, %b: tensor<8xf32>) -> tensor<f32> {
  %y = mc.matmul %a, %b : (tensor<8xf32>, tensor<8xf32>) -> tensor<f32>
  return %y : tensor<f32>
}

// -----

// mc.conv2d with groups = 1: zero padding, bias in the accumulator,
// linalg.conv_2d_nchw_fchw with strides and dilations.
// CHECK-LABEL: func.func @conv2d
// LLVM-LABEL: llvm.func @conv2d(
// CHECK: %[[P:.+]] = tensor.pad %{{.+}} low[0, 0, 1, 2] high[0, 0, 3, 4]
// CHECK: tensor<?x3x8x8xf32> to tensor<?x3x12x14xf32>
// CHECK: %[[ACC:.+]] = linalg.broadcast ins(%{{.+}} : tensor<4xf32>) outs(%{{.+}} : tensor<?x4x4x4xf32>) dimensions = [0, 2, 3]
// CHECK: linalg.conv_2d_nchw_fchw {dilations = dense<[2, 1]> : tensor<2xi64>, strides = dense<[2, 3]> : tensor<2xi64>} ins(%[[P]], %{{.+}} : tensor<?x3x12x14xf32>, tensor<4x3x3x3xf32>) outs(%[[ACC]] : tensor<?x4x4x4xf32>)
func.func @conv2d(%x: tensor<?x3x8x8xf32>, %w: tensor<4x3x3x3xf32>, %b: tensor<4xf32>) -> tensor<?x4x4x4xf32> {
  %y = mc.conv2d %x, %w, %b {pads = array<i64: 1, 2, 3, 4>, strides = array<i64: 2, 3>, dilations = array<i64: 2, 1>} : (tensor<?x3x8x8xf32>, tensor<4x3x3x3xf32>, tensor<4xf32>) -> tensor<?x4x4x4xf32>
  return %y : tensor<?x4x4x4xf32>
}

// -----

// Depthwise mc.conv2d (groups == C == F) uses the depthwise named op on the
// weight collapsed to [C, KH, KW]; without padding there is no tensor.pad.
// CHECK-LABEL: func.func @conv2d_depthwise
// LLVM-LABEL: llvm.func @conv2d_depthwise(
// CHECK-NOT: tensor.pad
// CHECK: %[[F:.+]] = tensor.collapse_shape %{{.+}} {{\[}}[0, 1], [2], [3]] : tensor<4x1x3x3xf32> into tensor<4x3x3xf32>
// CHECK: linalg.depthwise_conv_2d_nchw_chw {{.*}} ins(%{{.+}}, %[[F]] : tensor<?x4x8x8xf32>, tensor<4x3x3xf32>) outs(%{{.+}} : tensor<?x4x6x6xf32>)
func.func @conv2d_depthwise(%x: tensor<?x4x8x8xf32>, %w: tensor<4x1x3x3xf32>) -> tensor<?x4x6x6xf32> {
  %y = mc.conv2d %x, %w {groups = 4 : i64} : (tensor<?x4x8x8xf32>, tensor<4x1x3x3xf32>) -> tensor<?x4x6x6xf32>
  return %y : tensor<?x4x6x6xf32>
}

// -----

// Grouped mc.conv2d splits channels into [groups, per group] and uses
// linalg.conv_2d_ngchw_gfchw.
// CHECK-LABEL: func.func @conv2d_grouped
// LLVM-LABEL: llvm.func @conv2d_grouped(
// CHECK: %[[I:.+]] = tensor.expand_shape %{{.+}} {{\[}}[0], [1, 2], [3], [4]] output_shape [%{{.+}}, 2, 2, 6, 6] : tensor<?x4x6x6xf32> into tensor<?x2x2x6x6xf32>
// CHECK: %[[W:.+]] = tensor.expand_shape %{{.+}} {{\[}}[0, 1], [2], [3], [4]] output_shape [2, 3, 2, 3, 3] : tensor<6x2x3x3xf32> into tensor<2x3x2x3x3xf32>
// CHECK: %[[O:.+]] = tensor.expand_shape %{{.+}} {{\[}}[0], [1, 2], [3], [4]] output_shape [%{{.+}}, 2, 3, 4, 4] : tensor<?x6x4x4xf32> into tensor<?x2x3x4x4xf32>
// CHECK: %[[C:.+]] = linalg.conv_2d_ngchw_gfchw {{.*}} ins(%[[I]], %[[W]] : tensor<?x2x2x6x6xf32>, tensor<2x3x2x3x3xf32>) outs(%[[O]] : tensor<?x2x3x4x4xf32>)
// CHECK: tensor.collapse_shape %[[C]] {{\[}}[0], [1, 2], [3], [4]] : tensor<?x2x3x4x4xf32> into tensor<?x6x4x4xf32>
func.func @conv2d_grouped(%x: tensor<?x4x6x6xf32>, %w: tensor<6x2x3x3xf32>) -> tensor<?x6x4x4xf32> {
  %y = mc.conv2d %x, %w {groups = 2 : i64} : (tensor<?x4x6x6xf32>, tensor<6x2x3x3xf32>) -> tensor<?x6x4x4xf32>
  return %y : tensor<?x6x4x4xf32>
}

// -----

// mc.max_pool2d pads with -inf (padding never wins); ceil_mode adds one more
// -inf row and column so that the clipped last windows fit.
// CHECK-LABEL: func.func @max_pool2d_ceil
// LLVM-LABEL: llvm.func @max_pool2d_ceil(
// CHECK: %[[NINF:.+]] = arith.constant 0xFF800000 : f32
// CHECK: %[[P:.+]] = tensor.pad %{{.+}} low[0, 0, 1, 1] high[0, 0, 2, 2]
// CHECK: tensor.yield %[[NINF]]
// CHECK: tensor<?x2x6x6xf32> to tensor<?x2x9x9xf32>
// CHECK: %[[WIN:.+]] = tensor.empty() : tensor<3x3xf32>
// CHECK: %[[INIT:.+]] = linalg.fill ins(%[[NINF]] : f32)
// CHECK: linalg.pooling_nchw_max {dilations = dense<1> : tensor<2xi64>, strides = dense<2> : tensor<2xi64>} ins(%[[P]], %[[WIN]] : tensor<?x2x9x9xf32>, tensor<3x3xf32>) outs(%[[INIT]] : tensor<?x2x4x4xf32>)
func.func @max_pool2d_ceil(%x: tensor<?x2x6x6xf32>) -> tensor<?x2x4x4xf32> {
  %y = mc.max_pool2d %x {kernel = array<i64: 3, 3>, strides = array<i64: 2, 2>, pads = array<i64: 1, 1, 1, 1>, ceil_mode = true} : (tensor<?x2x6x6xf32>) -> tensor<?x2x4x4xf32>
  return %y : tensor<?x2x4x4xf32>
}

// -----

// Dilated max pooling passes the dilations on.
// CHECK-LABEL: func.func @max_pool2d_dilated
// LLVM-LABEL: llvm.func @max_pool2d_dilated(
// CHECK-NOT: tensor.pad
// CHECK: linalg.pooling_nchw_max {dilations = dense<2> : tensor<2xi64>, strides = dense<1> : tensor<2xi64>}
func.func @max_pool2d_dilated(%x: tensor<2x2x6x6xf32>) -> tensor<2x2x2x2xf32> {
  %y = mc.max_pool2d %x {kernel = array<i64: 3, 3>, dilations = array<i64: 2, 2>} : (tensor<2x2x6x6xf32>) -> tensor<2x2x2x2xf32>
  return %y : tensor<2x2x2x2xf32>
}

// -----

// mc.avg_pool2d with count_include_pad = false: window sums over the zero
// padded input, divided by the number of real elements per output position
// (corners see 4 of the 3x3 window, edges 6, the middle 9).
// CHECK-DAG: #[[SP:.+]] = affine_map<(d0, d1, d2, d3) -> (d2, d3)>
// CHECK-LABEL: func.func @avg_pool2d_exclude_pad
// LLVM-LABEL: llvm.func @avg_pool2d_exclude_pad(
// CHECK: %[[ZERO:.+]] = arith.constant 0.000000e+00 : f32
// CHECK: tensor.pad %{{.+}} low[0, 0, 1, 1] high[0, 0, 1, 1]
// CHECK: tensor.yield %[[ZERO]]
// CHECK: %[[SUM:.+]] = linalg.pooling_nchw_sum {{.*}} -> tensor<?x3x3x3xf32>
// CHECK: %[[DIV:.+]] = arith.constant dense<{{\[}}[4.000000e+00, 6.000000e+00, 4.000000e+00], [6.000000e+00, 9.000000e+00, 6.000000e+00], [4.000000e+00, 6.000000e+00, 4.000000e+00]]> : tensor<3x3xf32>
// CHECK: linalg.generic {{.*}}#[[SP]]{{.*}} ins(%[[SUM]], %[[DIV]] : tensor<?x3x3x3xf32>, tensor<3x3xf32>)
// CHECK: arith.divf
func.func @avg_pool2d_exclude_pad(%x: tensor<?x3x3x3xf32>) -> tensor<?x3x3x3xf32> {
  %y = mc.avg_pool2d %x {kernel = array<i64: 3, 3>, pads = array<i64: 1, 1, 1, 1>} : (tensor<?x3x3x3xf32>) -> tensor<?x3x3x3xf32>
  return %y : tensor<?x3x3x3xf32>
}

// -----

// With count_include_pad the divisor is the window size everywhere (a
// scalar), as long as no ceil_mode overhang clips a window.
// CHECK-LABEL: func.func @avg_pool2d_include_pad
// LLVM-LABEL: llvm.func @avg_pool2d_include_pad(
// CHECK: %[[SUM:.+]] = linalg.pooling_nchw_sum
// CHECK: %[[NINE:.+]] = arith.constant 9.000000e+00 : f32
// CHECK: linalg.generic {{.*}} ins(%[[SUM]] : tensor<?x3x3x3xf32>)
// CHECK: arith.divf %{{.+}}, %[[NINE]] : f32
func.func @avg_pool2d_include_pad(%x: tensor<?x3x3x3xf32>) -> tensor<?x3x3x3xf32> {
  %y = mc.avg_pool2d %x {kernel = array<i64: 3, 3>, pads = array<i64: 1, 1, 1, 1>, count_include_pad = true} : (tensor<?x3x3x3xf32>) -> tensor<?x3x3x3xf32>
  return %y : tensor<?x3x3x3xf32>
}

// -----

// ceil_mode: the last window overhangs the input; its divisor counts only
// the elements inside (2 rows / columns of 2 instead of 2x2 = 4).
// CHECK-LABEL: func.func @avg_pool2d_ceil
// LLVM-LABEL: llvm.func @avg_pool2d_ceil(
// CHECK: tensor.pad %{{.+}} low[0, 0, 0, 0] high[0, 0, 1, 1]
// CHECK: linalg.pooling_nchw_sum {dilations = dense<1> : tensor<2xi64>, strides = dense<2> : tensor<2xi64>}
// CHECK: arith.constant dense<{{\[}}[4.000000e+00, 2.000000e+00], [2.000000e+00, 1.000000e+00]]> : tensor<2x2xf32>
func.func @avg_pool2d_ceil(%x: tensor<1x1x3x3xf32>) -> tensor<1x1x2x2xf32> {
  %y = mc.avg_pool2d %x {kernel = array<i64: 2, 2>, strides = array<i64: 2, 2>, ceil_mode = true} : (tensor<1x1x3x3xf32>) -> tensor<1x1x2x2xf32>
  return %y : tensor<1x1x2x2xf32>
}

// -----

// mc.global_avg_pool2d: a sum pool over the whole plane divided by H * W.
// CHECK-LABEL: func.func @global_avg_pool2d
// LLVM-LABEL: llvm.func @global_avg_pool2d(
// CHECK: %[[WIN:.+]] = tensor.empty() : tensor<5x7xf32>
// CHECK: %[[SUM:.+]] = linalg.pooling_nchw_sum {{.*}} ins(%{{.+}}, %[[WIN]] : tensor<?x8x5x7xf32>, tensor<5x7xf32>) {{.*}} -> tensor<?x8x1x1xf32>
// CHECK: %[[HW:.+]] = arith.constant 3.500000e+01 : f32
// CHECK: linalg.generic
// CHECK: arith.divf %{{.+}}, %[[HW]]
func.func @global_avg_pool2d(%x: tensor<?x8x5x7xf32>) -> tensor<?x8x1x1xf32> {
  %y = mc.global_avg_pool2d %x : (tensor<?x8x5x7xf32>) -> tensor<?x8x1x1xf32>
  return %y : tensor<?x8x1x1xf32>
}

// -----

// mc.batch_norm: one elementwise generic reading the parameters per channel.
// CHECK-DAG: #[[ID:.+]] = affine_map<(d0, d1, d2, d3) -> (d0, d1, d2, d3)>
// CHECK-DAG: #[[CH:.+]] = affine_map<(d0, d1, d2, d3) -> (d1)>
// CHECK-LABEL: func.func @batch_norm
// LLVM-LABEL: llvm.func @batch_norm(
// CHECK: linalg.generic {indexing_maps = [#[[ID]], #[[CH]], #[[CH]], #[[CH]], #[[CH]], #[[ID]]]
// CHECK: arith.subf
// CHECK: arith.addf
// CHECK: math.sqrt
// CHECK: arith.divf
// CHECK: arith.mulf
// CHECK: arith.addf
func.func @batch_norm(%x: tensor<?x4x2x2xf32>, %s: tensor<4xf32>, %b: tensor<4xf32>, %m: tensor<4xf32>, %v: tensor<4xf32>) -> tensor<?x4x2x2xf32> {
  %y = mc.batch_norm %x, %s, %b, %m, %v {epsilon = 1.0e-03 : f32} : tensor<?x4x2x2xf32>, tensor<4xf32>, tensor<4xf32>, tensor<4xf32>, tensor<4xf32>
  return %y : tensor<?x4x2x2xf32>
}

// -----

// mc.layer_norm over the last two dimensions: a linalg.reduce for the sum, a
// reduction generic for the squared deviations (two-pass variance), then
// an elementwise generic with scale and bias over the normalized shape.
// CHECK-DAG: #[[ID:.+]] = affine_map<(d0, d1, d2) -> (d0, d1, d2)>
// CHECK-DAG: #[[LEAD:.+]] = affine_map<(d0, d1, d2) -> (d0)>
// CHECK-DAG: #[[TRAIL:.+]] = affine_map<(d0, d1, d2) -> (d1, d2)>
// CHECK-LABEL: func.func @layer_norm
// LLVM-LABEL: llvm.func @layer_norm(
// CHECK-DAG: %[[COUNT:.+]] = arith.constant 1.200000e+01 : f32
// CHECK: %[[SUM:.+]] = linalg.reduce ins(%{{.+}} : tensor<?x3x4xf32>) outs(%{{.+}} : tensor<?xf32>) dimensions = [1, 2]
// CHECK: %[[SQ:.+]] = linalg.generic {indexing_maps = [#[[ID]], #[[LEAD]], #[[LEAD]]], iterator_types = ["parallel", "reduction", "reduction"]}
// CHECK: linalg.generic {indexing_maps = [#[[ID]], #[[LEAD]], #[[LEAD]], #[[TRAIL]], #[[TRAIL]], #[[ID]]], iterator_types = ["parallel", "parallel", "parallel"]} ins(%{{.+}}, %[[SUM]], %[[SQ]], %{{.+}}, %{{.+}} :
// CHECK: math.sqrt
func.func @layer_norm(%x: tensor<?x3x4xf32>, %g: tensor<3x4xf32>, %b: tensor<3x4xf32>) -> tensor<?x3x4xf32> {
  %y = mc.layer_norm %x, %g, %b {axis = -2 : i64} : tensor<?x3x4xf32>, tensor<3x4xf32>, tensor<3x4xf32>
  return %y : tensor<?x3x4xf32>
}

// -----

// Without bias the last generic has one input less.
// CHECK-LABEL: func.func @layer_norm_no_bias
// LLVM-LABEL: llvm.func @layer_norm_no_bias(
// CHECK: linalg.reduce
// CHECK: linalg.generic
// CHECK: linalg.generic {{.*}} ins(%{{[^,]+}}, %{{[^,]+}}, %{{[^,]+}}, %{{[^,]+}} : tensor<?x4xf32>, tensor<?xf32>, tensor<?xf32>, tensor<4xf32>)
func.func @layer_norm_no_bias(%x: tensor<?x4xf32>, %g: tensor<4xf32>) -> tensor<?x4xf32> {
  %y = mc.layer_norm %x, %g : tensor<?x4xf32>, tensor<4xf32>
  return %y : tensor<?x4xf32>
}

// -----

// mc.reduce_mean with keepdims: a linalg.reduce sum over the axis, then a
// generic that divides by the static count (3) and writes the result shape,
// reading the sum without the kept unit dimension.
// CHECK-DAG: #[[SKIP:.+]] = affine_map<(d0, d1, d2) -> (d0, d2)>
// CHECK-DAG: #[[ID:.+]] = affine_map<(d0, d1, d2) -> (d0, d1, d2)>
// CHECK-LABEL: func.func @reduce_mean_keepdims
// LLVM-LABEL: llvm.func @reduce_mean_keepdims(
// CHECK: %[[SUM:.+]] = linalg.reduce ins(%{{.+}} : tensor<?x3x4xf32>) outs(%{{.+}} : tensor<?x4xf32>) dimensions = [1]
// CHECK: arith.addf
// CHECK: %[[COUNT:.+]] = arith.constant 3.000000e+00 : f32
// CHECK: linalg.generic {indexing_maps = [#[[SKIP]], #[[ID]]], iterator_types = ["parallel", "parallel", "parallel"]} ins(%[[SUM]] : tensor<?x4xf32>) outs(%{{.+}} : tensor<?x1x4xf32>)
// CHECK: arith.divf %{{.+}}, %[[COUNT]] : f32
func.func @reduce_mean_keepdims(%x: tensor<?x3x4xf32>) -> tensor<?x1x4xf32> {
  %y = mc.reduce_mean %x {axes = array<i64: 1>} : (tensor<?x3x4xf32>) -> tensor<?x1x4xf32>
  return %y : tensor<?x1x4xf32>
}

// -----

// mc.reduce_mean over every axis (given unsorted, one negative) without
// keepdims: a 0-D sum divided by the element count, which includes the
// dynamic batch (12 * N at run time).
// CHECK-LABEL: func.func @reduce_mean_all
// LLVM-LABEL: llvm.func @reduce_mean_all(
// CHECK: %[[N:.+]] = tensor.dim %{{.+}}, %{{.+}} : tensor<?x3x4xf32>
// CHECK: %[[SUM:.+]] = linalg.reduce ins(%{{.+}} : tensor<?x3x4xf32>) outs(%{{.+}} : tensor<f32>) dimensions = [0, 1, 2]
// CHECK: %[[C12:.+]] = arith.constant 12 : index
// CHECK: %[[ELEMS:.+]] = arith.muli %[[N]], %[[C12]] : index
// CHECK: %[[I64:.+]] = arith.index_cast %[[ELEMS]] : index to i64
// CHECK: %[[COUNT:.+]] = arith.uitofp %[[I64]] : i64 to f32
// CHECK: linalg.generic {{.*}} ins(%[[SUM]] : tensor<f32>) outs(%{{.+}} : tensor<f32>)
// CHECK: arith.divf %{{.+}}, %[[COUNT]] : f32
func.func @reduce_mean_all(%x: tensor<?x3x4xf32>) -> tensor<f32> {
  %y = mc.reduce_mean %x {axes = array<i64: 0, -1, 1>, keepdims = false} : (tensor<?x3x4xf32>) -> tensor<f32>
  return %y : tensor<f32>
}

// -----

// mc.softmax subtracts the maximum (a -inf initialised max reduction) before
// exp, then divides by the sum.
// CHECK-LABEL: func.func @softmax
// LLVM-LABEL: llvm.func @softmax(
// CHECK: %[[NINF:.+]] = arith.constant 0xFF800000 : f32
// CHECK: linalg.fill ins(%[[NINF]] : f32)
// CHECK: %[[MAX:.+]] = linalg.reduce ins(%{{.+}} : tensor<?x5x3xf32>) outs(%{{.+}} : tensor<?x3xf32>) dimensions = [1]
// CHECK: arith.maximumf
// CHECK: %[[EXP:.+]] = linalg.generic {{.*}} ins(%{{.+}}, %[[MAX]] : tensor<?x5x3xf32>, tensor<?x3xf32>)
// CHECK: arith.subf
// CHECK: math.exp
// CHECK: %[[SUM:.+]] = linalg.reduce ins(%[[EXP]] : tensor<?x5x3xf32>) outs(%{{.+}} : tensor<?x3xf32>) dimensions = [1]
// CHECK: linalg.generic {{.*}} ins(%[[EXP]], %[[SUM]] : tensor<?x5x3xf32>, tensor<?x3xf32>)
// CHECK: arith.divf
func.func @softmax(%x: tensor<?x5x3xf32>) -> tensor<?x5x3xf32> {
  %y = mc.softmax %x {axis = 1 : i64} : tensor<?x5x3xf32>
  return %y : tensor<?x5x3xf32>
}

// -----

// Broadcasting binaries: one generic; a missing leading dimension is
// dropped from the map and a stretched unit dimension reads index 0.
// CHECK-DAG: #[[ID:.+]] = affine_map<(d0, d1, d2) -> (d0, d1, d2)>
// CHECK-DAG: #[[BC:.+]] = affine_map<(d0, d1, d2) -> (0, d2)>
// CHECK-LABEL: func.func @add_broadcast
// LLVM-LABEL: llvm.func @add_broadcast(
// CHECK: %[[N:.+]] = tensor.dim %{{.+}}, %{{.+}} : tensor<?x3x4xf32>
// CHECK: %[[E:.+]] = tensor.empty(%[[N]]) : tensor<?x3x4xf32>
// CHECK: linalg.generic {indexing_maps = [#[[ID]], #[[BC]], #[[ID]]], iterator_types = ["parallel", "parallel", "parallel"]} ins(%{{.+}}, %{{.+}} : tensor<?x3x4xf32>, tensor<1x4xf32>) outs(%[[E]] : tensor<?x3x4xf32>)
// CHECK: arith.addf
func.func @add_broadcast(%a: tensor<?x3x4xf32>, %b: tensor<1x4xf32>) -> tensor<?x3x4xf32> {
  %y = mc.add %a, %b : (tensor<?x3x4xf32>, tensor<1x4xf32>) -> tensor<?x3x4xf32>
  return %y : tensor<?x3x4xf32>
}

// -----

// The other binaries pick their arith/math op; integers use arith integer
// ops (division truncates).
// CHECK-LABEL: func.func @binaries
// LLVM-LABEL: llvm.func @binaries(
// CHECK: arith.subf
// CHECK: arith.mulf
// CHECK: arith.divf
// CHECK: math.powf
// CHECK: arith.addi
// CHECK: arith.subi
// CHECK: arith.muli
// CHECK: arith.divsi
func.func @binaries(%a: tensor<?x4xf32>, %b: tensor<4xf32>, %i: tensor<?x4xi32>, %j: tensor<?x4xi32>) -> (tensor<?x4xf32>, tensor<?x4xf32>, tensor<?x4xf32>, tensor<?x4xf32>, tensor<?x4xi32>, tensor<?x4xi32>, tensor<?x4xi32>, tensor<?x4xi32>) {
  %0 = mc.sub %a, %b : (tensor<?x4xf32>, tensor<4xf32>) -> tensor<?x4xf32>
  %1 = mc.mul %a, %b : (tensor<?x4xf32>, tensor<4xf32>) -> tensor<?x4xf32>
  %2 = mc.div %a, %b : (tensor<?x4xf32>, tensor<4xf32>) -> tensor<?x4xf32>
  %3 = mc.pow %a, %b : (tensor<?x4xf32>, tensor<4xf32>) -> tensor<?x4xf32>
  %4 = mc.add %i, %j : (tensor<?x4xi32>, tensor<?x4xi32>) -> tensor<?x4xi32>
  %5 = mc.sub %i, %j : (tensor<?x4xi32>, tensor<?x4xi32>) -> tensor<?x4xi32>
  %6 = mc.mul %i, %j : (tensor<?x4xi32>, tensor<?x4xi32>) -> tensor<?x4xi32>
  %7 = mc.div %i, %j : (tensor<?x4xi32>, tensor<?x4xi32>) -> tensor<?x4xi32>
  return %0, %1, %2, %3, %4, %5, %6, %7 : tensor<?x4xf32>, tensor<?x4xf32>, tensor<?x4xf32>, tensor<?x4xf32>, tensor<?x4xi32>, tensor<?x4xi32>, tensor<?x4xi32>, tensor<?x4xi32>
}

// -----

// Unary ops and activations.
// CHECK-LABEL: func.func @unary
// LLVM-LABEL: llvm.func @unary(
// CHECK: math.sqrt
// CHECK: math.exp
// CHECK: math.erf
// CHECK: linalg.generic
// CHECK: arith.negf
// CHECK: math.exp
// CHECK: arith.addf
// CHECK: arith.divf
// CHECK: math.tanh
// CHECK: arith.maximumf
// CHECK: arith.negf
// CHECK: arith.maxsi
// CHECK: arith.subi
func.func @unary(%x: tensor<?x4xf32>, %i: tensor<?x4xi64>) -> (tensor<?x4xf32>, tensor<?x4xf32>, tensor<?x4xf32>, tensor<?x4xf32>, tensor<?x4xf32>, tensor<?x4xf32>, tensor<?x4xf32>, tensor<?x4xi64>, tensor<?x4xi64>) {
  %0 = mc.sqrt %x : tensor<?x4xf32>
  %1 = mc.exp %x : tensor<?x4xf32>
  %2 = mc.erf %x : tensor<?x4xf32>
  %3 = mc.sigmoid %x : tensor<?x4xf32>
  %4 = mc.tanh %x : tensor<?x4xf32>
  %5 = mc.relu %x : tensor<?x4xf32>
  %6 = mc.neg %x : tensor<?x4xf32>
  %7 = mc.relu %i : tensor<?x4xi64>
  %8 = mc.neg %i : tensor<?x4xi64>
  return %0, %1, %2, %3, %4, %5, %6, %7, %8 : tensor<?x4xf32>, tensor<?x4xf32>, tensor<?x4xf32>, tensor<?x4xf32>, tensor<?x4xf32>, tensor<?x4xf32>, tensor<?x4xf32>, tensor<?x4xi64>, tensor<?x4xi64>
}

// -----

// mc.gelu, exact form: 0.5 x (1 + erf(x / sqrt(2))).
// CHECK-LABEL: func.func @gelu_exact
// LLVM-LABEL: llvm.func @gelu_exact(
// CHECK-DAG: arith.constant 5.000000e-01 : f32
// CHECK-DAG: arith.constant 0.707106769 : f32
// CHECK: math.erf
// CHECK-NOT: math.tanh
func.func @gelu_exact(%x: tensor<?x4xf32>) -> tensor<?x4xf32> {
  %y = mc.gelu %x : tensor<?x4xf32>
  return %y : tensor<?x4xf32>
}

// -----

// mc.gelu, tanh form: 0.5 x (1 + tanh(sqrt(2 / pi) (x + 0.044715 x^3))).
// CHECK-LABEL: func.func @gelu_tanh
// LLVM-LABEL: llvm.func @gelu_tanh(
// CHECK-DAG: arith.constant 4.471500e-02 : f32
// CHECK-DAG: arith.constant 0.797884583 : f32
// CHECK: math.tanh
// CHECK-NOT: math.erf
func.func @gelu_tanh(%x: tensor<?x4xf32>) -> tensor<?x4xf32> {
  %y = mc.gelu %x {approximate = "tanh"} : tensor<?x4xf32>
  return %y : tensor<?x4xf32>
}

// -----

// mc.clip: maximumf with min, minimumf with max; a one-sided clip emits
// only its side; integer bounds round inward.
// CHECK-LABEL: func.func @clip
// LLVM-LABEL: llvm.func @clip(
// CHECK: arith.constant 0.000000e+00 : f32
// CHECK: arith.maximumf
// CHECK: arith.constant 6.000000e+00 : f32
// CHECK: arith.minimumf
// CHECK: linalg.generic
// CHECK-NOT: arith.maximumf
// CHECK: arith.minimumf
// CHECK: linalg.generic
// CHECK: arith.constant -1 : i8
// CHECK: arith.maxsi
// CHECK: arith.constant 127 : i8
// CHECK: arith.minsi
func.func @clip(%x: tensor<?x4xf32>, %i: tensor<?x4xi8>) -> (tensor<?x4xf32>, tensor<?x4xf32>, tensor<?x4xi8>) {
  %0 = mc.clip %x {min = 0.0 : f64, max = 6.0 : f64} : tensor<?x4xf32>
  %1 = mc.clip %x {max = 1.0 : f64} : tensor<?x4xf32>
  %2 = mc.clip %i {min = -1.5 : f64, max = 300.0 : f64} : tensor<?x4xi8>
  return %0, %1, %2 : tensor<?x4xf32>, tensor<?x4xf32>, tensor<?x4xi8>
}

// -----

// mc.cast: ONNX Cast semantics per pair of element types.
// CHECK-LABEL: func.func @cast
// LLVM-LABEL: llvm.func @cast(
// CHECK: arith.sitofp %{{.+}} : i64 to f32
// CHECK: arith.fptosi %{{.+}} : f32 to i32
// CHECK: arith.truncf %{{.+}} : f32 to f16
// CHECK: arith.cmpf une
// CHECK: arith.uitofp %{{.+}} : i1 to f32
func.func @cast(%i: tensor<?x4xi64>, %f: tensor<?x4xf32>, %b: tensor<?x4xi1>) -> (tensor<?x4xf32>, tensor<?x4xi32>, tensor<?x4xf16>, tensor<?x4xi1>, tensor<?x4xf32>) {
  %0 = mc.cast %i : tensor<?x4xi64> -> tensor<?x4xf32>
  %1 = mc.cast %f : tensor<?x4xf32> -> tensor<?x4xi32>
  %2 = mc.cast %f : tensor<?x4xf32> -> tensor<?x4xf16>
  %3 = mc.cast %f : tensor<?x4xf32> -> tensor<?x4xi1>
  %4 = mc.cast %b : tensor<?x4xi1> -> tensor<?x4xf32>
  return %0, %1, %2, %3, %4 : tensor<?x4xf32>, tensor<?x4xi32>, tensor<?x4xf16>, tensor<?x4xi1>, tensor<?x4xf32>
}

// -----

// mc.reshape: a collapse, an expand (the dynamic size recomputed from the
// element count), and a reshape with no dimension grouping through 1-D.
// CHECK-LABEL: func.func @reshape
// LLVM-LABEL: llvm.func @reshape(
// CHECK: tensor.collapse_shape %{{.+}} {{\[}}[0], [1, 2, 3]] : tensor<?x2x3x4xf32> into tensor<?x24xf32>
// CHECK: %[[TOTAL:.+]] = arith.muli %{{.+}}, %{{.+}} : index
// CHECK: %[[DYN:.+]] = arith.divui %[[TOTAL]], %{{.+}} : index
// CHECK: tensor.expand_shape %{{.+}} {{\[}}[0], [1, 2]] output_shape [%[[DYN]], 6, 4] : tensor<?x24xf32> into tensor<?x6x4xf32>
// CHECK: %[[FLAT:.+]] = tensor.collapse_shape %{{.+}} {{\[}}[0, 1]] : tensor<?x6xf32> into tensor<?xf32>
// CHECK: tensor.expand_shape %[[FLAT]] {{\[}}[0, 1]] output_shape [%{{.+}}, 4] : tensor<?xf32> into tensor<?x4xf32>
func.func @reshape(%x: tensor<?x2x3x4xf32>, %y: tensor<?x24xf32>, %z: tensor<?x6xf32>) -> (tensor<?x24xf32>, tensor<?x6x4xf32>, tensor<?x4xf32>) {
  %0 = mc.reshape %x : tensor<?x2x3x4xf32> -> tensor<?x24xf32>
  %1 = mc.reshape %y : tensor<?x24xf32> -> tensor<?x6x4xf32>
  %2 = mc.reshape %z : tensor<?x6xf32> -> tensor<?x4xf32>
  return %0, %1, %2 : tensor<?x24xf32>, tensor<?x6x4xf32>, tensor<?x4xf32>
}

// -----

// mc.flatten: collapse around the axis; axis 0 gives [1, numel].
// CHECK-LABEL: func.func @flatten
// LLVM-LABEL: llvm.func @flatten(
// CHECK: tensor.collapse_shape %{{.+}} {{\[}}[0, 1], [2, 3]] : tensor<?x2x3x4xf32> into tensor<?x12xf32>
// CHECK: %[[FLAT:.+]] = tensor.collapse_shape %{{.+}} {{\[}}[0, 1, 2]] : tensor<2x3x4xf32> into tensor<24xf32>
// CHECK: tensor.expand_shape %[[FLAT]] {{\[}}[0, 1]] output_shape [1, 24] : tensor<24xf32> into tensor<1x24xf32>
func.func @flatten(%x: tensor<?x2x3x4xf32>, %y: tensor<2x3x4xf32>) -> (tensor<?x12xf32>, tensor<1x24xf32>) {
  %0 = mc.flatten %x {axis = 2 : i64} : (tensor<?x2x3x4xf32>) -> tensor<?x12xf32>
  %1 = mc.flatten %y {axis = 0 : i64} : (tensor<2x3x4xf32>) -> tensor<1x24xf32>
  return %0, %1 : tensor<?x12xf32>, tensor<1x24xf32>
}

// -----

// mc.transpose is linalg.transpose; the dynamic size follows its dimension.
// CHECK-LABEL: func.func @transpose
// LLVM-LABEL: llvm.func @transpose(
// CHECK: %[[N:.+]] = tensor.dim %{{.+}}, %{{.+}} : tensor<?x3x4xf32>
// CHECK: %[[E:.+]] = tensor.empty(%[[N]]) : tensor<4x?x3xf32>
// CHECK: linalg.transpose ins(%{{.+}} : tensor<?x3x4xf32>) outs(%[[E]] : tensor<4x?x3xf32>) permutation = [2, 0, 1]
func.func @transpose(%x: tensor<?x3x4xf32>) -> tensor<4x?x3xf32> {
  %y = mc.transpose %x {perm = array<i64: 2, 0, 1>} : (tensor<?x3x4xf32>) -> tensor<4x?x3xf32>
  return %y : tensor<4x?x3xf32>
}

// -----

// mc.concat is tensor.concat (negative axis normalized); along the dynamic
// batch too.
// CHECK-LABEL: func.func @concat
// LLVM-LABEL: llvm.func @concat(
// CHECK: tensor.concat dim(1) %{{.+}}, %{{.+}} : (tensor<?x2x3xf32>, tensor<?x4x3xf32>) -> tensor<?x6x3xf32>
// CHECK: tensor.concat dim(0) %{{.+}}, %{{.+}} : (tensor<?x2x3xf32>, tensor<?x2x3xf32>) -> tensor<?x2x3xf32>
func.func @concat(%a: tensor<?x2x3xf32>, %b: tensor<?x4x3xf32>) -> (tensor<?x6x3xf32>, tensor<?x2x3xf32>) {
  %0 = mc.concat %a, %b {axis = -2 : i64} : (tensor<?x2x3xf32>, tensor<?x4x3xf32>) -> tensor<?x6x3xf32>
  %1 = mc.concat %a, %a {axis = 0 : i64} : (tensor<?x2x3xf32>, tensor<?x2x3xf32>) -> tensor<?x2x3xf32>
  return %0, %1 : tensor<?x6x3xf32>, tensor<?x2x3xf32>
}

// -----

// mc.slice with positive steps is one tensor.extract_slice that keeps the
// dynamic batch whole.
// CHECK-LABEL: func.func @slice
// LLVM-LABEL: llvm.func @slice(
// CHECK: %[[N:.+]] = tensor.dim %{{.+}}, %{{.+}} : tensor<?x8x6xf32>
// CHECK: tensor.extract_slice %{{.+}}[0, 1, 0] {{\[}}%[[N]], 3, 3] [1, 2, 2] : tensor<?x8x6xf32> to tensor<?x3x3xf32>
// CHECK-NOT: linalg.generic
func.func @slice(%x: tensor<?x8x6xf32>) -> tensor<?x3x3xf32> {
  %y = mc.slice %x {axes = array<i64: 1, 2>, starts = array<i64: 1, 0>, sizes = array<i64: 3, 3>, steps = array<i64: 2, 2>} : (tensor<?x8x6xf32>) -> tensor<?x3x3xf32>
  return %y : tensor<?x3x3xf32>
}

// -----

// A negative step slices from the lowest element with the positive step and
// reverses the axis with a generic.
// CHECK-DAG: #[[REV:.+]] = affine_map<(d0, d1) -> (d0, -d1 + 2)>
// CHECK-LABEL: func.func @slice_negative_step
// LLVM-LABEL: llvm.func @slice_negative_step(
// CHECK: %[[S:.+]] = tensor.extract_slice %{{.+}}[0, 1] [%{{.+}}, 3] [1, 2] : tensor<?x8xf32> to tensor<?x3xf32>
// CHECK: linalg.generic {indexing_maps = [#[[REV]], #{{.+}}], {{.*}} ins(%[[S]] : tensor<?x3xf32>)
func.func @slice_negative_step(%x: tensor<?x8xf32>) -> tensor<?x3xf32> {
  %y = mc.slice %x {axes = array<i64: 1>, starts = array<i64: 5>, sizes = array<i64: 3>, steps = array<i64: -2>} : (tensor<?x8xf32>) -> tensor<?x3xf32>
  return %y : tensor<?x3xf32>
}

// -----

// mc.gather: a generic over the result reading the index tensor, wrapping
// negative indices, clamping, and extracting from the data.
// CHECK-DAG: #[[IDX:.+]] = affine_map<(d0, d1, d2) -> (d1)>
// CHECK-LABEL: func.func @gather
// LLVM-LABEL: llvm.func @gather(
// CHECK-SAME: (%[[D:.+]]: tensor<?x5x4xf32>, %[[I:.+]]: tensor<3xi64>)
// CHECK: linalg.generic {indexing_maps = [#[[IDX]], #{{.+}}], {{.*}} ins(%[[I]] : tensor<3xi64>)
// CHECK: arith.index_cast
// CHECK: arith.cmpi slt
// CHECK: arith.select
// CHECK: arith.maxsi
// CHECK: arith.minsi
// CHECK: %[[B:.+]] = linalg.index 0
// CHECK: %[[C:.+]] = linalg.index 2
// CHECK: tensor.extract %[[D]][%[[B]], %{{.+}}, %[[C]]] : tensor<?x5x4xf32>
func.func @gather(%d: tensor<?x5x4xf32>, %i: tensor<3xi64>) -> tensor<?x3x4xf32> {
  %y = mc.gather %d, %i {axis = 1 : i64} : (tensor<?x5x4xf32>, tensor<3xi64>) -> tensor<?x3x4xf32>
  return %y : tensor<?x3x4xf32>
}

// -----

// Embedding-style gather on axis 0 with dynamic (batch-shaped) indices.
// CHECK-LABEL: func.func @gather_embedding
// LLVM-LABEL: llvm.func @gather_embedding(
// CHECK: %[[N:.+]] = tensor.dim %{{.+}}, %{{.+}} : tensor<?x2xi32>
// CHECK: tensor.empty(%[[N]]) : tensor<?x2x4xf32>
// CHECK: tensor.extract
func.func @gather_embedding(%t: tensor<10x4xf32>, %i: tensor<?x2xi32>) -> tensor<?x2x4xf32> {
  %y = mc.gather %t, %i {axis = 0 : i64} : (tensor<10x4xf32>, tensor<?x2xi32>) -> tensor<?x2x4xf32>
  return %y : tensor<?x2x4xf32>
}

// -----

// mc.squeeze / mc.unsqueeze are collapse / expand of unit dimensions.
// CHECK-LABEL: func.func @squeeze_unsqueeze
// LLVM-LABEL: llvm.func @squeeze_unsqueeze(
// CHECK: tensor.collapse_shape %{{.+}} {{\[}}[0], [1, 2, 3]] : tensor<?x8x1x1xf32> into tensor<?x8xf32>
// CHECK: tensor.expand_shape %{{.+}} {{\[}}[0], [1, 2, 3]] output_shape [%{{.+}}, 1, 8, 1] : tensor<?x8xf32> into tensor<?x1x8x1xf32>
func.func @squeeze_unsqueeze(%x: tensor<?x8x1x1xf32>) -> tensor<?x1x8x1xf32> {
  %s = mc.squeeze %x {axes = array<i64: 2, -1>} : (tensor<?x8x1x1xf32>) -> tensor<?x8xf32>
  %u = mc.unsqueeze %s {axes = array<i64: 1, -1>} : (tensor<?x8xf32>) -> tensor<?x1x8x1xf32>
  return %u : tensor<?x1x8x1xf32>
}

// -----

// Integer mc.pow (ONNX Pow with an integer base): square-and-multiply over
// the exponent's bits below the sign bit, straight-line code in the body;
// a negative exponent selects 1 (x = 1), +-1 (x = -1) or 0.
// CHECK-LABEL: func.func @pow_int
// CHECK: linalg.generic
// CHECK: ^bb0(%[[X:.+]]: i8, %[[Y:.+]]: i8, %{{.+}}: i8):
// CHECK: %[[S0:.+]] = arith.shrui %[[Y]], %{{.+}} : i8
// CHECK: arith.andi %[[S0]]
// CHECK: arith.muli
// CHECK: arith.select
// CHECK-COUNT-6: arith.shrui %[[Y]]
// CHECK-NOT: arith.shrui
// CHECK: arith.cmpi eq, %[[X]]
// CHECK: arith.cmpi eq, %[[X]]
// CHECK: %[[NEG:.+]] = arith.cmpi slt, %[[Y]]
// CHECK: %[[R:.+]] = arith.select %[[NEG]]
// CHECK: linalg.yield %[[R]] : i8
// LLVM-LABEL: llvm.func @pow_int(
func.func @pow_int(%x: tensor<?x4xi8>, %y: tensor<4xi8>) -> tensor<?x4xi8> {
  %0 = mc.pow %x, %y : (tensor<?x4xi8>, tensor<4xi8>) -> tensor<?x4xi8>
  return %0 : tensor<?x4xi8>
}
