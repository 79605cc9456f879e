// RUN: mc-opt %s --mc-fixed-point --split-input-file --verify-diagnostics | FileCheck %s

// Per-tensor scales: 0.5 = 2^30 * 2^-31; 0.1 * 2^34 = 1717986918.4 rounds
// down; 1/255 * 2^38 = 1077952576.25; S = 1 is 2^30 * 2^-30; 3 needs a
// smaller shift; 250 (> 1) likewise.
// CHECK-LABEL: func.func @per_tensor
// CHECK: mc.requantize %{{.*}} {multiplier = array<i32: 1073741824>, shift = array<i8: 31>}
// CHECK: mc.requantize %{{.*}} {multiplier = array<i32: 1717986918>, shift = array<i8: 34>}
// CHECK: mc.requantize %{{.*}} {multiplier = array<i32: 1077952576>, shift = array<i8: 38>}
// CHECK: mc.requantize %{{.*}} {multiplier = array<i32: 1073741824>, shift = array<i8: 30>}
// CHECK: mc.requantize %{{.*}} {multiplier = array<i32: 1610612736>, shift = array<i8: 29>}
// CHECK: mc.requantize %{{.*}} {multiplier = array<i32: 2097152000>, shift = array<i8: 23>}
// CHECK-NOT: scale =
func.func @per_tensor(%acc: tensor<?x4xi32>) -> (tensor<?x4x!quant.uniform<i8:f32, 0.05:-3>>, tensor<?x4x!quant.uniform<i8:f32, 0.05:-3>>, tensor<?x4x!quant.uniform<u8:f32, 0.05:128>>, tensor<?x4x!quant.uniform<u8:f32, 0.05:128>>, tensor<?x4x!quant.uniform<i8:f32, 0.05:-3>>, tensor<?x4x!quant.uniform<i8:f32, 0.05:-3>>) {
  %0 = mc.requantize %acc {scale = array<f64: 0.5>} : tensor<?x4xi32> -> tensor<?x4x!quant.uniform<i8:f32, 0.05:-3>>
  %1 = mc.requantize %acc {scale = array<f64: 0.1>} : tensor<?x4xi32> -> tensor<?x4x!quant.uniform<i8:f32, 0.05:-3>>
  %2 = mc.requantize %acc {scale = array<f64: 0.00392156862745098>} : tensor<?x4xi32> -> tensor<?x4x!quant.uniform<u8:f32, 0.05:128>>
  %3 = mc.requantize %acc {scale = array<f64: 1.0>} : tensor<?x4xi32> -> tensor<?x4x!quant.uniform<u8:f32, 0.05:128>>
  %4 = mc.requantize %acc {scale = array<f64: 3.0>} : tensor<?x4xi32> -> tensor<?x4x!quant.uniform<i8:f32, 0.05:-3>>
  %5 = mc.requantize %acc {scale = array<f64: 250.0>} : tensor<?x4xi32> -> tensor<?x4x!quant.uniform<i8:f32, 0.05:-3>>
  return %0, %1, %2, %3, %4, %5 : tensor<?x4x!quant.uniform<i8:f32, 0.05:-3>>, tensor<?x4x!quant.uniform<i8:f32, 0.05:-3>>, tensor<?x4x!quant.uniform<u8:f32, 0.05:128>>, tensor<?x4x!quant.uniform<u8:f32, 0.05:128>>, tensor<?x4x!quant.uniform<i8:f32, 0.05:-3>>, tensor<?x4x!quant.uniform<i8:f32, 0.05:-3>>
}

// -----

// Per-axis scales keep the axis; the ends of the representable range:
// 2^-33 -> shift 63, 2^-31 -> 61, 2^61 -> -31; 0.02 * 0.004 / 0.05 = 0.0016.
// CHECK-LABEL: func.func @per_axis
// CHECK: mc.requantize %{{.*}} {axis = 1 : i64, multiplier = array<i32: 1073741824, 1073741824, 1759218604, 1073741824, 1717986918>, shift = array<i8: 63, 61, 40, -31, 41>}
func.func @per_axis(%acc: tensor<2x5x3xi32>) -> tensor<2x5x3x!quant.uniform<i8:f32, 0.05:-128>> {
  %0 = mc.requantize %acc {axis = 1 : i64, scale = array<f64: 1.1641532182693481e-10, 4.656612873077393e-10, 0.0016, 2305843009213693952.0, 0.00078125>} : tensor<2x5x3xi32> -> tensor<2x5x3x!quant.uniform<i8:f32, 0.05:-128>>
  return %0 : tensor<2x5x3x!quant.uniform<i8:f32, 0.05:-128>>
}

// -----

// The integer form is left alone (the pass can run twice).
// CHECK-LABEL: func.func @already_fixed
// CHECK: mc.requantize %{{.*}} {multiplier = array<i32: 1234567890>, shift = array<i8: -5>}
func.func @already_fixed(%acc: tensor<4xi32>) -> tensor<4x!quant.uniform<i8:f32, 0.05:0>> {
  %0 = mc.requantize %acc {multiplier = array<i32: 1234567890>, shift = array<i8: -5>} : tensor<4xi32> -> tensor<4x!quant.uniform<i8:f32, 0.05:0>>
  return %0 : tensor<4x!quant.uniform<i8:f32, 0.05:0>>
}

// -----

// Below 2^-33 there is no encoding.
func.func @too_small(%acc: tensor<4xi32>) -> tensor<4x!quant.uniform<i8:f32, 0.05:0>> {
  // expected-error @+1 {{'mc.requantize' op scale 1.000000e-11 is below 2^-33, the smallest scale a multiplier in [2^30, 2^31) with a shift of at most 63 represents}}
  %0 = mc.requantize %acc {scale = array<f64: 1.0e-11>} : tensor<4xi32> -> tensor<4x!quant.uniform<i8:f32, 0.05:0>>
  return %0 : tensor<4x!quant.uniform<i8:f32, 0.05:0>>
}

// -----

// From 2^62 up there is none either; per-axis errors name the channel.
func.func @too_large(%acc: tensor<4x2xi32>) -> tensor<4x2x!quant.uniform<i8:f32, 0.05:0>> {
  // expected-error @+1 {{'mc.requantize' op scale 1.000000e+19 of channel 1 is 2^62 or above, the largest scale a multiplier in [2^30, 2^31) with a shift of at least -31 represents}}
  %0 = mc.requantize %acc {axis = 1 : i64, scale = array<f64: 0.5, 1.0e19>} : tensor<4x2xi32> -> tensor<4x2x!quant.uniform<i8:f32, 0.05:0>>
  return %0 : tensor<4x2x!quant.uniform<i8:f32, 0.05:0>>
}

// -----

// An infinite scale passes the verifier (it is positive) but has no encoding.
func.func @infinite(%acc: tensor<4xi32>) -> tensor<4x!quant.uniform<i8:f32, 0.05:0>> {
  // expected-error @+1 {{'mc.requantize' op scale INF is not finite}}
  %0 = mc.requantize %acc {scale = array<f64: 0x7FF0000000000000>} : tensor<4xi32> -> tensor<4x!quant.uniform<i8:f32, 0.05:0>>
  return %0 : tensor<4x!quant.uniform<i8:f32, 0.05:0>>
}
