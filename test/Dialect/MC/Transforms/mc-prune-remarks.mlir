// RUN: mc-opt %s -split-input-file --mc-prune="pattern=channel skip=fc9" -o /dev/null 2>&1 | FileCheck %s --check-prefix=CHANNEL
// RUN: mc-opt %s -split-input-file --mc-prune="pattern=2:4" -o /dev/null 2>&1 | FileCheck %s --check-prefix=NM
// The layers are named by their location as the importer names them, so the
// messages are checked on stderr (-verify-diagnostics needs file locations).

// Layers mc-prune leaves dense say why in a remark; the pass still
// succeeds. A skip name that matches nothing is a warning, so that a typo
// does not go unnoticed.

// CHANNEL: warning: mc-prune: skip name 'fc9' matches no prunable layer
// CHANNEL: remark: {{.*}}mc-prune: layer 'conv1' left unpruned: its output reaches 'func.return', which cannot drop channels
// NM: remark: {{.*}}mc-prune: layer 'conv1' left unpruned: reduction size 2 is not a multiple of 4
func.func @returned(%x: tensor<?x2x2x2xf32>) -> tensor<?x2x2x2xf32> {
  %w = mc.constant dense<[[[[1.0]], [[0.0]]], [[[0.0]], [[2.0]]]]> : tensor<2x2x1x1xf32>
  %c = mc.conv2d %x, %w : (tensor<?x2x2x2xf32>, tensor<2x2x1x1xf32>) -> tensor<?x2x2x2xf32> loc("conv1")
  return %c : tensor<?x2x2x2xf32>
}

// -----

// CHANNEL: remark: {{.*}}mc-prune: layer 'conv2' left unpruned: its output reaches 'mc.add', which cannot drop channels
func.func @residual(%x: tensor<?x2x2x2xf32>) -> tensor<?x2x2x2xf32> {
  %w = mc.constant dense<[[[[1.0]], [[0.0]]], [[[0.0]], [[2.0]]]]> : tensor<2x2x1x1xf32>
  %c = mc.conv2d %x, %w : (tensor<?x2x2x2xf32>, tensor<2x2x1x1xf32>) -> tensor<?x2x2x2xf32> loc("conv2")
  %y = mc.add %c, %x : (tensor<?x2x2x2xf32>, tensor<?x2x2x2xf32>) -> tensor<?x2x2x2xf32>
  %r = mc.relu %y : tensor<?x2x2x2xf32>
  return %r : tensor<?x2x2x2xf32>
}

// -----

// A grouped producer cannot lose filters without regrouping its inputs.
// Its 4-weight filters meet 2:4.
// CHANNEL: remark: {{.*}}mc-prune: layer 'dw' left unpruned: grouped convolution
// NM-NOT: layer 'dw'
func.func @grouped(%x: tensor<?x2x3x3xf32>) -> tensor<?x2x2x2xf32> {
  %w = mc.constant dense<1.0> : tensor<2x1x2x2xf32>
  %c = mc.conv2d %x, %w {groups = 2 : i64} : (tensor<?x2x3x3xf32>, tensor<2x1x2x2xf32>) -> tensor<?x2x2x2xf32> loc("dw")
  %r = mc.relu %c : tensor<?x2x2x2xf32>
  return %r : tensor<?x2x2x2xf32>
}
