// RUN: not mc-opt %s --mc-quantize 2>&1 | FileCheck %s

// A named layer without statistics: the error names the layer and says how
// to leave it in float.
// CHECK: error: loc("fc1"): 'mc.linear' op input has no 'mc.calib' statistics, needed to quantize its activations (run calibration first, or leave the layer in float with skip=fc1)
// CHECK-NOT: error
func.func @no_input_calib(%x: tensor<?x2xf32>) -> tensor<?x2xf32> {
  %w = mc.constant dense<1.0> : tensor<2x2xf32>
  %y = mc.linear %x, %w {mc.calib = {min = -1.0 : f64, max = 1.0 : f64, count = 4 : i64}} : (tensor<?x2xf32>, tensor<2x2xf32>) -> tensor<?x2xf32> loc("fc1")
  return %y : tensor<?x2xf32>
}
