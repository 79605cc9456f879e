// RUN: mc-opt %s -split-input-file --mc-cpu-tile-and-vectorize="row-tile=4 vector-tile=16" | FileCheck %s

// A matmul with a dynamic row count: full 4x16 register tiles in a peeled
// main loop, the accumulator read once before the reduction loop and kept in
// registers (iter_args of vector type), one 4x16x1 vector.contract per step;
// the remaining rows are done one at a time with 16-wide vectors.
// CHECK-LABEL: func.func @matmul(
// CHECK-SAME: %[[A:.+]]: tensor<?x16xf32>, %[[B:.+]]: tensor<16x64xf32>, %[[C:.+]]: tensor<?x64xf32>)
// CHECK-DAG: %[[C1:.+]] = arith.constant 1 : index
// CHECK-DAG: %[[C4:.+]] = arith.constant 4 : index
// CHECK-DAG: %[[C16:.+]] = arith.constant 16 : index
// CHECK-DAG: %[[C64:.+]] = arith.constant 64 : index
// CHECK: %[[FULL:.+]] = affine.apply
// CHECK: scf.for %[[I:.+]] = %{{.+}} to %[[FULL]] step %[[C4]]
// CHECK:   scf.for %[[J:.+]] = %{{.+}} to %[[C64]] step %[[C16]]
// CHECK:     %[[ACC:.+]] = vector.transfer_read %{{.+}}[%[[I]], %[[J]]]{{.*}} : tensor<?x64xf32>, vector<4x16xf32>
// CHECK:     %[[RES:.+]] = scf.for %[[K:.+]] = %{{.+}} to %[[C16]] step %[[C1]] iter_args(%[[IT:.+]] = %[[ACC]]) -> (vector<4x16xf32>)
// CHECK:       %[[LHS:.+]] = vector.transfer_read %[[A]][%[[I]], %[[K]]]{{.*}} : tensor<?x16xf32>, vector<4x1xf32>
// CHECK:       %[[ROW:.+]] = vector.transfer_read %[[B]][%[[K]], %[[J]]]{{.*}} : tensor<16x64xf32>, vector<16xf32>
// CHECK:       %[[RHS:.+]] = vector.broadcast %[[ROW]] : vector<16xf32> to vector<1x16xf32>
// CHECK:       vector.contract {{.*}} %[[LHS]], %[[RHS]], %[[IT]] : vector<4x1xf32>, vector<1x16xf32> into vector<4x16xf32>
// CHECK:     vector.transfer_write %[[RES]], %{{.+}}[%[[I]], %[[J]]]
// CHECK: scf.for %{{.+}} = %[[FULL]] to
// CHECK:   scf.for
// CHECK:     scf.for {{.*}} step %[[C1]]
// CHECK:       scf.for {{.*}} -> (vector<16xf32>)
// CHECK:         vector.contract {{.*}} : vector<1xf32>, vector<1x16xf32> into vector<16xf32>
// CHECK-NOT: linalg.matmul
func.func @matmul(%a: tensor<?x16xf32>, %b: tensor<16x64xf32>, %c: tensor<?x64xf32>) -> tensor<?x64xf32> {
  %0 = linalg.matmul ins(%a, %b : tensor<?x16xf32>, tensor<16x64xf32>) outs(%c : tensor<?x64xf32>) -> tensor<?x64xf32>
  return %0 : tensor<?x64xf32>
}

// -----

// The im2col contraction of a convolution: the batch is tiled by 1 with the
// patch gather fused into that loop (one image's patches at a time), then
// 4x16 tiles over (filters, pixels); 20 pixels leave a static 4x4 tile.
// CHECK-LABEL: func.func @conv_contraction(
// CHECK: scf.for %[[N:.+]] = {{.*}} -> (tensor<?x8x20xf32>)
// CHECK:   %[[PATCHES:.+]] = linalg.generic {{.*}} outs(%{{.+}} : tensor<1x9x20xf32>)
// CHECK:     tensor.extract
// CHECK:   scf.for {{.*}} -> (tensor<1x8x20xf32>)
// CHECK:     scf.for {{.*}} -> (vector<4x16xf32>)
// CHECK:       vector.transfer_read %[[PATCHES]]{{.*}} vector<16xf32>
// CHECK:       vector.contract {{.*}} into vector<4x16xf32>
// CHECK:     scf.for {{.*}} -> (vector<4x4xf32>)
// CHECK:       vector.contract {{.*}} into vector<4x4xf32>
// CHECK-NOT: linalg.contract
#patch = affine_map<(n, k, p) -> (n, k, p)>
func.func @conv_contraction(%x: tensor<?x1x6x6xf32>, %w: tensor<8x9xf32>, %init: tensor<?x8x20xf32>) -> tensor<?x8x20xf32> {
  %c0 = arith.constant 0 : index
  %n = tensor.dim %x, %c0 : tensor<?x1x6x6xf32>
  %e = tensor.empty(%n) : tensor<?x9x20xf32>
  %patches = linalg.generic {indexing_maps = [#patch], iterator_types = ["parallel", "parallel", "parallel"]} outs(%e : tensor<?x9x20xf32>) {
  ^bb0(%out: f32):
    %i = linalg.index 0 : index
    %v = tensor.extract %x[%i, %c0, %c0, %c0] : tensor<?x1x6x6xf32>
    linalg.yield %v : f32
  } -> tensor<?x9x20xf32>
  %0 = linalg.contract indexing_maps = [affine_map<(n, f, p, k) -> (f, k)>, affine_map<(n, f, p, k) -> (n, k, p)>, affine_map<(n, f, p, k) -> (n, f, p)>] ins(%w, %patches : tensor<8x9xf32>, tensor<?x9x20xf32>) outs(%init : tensor<?x8x20xf32>) -> tensor<?x8x20xf32>
  return %0 : tensor<?x8x20xf32>
}

// -----

// An elementwise op that writes a fresh tensor while the contraction's
// result dies at it takes that result as its destination (in-place after
// bufferization); integer contractions are left alone.
// CHECK-LABEL: func.func @relu_in_place(
// CHECK: %[[MM:.+]] = scf.for
// CHECK: linalg.generic {{.*}} ins(%[[MM]] : tensor<8x32xf32>) outs(%[[MM]] : tensor<8x32xf32>)
func.func @relu_in_place(%a: tensor<8x4xf32>, %b: tensor<4x32xf32>, %c: tensor<8x32xf32>) -> tensor<8x32xf32> {
  %zero = arith.constant 0.0 : f32
  %0 = linalg.matmul ins(%a, %b : tensor<8x4xf32>, tensor<4x32xf32>) outs(%c : tensor<8x32xf32>) -> tensor<8x32xf32>
  %e = tensor.empty() : tensor<8x32xf32>
  %1 = linalg.generic {indexing_maps = [affine_map<(i, j) -> (i, j)>, affine_map<(i, j) -> (i, j)>], iterator_types = ["parallel", "parallel"]} ins(%0 : tensor<8x32xf32>) outs(%e : tensor<8x32xf32>) {
  ^bb0(%in: f32, %out: f32):
    %r = arith.maximumf %in, %zero : f32
    linalg.yield %r : f32
  } -> tensor<8x32xf32>
  return %1 : tensor<8x32xf32>
}

// CHECK-LABEL: func.func @integer_untouched(
// CHECK: linalg.matmul
// CHECK-NOT: vector.contract
func.func @integer_untouched(%a: tensor<8x4xi32>, %b: tensor<4x32xi32>, %c: tensor<8x32xi32>) -> tensor<8x32xi32> {
  %0 = linalg.matmul ins(%a, %b : tensor<8x4xi32>, tensor<4x32xi32>) outs(%c : tensor<8x32xi32>) -> tensor<8x32xi32>
  return %0 : tensor<8x32xi32>
}
