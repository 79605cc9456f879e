#!/usr/bin/env python3
"""Runs the quantized mc ops on random inputs and compares them exactly with
NumPy.

Usage:
  quantized_ops.py --workdir DIR [--case NAME ...] [--list]

Each case is a small model (`@main` of mc IR) that uses one quantized op
(mc.qconv2d, mc.qlinear, mc.qmatmul, mc.quantize, mc.dequantize,
mc.max_pool2d / mc.flatten / mc.reshape on quantized values) with odd shapes
and non-zero zero points. The script writes the model, compiles it with
`mc-compile`, runs it with `mc-run` (both from PATH) at batch 1 and batch 3
on deterministic random int8/uint8/float inputs, and compares the output with
a reference that does the same integer math in NumPy int64 (the ONNX
definitions of ConvInteger, MatMulInteger, QuantizeLinear, DequantizeLinear).
Every value must be equal. Prints one line per case and batch:

  CASE batch B: N values, 0 mismatches

and exits non-zero on the first mismatch. Run with Debian's /usr/bin/python3.
"""

import argparse
import os
import subprocess
import sys

import numpy as np

# --------------------------------------------------------------------------
# Quantized types and literals
# --------------------------------------------------------------------------


def qtype(storage, scale, zp):
    """A per-tensor !quant.uniform type; storage is 'i8' or 'u8'."""
    return "!quant.uniform<%s:f32, %r:%d>" % (storage, float(scale), int(zp))


def qtype_axis(storage, axis, scales, zps):
    params = ", ".join("%r:%d" % (float(s), int(z))
                       for s, z in zip(scales, zps))
    return "!quant.uniform<%s:f32:%d, {%s}>" % (storage, axis, params)


def tensor(shape, elem, dynamic=False):
    dims = ["?" if dynamic and i == 0 else str(d) for i, d in enumerate(shape)]
    return "tensor<" + "".join(d + "x" for d in dims) + elem + ">"


def dense(a):
    """A dense literal of an integer array (nested brackets)."""
    if a.ndim == 0:
        return str(int(a))
    return "[" + ", ".join(dense(x) for x in a) + "]"


def boundary(storage):
    """Model boundary element type for a storage kind."""
    return {"i8": "i8", "u8": "ui8"}[storage]


def np_dtype(storage):
    return {"i8": np.int8, "u8": np.uint8}[storage]


def rand_storage(rng, storage, shape):
    lo, hi = (-128, 128) if storage == "i8" else (0, 256)
    return rng.randint(lo, hi, size=shape).astype(np_dtype(storage))


# --------------------------------------------------------------------------
# References (int64)
# --------------------------------------------------------------------------


def ref_conv(x, zx, w, zw, bias, strides, pads, dilations, groups):
    """ConvInteger (+ int32 bias) in int64: x [N,C,H,W], w [F,C/g,KH,KW],
    zw per output channel."""
    n, c, h, wd = x.shape
    f, cg, kh, kw = w.shape
    xi = x.astype(np.int64) - zx
    wi = w.astype(np.int64) - np.asarray(zw, np.int64).reshape(-1, 1, 1, 1)
    xp = np.pad(xi, ((0, 0), (0, 0), (pads[0], pads[2]), (pads[1], pads[3])))
    oh = (h + pads[0] + pads[2] - dilations[0] * (kh - 1) - 1) // strides[0] + 1
    ow = (wd + pads[1] + pads[3] - dilations[1] * (kw - 1) - 1) // strides[1] + 1
    fg = f // groups
    y = np.zeros((n, f, oh, ow), np.int64)
    for o in range(f):
        g = o // fg
        for i in range(kh):
            for j in range(kw):
                r0, c0 = i * dilations[0], j * dilations[1]
                patch = xp[:, g * cg:(g + 1) * cg,
                           r0:r0 + strides[0] * (oh - 1) + 1:strides[0],
                           c0:c0 + strides[1] * (ow - 1) + 1:strides[1]]
                y[:, o] += np.einsum("nchw,c->nhw", patch, wi[o, :, i, j])
        if bias is not None:
            y[:, o] += bias[o]
    return y


def ref_matmul(a, za, b, zb):
    """MatMulInteger in int64 (zb per output column or scalar)."""
    return np.matmul(a.astype(np.int64) - za,
                     b.astype(np.int64) - np.asarray(zb, np.int64))


def ref_quantize(x, scale, zp, lo, hi, axis=None):
    x = x.astype(np.float32)
    s = np.asarray(scale, np.float32)
    z = np.asarray(zp, np.float32)
    if axis is not None:
        shape = [1] * x.ndim
        shape[axis] = -1
        s, z = s.reshape(shape), z.reshape(shape)
    return np.clip(np.rint(x / s) + z, lo, hi).astype(np.int64)


def ref_dequantize(q, scale, zp, axis=None):
    s = np.asarray(scale, np.float32)
    z = np.asarray(zp, np.int64)
    if axis is not None:
        shape = [1] * q.ndim
        shape[axis] = -1
        s, z = s.reshape(shape), z.reshape(shape)
    return ((q.astype(np.int64) - z).astype(np.float32) * s).astype(np.float32)


def ref_max_pool(x, kernel, strides, pads, ceil_mode):
    n, c, h, w = x.shape
    lo = np.iinfo(x.dtype).min

    def out(size, k, s, p0, p1):
        span = size + p0 + p1 - k
        return (-(-span // s) if ceil_mode else span // s) + 1

    oh = out(h, kernel[0], strides[0], pads[0], pads[2])
    ow = out(w, kernel[1], strides[1], pads[1], pads[3])
    # A window must start inside the input or its leading padding.
    if ceil_mode and (oh - 1) * strides[0] >= h + pads[0]:
        oh -= 1
    if ceil_mode and (ow - 1) * strides[1] >= w + pads[1]:
        ow -= 1
    xp = np.full((n, c, h + pads[0] + pads[2] + kernel[0] * 2,
                  w + pads[1] + pads[3] + kernel[1] * 2), lo, x.dtype)
    xp[:, :, pads[0]:pads[0] + h, pads[1]:pads[1] + w] = x
    y = np.full((n, c, oh, ow), lo, np.int64)
    for i in range(oh):
        for j in range(ow):
            win = xp[:, :, i * strides[0]:i * strides[0] + kernel[0],
                     j * strides[1]:j * strides[1] + kernel[1]]
            y[:, :, i, j] = win.reshape(n, c, -1).max(axis=2)
    return y, (oh, ow)


# --------------------------------------------------------------------------
# Cases: each returns (mlir text, input generator(batch, rng), reference)
# --------------------------------------------------------------------------

CASES = {}


def case(fn):
    CASES[fn.__name__.removeprefix("case_")] = fn
    return fn


def conv_case(seed, c, f, h, w, k, groups, strides, pads, dilations, xs, zx,
              ws, zw, per_channel_scale, with_bias):
    """A ConvInteger-like model: storage input -> mc.qconv2d -> i32."""
    rng = np.random.RandomState(seed)
    wt = rand_storage(rng, ws, (f, c // groups, k[0], k[1]))
    bias = rng.randint(-5000, 5000, size=f).astype(np.int32)
    xq = qtype(xs, 0.02, zx)
    if per_channel_scale or len(set(zw)) > 1:
        wq = qtype_axis(ws, 0, [0.01 * (1 + i % 3) for i in range(f)], zw)
    else:
        wq = qtype(ws, 0.01, zw[0])
    oh = (h + pads[0] + pads[2] - dilations[0] * (k[0] - 1) - 1) // strides[0] + 1
    ow = (w + pads[1] + pads[3] - dilations[1] * (k[1] - 1) - 1) // strides[1] + 1
    in_t = tensor((0, c, h, w), boundary(xs), True)
    out_t = tensor((0, f, oh, ow), "i32", True)
    x_q_t = tensor((0, c, h, w), xq, True)
    w_s_t = tensor(wt.shape, boundary(ws))
    w_q_t = tensor(wt.shape, wq)
    b_t = tensor((f,), "i32")
    attrs = ("{groups = %d : i64, strides = array<i64: %d, %d>, pads = "
             "array<i64: %d, %d, %d, %d>, dilations = array<i64: %d, %d>}" %
             ((groups,) + tuple(strides) + tuple(pads) + tuple(dilations)))
    bias_use = ", %b" if with_bias else ""
    bias_ty = ", " + b_t if with_bias else ""
    text = "\n".join([
        "func.func @main(%x: " + in_t + ") -> " + out_t + " {",
        "  %xq = mc.storage_cast %x : " + in_t + " -> " + x_q_t,
        "  %w = mc.constant dense<" + dense(wt) + "> : " + w_s_t,
        "  %wq = mc.storage_cast %w : " + w_s_t + " -> " + w_q_t,
        "  %b = mc.constant dense<" + dense(bias) + "> : " + b_t,
        "  %y = mc.qconv2d %xq, %wq" + bias_use + " " + attrs + " : (" +
        x_q_t + ", " + w_q_t + bias_ty + ") -> " + out_t,
        "  return %y : " + out_t,
        "}",
    ]) + "\n"

    def inputs(batch, r):
        return [rand_storage(r, xs, (batch, c, h, w))]

    def reference(x):
        return ref_conv(x, zx, wt, zw, bias if with_bias else None, strides,
                        pads, dilations, groups)

    return text, inputs, reference


@case
def case_conv_c3_f17():
    """u8 input (zero point 128), i8 per-channel weights (zero point 0),
    bias, strides [2, 1], asymmetric pads, dilations [1, 2]."""
    return conv_case(1, 3, 17, 9, 8, (3, 3), 1, (2, 1), (1, 0, 2, 1), (1, 2),
                     "u8", 128, "i8", [0] * 17, True, True)


@case
def case_conv_c1():
    """One input channel, i8 input (zero point -7), per-tensor i8 weight
    with zero point 3, pads 2, no bias."""
    return conv_case(2, 1, 5, 7, 6, (3, 2), 1, (1, 1), (2, 2, 2, 2), (1, 1),
                     "i8", -7, "i8", [3] * 5, False, False)


@case
def case_conv_depthwise_c17():
    """Depthwise (groups = C = F = 17), u8 input (zero point 100), i8
    weights with a different zero point per channel, stride 2, pads 1."""
    zw = [(i * 5) % 11 - 5 for i in range(17)]
    return conv_case(3, 17, 17, 7, 7, (3, 3), 17, (2, 2), (1, 1, 1, 1),
                     (1, 1), "u8", 100, "i8", zw, True, True)


@case
def case_conv_depthwise_mult2():
    """Depthwise with channel multiplier 2 (groups = C = 3, F = 6), i8
    input (zero point 5), u8 weights (zero point 131), bias."""
    return conv_case(4, 3, 6, 6, 5, (2, 3), 3, (1, 2), (0, 1, 1, 0), (2, 1),
                     "i8", 5, "u8", [131] * 6, False, True)


@case
def case_conv_grouped():
    """Grouped (C = 6, groups = 3, F = 9), u8 input and u8 per-channel
    weights with zero points, no bias."""
    zw = [120 + i for i in range(9)]
    return conv_case(5, 6, 9, 5, 5, (3, 3), 3, (1, 1), (1, 1, 1, 1), (1, 1),
                     "u8", 17, "u8", zw, True, False)


def linear_case(seed, lead, k, o, xs, zx, ws, zw, with_bias):
    rng = np.random.RandomState(seed)
    wt = rand_storage(rng, ws, (o, k))
    bias = rng.randint(-3000, 3000, size=o).astype(np.int32)
    xq = qtype(xs, 0.05, zx)
    wq = qtype_axis(ws, 0, [0.01] * o, zw) if len(set(zw)) > 1 else qtype(
        ws, 0.01, zw[0])
    in_shape = (0,) + lead + (k,)
    out_shape = (0,) + lead + (o,)
    in_t = tensor(in_shape, boundary(xs), True)
    x_q_t = tensor(in_shape, xq, True)
    out_t = tensor(out_shape, "i32", True)
    w_s_t, w_q_t = tensor((o, k), boundary(ws)), tensor((o, k), wq)
    b_t = tensor((o,), "i32")
    bias_use = ", %b" if with_bias else ""
    bias_ty = ", " + b_t if with_bias else ""
    text = "\n".join([
        "func.func @main(%x: " + in_t + ") -> " + out_t + " {",
        "  %xq = mc.storage_cast %x : " + in_t + " -> " + x_q_t,
        "  %w = mc.constant dense<" + dense(wt) + "> : " + w_s_t,
        "  %wq = mc.storage_cast %w : " + w_s_t + " -> " + w_q_t,
        "  %b = mc.constant dense<" + dense(bias) + "> : " + b_t,
        "  %y = mc.qlinear %xq, %wq" + bias_use + " : (" + x_q_t + ", " +
        w_q_t + bias_ty + ") -> " + out_t,
        "  return %y : " + out_t,
        "}",
    ]) + "\n"

    def inputs(batch, r):
        return [rand_storage(r, xs, (batch,) + lead + (k,))]

    def reference(x):
        y = ref_matmul(x, zx, wt.T, zw)
        return y + bias if with_bias else y

    return text, inputs, reference


@case
def case_linear_3d():
    """mc.qlinear on a [N, 3, 17] u8 input (zero point 128), 17 -> 3, i8
    weights, bias."""
    return linear_case(6, (3,), 17, 3, "u8", 128, "i8", [0] * 3, True)


@case
def case_linear_zp_per_channel():
    """mc.qlinear on [N, 17] i8 input (zero point -1), 17 -> 5, i8 weights
    with a zero point per output channel, no bias."""
    return linear_case(7, (), 17, 5, "i8", -1, "i8", [0, 2, -3, 7, -128],
                       False)


@case
def case_matmul_broadcast():
    """mc.qmatmul [N, 1, 4, 5] u8 (zero point 7) x [3, 5, 6] i8 (zero point
    per column): the batch broadcasts to [N, 3]."""
    rng = np.random.RandomState(8)
    rhs = rand_storage(rng, "i8", (3, 5, 6))
    zb = [1, -2, 0, 3, 5, -7]
    lq = qtype("u8", 0.1, 7)
    rq = qtype_axis("i8", 2, [0.05] * 6, zb)
    in_t = tensor((0, 1, 4, 5), "ui8", True)
    l_q_t = tensor((0, 1, 4, 5), lq, True)
    r_s_t, r_q_t = tensor((3, 5, 6), "i8"), tensor((3, 5, 6), rq)
    out_t = tensor((0, 3, 4, 6), "i32", True)
    text = "\n".join([
        "func.func @main(%x: " + in_t + ") -> " + out_t + " {",
        "  %xq = mc.storage_cast %x : " + in_t + " -> " + l_q_t,
        "  %w = mc.constant dense<" + dense(rhs) + "> : " + r_s_t,
        "  %wq = mc.storage_cast %w : " + r_s_t + " -> " + r_q_t,
        "  %y = mc.qmatmul %xq, %wq : (" + l_q_t + ", " + r_q_t + ") -> " +
        out_t,
        "  return %y : " + out_t,
        "}",
    ]) + "\n"
    return (text, lambda b, r: [rand_storage(r, "u8", (b, 1, 4, 5))],
            lambda x: ref_matmul(x, 7, rhs, zb))


@case
def case_matmul_vector():
    """mc.qmatmul [N, 17] i8 (zero point 3) x [17] u8 (zero point 200): the
    1-D rhs is a column that is dropped again."""
    rng = np.random.RandomState(9)
    rhs = rand_storage(rng, "u8", (17,))
    lq, rq = qtype("i8", 0.1, 3), qtype("u8", 0.05, 200)
    in_t = tensor((0, 17), "i8", True)
    l_q_t = tensor((0, 17), lq, True)
    r_s_t, r_q_t = tensor((17,), "ui8"), tensor((17,), rq)
    out_t = tensor((0,), "i32", True)
    text = "\n".join([
        "func.func @main(%x: " + in_t + ") -> " + out_t + " {",
        "  %xq = mc.storage_cast %x : " + in_t + " -> " + l_q_t,
        "  %w = mc.constant dense<" + dense(rhs) + "> : " + r_s_t,
        "  %wq = mc.storage_cast %w : " + r_s_t + " -> " + r_q_t,
        "  %y = mc.qmatmul %xq, %wq : (" + l_q_t + ", " + r_q_t + ") -> " +
        out_t,
        "  return %y : " + out_t,
        "}",
    ]) + "\n"
    return (text, lambda b, r: [rand_storage(r, "i8", (b, 17))],
            lambda x: ref_matmul(x, 3, rhs, 200))


def quantize_case(storage, scale, zp, axis_scales=None, axis_zps=None):
    """float [N, 3, 5] -> mc.quantize -> storage. Inputs mix random values,
    exact halves of the scale (round half to even) and out-of-range values
    (saturation)."""
    if axis_scales is None:
        q = qtype(storage, scale, zp)
    else:
        q = qtype_axis(storage, 1, axis_scales, axis_zps)
    in_t = tensor((0, 3, 5), "f32", True)
    q_t = tensor((0, 3, 5), q, True)
    out_t = tensor((0, 3, 5), boundary(storage), True)
    text = "\n".join([
        "func.func @main(%x: " + in_t + ") -> " + out_t + " {",
        "  %q = mc.quantize %x : " + in_t + " -> " + q_t,
        "  %y = mc.storage_cast %q : " + q_t + " -> " + out_t,
        "  return %y : " + out_t,
        "}",
    ]) + "\n"
    lo, hi = (-128, 127) if storage == "i8" else (0, 255)

    def inputs(batch, r):
        x = r.standard_normal((batch, 3, 5)).astype(np.float32) * 3
        halves = (r.randint(-300, 300, size=x.shape) + 0.5) * np.float32(0.25)
        pick = r.randint(0, 3, size=x.shape)
        x = np.where(pick == 0, halves.astype(np.float32), x)
        x.reshape(-1)[0] = 1e9
        x.reshape(-1)[-1] = -1e9
        return [x.astype(np.float32)]

    def reference(x):
        if axis_scales is None:
            return ref_quantize(x, scale, zp, lo, hi)
        return ref_quantize(x, axis_scales, axis_zps, lo, hi, axis=1)

    return text, inputs, reference


@case
def case_quantize_u8():
    """mc.quantize per tensor to u8 (scale 0.25, zero point 128)."""
    return quantize_case("u8", 0.25, 128)


@case
def case_quantize_i8_axis():
    """mc.quantize per axis 1 to i8 (scales 0.25, 0.125, 0.0625; zero points
    -3, 0, 9)."""
    return quantize_case("i8", None, None, [0.25, 0.125, 0.0625], [-3, 0, 9])


def dequantize_case(storage, q, ref):
    in_t = tensor((0, 3, 5), boundary(storage), True)
    q_t = tensor((0, 3, 5), q, True)
    out_t = tensor((0, 3, 5), "f32", True)
    text = "\n".join([
        "func.func @main(%x: " + in_t + ") -> " + out_t + " {",
        "  %q = mc.storage_cast %x : " + in_t + " -> " + q_t,
        "  %y = mc.dequantize %q : " + q_t + " -> " + out_t,
        "  return %y : " + out_t,
        "}",
    ]) + "\n"
    return text, lambda b, r: [rand_storage(r, storage, (b, 3, 5))], ref


@case
def case_dequantize_u8():
    """mc.dequantize per tensor from u8 (scale 0.037, zero point 131)."""
    return dequantize_case("u8", qtype("u8", 0.037, 131),
                           lambda x: ref_dequantize(x, 0.037, 131))


@case
def case_dequantize_i8_axis():
    """mc.dequantize per axis 1 from i8 (scales 0.5, 0.013, 3.0; zero
    points 0, -100, 7)."""
    s, z = [0.5, 0.013, 3.0], [0, -100, 7]
    return dequantize_case("i8", qtype_axis("i8", 1, s, z),
                           lambda x: ref_dequantize(x, s, z, axis=1))


def pool_case(storage):
    """u8/i8 [N, 3, 7, 6] -> mc.max_pool2d 3x3 stride 2 pads 1 ceil_mode ->
    mc.flatten -> mc.reshape, all on quantized values."""
    kernel, strides, pads = (3, 3), (2, 2), (1, 1, 1, 1)
    q = qtype(storage, 0.1, 5 if storage == "i8" else 133)
    dummy = np.zeros((1, 3, 7, 6), np_dtype(storage))
    _, (oh, ow) = ref_max_pool(dummy, kernel, strides, pads, True)
    in_t = tensor((0, 3, 7, 6), boundary(storage), True)
    x_q_t = tensor((0, 3, 7, 6), q, True)
    p_q_t = tensor((0, 3, oh, ow), q, True)
    f_q_t = tensor((0, 3 * oh * ow), q, True)
    r_q_t = tensor((0, 3, oh * ow), q, True)
    out_t = tensor((0, 3, oh * ow), boundary(storage), True)
    text = "\n".join([
        "func.func @main(%x: " + in_t + ") -> " + out_t + " {",
        "  %xq = mc.storage_cast %x : " + in_t + " -> " + x_q_t,
        "  %p = mc.max_pool2d %xq {kernel = array<i64: 3, 3>, strides = "
        "array<i64: 2, 2>, pads = array<i64: 1, 1, 1, 1>, ceil_mode = true} "
        ": (" + x_q_t + ") -> " + p_q_t,
        "  %f = mc.flatten %p {axis = 1 : i64} : (" + p_q_t + ") -> " + f_q_t,
        "  %r = mc.reshape %f : " + f_q_t + " -> " + r_q_t,
        "  %y = mc.storage_cast %r : " + r_q_t + " -> " + out_t,
        "  return %y : " + out_t,
        "}",
    ]) + "\n"

    def reference(x):
        y, _ = ref_max_pool(x, kernel, strides, pads, True)
        return y.reshape(x.shape[0], 3, oh * ow)

    return (text, lambda b, r: [rand_storage(r, storage, (b, 3, 7, 6))],
            reference)


@case
def case_max_pool_u8():
    """Max pooling, flatten and reshape on u8 quantized values (unsigned
    comparison: 200 beats 100)."""
    return pool_case("u8")


@case
def case_max_pool_i8():
    """Max pooling, flatten and reshape on i8 quantized values."""
    return pool_case("i8")


@case
def case_flatten_linear():
    """u8 [N, 2, 3, 3] -> mc.flatten (quantized) -> mc.qlinear 18 -> 17."""
    rng = np.random.RandomState(10)
    wt = rand_storage(rng, "i8", (17, 18))
    xq, wq = qtype("u8", 0.1, 90), qtype("i8", 0.02, 0)
    in_t = tensor((0, 2, 3, 3), "ui8", True)
    x_q_t = tensor((0, 2, 3, 3), xq, True)
    f_q_t = tensor((0, 18), xq, True)
    w_s_t, w_q_t = tensor((17, 18), "i8"), tensor((17, 18), wq)
    out_t = tensor((0, 17), "i32", True)
    text = "\n".join([
        "func.func @main(%x: " + in_t + ") -> " + out_t + " {",
        "  %xq = mc.storage_cast %x : " + in_t + " -> " + x_q_t,
        "  %f = mc.flatten %xq {axis = 1 : i64} : (" + x_q_t + ") -> " + f_q_t,
        "  %w = mc.constant dense<" + dense(wt) + "> : " + w_s_t,
        "  %wq = mc.storage_cast %w : " + w_s_t + " -> " + w_q_t,
        "  %y = mc.qlinear %f, %wq : (" + f_q_t + ", " + w_q_t + ") -> " +
        out_t,
        "  return %y : " + out_t,
        "}",
    ]) + "\n"
    return (text, lambda b, r: [rand_storage(r, "u8", (b, 2, 3, 3))],
            lambda x: ref_matmul(x.reshape(x.shape[0], -1), 90, wt.T, 0))


# --------------------------------------------------------------------------
# Driver
# --------------------------------------------------------------------------


def run(cmd):
    p = subprocess.run(cmd, capture_output=True, text=True)
    if p.returncode != 0:
        sys.exit("quantized_ops.py: %s failed (%d):\n%s%s" %
                 (" ".join(cmd), p.returncode, p.stdout, p.stderr))


def run_case(name, workdir):
    text, inputs, reference = CASES[name]()
    model = os.path.join(workdir, name + ".mlir")
    lib = os.path.join(workdir, name + ".so")
    with open(model, "w") as f:
        f.write(text)
    run(["mc-compile", model, "-o", lib])
    for batch in (1, 3):
        rng = np.random.RandomState(1000 + batch)
        xs = inputs(batch, rng)
        cmd = ["mc-run", lib]
        for i, x in enumerate(xs):
            path = os.path.join(workdir, "%s.b%d.in%d.npy" % (name, batch, i))
            np.save(path, x)
            cmd += ["--input", path]
        out = os.path.join(workdir, "%s.b%d.out.npy" % (name, batch))
        run(cmd + ["--output", out])
        got = np.load(out)
        want = reference(*xs)
        if got.shape != want.shape:
            sys.exit("%s batch %d: shape %s, expected %s" %
                     (name, batch, got.shape, want.shape))
        if got.dtype.kind == "f":
            bad = int(np.sum(got.astype(np.float32).view(np.int32) !=
                             want.astype(np.float32).view(np.int32)))
        else:
            bad = int(np.sum(got.astype(np.int64) != want.astype(np.int64)))
        print("%s batch %d: %d values, %d mismatches" %
              (name, batch, want.size, bad))
        if bad:
            idx = np.argwhere(got.astype(np.float64) !=
                              want.astype(np.float64))[0]
            sys.exit("%s batch %d: first mismatch at %s: got %s, expected %s"
                     % (name, batch, tuple(idx), got[tuple(idx)],
                        want[tuple(idx)]))


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
