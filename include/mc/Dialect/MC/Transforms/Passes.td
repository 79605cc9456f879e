//===- Passes.td - Passes on the mc dialect ----------------*- tablegen -*-===//
//
// Part of the mc project: an MLIR compiler for compressed neural networks.
//
//===----------------------------------------------------------------------===//
//
// Every pass that rewrites mc ops in place. Grouped under banners,
// alphabetical within a group.
//
//===----------------------------------------------------------------------===//

#ifndef MC_DIALECT_MC_TRANSFORMS_PASSES_TD
#define MC_DIALECT_MC_TRANSFORMS_PASSES_TD

include "mlir/Pass/PassBase.td"

//===----------------------------------------------------------------------===//
// Graph clean-up
//===----------------------------------------------------------------------===//

def MCFoldBatchNormPass : Pass<"mc-fold-batch-norm", "func::FuncOp"> {
  let summary = "Fold inference-mode batch normalization into the layer before it";
  let description = [{
    An `mc.batch_norm` whose input is produced by an `mc.conv2d` (or an
    `mc.linear` on a 2-D input) with constant weight, constant bias (or none)
    and no other user is folded into that layer:

    ```
    k[c]  = scale[c] / sqrt(var[c] + epsilon)
    W'[c] = W[c] * k[c]                  (every weight of output channel c)
    b'[c] = (b[c] - mean[c]) * k[c] + bias[c]
    ```

    The new weight and bias are fresh constants: `dense_resource` blobs named
    after the layer's location (`conv1.weight`), or plain `dense` literals
    when they have at most 16 elements. The old ones are erased when no
    longer used. Batch norms that cannot be folded (non-constant parameters,
    a shared producer, a non-f32 layer) are left alone.

    Before:
    ```mlir
    %c = mc.conv2d %x, %w : (tensor<?x1x8x8xf32>, tensor<4x1x3x3xf32>) -> tensor<?x4x6x6xf32>
    %y = mc.batch_norm %c, %g, %b, %m, %v
        : tensor<?x4x6x6xf32>, tensor<4xf32>, tensor<4xf32>, tensor<4xf32>, tensor<4xf32>
    ```
    After:
    ```mlir
    %y = mc.conv2d %x, %w2, %b2
        : (tensor<?x1x8x8xf32>, tensor<4x1x3x3xf32>, tensor<4xf32>) -> tensor<?x4x6x6xf32>
    ```
  }];
  let dependentDialects = ["::mlir::mc::MCDialect"];
  let statistics = [
    Statistic<"numFolded", "folded", "Number of batch norms folded">
  ];
}

//===----------------------------------------------------------------------===//
// Compression
//===----------------------------------------------------------------------===//

def MCFoldQDQPass : Pass<"mc-fold-qdq", "func::FuncOp"> {
  let summary = "Turn imported quantize/dequantize (QDQ) chains into integer layers";
  let description = [{
    ONNX models quantized in QDQ form import as float layers between
    `mc.dequantize` and `mc.quantize` ops. This pass rewrites them into the
    representation `mc-quantize` produces (docs/Rationale/Compression.md),
    using only the parameters already in the quantized types; nothing is
    estimated, so the rewrite is exact up to the final rounding:

    - `mc.quantize(relu?(mc.linear | mc.conv2d))` whose input and weight are
      `mc.dequantize` results becomes `mc.qlinear` / `mc.qconv2d` plus
      `mc.requantize` with `S[c] = s_in · s_w[c] / s_out` (one scale when the
      weight is quantized per tensor). The weight must be quantized per
      tensor or per axis 0 (the output channel), the input per tensor. A
      bias that is `mc.dequantize` of i32 values at scale `s_in · s_w[c]`
      keeps its integers; a float constant bias becomes
      `round(b[c] / (s_in · s_w[c]))` (half to even). A ReLU between the
      layer and the `mc.quantize` folds only when the output zero point is
      the storage minimum, so that saturation is exactly the ReLU.
    - `mc.quantize(mc.max_pool2d | mc.reshape | mc.flatten (mc.dequantize x))`
      to the type of `x` (per tensor) runs the op on `x` directly.
    - `mc.quantize(mc.dequantize x)` to the type of `x` is `x`.

    Chains that do not match (a float op without a following
    `mc.quantize`, a weight quantized along another axis, a bias at another
    scale) stay as they are; the `mc.dequantize` before them is the float
    boundary.

    Before:
    ```mlir
    %xd = mc.dequantize %xq : tensor<?x4x!quant.uniform<i8:f32, 0.05:3>> -> tensor<?x4xf32>
    %wd = mc.dequantize %wq : tensor<3x4x!quant.uniform<i8:f32:0, {0.01, 0.02, 0.03}>> -> tensor<3x4xf32>
    %y = mc.linear %xd, %wd : (tensor<?x4xf32>, tensor<3x4xf32>) -> tensor<?x3xf32>
    %yq = mc.quantize %y : tensor<?x3xf32> -> tensor<?x3x!quant.uniform<i8:f32, 0.1:-2>>
    ```
    After:
    ```mlir
    %acc = mc.qlinear %xq, %wq : (...) -> tensor<?x3xi32>
    %yq = mc.requantize %acc {axis = 1 : i64, scale = array<f64: 0.005, 0.01, 0.015>}
        : tensor<?x3xi32> -> tensor<?x3x!quant.uniform<i8:f32, 0.1:-2>>
    ```
  }];
  let dependentDialects = ["::mlir::mc::MCDialect"];
  let statistics = [
    Statistic<"numLayers", "layers", "Number of QDQ layers made integer">,
    Statistic<"numPassThrough", "pass-through",
              "Number of pooling / shape ops moved onto quantized values">
  ];
}

def MCQuantizePass : Pass<"mc-quantize", "ModuleOp"> {
  let summary = "Quantize linear and convolution layers to int8 from calibration statistics";
  let description = [{
    Rewrites every float `mc.linear` and `mc.conv2d` (grouped and depthwise
    included) with constant f32 weights into `mc.qlinear` / `mc.qconv2d`
    followed by `mc.requantize`, in the form fixed by
    docs/Rationale/Compression.md. Activation ranges come from the
    `mc.calib` statistics that calibration attaches to ops and to function
    arguments.

    Weights: int8, symmetric, one scale per output channel `c`:
    ```
    s_w[c] = max(max_i |w[c,i]| / 127, |b[c]| / (s_in · 2^30))
    q[c,i] = clamp(round(w[c,i] / s_w[c]), -127, 127)
    ```
    The second term only matters when the bias would not fit in int32 with
    `2^30` of headroom left for the accumulation; a channel with all-zero
    weights and bias gets `s_w[c] = 1`. No scale (weight or activation) is
    below `2^-126`, the smallest normal f32, which the quantized types
    express.

    Bias: `int32`, `b_q[c] = round(b[c] / (s_in · s_w[c]))`.

    Activations: int8, affine, one scale and zero point per tensor, from the
    range `[lo, hi]` of the tensor widened to contain 0:
    ```
    lo = min(r_min, 0)   hi = max(r_max, 0)
    s  = (hi - lo) / 255           (1 when hi == lo)
    zp = clamp(round(-128 - lo / s), -128, 127)
    ```
    With `activation-range=minmax`, `[r_min, r_max]` is the calibration
    `min` / `max`. With `activation-range=percentile` and a `hist` present,
    `r_max` is the upper edge of the first bin at which the cumulative count
    from below reaches `percentile`% of all counts, and `r_min` the lower edge
    of the last bin at which the cumulative count from above does (so
    `100 - percentile`% is clipped from each tail, at bin resolution);
    without `hist` the statistic falls back to `min` / `max`. Rounding is
    half to even throughout, as in `mc.quantize`.

    Requantization scale: `S[c] = s_in · s_w[c] / s_out` along the channel
    axis of the accumulator (the last axis for `mc.qlinear`, axis 1 for
    `mc.qconv2d`).

    Int8 flows between layers: a `mc.relu` that is the only user of a layer
    is folded (its range has `lo = 0`, so `zp = -128` and saturation is the
    ReLU), and `mc.max_pool2d`, `mc.reshape` and `mc.flatten` whose input is
    quantized run on the quantized values. `mc.quantize` is inserted only
    where a float value enters a quantized layer and `mc.dequantize` only
    where a quantized value reaches a float op or the function result.
    Layers named in `skip` (their location name, e.g. `loc("conv1")`), layers
    with non-constant weights and non-f32 layers stay in float.

    A layer whose input or output has no `mc.calib` is an error naming the
    op (add calibration or list the layer in `skip`); so are malformed
    statistics, a range too wide for an f32 scale, weight values that are
    not available (an elided blob), an unknown `activation-range`, a
    `percentile` outside `(50, 100]` and a `skip` name that matches no
    layer.

    Before:
    ```mlir
    %y = mc.linear %x, %w, %b {mc.calib = {min = -2.0, max = 3.0, count = 40 : i64}}
        : (tensor<?x4xf32>, tensor<3x4xf32>, tensor<3xf32>) -> tensor<?x3xf32>
    ```
    After:
    ```mlir
    %xq = mc.quantize %x : tensor<?x4xf32> -> tensor<?x4x!quant.uniform<i8:f32, ...>>
    %acc = mc.qlinear %xq, %wq, %bq : (...) -> tensor<?x3xi32>
    %yq = mc.requantize %acc {axis = 1 : i64, scale = array<f64: ...>} : ...
    %y = mc.dequantize %yq : ... -> tensor<?x3xf32>
    ```
  }];
  let options = [
    Option<"activationRange", "activation-range", "std::string",
           /*default=*/"\"minmax\"",
           "How an activation range is taken from mc.calib: `minmax` or "
           "`percentile` (clips both tails using `hist`)">,
    Option<"percentile", "percentile", "double", /*default=*/"99.99",
           "Percentage of calibration values kept inside the range with "
           "`activation-range=percentile`, in (50, 100]">,
    ListOption<"skip", "skip", "std::string",
               "Location names of layers to leave in float (comma separated)">
  ];
  let dependentDialects = ["::mlir::mc::MCDialect"];
  let statistics = [
    Statistic<"numQuantized", "quantized", "Number of layers quantized">,
    Statistic<"numSkipped", "skipped",
              "Number of layers left in float by the skip option">,
    Statistic<"numReluFolded", "relu-folded",
              "Number of ReLUs folded into requantization">,
    Statistic<"numPassThrough", "pass-through",
              "Number of pooling / shape ops moved onto quantized values">
  ];
}

#endif // MC_DIALECT_MC_TRANSFORMS_PASSES_TD
