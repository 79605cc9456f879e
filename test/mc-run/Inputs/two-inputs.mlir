// Two inputs, the first with a dynamic batch: y = x + bias.
func.func @main(%x: tensor<?x3xf32> {mc.name = "x"}, %b: tensor<3xf32> {mc.name = "bias"}) -> (tensor<?x3xf32> {mc.name = "y"}) {
  %y = mc.add %x, %b : (tensor<?x3xf32>, tensor<3xf32>) -> tensor<?x3xf32>
  return %y : tensor<?x3xf32>
}
