#!/usr/bin/env python3
"""Runs int8 matrix products and convolutions that mc lowers to the
runtime's microkernel (mc-cpu-pack-int8-weights, mc-cpu-int8-gemm-to-ukernel)
and compares them exactly with NumPy.

Usage:
  int8_gemm_ukernel.py --workdir DIR

Each case is a model with one mc.qlinear, mc.qmatmul (constant weight) or
mc.qconv2d (one group, through im2col) whose shapes exercise the kernel's
edges: one row and rows past the 8-row
register tile and the 64-row block, columns that fill no panel, part of a
panel and more than one 256-column block, reductions that are not
multiples of 4 or span several 512-byte slices, signed and unsigned
activations with zero points, signed weights including -128 and unsigned
weights with zero point 128, with and without bias. Every model runs with mc-run twice: with the kernel the CPU selects
(AVX-512 VNNI where available) and with MC_UKERNEL_PORTABLE=1 (the portable
C kernel). Prints one line per case, batch and kernel:

  CASE batch B kernel K: N values, 0 mismatches

and exits non-zero on the first mismatch. Run with Debian's /usr/bin/python3.
"""

import argparse
import os
import subprocess
import sys

import numpy as np

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from quantized_ops import (boundary, conv_case, dense, qtype,  # noqa: E402
                           rand_storage, ref_matmul, tensor)


def linear(seed, lead, k, n, xs, zx, ws, zw, with_bias, matmul=False):
    """mc.qlinear (weight [n, k]) or mc.qmatmul (rhs [k, n]) on a
    [batch, lead..., k] input."""
    rng = np.random.RandomState(seed)
    w = rand_storage(rng, ws, (n, k))
    bias = rng.randint(-100000, 100000, size=n).astype(np.int32)
    xq, wq = qtype(xs, 0.05, zx), qtype(ws, 0.01, zw)
    in_shape, out_shape = (0,) + lead + (k,), (0,) + lead + (n,)
    in_t = tensor(in_shape, boundary(xs), True)
    x_q_t = tensor(in_shape, xq, True)
    out_t = tensor(out_shape, "i32", True)
    stored = w.T.copy() if matmul else w
    w_s_t = tensor(stored.shape, boundary(ws))
    w_q_t = tensor(stored.shape, wq)
    b_t = tensor((n,), "i32")
    if matmul:
        op = ("  %y = mc.qmatmul %xq, %wq : (" + x_q_t + ", " + w_q_t +
              ") -> " + out_t)
    elif with_bias:
        op = ("  %y = mc.qlinear %xq, %wq, %b : (" + x_q_t + ", " + w_q_t +
              ", " + b_t + ") -> " + out_t)
    else:
        op = ("  %y = mc.qlinear %xq, %wq : (" + x_q_t + ", " + w_q_t +
              ") -> " + out_t)
    text = "\n".join([
        "func.func @main(%x: " + in_t + ") -> " + out_t + " {",
        "  %xq = mc.storage_cast %x : " + in_t + " -> " + x_q_t,
        "  %w = mc.constant dense<" + dense(stored) + "> : " + w_s_t,
        "  %wq = mc.storage_cast %w : " + w_s_t + " -> " + w_q_t,
        "  %b = mc.constant dense<" + dense(bias) + "> : " + b_t,
        op,
        "  return %y : " + out_t,
        "}",
    ]) + "\n"

    def inputs(batch, r):
        return rand_storage(r, xs, (batch,) + lead + (k,))

    def reference(x):
        y = ref_matmul(x, zx, w.T, zw)
        if with_bias and not matmul:
            y = y + bias
        # int32 accumulators wrap.
        return ((y + 2**31) % 2**32 - 2**31).astype(np.int64)

    return text, inputs, reference


def conv(*args):
    text, inputs, reference = conv_case(*args)
    return (text, lambda b, r: inputs(b, r)[0],
            lambda x: ((reference(x) + 2**31) % 2**32 - 2**31))


CASES = {
    # name: (arguments of linear, batches)
    "i8_k130_n100_bias": ((1, (), 130, 100, "i8", -5, "i8", 0, True),
                          (1, 37)),
    "u8_k64_n33_nozp": ((2, (), 64, 33, "u8", 0, "i8", 0, False), (1, 9)),
    "i8_k3_n1": ((3, (), 3, 1, "i8", 3, "i8", 0, True), (1, 5)),
    "u8zp_3d_k17_n17": ((4, (5,), 17, 17, "u8", 128, "i8", 0, True), (1, 3)),
    "u8w_zp128_k45_n70": ((5, (), 45, 70, "i8", 0, "u8", 128, True),
                          (1, 8)),
    "i8_k200_n300_blocks": ((6, (), 200, 300, "i8", 17, "i8", 0, True),
                            (1, 100)),
    "i8_k1100_n40_slices": ((11, (), 1100, 40, "i8", -2, "i8", 0, True),
                            (1, 11)),
    "matmul_u8_k31_n40": ((7, (), 31, 40, "u8", 7, "i8", 0, False, True),
                          (2, 70)),
    # conv: (seed, c, f, h, w, kernel, groups, strides, pads, dilations,
    # input storage and zero point, weight storage and zero points,
    # per-channel scales, bias)
    "conv_i8_c3_f40_s2_d2": (
        (8, 3, 40, 11, 9, (3, 3), 1, (2, 1), (1, 0, 2, 1), (1, 2), "i8", -9,
         "i8", [0] * 40, True, True), (1, 5)),
    "conv_u8_c16_f33_1x1": (
        (9, 16, 33, 7, 6, (1, 1), 1, (1, 1), (0, 0, 0, 0), (1, 1), "u8", 0,
         "i8", [0] * 33, True, False), (1, 2)),
    "conv_i8_c20_f70_3x3": (
        (10, 20, 70, 14, 14, (3, 3), 1, (1, 1), (1, 1, 1, 1), (1, 1), "i8", 5,
         "i8", [0], False, True), (1, 3)),
}


def run(cmd, env=None):
    p = subprocess.run(cmd, capture_output=True, text=True, env=env)
    if p.returncode != 0:
        sys.exit("int8_gemm_ukernel.py: %s failed (%d):\n%s%s" %
                 (" ".join(cmd), p.returncode, p.stdout, p.stderr))


def run_case(name, workdir):
    args, batches = CASES[name]
    build = conv if name.startswith("conv") else linear
    text, inputs, reference = build(*args)
    model = os.path.join(workdir, name + ".mlir")
    lib = os.path.join(workdir, name + ".so")
    with open(model, "w") as f:
        f.write(text)
    run(["mc-compile", model, "-o", lib])
    for batch in batches:
        x = inputs(batch, np.random.RandomState(2000 + batch))
        path = os.path.join(workdir, "%s.b%d.in.npy" % (name, batch))
        np.save(path, x)
        want = reference(x)
        for kernel in ("selected", "portable"):
            env = dict(os.environ)
            env.pop("MC_UKERNEL_PORTABLE", None)
            if kernel == "portable":
                env["MC_UKERNEL_PORTABLE"] = "1"
            out = os.path.join(workdir,
                               "%s.b%d.%s.out.npy" % (name, batch, kernel))
            run(["mc-run", lib, "--input", path, "--output", out], env)
            got = np.load(out).astype(np.int64)
            if got.shape != want.shape:
                sys.exit("%s batch %d: shape %s, expected %s" %
                         (name, batch, got.shape, want.shape))
            bad = int(np.sum(got != want))
            print("%s batch %d kernel %s: %d values, %d mismatches" %
                  (name, batch, kernel, want.size, bad))
            if bad:
                idx = tuple(np.argwhere(got != want)[0])
                sys.exit("%s: first mismatch at %s: got %d, expected %d" %
                         (name, idx, got[idx], want[idx]))


def main(argv=None):
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--workdir", required=True)
    a = p.parse_args(argv)
    os.makedirs(a.workdir, exist_ok=True)
    for name in CASES:
        run_case(name, a.workdir)
    return 0


if __name__ == "__main__":
    sys.exit(main())
