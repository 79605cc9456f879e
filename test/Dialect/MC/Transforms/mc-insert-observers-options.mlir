// RUN: mc-opt %s --mc-insert-observers="function=other calib-function=other_obs" | FileCheck %s
// RUN: not mc-opt %s --mc-insert-observers="function=other calib-function=other" 2>&1 | FileCheck %s --check-prefix=SAME
// RUN: not mc-opt %s --mc-insert-observers="function=other calib-function=" 2>&1 | FileCheck %s --check-prefix=SAME

// The options pick another entry function and variant name; the variant
// must be a new function.
// CHECK-LABEL: func.func @other(
// CHECK-LABEL: func.func @other_obs(
// CHECK-SAME: -> (tensor<3xf32> {mc.name = "arg:0"}, tensor<3xf32> {mc.name = "mc.relu"})
// SAME: mc-insert-observers: calib-function must name a new function

func.func @other(%x: tensor<3xf32>) -> tensor<3xf32> {
  %r = mc.relu %x : tensor<3xf32>
  return %r : tensor<3xf32>
}
