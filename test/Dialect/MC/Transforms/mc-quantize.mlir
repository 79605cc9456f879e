// RUN: mc-opt %s -split-input-file --mc-quantize | FileCheck %s

// mc-quantize. The ranges are chosen so that every scale is a power of two:
//   activation: lo = min(r_min, 0), hi = max(r_max, 0), s = (hi - lo) / 255,
//               zp = clamp(round(-128 - lo / s), -128, 127)
//   weight:     s_w[c] = max_i |w[c, i]| / 127, q = round(w / s_w[c])
//   bias:       round(b[c] / (s_in * s_w[c]))
//   requantize: S[c] = s_in * s_w[c] / s_out
// Rounding is half to even.

// A linear layer with a bias, calibration on the argument and on the layer.
//   input [-0.5, 1.4921875]:  s_in = 1.9921875 / 255 = 2^-7, zp = -128 + 64 = -64
//   row 0: max |w| = 1.984375 = 127 * 2^-6 -> s_w = 2^-6,
//          q = [127, -64, 32, round(0.5) = 0]
//   row 1: max |w| = 0.9921875 = 127 * 2^-7 -> s_w = 2^-7,
//          q = [127, -127, round(1.5) = 2, round(-2.5) = -2]
//   bias: 1.0 / 2^-13 = 8192, -0.25 / 2^-14 = -4096
//   output [-1, 2.984375]: s_out = 3.984375 / 255 = 2^-6, zp = -128 + 64 = -64
//   S = [2^-7 * 2^-6 / 2^-6, 2^-7 * 2^-7 / 2^-6] = [2^-7, 2^-8]
// The layer's mc.sparsity survives; its mc.calib does not.
// CHECK-LABEL: func.func @linear
// CHECK-SAME: (%[[X:[^:]+]]: tensor<?x4xf32>
// CHECK: %[[XQ:.+]] = mc.quantize %[[X]] : tensor<?x4xf32> -> tensor<?x4x!quant.uniform<i8:f32, 7.812500e-03:-64>>
// CHECK: %[[WI:.+]] = mc.constant dense<{{\[\[}}127, -64, 32, 0], [127, -127, 2, -2]]> : tensor<2x4xi8>
// CHECK: %[[W:.+]] = mc.storage_cast %[[WI]] : tensor<2x4xi8> -> tensor<2x4x!quant.uniform<i8:f32:0, {1.562500e-02,7.812500e-03}>>
// CHECK: %[[B:.+]] = mc.constant dense<[8192, -4096]> : tensor<2xi32>
// CHECK: %[[ACC:.+]] = mc.qlinear %[[XQ]], %[[W]], %[[B]] {mc.sparsity = {pattern = "unstructured", sparsity = 2.500000e-01 : f64}} : (tensor<?x4x!quant.uniform<i8:f32, 7.812500e-03:-64>>, tensor<2x4x!quant.uniform<i8:f32:0, {1.562500e-02,7.812500e-03}>>, tensor<2xi32>) -> tensor<?x2xi32>
// CHECK: %[[YQ:.+]] = mc.requantize %[[ACC]] {axis = 1 : i64, scale = array<f64: 7.812500e-03, 3.906250e-03>} : tensor<?x2xi32> -> tensor<?x2x!quant.uniform<i8:f32, 1.562500e-02:-64>>
// CHECK: %[[Y:.+]] = mc.dequantize %[[YQ]] : tensor<?x2x!quant.uniform<i8:f32, 1.562500e-02:-64>> -> tensor<?x2xf32>
// CHECK-NOT: mc.linear
// CHECK: return %[[Y]]
func.func @linear(%x: tensor<?x4xf32> {mc.calib = {min = -0.5 : f64, max = 1.4921875 : f64, count = 40 : i64}}) -> tensor<?x2xf32> {
  %w = mc.constant dense<[[1.984375, -1.0, 0.5, 0.0078125], [0.9921875, -0.9921875, 0.01171875, -0.01953125]]> : tensor<2x4xf32>
  %b = mc.constant dense<[1.0, -0.25]> : tensor<2xf32>
  %y = mc.linear %x, %w, %b {mc.calib = {min = -1.0 : f64, max = 2.984375 : f64, count = 20 : i64}, mc.sparsity = {pattern = "unstructured", sparsity = 0.25 : f64}} : (tensor<?x4xf32>, tensor<2x4xf32>, tensor<2xf32>) -> tensor<?x2xf32> loc("fc")
  return %y : tensor<?x2xf32>
}

// -----

// conv -> relu -> max_pool -> flatten -> linear -> softmax: the ReLU folds
// (its range [0, 3.984375] gives s = 2^-6, zp = -128), pooling and flatten run
// on int8, and the only mc.dequantize is before the float softmax.
//   input [0, 1.9921875]: s_in = 2^-7, zp = -128
//   conv: w = [1.984375, -0.9921875] -> s_w = [2^-6, 2^-7], q = [127, -127]
//         S = [2^-7 * 2^-6 / 2^-6, 2^-7 * 2^-7 / 2^-6] = [2^-7, 2^-8]
//   fc: w = 1.984375 everywhere -> s_w = 2^-6, q = 127
//       output [-4, 3.96875]: s = 7.96875 / 255 = 2^-5, zp = -128 + 128 = 0
//       S = 2^-6 * 2^-6 / 2^-5 = 2^-7
// CHECK-LABEL: func.func @cnn
// CHECK-SAME: (%[[X:[^:]+]]: tensor<?x1x4x4xf32>
// CHECK: %[[XQ:.+]] = mc.quantize %[[X]] : tensor<?x1x4x4xf32> -> tensor<?x1x4x4x!quant.uniform<i8:f32, 7.812500e-03:-128>>
// CHECK: %[[WI:.+]] = mc.constant dense<{{\[\[\[\[}}127]]], {{\[\[\[}}-127]]]]> : tensor<2x1x1x1xi8>
// CHECK: %[[W:.+]] = mc.storage_cast %[[WI]] : tensor<2x1x1x1xi8> -> tensor<2x1x1x1x!quant.uniform<i8:f32:0, {1.562500e-02,7.812500e-03}>>
// CHECK: %[[C:.+]] = mc.qconv2d %[[XQ]], %[[W]] : (tensor<?x1x4x4x!quant.uniform<i8:f32, 7.812500e-03:-128>>, tensor<2x1x1x1x!quant.uniform<i8:f32:0, {1.562500e-02,7.812500e-03}>>) -> tensor<?x2x4x4xi32>
// CHECK: %[[CQ:.+]] = mc.requantize %[[C]] {axis = 1 : i64, scale = array<f64: 7.812500e-03, 3.906250e-03>} : tensor<?x2x4x4xi32> -> tensor<?x2x4x4x!quant.uniform<i8:f32, 1.562500e-02:-128>>
// CHECK-NOT: mc.relu
// CHECK: %[[P:.+]] = mc.max_pool2d %[[CQ]] {kernel = array<i64: 2, 2>, strides = array<i64: 2, 2>} : (tensor<?x2x4x4x!quant.uniform<i8:f32, 1.562500e-02:-128>>) -> tensor<?x2x2x2x!quant.uniform<i8:f32, 1.562500e-02:-128>>
// CHECK: %[[F:.+]] = mc.flatten %[[P]] : (tensor<?x2x2x2x!quant.uniform<i8:f32, 1.562500e-02:-128>>) -> tensor<?x8x!quant.uniform<i8:f32, 1.562500e-02:-128>>
// CHECK: %[[W2I:.+]] = mc.constant dense_resource<fc.qweight> : tensor<3x8xi8>
// CHECK: %[[W2:.+]] = mc.storage_cast %[[W2I]] : tensor<3x8xi8> -> tensor<3x8x!quant.uniform<i8:f32:0, {1.562500e-02,1.562500e-02,1.562500e-02}>>
// CHECK: %[[ACC:.+]] = mc.qlinear %[[F]], %[[W2]] :
// CHECK: %[[YQ:.+]] = mc.requantize %[[ACC]] {axis = 1 : i64, scale = array<f64: 7.812500e-03, 7.812500e-03, 7.812500e-03>} : tensor<?x3xi32> -> tensor<?x3x!quant.uniform<i8:f32, 3.125000e-02>>
// CHECK: %[[Y:.+]] = mc.dequantize %[[YQ]]
// CHECK: %[[S:.+]] = mc.softmax %[[Y]]
// CHECK: return %[[S]]
// The 24 weights (more than 16) are a blob: 4 alignment bytes, then 0x7F = 127.
// CHECK: fc.qweight: "0x010000007F7F7F7F7F7F7F7F7F7F7F7F7F7F7F7F7F7F7F7F7F7F7F7F"
func.func @cnn(%x: tensor<?x1x4x4xf32> {mc.calib = {min = 0.0 : f64, max = 1.9921875 : f64, count = 40 : i64}}) -> tensor<?x3xf32> {
  %w = mc.constant dense<[[[[1.984375]]], [[[-0.9921875]]]]> : tensor<2x1x1x1xf32>
  %c = mc.conv2d %x, %w {pads = array<i64: 0, 0, 0, 0>, mc.calib = {min = -0.9921875 : f64, max = 3.984375 : f64, count = 20 : i64}} : (tensor<?x1x4x4xf32>, tensor<2x1x1x1xf32>) -> tensor<?x2x4x4xf32> loc("conv1")
  %r = mc.relu %c {mc.calib = {min = 0.0 : f64, max = 3.984375 : f64, count = 20 : i64}} : tensor<?x2x4x4xf32>
  %p = mc.max_pool2d %r {kernel = array<i64: 2, 2>, strides = array<i64: 2, 2>, mc.calib = {min = 0.0 : f64, max = 3.984375 : f64, count = 20 : i64}} : (tensor<?x2x4x4xf32>) -> tensor<?x2x2x2xf32>
  %f = mc.flatten %p {mc.calib = {min = 0.0 : f64, max = 3.984375 : f64, count = 20 : i64}} : (tensor<?x2x2x2xf32>) -> tensor<?x8xf32>
  %w2 = mc.constant dense<1.984375> : tensor<3x8xf32>
  %y = mc.linear %f, %w2 {mc.calib = {min = -4.0 : f64, max = 3.96875 : f64, count = 20 : i64}} : (tensor<?x8xf32>, tensor<3x8xf32>) -> tensor<?x3xf32> loc("fc")
  %s = mc.softmax %y : tensor<?x3xf32>
  return %s : tensor<?x3xf32>
}

// -----

// fc1's result feeds a float op (softmax) and fc2: fc2 reads fc1's int8
// directly, softmax reads one mc.dequantize, and fc3 quantizes the softmax
// output with the softmax's range [0, 1] (s = 1/255, zp = -128).
// CHECK-LABEL: func.func @float_between
// CHECK: %[[Q1:.+]] = mc.requantize
// CHECK-SAME: -> tensor<?x2x!quant.uniform<i8:f32, 1.562500e-02:-64>>
// CHECK: %[[D1:.+]] = mc.dequantize %[[Q1]]
// CHECK: %[[S:.+]] = mc.softmax %[[D1]]
// CHECK: %[[SQ:.+]] = mc.quantize %[[S]] : tensor<?x2xf32> -> tensor<?x2x!quant.uniform<i8:f32, 0.0039215686274509803:-128>>
// CHECK: mc.qlinear %[[SQ]]
// CHECK: mc.requantize
// CHECK: mc.qlinear %[[Q1]]
// CHECK: mc.requantize
// CHECK-NOT: mc.linear
// CHECK: return
func.func @float_between(%x: tensor<?x4xf32> {mc.calib = {min = -0.5 : f64, max = 1.4921875 : f64, count = 40 : i64}}) -> (tensor<?x2xf32>, tensor<?x2xf32>) {
  %w = mc.constant dense<[[1.0, 0.0, 0.0, 0.0], [0.0, 1.0, 0.0, 0.0]]> : tensor<2x4xf32>
  %w2 = mc.constant dense<[[1.0, 0.0], [0.0, 1.0]]> : tensor<2x2xf32>
  %y1 = mc.linear %x, %w {mc.calib = {min = -1.0 : f64, max = 2.984375 : f64, count = 20 : i64}} : (tensor<?x4xf32>, tensor<2x4xf32>) -> tensor<?x2xf32> loc("fc1")
  %s = mc.softmax %y1 {mc.calib = {min = 0.0 : f64, max = 1.0 : f64, count = 20 : i64}} : tensor<?x2xf32>
  %y3 = mc.linear %s, %w2 {mc.calib = {min = 0.0 : f64, max = 1.0 : f64, count = 20 : i64}} : (tensor<?x2xf32>, tensor<2x2xf32>) -> tensor<?x2xf32> loc("fc3")
  %y2 = mc.linear %y1, %w2 {mc.calib = {min = -1.0 : f64, max = 2.984375 : f64, count = 20 : i64}} : (tensor<?x2xf32>, tensor<2x2xf32>) -> tensor<?x2xf32> loc("fc2")
  return %y2, %y3 : tensor<?x2xf32>, tensor<?x2xf32>
}

// -----

// A depthwise convolution (groups = 2) keeps its window attributes; one
// weight scale per output channel: [0.5, 0.25] / 127.
// CHECK-LABEL: func.func @depthwise
// CHECK: %[[W:.+]] = mc.storage_cast %{{.+}} : tensor<2x1x2x2xi8> -> tensor<2x1x2x2x!quant.uniform<i8:f32:0, {0.003937007874015748,0.001968503937007874}>>
// CHECK: mc.qconv2d %{{.+}}, %[[W]] {groups = 2 : i64, pads = array<i64: 1, 1, 1, 1>, strides = array<i64: 2, 2>}
// CHECK-SAME: -> tensor<?x2x3x3xi32>
// CHECK: mc.requantize %{{.+}} {axis = 1 : i64
func.func @depthwise(%x: tensor<?x2x4x4xf32> {mc.calib = {min = -1.0 : f64, max = 1.0 : f64, count = 40 : i64}}) -> tensor<?x2x3x3xf32> {
  %w = mc.constant dense<[[[[0.5, -0.25], [0.0, 0.125]]], [[[0.25, 0.25], [-0.25, 0.0]]]]> : tensor<2x1x2x2xf32>
  %c = mc.conv2d %x, %w {groups = 2 : i64, pads = array<i64: 1, 1, 1, 1>, strides = array<i64: 2, 2>, dilations = array<i64: 1, 1>, mc.calib = {min = -1.0 : f64, max = 1.0 : f64, count = 20 : i64}} : (tensor<?x2x4x4xf32>, tensor<2x1x2x2xf32>) -> tensor<?x2x3x3xf32>
  return %c : tensor<?x2x3x3xf32>
}

// -----

// Degenerate cases. The input range [0, 0] gives s = 1, zp = -128. Channel 0
// has zero weights and bias 2: its scale comes from the bias limit,
// s_w = 2 / (1 * 2^30) = 2^-29, so the bias is 2^30. Channel 1 has zero
// weights and zero bias: s_w = 1. A ReLU without statistics folds with the
// layer's range clamped at 0: [-3, 0] -> [0, 0], s = 1, zp = -128.
// CHECK-LABEL: func.func @degenerate
// CHECK: mc.quantize %{{.+}} -> tensor<?x2x!quant.uniform<i8:f32, 1.000000e+00:-128>>
// CHECK: mc.constant dense<0> : tensor<2x2xi8>
// CHECK: mc.storage_cast %{{.+}} -> tensor<2x2x!quant.uniform<i8:f32:0, {1.862645149230957E-9,1.000000e+00}>>
// CHECK: mc.constant dense<[1073741824, 0]> : tensor<2xi32>
// CHECK: mc.requantize %{{.+}} {axis = 1 : i64, scale = array<f64: 1.862645149230957E-9, 1.000000e+00>} : tensor<?x2xi32> -> tensor<?x2x!quant.uniform<i8:f32, 1.000000e+00:-128>>
// CHECK-NOT: mc.relu
func.func @degenerate(%x: tensor<?x2xf32> {mc.calib = {min = 0.0 : f64, max = 0.0 : f64, count = 4 : i64}}) -> tensor<?x2xf32> {
  %w = mc.constant dense<0.0> : tensor<2x2xf32>
  %b = mc.constant dense<[2.0, 0.0]> : tensor<2xf32>
  %y = mc.linear %x, %w, %b {mc.calib = {min = -3.0 : f64, max = 0.0 : f64, count = 4 : i64}} : (tensor<?x2xf32>, tensor<2x2xf32>, tensor<2xf32>) -> tensor<?x2xf32>
  %r = mc.relu %y : tensor<?x2xf32>
  return %r : tensor<?x2xf32>
}

// -----

// Layers that stay float: non-constant weights, f16, and a mc.matmul (two
// activations). No statistics are needed for them.
// CHECK-LABEL: func.func @untouched
// CHECK-NOT: mc.quantize
// CHECK: mc.linear
// CHECK: mc.linear
// CHECK: mc.matmul
// CHECK-NOT: mc.qlinear
func.func @untouched(%x: tensor<?x2xf32>, %w: tensor<2x2xf32>, %h: tensor<?x2xf16>) -> (tensor<?x2xf32>, tensor<?x2xf16>, tensor<?x2xf32>) {
  %y = mc.linear %x, %w : (tensor<?x2xf32>, tensor<2x2xf32>) -> tensor<?x2xf32>
  %wh = mc.constant dense<1.0> : tensor<2x2xf16>
  %z = mc.linear %h, %wh : (tensor<?x2xf16>, tensor<2x2xf16>) -> tensor<?x2xf16>
  %m = mc.matmul %x, %w : (tensor<?x2xf32>, tensor<2x2xf32>) -> tensor<?x2xf32>
  return %y, %z, %m : tensor<?x2xf32>, tensor<?x2xf16>, tensor<?x2xf32>
}

// -----

// Scales never go below the smallest normal f32 (2^-126 = 1.1754943508222875E-38),
// which the quantized types can express: an input range [0, 1e-40] and a
// weight of 1e-40 (an f32 subnormal) both get that scale.
// A folded ReLU whose statistics claim a negative minimum still gets lo = 0,
// zp = -128: [-1, 1.9921875] -> [0, 1.9921875], s = 2^-7.
// CHECK-LABEL: func.func @tiny
// CHECK: mc.quantize %{{.+}} -> tensor<?x2x!quant.uniform<i8:f32, 1.1754943508222875E-38:-128>>
// CHECK: mc.storage_cast %{{.+}} -> tensor<2x2x!quant.uniform<i8:f32:0, {1.1754943508222875E-38,1.1754943508222875E-38}>>
// CHECK: mc.requantize %{{.+}} -> tensor<?x2x!quant.uniform<i8:f32, 7.812500e-03:-128>>
func.func @tiny(%x: tensor<?x2xf32> {mc.calib = {min = 0.0 : f64, max = 1.0e-40 : f64, count = 4 : i64}}) -> tensor<?x2xf32> {
  %w = mc.constant dense<1.0e-40> : tensor<2x2xf32>
  %y = mc.linear %x, %w : (tensor<?x2xf32>, tensor<2x2xf32>) -> tensor<?x2xf32>
  %r = mc.relu %y {mc.calib = {min = -1.0 : f64, max = 1.9921875 : f64, count = 4 : i64}} : tensor<?x2xf32>
  return %r : tensor<?x2xf32>
}
