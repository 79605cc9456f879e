// A model whose hidden layer needs a buffer of batch * 2048 floats between
// the two products (8 KiB per sample): the allocation test runs it at
// batches that put that buffer below and above 1 MiB. Every output is
// 2.048 * max(0, 0.01 * sum(x) - 0.5) + 0.25.
func.func @main(%x: tensor<?x256xf32> {mc.name = "x"}) -> (tensor<?x8xf32> {mc.name = "y"}) {
  %w1 = mc.constant dense<0.01> : tensor<2048x256xf32>
  %b1 = mc.constant dense<-0.5> : tensor<2048xf32>
  %w2 = mc.constant dense<0.001> : tensor<8x2048xf32>
  %b2 = mc.constant dense<0.25> : tensor<8xf32>
  %h = mc.linear %x, %w1, %b1 : (tensor<?x256xf32>, tensor<2048x256xf32>, tensor<2048xf32>) -> tensor<?x2048xf32>
  %s = mc.relu %h : tensor<?x2048xf32>
  %y = mc.linear %s, %w2, %b2 : (tensor<?x2048xf32>, tensor<8x2048xf32>, tensor<8xf32>) -> tensor<?x8xf32>
  return %y : tensor<?x8xf32>
}
