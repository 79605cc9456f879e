// RUN: mc-opt %s --mc-cpu-lower-vectors | FileCheck %s

// A 4x16x1 contraction (what mc-cpu-tile-and-vectorize leaves in the
// reduction loop) becomes one FMA per accumulator row: the left-hand element
// broadcast times the 16-wide right-hand row; the 2-D accumulator transfers
// become 1-D loads and stores of its rows.
// CHECK-LABEL: func.func @tile(
// CHECK-COUNT-4: vector.load %{{.+}} : memref<?x1xf32>, vector<1xf32>
// CHECK: %[[ROW:.+]] = vector.load %{{.+}} : memref<16xf32>, vector<16xf32>
// CHECK-COUNT-4: vector.load %{{.+}} : memref<?x16xf32>, vector<16xf32>
// CHECK: %[[E:.+]] = vector.extract %{{.+}}[0] : f32 from vector<1xf32>
// CHECK: %[[S:.+]] = vector.broadcast %[[E]] : f32 to vector<16xf32>
// CHECK: vector.fma %[[S]], %[[ROW]], %{{.+}} : vector<16xf32>
// CHECK-COUNT-3: vector.fma %{{.+}}, %[[ROW]], %{{.+}} : vector<16xf32>
// CHECK-COUNT-4: vector.store %{{.+}} : memref<?x16xf32>, vector<16xf32>
// CHECK-NOT: vector.contract
// CHECK-NOT: vector.outerproduct
// CHECK-NOT: vector.transfer_read
// CHECK-NOT: vector.transfer_write
func.func @tile(%a: memref<?x1xf32>, %b: memref<16xf32>, %c: memref<?x16xf32>) {
  %c0 = arith.constant 0 : index
  %f0 = arith.constant 0.0 : f32
  %lhs = vector.transfer_read %a[%c0, %c0], %f0 {in_bounds = [true, true]} : memref<?x1xf32>, vector<4x1xf32>
  %row = vector.transfer_read %b[%c0], %f0 {in_bounds = [true]} : memref<16xf32>, vector<16xf32>
  %rhs = vector.broadcast %row : vector<16xf32> to vector<1x16xf32>
  %acc = vector.transfer_read %c[%c0, %c0], %f0 {in_bounds = [true, true]} : memref<?x16xf32>, vector<4x16xf32>
  %r = vector.contract {indexing_maps = [affine_map<(m, n, k) -> (m, k)>, affine_map<(m, n, k) -> (k, n)>, affine_map<(m, n, k) -> (m, n)>], iterator_types = ["parallel", "parallel", "reduction"], kind = #vector.kind<add>} %lhs, %rhs, %acc : vector<4x1xf32>, vector<1x16xf32> into vector<4x16xf32>
  vector.transfer_write %r, %c[%c0, %c0] {in_bounds = [true, true]} : vector<4x16xf32>, memref<?x16xf32>
  return
}
