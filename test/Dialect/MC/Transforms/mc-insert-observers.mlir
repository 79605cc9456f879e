// RUN: mc-opt %s -split-input-file --mc-insert-observers | FileCheck %s

// mc-insert-observers clones @main into @main_calib, which returns every
// observed float tensor once (the taps) and lists in mc.calib_taps which
// statistic of which key each tap feeds.

// Observed: the float argument (not the integer one), every mc op result
// that depends on an argument, keyed by location name, "#N" on repeats and
// the op name without a location name. The relu of a constant is not
// observed. The linear's input (the argument) also feeds its column norms.
// CHECK-LABEL: func.func @main(
// CHECK-SAME: -> (tensor<?x2xf32> {mc.name = "y"})
// CHECK-NOT: mc.calib_taps
// CHECK: return %{{.+}} : tensor<?x2xf32>
// CHECK-LABEL: func.func @main_calib(
// CHECK-SAME: %[[X:[^:]+]]: tensor<?x4xf32> {mc.name = "x"}, %{{[^:]+}}: tensor<?x4xi64> {mc.name = "ids"})
// CHECK-SAME: -> (tensor<?x4xf32> {mc.name = "arg:x"}, tensor<?x2xf32> {mc.name = "fc"}, tensor<?x2xf32> {mc.name = "act"}, tensor<?x2xf32> {mc.name = "act#1"}, tensor<?x2xf32> {mc.name = "mc.neg"})
// CHECK-SAME: attributes {mc.calib_taps = [
// CHECK-SAME: {key = "arg:x", stat = "range", tap = 0 : i64},
// CHECK-SAME: {key = "fc", stat = "col_norm", tap = 0 : i64},
// CHECK-SAME: {key = "fc", stat = "range", tap = 1 : i64},
// CHECK-SAME: {key = "act", stat = "range", tap = 2 : i64},
// CHECK-SAME: {key = "act#1", stat = "range", tap = 3 : i64},
// CHECK-SAME: {key = "mc.neg", stat = "range", tap = 4 : i64}]}
// CHECK: %[[WR:.+]] = mc.relu %{{.+}} : tensor<2x4xf32>
// CHECK: %[[FC:.+]] = mc.linear %[[X]], %[[WR]]
// CHECK: %[[A0:.+]] = mc.relu %[[FC]]
// CHECK: %[[A1:.+]] = mc.relu %[[A0]]
// CHECK: %[[N:.+]] = mc.neg %[[A1]]
// CHECK: return %[[X]], %[[FC]], %[[A0]], %[[A1]], %[[N]] :
func.func @main(%x: tensor<?x4xf32> {mc.name = "x"}, %ids: tensor<?x4xi64> {mc.name = "ids"}) -> (tensor<?x2xf32> {mc.name = "y"}) {
  %w = mc.constant dense<1.0> : tensor<2x4xf32> loc("fc.weight")
  %wr = mc.relu %w : tensor<2x4xf32> loc("wr")
  %h = mc.linear %x, %wr : (tensor<?x4xf32>, tensor<2x4xf32>) -> tensor<?x2xf32> loc("fc")
  %a = mc.relu %h : tensor<?x2xf32> loc("act")
  %b = mc.relu %a : tensor<?x2xf32> loc("act")
  %n = mc.neg %b : tensor<?x2xf32>
  return %n : tensor<?x2xf32>
}

// -----

// A conv whose input is not otherwise observed (an f16 argument is returned
// through mc.cast, and so is the f16 conv result); an argument without
// mc.name is keyed by its position. Other functions are left alone.
// CHECK-LABEL: func.func @helper
// CHECK-LABEL: func.func @main(
// CHECK-LABEL: func.func @main_calib(
// CHECK-SAME: %[[X:[^:]+]]: tensor<1x1x4x4xf16>)
// CHECK-SAME: -> (tensor<1x1x4x4xf32> {mc.name = "arg:0"}, tensor<1x2x3x3xf32> {mc.name = "conv"})
// CHECK-SAME: attributes {mc.calib_taps = [
// CHECK-SAME: {key = "arg:0", stat = "range", tap = 0 : i64},
// CHECK-SAME: {key = "conv", stat = "col_norm", tap = 0 : i64},
// CHECK-SAME: {key = "conv", stat = "range", tap = 1 : i64}]}
// CHECK: %[[C:.+]] = mc.conv2d %[[X]]
// CHECK-DAG: %[[XC:.+]] = mc.cast %[[X]] : tensor<1x1x4x4xf16> -> tensor<1x1x4x4xf32>
// CHECK-DAG: %[[CC:.+]] = mc.cast %[[C]] : tensor<1x2x3x3xf16> -> tensor<1x2x3x3xf32>
// CHECK: return %[[XC]], %[[CC]] :
func.func @helper() {
  return
}
func.func @main(%x: tensor<1x1x4x4xf16>) -> tensor<1x2x3x3xf16> {
  %w = mc.constant dense<1.0> : tensor<2x1x2x2xf16>
  %c = mc.conv2d %x, %w : (tensor<1x1x4x4xf16>, tensor<2x1x2x2xf16>) -> tensor<1x2x3x3xf16> loc("conv")
  return %c : tensor<1x2x3x3xf16>
}

