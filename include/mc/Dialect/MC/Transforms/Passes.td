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

def MCAttachCalibrationPass
    : Pass<"mc-attach-calibration", "::mlir::ModuleOp"> {
  let summary = "Attach calibration statistics from a file to the IR";
  let description = [{
    Reads a calibration file (written by `mc-compile --calib-save`, format in
    docs/Rationale/Calibration.md) and attaches its statistics to the entry
    function as docs/Rationale/Compression.md specifies:

    - `mc.calib = {min, max, count, hist}` on every observed op (the ops
      `mc-insert-observers` taps) and as an argument attribute on every float
      argument;
    - `mc.calib_col_norm` (`f32` dense elements, `[in_features]` or
      `[C_in, KH, KW]`) on every float `mc.linear` and `mc.conv2d`.

    Statistics are matched by key: the op's location name (made unique with a
    `#N` suffix in program order; ops without a name use the op name), and
    `arg:<mc.name>` (or `arg:<index>`) for arguments. It is an error when the
    file cannot be read, when an observed value has no statistics, when an
    entry of the file matches no observed value of the function, or when a
    column-norm entry does not have the layer's shape.

    ```mlir
    %y = mc.relu %x {mc.calib = {count = 512 : i64, hist = dense<[...]> : tensor<2048xi64>,
                                 max = 4.5 : f64, min = 0.0 : f64}} : tensor<?x64xf32>
    ```
  }];
  let options = [
    Option<"file", "file", "std::string", /*default=*/"\"\"",
           "Calibration file (JSON) to read; required">,
    Option<"function", "function", "std::string", /*default=*/"\"main\"",
           "Entry function that the statistics describe">
  ];
  let dependentDialects = ["::mlir::mc::MCDialect"];
}

def MCFixedPointPass : Pass<"mc-fixed-point", "func::FuncOp"> {
  let summary = "Replace float requantization scales by int32 multipliers and shifts";
  let description = [{
    Rewrites every `mc.requantize` that carries floating-point `scale`s into
    the integer form: each scale `S` (one per tensor, or one per channel
    along `axis`) becomes an int32 `multiplier` `M` in `[2^30, 2^31)` and a
    `shift` `n` in `[-31, 63]` with `S ~= M * 2^-n`:

    ```
    n = 31 - e        where S = m * 2^e, m in [0.5, 1)
    M = round(S * 2^n)  (ties away from zero; exact in double)
    if M == 2^31: M = 2^30, n = n - 1
    ```

    `M * 2^-n` is the nearest such value to `S`, within a relative error of
    2^-31. The op then evaluates
    `clamp(floor(acc * M * 2^-n + 1/2) + zp, qmin, qmax)` with integer
    operations only; docs/Rationale/Requantization.md states the rule and
    how the lowering computes it without overflow.

    Scales that have no such encoding are errors naming the op, the channel
    and the scale: infinite scales, and scales below 2^-33 or from 2^62 up
    (after rounding). Ops already in the integer form are left alone, so the
    pass can run more than once. It has no options.

    Before:
    ```mlir
    %y = mc.requantize %acc {axis = 1 : i64, scale = array<f64: 0.5, 0.1>}
        : tensor<?x2xi32> -> tensor<?x2x!quant.uniform<i8:f32, 0.05:-3>>
    ```
    After:
    ```mlir
    %y = mc.requantize %acc {axis = 1 : i64,
                             multiplier = array<i32: 1073741824, 1717986918>,
                             shift = array<i8: 31, 34>}
        : tensor<?x2xi32> -> tensor<?x2x!quant.uniform<i8:f32, 0.05:-3>>
    ```
  }];
  let dependentDialects = ["::mlir::mc::MCDialect"];
  let statistics = [
    Statistic<"numOps", "requantize-ops", "Number of mc.requantize ops rewritten">,
    Statistic<"numScales", "scales", "Number of scales encoded">
  ];
}

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

def MCInsertObserversPass : Pass<"mc-insert-observers", "::mlir::ModuleOp"> {
  let summary = "Add a calibration variant of the entry function that returns every observed tensor";
  let description = [{
    Clones the entry function (`function`, default `@main`) into a new
    public function (`calib-function`, default `@main_calib`) with the same
    arguments that returns, instead of the model's outputs, one result per
    *tap*: every observed float tensor. Observed are

    - every float argument of the entry function, and
    - the single float result of every mc op other than `mc.constant` that
      depends on an argument (results computed from constants alone are the
      same for every input and are not observed).

    The input of every float `mc.linear` and `mc.conv2d` is tapped too (it
    usually already is, as an argument or an observed result). Results of
    other element types than `f32` are returned through `mc.cast` to `f32`.
    Each result carries `mc.name` = its key. The new function's
    `mc.calib_taps` attribute is the manifest: one dictionary per statistic,
    `{key, stat, tap}` with `stat` = `"range"` (min/max/count/histogram of
    the value) or `"col_norm"` (Wanda's column norms of a layer's input) and
    `tap` the result index. Keys follow `mc-attach-calibration`'s rules.
    The entry function itself is left unchanged.

    ```mlir
    func.func @main_calib(%x: tensor<?x4xf32> {mc.name = "x"})
        -> (tensor<?x4xf32> {mc.name = "arg:x"}, tensor<?x2xf32> {mc.name = "fc"})
        attributes {mc.calib_taps = [{key = "arg:x", stat = "range", tap = 0 : i64},
                                     {key = "fc", stat = "col_norm", tap = 0 : i64},
                                     {key = "fc", stat = "range", tap = 1 : i64}
                                    ]}
    ```
  }];
  let options = [
    Option<"function", "function", "std::string", /*default=*/"\"main\"",
           "Entry function to observe">,
    Option<"calibFunction", "calib-function", "std::string",
           /*default=*/"\"main_calib\"",
           "Name of the calibration variant to create">
  ];
  let dependentDialects = ["::mlir::mc::MCDialect"];
  let statistics = [
    Statistic<"numTaps", "taps", "Number of tensors the variant returns">
  ];
}

def MCLowRankPass : Pass<"mc-lowrank", "func::FuncOp"> {
  let summary = "Split linear and convolution layers into two layers of low rank";
  let description = [{
    Replaces the constant weight `W` of an `mc.linear` or `mc.conv2d` by a
    product of two thinner factors taken from its singular value
    decomposition (Eigen's divide-and-conquer SVD, computed in double), and
    the layer by two layers that apply them one after the other.

    With `W ≈ U_r Σ_r V_rᵀ` truncated to the `r` largest singular values, the
    factors are `A = U_r √Σ_r` (`[out, r]`) and `B = √Σ_r V_rᵀ` (`[r, in]`);
    `A · B` is the best rank-`r` approximation of `W` in the Frobenius norm,
    with squared error equal to the sum of the dropped `σ²`.

    - `mc.linear %x, W[out, in], b` becomes `mc.linear %x, B` followed by
      `mc.linear ·, A, b`.
    - `mc.conv2d %x, W[F, C, KH, KW], b` is factored as the matrix
      `[F, C·KH·KW]`: a first convolution with `r` filters `[r, C, KH, KW]`
      and the layer's strides, pads and dilations, then a 1×1 convolution
      `[F, r, 1, 1]` with the bias.

    The rank comes from exactly one of two options (both in (0, 1]):
    `rank-ratio` gives `r = ceil(rank-ratio · min(rows, cols))` (a product
    within 1e-9 of an integer counts as that integer, so 0.1 · 30 is 3);
    `energy` gives the smallest `r` whose `sum_{i<r} σ_i²` reaches
    `energy · sum_i σ_i²` (up to a slack of 1e-12 of the total, so that
    `energy=1` stops at the numerical rank). A layer is factored only when
    this lowers both its parameters and its multiply-accumulates, which for
    both layer kinds is `r · (rows + cols) < rows · cols`; otherwise it is
    left alone and counted in the `not-profitable` statistic. With
    `remarks=true` every layer's outcome is also a remark on it (pass
    statistics are compiled out of release LLVM builds such as Debian's).

    Left alone as well: layers named in `skip` (the name of their location,
    `loc("fc1")`), weights with fewer than `min-params` elements, grouped and
    depthwise convolutions (each group is its own small matrix, too small to
    gain from a split), weights that are not f32 constants or hold
    non-finite values, pruned layers (they carry `mc.sparsity`; dense
    factors would undo the pruning) and layers this pass already produced.

    Both new layers carry `mc.lowrank = {rank = r, energy = e}`, `e` the
    fraction of `sum σ²` kept. The second layer produces the original
    result and keeps the original location and discardable attributes
    (e.g. `mc.calib`); `mc.calib_col_norm`, which describes the layer's
    input, moves to the first. Factor constants are named after the layer
    (`fc1.lowrank_in.weight`, `fc1.lowrank_out.weight`). Singular vectors
    are signed so that the largest-magnitude entry of each `u_i` is
    positive, which makes the factors deterministic.

    The tensor between the two layers of a split has no calibration
    statistics: calibrate after splitting before `mc-quantize` (mc-compile
    does; see docs/Rationale/LowRank.md).

    Before (`--mc-lowrank="energy=0.99"`; the weight's singular values are
    225, 56.25 and 14.0625, so rank 2 keeps 99.63% of `sum σ²` and costs
    2 · (4 + 6) = 20 weights instead of 24):
    ```mlir
    %y = mc.linear %x, %w, %b
        : (tensor<?x6xf32>, tensor<4x6xf32>, tensor<4xf32>) -> tensor<?x4xf32>
    ```
    After:
    ```mlir
    %h = mc.linear %x, %wb {mc.lowrank = {energy = 0.99633699633699635 : f64, rank = 2 : i64}}
        : (tensor<?x6xf32>, tensor<2x6xf32>) -> tensor<?x2xf32>
    %y = mc.linear %h, %wa, %b {mc.lowrank = {energy = 0.99633699633699635 : f64, rank = 2 : i64}}
        : (tensor<?x2xf32>, tensor<4x2xf32>, tensor<4xf32>) -> tensor<?x4xf32>
    ```
  }];
  let dependentDialects = ["::mlir::mc::MCDialect"];
  let options = [
    Option<"rankRatio", "rank-ratio", "double", /*default=*/"0.0",
           "Rank as a fraction of min(rows, cols), rounded up; in (0, 1]. "
           "0 (the default) means not given">,
    Option<"energy", "energy", "double", /*default=*/"0.0",
           "Fraction of the sum of squared singular values to keep; in "
           "(0, 1]. 0 (the default) means not given">,
    ListOption<"skip", "skip", "std::string",
               "Location names of layers to leave alone">,
    Option<"minParams", "min-params", "int64_t", /*default=*/"0",
           "Leave layers whose weight has fewer elements than this alone">,
    Option<"remarks", "remarks", "bool", /*default=*/"false",
           "Report what happened to every layer as a remark on it">
  ];
  let statistics = [
    Statistic<"numFactored", "factored", "Number of layers split in two">,
    Statistic<"numParamsRemoved", "params-removed",
              "Number of weight parameters removed by the splits">,
    Statistic<"numNotProfitable", "not-profitable",
              "Number of layers whose rank would not lower parameters and MACs">,
    Statistic<"numSkippedByName", "skipped-by-name",
              "Number of layers named in skip">,
    Statistic<"numSkippedSmall", "skipped-small",
              "Number of layers with fewer weights than min-params">,
    Statistic<"numSkippedGrouped", "skipped-grouped",
              "Number of grouped or depthwise convolutions">,
    Statistic<"numSkippedOther", "skipped-other",
              "Number of layers with a non-constant, non-f32 or non-finite "
              "weight, pruned, or already factored">
  ];
}

def MCPrunePass : Pass<"mc-prune", "func::FuncOp"> {
  let summary = "Prune the weights of mc.linear and mc.conv2d layers";
  let description = [{
    Sets weights of float `mc.linear` (weight `[out, in]`) and `mc.conv2d`
    (weight `[F, C/groups, KH, KW]`) layers with constant weights to zero,
    or removes whole output channels. A weight is seen as a matrix with one
    row per output channel and the reduction dimension along the row
    (linear: `in`; conv2d: the flattened `[C/groups, KH, KW]` of a filter).

    Scores (`method`):
    - `magnitude`: `|W[r, c]|`.
    - `wanda` (Sun et al. 2023): `|W[r, c]| · ‖X_c‖₂`, with the input column
      norms read from the layer's `mc.calib_col_norm` attribute
      (docs/Rationale/Compression.md); a layer without it is an error.

    Patterns (`pattern`):
    - `unstructured`: the `round(sparsity · n)` lowest-scoring weights of
      each comparison group are zeroed, halves rounded up. The group is the
      whole layer for `magnitude` (`scope=layer`), every prunable layer of
      the function together for `magnitude` with `scope=global`, and each
      row for `wanda`, as in the paper.
    - `N:M` (e.g. `2:4`, `4:8`; `0 < N < M`): in every group of `M`
      consecutive weights along the reduction dimension the `M - N` lowest
      scores are zeroed, so the sparsity is `(M - N) / M` and the `sparsity`
      option, if given, must equal it. A layer whose reduction size is not
      a multiple of `M` stays dense, with a remark.
    - `channel` (`magnitude` only): the `round(sparsity · F)` output channels
      with the smallest weight L2 norm are removed (at least one channel is
      kept), and the layer and its consumers physically shrink: the weight
      and bias, the channels of following `mc.batch_norm`, elementwise
      activations and pools, depthwise convolutions (whose own channels are
      removed too, transitively), the input channels of the next
      `mc.conv2d`, and the `in` columns of an `mc.linear` reached through
      `mc.flatten` or a flattening `mc.reshape` (`C·H·W` order). A layer
      whose result reaches anything else (a residual add, a concat, the
      function's results, an unknown op) or a grouped, non-depthwise
      producer stays as it is, with a remark; function types never change.

    Ties are broken by position: among equal scores (or equal channel
    norms) the weight with the lower row-major index goes first.

    A pruned layer records what was done in
    `mc.sparsity = {pattern = "unstructured" | "N:M", sparsity = <f64>}`,
    the fraction of zeros in its weight after pruning. Channel pruning adds
    no attribute. New weights are fresh constants named after the layer's
    location (`fc1.weight`).

    Layers are left dense when their location name is listed in `skip`,
    when their weight has fewer than `min-params` elements, or when they are
    the first (`keep-first`) or last (`keep-last`) prunable layer of the
    function in program order. Invalid options are errors.

    Before (`method=magnitude sparsity=0.5`):
    ```mlir
    %w = mc.constant dense<[[1.0, -4.0], [3.0, -2.0]]> : tensor<2x2xf32>
    %y = mc.linear %x, %w : (tensor<?x2xf32>, tensor<2x2xf32>) -> tensor<?x2xf32>
    ```
    After:
    ```mlir
    %w = mc.constant dense<[[0.0, -4.0], [3.0, 0.0]]> : tensor<2x2xf32>
    %y = mc.linear %x, %w {mc.sparsity = {pattern = "unstructured", sparsity = 5.000000e-01 : f64}}
        : (tensor<?x2xf32>, tensor<2x2xf32>) -> tensor<?x2xf32>
    ```
  }];
  let dependentDialects = ["::mlir::mc::MCDialect"];
  let options = [
    Option<"method", "method", "std::string", /*default=*/"\"magnitude\"",
           "Scoring: magnitude (|W|) or wanda (|W| times the input column "
           "norm)">,
    Option<"sparsity", "sparsity", "double", /*default=*/"0.5",
           "Fraction in [0, 1] of weights (or output channels) to remove">,
    Option<"pattern", "pattern", "std::string", /*default=*/"\"unstructured\"",
           "unstructured, N:M (e.g. 2:4) or channel">,
    Option<"scope", "scope", "std::string", /*default=*/"\"layer\"",
           "Where unstructured magnitude scores are compared: layer or "
           "global (all prunable layers of the function)">,
    ListOption<"skip", "skip", "std::string",
               "Location names of layers to leave dense">,
    Option<"minParams", "min-params", "int64_t", /*default=*/"0",
           "Leave layers whose weight has fewer elements dense">,
    Option<"keepFirst", "keep-first", "bool", /*default=*/"false",
           "Leave the first prunable layer dense">,
    Option<"keepLast", "keep-last", "bool", /*default=*/"false",
           "Leave the last prunable layer dense">
  ];
  let statistics = [
    Statistic<"numLayersPruned", "layers-pruned",
              "Number of layers pruned">,
    Statistic<"numWeightsZeroed", "weights-zeroed",
              "Number of weights set to zero">,
    Statistic<"numChannelsRemoved", "channels-removed",
              "Number of output channels removed">,
    Statistic<"numLayersLeftDense", "layers-left-dense",
              "Number of layers left unpruned because a consumer, the "
              "group structure or the N:M group size does not allow it">
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
