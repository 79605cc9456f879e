// RUN: mc-opt %s --canonicalize -split-input-file | FileCheck %s

// Folders and canonicalization patterns of MCOpFolders.cpp.

//===----------------------------------------------------------------------===//
// Elementwise identities
//===----------------------------------------------------------------------===//

// x + 0 -> x.
// CHECK-LABEL: func.func @add_zero_rhs
// CHECK-SAME: (%[[X:[^:]+]]: tensor<?x4xf32>)
// CHECK-NOT: mc.add
// CHECK: return %[[X]]
func.func @add_zero_rhs(%x: tensor<?x4xf32>) -> tensor<?x4xf32> {
  %z = mc.constant dense<0.0> : tensor<4xf32>
  %0 = mc.add %x, %z : (tensor<?x4xf32>, tensor<4xf32>) -> tensor<?x4xf32>
  return %0 : tensor<?x4xf32>
}

// -----

// 0 + x -> x.
// CHECK-LABEL: func.func @add_zero_lhs
// CHECK-SAME: (%[[X:[^:]+]]: tensor<3xi64>)
// CHECK-NOT: mc.add
// CHECK: return %[[X]]
func.func @add_zero_lhs(%x: tensor<3xi64>) -> tensor<3xi64> {
  %z = mc.constant dense<0> : tensor<3xi64>
  %0 = mc.add %z, %x : (tensor<3xi64>, tensor<3xi64>) -> tensor<3xi64>
  return %0 : tensor<3xi64>
}

// -----

// x + 0 does not fold when broadcasting against the zero changes the type.
// CHECK-LABEL: func.func @add_zero_broadcast
// CHECK-SAME: (%[[X:[^:]+]]: tensor<4xf32>)
// CHECK: %[[Z:.+]] = mc.constant dense<0.000000e+00> : tensor<2x4xf32>
// CHECK: %[[R:.+]] = mc.add %[[X]], %[[Z]] : (tensor<4xf32>, tensor<2x4xf32>) -> tensor<2x4xf32>
// CHECK: return %[[R]]
func.func @add_zero_broadcast(%x: tensor<4xf32>) -> tensor<2x4xf32> {
  %z = mc.constant dense<0.0> : tensor<2x4xf32>
  %0 = mc.add %x, %z : (tensor<4xf32>, tensor<2x4xf32>) -> tensor<2x4xf32>
  return %0 : tensor<2x4xf32>
}

// -----

// A non-zero splat is not an identity.
// CHECK-LABEL: func.func @add_one
// CHECK: mc.add
func.func @add_one(%x: tensor<4xf32>) -> tensor<4xf32> {
  %c = mc.constant dense<1.0> : tensor<4xf32>
  %0 = mc.add %x, %c : (tensor<4xf32>, tensor<4xf32>) -> tensor<4xf32>
  return %0 : tensor<4xf32>
}

// -----

// x - 0 -> x.
// CHECK-LABEL: func.func @sub_zero
// CHECK-SAME: (%[[X:[^:]+]]: tensor<?x4xf32>)
// CHECK-NOT: mc.sub
// CHECK: return %[[X]]
func.func @sub_zero(%x: tensor<?x4xf32>) -> tensor<?x4xf32> {
  %z = mc.constant dense<0.0> : tensor<f32>
  %0 = mc.sub %x, %z : (tensor<?x4xf32>, tensor<f32>) -> tensor<?x4xf32>
  return %0 : tensor<?x4xf32>
}

// -----

// 0 - x is not x.
// CHECK-LABEL: func.func @zero_sub
// CHECK-SAME: (%[[X:[^:]+]]: tensor<4xf32>)
// CHECK: %[[Z:.+]] = mc.constant dense<0.000000e+00> : tensor<4xf32>
// CHECK: mc.sub %[[Z]], %[[X]]
func.func @zero_sub(%x: tensor<4xf32>) -> tensor<4xf32> {
  %z = mc.constant dense<0.0> : tensor<4xf32>
  %0 = mc.sub %z, %x : (tensor<4xf32>, tensor<4xf32>) -> tensor<4xf32>
  return %0 : tensor<4xf32>
}

// -----

// x * 1 -> x and 1 * x -> x.
// CHECK-LABEL: func.func @mul_one
// CHECK-SAME: (%[[X:[^:]+]]: tensor<?x4xf32>, %[[Y:[^:]+]]: tensor<4xi32>)
// CHECK-NOT: mc.mul
// CHECK: return %[[X]], %[[Y]]
func.func @mul_one(%x: tensor<?x4xf32>, %y: tensor<4xi32>) -> (tensor<?x4xf32>, tensor<4xi32>) {
  %one = mc.constant dense<1.0> : tensor<1x4xf32>
  %0 = mc.mul %x, %one : (tensor<?x4xf32>, tensor<1x4xf32>) -> tensor<?x4xf32>
  %ione = mc.constant dense<1> : tensor<4xi32>
  %1 = mc.mul %ione, %y : (tensor<4xi32>, tensor<4xi32>) -> tensor<4xi32>
  return %0, %1 : tensor<?x4xf32>, tensor<4xi32>
}

// -----

// x * 1 does not fold when broadcasting against the one changes the type.
// CHECK-LABEL: func.func @mul_one_broadcast
// CHECK: mc.mul
func.func @mul_one_broadcast(%x: tensor<4xf32>) -> tensor<3x4xf32> {
  %one = mc.constant dense<1.0> : tensor<3x4xf32>
  %0 = mc.mul %x, %one : (tensor<4xf32>, tensor<3x4xf32>) -> tensor<3x4xf32>
  return %0 : tensor<3x4xf32>
}

// -----

// x / 1 -> x.
// CHECK-LABEL: func.func @div_one
// CHECK-SAME: (%[[X:[^:]+]]: tensor<?x4xf32>)
// CHECK-NOT: mc.div
// CHECK: return %[[X]]
func.func @div_one(%x: tensor<?x4xf32>) -> tensor<?x4xf32> {
  %one = mc.constant dense<1.0> : tensor<f32>
  %0 = mc.div %x, %one : (tensor<?x4xf32>, tensor<f32>) -> tensor<?x4xf32>
  return %0 : tensor<?x4xf32>
}

// -----

// 1 / x is not x.
// CHECK-LABEL: func.func @one_div
// CHECK: mc.div
func.func @one_div(%x: tensor<4xf32>) -> tensor<4xf32> {
  %one = mc.constant dense<1.0> : tensor<4xf32>
  %0 = mc.div %one, %x : (tensor<4xf32>, tensor<4xf32>) -> tensor<4xf32>
  return %0 : tensor<4xf32>
}

// -----

// A zero held in a dense_resource blob is not looked into (weights are
// never read by folders).
// CHECK-LABEL: func.func @add_zero_resource
// CHECK: %[[Z:.+]] = mc.constant dense_resource<zeros> : tensor<2xf32>
// CHECK: mc.add %{{.+}}, %[[Z]]
func.func @add_zero_resource(%x: tensor<2xf32>) -> tensor<2xf32> {
  %z = mc.constant dense_resource<zeros> : tensor<2xf32>
  %0 = mc.add %x, %z : (tensor<2xf32>, tensor<2xf32>) -> tensor<2xf32>
  return %0 : tensor<2xf32>
}

{-#
  dialect_resources: {
    builtin: {
      zeros: "0x040000000000000000000000"
    }
  }
#-}

//===----------------------------------------------------------------------===//
// Constant folding of small shape math
//===----------------------------------------------------------------------===//

// -----

// add/sub/mul/div of literal i64 vectors fold to one literal.
// CHECK-LABEL: func.func @shape_math
// CHECK-DAG: %[[ADD:.+]] = mc.constant dense<[5, 7, 9]> : tensor<3xi64>
// CHECK-DAG: %[[SUB:.+]] = mc.constant dense<-3> : tensor<3xi64>
// CHECK-DAG: %[[MUL:.+]] = mc.constant dense<[4, 10, 18]> : tensor<3xi64>
// CHECK-DAG: %[[DIV:.+]] = mc.constant dense<[4, -2, 2]> : tensor<3xi64>
// CHECK-NOT: mc.add
// CHECK-NOT: mc.sub
// CHECK-NOT: mc.mul
// CHECK-NOT: mc.div
// CHECK: return %[[ADD]], %[[SUB]], %[[MUL]], %[[DIV]]
func.func @shape_math() -> (tensor<3xi64>, tensor<3xi64>, tensor<3xi64>, tensor<3xi64>) {
  %a = mc.constant dense<[1, 2, 3]> : tensor<3xi64>
  %b = mc.constant dense<[4, 5, 6]> : tensor<3xi64>
  %0 = mc.add %a, %b : (tensor<3xi64>, tensor<3xi64>) -> tensor<3xi64>
  %1 = mc.sub %a, %b : (tensor<3xi64>, tensor<3xi64>) -> tensor<3xi64>
  %2 = mc.mul %a, %b : (tensor<3xi64>, tensor<3xi64>) -> tensor<3xi64>
  // Integer division truncates toward zero: 9 / 2, -5 / 2, -7 / -3.
  %n = mc.constant dense<[9, -5, -7]> : tensor<3xi64>
  %d = mc.constant dense<[2, 2, -3]> : tensor<3xi64>
  %3 = mc.div %n, %d : (tensor<3xi64>, tensor<3xi64>) -> tensor<3xi64>
  return %0, %1, %2, %3 : tensor<3xi64>, tensor<3xi64>, tensor<3xi64>, tensor<3xi64>
}

// -----

// A chain of shape arithmetic folds completely (splats included).
// CHECK-LABEL: func.func @shape_math_chain
// CHECK: %[[C:.+]] = mc.constant dense<[3, 5]> : tensor<2xi64>
// CHECK-NEXT: return %[[C]]
func.func @shape_math_chain() -> tensor<2xi64> {
  %a = mc.constant dense<[2, 4]> : tensor<2xi64>
  %two = mc.constant dense<2> : tensor<2xi64>
  %one = mc.constant dense<1> : tensor<2xi64>
  %0 = mc.mul %a, %two : (tensor<2xi64>, tensor<2xi64>) -> tensor<2xi64>
  %1 = mc.div %0, %two : (tensor<2xi64>, tensor<2xi64>) -> tensor<2xi64>
  %2 = mc.add %1, %one : (tensor<2xi64>, tensor<2xi64>) -> tensor<2xi64>
  %3 = mc.sub %2, %a : (tensor<2xi64>, tensor<2xi64>) -> tensor<2xi64>
  %4 = mc.add %3, %a : (tensor<2xi64>, tensor<2xi64>) -> tensor<2xi64>
  return %4 : tensor<2xi64>
}

// -----

// Unsigned (ui8) division folds unsigned: 200 / 2 is 100, not -28.
// CHECK-LABEL: func.func @div_unsigned
// CHECK: %[[C:.+]] = mc.constant dense<[100, 127]> : tensor<2xui8>
// CHECK-NEXT: return %[[C]]
func.func @div_unsigned() -> tensor<2xui8> {
  %a = mc.constant dense<[200, 255]> : tensor<2xui8>
  %b = mc.constant dense<2> : tensor<2xui8>
  %0 = mc.div %a, %b : (tensor<2xui8>, tensor<2xui8>) -> tensor<2xui8>
  return %0 : tensor<2xui8>
}

// -----

// Float literals fold too.
// CHECK-LABEL: func.func @float_math
// CHECK: %[[C:.+]] = mc.constant dense<[1.250000e+00, -2.500000e-01]> : tensor<2xf32>
// CHECK-NEXT: return %[[C]]
func.func @float_math() -> tensor<2xf32> {
  %a = mc.constant dense<[1.0, -0.5]> : tensor<2xf32>
  %b = mc.constant dense<0.5> : tensor<2xf32>
  %c = mc.constant dense<2.0> : tensor<2xf32>
  // ((a + 0.5) * 2 - 0.5) / 2
  %0 = mc.add %a, %b : (tensor<2xf32>, tensor<2xf32>) -> tensor<2xf32>
  %1 = mc.mul %0, %c : (tensor<2xf32>, tensor<2xf32>) -> tensor<2xf32>
  %2 = mc.sub %1, %b : (tensor<2xf32>, tensor<2xf32>) -> tensor<2xf32>
  %3 = mc.div %2, %c : (tensor<2xf32>, tensor<2xf32>) -> tensor<2xf32>
  return %3 : tensor<2xf32>
}

// -----

// Integer division by zero (and INT64_MIN / -1) is left to run time.
// CHECK-LABEL: func.func @div_by_zero
// CHECK-DAG: %[[A:.+]] = mc.constant dense<[6, 7]> : tensor<2xi64>
// CHECK-DAG: %[[Z:.+]] = mc.constant dense<[2, 0]> : tensor<2xi64>
// CHECK-DAG: %[[M:.+]] = mc.constant dense<-9223372036854775808> : tensor<2xi64>
// CHECK-DAG: %[[N:.+]] = mc.constant dense<-1> : tensor<2xi64>
// CHECK-DAG: %[[D0:.+]] = mc.div %[[A]], %[[Z]]
// CHECK-DAG: %[[D1:.+]] = mc.div %[[M]], %[[N]]
// CHECK: return %[[D0]], %[[D1]]
func.func @div_by_zero() -> (tensor<2xi64>, tensor<2xi64>) {
  %a = mc.constant dense<[6, 7]> : tensor<2xi64>
  %z = mc.constant dense<[2, 0]> : tensor<2xi64>
  %0 = mc.div %a, %z : (tensor<2xi64>, tensor<2xi64>) -> tensor<2xi64>
  %m = mc.constant dense<-9223372036854775808> : tensor<2xi64>
  %n = mc.constant dense<-1> : tensor<2xi64>
  %1 = mc.div %m, %n : (tensor<2xi64>, tensor<2xi64>) -> tensor<2xi64>
  return %0, %1 : tensor<2xi64>, tensor<2xi64>
}

// -----

// Literals are not folded across a broadcast (the folder keeps to
// same-typed operands).
// CHECK-LABEL: func.func @math_broadcast
// CHECK: mc.add
func.func @math_broadcast() -> tensor<2x2xi64> {
  %a = mc.constant dense<[1, 2]> : tensor<2xi64>
  %b = mc.constant dense<[[1], [2]]> : tensor<2x1xi64>
  %0 = mc.add %a, %b : (tensor<2xi64>, tensor<2x1xi64>) -> tensor<2x2xi64>
  return %0 : tensor<2x2xi64>
}

// -----

// Weights in dense_resource blobs are not folded.
// CHECK-LABEL: func.func @math_resource
// CHECK-DAG: %[[A:.+]] = mc.constant dense_resource<lhs> : tensor<2xi64>
// CHECK-DAG: %[[B:.+]] = mc.constant dense<1> : tensor<2xi64>
// CHECK: %[[R:.+]] = mc.add %[[A]], %[[B]]
// CHECK: return %[[R]]
func.func @math_resource() -> tensor<2xi64> {
  %a = mc.constant dense_resource<lhs> : tensor<2xi64>
  %b = mc.constant dense<1> : tensor<2xi64>
  %0 = mc.add %a, %b : (tensor<2xi64>, tensor<2xi64>) -> tensor<2xi64>
  return %0 : tensor<2xi64>
}

{-#
  dialect_resources: {
    builtin: {
      lhs: "0x0800000001000000000000000200000000000000"
    }
  }
#-}

//===----------------------------------------------------------------------===//
// clip, cast
//===----------------------------------------------------------------------===//

// -----

// clip without bounds is the identity; with a bound it stays.
// CHECK-LABEL: func.func @clip
// CHECK-SAME: (%[[X:[^:]+]]: tensor<4xf32>)
// CHECK: %[[C:.+]] = mc.clip %[[X]] {min = 0.000000e+00 : f64}
// CHECK: return %[[X]], %[[C]]
func.func @clip(%x: tensor<4xf32>) -> (tensor<4xf32>, tensor<4xf32>) {
  %0 = mc.clip %x : tensor<4xf32>
  %1 = mc.clip %x {min = 0.0 : f64} : tensor<4xf32>
  return %0, %1 : tensor<4xf32>, tensor<4xf32>
}

// -----

// A cast to the same type is the identity; a real cast stays.
// CHECK-LABEL: func.func @cast
// CHECK-SAME: (%[[X:[^:]+]]: tensor<?x4xi64>)
// CHECK: %[[C:.+]] = mc.cast %[[X]] : tensor<?x4xi64> -> tensor<?x4xf32>
// CHECK: return %[[X]], %[[C]]
func.func @cast(%x: tensor<?x4xi64>) -> (tensor<?x4xi64>, tensor<?x4xf32>) {
  %0 = mc.cast %x : tensor<?x4xi64> -> tensor<?x4xi64>
  %1 = mc.cast %x : tensor<?x4xi64> -> tensor<?x4xf32>
  return %0, %1 : tensor<?x4xi64>, tensor<?x4xf32>
}

//===----------------------------------------------------------------------===//
// mc.reshape and the shape ops that become reshapes
//===----------------------------------------------------------------------===//

// -----

// A reshape to the input's own type is the identity.
// CHECK-LABEL: func.func @reshape_identity
// CHECK-SAME: (%[[X:[^:]+]]: tensor<?x4xf32>)
// CHECK-NOT: mc.reshape
// CHECK: return %[[X]]
func.func @reshape_identity(%x: tensor<?x4xf32>) -> tensor<?x4xf32> {
  %0 = mc.reshape %x : tensor<?x4xf32> -> tensor<?x4xf32>
  return %0 : tensor<?x4xf32>
}

// -----

// A reshape of a literal is a literal of the new shape.
// CHECK-LABEL: func.func @reshape_literal
// CHECK: %[[C:.+]] = mc.constant dense<{{\[\[}}1, 2, 3], [4, 5, 6]]> : tensor<2x3xi64>
// CHECK-NOT: mc.reshape
// CHECK: return %[[C]]
func.func @reshape_literal() -> tensor<2x3xi64> {
  %c = mc.constant dense<[1, 2, 3, 4, 5, 6]> : tensor<6xi64>
  %0 = mc.reshape %c : tensor<6xi64> -> tensor<2x3xi64>
  return %0 : tensor<2x3xi64>
}

// -----

// A reshape of a literal to a dynamic shape stays (no static result type).
// CHECK-LABEL: func.func @reshape_literal_dynamic
// CHECK: mc.reshape %{{.+}} : tensor<6xi64> -> tensor<?x3xi64>
func.func @reshape_literal_dynamic() -> tensor<?x3xi64> {
  %c = mc.constant dense<[1, 2, 3, 4, 5, 6]> : tensor<6xi64>
  %0 = mc.reshape %c : tensor<6xi64> -> tensor<?x3xi64>
  return %0 : tensor<?x3xi64>
}

// -----

// A reshape of a dense_resource weight stays (weights are not copied).
// CHECK-LABEL: func.func @reshape_resource
// CHECK: %[[W:.+]] = mc.constant dense_resource<weight> : tensor<4xf32>
// CHECK: mc.reshape %[[W]] : tensor<4xf32> -> tensor<2x2xf32>
func.func @reshape_resource() -> tensor<2x2xf32> {
  %w = mc.constant dense_resource<weight> : tensor<4xf32>
  %0 = mc.reshape %w : tensor<4xf32> -> tensor<2x2xf32>
  return %0 : tensor<2x2xf32>
}

{-#
  dialect_resources: {
    builtin: {
      weight: "0x040000000000803F000000400000404000008040"
    }
  }
#-}

// -----

// reshape(reshape(x)) -> reshape(x).
// CHECK-LABEL: func.func @reshape_chain
// CHECK-SAME: (%[[X:[^:]+]]: tensor<?x2x3xf32>)
// CHECK: %[[R:.+]] = mc.reshape %[[X]] : tensor<?x2x3xf32> -> tensor<?x3x2xf32>
// CHECK-NOT: mc.reshape
// CHECK: return %[[R]]
func.func @reshape_chain(%x: tensor<?x2x3xf32>) -> tensor<?x3x2xf32> {
  %0 = mc.reshape %x : tensor<?x2x3xf32> -> tensor<?x6xf32>
  %1 = mc.reshape %0 : tensor<?x6xf32> -> tensor<?x3x2xf32>
  return %1 : tensor<?x3x2xf32>
}

// -----

// A reshape chain back to the input's type disappears.
// CHECK-LABEL: func.func @reshape_round_trip
// CHECK-SAME: (%[[X:[^:]+]]: tensor<?x2x3xf32>)
// CHECK-NOT: mc.reshape
// CHECK: return %[[X]]
func.func @reshape_round_trip(%x: tensor<?x2x3xf32>) -> tensor<?x2x3xf32> {
  %0 = mc.reshape %x : tensor<?x2x3xf32> -> tensor<?x6xf32>
  %1 = mc.reshape %0 : tensor<?x6xf32> -> tensor<?x2x3xf32>
  return %1 : tensor<?x2x3xf32>
}

// -----

// flatten, squeeze and unsqueeze become reshapes.
// CHECK-LABEL: func.func @shape_ops_to_reshape
// CHECK-SAME: (%[[X:[^:]+]]: tensor<?x32x1x1xf32>, %[[Y:[^:]+]]: tensor<?x32xf32>)
// CHECK-NOT: mc.flatten
// CHECK-NOT: mc.squeeze
// CHECK-NOT: mc.unsqueeze
// CHECK-DAG: %[[F:.+]] = mc.reshape %[[X]] : tensor<?x32x1x1xf32> -> tensor<?x32xf32>
// CHECK-DAG: %[[S:.+]] = mc.reshape %[[X]] : tensor<?x32x1x1xf32> -> tensor<?x32x1xf32>
// CHECK-DAG: %[[U:.+]] = mc.reshape %[[Y]] : tensor<?x32xf32> -> tensor<?x1x32xf32>
// CHECK: return %[[F]], %[[S]], %[[U]]
func.func @shape_ops_to_reshape(%x: tensor<?x32x1x1xf32>, %y: tensor<?x32xf32>) -> (tensor<?x32xf32>, tensor<?x32x1xf32>, tensor<?x1x32xf32>) {
  %0 = mc.flatten %x : (tensor<?x32x1x1xf32>) -> tensor<?x32xf32>
  %1 = mc.squeeze %x {axes = array<i64: 3>} : (tensor<?x32x1x1xf32>) -> tensor<?x32x1xf32>
  %2 = mc.unsqueeze %y {axes = array<i64: 1>} : (tensor<?x32xf32>) -> tensor<?x1x32xf32>
  return %0, %1, %2 : tensor<?x32xf32>, tensor<?x32x1xf32>, tensor<?x1x32xf32>
}

// -----

// squeeze then unsqueeze of the same axis collapses to nothing.
// CHECK-LABEL: func.func @squeeze_unsqueeze
// CHECK-SAME: (%[[X:[^:]+]]: tensor<?x32x1xf32>)
// CHECK-NOT: mc.
// CHECK: return %[[X]]
func.func @squeeze_unsqueeze(%x: tensor<?x32x1xf32>) -> tensor<?x32x1xf32> {
  %0 = mc.squeeze %x {axes = array<i64: 2>} : (tensor<?x32x1xf32>) -> tensor<?x32xf32>
  %1 = mc.unsqueeze %0 {axes = array<i64: -1>} : (tensor<?x32xf32>) -> tensor<?x32x1xf32>
  return %1 : tensor<?x32x1xf32>
}

// -----

// A flatten whose result has two dynamic dimensions cannot be a reshape.
// CHECK-LABEL: func.func @flatten_two_dynamic
// CHECK: mc.flatten
// CHECK-NOT: mc.reshape
func.func @flatten_two_dynamic(%x: tensor<?x?x4xf32>) -> tensor<?x?xf32> {
  %0 = mc.flatten %x : (tensor<?x?x4xf32>) -> tensor<?x?xf32>
  return %0 : tensor<?x?xf32>
}

// -----

// unsqueeze of a literal becomes a reshape, which folds into a literal.
// CHECK-LABEL: func.func @unsqueeze_literal
// CHECK: %[[C:.+]] = mc.constant dense<{{\[\[}}7, 8]]> : tensor<1x2xi64>
// CHECK-NEXT: return %[[C]]
func.func @unsqueeze_literal() -> tensor<1x2xi64> {
  %c = mc.constant dense<[7, 8]> : tensor<2xi64>
  %0 = mc.unsqueeze %c {axes = array<i64: 0>} : (tensor<2xi64>) -> tensor<1x2xi64>
  return %0 : tensor<1x2xi64>
}

//===----------------------------------------------------------------------===//
// mc.transpose
//===----------------------------------------------------------------------===//

// -----

// The identity permutation folds away.
// CHECK-LABEL: func.func @transpose_identity
// CHECK-SAME: (%[[X:[^:]+]]: tensor<?x4x8xf32>)
// CHECK-NOT: mc.transpose
// CHECK: return %[[X]]
func.func @transpose_identity(%x: tensor<?x4x8xf32>) -> tensor<?x4x8xf32> {
  %0 = mc.transpose %x {perm = array<i64: 0, 1, 2>} : (tensor<?x4x8xf32>) -> tensor<?x4x8xf32>
  return %0 : tensor<?x4x8xf32>
}

// -----

// transpose(transpose(x, p1), p2) -> transpose(x, p1 o p2): result dim i is
// input dim p1[p2[i]].
// CHECK-LABEL: func.func @transpose_compose
// CHECK-SAME: (%[[X:[^:]+]]: tensor<2x3x4xf32>)
// CHECK: %[[T:.+]] = mc.transpose %[[X]] {perm = array<i64: 1, 0, 2>} : (tensor<2x3x4xf32>) -> tensor<3x2x4xf32>
// CHECK-NOT: mc.transpose
// CHECK: return %[[T]]
func.func @transpose_compose(%x: tensor<2x3x4xf32>) -> tensor<3x2x4xf32> {
  %0 = mc.transpose %x {perm = array<i64: 1, 2, 0>} : (tensor<2x3x4xf32>) -> tensor<3x4x2xf32>
  %1 = mc.transpose %0 {perm = array<i64: 0, 2, 1>} : (tensor<3x4x2xf32>) -> tensor<3x2x4xf32>
  return %1 : tensor<3x2x4xf32>
}

// -----

// A transpose and its inverse cancel.
// CHECK-LABEL: func.func @transpose_inverse
// CHECK-SAME: (%[[X:[^:]+]]: tensor<?x16x4x8xf32>)
// CHECK-NOT: mc.transpose
// CHECK: return %[[X]]
func.func @transpose_inverse(%x: tensor<?x16x4x8xf32>) -> tensor<?x16x4x8xf32> {
  %0 = mc.transpose %x {perm = array<i64: 0, 2, 1, 3>} : (tensor<?x16x4x8xf32>) -> tensor<?x4x16x8xf32>
  %1 = mc.transpose %0 {perm = array<i64: 0, 2, 1, 3>} : (tensor<?x4x16x8xf32>) -> tensor<?x16x4x8xf32>
  return %1 : tensor<?x16x4x8xf32>
}

//===----------------------------------------------------------------------===//
// mc.concat, mc.slice, mc.storage_cast
//===----------------------------------------------------------------------===//

// -----

// A concatenation of one input is that input.
// CHECK-LABEL: func.func @concat_one
// CHECK-SAME: (%[[X:[^:]+]]: tensor<?x4xf32>)
// CHECK-NOT: mc.concat
// CHECK: return %[[X]]
func.func @concat_one(%x: tensor<?x4xf32>) -> tensor<?x4xf32> {
  %0 = mc.concat %x {axis = 1 : i64} : (tensor<?x4xf32>) -> tensor<?x4xf32>
  return %0 : tensor<?x4xf32>
}

// -----

// Literal i64 vectors (shape data) concatenate into one literal, splats
// included.
// CHECK-LABEL: func.func @concat_literals
// CHECK: %[[C:.+]] = mc.constant dense<[1, 2, -1, 0, 0]> : tensor<5xi64>
// CHECK-NOT: mc.concat
// CHECK: return %[[C]]
func.func @concat_literals() -> tensor<5xi64> {
  %a = mc.constant dense<[1, 2]> : tensor<2xi64>
  %b = mc.constant dense<-1> : tensor<1xi64>
  %c = mc.constant dense<0> : tensor<2xi64>
  %0 = mc.concat %a, %b, %c {axis = 0 : i64} : (tensor<2xi64>, tensor<1xi64>, tensor<2xi64>) -> tensor<5xi64>
  return %0 : tensor<5xi64>
}

// -----

// A concatenation with a non-constant input stays.
// CHECK-LABEL: func.func @concat_non_constant
// CHECK-SAME: (%[[X:[^:]+]]: tensor<1xi64>)
// CHECK: %[[A:.+]] = mc.constant dense<[1, 2]> : tensor<2xi64>
// CHECK: mc.concat %[[A]], %[[X]] {axis = 0 : i64}
func.func @concat_non_constant(%x: tensor<1xi64>) -> tensor<3xi64> {
  %a = mc.constant dense<[1, 2]> : tensor<2xi64>
  %0 = mc.concat %a, %x {axis = 0 : i64} : (tensor<2xi64>, tensor<1xi64>) -> tensor<3xi64>
  return %0 : tensor<3xi64>
}

// -----

// Literal float tensors are not concatenated at compile time.
// CHECK-LABEL: func.func @concat_float_literals
// CHECK: mc.concat
func.func @concat_float_literals() -> tensor<4xf32> {
  %a = mc.constant dense<[1.0, 2.0]> : tensor<2xf32>
  %0 = mc.concat %a, %a {axis = 0 : i64} : (tensor<2xf32>, tensor<2xf32>) -> tensor<4xf32>
  return %0 : tensor<4xf32>
}

// -----

// A slice that takes every element in order is the identity.
// CHECK-LABEL: func.func @slice_full
// CHECK-SAME: (%[[X:[^:]+]]: tensor<?x8xf32>)
// CHECK-NOT: mc.slice
// CHECK: return %[[X]]
func.func @slice_full(%x: tensor<?x8xf32>) -> tensor<?x8xf32> {
  %0 = mc.slice %x {axes = array<i64: -1>, starts = array<i64: 0>, sizes = array<i64: 8>, steps = array<i64: 1>} : (tensor<?x8xf32>) -> tensor<?x8xf32>
  return %0 : tensor<?x8xf32>
}

// -----

// A full-size slice that walks backwards reverses the axis and stays.
// CHECK-LABEL: func.func @slice_reverse
// CHECK: mc.slice
func.func @slice_reverse(%x: tensor<?x8xf32>) -> tensor<?x8xf32> {
  %0 = mc.slice %x {axes = array<i64: 1>, starts = array<i64: 7>, sizes = array<i64: 8>, steps = array<i64: -1>} : (tensor<?x8xf32>) -> tensor<?x8xf32>
  return %0 : tensor<?x8xf32>
}

// -----

// A partial slice stays.
// CHECK-LABEL: func.func @slice_partial
// CHECK: mc.slice
func.func @slice_partial(%x: tensor<?x8xf32>) -> tensor<?x4xf32> {
  %0 = mc.slice %x {axes = array<i64: 1>, starts = array<i64: 4>, sizes = array<i64: 4>, steps = array<i64: 1>} : (tensor<?x8xf32>) -> tensor<?x4xf32>
  return %0 : tensor<?x4xf32>
}

// -----

// storage_cast to quantized and back (either way round) is the identity.
// CHECK-LABEL: func.func @storage_cast_round_trip
// CHECK-SAME: (%[[X:[^:]+]]: tensor<4xui8>, %[[Q:[^:]+]]: tensor<4x!quant.uniform<i8:f32, 5.000000e-01>>)
// CHECK-NOT: mc.storage_cast
// CHECK: return %[[X]], %[[Q]]
func.func @storage_cast_round_trip(%x: tensor<4xui8>, %q: tensor<4x!quant.uniform<i8:f32, 0.5>>) -> (tensor<4xui8>, tensor<4x!quant.uniform<i8:f32, 0.5>>) {
  %0 = mc.storage_cast %x : tensor<4xui8> -> tensor<4x!quant.uniform<u8:f32, 0.25:128>>
  %1 = mc.storage_cast %0 : tensor<4x!quant.uniform<u8:f32, 0.25:128>> -> tensor<4xui8>
  %2 = mc.storage_cast %q : tensor<4x!quant.uniform<i8:f32, 0.5>> -> tensor<4xi8>
  %3 = mc.storage_cast %2 : tensor<4xi8> -> tensor<4x!quant.uniform<i8:f32, 0.5>>
  return %1, %3 : tensor<4xui8>, tensor<4x!quant.uniform<i8:f32, 0.5>>
}

// -----

// Reinterpreting the storage with other quantization parameters is kept.
// CHECK-LABEL: func.func @storage_cast_new_params
// CHECK-SAME: (%[[Q:[^:]+]]: tensor<4x!quant.uniform<i8:f32, 5.000000e-01>>)
// CHECK: %[[S:.+]] = mc.storage_cast %[[Q]] : tensor<4x!quant.uniform<i8:f32, 5.000000e-01>> -> tensor<4xi8>
// CHECK: %[[R:.+]] = mc.storage_cast %[[S]] : tensor<4xi8> -> tensor<4x!quant.uniform<i8:f32, 2.500000e-01>>
// CHECK: return %[[R]]
func.func @storage_cast_new_params(%q: tensor<4x!quant.uniform<i8:f32, 0.5>>) -> tensor<4x!quant.uniform<i8:f32, 0.25>> {
  %0 = mc.storage_cast %q : tensor<4x!quant.uniform<i8:f32, 0.5>> -> tensor<4xi8>
  %1 = mc.storage_cast %0 : tensor<4xi8> -> tensor<4x!quant.uniform<i8:f32, 0.25>>
  return %1 : tensor<4x!quant.uniform<i8:f32, 0.25>>
}

// -----

// A bias-free linear followed by the add of a constant vector becomes one
// linear with that bias (PyTorch's MatMul + Add export of nn.Linear).
// CHECK-LABEL: func.func @fuse_linear_bias
// CHECK-SAME: (%[[X:.+]]: tensor<?x4x3xf32>)
// CHECK-DAG: %[[W:.+]] = mc.constant dense<{{.*}}> : tensor<2x3xf32>
// CHECK-DAG: %[[B:.+]] = mc.constant dense<[1.000000e+00, 2.000000e+00]> : tensor<2xf32>
// CHECK: %[[Y:.+]] = mc.linear %[[X]], %[[W]], %[[B]]
// CHECK-NOT: mc.add
// CHECK: return %[[Y]]
func.func @fuse_linear_bias(%x: tensor<?x4x3xf32>) -> tensor<?x4x2xf32> {
  %w = mc.constant dense<0.5> : tensor<2x3xf32>
  %b = mc.constant dense<[1.0, 2.0]> : tensor<2xf32>
  %l = mc.linear %x, %w : (tensor<?x4x3xf32>, tensor<2x3xf32>) -> tensor<?x4x2xf32>
  %y = mc.add %b, %l : (tensor<2xf32>, tensor<?x4x2xf32>) -> tensor<?x4x2xf32>
  return %y : tensor<?x4x2xf32>
}

// -----

// The add is kept when the linear's result has another user.
// CHECK-LABEL: func.func @no_fuse_shared_linear
// CHECK: mc.linear %{{.*}}, %{{.*}} :
// CHECK: mc.add
func.func @no_fuse_shared_linear(%x: tensor<?x3xf32>) -> (tensor<?x2xf32>, tensor<?x2xf32>) {
  %w = mc.constant dense<0.5> : tensor<2x3xf32>
  %b = mc.constant dense<[1.0, 2.0]> : tensor<2xf32>
  %l = mc.linear %x, %w : (tensor<?x3xf32>, tensor<2x3xf32>) -> tensor<?x2xf32>
  %y = mc.add %l, %b : (tensor<?x2xf32>, tensor<2xf32>) -> tensor<?x2xf32>
  return %y, %l : tensor<?x2xf32>, tensor<?x2xf32>
}

// -----

// A non-constant addend is a residual connection, not a bias.
// CHECK-LABEL: func.func @no_fuse_residual
// CHECK: mc.add
func.func @no_fuse_residual(%x: tensor<?x2xf32>, %r: tensor<2xf32>) -> tensor<?x2xf32> {
  %w = mc.constant dense<0.5> : tensor<2x2xf32>
  %l = mc.linear %x, %w : (tensor<?x2xf32>, tensor<2x2xf32>) -> tensor<?x2xf32>
  %y = mc.add %l, %r : (tensor<?x2xf32>, tensor<2xf32>) -> tensor<?x2xf32>
  return %y : tensor<?x2xf32>
}

// -----

// PyTorch's export of nn.GELU, (x * (1 + erf(x / sqrt 2))) * 0.5, becomes
// one mc.gelu.
// CHECK-LABEL: func.func @fuse_erf_gelu
// CHECK-SAME: (%[[X:.+]]: tensor<?x8xf32>)
// CHECK: %[[G:.+]] = mc.gelu %[[X]] : tensor<?x8xf32>
// CHECK-NOT: mc.erf
// CHECK: return %[[G]]
func.func @fuse_erf_gelu(%x: tensor<?x8xf32>) -> tensor<?x8xf32> {
  %sqrt2 = mc.constant dense<1.41421354> : tensor<f32>
  %one = mc.constant dense<1.0> : tensor<f32>
  %half = mc.constant dense<0.5> : tensor<f32>
  %d = mc.div %x, %sqrt2 : (tensor<?x8xf32>, tensor<f32>) -> tensor<?x8xf32>
  %e = mc.erf %d : tensor<?x8xf32>
  %a = mc.add %e, %one : (tensor<?x8xf32>, tensor<f32>) -> tensor<?x8xf32>
  %m = mc.mul %x, %a : (tensor<?x8xf32>, tensor<?x8xf32>) -> tensor<?x8xf32>
  %y = mc.mul %m, %half : (tensor<?x8xf32>, tensor<f32>) -> tensor<?x8xf32>
  return %y : tensor<?x8xf32>
}

// -----

// The association (x * 0.5) * (1 + erf(x * 1/sqrt 2)) is the same GELU.
// CHECK-LABEL: func.func @fuse_erf_gelu_half_first
// CHECK-SAME: (%[[X:.+]]: tensor<4xf32>)
// CHECK: %[[G:.+]] = mc.gelu %[[X]]
// CHECK: return %[[G]]
func.func @fuse_erf_gelu_half_first(%x: tensor<4xf32>) -> tensor<4xf32> {
  %rsqrt2 = mc.constant dense<0.707106769> : tensor<f32>
  %one = mc.constant dense<1.0> : tensor<f32>
  %half = mc.constant dense<0.5> : tensor<f32>
  %d = mc.mul %x, %rsqrt2 : (tensor<4xf32>, tensor<f32>) -> tensor<4xf32>
  %e = mc.erf %d : tensor<4xf32>
  %a = mc.add %one, %e : (tensor<f32>, tensor<4xf32>) -> tensor<4xf32>
  %h = mc.mul %x, %half : (tensor<4xf32>, tensor<f32>) -> tensor<4xf32>
  %y = mc.mul %h, %a : (tensor<4xf32>, tensor<4xf32>) -> tensor<4xf32>
  return %y : tensor<4xf32>
}

// -----

// A different constant (x / 2 inside erf) is not GELU and is left alone.
// CHECK-LABEL: func.func @no_gelu_wrong_constant
// CHECK-NOT: mc.gelu
// CHECK: mc.erf
func.func @no_gelu_wrong_constant(%x: tensor<4xf32>) -> tensor<4xf32> {
  %two = mc.constant dense<2.0> : tensor<f32>
  %one = mc.constant dense<1.0> : tensor<f32>
  %half = mc.constant dense<0.5> : tensor<f32>
  %d = mc.div %x, %two : (tensor<4xf32>, tensor<f32>) -> tensor<4xf32>
  %e = mc.erf %d : tensor<4xf32>
  %a = mc.add %e, %one : (tensor<4xf32>, tensor<f32>) -> tensor<4xf32>
  %m = mc.mul %x, %a : (tensor<4xf32>, tensor<4xf32>) -> tensor<4xf32>
  %y = mc.mul %m, %half : (tensor<4xf32>, tensor<f32>) -> tensor<4xf32>
  return %y : tensor<4xf32>
}

// -----

// The erf term must multiply the same x it was computed from.
// CHECK-LABEL: func.func @no_gelu_other_operand
// CHECK-NOT: mc.gelu
func.func @no_gelu_other_operand(%x: tensor<4xf32>, %z: tensor<4xf32>) -> tensor<4xf32> {
  %sqrt2 = mc.constant dense<1.41421354> : tensor<f32>
  %one = mc.constant dense<1.0> : tensor<f32>
  %half = mc.constant dense<0.5> : tensor<f32>
  %d = mc.div %x, %sqrt2 : (tensor<4xf32>, tensor<f32>) -> tensor<4xf32>
  %e = mc.erf %d : tensor<4xf32>
  %a = mc.add %e, %one : (tensor<4xf32>, tensor<f32>) -> tensor<4xf32>
  %m = mc.mul %z, %a : (tensor<4xf32>, tensor<4xf32>) -> tensor<4xf32>
  %y = mc.mul %m, %half : (tensor<4xf32>, tensor<f32>) -> tensor<4xf32>
  return %y : tensor<4xf32>
}
