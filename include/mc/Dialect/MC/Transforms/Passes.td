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

#endif // MC_DIALECT_MC_TRANSFORMS_PASSES_TD
