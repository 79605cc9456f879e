#!/usr/bin/env python3
"""End to end: quantized ONNX models compiled by mc-compile, run by mc-run.

Usage:
  quantized_onnx.py --workdir DIR [--case NAME ...] [--list]

Each case builds a small ONNX model with onnx.helper (QuantizeLinear,
DequantizeLinear, ConvInteger, MatMulInteger; uint8/int8 graph inputs and
outputs), compiles it with `mc-compile MODEL.onnx` and runs it with `mc-run`
(both from PATH) at batch 1 and batch 3 on deterministic random inputs. The
output must equal a NumPy reference of the ONNX definitions (int64 integer
math; float32 for the scales) exactly. Prints one line per case and batch:

  CASE batch B: DTYPE SHAPE, N values, 0 mismatches

and exits non-zero on the first mismatch. Run with Debian's /usr/bin/python3
(numpy, onnx 1.12, which has no reference evaluator: the references here
follow the operator definitions directly).
"""

import argparse
import os
import subprocess
import sys

import numpy as np
import onnx
from onnx import TensorProto, helper, numpy_helper

OPSET = 17
F32, I8, U8, I32 = (TensorProto.FLOAT, TensorProto.INT8, TensorProto.UINT8,
                    TensorProto.INT32)


def vi(name, elem, shape):
    return helper.make_tensor_value_info(name, elem, shape)


def init(name, array):
    return numpy_helper.from_array(np.asarray(array), name)


def model(name, nodes, inputs, outputs, inits):
    graph = helper.make_graph(nodes, name, inputs, outputs,
                              initializer=list(inits))
    m = helper.make_model(graph,
                          opset_imports=[helper.make_opsetid("", OPSET)],
                          producer_name="mc quantized_onnx.py")
    m.ir_version = 8
    onnx.checker.check_model(m, full_check=True)
    return m


# --------------------------------------------------------------------------
# References (the ONNX operator definitions)
# --------------------------------------------------------------------------


def quantize_linear(x, scale, zp, lo, hi, axis=None):
    s = np.asarray(scale, np.float32)
    z = np.asarray(zp, np.float32)
    if axis is not None:
        shape = [1] * x.ndim
        shape[axis] = -1
        s, z = s.reshape(shape), z.reshape(shape)
    return np.clip(np.rint(x.astype(np.float32) / s) + z, lo, hi)


def dequantize_linear(q, scale, zp, axis=None):
    s = np.asarray(scale, np.float32)
    z = np.asarray(zp, np.int64)
    if axis is not None:
        shape = [1] * q.ndim
        shape[axis] = -1
        s, z = s.reshape(shape), z.reshape(shape)
    return ((q.astype(np.int64) - z).astype(np.float32) * s).astype(np.float32)


def conv_integer(x, zx, w, zw, strides, pads, groups):
    n, c, h, wd = x.shape
    f, cg, kh, kw = w.shape
    xi = x.astype(np.int64) - np.int64(zx)
    wi = w.astype(np.int64) - np.asarray(zw, np.int64).reshape(-1, 1, 1, 1)
    xp = np.pad(xi, ((0, 0), (0, 0), (pads[0], pads[2]), (pads[1], pads[3])))
    oh = (h + pads[0] + pads[2] - kh) // strides[0] + 1
    ow = (wd + pads[1] + pads[3] - kw) // strides[1] + 1
    fg = f // groups
    y = np.zeros((n, f, oh, ow), np.int64)
    for o in range(f):
        g = o // fg
        for i in range(kh):
            for j in range(kw):
                patch = xp[:, g * cg:(g + 1) * cg,
                           i:i + strides[0] * (oh - 1) + 1:strides[0],
                           j:j + strides[1] * (ow - 1) + 1:strides[1]]
                y[:, o] += np.einsum("nchw,c->nhw", patch, wi[o, :, i, j])
    return y


def matmul_integer(a, za, b, zb):
    return np.matmul(a.astype(np.int64) - np.int64(za),
                     b.astype(np.int64) - np.asarray(zb, np.int64))


def as_int32(a):
    """An int64 result as the int32 that ONNX's accumulators hold (the test
    inputs never overflow them)."""
    assert np.abs(a).max() < 2**31
    return a.astype(np.int32)


# --------------------------------------------------------------------------
# Cases: (model, inputs(batch, rng) -> [arrays], reference(*inputs) -> array)
# --------------------------------------------------------------------------

CASES = {}


def case(fn):
    CASES[fn.__name__.removeprefix("case_")] = fn
    return fn


@case
def case_qdq_conv():
    """float [N,3,8,8] -> QuantizeLinear (u8, zp 128) -> ConvInteger (17
    int8 filters with a zero point per filter, stride 2, pads 1) ->
    DequantizeLinear of the int32 accumulator per channel (axis 1)."""
    r = np.random.RandomState(21)
    w = r.randint(-127, 128, size=(17, 3, 3, 3)).astype(np.int8)
    w_zp = r.randint(-4, 5, size=17).astype(np.int8)
    x_scale, x_zp = np.float32(0.05), np.uint8(128)
    acc_scale = (x_scale * (0.01 + 0.001 * np.arange(17))).astype(np.float32)
    m = model("qdq_conv", [
        helper.make_node("QuantizeLinear", ["x", "x_scale", "x_zp"], ["xq"],
                         name="quant_x"),
        helper.make_node("ConvInteger", ["xq", "w", "x_zp", "w_zp"], ["acc"],
                         name="conv", strides=[2, 2], pads=[1, 1, 1, 1]),
        helper.make_node("DequantizeLinear", ["acc", "acc_scale", "acc_zp"],
                         ["y"], name="dequant_acc", axis=1),
    ], [vi("x", F32, ["N", 3, 8, 8])], [vi("y", F32, ["N", 17, 4, 4])], [
        init("x_scale", x_scale), init("x_zp", x_zp), init("w", w),
        init("w_zp", w_zp), init("acc_scale", acc_scale),
        init("acc_zp", np.zeros(17, np.int32))
    ])

    def reference(x):
        xq = quantize_linear(x, x_scale, x_zp, 0, 255).astype(np.uint8)
        acc = as_int32(
            conv_integer(xq, x_zp, w, w_zp, (2, 2), (1, 1, 1, 1), 1))
        return dequantize_linear(acc, acc_scale, 0, axis=1)

    return (m, lambda b, rng: [rng.standard_normal((b, 3, 8, 8)).astype(
        np.float32) * 4], reference)


@case
def case_conv_integer_u8_depthwise():
    """uint8 graph input [N,3,7,7] -> ConvInteger depthwise (group 3, uint8
    weights, zero points 131 and 120) -> int32 graph output."""
    r = np.random.RandomState(22)
    w = r.randint(0, 256, size=(3, 1, 3, 2)).astype(np.uint8)
    m = model("conv_integer_u8_depthwise", [
        helper.make_node("ConvInteger", ["x", "w", "x_zp", "w_zp"], ["y"],
                         name="dwconv", group=3, pads=[0, 1, 2, 0]),
    ], [vi("x", U8, ["N", 3, 7, 7])], [vi("y", I32, ["N", 3, 7, 7])], [
        init("w", w), init("x_zp", np.uint8(131)), init("w_zp", np.uint8(120))
    ])
    return (m, lambda b, rng: [rng.randint(0, 256, size=(b, 3, 7, 7)).astype(
        np.uint8)], lambda x: as_int32(
                conv_integer(x, 131, w, [120] * 3, (1, 1), (0, 1, 2, 0), 3)))


@case
def case_conv_integer_i8_c1():
    """int8 graph input [N,1,6,5] -> ConvInteger (5 filters, no zero
    points) -> int32 graph output."""
    r = np.random.RandomState(23)
    w = r.randint(-128, 128, size=(5, 1, 2, 2)).astype(np.int8)
    m = model("conv_integer_i8_c1", [
        helper.make_node("ConvInteger", ["x", "w"], ["y"], name="conv"),
    ], [vi("x", I8, ["N", 1, 6, 5])], [vi("y", I32, ["N", 5, 5, 4])],
        [init("w", w)])
    return (m, lambda b, rng: [rng.randint(-128, 128, size=(b, 1, 6, 5))
                               .astype(np.int8)],
            lambda x: as_int32(
                conv_integer(x, 0, w, [0] * 5, (1, 1), (0, 0, 0, 0), 1)))


@case
def case_matmul_integer():
    """int8 graph input [N,3,17] (zero point -5) x int8 [17,4] with a zero
    point per column -> int32 graph output."""
    r = np.random.RandomState(24)
    b = r.randint(-128, 128, size=(17, 4)).astype(np.int8)
    b_zp = np.array([0, 3, -2, 100], np.int8)
    m = model("matmul_integer", [
        helper.make_node("MatMulInteger", ["a", "b", "a_zp", "b_zp"], ["y"],
                         name="mm"),
    ], [vi("a", I8, ["N", 3, 17])], [vi("y", I32, ["N", 3, 4])],
        [init("b", b), init("a_zp", np.int8(-5)), init("b_zp", b_zp)])
    return (m, lambda bt, rng: [rng.randint(-128, 128, size=(bt, 3, 17))
                                .astype(np.int8)],
            lambda a: as_int32(matmul_integer(a, -5, b, b_zp)))


@case
def case_qdq_matmul_u8():
    """float [N,17] -> QuantizeLinear (u8, zp 77) -> MatMulInteger with a
    uint8 [17,3] weight (zero point 128) -> DequantizeLinear (int32, one
    scale) -> float graph output."""
    r = np.random.RandomState(25)
    b = r.randint(0, 256, size=(17, 3)).astype(np.uint8)
    s_x, s_acc = np.float32(0.03), np.float32(0.03 * 0.02)
    m = model("qdq_matmul_u8", [
        helper.make_node("QuantizeLinear", ["x", "s_x", "zp_x"], ["xq"],
                         name="quant_x"),
        helper.make_node("MatMulInteger", ["xq", "b", "zp_x", "zp_b"],
                         ["acc"], name="mm"),
        helper.make_node("DequantizeLinear", ["acc", "s_acc"], ["y"],
                         name="dequant_acc"),
    ], [vi("x", F32, ["N", 17])], [vi("y", F32, ["N", 3])], [
        init("b", b), init("s_x", s_x), init("zp_x", np.uint8(77)),
        init("zp_b", np.uint8(128)), init("s_acc", s_acc)
    ])

    def reference(x):
        xq = quantize_linear(x, s_x, 77, 0, 255).astype(np.uint8)
        acc = as_int32(matmul_integer(xq, 77, b, 128))
        return dequantize_linear(acc, s_acc, 0)

    return (m, lambda bt, rng: [rng.standard_normal((bt, 17)).astype(
        np.float32) * 2], reference)


@case
def case_quantize_outputs():
    """float [N,3,4] -> QuantizeLinear to a uint8 graph output (per tensor)
    and to an int8 graph output (per axis 1); the int8 one is also
    dequantized to a float output."""
    s_u, z_u = np.float32(0.125), np.uint8(100)
    s_i = np.array([0.25, 0.0625, 0.5], np.float32)
    z_i = np.array([-3, 0, 10], np.int8)
    m = model("quantize_outputs", [
        helper.make_node("QuantizeLinear", ["x", "s_u", "z_u"], ["yu"],
                         name="quant_u8"),
        helper.make_node("QuantizeLinear", ["x", "s_i", "z_i"], ["yi"],
                         name="quant_i8", axis=1),
        helper.make_node("DequantizeLinear", ["yi", "s_i", "z_i"], ["yf"],
                         name="dequant_i8", axis=1),
    ], [vi("x", F32, ["N", 3, 4])], [
        vi("yu", U8, ["N", 3, 4]), vi("yi", I8, ["N", 3, 4]),
        vi("yf", F32, ["N", 3, 4])
    ], [init("s_u", s_u), init("z_u", z_u), init("s_i", s_i),
        init("z_i", z_i)])

    def inputs(b, rng):
        x = rng.standard_normal((b, 3, 4)).astype(np.float32) * 8
        # Exact halves of the scales (ties round to even) and saturation.
        x[:, :, 0] = (rng.randint(-40, 40, size=(b, 3)) + 0.5) * 0.0625
        x[0, 0, 1], x[0, 1, 1] = 1e6, -1e6
        return [x]

    def reference(x):
        yu = quantize_linear(x, s_u, z_u, 0, 255).astype(np.uint8)
        yi = quantize_linear(x, s_i, z_i, -128, 127, axis=1).astype(np.int8)
        return [yu, yi, dequantize_linear(yi, s_i, z_i, axis=1)]

    return m, inputs, reference


@case
def case_dequantize_u8_input():
    """uint8 graph input [N,2,5] -> DequantizeLinear (scale 0.02, zero
    point 200) -> float graph output."""
    m = model("dequantize_u8_input", [
        helper.make_node("DequantizeLinear", ["x", "s", "z"], ["y"],
                         name="dequant"),
    ], [vi("x", U8, ["N", 2, 5])], [vi("y", F32, ["N", 2, 5])],
        [init("s", np.float32(0.02)), init("z", np.uint8(200))])
    return (m, lambda b, rng: [rng.randint(0, 256, size=(b, 2, 5)).astype(
        np.uint8)], lambda x: dequantize_linear(x, 0.02, 200))


# --------------------------------------------------------------------------
# Driver
# --------------------------------------------------------------------------


def run(cmd):
    p = subprocess.run(cmd, capture_output=True, text=True)
    if p.returncode != 0:
        sys.exit("quantized_onnx.py: %s failed (%d):\n%s%s" %
                 (" ".join(cmd), p.returncode, p.stdout, p.stderr))


def mismatches(got, want):
    if got.dtype.kind == "f":
        return got.astype(np.float32).view(np.int32) != want.astype(
            np.float32).view(np.int32)
    return got.astype(np.int64) != want.astype(np.int64)


def run_case(name, workdir):
    m, inputs, reference = CASES[name]()
    path = os.path.join(workdir, name + ".onnx")
    lib = os.path.join(workdir, name + ".so")
    onnx.save(m, path)
    run(["mc-compile", path, "-o", lib])
    for batch in (1, 3):
        rng = np.random.RandomState(2000 + batch)
        xs = inputs(batch, rng)
        wants = reference(*xs)
        if not isinstance(wants, list):
            wants = [wants]
        cmd = ["mc-run", lib]
        for i, x in enumerate(xs):
            p = os.path.join(workdir, "%s.b%d.in%d.npy" % (name, batch, i))
            np.save(p, x)
            cmd += ["--input", p]
        outs = [os.path.join(workdir, "%s.b%d.out%d.npy" % (name, batch, i))
                for i in range(len(wants))]
        for o in outs:
            cmd += ["--output", o]
        run(cmd)
        for i, (o, want) in enumerate(zip(outs, wants)):
            got = np.load(o)
            if got.shape != want.shape or got.dtype != want.dtype:
                sys.exit("%s batch %d output %d: %s %s, expected %s %s" %
                         (name, batch, i, got.dtype, got.shape, want.dtype,
                          want.shape))
            bad = mismatches(got, want)
            print("%s batch %d: %s %s, %d values, %d mismatches" %
                  (name, batch, got.dtype, got.shape, want.size,
                   int(bad.sum())))
            if bad.any():
                idx = tuple(np.argwhere(bad)[0])
                sys.exit("%s batch %d output %d: first mismatch at %s: got "
                         "%s, expected %s" % (name, batch, i, idx, got[idx],
                                              want[idx]))


def main(argv=None):
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--workdir")
    p.add_argument("--case", action="append")
    p.add_argument("--list", action="store_true")
    a = p.parse_args(argv)
    if a.list:
        print("\n".join(CASES))
        return 0
    if not a.workdir:
        p.error("--workdir is required")
    os.makedirs(a.workdir, exist_ok=True)
    for name in a.case or CASES:
        if name not in CASES:
            p.error("unknown case " + name)
        run_case(name, a.workdir)
    return 0


if __name__ == "__main__":
    sys.exit(main())
