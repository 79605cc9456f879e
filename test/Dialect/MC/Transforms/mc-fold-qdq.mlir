// RUN: mc-opt %s -split-input-file --mc-fold-qdq | FileCheck %s

// mc-fold-qdq: the QDQ form the importer produces for ONNX quantized models
// becomes the integer form mc-quantize produces.

// conv (per-axis weight, i32 bias at s_in * s_w) -> relu -> quantize with
// zp = -128 -> max_pool -> flatten -> linear (per-tensor weight, float bias):
//   conv: s_in = 0.5, s_w = [0.25, 0.125], bias scales [0.125, 0.0625] match,
//         so the integers [3, -4] stay; S = 0.5 * s_w / 0.25 = [0.5, 0.25]
//   pool and flatten move onto the int8 values (same type in and out)
//   linear: s_in = 0.25, s_w = 0.5 (per tensor: one scale, no axis),
//           bias [1, -1, 0] / 0.125 = [8, -8, 0]; S = 0.25 * 0.5 / 0.5 = 0.25
// CHECK-LABEL: func.func @chain
// CHECK-SAME: (%[[X:[^:]+]]: tensor<?x1x4x4xf32>)
// CHECK-DAG: %[[B2:.+]] = mc.constant dense<[8, -8, 0]> : tensor<3xi32>
// CHECK-DAG: %[[W2I:.+]] = mc.constant dense<1> : tensor<3x8xi8>
// CHECK-DAG: %[[BI:.+]] = mc.constant dense<[3, -4]> : tensor<2xi32>
// CHECK-DAG: %[[WI:.+]] = mc.constant dense<{{\[\[\[\[}}10]]], {{\[\[\[}}-20]]]]> : tensor<2x1x1x1xi8>
// CHECK: %[[XQ:.+]] = mc.quantize %[[X]] : tensor<?x1x4x4xf32> -> tensor<?x1x4x4x!quant.uniform<i8:f32, 5.000000e-01:-10>>
// CHECK: %[[W:.+]] = mc.storage_cast %[[WI]] : tensor<2x1x1x1xi8> -> tensor<2x1x1x1x!quant.uniform<i8:f32:0, {2.500000e-01,1.250000e-01}>>
// CHECK: %[[C:.+]] = mc.qconv2d %[[XQ]], %[[W]], %[[BI]] :
// CHECK-SAME: -> tensor<?x2x4x4xi32>
// CHECK: %[[CQ:.+]] = mc.requantize %[[C]] {axis = 1 : i64, scale = array<f64: 5.000000e-01, 2.500000e-01>} : tensor<?x2x4x4xi32> -> tensor<?x2x4x4x!quant.uniform<i8:f32, 2.500000e-01:-128>>
// CHECK: %[[P:.+]] = mc.max_pool2d %[[CQ]] {kernel = array<i64: 2, 2>, strides = array<i64: 2, 2>} : (tensor<?x2x4x4x!quant.uniform<i8:f32, 2.500000e-01:-128>>) -> tensor<?x2x2x2x!quant.uniform<i8:f32, 2.500000e-01:-128>>
// CHECK: %[[F:.+]] = mc.flatten %[[P]] : (tensor<?x2x2x2x!quant.uniform<i8:f32, 2.500000e-01:-128>>) -> tensor<?x8x!quant.uniform<i8:f32, 2.500000e-01:-128>>
// CHECK: %[[W2:.+]] = mc.storage_cast %[[W2I]] : tensor<3x8xi8> -> tensor<3x8x!quant.uniform<i8:f32, 5.000000e-01>>
// CHECK: %[[ACC:.+]] = mc.qlinear %[[F]], %[[W2]], %[[B2]] :
// CHECK: %[[YQ:.+]] = mc.requantize %[[ACC]] {scale = array<f64: 2.500000e-01>} : tensor<?x3xi32> -> tensor<?x3x!quant.uniform<i8:f32, 5.000000e-01:2>>
// CHECK: %[[Y:.+]] = mc.dequantize %[[YQ]]
// CHECK-NOT: mc.relu
// CHECK-NOT: mc.conv2d
// CHECK-NOT: mc.linear
// CHECK: return %[[Y]]
func.func @chain(%x: tensor<?x1x4x4xf32>) -> tensor<?x3xf32> {
  %xq = mc.quantize %x : tensor<?x1x4x4xf32> -> tensor<?x1x4x4x!quant.uniform<i8:f32, 0.5:-10>>
  %xd = mc.dequantize %xq : tensor<?x1x4x4x!quant.uniform<i8:f32, 0.5:-10>> -> tensor<?x1x4x4xf32>
  %wi = mc.constant dense<[[[[10]]], [[[-20]]]]> : tensor<2x1x1x1xi8>
  %wq = mc.storage_cast %wi : tensor<2x1x1x1xi8> -> tensor<2x1x1x1x!quant.uniform<i8:f32:0, {0.25, 0.125}>>
  %wd = mc.dequantize %wq : tensor<2x1x1x1x!quant.uniform<i8:f32:0, {0.25, 0.125}>> -> tensor<2x1x1x1xf32>
  %bi = mc.constant dense<[3, -4]> : tensor<2xi32>
  %bq = mc.storage_cast %bi : tensor<2xi32> -> tensor<2x!quant.uniform<i32:f32:0, {0.125, 0.0625}>>
  %bd = mc.dequantize %bq : tensor<2x!quant.uniform<i32:f32:0, {0.125, 0.0625}>> -> tensor<2xf32>
  %c = mc.conv2d %xd, %wd, %bd : (tensor<?x1x4x4xf32>, tensor<2x1x1x1xf32>, tensor<2xf32>) -> tensor<?x2x4x4xf32>
  %r = mc.relu %c : tensor<?x2x4x4xf32>
  %rq = mc.quantize %r : tensor<?x2x4x4xf32> -> tensor<?x2x4x4x!quant.uniform<i8:f32, 0.25:-128>>
  %rd = mc.dequantize %rq : tensor<?x2x4x4x!quant.uniform<i8:f32, 0.25:-128>> -> tensor<?x2x4x4xf32>
  %p = mc.max_pool2d %rd {kernel = array<i64: 2, 2>, strides = array<i64: 2, 2>} : (tensor<?x2x4x4xf32>) -> tensor<?x2x2x2xf32>
  %pq = mc.quantize %p : tensor<?x2x2x2xf32> -> tensor<?x2x2x2x!quant.uniform<i8:f32, 0.25:-128>>
  %pd = mc.dequantize %pq : tensor<?x2x2x2x!quant.uniform<i8:f32, 0.25:-128>> -> tensor<?x2x2x2xf32>
  %f = mc.flatten %pd : (tensor<?x2x2x2xf32>) -> tensor<?x8xf32>
  %fq = mc.quantize %f : tensor<?x8xf32> -> tensor<?x8x!quant.uniform<i8:f32, 0.25:-128>>
  %fd = mc.dequantize %fq : tensor<?x8x!quant.uniform<i8:f32, 0.25:-128>> -> tensor<?x8xf32>
  %w2i = mc.constant dense<1> : tensor<3x8xi8>
  %w2q = mc.storage_cast %w2i : tensor<3x8xi8> -> tensor<3x8x!quant.uniform<i8:f32, 0.5>>
  %w2d = mc.dequantize %w2q : tensor<3x8x!quant.uniform<i8:f32, 0.5>> -> tensor<3x8xf32>
  %b2 = mc.constant dense<[1.0, -1.0, 0.0]> : tensor<3xf32>
  %y = mc.linear %fd, %w2d, %b2 : (tensor<?x8xf32>, tensor<3x8xf32>, tensor<3xf32>) -> tensor<?x3xf32>
  %yq = mc.quantize %y : tensor<?x3xf32> -> tensor<?x3x!quant.uniform<i8:f32, 0.5:2>>
  %yd = mc.dequantize %yq : tensor<?x3x!quant.uniform<i8:f32, 0.5:2>> -> tensor<?x3xf32>
  return %yd : tensor<?x3xf32>
}

// -----

// The ReLU does not fold when the output zero point is not the storage
// minimum (saturation would not be the ReLU): nothing changes.
// CHECK-LABEL: func.func @relu_not_at_min
// CHECK: mc.conv2d
// CHECK: mc.relu
// CHECK: mc.quantize
// CHECK-NOT: mc.qconv2d
func.func @relu_not_at_min(%xq: tensor<?x1x2x2x!quant.uniform<i8:f32, 0.5>>) -> tensor<?x1x2x2x!quant.uniform<i8:f32, 0.25:-100>> {
  %xd = mc.dequantize %xq : tensor<?x1x2x2x!quant.uniform<i8:f32, 0.5>> -> tensor<?x1x2x2xf32>
  %wi = mc.constant dense<3> : tensor<1x1x1x1xi8>
  %wq = mc.storage_cast %wi : tensor<1x1x1x1xi8> -> tensor<1x1x1x1x!quant.uniform<i8:f32, 0.25>>
  %wd = mc.dequantize %wq : tensor<1x1x1x1x!quant.uniform<i8:f32, 0.25>> -> tensor<1x1x1x1xf32>
  %c = mc.conv2d %xd, %wd : (tensor<?x1x2x2xf32>, tensor<1x1x1x1xf32>) -> tensor<?x1x2x2xf32>
  %r = mc.relu %c : tensor<?x1x2x2xf32>
  %q = mc.quantize %r : tensor<?x1x2x2xf32> -> tensor<?x1x2x2x!quant.uniform<i8:f32, 0.25:-100>>
  return %q : tensor<?x1x2x2x!quant.uniform<i8:f32, 0.25:-100>>
}

// -----

// An i32 bias at a scale other than s_in * s_w (0.5 * 0.25 = 0.125, here
// 0.1) and a weight quantized along axis 1 (not the output channel) keep
// their layers in float.
// CHECK-LABEL: func.func @not_folded
// CHECK: mc.linear
// CHECK: mc.linear
// CHECK-NOT: mc.qlinear
func.func @not_folded(%xq: tensor<?x2x!quant.uniform<i8:f32, 0.5>>) -> (tensor<?x2x!quant.uniform<i8:f32, 0.5>>, tensor<?x2x!quant.uniform<i8:f32, 0.5>>) {
  %xd = mc.dequantize %xq : tensor<?x2x!quant.uniform<i8:f32, 0.5>> -> tensor<?x2xf32>
  %wi = mc.constant dense<1> : tensor<2x2xi8>
  %wq = mc.storage_cast %wi : tensor<2x2xi8> -> tensor<2x2x!quant.uniform<i8:f32, 0.25>>
  %wd = mc.dequantize %wq : tensor<2x2x!quant.uniform<i8:f32, 0.25>> -> tensor<2x2xf32>
  %bi = mc.constant dense<[1, 2]> : tensor<2xi32>
  %bq = mc.storage_cast %bi : tensor<2xi32> -> tensor<2x!quant.uniform<i32:f32, 0.1>>
  %bd = mc.dequantize %bq : tensor<2x!quant.uniform<i32:f32, 0.1>> -> tensor<2xf32>
  %y = mc.linear %xd, %wd, %bd : (tensor<?x2xf32>, tensor<2x2xf32>, tensor<2xf32>) -> tensor<?x2xf32>
  %yq = mc.quantize %y : tensor<?x2xf32> -> tensor<?x2x!quant.uniform<i8:f32, 0.5>>
  %vq = mc.storage_cast %wi : tensor<2x2xi8> -> tensor<2x2x!quant.uniform<i8:f32:1, {0.25, 0.5}>>
  %vd = mc.dequantize %vq : tensor<2x2x!quant.uniform<i8:f32:1, {0.25, 0.5}>> -> tensor<2x2xf32>
  %z = mc.linear %xd, %vd : (tensor<?x2xf32>, tensor<2x2xf32>) -> tensor<?x2xf32>
  %zq = mc.quantize %z : tensor<?x2xf32> -> tensor<?x2x!quant.uniform<i8:f32, 0.5>>
  return %yq, %zq : tensor<?x2x!quant.uniform<i8:f32, 0.5>>, tensor<?x2x!quant.uniform<i8:f32, 0.5>>
}

// -----

// A float layer with no mc.quantize after it (the importer's form of a QDQ
// model whose output is float) has no output parameters: it stays float
// behind its mc.dequantize inputs.
// CHECK-LABEL: func.func @float_output
// CHECK: mc.dequantize
// CHECK: mc.dequantize
// CHECK: mc.linear
func.func @float_output(%xq: tensor<?x4x!quant.uniform<i8:f32, 0.05:3>>) -> tensor<?x3xf32> {
  %xd = mc.dequantize %xq : tensor<?x4x!quant.uniform<i8:f32, 0.05:3>> -> tensor<?x4xf32>
  %wi = mc.constant dense<1> : tensor<3x4xi8>
  %wq = mc.storage_cast %wi : tensor<3x4xi8> -> tensor<3x4x!quant.uniform<i8:f32:0, {0.01, 0.02, 0.03}>>
  %wd = mc.dequantize %wq : tensor<3x4x!quant.uniform<i8:f32:0, {0.01, 0.02, 0.03}>> -> tensor<3x4xf32>
  %y = mc.linear %xd, %wd : (tensor<?x4xf32>, tensor<3x4xf32>) -> tensor<?x3xf32>
  return %y : tensor<?x3xf32>
}

// -----

// quantize(dequantize(x)) is x for the same type, and stays for another.
// CHECK-LABEL: func.func @round_trip
// CHECK-SAME: (%[[X:[^:]+]]: tensor<?x2x!quant.uniform<i8:f32, 5.000000e-01>>)
// CHECK: %[[D:.+]] = mc.dequantize %[[X]]
// CHECK: %[[Q:.+]] = mc.quantize %[[D]] : tensor<?x2xf32> -> tensor<?x2x!quant.uniform<i8:f32, 2.500000e-01>>
// CHECK: return %[[X]], %[[Q]]
func.func @round_trip(%x: tensor<?x2x!quant.uniform<i8:f32, 0.5>>) -> (tensor<?x2x!quant.uniform<i8:f32, 0.5>>, tensor<?x2x!quant.uniform<i8:f32, 0.25>>) {
  %d = mc.dequantize %x : tensor<?x2x!quant.uniform<i8:f32, 0.5>> -> tensor<?x2xf32>
  %same = mc.quantize %d : tensor<?x2xf32> -> tensor<?x2x!quant.uniform<i8:f32, 0.5>>
  %other = mc.quantize %d : tensor<?x2xf32> -> tensor<?x2x!quant.uniform<i8:f32, 0.25>>
  return %same, %other : tensor<?x2x!quant.uniform<i8:f32, 0.5>>, tensor<?x2x!quant.uniform<i8:f32, 0.25>>
}
