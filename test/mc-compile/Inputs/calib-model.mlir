// A tiny float model for the calibration error tests.
func.func @main(%x: tensor<?x4xf32> {mc.name = "x"}) -> (tensor<?x2xf32> {mc.name = "y"}) {
  %w = mc.constant dense<[[1.0, 0.0, -1.0, 0.5], [0.0, 2.0, 0.0, -0.5]]> : tensor<2x4xf32>
  %y = mc.linear %x, %w : (tensor<?x4xf32>, tensor<2x4xf32>) -> tensor<?x2xf32> loc("fc")
  %r = mc.relu %y : tensor<?x2xf32> loc("act")
  return %r : tensor<?x2xf32>
}
