//===- MCOps.td - Operations of the mc dialect -------------*- tablegen -*-===//
//
// Part of the mc project: an MLIR compiler for compressed neural networks.
//
//===----------------------------------------------------------------------===//
//
// Every op the ONNX importer emits and the compression passes rewrite. Ops are
// grouped by family; each documents its semantics, attributes and an example.
//
//===----------------------------------------------------------------------===//

#ifndef MC_DIALECT_MC_IR_MCOPS_TD
#define MC_DIALECT_MC_IR_MCOPS_TD

include "mc/Dialect/MC/IR/MCDialect.td"
include "mlir/IR/BuiltinAttributeInterfaces.td"
include "mlir/IR/CommonAttrConstraints.td"
include "mlir/IR/CommonTypeConstraints.td"
include "mlir/Interfaces/InferTypeOpInterface.td"
include "mlir/Interfaces/SideEffectInterfaces.td"

//===----------------------------------------------------------------------===//
// Type constraints
//===----------------------------------------------------------------------===//

// Only `!quant.uniform` (per tensor or per axis): every op that reads
// quantized values needs a scale and a zero point, which `!quant.any`,
// `!quant.calibrated` and sub-channel types do not provide in this form.
def MC_QuantizedType : Type<
    Or<[CPred<"::llvm::isa<::mlir::quant::UniformQuantizedType>($_self)">,
        CPred<"::llvm::isa<::mlir::quant::UniformQuantizedPerAxisType>($_self)">]>,
    "per-tensor or per-axis !quant.uniform type",
    "::mlir::quant::QuantizedType">;

def MC_FloatTensor : RankedTensorOf<[F16, BF16, F32, F64]>;
def MC_NumericTensor
    : RankedTensorOf<[F16, BF16, F32, F64, I8, UI8, I32, I64]>;
def MC_IndexTensor : RankedTensorOf<[I32, I64]>;
def MC_AnyTensor : RankedTensorOf<[F16, BF16, F32, F64, I1, I8, UI8, I32, I64,
                                   MC_QuantizedType]>;
def MC_QuantTensor : RankedTensorOf<[MC_QuantizedType]>;
def MC_FloatOrQuantTensor
    : RankedTensorOf<[F16, BF16, F32, F64, MC_QuantizedType]>;
def MC_QuantOrIntTensor : RankedTensorOf<[MC_QuantizedType, I8, UI8]>;
def MC_AccTensor : RankedTensorOf<[I32]>;
def MC_StorageTensor : RankedTensorOf<[I8, UI8, I32]>;

//===----------------------------------------------------------------------===//
// Constants
//===----------------------------------------------------------------------===//

def MC_ConstantOp : MC_Op<"constant",
    [ConstantLike, Pure, AllTypesMatch<["value", "result"]>]> {
  let summary = "constant tensor (weights, biases, small shape data)";
  let description = [{
    Produces a constant tensor. The importer uses a `dense_resource` blob for
    weights, so that a printed module can elide them and the bytes are stored
    once, and a plain `dense` literal for small tensors (shape data, scalars).

    ```mlir
    %w = mc.constant dense_resource<conv1.weight> : tensor<8x1x3x3xf32>
    %s = mc.constant dense<[1, -1]> : tensor<2xi64>
    ```
  }];
  let arguments = (ins ElementsAttr:$value);
  let results = (outs MC_AnyTensor:$result);
  let assemblyFormat = "attr-dict $value";
  let hasFolder = 1;
}

//===----------------------------------------------------------------------===//
// Linear algebra
//===----------------------------------------------------------------------===//

def MC_LinearOp : MC_Op<"linear", [Pure, InferTypeOpAdaptor]> {
  let summary = "fully connected layer: input times transposed weight plus bias";
  let description = [{
    `result = input · weightᵀ + bias`. `weight` is `[out_features,
    in_features]` (PyTorch's `nn.Linear` layout, ONNX `Gemm` with
    `transB = 1`); `input` has any number of leading dimensions and a last
    dimension of size `in_features`; the optional `bias` is `[out_features]`.
    The result has the input's leading dimensions and `out_features` last.

    ```mlir
    %y = mc.linear %x, %w, %b
        : (tensor<?x784xf32>, tensor<128x784xf32>, tensor<128xf32>) -> tensor<?x128xf32>
    ```
  }];
  let arguments = (ins MC_FloatTensor:$input, MC_FloatTensor:$weight,
                       Optional<MC_FloatTensor>:$bias);
  let results = (outs MC_FloatTensor:$result);
  let assemblyFormat = [{
    $input `,` $weight (`,` $bias^)? attr-dict `:` functional-type(operands, results)
  }];
}

def MC_QLinearOp : MC_Op<"qlinear", [Pure, InferTypeOpAdaptor]> {
  let summary = "quantized fully connected layer accumulating in int32";
  let description = [{
    `acc[..., o] = sum_k (input[..., k] - zp_in) * (weight[o, k] - zp_w[o]) + bias[o]`:
    the quantized form of `mc.linear`, with the same `[out_features,
    in_features]` weight layout. Zero points come from the quantized element
    types of `input` (per tensor) and `weight` (per tensor, or per output
    channel along axis 0). The optional `bias` is int32 at scale
    `s_in * s_w[o]`. The result is the raw int32 accumulator; `mc.requantize`
    brings it back to 8 bits.

    ```mlir
    %acc = mc.qlinear %x, %w, %b
        : (tensor<?x64x!quant.uniform<i8:f32, 0.02:-3>>,
           tensor<2x64x!quant.uniform<i8:f32:0, {0.01, 0.03}>>, tensor<2xi32>)
        -> tensor<?x2xi32>
    ```
  }];
  let arguments = (ins MC_QuantTensor:$input, MC_QuantTensor:$weight,
                       Optional<MC_AccTensor>:$bias);
  let results = (outs MC_AccTensor:$result);
  let assemblyFormat = [{
    $input `,` $weight (`,` $bias^)? attr-dict `:` functional-type(operands, results)
  }];
}

def MC_MatMulOp : MC_Op<"matmul", [Pure, InferTypeOpAdaptor]> {
  let summary = "matrix product with NumPy batching and broadcasting";
  let description = [{
    The product of `lhs` and `rhs` with the semantics of `numpy.matmul` (and
    ONNX `MatMul`): the last two dimensions are multiplied, leading dimensions
    broadcast; a 1-D `lhs` is treated as a row vector and a 1-D `rhs` as a
    column vector, and the added dimension is removed from the result.

    ```mlir
    %y = mc.matmul %q, %k
        : (tensor<?x4x16x8xf32>, tensor<?x4x8x16xf32>) -> tensor<?x4x16x16xf32>
    ```
  }];
  let arguments = (ins MC_FloatTensor:$lhs, MC_FloatTensor:$rhs);
  let results = (outs MC_FloatTensor:$result);
  let assemblyFormat = [{
    $lhs `,` $rhs attr-dict `:` functional-type(operands, results)
  }];
}

def MC_Conv2DOp : MC_Op<"conv2d", [Pure, InferTypeOpAdaptor]> {
  let summary = "2-D convolution (NCHW) with groups, strides, pads and dilations";
  let description = [{
    Cross-correlation of `input` `[N, C, H, W]` with `weight`
    `[F, C / groups, KH, KW]`, plus the optional `bias` `[F]`. `pads` is
    `[top, left, bottom, right]` (explicit; the importer resolves ONNX
    `auto_pad`), `strides` and `dilations` are `[h, w]`. `groups == C == F`
    is a depthwise convolution. Output size per spatial axis:
    `(in + pad_begin + pad_end - dilation * (k - 1) - 1) / stride + 1`.

    ```mlir
    %y = mc.conv2d %x, %w, %b {pads = array<i64: 1, 1, 1, 1>}
        : (tensor<?x1x28x28xf32>, tensor<8x1x3x3xf32>, tensor<8xf32>) -> tensor<?x8x28x28xf32>
    ```
  }];
  let arguments = (ins MC_FloatTensor:$input, MC_FloatTensor:$weight,
                       Optional<MC_FloatTensor>:$bias,
                       DefaultValuedAttr<DenseI64ArrayAttr, "{1, 1}">:$strides,
                       DefaultValuedAttr<DenseI64ArrayAttr, "{0, 0, 0, 0}">:$pads,
                       DefaultValuedAttr<DenseI64ArrayAttr, "{1, 1}">:$dilations,
                       DefaultValuedAttr<I64Attr, "1">:$groups);
  let results = (outs MC_FloatTensor:$result);
  let assemblyFormat = [{
    $input `,` $weight (`,` $bias^)? attr-dict `:` functional-type(operands, results)
  }];
}

//===----------------------------------------------------------------------===//
// Pooling
//===----------------------------------------------------------------------===//

class MC_Pool2DOp<string mnemonic, list<Trait> traits = []>
    : MC_Op<mnemonic, !listconcat(traits, [Pure, InferTypeOpAdaptor])> {
  let results = (outs MC_FloatTensor:$result);
  let assemblyFormat = [{
    $input attr-dict `:` functional-type(operands, results)
  }];
}

def MC_MaxPool2DOp : MC_Pool2DOp<"max_pool2d"> {
  let summary = "2-D max pooling (NCHW)";
  let description = [{
    Maximum over windows of `kernel` `[kh, kw]` moved by `strides`, over the
    input padded by `pads` `[top, left, bottom, right]` (padding never wins
    the maximum), with window `dilations`. With `ceil_mode` the output size
    rounds up instead of down (a window must still start inside the input or
    its leading padding). On quantized values (the same `!quant.uniform`
    type in and out) the maximum is taken on the stored integers, which is
    exact because quantization is monotonic.

    ```mlir
    %y = mc.max_pool2d %x {kernel = array<i64: 2, 2>, strides = array<i64: 2, 2>}
        : (tensor<?x8x28x28xf32>) -> tensor<?x8x14x14xf32>
    ```
  }];
  let arguments = (ins MC_FloatOrQuantTensor:$input,
                       DenseI64ArrayAttr:$kernel,
                       DefaultValuedAttr<DenseI64ArrayAttr, "{1, 1}">:$strides,
                       DefaultValuedAttr<DenseI64ArrayAttr, "{0, 0, 0, 0}">:$pads,
                       DefaultValuedAttr<DenseI64ArrayAttr, "{1, 1}">:$dilations,
                       DefaultValuedAttr<BoolAttr, "false">:$ceil_mode);
  let results = (outs MC_FloatOrQuantTensor:$result);
}

def MC_AvgPool2DOp : MC_Pool2DOp<"avg_pool2d"> {
  let summary = "2-D average pooling (NCHW)";
  let description = [{
    Mean over windows of `kernel` `[kh, kw]` moved by `strides` over the input
    padded by `pads` `[top, left, bottom, right]`. With `count_include_pad`
    the divisor is the number of window positions inside the padded input,
    otherwise the number of real input elements in the window; in both cases
    the overhang of a `ceil_mode` window past the padding is never counted
    (PyTorch's and ONNX Runtime's rule). `ceil_mode` as for `mc.max_pool2d`.

    ```mlir
    %y = mc.avg_pool2d %x {kernel = array<i64: 3, 3>, pads = array<i64: 1, 1, 1, 1>}
        : (tensor<?x8x14x14xf32>) -> tensor<?x8x14x14xf32>
    ```
  }];
  let arguments = (ins MC_FloatTensor:$input,
                       DenseI64ArrayAttr:$kernel,
                       DefaultValuedAttr<DenseI64ArrayAttr, "{1, 1}">:$strides,
                       DefaultValuedAttr<DenseI64ArrayAttr, "{0, 0, 0, 0}">:$pads,
                       DefaultValuedAttr<BoolAttr, "false">:$ceil_mode,
                       DefaultValuedAttr<BoolAttr, "false">:$count_include_pad);
}

def MC_GlobalAvgPool2DOp : MC_Pool2DOp<"global_avg_pool2d"> {
  let summary = "mean over the spatial dimensions (NCHW), keeping them as 1";
  let description = [{
    `[N, C, H, W] -> [N, C, 1, 1]`, the mean of each channel's `H x W` plane.

    ```mlir
    %y = mc.global_avg_pool2d %x : (tensor<?x32x7x7xf32>) -> tensor<?x32x1x1xf32>
    ```
  }];
  let arguments = (ins MC_FloatTensor:$input);
}

//===----------------------------------------------------------------------===//
// Normalization
//===----------------------------------------------------------------------===//

def MC_BatchNormOp : MC_Op<"batch_norm",
    [Pure, AllTypesMatch<["input", "result"]>]> {
  let summary = "inference-mode batch normalization over axis 1";
  let description = [{
    `result = (input - mean[c]) / sqrt(var[c] + epsilon) * scale[c] + bias[c]`
    for the channel `c` at axis 1. The four parameters are `[C]`.
    `mc-fold-batch-norm` folds it into a preceding `mc.conv2d` or `mc.linear`.

    ```mlir
    %y = mc.batch_norm %x, %scale, %bias, %mean, %var {epsilon = 1.0e-05 : f32}
        : tensor<?x8x28x28xf32>, tensor<8xf32>, tensor<8xf32>, tensor<8xf32>, tensor<8xf32>
    ```
  }];
  let arguments = (ins MC_FloatTensor:$input, MC_FloatTensor:$scale,
                       MC_FloatTensor:$bias, MC_FloatTensor:$mean,
                       MC_FloatTensor:$var,
                       DefaultValuedAttr<F32Attr, "1.0e-5">:$epsilon);
  let results = (outs MC_FloatTensor:$result);
  let assemblyFormat = [{
    $input `,` $scale `,` $bias `,` $mean `,` $var attr-dict `:`
    type($input) `,` type($scale) `,` type($bias) `,` type($mean) `,` type($var)
  }];
  let hasVerifier = 1;
}

def MC_LayerNormOp : MC_Op<"layer_norm",
    [Pure, AllTypesMatch<["input", "result"]>]> {
  let summary = "layer normalization over the trailing dimensions from axis";
  let description = [{
    Normalizes `input` over the dimensions `[axis, rank)`:
    `result = (x - mean) / sqrt(variance + epsilon) * scale + bias`, where
    mean and (biased) variance are taken over those dimensions and `scale`
    and the optional `bias` have exactly their shape (ONNX
    `LayerNormalization`, PyTorch `nn.LayerNorm`). `axis` may be negative.

    ```mlir
    %y = mc.layer_norm %x, %g, %b {axis = -1 : i64, epsilon = 1.0e-05 : f32}
        : tensor<?x16x32xf32>, tensor<32xf32>, tensor<32xf32>
    ```
  }];
  let arguments = (ins MC_FloatTensor:$input, MC_FloatTensor:$scale,
                       Optional<MC_FloatTensor>:$bias,
                       DefaultValuedAttr<I64Attr, "-1">:$axis,
                       DefaultValuedAttr<F32Attr, "1.0e-5">:$epsilon);
  let results = (outs MC_FloatTensor:$result);
  let assemblyFormat = [{
    $input `,` $scale (`,` $bias^)? attr-dict `:` type($input) `,` type($scale)
    (`,` type($bias)^)?
  }];
  let hasVerifier = 1;
}

def MC_SoftmaxOp : MC_Op<"softmax", [Pure, SameOperandsAndResultType]> {
  let summary = "softmax along one axis";
  let description = [{
    `exp(x - max) / sum(exp(x - max))` along `axis` (may be negative), the
    semantics of ONNX `Softmax` from opset 13. The importer rewrites the older
    2-D coercing form into this one with reshapes.

    ```mlir
    %y = mc.softmax %x {axis = -1 : i64} : tensor<?x10xf32>
    ```
  }];
  let arguments = (ins MC_FloatTensor:$input,
                       DefaultValuedAttr<I64Attr, "-1">:$axis);
  let results = (outs MC_FloatTensor:$result);
  let assemblyFormat = "$input attr-dict `:` type($input)";
  let hasVerifier = 1;
}

//===----------------------------------------------------------------------===//
// Reductions
//===----------------------------------------------------------------------===//

def MC_ReduceMeanOp : MC_Op<"reduce_mean", [Pure, InferTypeOpAdaptor]> {
  let summary = "arithmetic mean over a set of axes";
  let description = [{
    The mean of `input` over the dimensions listed in `axes` (at least one,
    none repeated; negative counts from the end). With `keepdims` (the
    default) the reduced dimensions stay as size 1, otherwise they are
    dropped. ONNX `ReduceMean`; the importer also builds the statistics
    outputs of `LayerNormalization` and training-mode `BatchNormalization`
    from it.

    ```mlir
    %m = mc.reduce_mean %x {axes = array<i64: 2, 3>}
        : (tensor<?x8x7x7xf32>) -> tensor<?x8x1x1xf32>
    %n = mc.reduce_mean %x {axes = array<i64: -1>, keepdims = false}
        : (tensor<?x8x7x7xf32>) -> tensor<?x8x7xf32>
    ```
  }];
  let arguments = (ins MC_FloatTensor:$input, DenseI64ArrayAttr:$axes,
                       DefaultValuedAttr<BoolAttr, "true">:$keepdims);
  let results = (outs MC_FloatTensor:$result);
  let assemblyFormat = "$input attr-dict `:` functional-type(operands, results)";
}

//===----------------------------------------------------------------------===//
// Elementwise binary ops (NumPy broadcasting)
//===----------------------------------------------------------------------===//

class MC_BinaryOp<string mnemonic, string what, list<Trait> traits = []>
    : MC_Op<mnemonic, !listconcat(traits, [Pure, InferTypeOpAdaptor])> {
  let summary = "elementwise " # what # " with NumPy broadcasting";
  let description = [{
    Elementwise }] # what # [{ of `lhs` and `rhs`, which have the same element
    type and broadcast against each other as in NumPy (shapes are aligned at
    the trailing dimension; a dimension of size 1 stretches). A dynamic
    dimension broadcasts only against 1 or another dynamic dimension.

    ```mlir
    %y = mc.}] # mnemonic # [{ %a, %b
        : (tensor<?x16x32xf32>, tensor<32xf32>) -> tensor<?x16x32xf32>
    ```
  }];
  let arguments = (ins MC_NumericTensor:$lhs, MC_NumericTensor:$rhs);
  let results = (outs MC_NumericTensor:$result);
  let assemblyFormat = [{
    $lhs `,` $rhs attr-dict `:` functional-type(operands, results)
  }];
}

def MC_AddOp : MC_BinaryOp<"add", "sum", [Commutative]> {
  let hasFolder = 1;
  let hasCanonicalizer = 1;
}
def MC_SubOp : MC_BinaryOp<"sub", "difference"> {
  let hasFolder = 1;
}
def MC_MulOp : MC_BinaryOp<"mul", "product", [Commutative]> {
  let hasFolder = 1;
  let hasCanonicalizer = 1;
}
def MC_DivOp : MC_BinaryOp<"div", "quotient (integer division truncates)"> {
  let hasFolder = 1;
}
def MC_PowOp : MC_BinaryOp<"pow", "power (lhs raised to rhs)">;

//===----------------------------------------------------------------------===//
// Elementwise unary ops and activations
//===----------------------------------------------------------------------===//

class MC_UnaryOp<string mnemonic, string formula, Type tensorType = MC_FloatTensor,
                 list<Trait> traits = []>
    : MC_Op<mnemonic, !listconcat(traits, [Pure, SameOperandsAndResultType])> {
  let summary = "elementwise " # mnemonic;
  let description = [{
    Elementwise `}] # formula # [{`.

    ```mlir
    %y = mc.}] # mnemonic # [{ %x : tensor<?x128xf32>
    ```
  }];
  let arguments = (ins tensorType:$input);
  let results = (outs tensorType:$result);
  let assemblyFormat = "$input attr-dict `:` type($input)";
}

def MC_SqrtOp : MC_UnaryOp<"sqrt", "sqrt(x)">;
def MC_ExpOp : MC_UnaryOp<"exp", "exp(x)">;
def MC_ErfOp : MC_UnaryOp<"erf", "erf(x)">;
def MC_SigmoidOp : MC_UnaryOp<"sigmoid", "1 / (1 + exp(-x))">;
def MC_TanhOp : MC_UnaryOp<"tanh", "tanh(x)">;
def MC_ReluOp : MC_UnaryOp<"relu", "max(x, 0)", MC_NumericTensor>;
def MC_NegOp : MC_UnaryOp<"neg", "-x", MC_NumericTensor>;

def MC_GeluOp : MC_Op<"gelu", [Pure, SameOperandsAndResultType]> {
  let summary = "Gaussian error linear unit";
  let description = [{
    `x * 0.5 * (1 + erf(x / sqrt(2)))` when `approximate` is `"none"`, and
    `x * 0.5 * (1 + tanh(sqrt(2 / pi) * (x + 0.044715 x^3)))` when it is
    `"tanh"` (ONNX `Gelu`, PyTorch `nn.GELU`).

    ```mlir
    %y = mc.gelu %x : tensor<?x16x64xf32>
    ```
  }];
  let arguments = (ins MC_FloatTensor:$input,
                       DefaultValuedStrAttr<StrAttr, "none">:$approximate);
  let results = (outs MC_FloatTensor:$result);
  let assemblyFormat = "$input attr-dict `:` type($input)";
  let hasVerifier = 1;
}

def MC_ClipOp : MC_Op<"clip", [Pure, SameOperandsAndResultType]> {
  let summary = "clamp to [min, max]";
  let description = [{
    `min(max(x, min), max)`; a missing bound does not clamp. Bounds are given
    in double precision and converted to the element type. `mc.clip` with
    `min = 0, max = 6` is ReLU6.

    ```mlir
    %y = mc.clip %x {min = 0.0 : f64, max = 6.0 : f64} : tensor<?x32x14x14xf32>
    ```
  }];
  let arguments = (ins MC_NumericTensor:$input, OptionalAttr<F64Attr>:$min,
                       OptionalAttr<F64Attr>:$max);
  let results = (outs MC_NumericTensor:$result);
  let assemblyFormat = "$input attr-dict `:` type($input)";
  let hasVerifier = 1;
  let hasFolder = 1;
}

def MC_CastOp : MC_Op<"cast", [Pure, SameOperandsAndResultShape]> {
  let summary = "elementwise conversion to another element type";
  let description = [{
    Converts each element as ONNX `Cast` does: float to integer truncates
    toward zero, integer to float rounds to nearest, to `i1` is `x != 0`.

    ```mlir
    %y = mc.cast %x : tensor<?x16xi64> -> tensor<?x16xf32>
    ```
  }];
  let arguments = (ins MC_AnyTensor:$input);
  let results = (outs MC_AnyTensor:$result);
  let assemblyFormat = "$input attr-dict `:` type($input) `->` type($result)";
  let hasFolder = 1;
}

//===----------------------------------------------------------------------===//
// Shape manipulation
//===----------------------------------------------------------------------===//

def MC_ReshapeOp : MC_Op<"reshape", [Pure]> {
  let summary = "reinterpret the elements in row-major order with a new shape";
  let description = [{
    The result type is the new shape. At most one result dimension is
    dynamic; it takes whatever size keeps the element count (the importer
    resolves ONNX's `0` and `-1` entries against the static shape).

    ```mlir
    %y = mc.reshape %x : tensor<?x32x7x7xf32> -> tensor<?x1568xf32>
    ```
  }];
  let arguments = (ins MC_AnyTensor:$input);
  let results = (outs MC_AnyTensor:$result);
  let assemblyFormat = "$input attr-dict `:` type($input) `->` type($result)";
  let hasVerifier = 1;
  let hasFolder = 1;
  let hasCanonicalizer = 1;
}

def MC_FlattenOp : MC_Op<"flatten", [Pure, InferTypeOpAdaptor]> {
  let summary = "collapse to 2-D around an axis";
  let description = [{
    `[d0 .. d(axis-1)] x [d(axis) .. d(rank-1)]` collapsed to a 2-D tensor
    (ONNX `Flatten`); `axis` may be negative; `axis = 0` gives `1 x numel`.

    ```mlir
    %y = mc.flatten %x {axis = 1 : i64} : (tensor<?x32x7x7xf32>) -> tensor<?x1568xf32>
    ```
  }];
  let arguments = (ins MC_AnyTensor:$input, DefaultValuedAttr<I64Attr, "1">:$axis);
  let results = (outs MC_AnyTensor:$result);
  let assemblyFormat = "$input attr-dict `:` functional-type(operands, results)";
  let hasCanonicalizer = 1;
}

def MC_TransposeOp : MC_Op<"transpose", [Pure, InferTypeOpAdaptor]> {
  let summary = "permute dimensions";
  let description = [{
    Result dimension `i` is input dimension `perm[i]`. `perm` is a permutation
    of `[0, rank)`.

    ```mlir
    %y = mc.transpose %x {perm = array<i64: 0, 2, 1, 3>}
        : (tensor<?x16x4x8xf32>) -> tensor<?x4x16x8xf32>
    ```
  }];
  let arguments = (ins MC_AnyTensor:$input, DenseI64ArrayAttr:$perm);
  let results = (outs MC_AnyTensor:$result);
  let assemblyFormat = "$input attr-dict `:` functional-type(operands, results)";
  let hasFolder = 1;
  let hasCanonicalizer = 1;
}

def MC_ConcatOp : MC_Op<"concat", [Pure, InferTypeOpAdaptor]> {
  let summary = "join tensors along an axis";
  let description = [{
    Concatenates `inputs` (same element type and rank, equal sizes except
    along `axis`) along `axis`, which may be negative.

    ```mlir
    %y = mc.concat %a, %b {axis = 1 : i64}
        : (tensor<?x8x7x7xf32>, tensor<?x16x7x7xf32>) -> tensor<?x24x7x7xf32>
    ```
  }];
  let arguments = (ins Variadic<MC_AnyTensor>:$inputs, I64Attr:$axis);
  let results = (outs MC_AnyTensor:$result);
  let assemblyFormat = "$inputs attr-dict `:` functional-type(operands, results)";
  let hasFolder = 1;
}

def MC_SliceOp : MC_Op<"slice", [Pure, InferTypeOpAdaptor]> {
  let summary = "strided window along some axes";
  let description = [{
    For each listed axis `axes[i]`, takes `sizes[i]` elements starting at
    index `starts[i]` and stepping by `steps[i]` (non-zero; negative walks
    backwards). Other axes are kept whole. The importer normalizes ONNX
    `Slice` (negative and out-of-range starts/ends are clamped) into this
    form, so every listed start is in range and every size is exact.

    ```mlir
    %y = mc.slice %x {axes = array<i64: 1>, starts = array<i64: 2>,
                      sizes = array<i64: 4>, steps = array<i64: 1>}
        : (tensor<?x8xf32>) -> tensor<?x4xf32>
    ```
  }];
  let arguments = (ins MC_AnyTensor:$input, DenseI64ArrayAttr:$axes,
                       DenseI64ArrayAttr:$starts, DenseI64ArrayAttr:$sizes,
                       DenseI64ArrayAttr:$steps);
  let results = (outs MC_AnyTensor:$result);
  let assemblyFormat = "$input attr-dict `:` functional-type(operands, results)";
  let hasFolder = 1;
}

def MC_GatherOp : MC_Op<"gather", [Pure, InferTypeOpAdaptor]> {
  let summary = "take entries of data along an axis at the given indices";
  let description = [{
    ONNX `Gather`: result shape is `data.shape[:axis] + indices.shape +
    data.shape[axis+1:]`. Negative indices count from the end of the axis;
    out-of-range indices are undefined behaviour of the model and are
    clamped by code generation. An embedding lookup is `mc.gather` on axis 0.

    ```mlir
    %y = mc.gather %table, %ids {axis = 0 : i64}
        : (tensor<1000x64xf32>, tensor<?x16xi64>) -> tensor<?x16x64xf32>
    ```
  }];
  let arguments = (ins MC_AnyTensor:$data, MC_IndexTensor:$indices,
                       DefaultValuedAttr<I64Attr, "0">:$axis);
  let results = (outs MC_AnyTensor:$result);
  let assemblyFormat = "$data `,` $indices attr-dict `:` functional-type(operands, results)";
}

def MC_SqueezeOp : MC_Op<"squeeze", [Pure, InferTypeOpAdaptor]> {
  let summary = "remove dimensions of size 1";
  let description = [{
    Removes the listed `axes` (each of static size 1; negative counts from
    the end).

    ```mlir
    %y = mc.squeeze %x {axes = array<i64: 2, 3>}
        : (tensor<?x32x1x1xf32>) -> tensor<?x32xf32>
    ```
  }];
  let arguments = (ins MC_AnyTensor:$input, DenseI64ArrayAttr:$axes);
  let results = (outs MC_AnyTensor:$result);
  let assemblyFormat = "$input attr-dict `:` functional-type(operands, results)";
  let hasCanonicalizer = 1;
}

def MC_UnsqueezeOp : MC_Op<"unsqueeze", [Pure, InferTypeOpAdaptor]> {
  let summary = "insert dimensions of size 1";
  let description = [{
    Inserts size-1 dimensions so that they sit at positions `axes` of the
    result (negative counts from the end of the result).

    ```mlir
    %y = mc.unsqueeze %x {axes = array<i64: 1>}
        : (tensor<?x32xf32>) -> tensor<?x1x32xf32>
    ```
  }];
  let arguments = (ins MC_AnyTensor:$input, DenseI64ArrayAttr:$axes);
  let results = (outs MC_AnyTensor:$result);
  let assemblyFormat = "$input attr-dict `:` functional-type(operands, results)";
  let hasCanonicalizer = 1;
}

//===----------------------------------------------------------------------===//
// Quantization
//===----------------------------------------------------------------------===//

def MC_QuantizeOp : MC_Op<"quantize", [Pure, SameOperandsAndResultShape]> {
  let summary = "float to quantized: round(x / scale) + zero_point, saturated";
  let description = [{
    Quantizes each element with the parameters of the result's
    `!quant.uniform` element type (per tensor, or per axis for a
    `!quant.uniform<i8:f32:axis, {...}>` type): round half to even, add the
    zero point, saturate to the storage range (ONNX `QuantizeLinear`).

    ```mlir
    %q = mc.quantize %x : tensor<?x784xf32> -> tensor<?x784x!quant.uniform<i8:f32, 0.0078:-1>>
    ```
  }];
  let arguments = (ins MC_FloatTensor:$input);
  let results = (outs MC_QuantTensor:$result);
  let assemblyFormat = "$input attr-dict `:` type($input) `->` type($result)";
  let hasVerifier = 1;
}

def MC_DequantizeOp : MC_Op<"dequantize", [Pure, SameOperandsAndResultShape]> {
  let summary = "quantized to float: (q - zero_point) * scale";
  let description = [{
    The inverse map of `mc.quantize`, with the parameters of the operand's
    quantized element type (ONNX `DequantizeLinear`).

    ```mlir
    %x = mc.dequantize %q : tensor<?x10x!quant.uniform<i8:f32, 0.25:3>> -> tensor<?x10xf32>
    ```
  }];
  let arguments = (ins MC_QuantTensor:$input);
  let results = (outs MC_FloatTensor:$result);
  let assemblyFormat = "$input attr-dict `:` type($input) `->` type($result)";
  let hasVerifier = 1;
}

def MC_StorageCastOp : MC_Op<"storage_cast", [Pure, SameOperandsAndResultShape]> {
  let summary = "reinterpret integer storage as quantized values or back";
  let description = [{
    Converts between a tensor of 8- or 32-bit integers and a tensor of
    `!quant.uniform` values stored in them, without changing any bit. Unlike
    upstream `quant.scast` it accepts the unsigned `ui8` element type that
    mc keeps at model boundaries (ONNX `uint8`); signedness and width must
    match the quantized type's storage type.

    ```mlir
    %q = mc.storage_cast %x : tensor<?x1x28x28xui8> -> tensor<?x1x28x28x!quant.uniform<u8:f32, 0.0039:0>>
    ```
  }];
  let arguments = (ins MC_AnyTensor:$input);
  let results = (outs MC_AnyTensor:$result);
  let assemblyFormat = "$input attr-dict `:` type($input) `->` type($result)";
  let hasVerifier = 1;
  let hasFolder = 1;
}

def MC_QConv2DOp : MC_Op<"qconv2d", [Pure, InferTypeOpAdaptor]> {
  let summary = "quantized 2-D convolution accumulating in int32";
  let description = [{
    `acc = sum((input - zp_in) * (weight - zp_w[f])) + bias[f]` over the same
    windows as `mc.conv2d`, with zero points taken from the quantized element
    types of `input` (per tensor) and `weight` (per tensor or per output
    channel, axis 0). The optional `bias` is int32 at scale
    `s_in * s_w[f]`. The result is the raw int32 accumulator;
    `mc.requantize` brings it back to 8 bits (ONNX `ConvInteger`, and
    `QLinearConv` together with `mc.requantize`).

    ```mlir
    %acc = mc.qconv2d %x, %w
        : (tensor<?x1x28x28x!quant.uniform<u8:f32, 0.0039:0>>,
           tensor<8x1x3x3x!quant.uniform<i8:f32:0, {0.01, 0.02, 0.01, 0.01, 0.02, 0.01, 0.01, 0.02}>>)
        -> tensor<?x8x26x26xi32>
    ```
  }];
  let arguments = (ins MC_QuantTensor:$input, MC_QuantTensor:$weight,
                       Optional<MC_AccTensor>:$bias,
                       DefaultValuedAttr<DenseI64ArrayAttr, "{1, 1}">:$strides,
                       DefaultValuedAttr<DenseI64ArrayAttr, "{0, 0, 0, 0}">:$pads,
                       DefaultValuedAttr<DenseI64ArrayAttr, "{1, 1}">:$dilations,
                       DefaultValuedAttr<I64Attr, "1">:$groups);
  let results = (outs MC_AccTensor:$result);
  let assemblyFormat = [{
    $input `,` $weight (`,` $bias^)? attr-dict `:` functional-type(operands, results)
  }];
}

def MC_QMatMulOp : MC_Op<"qmatmul", [Pure, InferTypeOpAdaptor]> {
  let summary = "quantized matrix product accumulating in int32";
  let description = [{
    `acc = (lhs - zp_l) · (rhs - zp_r)` with the batching and broadcasting of
    `mc.matmul`, zero points from the quantized element types (`rhs` may be
    per axis along its last dimension, the output column). The result is
    the raw int32 accumulator (ONNX `MatMulInteger`, and `QLinearMatMul`
    together with `mc.requantize`).

    ```mlir
    %acc = mc.qmatmul %a, %b
        : (tensor<?x64x!quant.uniform<u8:f32, 0.02:128>>, tensor<64x10x!quant.uniform<i8:f32, 0.01>>)
        -> tensor<?x10xi32>
    ```
  }];
  let arguments = (ins MC_QuantTensor:$lhs, MC_QuantTensor:$rhs);
  let results = (outs MC_AccTensor:$result);
  let assemblyFormat = [{
    $lhs `,` $rhs attr-dict `:` functional-type(operands, results)
  }];
}

def MC_RequantizeOp : MC_Op<"requantize", [Pure, SameOperandsAndResultShape]> {
  let summary = "int32 accumulator to 8-bit quantized values";
  let description = [{
    `y = saturate(round(acc * S[c]) + zp_out)` where `S[c]` is the
    requantization scale of channel `c` along `axis` (one scale for the whole
    tensor when `axis` is absent) and `zp_out` comes from the result's
    quantized type. Before `mc-fixed-point` the scales are floating point
    (`scale`, `S = s_in * s_w[c] / s_out`); afterwards each is an int32
    `multiplier` in `[2^30, 2^31)` and a right `shift`, `S = M * 2^-shift`,
    evaluated with integer arithmetic only (docs/Rationale/Requantization.md
    gives the exact rounding rule). Exactly one of the two forms is present.

    ```mlir
    %y = mc.requantize %acc {axis = 1 : i64, scale = array<f64: 0.004, 0.005>}
        : tensor<?x2x26x26xi32> -> tensor<?x2x26x26x!quant.uniform<u8:f32, 0.05:0>>
    %z = mc.requantize %acc {multiplier = array<i32: 1073741824>, shift = array<i8: 31>}
        : tensor<?x10xi32> -> tensor<?x10x!quant.uniform<i8:f32, 0.1:-3>>
    ```
  }];
  let arguments = (ins MC_AccTensor:$input,
                       OptionalAttr<DenseF64ArrayAttr>:$scale,
                       OptionalAttr<DenseI32ArrayAttr>:$multiplier,
                       OptionalAttr<DenseI8ArrayAttr>:$shift,
                       OptionalAttr<I64Attr>:$axis);
  let results = (outs MC_QuantTensor:$result);
  let assemblyFormat = "$input attr-dict `:` type($input) `->` type($result)";
  let hasVerifier = 1;
}

#endif // MC_DIALECT_MC_IR_MCOPS_TD
