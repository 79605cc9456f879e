// Only the leading dimension may be dynamic in the runtime ABI.
func.func @main(%x: tensor<4x?xf32> {mc.name = "x"}) -> tensor<4x?xf32> {
  %y = mc.relu %x : tensor<4x?xf32>
  return %y : tensor<4x?xf32>
}
