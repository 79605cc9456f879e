// RUN: mc-opt %s --mc-prune="skip=fc2" | FileCheck %s --check-prefix=SKIP
// RUN: mc-opt %s --mc-prune="skip=fc1,fc3" | FileCheck %s --check-prefix=SKIP2
// RUN: mc-opt %s --mc-prune="keep-first" | FileCheck %s --check-prefix=FIRST
// RUN: mc-opt %s --mc-prune="keep-first keep-last" | FileCheck %s --check-prefix=ENDS
// RUN: mc-opt %s --mc-prune="min-params=5" | FileCheck %s --check-prefix=MIN

// mc-prune's options that leave layers dense (magnitude, sparsity 0.5):
//  SKIP   skip=fc2: layers are named by their location, loc("fc2")
//  SKIP2  skip=fc1,fc3
//  FIRST  keep-first: the first prunable layer in program order
//  ENDS   keep-first keep-last
//  MIN    min-params=5: fc1 has 4 weights

// fc1 [[1, -4], [3, -2]] loses 1 and -2; fc2 loses its four smallest; fc3
// [[5, 6, .5, .25], [-7, 8, .5, .25]] loses its .5s and .25s. A dense layer keeps its weight and gets no
// mc.sparsity.
// SKIP-LABEL: func.func @mlp
// SKIP-DAG: %[[C0:.+]] = mc.constant dense<{{\[\[}}0.000000e+00, -4.000000e+00], [3.000000e+00, 0.000000e+00]]> : tensor<2x2xf32>
// SKIP: mc.linear %{{.+}}, %[[C0]] {mc.sparsity = {pattern = "unstructured", sparsity = 5.000000e-01 : f64}} : (tensor<?x2xf32>, tensor<2x2xf32>) -> tensor<?x2xf32>
// SKIP-DAG: %[[C1:.+]] = mc.constant dense<{{\[\[}}1.000000e+00, 2.000000e+00], [3.000000e+00, 4.000000e+00], [5.000000e+00, 6.000000e+00], [7.000000e+00, 8.000000e+00]]> : tensor<4x2xf32>
// SKIP: mc.linear %{{.+}}, %[[C1]] : (tensor<?x2xf32>, tensor<4x2xf32>) -> tensor<?x4xf32>
// SKIP-DAG: %[[C2:.+]] = mc.constant dense<{{\[\[}}5.000000e+00, 6.000000e+00, 0.000000e+00, 0.000000e+00], [-7.000000e+00, 8.000000e+00, 0.000000e+00, 0.000000e+00]]> : tensor<2x4xf32>
// SKIP: mc.linear %{{.+}}, %[[C2]] {mc.sparsity = {pattern = "unstructured", sparsity = 5.000000e-01 : f64}} : (tensor<?x4xf32>, tensor<2x4xf32>) -> tensor<?x2xf32>
// SKIP: return
// SKIP2-LABEL: func.func @mlp
// SKIP2-DAG: %[[C0:.+]] = mc.constant dense<{{\[\[}}1.000000e+00, -4.000000e+00], [3.000000e+00, -2.000000e+00]]> : tensor<2x2xf32>
// SKIP2: mc.linear %{{.+}}, %[[C0]] : (tensor<?x2xf32>, tensor<2x2xf32>) -> tensor<?x2xf32>
// SKIP2-DAG: %[[C1:.+]] = mc.constant dense<{{\[\[}}0.000000e+00, 0.000000e+00], [0.000000e+00, 0.000000e+00], [5.000000e+00, 6.000000e+00], [7.000000e+00, 8.000000e+00]]> : tensor<4x2xf32>
// SKIP2: mc.linear %{{.+}}, %[[C1]] {mc.sparsity = {pattern = "unstructured", sparsity = 5.000000e-01 : f64}} : (tensor<?x2xf32>, tensor<4x2xf32>) -> tensor<?x4xf32>
// SKIP2-DAG: %[[C2:.+]] = mc.constant dense<{{\[\[}}5.000000e+00, 6.000000e+00, 5.000000e-01, 2.500000e-01], [-7.000000e+00, 8.000000e+00, 5.000000e-01, 2.500000e-01]]> : tensor<2x4xf32>
// SKIP2: mc.linear %{{.+}}, %[[C2]] : (tensor<?x4xf32>, tensor<2x4xf32>) -> tensor<?x2xf32>
// SKIP2: return
// FIRST-LABEL: func.func @mlp
// FIRST-DAG: %[[C0:.+]] = mc.constant dense<{{\[\[}}1.000000e+00, -4.000000e+00], [3.000000e+00, -2.000000e+00]]> : tensor<2x2xf32>
// FIRST: mc.linear %{{.+}}, %[[C0]] : (tensor<?x2xf32>, tensor<2x2xf32>) -> tensor<?x2xf32>
// FIRST-DAG: %[[C1:.+]] = mc.constant dense<{{\[\[}}0.000000e+00, 0.000000e+00], [0.000000e+00, 0.000000e+00], [5.000000e+00, 6.000000e+00], [7.000000e+00, 8.000000e+00]]> : tensor<4x2xf32>
// FIRST: mc.linear %{{.+}}, %[[C1]] {mc.sparsity = {pattern = "unstructured", sparsity = 5.000000e-01 : f64}} : (tensor<?x2xf32>, tensor<4x2xf32>) -> tensor<?x4xf32>
// FIRST-DAG: %[[C2:.+]] = mc.constant dense<{{\[\[}}5.000000e+00, 6.000000e+00, 0.000000e+00, 0.000000e+00], [-7.000000e+00, 8.000000e+00, 0.000000e+00, 0.000000e+00]]> : tensor<2x4xf32>
// FIRST: mc.linear %{{.+}}, %[[C2]] {mc.sparsity = {pattern = "unstructured", sparsity = 5.000000e-01 : f64}} : (tensor<?x4xf32>, tensor<2x4xf32>) -> tensor<?x2xf32>
// FIRST: return
// ENDS-LABEL: func.func @mlp
// ENDS-DAG: %[[C0:.+]] = mc.constant dense<{{\[\[}}1.000000e+00, -4.000000e+00], [3.000000e+00, -2.000000e+00]]> : tensor<2x2xf32>
// ENDS: mc.linear %{{.+}}, %[[C0]] : (tensor<?x2xf32>, tensor<2x2xf32>) -> tensor<?x2xf32>
// ENDS-DAG: %[[C1:.+]] = mc.constant dense<{{\[\[}}0.000000e+00, 0.000000e+00], [0.000000e+00, 0.000000e+00], [5.000000e+00, 6.000000e+00], [7.000000e+00, 8.000000e+00]]> : tensor<4x2xf32>
// ENDS: mc.linear %{{.+}}, %[[C1]] {mc.sparsity = {pattern = "unstructured", sparsity = 5.000000e-01 : f64}} : (tensor<?x2xf32>, tensor<4x2xf32>) -> tensor<?x4xf32>
// ENDS-DAG: %[[C2:.+]] = mc.constant dense<{{\[\[}}5.000000e+00, 6.000000e+00, 5.000000e-01, 2.500000e-01], [-7.000000e+00, 8.000000e+00, 5.000000e-01, 2.500000e-01]]> : tensor<2x4xf32>
// ENDS: mc.linear %{{.+}}, %[[C2]] : (tensor<?x4xf32>, tensor<2x4xf32>) -> tensor<?x2xf32>
// ENDS: return
// MIN-LABEL: func.func @mlp
// MIN-DAG: %[[C0:.+]] = mc.constant dense<{{\[\[}}1.000000e+00, -4.000000e+00], [3.000000e+00, -2.000000e+00]]> : tensor<2x2xf32>
// MIN: mc.linear %{{.+}}, %[[C0]] : (tensor<?x2xf32>, tensor<2x2xf32>) -> tensor<?x2xf32>
// MIN-DAG: %[[C1:.+]] = mc.constant dense<{{\[\[}}0.000000e+00, 0.000000e+00], [0.000000e+00, 0.000000e+00], [5.000000e+00, 6.000000e+00], [7.000000e+00, 8.000000e+00]]> : tensor<4x2xf32>
// MIN: mc.linear %{{.+}}, %[[C1]] {mc.sparsity = {pattern = "unstructured", sparsity = 5.000000e-01 : f64}} : (tensor<?x2xf32>, tensor<4x2xf32>) -> tensor<?x4xf32>
// MIN-DAG: %[[C2:.+]] = mc.constant dense<{{\[\[}}5.000000e+00, 6.000000e+00, 0.000000e+00, 0.000000e+00], [-7.000000e+00, 8.000000e+00, 0.000000e+00, 0.000000e+00]]> : tensor<2x4xf32>
// MIN: mc.linear %{{.+}}, %[[C2]] {mc.sparsity = {pattern = "unstructured", sparsity = 5.000000e-01 : f64}} : (tensor<?x4xf32>, tensor<2x4xf32>) -> tensor<?x2xf32>
// MIN: return
func.func @mlp(%x: tensor<?x2xf32>) -> tensor<?x2xf32> {
  %w1 = mc.constant dense<[[1.0, -4.0], [3.0, -2.0]]> : tensor<2x2xf32>
  %h1 = mc.linear %x, %w1 : (tensor<?x2xf32>, tensor<2x2xf32>) -> tensor<?x2xf32> loc("fc1")
  %w2 = mc.constant dense<[[1.0, 2.0], [3.0, 4.0], [5.0, 6.0], [7.0, 8.0]]> : tensor<4x2xf32>
  %h2 = mc.linear %h1, %w2 : (tensor<?x2xf32>, tensor<4x2xf32>) -> tensor<?x4xf32> loc("fc2")
  %w3 = mc.constant dense<[[5.0, 6.0, 0.5, 0.25], [-7.0, 8.0, 0.5, 0.25]]> : tensor<2x4xf32>
  %y = mc.linear %h2, %w3 : (tensor<?x4xf32>, tensor<2x4xf32>) -> tensor<?x2xf32> loc("fc3")
  return %y : tensor<?x2xf32>
}
