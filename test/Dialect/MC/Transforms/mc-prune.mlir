// RUN: mc-opt %s -split-input-file --mc-prune | FileCheck %s --check-prefix=LAYER
// RUN: mc-opt %s -split-input-file --mc-prune="sparsity=0.3" | FileCheck %s --check-prefix=S03
// RUN: mc-opt %s -split-input-file --mc-prune="scope=global" | FileCheck %s --check-prefix=GLOBAL
// RUN: mc-opt %s -split-input-file --mc-prune="pattern=2:4" 2>/dev/null | FileCheck %s --check-prefix=NM24
// RUN: mc-opt %s -split-input-file --mc-prune="pattern=4:8" 2>/dev/null | FileCheck %s --check-prefix=NM48

// mc-prune with method=magnitude (the default): score |W|.
//  LAYER  sparsity=0.5, the round(0.5 * n) lowest |W| of each layer zeroed
//  S03    sparsity=0.3: round(0.3 * n), halves up (16 weights -> 5 zeros)
//  GLOBAL one threshold over every layer of the function
//  NM24   2:4, two largest of every 4 consecutive weights along the
//         reduction dimension kept (conv2d: flattened [C, KH, KW])
//  NM48   4:8
// Equal scores: the lower row-major index is pruned first. mc.sparsity
// records the fraction of zeros in the weight after pruning.
// Layers whose reduction size is not a multiple of M stay dense (the remark
// is tested in mc-prune-invalid.mlir).

// The example of the pass documentation: |W| = [1, 4, 3, 2], the two lowest
// (1 and 2) become zero. 2:4 and 4:8 leave it dense (2 columns).
// LAYER-LABEL: func.func @doc
// LAYER-DAG: %[[C0:.+]] = mc.constant dense<{{\[\[}}0.000000e+00, -4.000000e+00], [3.000000e+00, 0.000000e+00]]> : tensor<2x2xf32>
// LAYER: mc.linear %{{.+}}, %[[C0]] {mc.sparsity = {pattern = "unstructured", sparsity = 5.000000e-01 : f64}} : (tensor<?x2xf32>, tensor<2x2xf32>) -> tensor<?x2xf32>
// LAYER: return
// NM24-LABEL: func.func @doc
// NM24-DAG: %[[C0:.+]] = mc.constant dense<{{\[\[}}1.000000e+00, -4.000000e+00], [3.000000e+00, -2.000000e+00]]> : tensor<2x2xf32>
// NM24: mc.linear %{{.+}}, %[[C0]] : (tensor<?x2xf32>, tensor<2x2xf32>) -> tensor<?x2xf32>
// NM24: return
func.func @doc(%x: tensor<?x2xf32>) -> tensor<?x2xf32> {
  %w = mc.constant dense<[[1.0, -4.0], [3.0, -2.0]]> : tensor<2x2xf32>
  %y = mc.linear %x, %w : (tensor<?x2xf32>, tensor<2x2xf32>) -> tensor<?x2xf32>
  return %y : tensor<?x2xf32>
}

// -----

// Ties: |W| = [1, 1, 2, 2, 1, 3, 3, 0.5]. Four zeros: 0.5 (index 7) and the
// 1s at indices 0, 1, 4 (all three). sparsity=0.3 removes
// round(2.4) = 2: indices 7 and 0. The bias is untouched. 2:4 per row:
// row 0 [1, 1, 2, 2] keeps the 2s; row 1 [1, 3, 3, 0.5] keeps the 3s.
// LAYER-LABEL: func.func @ties
// LAYER-DAG: %[[C0:.+]] = mc.constant dense<[5.000000e-01, -5.000000e-01]> : tensor<2xf32>
// LAYER-DAG: %[[C1:.+]] = mc.constant dense<{{\[\[}}0.000000e+00, 0.000000e+00, 2.000000e+00, -2.000000e+00], [0.000000e+00, 3.000000e+00, -3.000000e+00, 0.000000e+00]]> : tensor<2x4xf32>
// LAYER: mc.linear %{{.+}}, %[[C1]], %[[C0]] {mc.sparsity = {pattern = "unstructured", sparsity = 5.000000e-01 : f64}} : (tensor<?x4xf32>, tensor<2x4xf32>, tensor<2xf32>) -> tensor<?x2xf32>
// LAYER: return
// S03-LABEL: func.func @ties
// S03-DAG: %[[C0:.+]] = mc.constant dense<[5.000000e-01, -5.000000e-01]> : tensor<2xf32>
// S03-DAG: %[[C1:.+]] = mc.constant dense<{{\[\[}}0.000000e+00, -1.000000e+00, 2.000000e+00, -2.000000e+00], [1.000000e+00, 3.000000e+00, -3.000000e+00, 0.000000e+00]]> : tensor<2x4xf32>
// S03: mc.linear %{{.+}}, %[[C1]], %[[C0]] {mc.sparsity = {pattern = "unstructured", sparsity = 2.500000e-01 : f64}} : (tensor<?x4xf32>, tensor<2x4xf32>, tensor<2xf32>) -> tensor<?x2xf32>
// S03: return
// NM24-LABEL: func.func @ties
// NM24-DAG: %[[C0:.+]] = mc.constant dense<[5.000000e-01, -5.000000e-01]> : tensor<2xf32>
// NM24-DAG: %[[C1:.+]] = mc.constant dense<{{\[\[}}0.000000e+00, 0.000000e+00, 2.000000e+00, -2.000000e+00], [0.000000e+00, 3.000000e+00, -3.000000e+00, 0.000000e+00]]> : tensor<2x4xf32>
// NM24: mc.linear %{{.+}}, %[[C1]], %[[C0]] {mc.sparsity = {pattern = "2:4", sparsity = 5.000000e-01 : f64}} : (tensor<?x4xf32>, tensor<2x4xf32>, tensor<2xf32>) -> tensor<?x2xf32>
// NM24: return
func.func @ties(%x: tensor<?x4xf32>) -> tensor<?x2xf32> {
  %w = mc.constant dense<[[1.0, -1.0, 2.0, -2.0], [1.0, 3.0, -3.0, 0.5]]> : tensor<2x4xf32>
  %b = mc.constant dense<[0.5, -0.5]> : tensor<2xf32>
  %y = mc.linear %x, %w, %b : (tensor<?x4xf32>, tensor<2x4xf32>, tensor<2xf32>) -> tensor<?x2xf32>
  return %y : tensor<?x2xf32>
}

// -----

// Per layer, not per row: the 8 lowest of 16 are 0.1 .. 0.7 (six in row 1)
// and 0.5, 1 of row 0. 0.3: round(4.8) = 5 zeros (0.1 .. 0.5).
// 2:4 groups [8 1 2 7] [3 6 .5 5] [.1 .2 .3 .4] [9 9.5 .6 .7]: the two largest
// of each stay. 4:8 keeps 8 7 6 5 of row 0 and 9 9.5 .7 .6 of row 1.
// LAYER-LABEL: func.func @rows
// LAYER-DAG: %[[C0:.+]] = mc.constant dense<{{\[\[}}8.000000e+00, 0.000000e+00, 2.000000e+00, 7.000000e+00, -3.000000e+00, 6.000000e+00, 0.000000e+00, -5.000000e+00], [0.000000e+00, 0.000000e+00, 0.000000e+00, 0.000000e+00, 9.000000e+00, -9.500000e+00, 0.000000e+00, 0.000000e+00]]> : tensor<2x8xf32>
// LAYER: mc.linear %{{.+}}, %[[C0]] {mc.sparsity = {pattern = "unstructured", sparsity = 5.000000e-01 : f64}} : (tensor<?x8xf32>, tensor<2x8xf32>) -> tensor<?x2xf32>
// LAYER: return
// S03-LABEL: func.func @rows
// S03-DAG: %[[C0:.+]] = mc.constant dense<{{\[\[}}8.000000e+00, -1.000000e+00, 2.000000e+00, 7.000000e+00, -3.000000e+00, 6.000000e+00, 0.000000e+00, -5.000000e+00], [0.000000e+00, 0.000000e+00, 0.000000e+00, 0.000000e+00, 9.000000e+00, -9.500000e+00, 6.000000e-01, 0.699999988]]> : tensor<2x8xf32>
// S03: mc.linear %{{.+}}, %[[C0]] {mc.sparsity = {pattern = "unstructured", sparsity = 3.125000e-01 : f64}} : (tensor<?x8xf32>, tensor<2x8xf32>) -> tensor<?x2xf32>
// S03: return
// NM24-LABEL: func.func @rows
// NM24-DAG: %[[C0:.+]] = mc.constant dense<{{\[\[}}8.000000e+00, 0.000000e+00, 0.000000e+00, 7.000000e+00, 0.000000e+00, 6.000000e+00, 0.000000e+00, -5.000000e+00], [0.000000e+00, 0.000000e+00, -3.000000e-01, 4.000000e-01, 9.000000e+00, -9.500000e+00, 0.000000e+00, 0.000000e+00]]> : tensor<2x8xf32>
// NM24: mc.linear %{{.+}}, %[[C0]] {mc.sparsity = {pattern = "2:4", sparsity = 5.000000e-01 : f64}} : (tensor<?x8xf32>, tensor<2x8xf32>) -> tensor<?x2xf32>
// NM24: return
// NM48-LABEL: func.func @rows
// NM48-DAG: %[[C0:.+]] = mc.constant dense<{{\[\[}}8.000000e+00, 0.000000e+00, 0.000000e+00, 7.000000e+00, 0.000000e+00, 6.000000e+00, 0.000000e+00, -5.000000e+00], [0.000000e+00, 0.000000e+00, 0.000000e+00, 0.000000e+00, 9.000000e+00, -9.500000e+00, 6.000000e-01, 0.699999988]]> : tensor<2x8xf32>
// NM48: mc.linear %{{.+}}, %[[C0]] {mc.sparsity = {pattern = "4:8", sparsity = 5.000000e-01 : f64}} : (tensor<?x8xf32>, tensor<2x8xf32>) -> tensor<?x2xf32>
// NM48: return
func.func @rows(%x: tensor<?x8xf32>) -> tensor<?x2xf32> {
  %w = mc.constant dense<[[8.0, -1.0, 2.0, 7.0, -3.0, 6.0, 0.5, -5.0], [0.1, 0.2, -0.3, 0.4, 9.0, -9.5, 0.6, 0.7]]> : tensor<2x8xf32>
  %y = mc.linear %x, %w : (tensor<?x8xf32>, tensor<2x8xf32>) -> tensor<?x2xf32>
  return %y : tensor<?x2xf32>
}

// -----

// conv2d: the reduction dimension is the flattened [C, KH, KW] = 8 of each
// filter. |W| of filter 0 is 1..8, of filter 1 .5 .25 4.5 0 2.5 3.5 .75 6.5;
// the 8 lowest are 0 .25 .5 .75 1 2 2.5 3. 2:4 groups are [1 2 3 4] [5 6 7 8]
// [.5 .25 4.5 0] [2.5 3.5 .75 6.5]; 4:8 keeps 5..8 and 4.5 2.5 3.5 6.5.
// LAYER-LABEL: func.func @conv
// LAYER-DAG: %[[C0:.+]] = mc.constant dense<{{\[\[\[\[}}0.000000e+00, 0.000000e+00], [0.000000e+00, -4.000000e+00]], {{\[\[}}5.000000e+00, -6.000000e+00], [7.000000e+00, -8.000000e+00]]], {{\[\[\[}}0.000000e+00, 0.000000e+00], [4.500000e+00, 0.000000e+00]], {{\[\[}}0.000000e+00, -3.500000e+00], [0.000000e+00, 6.500000e+00]]]]> : tensor<2x2x2x2xf32>
// LAYER: mc.conv2d %{{.+}}, %[[C0]] {mc.sparsity = {pattern = "unstructured", sparsity = 5.000000e-01 : f64}} : (tensor<?x2x3x3xf32>, tensor<2x2x2x2xf32>) -> tensor<?x2x2x2xf32>
// LAYER: return
// S03-LABEL: func.func @conv
// S03-DAG: %[[C0:.+]] = mc.constant dense<{{\[\[\[\[}}0.000000e+00, -2.000000e+00], [3.000000e+00, -4.000000e+00]], {{\[\[}}5.000000e+00, -6.000000e+00], [7.000000e+00, -8.000000e+00]]], {{\[\[\[}}0.000000e+00, 0.000000e+00], [4.500000e+00, 0.000000e+00]], {{\[\[}}2.500000e+00, -3.500000e+00], [0.000000e+00, 6.500000e+00]]]]> : tensor<2x2x2x2xf32>
// S03: mc.conv2d %{{.+}}, %[[C0]] {mc.sparsity = {pattern = "unstructured", sparsity = 3.125000e-01 : f64}} : (tensor<?x2x3x3xf32>, tensor<2x2x2x2xf32>) -> tensor<?x2x2x2xf32>
// S03: return
// NM24-LABEL: func.func @conv
// NM24-DAG: %[[C0:.+]] = mc.constant dense<{{\[\[\[\[}}0.000000e+00, 0.000000e+00], [3.000000e+00, -4.000000e+00]], {{\[\[}}0.000000e+00, 0.000000e+00], [7.000000e+00, -8.000000e+00]]], {{\[\[\[}}-5.000000e-01, 0.000000e+00], [4.500000e+00, 0.000000e+00]], {{\[\[}}0.000000e+00, -3.500000e+00], [0.000000e+00, 6.500000e+00]]]]> : tensor<2x2x2x2xf32>
// NM24: mc.conv2d %{{.+}}, %[[C0]] {mc.sparsity = {pattern = "2:4", sparsity = 5.000000e-01 : f64}} : (tensor<?x2x3x3xf32>, tensor<2x2x2x2xf32>) -> tensor<?x2x2x2xf32>
// NM24: return
// NM48-LABEL: func.func @conv
// NM48-DAG: %[[C0:.+]] = mc.constant dense<{{\[\[\[\[}}0.000000e+00, 0.000000e+00], [0.000000e+00, 0.000000e+00]], {{\[\[}}5.000000e+00, -6.000000e+00], [7.000000e+00, -8.000000e+00]]], {{\[\[\[}}0.000000e+00, 0.000000e+00], [4.500000e+00, 0.000000e+00]], {{\[\[}}2.500000e+00, -3.500000e+00], [0.000000e+00, 6.500000e+00]]]]> : tensor<2x2x2x2xf32>
// NM48: mc.conv2d %{{.+}}, %[[C0]] {mc.sparsity = {pattern = "4:8", sparsity = 5.000000e-01 : f64}} : (tensor<?x2x3x3xf32>, tensor<2x2x2x2xf32>) -> tensor<?x2x2x2xf32>
// NM48: return
func.func @conv(%x: tensor<?x2x3x3xf32>) -> tensor<?x2x2x2xf32> {
  %w = mc.constant dense<[[[[1.0, -2.0], [3.0, -4.0]], [[5.0, -6.0], [7.0, -8.0]]], [[[-0.5, 0.25], [4.5, 0.0]], [[2.5, -3.5], [0.75, 6.5]]]]> : tensor<2x2x2x2xf32>
  %y = mc.conv2d %x, %w : (tensor<?x2x3x3xf32>, tensor<2x2x2x2xf32>) -> tensor<?x2x2x2xf32>
  return %y : tensor<?x2x2x2xf32>
}

// -----

// Weights that are already zero count: 0.3 of 4 removes one weight (the
// first zero), and the recorded sparsity is the 0.5 actually reached.
// S03-LABEL: func.func @existing_zeros
// S03-DAG: %[[C0:.+]] = mc.constant dense<{{\[\[}}0.000000e+00, 0.000000e+00, 1.000000e+00, 2.000000e+00]]> : tensor<1x4xf32>
// S03: mc.linear %{{.+}}, %[[C0]] {mc.sparsity = {pattern = "unstructured", sparsity = 5.000000e-01 : f64}} : (tensor<?x4xf32>, tensor<1x4xf32>) -> tensor<?x1xf32>
// S03: return
func.func @existing_zeros(%x: tensor<?x4xf32>) -> tensor<?x1xf32> {
  %w = mc.constant dense<[[0.0, 0.0, 1.0, 2.0]]> : tensor<1x4xf32>
  %y = mc.linear %x, %w : (tensor<?x4xf32>, tensor<1x4xf32>) -> tensor<?x1xf32>
  return %y : tensor<?x1xf32>
}

// -----

// Global scope: 8 weights over two layers, the 4 smallest all in the second
// layer, which becomes all zero while the first stays dense (sparsity 0).
// Per layer, each loses its two smallest.
// LAYER-LABEL: func.func @global
// LAYER-DAG: %[[C0:.+]] = mc.constant dense<{{\[\[}}0.000000e+00, 0.000000e+00], [3.000000e+01, -4.000000e+01]]> : tensor<2x2xf32>
// LAYER: mc.linear %{{.+}}, %[[C0]] {mc.sparsity = {pattern = "unstructured", sparsity = 5.000000e-01 : f64}} : (tensor<?x2xf32>, tensor<2x2xf32>) -> tensor<?x2xf32>
// LAYER-DAG: %[[C1:.+]] = mc.constant dense<{{\[\[}}0.000000e+00, 0.000000e+00], [3.000000e-01, -4.000000e-01]]> : tensor<2x2xf32>
// LAYER: mc.linear %{{.+}}, %[[C1]] {mc.sparsity = {pattern = "unstructured", sparsity = 5.000000e-01 : f64}} : (tensor<?x2xf32>, tensor<2x2xf32>) -> tensor<?x2xf32>
// LAYER: return
// GLOBAL-LABEL: func.func @global
// GLOBAL-DAG: %[[C0:.+]] = mc.constant dense<{{\[\[}}1.000000e+01, -2.000000e+01], [3.000000e+01, -4.000000e+01]]> : tensor<2x2xf32>
// GLOBAL: mc.linear %{{.+}}, %[[C0]] {mc.sparsity = {pattern = "unstructured", sparsity = 0.000000e+00 : f64}} : (tensor<?x2xf32>, tensor<2x2xf32>) -> tensor<?x2xf32>
// GLOBAL-DAG: %[[C1:.+]] = mc.constant dense<0.000000e+00> : tensor<2x2xf32>
// GLOBAL: mc.linear %{{.+}}, %[[C1]] {mc.sparsity = {pattern = "unstructured", sparsity = 1.000000e+00 : f64}} : (tensor<?x2xf32>, tensor<2x2xf32>) -> tensor<?x2xf32>
// GLOBAL: return
func.func @global(%x: tensor<?x2xf32>) -> tensor<?x2xf32> {
  %w1 = mc.constant dense<[[10.0, -20.0], [30.0, -40.0]]> : tensor<2x2xf32>
  %h = mc.linear %x, %w1 : (tensor<?x2xf32>, tensor<2x2xf32>) -> tensor<?x2xf32>
  %w2 = mc.constant dense<[[0.1, -0.2], [0.3, -0.4]]> : tensor<2x2xf32>
  %y = mc.linear %h, %w2 : (tensor<?x2xf32>, tensor<2x2xf32>) -> tensor<?x2xf32>
  return %y : tensor<?x2xf32>
}

// -----

// A weight that is not a constant is not a prunable layer.
// LAYER-LABEL: func.func @not_constant
// LAYER: mc.linear %{{.+}}, %{{.+}} : (tensor<?x4xf32>, tensor<2x4xf32>) -> tensor<?x2xf32>
// LAYER: return
// NM24-LABEL: func.func @not_constant
// NM24: mc.linear %{{.+}}, %{{.+}} : (tensor<?x4xf32>, tensor<2x4xf32>) -> tensor<?x2xf32>
// NM24: return
func.func @not_constant(%x: tensor<?x4xf32>, %w: tensor<2x4xf32>) -> tensor<?x2xf32> {
  %y = mc.linear %x, %w : (tensor<?x4xf32>, tensor<2x4xf32>) -> tensor<?x2xf32>
  return %y : tensor<?x2xf32>
}
