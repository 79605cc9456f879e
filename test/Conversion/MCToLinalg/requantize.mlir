// RUN: mc-opt %s -split-input-file -verify-diagnostics --convert-mc-to-linalg | FileCheck %s
// Every case also lowers all the way to the LLVM dialect, dynamic batch
// included.
// RUN: mc-opt %s -split-input-file -verify-diagnostics --mc-to-llvm | FileCheck %s --check-prefix=LLVM \
// RUN:   --implicit-check-not='{{(^ *|= )"?(mc|linalg|tensor|memref|bufferization|scf|arith|math|affine|cf|func|builtin)\.[a-z_]+}}'

// Per tensor, every shift >= 1 (S = 0.1, i8, zero point -3): 64-bit
// product, add 2^(n-1), arithmetic shift, zero point, saturation to
// [-128, 127], truncation to the i8 storage type. No clamp or left shift.
// The quantized result leaves as i8 through a cast pair that folds away.
// CHECK-LABEL: func.func @per_tensor
// CHECK-SAME: (%[[ACC:.+]]: tensor<?x4xi32>)
// CHECK: %[[DIM:.+]] = tensor.dim %[[ACC]], %{{.+}} : tensor<?x4xi32>
// CHECK: %[[INIT:.+]] = tensor.empty(%[[DIM]]) : tensor<?x4xi8>
// CHECK: linalg.generic
// CHECK-SAME: ins(%[[ACC]] : tensor<?x4xi32>) outs(%[[INIT]] : tensor<?x4xi8>)
// CHECK: ^bb0(%[[IN:.+]]: i32, %{{.+}}: i8):
// CHECK: %[[A:.+]] = arith.extsi %[[IN]] : i32 to i64
// CHECK: %[[M:.+]] = arith.constant 1717986918 : i64
// CHECK: %[[P:.+]] = arith.muli %[[A]], %[[M]] : i64
// CHECK: %[[H:.+]] = arith.constant 8589934592 : i64
// CHECK: %[[PH:.+]] = arith.addi %[[P]], %[[H]] : i64
// CHECK: %[[N:.+]] = arith.constant 34 : i64
// CHECK: %[[R:.+]] = arith.shrsi %[[PH]], %[[N]] : i64
// CHECK: %[[ZP:.+]] = arith.constant -3 : i64
// CHECK: %[[Y:.+]] = arith.addi %[[R]], %[[ZP]] : i64
// CHECK: %[[LO:.+]] = arith.constant -128 : i64
// CHECK: %[[Y1:.+]] = arith.maxsi %[[Y]], %[[LO]] : i64
// CHECK: %[[HI:.+]] = arith.constant 127 : i64
// CHECK: %[[Y2:.+]] = arith.minsi %[[Y1]], %[[HI]] : i64
// CHECK: %[[T:.+]] = arith.trunci %[[Y2]] : i64 to i8
// CHECK: linalg.yield %[[T]] : i8
// CHECK-NOT: arith.shli
// CHECK-NOT: mc.requantize
// LLVM-LABEL: llvm.func @per_tensor(
// LLVM: llvm.ashr
func.func @per_tensor(%acc: tensor<?x4xi32>) -> tensor<?x4xi8> {
  %q = mc.requantize %acc {multiplier = array<i32: 1717986918>, shift = array<i8: 34>} : tensor<?x4xi32> -> tensor<?x4x!quant.uniform<i8:f32, 0.05:-3>>
  %s = builtin.unrealized_conversion_cast %q : tensor<?x4x!quant.uniform<i8:f32, 0.05:-3>> to tensor<?x4xi8>
  return %s : tensor<?x4xi8>
}

// -----

// Per channel with both signs of shift (u8, zero point 128): one constant
// per channel and parameter, read through the channel map: multipliers
// (i32, sign-extended in the body so that the product is 32 x 32 -> 64
// bits), clamp bounds 2^62 >> k, left shifts k = max(-n, 0), rounding
// halves 2^(s-1) and right shifts s = max(n, 0) (i64).
// CHECK-DAG: #[[ID:.+]] = affine_map<(d0, d1) -> (d0, d1)>
// CHECK-DAG: #[[CH:.+]] = affine_map<(d0, d1) -> (d1)>
// CHECK-LABEL: func.func @per_channel_mixed
// CHECK-DAG: %[[MUL:.+]] = arith.constant dense<[1073741824, 1717986918, 2147483647]> : tensor<3xi32>
// CHECK-DAG: %[[B:.+]] = arith.constant dense<[4611686018427387904, 4611686018427387904, 1152921504606846976]> : tensor<3xi64>
// CHECK-DAG: %[[K:.+]] = arith.constant dense<[0, 0, 2]> : tensor<3xi64>
// CHECK-DAG: %[[H:.+]] = arith.constant dense<[1073741824, 8589934592, 0]> : tensor<3xi64>
// CHECK-DAG: %[[S:.+]] = arith.constant dense<[31, 34, 0]> : tensor<3xi64>
// CHECK: linalg.generic {indexing_maps = [#[[ID]], #[[CH]], #[[CH]], #[[CH]], #[[CH]], #[[CH]], #[[ID]]], iterator_types = ["parallel", "parallel"]}
// CHECK-SAME: ins(%{{.+}}, %[[MUL]], %[[B]], %[[K]], %[[H]], %[[S]] :
// CHECK: ^bb0(%[[IN:.+]]: i32, %[[M32:.+]]: i32, %[[BD:.+]]: i64, %[[KK:.+]]: i64, %[[HH:.+]]: i64, %[[SS:.+]]: i64, %{{.+}}: i8):
// CHECK: %[[A:.+]] = arith.extsi %[[IN]] : i32 to i64
// CHECK: %[[M:.+]] = arith.extsi %[[M32]] : i32 to i64
// CHECK: %[[P:.+]] = arith.muli %[[A]], %[[M]] : i64
// CHECK: %[[NB:.+]] = arith.subi %{{.+}}, %[[BD]] : i64
// CHECK: %[[C1:.+]] = arith.maxsi %[[P]], %[[NB]] : i64
// CHECK: %[[C2:.+]] = arith.minsi %[[C1]], %[[BD]] : i64
// CHECK: %[[L:.+]] = arith.shli %[[C2]], %[[KK]] : i64
// CHECK: %[[LH:.+]] = arith.addi %[[L]], %[[HH]] : i64
// CHECK: %[[R:.+]] = arith.shrsi %[[LH]], %[[SS]] : i64
// CHECK: %[[ZP:.+]] = arith.constant 128 : i64
// CHECK: %[[Y:.+]] = arith.addi %[[R]], %[[ZP]] : i64
// CHECK: %[[LO:.+]] = arith.constant 0 : i64
// CHECK: arith.maxsi %[[Y]], %[[LO]] : i64
// CHECK: %[[HI:.+]] = arith.constant 255 : i64
// CHECK: arith.minsi %{{.+}}, %[[HI]] : i64
// CHECK: arith.trunci %{{.+}} : i64 to i8
// LLVM-LABEL: llvm.func @per_channel_mixed(
// LLVM: llvm.shl
// LLVM: llvm.ashr
func.func @per_channel_mixed(%acc: tensor<?x3xi32>) -> tensor<?x3xi8> {
  %q = mc.requantize %acc {axis = 1 : i64, multiplier = array<i32: 1073741824, 1717986918, 2147483647>, shift = array<i8: 31, 34, -2>} : tensor<?x3xi32> -> tensor<?x3x!quant.uniform<u8:f32, 0.05:128>>
  %s = builtin.unrealized_conversion_cast %q : tensor<?x3x!quant.uniform<u8:f32, 0.05:128>> to tensor<?x3xi8>
  return %s : tensor<?x3xi8>
}

// -----

// Per channel along a middle axis, all shifts >= 1: only multipliers,
// halves and shifts are passed; no clamp before the shift.
// CHECK-DAG: #[[ID:.+]] = affine_map<(d0, d1, d2) -> (d0, d1, d2)>
// CHECK-DAG: #[[CH:.+]] = affine_map<(d0, d1, d2) -> (d1)>
// CHECK-LABEL: func.func @per_channel_axis1
// CHECK-DAG: %[[MUL:.+]] = arith.constant dense<[1073741824, 1431655765]> : tensor<2xi32>
// CHECK-DAG: %[[H:.+]] = arith.constant dense<[4294967296, 2147483648]> : tensor<2xi64>
// CHECK-DAG: %[[S:.+]] = arith.constant dense<[33, 32]> : tensor<2xi64>
// CHECK: linalg.generic {indexing_maps = [#[[ID]], #[[CH]], #[[CH]], #[[CH]], #[[ID]]]
// CHECK-SAME: ins(%{{.+}}, %[[MUL]], %[[H]], %[[S]] :
// CHECK-NOT: arith.shli
// CHECK-NOT: arith.subi
// CHECK: arith.shrsi
// CHECK: arith.trunci %{{.+}} : i64 to i8
// LLVM-LABEL: llvm.func @per_channel_axis1(
func.func @per_channel_axis1(%acc: tensor<?x2x5xi32>) -> tensor<?x2x5xi8> {
  %q = mc.requantize %acc {axis = 1 : i64, multiplier = array<i32: 1073741824, 1431655765>, shift = array<i8: 33, 32>} : tensor<?x2x5xi32> -> tensor<?x2x5x!quant.uniform<i8:f32, 0.05:0>>
  %s = builtin.unrealized_conversion_cast %q : tensor<?x2x5x!quant.uniform<i8:f32, 0.05:0>> to tensor<?x2x5xi8>
  return %s : tensor<?x2x5xi8>
}

// -----

// Per tensor with a left shift (n = -3): clamp to +-2^59, shift left by
// 3, no rounding step. A shift of 0 needs neither.
// CHECK-LABEL: func.func @left_and_zero_shift
// CHECK: arith.muli
// CHECK: %[[NB:.+]] = arith.subi %{{.+}}, %[[B:.+]] : i64
// CHECK: arith.maxsi %{{.+}}, %[[NB]] : i64
// CHECK: arith.minsi %{{.+}}, %[[B]] : i64
// CHECK: %[[K:.+]] = arith.constant 3 : i64
// CHECK: arith.shli %{{.+}}, %[[K]] : i64
// CHECK-NOT: arith.shrsi
// CHECK: linalg.yield
// CHECK: arith.muli
// CHECK-NOT: arith.shli
// CHECK-NOT: arith.shrsi
// CHECK: linalg.yield
// LLVM-LABEL: llvm.func @left_and_zero_shift(
func.func @left_and_zero_shift(%acc: tensor<?x4xi32>) -> (tensor<?x4xi8>, tensor<?x4xi8>) {
  %q = mc.requantize %acc {multiplier = array<i32: 2147483647>, shift = array<i8: -3>} : tensor<?x4xi32> -> tensor<?x4x!quant.uniform<i8:f32, 0.05:0>>
  %s = builtin.unrealized_conversion_cast %q : tensor<?x4x!quant.uniform<i8:f32, 0.05:0>> to tensor<?x4xi8>
  %q0 = mc.requantize %acc {multiplier = array<i32: 1073741824>, shift = array<i8: 0>} : tensor<?x4xi32> -> tensor<?x4x!quant.uniform<i8:f32, 0.05:0>>
  %s0 = builtin.unrealized_conversion_cast %q0 : tensor<?x4x!quant.uniform<i8:f32, 0.05:0>> to tensor<?x4xi8>
  return %s, %s0 : tensor<?x4xi8>, tensor<?x4xi8>
}

// -----

// Float scales must go through mc-fixed-point first.
func.func @float_scale(%acc: tensor<4xi32>) -> tensor<4x!quant.uniform<i8:f32, 0.05:0>> {
  // expected-error @+1 {{'mc.requantize' op still has float `scale`s; run mc-fixed-point first to turn them into `multiplier` and `shift`}}
  %q = mc.requantize %acc {scale = array<f64: 0.1>} : tensor<4xi32> -> tensor<4x!quant.uniform<i8:f32, 0.05:0>>
  return %q : tensor<4x!quant.uniform<i8:f32, 0.05:0>>
}
