// --prune-keep-first / --prune-keep-last leave the first / last prunable
// layer dense (mc-prune's keep-first / keep-last options); the others are
// pruned as usual. The report's sparsity column shows which were pruned.
//
// RUN: mc-compile %s -o %t.so --prune=magnitude --sparsity=0.5 -v | FileCheck %s --check-prefix=ALL
// RUN: mc-compile %s -o %t.so --prune=magnitude --sparsity=0.5 --prune-keep-first -v | FileCheck %s --check-prefix=FIRST
// RUN: mc-compile %s -o %t.so --prune=magnitude --sparsity=0.5 --prune-keep-last -v | FileCheck %s --check-prefix=LAST
// RUN: mc-compile %s -o %t.so --prune=magnitude --sparsity=0.5 --prune-keep-first --prune-keep-last -v | FileCheck %s --check-prefix=BOTH

func.func @main(%x: tensor<?x4xf32>) -> tensor<?x4xf32> {
  %w1 = mc.constant dense<[[1.0, -2.0, 3.0, -4.0], [5.0, 6.0, -7.0, 8.0], [1.5, 2.5, 3.5, 4.5], [-1.0, 1.0, -1.0, 1.0]]> : tensor<4x4xf32>
  %w2 = mc.constant dense<[[1.0, 2.0, 3.0, 4.0], [4.0, 3.0, 2.0, 1.0], [1.0, -1.0, 1.0, -1.0], [2.0, 2.0, -2.0, -2.0]]> : tensor<4x4xf32>
  %w3 = mc.constant dense<[[0.5, 1.5, 2.5, 3.5], [3.5, 2.5, 1.5, 0.5], [1.0, 2.0, 1.0, 2.0], [2.0, 1.0, 2.0, 1.0]]> : tensor<4x4xf32>
  %a = mc.linear %x, %w1 : (tensor<?x4xf32>, tensor<4x4xf32>) -> tensor<?x4xf32> loc("fc1")
  %b = mc.linear %a, %w2 : (tensor<?x4xf32>, tensor<4x4xf32>) -> tensor<?x4xf32> loc("fc2")
  %c = mc.linear %b, %w3 : (tensor<?x4xf32>, tensor<4x4xf32>) -> tensor<?x4xf32> loc("fc3")
  return %c : tensor<?x4xf32>
}

// ALL: fc1 linear 16 16 50.0% unstructured
// ALL-NEXT: fc2 linear 16 16 50.0% unstructured
// ALL-NEXT: fc3 linear 16 16 50.0% unstructured

// FIRST: fc1 linear 16 16 0.0% dense
// FIRST-NEXT: fc2 linear 16 16 50.0% unstructured
// FIRST-NEXT: fc3 linear 16 16 50.0% unstructured

// LAST: fc1 linear 16 16 50.0% unstructured
// LAST-NEXT: fc2 linear 16 16 50.0% unstructured
// LAST-NEXT: fc3 linear 16 16 0.0% dense

// BOTH: fc1 linear 16 16 0.0% dense
// BOTH-NEXT: fc2 linear 16 16 50.0% unstructured
// BOTH-NEXT: fc3 linear 16 16 0.0% dense
