// RUN: mc-opt %s -split-input-file --mc-quantize="activation-range=percentile" -verify-diagnostics

// Malformed histograms (read only with activation-range=percentile).

func.func @negative_count(%x: tensor<?x2xf32> {mc.calib = {min = -1.0 : f64, max = 1.0 : f64, count = 4 : i64}}) -> tensor<?x2xf32> {
  %w = mc.constant dense<1.0> : tensor<2x2xf32>
  // expected-error @below {{'mc.linear' op has a malformed 'mc.calib' on its result: 'hist' has a negative count}}
  %y = mc.linear %x, %w {mc.calib = {min = -1.0 : f64, max = 1.0 : f64, count = 4 : i64, hist = dense<[3, -1]> : tensor<2xi64>}} : (tensor<?x2xf32>, tensor<2x2xf32>) -> tensor<?x2xf32>
  return %y : tensor<?x2xf32>
}

// -----

func.func @float_hist(%x: tensor<?x2xf32> {mc.calib = {min = -1.0 : f64, max = 1.0 : f64, count = 4 : i64}}) -> tensor<?x2xf32> {
  %w = mc.constant dense<1.0> : tensor<2x2xf32>
  // expected-error @below {{'mc.linear' op has a malformed 'mc.calib' on its result: 'hist' must be a non-empty 1-D integer tensor}}
  %y = mc.linear %x, %w {mc.calib = {min = -1.0 : f64, max = 1.0 : f64, count = 4 : i64, hist = dense<[3.0, 1.0]> : tensor<2xf32>}} : (tensor<?x2xf32>, tensor<2x2xf32>) -> tensor<?x2xf32>
  return %y : tensor<?x2xf32>
}
