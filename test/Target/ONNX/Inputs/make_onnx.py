#!/usr/bin/env python3
"""Builds tiny hand-made ONNX files with onnx.helper for the importer's tests.

Usage:
  make_onnx.py --case NAME --out FILE.onnx   one case
  make_onnx.py --all --out-dir DIR           every case, as DIR/NAME.onnx
  make_onnx.py --list                        the case names, one a line

Valid cases (one per op family) have a dynamic leading dimension "N" on their
graph inputs and outputs where the op allows one, weights as initializers,
every node named, and pass onnx.checker with full shape inference. The bad_*
cases are inputs the importer must reject with one diagnostic: they are built
without the checker, since most of them are exactly what it rejects.

The files are generated at test time (into %t); none is committed. Run with
Debian's /usr/bin/python3 (onnx 1.12).
"""

import argparse
import os
import sys

import numpy as np
import onnx
from onnx import TensorProto, helper, numpy_helper

OPSET = 17
F32 = TensorProto.FLOAT
I64 = TensorProto.INT64

# --------------------------------------------------------------------------
# Helpers
# --------------------------------------------------------------------------


def _rng(seed=0):
    return np.random.RandomState(seed)


def vi(name, elem, shape):
    """A value_info; string entries in shape are symbolic dims."""
    return helper.make_tensor_value_info(name, elem, shape)


def init(name, array):
    return numpy_helper.from_array(np.asarray(array), name)


def f32(rng, *shape):
    return rng.standard_normal(shape).astype(np.float32)


def model(name, nodes, inputs, outputs, inits=(), opset=OPSET,
          extra_opsets=(), check=True):
    graph = helper.make_graph(nodes, name, inputs, outputs,
                              initializer=list(inits))
    imports = [helper.make_opsetid("", opset)]
    imports += [helper.make_opsetid(d, v) for d, v in extra_opsets]
    m = helper.make_model(graph, opset_imports=imports,
                          producer_name="mc make_onnx.py")
    # A fixed IR version that onnx 1.12 and libonnx both read.
    m.ir_version = 8
    if check:
        onnx.checker.check_model(m, full_check=True)
    return m


CASES = {}


def case(fn):
    CASES[fn.__name__.removeprefix("case_")] = fn
    return fn


# --------------------------------------------------------------------------
# Valid cases, one per op family
# --------------------------------------------------------------------------


@case
def case_gemm():
    """Gemm with transB = 1 (nn.Linear) and a bias: mc.linear."""
    r = _rng(1)
    return model("gemm", [
        helper.make_node("Gemm", ["x", "fc.weight", "fc.bias"], ["y"],
                         name="fc", transB=1),
    ], [vi("x", F32, ["N", 4])], [vi("y", F32, ["N", 3])],
        [init("fc.weight", f32(r, 3, 4)), init("fc.bias", f32(r, 3))])


@case
def case_gemm_nobias_transb0():
    """Gemm without a bias and with transB = 0 (weight stored [in, out])."""
    r = _rng(2)
    return model("gemm_nobias_transb0", [
        helper.make_node("Gemm", ["x", "w"], ["y"], name="fc_t"),
    ], [vi("x", F32, ["N", 4])], [vi("y", F32, ["N", 3])],
        [init("w", f32(r, 4, 3))])


@case
def case_matmul():
    """Batched MatMul of two graph inputs, and MatMul by a weight plus Add
    (PyTorch's export of nn.Linear on a 3-D input)."""
    r = _rng(3)
    return model("matmul", [
        helper.make_node("MatMul", ["a", "b"], ["ab"], name="bmm"),
        helper.make_node("MatMul", ["ab", "w"], ["abw"], name="proj_matmul"),
        helper.make_node("Add", ["bias", "abw"], ["y"], name="proj_add"),
    ], [vi("a", F32, ["N", 2, 3]), vi("b", F32, ["N", 3, 4])],
        [vi("y", F32, ["N", 2, 5])],
        [init("w", f32(r, 4, 5)), init("bias", f32(r, 5))])


@case
def case_conv():
    """Conv 3x3 with pads, strides, dilations and a bias."""
    r = _rng(4)
    return model("conv", [
        helper.make_node("Conv", ["x", "conv.weight", "conv.bias"], ["y"],
                         name="conv1", kernel_shape=[3, 3], pads=[1, 2, 1, 2],
                         strides=[2, 1], dilations=[1, 2]),
    ], [vi("x", F32, ["N", 2, 8, 8])], [vi("y", F32, ["N", 4, 4, 8])],
        [init("conv.weight", f32(r, 4, 2, 3, 3)),
         init("conv.bias", f32(r, 4))])


@case
def case_conv_depthwise():
    """Depthwise Conv (group = C), no bias."""
    r = _rng(5)
    return model("conv_depthwise", [
        helper.make_node("Conv", ["x", "dw.weight"], ["y"], name="dw",
                         kernel_shape=[3, 3], pads=[1, 1, 1, 1], group=4),
    ], [vi("x", F32, ["N", 4, 6, 6])], [vi("y", F32, ["N", 4, 6, 6])],
        [init("dw.weight", f32(r, 4, 1, 3, 3))])


@case
def case_conv_autopad():
    """Conv with auto_pad = SAME_UPPER and SAME_LOWER (the importer resolves
    them to explicit pads) and VALID."""
    r = _rng(6)
    return model("conv_autopad", [
        helper.make_node("Conv", ["x", "w"], ["a"], name="same_upper",
                         kernel_shape=[2, 2], auto_pad="SAME_UPPER"),
        helper.make_node("Conv", ["a", "w"], ["b"], name="same_lower",
                         kernel_shape=[2, 2], auto_pad="SAME_LOWER",
                         strides=[2, 2]),
        helper.make_node("Conv", ["b", "w"], ["y"], name="valid",
                         kernel_shape=[2, 2], auto_pad="VALID"),
    ], [vi("x", F32, ["N", 2, 7, 7])], [vi("y", F32, ["N", 2, 3, 3])],
        [init("w", f32(r, 2, 2, 2, 2))])


@case
def case_maxpool():
    """MaxPool 2x2 stride 2, and 3x3 with pads and ceil_mode."""
    return model("maxpool", [
        helper.make_node("MaxPool", ["x"], ["a"], name="pool1",
                         kernel_shape=[2, 2], strides=[2, 2]),
        helper.make_node("MaxPool", ["a"], ["y"], name="pool2",
                         kernel_shape=[3, 3], strides=[2, 2],
                         pads=[1, 1, 1, 1], ceil_mode=1),
    ], [vi("x", F32, ["N", 3, 12, 12])], [vi("y", F32, ["N", 3, 4, 4])])


@case
def case_avgpool():
    """AveragePool with and without count_include_pad, GlobalAveragePool."""
    return model("avgpool", [
        helper.make_node("AveragePool", ["x"], ["a"], name="avg1",
                         kernel_shape=[3, 3], pads=[1, 1, 1, 1]),
        helper.make_node("AveragePool", ["a"], ["b"], name="avg2",
                         kernel_shape=[2, 2], strides=[2, 2],
                         count_include_pad=1),
        helper.make_node("GlobalAveragePool", ["b"], ["y"], name="gap"),
    ], [vi("x", F32, ["N", 3, 8, 8])], [vi("y", F32, ["N", 3, 1, 1])])


@case
def case_batchnorm():
    """Inference BatchNormalization with a non-default epsilon."""
    r = _rng(7)
    return model("batchnorm", [
        helper.make_node("BatchNormalization",
                         ["x", "bn.scale", "bn.bias", "bn.mean", "bn.var"],
                         ["y"], name="bn", epsilon=1e-3, momentum=0.9),
    ], [vi("x", F32, ["N", 3, 4, 4])], [vi("y", F32, ["N", 3, 4, 4])],
        [init("bn.scale", f32(r, 3)), init("bn.bias", f32(r, 3)),
         init("bn.mean", f32(r, 3)),
         init("bn.var", np.abs(f32(r, 3)) + 0.5)])


@case
def case_layernorm():
    """LayerNormalization (opset 17) over the last axis and the last two."""
    r = _rng(8)
    return model("layernorm", [
        helper.make_node("LayerNormalization", ["x", "ln.scale", "ln.bias"],
                         ["a"], name="ln_last", axis=-1, epsilon=1e-5),
        helper.make_node("LayerNormalization", ["a", "ln2.scale"], ["y"],
                         name="ln_two", axis=1, epsilon=1e-6),
    ], [vi("x", F32, ["N", 4, 8])], [vi("y", F32, ["N", 4, 8])],
        [init("ln.scale", f32(r, 8)), init("ln.bias", f32(r, 8)),
         init("ln2.scale", f32(r, 4, 8))])


@case
def case_pool3d():
    """3-D MaxPool with pads and strides, 3-D AveragePool with
    count_include_pad and ceil_mode (each becomes two 2-D pools),
    GlobalMaxPool and a 3-D GlobalAveragePool."""
    return model("pool3d", [
        helper.make_node("MaxPool", ["x"], ["a"], name="max3d",
                         kernel_shape=[2, 3, 3], strides=[2, 1, 2],
                         pads=[0, 1, 1, 1, 1, 1]),
        helper.make_node("AveragePool", ["a"], ["b"], name="avg3d",
                         kernel_shape=[2, 2, 2], strides=[2, 2, 2],
                         ceil_mode=1, count_include_pad=1),
        helper.make_node("GlobalMaxPool", ["b"], ["c"], name="gmp3d"),
        helper.make_node("GlobalAveragePool", ["a"], ["y"], name="gap3d"),
    ], [vi("x", F32, ["N", 2, 6, 8, 8])],
        [vi("c", F32, ["N", 2, 1, 1, 1]), vi("y", F32, ["N", 2, 1, 1, 1])])


@case
def case_global_max_pool():
    """GlobalMaxPool on 2-D and 1-D inputs: a max pool over the whole
    spatial extent."""
    return model("global_max_pool", [
        helper.make_node("GlobalMaxPool", ["x"], ["y"], name="gmp2d"),
        helper.make_node("GlobalMaxPool", ["z"], ["w"], name="gmp1d"),
    ], [vi("x", F32, ["N", 3, 5, 7]), vi("z", F32, ["N", 3, 9])],
        [vi("y", F32, ["N", 3, 1, 1]), vi("w", F32, ["N", 3, 1])])


@case
def case_maxpool_int():
    """MaxPool on uint8 and int8 inputs (opset 12+): pooled as quantized
    values of scale 1, between storage casts."""
    return model("maxpool_int", [
        helper.make_node("MaxPool", ["x"], ["y"], name="pool_u8",
                         kernel_shape=[2, 2], pads=[1, 1, 0, 0]),
        helper.make_node("MaxPool", ["z"], ["w"], name="pool_i8",
                         kernel_shape=[3], strides=[2]),
    ], [vi("x", TensorProto.UINT8, ["N", 2, 4, 4]),
        vi("z", TensorProto.INT8, ["N", 2, 7])],
        [vi("y", TensorProto.UINT8, ["N", 2, 4, 4]),
         vi("w", TensorProto.INT8, ["N", 2, 3])])


@case
def case_batchnorm_training():
    """Training-mode BatchNormalization (opset 15) with its running mean and
    variance outputs: batch statistics from mc.reduce_mean."""
    r = _rng(21)
    return model("batchnorm_training", [
        helper.make_node("BatchNormalization",
                         ["x", "bn.scale", "bn.bias", "bn.mean", "bn.var"],
                         ["y", "running_mean", "running_var"], name="bn_train",
                         epsilon=1e-3, momentum=0.8, training_mode=1),
    ], [vi("x", F32, ["N", 3, 4, 4])],
        [vi("y", F32, ["N", 3, 4, 4]), vi("running_mean", F32, [3]),
         vi("running_var", F32, [3])],
        [init("bn.scale", f32(r, 3)), init("bn.bias", f32(r, 3)),
         init("bn.mean", f32(r, 3)),
         init("bn.var", np.abs(f32(r, 3)) + 0.5)], opset=15)


@case
def case_layernorm_stats():
    """LayerNormalization with its Mean and InvStdDev outputs used."""
    r = _rng(22)
    return model("layernorm_stats", [
        helper.make_node("LayerNormalization", ["x", "ln.scale", "ln.bias"],
                         ["y", "mean", "inv_std_dev"], name="ln_stats",
                         axis=1, epsilon=1e-3),
    ], [vi("x", F32, ["N", 4, 8])],
        [vi("y", F32, ["N", 4, 8]), vi("mean", F32, ["N", 1, 1]),
         vi("inv_std_dev", F32, ["N", 1, 1])],
        [init("ln.scale", f32(r, 4, 8)), init("ln.bias", f32(r, 4, 8))])


@case
def case_reduce_mean():
    """ReduceMean with keepdims over a negative axis, without keepdims over
    two axes, and with no axes (every axis)."""
    return model("reduce_mean", [
        helper.make_node("ReduceMean", ["x"], ["a"], name="mean_last",
                         axes=[-1]),
        helper.make_node("ReduceMean", ["x"], ["b"], name="mean_12",
                         axes=[1, 2], keepdims=0),
        helper.make_node("ReduceMean", ["x"], ["c"], name="mean_all"),
    ], [vi("x", F32, ["N", 4, 8])],
        [vi("a", F32, ["N", 4, 1]), vi("b", F32, ["N"]),
         vi("c", F32, [1, 1, 1])])


@case
def case_split():
    """Split (opset 13) by a constant split input on axis 1, and into equal
    parts on the last axis with one output unused."""
    return model("split", [
        helper.make_node("Split", ["x", "sizes"], ["a", "b"],
                         name="split_sizes", axis=1),
        helper.make_node("Split", ["b"], ["c", "d", "e"],
                         name="split_equal", axis=-1),
    ], [vi("x", F32, ["N", 6, 6])],
        [vi("a", F32, ["N", 2, 6]), vi("c", F32, ["N", 4, 2]),
         vi("e", F32, ["N", 4, 2])],
        [init("sizes", np.array([2, 4], dtype=np.int64))])


@case
def case_opset6():
    """Opset-6 forms: Add with broadcast = 1 and axis (B aligned at axis 1),
    BatchNormalization with is_test = 1, Slice and Split with attributes,
    Gemm with broadcast = 1."""
    r = _rng(23)
    return model("opset6", [
        helper.make_node("Add", ["x", "c"], ["a"], name="add_axis",
                         broadcast=1, axis=1),
        helper.make_node("BatchNormalization",
                         ["a", "bn.scale", "bn.bias", "bn.mean", "bn.var"],
                         ["b"], name="bn_test", is_test=1),
        helper.make_node("Slice", ["b"], ["s"], name="slice_attr",
                         starts=[1], ends=[3], axes=[2]),
        helper.make_node("Split", ["s"], ["s1", "s2"], name="split_attr",
                         axis=1, split=[1, 2]),
        helper.make_node("Flatten", ["s2"], ["f"], name="flat", axis=1),
        helper.make_node("Gemm", ["f", "w", "bias"], ["y"], name="fc",
                         broadcast=1, transB=1),
    ], [vi("x", F32, ["N", 3, 4])], [vi("y", F32, ["N", 5])],
        [init("c", f32(r, 3)), init("bn.scale", f32(r, 3)),
         init("bn.bias", f32(r, 3)), init("bn.mean", f32(r, 3)),
         init("bn.var", np.abs(f32(r, 3)) + 0.5), init("w", f32(r, 5, 4)),
         init("bias", f32(r, 5))], opset=6)


@case
def case_softmax():
    """Softmax (opset 13 semantics) on the last axis and on axis 1."""
    return model("softmax", [
        helper.make_node("Softmax", ["x"], ["a"], name="sm_last", axis=-1),
        helper.make_node("Softmax", ["a"], ["y"], name="sm_axis1", axis=1),
    ], [vi("x", F32, ["N", 4, 5])], [vi("y", F32, ["N", 4, 5])])


@case
def case_softmax_opset11():
    """Softmax at opset 11: the old form that coerces to 2-D at axis."""
    return model("softmax_opset11", [
        helper.make_node("Softmax", ["x"], ["y"], name="sm_coerce", axis=1),
    ], [vi("x", F32, [2, 4, 5])], [vi("y", F32, [2, 4, 5])], opset=11)


@case
def case_binary():
    """Add, Sub, Mul, Div and Pow with NumPy broadcasting (a scalar, a
    trailing vector, a [C, 1, 1] per-channel constant)."""
    r = _rng(9)
    return model("binary", [
        helper.make_node("Add", ["x", "vec"], ["a"], name="add"),
        helper.make_node("Sub", ["a", "chan"], ["b"], name="sub"),
        helper.make_node("Mul", ["b", "x"], ["c"], name="mul"),
        helper.make_node("Div", ["c", "two"], ["d"], name="div"),
        helper.make_node("Pow", ["d", "two"], ["y"], name="pow"),
    ], [vi("x", F32, ["N", 3, 2, 4])], [vi("y", F32, ["N", 3, 2, 4])],
        [init("vec", f32(r, 4)), init("chan", f32(r, 3, 1, 1)),
         init("two", np.array(2.0, dtype=np.float32))])


@case
def case_unary():
    """Sqrt, Exp, Erf, Sigmoid, Tanh, Relu, Neg, chained."""
    ops = ["Relu", "Sqrt", "Exp", "Erf", "Sigmoid", "Tanh", "Neg"]
    nodes, prev = [], "x"
    for i, op in enumerate(ops):
        out = "y" if i == len(ops) - 1 else f"t{i}"
        nodes.append(helper.make_node(op, [prev], [out], name=op.lower()))
        prev = out
    return model("unary", nodes, [vi("x", F32, ["N", 8])],
                 [vi("y", F32, ["N", 8])])


@case
def case_gelu_erf():
    """GELU as PyTorch (opset <= 19) exports nn.GELU: x * 0.5 * (1 +
    erf(x / sqrt(2))) in Div, Erf, Add, Mul, Mul."""
    return model("gelu_erf", [
        helper.make_node("Div", ["x", "sqrt2"], ["d"], name="gelu/Div"),
        helper.make_node("Erf", ["d"], ["e"], name="gelu/Erf"),
        helper.make_node("Add", ["e", "one"], ["a"], name="gelu/Add"),
        helper.make_node("Mul", ["x", "a"], ["m"], name="gelu/Mul"),
        helper.make_node("Mul", ["m", "half"], ["y"], name="gelu/Mul_1"),
    ], [vi("x", F32, ["N", 16])], [vi("y", F32, ["N", 16])],
        [init("sqrt2", np.array(1.4142135381698608, dtype=np.float32)),
         init("one", np.array(1.0, dtype=np.float32)),
         init("half", np.array(0.5, dtype=np.float32))])


@case
def case_clip():
    """Clip with min and max as Constant inputs (ReLU6) and with only min
    given (max is the empty name)."""
    return model("clip", [
        helper.make_node("Constant", [], ["lo"], name="lo_const",
                         value=helper.make_tensor("lo", F32, [], [0.0])),
        helper.make_node("Constant", [], ["hi"], name="hi_const",
                         value=helper.make_tensor("hi", F32, [], [6.0])),
        helper.make_node("Clip", ["x", "lo", "hi"], ["a"], name="relu6"),
        helper.make_node("Clip", ["a", "lo2"], ["y"], name="clip_min"),
    ], [vi("x", F32, ["N", 8])], [vi("y", F32, ["N", 8])],
        [init("lo2", np.array(1.0, dtype=np.float32))])


@case
def case_cast():
    """Cast int64 -> float and float -> int32."""
    return model("cast", [
        helper.make_node("Cast", ["x"], ["a"], name="to_float", to=F32),
        helper.make_node("Cast", ["a"], ["y"], name="to_int32",
                         to=TensorProto.INT32),
    ], [vi("x", I64, ["N", 4])], [vi("y", TensorProto.INT32, ["N", 4])])


@case
def case_reshape():
    """Reshape by a constant shape with 0 (copy) and -1 (infer) entries."""
    return model("reshape", [
        helper.make_node("Reshape", ["x", "shape"], ["y"], name="reshape"),
    ], [vi("x", F32, ["N", 4, 3, 2])], [vi("y", F32, ["N", 4, 6])],
        [init("shape", np.array([0, 4, -1], dtype=np.int64))])


@case
def case_flatten():
    """Flatten at axis 1 and at axis 0."""
    return model("flatten", [
        helper.make_node("Flatten", ["x"], ["y"], name="flatten1", axis=1),
        helper.make_node("Flatten", ["w"], ["z"], name="flatten0", axis=0),
    ], [vi("x", F32, ["N", 2, 3, 4]), vi("w", F32, [2, 3])],
        [vi("y", F32, ["N", 24]), vi("z", F32, [1, 6])])


@case
def case_transpose():
    """Transpose with a perm and with the default (reversed) perm."""
    return model("transpose", [
        helper.make_node("Transpose", ["x"], ["a"], name="perm0213",
                         perm=[0, 2, 1, 3]),
        helper.make_node("Transpose", ["w"], ["z"], name="reverse"),
    ], [vi("x", F32, ["N", 2, 3, 4]), vi("w", F32, [2, 3])],
        [vi("a", F32, ["N", 3, 2, 4]), vi("z", F32, [3, 2])])


@case
def case_concat():
    """Concat of three inputs on axis 1 and on a negative axis."""
    return model("concat", [
        helper.make_node("Concat", ["a", "b", "c"], ["y"], name="cat1",
                         axis=1),
        helper.make_node("Concat", ["y", "y"], ["z"], name="cat_neg",
                         axis=-1),
    ], [vi("a", F32, ["N", 1, 4]), vi("b", F32, ["N", 2, 4]),
        vi("c", F32, ["N", 3, 4])],
        [vi("z", F32, ["N", 6, 8])])


@case
def case_slice():
    """Slice (opset 13 inputs) with axes, a step and a negative end."""
    return model("slice", [
        helper.make_node("Slice", ["x", "starts", "ends", "axes", "steps"],
                         ["y"], name="slice"),
    ], [vi("x", F32, ["N", 8, 6])], [vi("y", F32, ["N", 3, 5])],
        [init("starts", np.array([1, 0], dtype=np.int64)),
         init("ends", np.array([7, -1], dtype=np.int64)),
         init("axes", np.array([1, 2], dtype=np.int64)),
         init("steps", np.array([2, 1], dtype=np.int64))])


@case
def case_gather():
    """Gather of embedding rows by int64 ids (nn.Embedding), and Gather on
    axis 1 by a constant index vector."""
    r = _rng(10)
    return model("gather", [
        helper.make_node("Gather", ["emb.weight", "ids"], ["y"],
                         name="embed"),
        helper.make_node("Gather", ["y", "idx"], ["z"], name="take", axis=1),
    ], [vi("ids", I64, ["N", 5])], [vi("z", F32, ["N", 2, 6])],
        [init("emb.weight", f32(r, 10, 6)),
         init("idx", np.array([0, 3], dtype=np.int64))])


@case
def case_squeeze_unsqueeze():
    """Unsqueeze and Squeeze with axes as an input (opset 13)."""
    return model("squeeze_unsqueeze", [
        helper.make_node("Unsqueeze", ["x", "axes"], ["a"], name="unsq"),
        helper.make_node("Squeeze", ["a", "axes2"], ["y"], name="sq"),
    ], [vi("x", F32, ["N", 3])], [vi("y", F32, ["N", 3, 1])],
        [init("axes", np.array([1, 3], dtype=np.int64)),
         init("axes2", np.array([1], dtype=np.int64))])


@case
def case_shape_subgraph():
    """x.view(x.size(0), -1) as PyTorch exports it: Shape, Gather,
    Unsqueeze, Concat, Reshape; the importer folds it to one reshape."""
    return model("shape_subgraph", [
        helper.make_node("Shape", ["x"], ["s"], name="Shape"),
        helper.make_node("Constant", [], ["zero"], name="Constant",
                         value=helper.make_tensor("zero", I64, [], [0])),
        helper.make_node("Gather", ["s", "zero"], ["n"], name="Gather",
                         axis=0),
        helper.make_node("Unsqueeze", ["n", "ax0"], ["n1"], name="Unsqueeze"),
        helper.make_node("Concat", ["n1", "minus1"], ["shape"],
                         name="Concat", axis=0),
        helper.make_node("Reshape", ["x", "shape"], ["y"], name="Reshape"),
    ], [vi("x", F32, ["N", 4, 2, 2])], [vi("y", F32, ["N", 16])],
        [init("ax0", np.array([0], dtype=np.int64)),
         init("minus1", np.array([-1], dtype=np.int64))])


@case
def case_passthrough():
    """Identity, inference Dropout (ratio input, and opset-12+ form with a
    false training_mode) and a Constant added to the result: only the Add
    and the constant remain."""
    return model("passthrough", [
        helper.make_node("Identity", ["x"], ["a"], name="identity"),
        helper.make_node("Dropout", ["a", "ratio"], ["b"], name="dropout"),
        helper.make_node("Dropout", ["b", "ratio", "train"], ["c", "mask"],
                         name="dropout_mask"),
        helper.make_node("Constant", [], ["k"], name="const",
                         value=helper.make_tensor("k", F32, [4],
                                                  [1, 2, 3, 4])),
        helper.make_node("Add", ["c", "k"], ["y"], name="add"),
    ], [vi("x", F32, ["N", 4])], [vi("y", F32, ["N", 4])],
        [init("ratio", np.array(0.5, dtype=np.float32)),
         init("train", np.array(False))])


@case
def case_qdq():
    """QuantizeLinear / DequantizeLinear, per-tensor int8 and per-axis
    (a weight quantized per output channel)."""
    r = _rng(11)
    wq = r.randint(-127, 128, size=(3, 4)).astype(np.int8)
    return model("qdq", [
        helper.make_node("QuantizeLinear", ["x", "x_scale", "x_zp"], ["xq"],
                         name="quant_x"),
        helper.make_node("DequantizeLinear", ["xq", "x_scale", "x_zp"],
                         ["xd"], name="dequant_x"),
        helper.make_node("DequantizeLinear", ["wq", "w_scale", "w_zp"],
                         ["w"], name="dequant_w", axis=0),
        helper.make_node("Gemm", ["xd", "w"], ["y"], name="fc", transB=1),
    ], [vi("x", F32, ["N", 4])], [vi("y", F32, ["N", 3])],
        [init("x_scale", np.array(0.05, dtype=np.float32)),
         init("x_zp", np.array(3, dtype=np.int8)),
         init("wq", wq),
         init("w_scale", np.array([0.01, 0.02, 0.03], dtype=np.float32)),
         init("w_zp", np.zeros(3, dtype=np.int8))])


# --------------------------------------------------------------------------
# Bad inputs: each must give one diagnostic and a non-zero exit.
# --------------------------------------------------------------------------


def _relu_model(opset, check=True):
    return model("relu", [helper.make_node("Relu", ["x"], ["y"], name="relu")],
                 [vi("x", F32, ["N", 4])], [vi("y", F32, ["N", 4])],
                 opset=opset, check=check)


@case
def case_bad_truncated():
    """The first half of a valid model's bytes (conv: the cut falls inside
    the weight data)."""
    data = case_conv().SerializeToString()
    return data[:len(data) // 2]


@case
def case_bad_not_onnx():
    """Plain text that is not a protobuf."""
    return (b"This is not an ONNX model, just some text that happens to\n"
            b"have been named model.onnx. 0123456789 !@#$%^&*()\n") * 4


@case
def case_bad_unknown_op():
    """A node of the unknown op type FooBar in the default domain."""
    return model("bad_unknown_op", [
        helper.make_node("Relu", ["x"], ["a"], name="relu"),
        helper.make_node("FooBar", ["a"], ["y"], name="foo1"),
    ], [vi("x", F32, ["N", 4])], [vi("y", F32, ["N", 4])], check=False)


@case
def case_bad_attr():
    """Conv with auto_pad = "BOGUS" (no such value)."""
    r = _rng(12)
    return model("bad_attr", [
        helper.make_node("Conv", ["x", "w"], ["y"], name="conv_bogus",
                         kernel_shape=[3, 3], auto_pad="BOGUS"),
    ], [vi("x", F32, ["N", 1, 5, 5])], [vi("y", F32, ["N", 2, 5, 5])],
        [init("w", f32(r, 2, 1, 3, 3))], check=False)


@case
def case_bad_attr_conv3d():
    """A 3-D Conv (5-D input, 3-D kernel): mc.conv2d is 2-D only."""
    r = _rng(13)
    return model("bad_attr_conv3d", [
        helper.make_node("Conv", ["x", "w"], ["y"], name="conv3d",
                         kernel_shape=[3, 3, 3]),
    ], [vi("x", F32, ["N", 1, 5, 5, 5])], [vi("y", F32, ["N", 2, 3, 3, 3])],
        [init("w", f32(r, 2, 1, 3, 3, 3))])


@case
def case_bad_type_string():
    """A STRING graph input (through an Identity)."""
    return model("bad_type_string", [
        helper.make_node("Identity", ["x"], ["y"], name="id_string"),
    ], [vi("x", TensorProto.STRING, ["N", 2])],
        [vi("y", TensorProto.STRING, ["N", 2])])


@case
def case_bad_type_complex():
    """A COMPLEX64 graph input (through an Identity)."""
    return model("bad_type_complex", [
        helper.make_node("Identity", ["x"], ["y"], name="id_complex"),
    ], [vi("x", TensorProto.COMPLEX64, ["N", 2])],
        [vi("y", TensorProto.COMPLEX64, ["N", 2])])


@case
def case_bad_opset5_relu():
    """A Relu model at opset 5: inside the importer's opset range (1 to 17),
    but Relu's version there (1, with consumed_inputs) is older than the
    one the importer handles (6)."""
    return _relu_model(5, check=False)


@case
def case_bad_opset0():
    """A Relu model at opset 0, below the importer's range."""
    return _relu_model(0, check=False)


@case
def case_opset9():
    """The same Relu model at opset 9, inside the importer's range."""
    return _relu_model(9)


@case
def case_bad_pool4d():
    """MaxPool over 4 spatial dimensions (a 6-D input)."""
    return model("bad_pool4d", [
        helper.make_node("MaxPool", ["x"], ["y"], name="pool4d",
                         kernel_shape=[2, 2, 2, 2]),
    ], [vi("x", F32, ["N", 1, 4, 4, 4, 4])],
        [vi("y", F32, ["N", 1, 3, 3, 3, 3])], check=False)


@case
def case_bad_batchnorm_is_test0():
    """Opset-6 BatchNormalization without is_test (training mode)."""
    r = _rng(24)
    return model("bad_batchnorm_is_test0", [
        helper.make_node("BatchNormalization",
                         ["x", "s", "b", "m", "v"], ["y"], name="bn_train6"),
    ], [vi("x", F32, ["N", 3, 4])], [vi("y", F32, ["N", 3, 4])],
        [init(n, np.abs(f32(r, 3)) + 0.5) for n in "sbmv"], opset=6,
        check=False)


@case
def case_bad_layernorm_stats_f16():
    """f16 LayerNormalization whose Mean output is used: ONNX computes it in
    float (stash_type 1), which mc does not."""
    return model("bad_layernorm_stats_f16", [
        helper.make_node("LayerNormalization", ["x", "g"], ["y", "mean"],
                         name="ln_f16"),
    ], [vi("x", TensorProto.FLOAT16, ["N", 4])],
        [vi("y", TensorProto.FLOAT16, ["N", 4]),
         vi("mean", F32, ["N", 1])],
        [init("g", np.ones(4, dtype=np.float16))], check=False)


@case
def case_bad_reduce_mean_int():
    """ReduceMean of an int32 tensor (mc averages floats only)."""
    return model("bad_reduce_mean_int", [
        helper.make_node("ReduceMean", ["x"], ["y"], name="mean_int",
                         axes=[1]),
    ], [vi("x", TensorProto.INT32, ["N", 4])],
        [vi("y", TensorProto.INT32, ["N", 1])], check=False)


@case
def case_bad_split_sizes():
    """Split sizes that do not add up to the dimension."""
    return model("bad_split_sizes", [
        helper.make_node("Split", ["x", "sizes"], ["a", "b"],
                         name="split_bad", axis=1),
    ], [vi("x", F32, ["N", 6])], [vi("a", F32, ["N", 2]), vi("b", F32, ["N", 3])],
        [init("sizes", np.array([2, 3], dtype=np.int64))], check=False)


@case
def case_bad_split_unequal():
    """Split into 4 equal parts of a dimension of size 6."""
    return model("bad_split_unequal", [
        helper.make_node("Split", ["x"], ["a", "b", "c", "d"],
                         name="split_uneven", axis=1),
    ], [vi("x", F32, ["N", 6])], [vi(n, F32, ["N", 1]) for n in "abcd"],
        check=False)


@case
def case_bad_split_count():
    """Split with two sizes for three outputs."""
    return model("bad_split_count", [
        helper.make_node("Split", ["x", "sizes"], ["a", "b", "c"],
                         name="split_count", axis=1),
    ], [vi("x", F32, ["N", 6])], [vi(n, F32, ["N", 3]) for n in "abc"],
        [init("sizes", np.array([3, 3], dtype=np.int64))], check=False)


@case
def case_bad_split_negative():
    """Split sizes [-1, 7]: they add up to the dimension, but one is
    negative."""
    return model("bad_split_negative", [
        helper.make_node("Split", ["x", "sizes"], ["a", "b"],
                         name="split_negative", axis=1),
    ], [vi("x", F32, ["N", 6])], [vi("a", F32, ["N", 1]), vi("b", F32, ["N", 7])],
        [init("sizes", np.array([-1, 7], dtype=np.int64))], check=False)


@case
def case_bad_legacy_broadcast():
    """Opset-6 Add with broadcast = 1 and an axis at which B (rank 2) does
    not fit into A (rank 3)."""
    r = _rng(25)
    return model("bad_legacy_broadcast", [
        helper.make_node("Add", ["x", "c"], ["y"], name="add_misfit",
                         broadcast=1, axis=2),
    ], [vi("x", F32, ["N", 3, 4])], [vi("y", F32, ["N", 3, 4])],
        [init("c", f32(r, 3, 4))], opset=6, check=False)


@case
def case_bad_slice_attributes():
    """Opset-6 Slice without its 'ends' attribute."""
    return model("bad_slice_attributes", [
        helper.make_node("Slice", ["x"], ["y"], name="slice_no_ends",
                         starts=[0]),
    ], [vi("x", F32, ["N", 4])], [vi("y", F32, ["N", 4])], opset=6,
        check=False)


@case
def case_bad_size_dynamic():
    """Size of a tensor with a dynamic batch (not known at import)."""
    return model("bad_size_dynamic", [
        helper.make_node("Size", ["x"], ["y"], name="size_batch"),
    ], [vi("x", F32, ["N", 4])], [vi("y", I64, [])], check=False)


@case
def case_bad_split_dynamic():
    """Split along the dynamic batch dimension."""
    return model("bad_split_dynamic", [
        helper.make_node("Split", ["x"], ["a", "b"], name="split_batch",
                         axis=0),
    ], [vi("x", F32, ["N", 6])], [vi("a", F32, ["M", 6]), vi("b", F32, ["M", 6])],
        check=False)


@case
def case_bad_opset18():
    """A Relu model at opset 18, newer than libonnx's (17)."""
    return _relu_model(18, check=False)


@case
def case_bad_domain():
    """A node in a non-default domain (com.example, version 1)."""
    return model("bad_domain", [
        helper.make_node("Relu", ["x"], ["a"], name="relu"),
        helper.make_node("Scale", ["a"], ["y"], name="custom_scale",
                         domain="com.example", scale=2.0),
    ], [vi("x", F32, ["N", 4])], [vi("y", F32, ["N", 4])],
        extra_opsets=[("com.example", 1)], check=False)


@case
def case_bad_undefined_input():
    """A node that reads a value nothing defines (malformed, not an
    unsupported feature)."""
    return model("bad_undefined_input", [
        helper.make_node("Add", ["x", "nowhere"], ["y"], name="add_undef"),
    ], [vi("x", F32, ["N", 4])], [vi("y", F32, ["N", 4])], check=False)


# --------------------------------------------------------------------------


def build(name):
    m = CASES[name]()
    return m if isinstance(m, bytes) else m.SerializeToString()


def write(name, path):
    d = os.path.dirname(os.path.abspath(path))
    os.makedirs(d, exist_ok=True)
    with open(path, "wb") as f:
        f.write(build(name))


def main(argv=None):
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    g = p.add_mutually_exclusive_group(required=True)
    g.add_argument("--case", choices=sorted(CASES), metavar="NAME",
                   help="one case (see --list)")
    g.add_argument("--all", action="store_true", help="every case")
    g.add_argument("--list", action="store_true", help="list the cases")
    p.add_argument("--out", help="output file (with --case)")
    p.add_argument("--out-dir", help="output directory (with --all)")
    args = p.parse_args(argv)

    if args.list:
        for name in sorted(CASES):
            doc = (CASES[name].__doc__ or "").strip().splitlines()[0]
            print(f"{name:24} {doc}")
        return
    if args.case:
        if not args.out:
            p.error("--case needs --out")
        write(args.case, args.out)
        return
    if not args.out_dir:
        p.error("--all needs --out-dir")
    for name in sorted(CASES):
        write(name, os.path.join(args.out_dir, name + ".onnx"))


if __name__ == "__main__":
    main()
