// RUN: mc-opt %s -split-input-file --mc-quantize -verify-diagnostics
// RUN: mc-opt %s -split-input-file --mc-quantize="activation-range=percentile" -verify-diagnostics
// RUN: not mc-opt %s --mc-quantize=activation-range=mean 2>&1 \
// RUN:   | FileCheck %s --check-prefix=RANGE
// RUN: not mc-opt %s --mc-quantize=percentile=40 2>&1 \
// RUN:   | FileCheck %s --check-prefix=PCT
// RUN: not mc-opt %s --mc-quantize=skip=fc9 2>&1 \
// RUN:   | FileCheck %s --check-prefix=SKIP

// Bad options: one diagnostic each, non-zero exit.
// RANGE: error: mc-quantize: activation-range must be 'minmax' or 'percentile', got 'mean'
// PCT: error: mc-quantize: percentile must be in (50, 100], got 40
// SKIP: error: mc-quantize: skip names 'fc9', but no mc.linear or mc.conv2d has that location name

// The input of a layer to quantize has no statistics (mc-quantize-hint.mlir
// covers the skip hint for a named layer).
func.func @no_input_calib(%x: tensor<?x2xf32>) -> tensor<?x2xf32> {
  %w = mc.constant dense<1.0> : tensor<2x2xf32>
  // expected-error @below {{'mc.linear' op input has no 'mc.calib' statistics, needed to quantize its activations}}
  %y = mc.linear %x, %w {mc.calib = {min = -1.0 : f64, max = 1.0 : f64, count = 4 : i64}} : (tensor<?x2xf32>, tensor<2x2xf32>) -> tensor<?x2xf32>
  return %y : tensor<?x2xf32>
}

// -----

// The output of a layer to quantize has no statistics (an unnamed layer:
// no skip hint).
func.func @no_output_calib(%x: tensor<?x1x2x2xf32> {mc.calib = {min = -1.0 : f64, max = 1.0 : f64, count = 4 : i64}}) -> tensor<?x1x2x2xf32> {
  %w = mc.constant dense<1.0> : tensor<1x1x1x1xf32>
  // expected-error @below {{'mc.conv2d' op output has no 'mc.calib' statistics, needed to quantize its activations}}
  %y = mc.conv2d %x, %w : (tensor<?x1x2x2xf32>, tensor<1x1x1x1xf32>) -> tensor<?x1x2x2xf32>
  return %y : tensor<?x1x2x2xf32>
}

// -----

// Statistics that are not a dictionary.
func.func @not_a_dict(%x: tensor<?x2xf32> {mc.calib = {min = -1.0 : f64, max = 1.0 : f64, count = 4 : i64}}) -> tensor<?x2xf32> {
  %w = mc.constant dense<1.0> : tensor<2x2xf32>
  // expected-error @below {{'mc.linear' op has a malformed 'mc.calib' on its result: expected a dictionary}}
  %y = mc.linear %x, %w {mc.calib = [1.0, 2.0]} : (tensor<?x2xf32>, tensor<2x2xf32>) -> tensor<?x2xf32>
  return %y : tensor<?x2xf32>
}

// -----

// min above max on a function argument.
// expected-error @below {{'func.func' op has a malformed 'mc.calib' on its argument #0: min 2 and max 1 are not a finite range}}
func.func @inverted(%x: tensor<?x2xf32> {mc.calib = {min = 2.0 : f64, max = 1.0 : f64, count = 4 : i64}}) -> tensor<?x2xf32> {
  %w = mc.constant dense<1.0> : tensor<2x2xf32>
  %y = mc.linear %x, %w {mc.calib = {min = -1.0 : f64, max = 1.0 : f64, count = 4 : i64}} : (tensor<?x2xf32>, tensor<2x2xf32>) -> tensor<?x2xf32>
  return %y : tensor<?x2xf32>
}

// -----

// No 'max'.
func.func @missing_max(%x: tensor<?x2xf32> {mc.calib = {min = -1.0 : f64, max = 1.0 : f64, count = 4 : i64}}) -> tensor<?x2xf32> {
  %w = mc.constant dense<1.0> : tensor<2x2xf32>
  // expected-error @below {{'mc.linear' op has a malformed 'mc.calib' on its result: needs float 'min' and 'max'}}
  %y = mc.linear %x, %w {mc.calib = {min = -1.0 : f64, count = 4 : i64}} : (tensor<?x2xf32>, tensor<2x2xf32>) -> tensor<?x2xf32>
  return %y : tensor<?x2xf32>
}

// -----

// A weight constant whose values are not available (an elided blob).
func.func @elided(%x: tensor<?x2xf32> {mc.calib = {min = 0.0 : f64, max = 1.0 : f64, count = 4 : i64}}) -> tensor<?x2xf32> {
  %w = mc.constant dense_resource<__elided__> : tensor<2x2xf32>
  // expected-error @below {{'mc.linear' op weight or bias values are unavailable (an elided or malformed constant)}}
  %y = mc.linear %x, %w {mc.calib = {min = -1.0 : f64, max = 1.0 : f64, count = 4 : i64}} : (tensor<?x2xf32>, tensor<2x2xf32>) -> tensor<?x2xf32>
  return %y : tensor<?x2xf32>
}

// -----

// A range too wide for an f32 scale: (1e308 + 1e308) / 255 overflows.
func.func @huge_range(%x: tensor<?x2xf32> {mc.calib = {min = -1.0e308 : f64, max = 1.0e308 : f64, count = 4 : i64}}) -> tensor<?x2xf32> {
  %w = mc.constant dense<1.0> : tensor<2x2xf32>
  // expected-error @below {{'mc.linear' op cannot quantize an activation with scale inf: scale out of expressed type range}}
  %y = mc.linear %x, %w {mc.calib = {min = -1.0 : f64, max = 1.0 : f64, count = 4 : i64}} : (tensor<?x2xf32>, tensor<2x2xf32>) -> tensor<?x2xf32>
  return %y : tensor<?x2xf32>
}

// -----

// A bias that needs a weight scale beyond f32: the input scale is the
// smallest normal f32 (range [0, 1e-40]), so |b| / (s_in 2^30) = 3e38 /
// (2^-126 2^30) overflows.
func.func @huge_bias(%x: tensor<?x2xf32> {mc.calib = {min = 0.0 : f64, max = 1.0e-40 : f64, count = 4 : i64}}) -> tensor<?x2xf32> {
  %w = mc.constant dense<1.0> : tensor<2x2xf32>
  %b = mc.constant dense<3.0e38> : tensor<2xf32>
  // expected-error @below {{'mc.linear' op cannot quantize the weights: scale out of expressed type range}}
  %y = mc.linear %x, %w, %b {mc.calib = {min = -1.0 : f64, max = 1.0 : f64, count = 4 : i64}} : (tensor<?x2xf32>, tensor<2x2xf32>, tensor<2xf32>) -> tensor<?x2xf32>
  return %y : tensor<?x2xf32>
}
