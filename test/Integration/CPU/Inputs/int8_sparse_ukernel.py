#!/usr/bin/env python3
"""Runs int8 products with 2:4 / 4:8 sparse constant weights through mc's
compressed microkernels (mc-cpu-int8-gemm-to-ukernel sparse=...,
runtime/ukernels/i8mm_sparse.c) and compares them exactly with NumPy and
with the dense kernel.

Usage:
  int8_sparse_ukernel.py --workdir DIR

Each case is a model with one mc.qlinear or mc.qmatmul (constant weight)
whose weight is pruned to N of every M along the reduction (zero = the weight zero point), with odd shapes: reductions that
are not multiples of 4 or 8 (a half last block), span several 512-k slices
of the kernel, columns that fill no panel or more than one 256-column
block, rows past the 8-row tile and the 64-row block. Each model is
compiled twice, with --int8-sparse=auto (the compressed kernel) and
--int8-sparse=never (the dense kernel), and every library runs with the
kernel the CPU selects and with MC_UKERNEL_PORTABLE=1. Prints

  CASE batch B sparse S kernel K: N values, 0 mismatches

(S: auto or never) and exits non-zero on the first mismatch; the sparse and
dense libraries are also compared with each other. Run with Debian's
/usr/bin/python3.
"""

import argparse
import os
import subprocess
import sys

import numpy as np

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import quantized_ops  # noqa: E402
from int8_gemm_ukernel import linear  # noqa: E402


def prune(w, zero, n, m, rng, extra=0):
    """Keeps n random weights of every m consecutive along the reduction
    (all axes but the first: [N, K] or [F, C, KH, KW]) of `w` (the others
    become `zero`); `extra` more kept in the first group of row 0 (to break
    the pattern)."""
    w = w.copy()
    flat = w.reshape(w.shape[0], -1)
    k = flat.shape[1]
    for row in range(flat.shape[0]):
        for g in range(0, k, m):
            size = min(m, k - g)
            keep = n + (extra if row == 0 and g == 0 else 0)
            drop = rng.permutation(size)[keep:]
            flat[row, g + drop] = zero
    return flat.reshape(w.shape)


def pruned_rand_storage(n, m, zero, extra=0):
    """quantized_ops.rand_storage, pruning the first (weight) draw."""
    original = quantized_ops.rand_storage
    calls = [0]

    def draw(rng, storage, shape):
        v = original(rng, storage, shape)
        calls[0] += 1
        if calls[0] == 1:
            v = prune(v, zero, n, m, np.random.RandomState(99), extra)
        return v
    return original, draw


def sparse_case(kind, n, m, zero, args, extra=0):
    """The model text, inputs and reference of `kind` (linear: mc.qlinear or
    mc.qmatmul) with its weight pruned to n:m."""
    import int8_gemm_ukernel
    original, draw = pruned_rand_storage(n, m, zero, extra)
    int8_gemm_ukernel.rand_storage = draw
    quantized_ops.rand_storage = draw
    try:
        assert kind == "linear"
        return linear(*args)
    finally:
        int8_gemm_ukernel.rand_storage = original
        quantized_ops.rand_storage = original


CASES = {
    # name: (kind, n, m, zero storage value, arguments, batches, extra)
    "s24_i8_k130_n100_bias": ("linear", 2, 4, 0,
                              (21, (), 130, 100, "i8", -5, "i8", 0, True),
                              (1, 37)),
    "s48_u8_k64_n33_nozp": ("linear", 4, 8, 0,
                            (22, (), 64, 33, "u8", 0, "i8", 0, False), (1, 9)),
    "s24_i8_k3_n1": ("linear", 2, 4, 0, (23, (), 3, 1, "i8", 3, "i8", 0, True),
                     (1, 5)),
    "s24_u8zp_3d_k17_n17": ("linear", 2, 4, 0,
                            (24, (5,), 17, 17, "u8", 128, "i8", 0, True),
                            (1, 3)),
    "s24_u8w_zp128_k45_n70": ("linear", 2, 4, 128,
                              (25, (), 45, 70, "i8", 0, "u8", 128, True),
                              (1, 8)),
    "s24_i8_k200_n300_blocks": ("linear", 2, 4, 0,
                                (26, (), 200, 300, "i8", 17, "i8", 0, True),
                                (1, 100)),
    "s48_i8_k1100_n40_slices": ("linear", 4, 8, 0,
                                (27, (), 1100, 40, "i8", -2, "i8", 0, True),
                                (1, 11)),
    "s24_matmul_u8_k31_n40": ("linear", 2, 4, 0,
                              (28, (), 31, 40, "u8", 7, "i8", 0, False, True),
                              (2, 70)),
    # 5 non-zeros in the first 8 k of column 0: not 4-of-8, stays dense.
    "dense_s24_plus1_k64_n48": ("linear", 2, 4, 0,
                                (30, (), 64, 48, "i8", 1, "i8", 0, True),
                                (1, 9), 1),
}


def run(cmd, env=None):
    p = subprocess.run(cmd, capture_output=True, text=True, env=env)
    if p.returncode != 0:
        sys.exit("int8_sparse_ukernel.py: %s failed (%d):\n%s%s" %
                 (" ".join(cmd), p.returncode, p.stdout, p.stderr))


def run_case(name, workdir):
    kind, n, m, zero, args, batches, *extra = CASES[name]
    text, inputs, reference = sparse_case(kind, n, m, zero, args, *extra)
    model = os.path.join(workdir, name + ".mlir")
    with open(model, "w") as f:
        f.write(text)
    libs = {}
    for sparse in ("auto", "never"):
        libs[sparse] = os.path.join(workdir, "%s.%s.so" % (name, sparse))
        run(["mc-compile", model, "--int8-sparse=" + sparse, "-o",
             libs[sparse]])
    for batch in batches:
        x = inputs(batch, np.random.RandomState(3000 + batch))
        path = os.path.join(workdir, "%s.b%d.in.npy" % (name, batch))
        np.save(path, x)
        want = reference(x)
        outs = []
        for sparse in ("auto", "never"):
            for kernel in ("selected", "portable"):
                env = dict(os.environ)
                env.pop("MC_UKERNEL_PORTABLE", None)
                if kernel == "portable":
                    env["MC_UKERNEL_PORTABLE"] = "1"
                out = os.path.join(workdir, "%s.b%d.%s.%s.out.npy" %
                                   (name, batch, sparse, kernel))
                run(["mc-run", libs[sparse], "--input", path, "--output",
                     out], env)
                got = np.load(out).astype(np.int64)
                if got.shape != want.shape:
                    sys.exit("%s batch %d: shape %s, expected %s" %
                             (name, batch, got.shape, want.shape))
                bad = int(np.sum(got != want))
                print("%s batch %d sparse %s kernel %s: %d values, "
                      "%d mismatches" % (name, batch, sparse, kernel,
                                         want.size, bad))
                if bad:
                    idx = tuple(np.argwhere(got != want)[0])
                    sys.exit("%s: first mismatch at %s: got %d, expected %d"
                             % (name, idx, got[idx], want[idx]))
                outs.append(got)
        if any(not np.array_equal(outs[0], o) for o in outs[1:]):
            sys.exit("%s batch %d: the libraries disagree" % (name, batch))


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
