// RUN: mc-opt %s -split-input-file -verify-diagnostics --convert-mc-to-linalg | FileCheck %s

// mc.requantize in its integer form (after mc-fixed-point) lowers with the
// rest (RequantizeToLinalg.cpp; requantize.mlir pins its arithmetic): the
// lowered mc.qlinear's int32 feeds it and its i8 storage feeds the lowered
// mc.dequantize, with no cast left between them.
// CHECK-LABEL: func.func @requantize_lowered
// CHECK: %[[Q:[^ ]+]] = linalg.generic {{.*}} ins(%{{.+}} : tensor<?x2xi32>) outs(%{{.+}} : tensor<?x2xi8>)
// CHECK: arith.shrsi
// CHECK: linalg.generic
// CHECK-SAME: ins(%[[Q]] : tensor<?x2xi8>)
// CHECK-NOT: mc.requantize
// CHECK-NOT: unrealized_conversion_cast
func.func @requantize_lowered(%x: tensor<?x8x!quant.uniform<i8:f32, 0.1>>, %w: tensor<2x8x!quant.uniform<i8:f32, 0.1>>) -> tensor<?x2xf32> {
  %acc = mc.qlinear %x, %w : (tensor<?x8x!quant.uniform<i8:f32, 0.1>>, tensor<2x8x!quant.uniform<i8:f32, 0.1>>) -> tensor<?x2xi32>
  %q = mc.requantize %acc {multiplier = array<i32: 1073741824>, shift = array<i8: 31>} : tensor<?x2xi32> -> tensor<?x2x!quant.uniform<i8:f32, 0.2:1>>
  %y = mc.dequantize %q : tensor<?x2x!quant.uniform<i8:f32, 0.2:1>> -> tensor<?x2xf32>
  return %y : tensor<?x2xf32>
}

// -----

// Unsigned tensors become signless storage: an op whose arithmetic depends
// on signedness is refused rather than computed as signed.
func.func @relu_ui8(%x: tensor<?x4xui8>) -> tensor<?x4xui8> {
  // expected-error @+1 {{'mc.relu' op on unsigned integer tensors is unsupported by the lowering}}
  %y = mc.relu %x : tensor<?x4xui8>
  return %y : tensor<?x4xui8>
}

// -----

func.func @cast_ui8(%x: tensor<?x4xui8>) -> tensor<?x4xf32> {
  // expected-error @+1 {{'mc.cast' op on unsigned integer tensors is unsupported by the lowering}}
  %y = mc.cast %x : tensor<?x4xui8> -> tensor<?x4xf32>
  return %y : tensor<?x4xf32>
}

// -----

func.func @div_ui8(%x: tensor<4xui8>, %y: tensor<4xui8>) -> tensor<4xui8> {
  // expected-error @+1 {{'mc.div' op on unsigned integer tensors is unsupported by the lowering}}
  %z = mc.div %x, %y : (tensor<4xui8>, tensor<4xui8>) -> tensor<4xui8>
  return %z : tensor<4xui8>
}

// -----

func.func @clip_ui8(%x: tensor<4xui8>) -> tensor<4xui8> {
  // expected-error @+1 {{'mc.clip' op on unsigned integer tensors is unsupported by the lowering}}
  %y = mc.clip %x {min = 0.0 : f64, max = 200.0 : f64} : tensor<4xui8>
  return %y : tensor<4xui8>
}
