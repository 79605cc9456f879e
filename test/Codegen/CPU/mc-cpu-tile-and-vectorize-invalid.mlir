// RUN: not mc-opt %s --mc-cpu-tile-and-vectorize="row-tile=0" 2>&1 | FileCheck %s
// RUN: not mc-opt %s --mc-cpu-tile-and-vectorize="vector-tile=-4" 2>&1 | FileCheck %s --check-prefix=VEC

// CHECK: error: mc-cpu-tile-and-vectorize: row-tile and vector-tile must be positive (got 0 and 32)
// VEC: error: mc-cpu-tile-and-vectorize: row-tile and vector-tile must be positive (got 8 and -4)
func.func @f(%a: tensor<8x4xf32>, %b: tensor<4x32xf32>, %c: tensor<8x32xf32>) -> tensor<8x32xf32> {
  %0 = linalg.matmul ins(%a, %b : tensor<8x4xf32>, tensor<4x32xf32>) outs(%c : tensor<8x32xf32>) -> tensor<8x32xf32>
  return %0 : tensor<8x32xf32>
}
