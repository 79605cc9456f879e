// RUN: mc-opt %s --mc-quantize | FileCheck %s --check-prefix=MINMAX
// RUN: mc-opt %s --mc-quantize="activation-range=percentile percentile=90" \
// RUN:   | FileCheck %s --check-prefix=PCT

// The input's histogram has 4 bins of width 7.96875 / 4 = 1.9921875 over
// [-1, 6.96875] with counts [5, 4, 0, 1] (10 values). With percentile=90 the
// target is 9 values: counting from below, bin 1 reaches 9, so
// hi = -1 + 2 * 1.9921875 = 2.984375; counting from above, bin 0 does, so
// lo = -1. Range [-1, 2.984375]: s = 2^-6, zp = -128 + 64 = -64.
// With min/max the range is [-1, 6.96875]: s = 7.96875 / 255 = 2^-5,
// zp = -128 + 32 = -96.
// The output has no histogram: percentile falls back to min/max,
// [-2, 1.984375]: s = 3.984375 / 255 = 2^-6, zp = -128 + 128 = 0.
// MINMAX: mc.quantize %{{.+}} : tensor<?x2xf32> -> tensor<?x2x!quant.uniform<i8:f32, 3.125000e-02:-96>>
// MINMAX: mc.requantize %{{.+}} -> tensor<?x2x!quant.uniform<i8:f32, 1.562500e-02>>
// PCT: mc.quantize %{{.+}} : tensor<?x2xf32> -> tensor<?x2x!quant.uniform<i8:f32, 1.562500e-02:-64>>
// PCT: mc.requantize %{{.+}} -> tensor<?x2x!quant.uniform<i8:f32, 1.562500e-02>>
func.func @percentile(%x: tensor<?x2xf32> {mc.calib = {min = -1.0 : f64, max = 6.96875 : f64, count = 10 : i64, hist = dense<[5, 4, 0, 1]> : tensor<4xi64>}}) -> tensor<?x2xf32> {
  %w = mc.constant dense<[[1.0, 0.0], [0.0, 1.0]]> : tensor<2x2xf32>
  %y = mc.linear %x, %w {mc.calib = {min = -2.0 : f64, max = 1.984375 : f64, count = 10 : i64}} : (tensor<?x2xf32>, tensor<2x2xf32>) -> tensor<?x2xf32>
  return %y : tensor<?x2xf32>
}
