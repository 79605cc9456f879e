// A static model whose first input has an empty leading dimension: its
// batch is 0 (ONNX Reshape with allowzero on a 0x3x4 tensor).
func.func @main(%x: tensor<0x3x4xf32> {mc.name = "data"}) -> (tensor<3x4x0xf32> {mc.name = "reshaped"}) {
  %0 = mc.reshape %x : tensor<0x3x4xf32> -> tensor<3x4x0xf32>
  return %0 : tensor<3x4x0xf32>
}
