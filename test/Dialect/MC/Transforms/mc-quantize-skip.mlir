// RUN: mc-opt %s --mc-quantize=skip=fc1 | FileCheck %s

// mc-quantize with skip=fc1: fc1 stays float (it keeps its statistics);
// fc3 quantizes the softmax output and fc2 quantizes fc1's float result with
// fc1's range [-1, 2.984375] (s = 2^-6, zp = -64). A skipped layer needs no
// statistics of its own input.
// CHECK-LABEL: func.func @skip
// CHECK-SAME: (%[[X:[^:]+]]: tensor<?x4xf32>)
// CHECK-NOT: mc.quantize %[[X]]
// CHECK: %[[Y1:.+]] = mc.linear %[[X]], %{{.+}} {mc.calib
// CHECK: %[[S:.+]] = mc.softmax %[[Y1]]
// CHECK: %[[SQ:.+]] = mc.quantize %[[S]] : tensor<?x2xf32> -> tensor<?x2x!quant.uniform<i8:f32, 0.0039215686274509803:-128>>
// CHECK: mc.qlinear %[[SQ]]
// CHECK: %[[Y1Q:.+]] = mc.quantize %[[Y1]] : tensor<?x2xf32> -> tensor<?x2x!quant.uniform<i8:f32, 1.562500e-02:-64>>
// CHECK: mc.qlinear %[[Y1Q]]
// CHECK-NOT: mc.linear
// CHECK: return
func.func @skip(%x: tensor<?x4xf32>) -> (tensor<?x2xf32>, tensor<?x2xf32>) {
  %w = mc.constant dense<[[1.0, 0.0, 0.0, 0.0], [0.0, 1.0, 0.0, 0.0]]> : tensor<2x4xf32>
  %w2 = mc.constant dense<[[1.0, 0.0], [0.0, 1.0]]> : tensor<2x2xf32>
  %y1 = mc.linear %x, %w {mc.calib = {min = -1.0 : f64, max = 2.984375 : f64, count = 20 : i64}} : (tensor<?x4xf32>, tensor<2x4xf32>) -> tensor<?x2xf32> loc("fc1")
  %s = mc.softmax %y1 {mc.calib = {min = 0.0 : f64, max = 1.0 : f64, count = 20 : i64}} : tensor<?x2xf32>
  %y3 = mc.linear %s, %w2 {mc.calib = {min = 0.0 : f64, max = 1.0 : f64, count = 20 : i64}} : (tensor<?x2xf32>, tensor<2x2xf32>) -> tensor<?x2xf32> loc("fc3")
  %y2 = mc.linear %y1, %w2 {mc.calib = {min = -1.0 : f64, max = 2.984375 : f64, count = 20 : i64}} : (tensor<?x2xf32>, tensor<2x2xf32>) -> tensor<?x2xf32> loc("fc2")
  return %y2, %y3 : tensor<?x2xf32>, tensor<?x2xf32>
}
