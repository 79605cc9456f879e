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

#endif // MC_DIALECT_MC_TRANSFORMS_PASSES_TD
