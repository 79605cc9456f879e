// RUN: mc-opt %s -split-input-file --mc-prune="method=wanda" | FileCheck %s --check-prefix=WANDA
// RUN: mc-opt %s -split-input-file --mc-prune="method=wanda pattern=2:4" | FileCheck %s --check-prefix=W24
// RUN: mc-opt %s -split-input-file --mc-prune="method=wanda sparsity=0.5 pattern=2:4" | FileCheck %s --check-prefix=W24
// RUN: mc-opt %s -split-input-file --mc-prune="method=wanda pattern=4:8" 2>/dev/null | FileCheck %s --check-prefix=W48

// mc-prune with method=wanda: score |W[r, c]| * norm[c], with the input
// column norms from mc.calib_col_norm. Unstructured pruning compares
// scores within each row (output channel), as Sun et al. 2023 do; N:M
// compares them within each group of M along the row. Equal scores: the
// lower index is pruned first. The norms attribute stays on the layer.
// An N:M pattern fixes the sparsity; giving the same value is accepted.

// Per row: scores row 0 = [4, 2, 3, 2] lose indices 1 and 3 (the tie goes to
// the lower index first), row 1 = [16, 3, 2, 0.5] loses 3 and 2. By |W| alone
// row 0 would lose 1 and -2.
// WANDA-LABEL: func.func @linear
// WANDA-DAG: %[[C0:.+]] = mc.constant dense<{{\[\[}}1.000000e+00, 0.000000e+00, 3.000000e+00, 0.000000e+00], [4.000000e+00, 3.000000e+00, 0.000000e+00, 0.000000e+00]]> : tensor<2x4xf32>
// WANDA: mc.linear %{{.+}}, %[[C0]] {mc.calib_col_norm = dense<[4.000000e+00, 1.000000e+00, 1.000000e+00, 5.000000e-01]> : tensor<4xf32>, mc.sparsity = {pattern = "unstructured", sparsity = 5.000000e-01 : f64}} : (tensor<?x4xf32>, tensor<2x4xf32>) -> tensor<?x2xf32>
// WANDA: return
// W24-LABEL: func.func @linear
// W24-DAG: %[[C0:.+]] = mc.constant dense<{{\[\[}}1.000000e+00, 0.000000e+00, 3.000000e+00, 0.000000e+00], [4.000000e+00, 3.000000e+00, 0.000000e+00, 0.000000e+00]]> : tensor<2x4xf32>
// W24: mc.linear %{{.+}}, %[[C0]] {mc.calib_col_norm = dense<[4.000000e+00, 1.000000e+00, 1.000000e+00, 5.000000e-01]> : tensor<4xf32>, mc.sparsity = {pattern = "2:4", sparsity = 5.000000e-01 : f64}} : (tensor<?x4xf32>, tensor<2x4xf32>) -> tensor<?x2xf32>
// W24: return
func.func @linear(%x: tensor<?x4xf32>) -> tensor<?x2xf32> {
  %w = mc.constant dense<[[1.0, -2.0, 3.0, -4.0], [4.0, 3.0, -2.0, 1.0]]> : tensor<2x4xf32>
  %y = mc.linear %x, %w {mc.calib_col_norm = dense<[4.0, 1.0, 1.0, 0.5]> : tensor<4xf32>} : (tensor<?x4xf32>, tensor<2x4xf32>) -> tensor<?x2xf32>
  return %y : tensor<?x2xf32>
}

// -----

// Scores [8, 2, 3, 4, 5, 6, 7, 64]: unstructured 0.5 keeps 8, 6, 7, 64
// (weights 1, 6, 7, 8); 2:4 keeps 8, 4 of the first group and 7, 64 of the
// second (weights 1, 4, 7, 8); 4:8 keeps the four largest of the row.
// WANDA-LABEL: func.func @groups_of_m
// WANDA-DAG: %[[C0:.+]] = mc.constant dense<{{\[\[}}1.000000e+00, 0.000000e+00, 0.000000e+00, 0.000000e+00, 0.000000e+00, 6.000000e+00, 7.000000e+00, 8.000000e+00]]> : tensor<1x8xf32>
// WANDA: mc.linear %{{.+}}, %[[C0]] {mc.calib_col_norm = dense<[8.000000e+00, 1.000000e+00, 1.000000e+00, 1.000000e+00, 1.000000e+00, 1.000000e+00, 1.000000e+00, 8.000000e+00]> : tensor<8xf32>, mc.sparsity = {pattern = "unstructured", sparsity = 5.000000e-01 : f64}} : (tensor<?x8xf32>, tensor<1x8xf32>) -> tensor<?x1xf32>
// WANDA: return
// W24-LABEL: func.func @groups_of_m
// W24-DAG: %[[C0:.+]] = mc.constant dense<{{\[\[}}1.000000e+00, 0.000000e+00, 0.000000e+00, 4.000000e+00, 0.000000e+00, 0.000000e+00, 7.000000e+00, 8.000000e+00]]> : tensor<1x8xf32>
// W24: mc.linear %{{.+}}, %[[C0]] {mc.calib_col_norm = dense<[8.000000e+00, 1.000000e+00, 1.000000e+00, 1.000000e+00, 1.000000e+00, 1.000000e+00, 1.000000e+00, 8.000000e+00]> : tensor<8xf32>, mc.sparsity = {pattern = "2:4", sparsity = 5.000000e-01 : f64}} : (tensor<?x8xf32>, tensor<1x8xf32>) -> tensor<?x1xf32>
// W24: return
// W48-LABEL: func.func @groups_of_m
// W48-DAG: %[[C0:.+]] = mc.constant dense<{{\[\[}}1.000000e+00, 0.000000e+00, 0.000000e+00, 0.000000e+00, 0.000000e+00, 6.000000e+00, 7.000000e+00, 8.000000e+00]]> : tensor<1x8xf32>
// W48: mc.linear %{{.+}}, %[[C0]] {mc.calib_col_norm = dense<[8.000000e+00, 1.000000e+00, 1.000000e+00, 1.000000e+00, 1.000000e+00, 1.000000e+00, 1.000000e+00, 8.000000e+00]> : tensor<8xf32>, mc.sparsity = {pattern = "4:8", sparsity = 5.000000e-01 : f64}} : (tensor<?x8xf32>, tensor<1x8xf32>) -> tensor<?x1xf32>
// W48: return
func.func @groups_of_m(%x: tensor<?x8xf32>) -> tensor<?x1xf32> {
  %w = mc.constant dense<[[1.0, 2.0, 3.0, 4.0, 5.0, 6.0, 7.0, 8.0]]> : tensor<1x8xf32>
  %y = mc.linear %x, %w {mc.calib_col_norm = dense<[8.0, 1.0, 1.0, 1.0, 1.0, 1.0, 1.0, 8.0]> : tensor<8xf32>} : (tensor<?x8xf32>, tensor<1x8xf32>) -> tensor<?x1xf32>
  return %y : tensor<?x1xf32>
}

// -----

// Grouped conv2d (groups = 2): the norms are [C_in, KH, KW] and filter o of
// group g reads channel g. Both filters are [3, 1]; filter 0 sees norms
// [1, 10] (scores [3, 10], loses the 3), filter 1 sees [10, 1] (scores
// [30, 1], loses the 1).
// WANDA-LABEL: func.func @grouped_conv
// WANDA-DAG: %[[C0:.+]] = mc.constant dense<{{\[\[\[\[}}0.000000e+00, 1.000000e+00]]], {{\[\[\[}}3.000000e+00, 0.000000e+00]]]]> : tensor<2x1x1x2xf32>
// WANDA: mc.conv2d %{{.+}}, %[[C0]] {groups = 2 : i64, mc.calib_col_norm = dense<{{\[\[\[}}1.000000e+00, 1.000000e+01]], {{\[\[}}1.000000e+01, 1.000000e+00]]]> : tensor<2x1x2xf32>, mc.sparsity = {pattern = "unstructured", sparsity = 5.000000e-01 : f64}} : (tensor<?x2x3x3xf32>, tensor<2x1x1x2xf32>) -> tensor<?x2x3x2xf32>
// WANDA: return
func.func @grouped_conv(%x: tensor<?x2x3x3xf32>) -> tensor<?x2x3x2xf32> {
  %w = mc.constant dense<[[[[3.0, 1.0]]], [[[3.0, 1.0]]]]> : tensor<2x1x1x2xf32>
  %y = mc.conv2d %x, %w {groups = 2 : i64, mc.calib_col_norm = dense<[[[1.0, 10.0]], [[10.0, 1.0]]]> : tensor<2x1x2xf32>} : (tensor<?x2x3x3xf32>, tensor<2x1x1x2xf32>) -> tensor<?x2x3x2xf32>
  return %y : tensor<?x2x3x2xf32>
}
