// RUN: not mc-opt %s -split-input-file --mc-prune="method=wanda" -o /dev/null 2>&1 | FileCheck %s
// The layers are named by their location as the importer names them, so the
// messages are checked on stderr (-verify-diagnostics needs file locations).

// Wanda needs the input column norms that calibration attaches; a layer
// without them is an error that names the layer.
// CHECK: error: {{.*}}mc-prune: method=wanda needs the input column norms of layer 'fc1' (attribute 'mc.calib_col_norm'; run calibration first)
func.func @no_norms(%x: tensor<?x4xf32>) -> tensor<?x2xf32> {
  %w = mc.constant dense<[[1.0, -2.0, 3.0, -4.0], [4.0, 3.0, -2.0, 1.0]]> : tensor<2x4xf32>
  %y = mc.linear %x, %w : (tensor<?x4xf32>, tensor<2x4xf32>) -> tensor<?x2xf32> loc("fc1")
  return %y : tensor<?x2xf32>
}

// -----

// The norms must have one value per input column ([C_in, KH, KW] for conv2d).
// CHECK: error: {{.*}}mc-prune: 'mc.calib_col_norm' of layer 'conv1' must hold 8 f32 values (one per input column)
func.func @wrong_size(%x: tensor<?x2x3x3xf32>) -> tensor<?x1x2x2xf32> {
  %w = mc.constant dense<1.0> : tensor<1x2x2x2xf32>
  %y = mc.conv2d %x, %w {mc.calib_col_norm = dense<1.0> : tensor<2xf32>} : (tensor<?x2x3x3xf32>, tensor<1x2x2x2xf32>) -> tensor<?x1x2x2xf32> loc("conv1")
  return %y : tensor<?x1x2x2xf32>
}

// -----

// Without a location name the layer is named by its op.
// CHECK: error: {{.*}}mc-prune: method=wanda needs the input column norms of layer 'mc.conv2d'
func.func @unnamed(%x: tensor<?x2x3x3xf32>) -> tensor<?x1x2x2xf32> {
  %w = mc.constant dense<1.0> : tensor<1x2x2x2xf32>
  %y = mc.conv2d %x, %w : (tensor<?x2x3x3xf32>, tensor<1x2x2x2xf32>) -> tensor<?x1x2x2xf32>
  return %y : tensor<?x1x2x2xf32>
}
