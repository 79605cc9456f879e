// A model without a dynamic dimension: it runs at batch 2 only.
func.func @main(%x: tensor<2x3xf32> {mc.name = "x"}) -> (tensor<2x3xf32> {mc.name = "y"}) {
  %y = mc.relu %x : tensor<2x3xf32>
  return %y : tensor<2x3xf32>
}
