// A model with two inputs for the calibration folder-layout errors.
func.func @main(%a: tensor<?x4xf32> {mc.name = "a"}, %b: tensor<?x4xf32> {mc.name = "b"}) -> (tensor<?x4xf32> {mc.name = "y"}) {
  %y = mc.add %a, %b : (tensor<?x4xf32>, tensor<?x4xf32>) -> tensor<?x4xf32> loc("sum")
  return %y : tensor<?x4xf32>
}
