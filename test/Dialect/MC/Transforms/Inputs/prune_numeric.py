#!/usr/bin/env python3
"""Numeric checks of mc-prune on random layers (run by mc-prune-numeric.test).

  prune_numeric.py layers  MC_OPT TMPDIR
      random mc.linear / mc.conv2d layers through every method x pattern;
      checks with NumPy that the achieved sparsity is round(s * n), that N:M
      holds in every group along the reduction dimension, that the kept
      weights are exactly the top scores (|W| or |W| * ||X||) of each layer
      (magnitude), of the function (global), of each row (wanda) or of each
      group of M (N:M), that kept weights are unchanged, and that
      mc.sparsity records the zero fraction.
  prune_numeric.py channel MC_OPT MC_COMPILE MC_RUN TMPDIR
      pattern=channel on conv -> bn -> relu -> pool -> conv -> relu ->
      flatten -> linear: the kept filters are the largest-norm ones, and the
      shrunk model compiled by mc-compile computes (mc-run) what the original
      computes with the removed channels' inputs to their consumers zeroed.

Prints one "ok: ..." line per check and exits 1 on the first failure.
Run with Debian's /usr/bin/python3 (numpy).
"""

import os
import re
import subprocess
import sys

import numpy as np


def fail(msg):
    print("FAIL: " + msg)
    sys.exit(1)


# ----------------------------------------------------------------------------
# Writing and reading mc IR
# ----------------------------------------------------------------------------


def tensor_type(shape):
    return "tensor<" + "x".join(str(d) for d in shape) + "xf32>"


def literal(array):
    """An exact f32 dense literal (raw little-endian bytes as hex)."""
    a = np.ascontiguousarray(array, dtype="<f4")
    return 'dense<"0x%s"> : %s' % (a.tobytes().hex().upper(), tensor_type(a.shape))


def parse_values(attr, shape, resources):
    n = int(np.prod(shape))
    m = re.match(r'dense_resource<([^>]+)>', attr)
    if m:
        blob = bytes.fromhex(resources[m.group(1)][2:])
        return np.frombuffer(blob[4:], dtype="<f4").reshape(shape)  # 4: alignment
    m = re.match(r'dense<"0x([0-9A-Fa-f]+)">', attr)
    if m:
        return np.frombuffer(bytes.fromhex(m.group(1)), dtype="<f4").reshape(shape)
    m = re.match(r'dense<(.*)>$', attr)
    body = m.group(1)
    values = [float(v) for v in re.findall(r'[-+0-9.eE]+|nan|inf', body.replace("[", " ").replace("]", " "))]
    if len(values) == 1:
        values = values * n
    return np.array(values, dtype=np.float32).reshape(shape)


def parse_module(text):
    """{ssa name: array} for every mc.constant and the list of layer ops
    (kind, weight name, attribute text, result shape) in program order."""
    resources = dict(re.findall(r'^\s*([\w.]+): "(0x[0-9A-Fa-f]*)"', text, re.M))
    consts, layers = {}, []
    for line in text.splitlines():
        m = re.match(r'\s*(%\w+) = mc\.constant (.*) : tensor<([0-9x]+)xf32>$', line)
        if m:
            shape = [int(d) for d in m.group(3).split("x")]
            consts[m.group(1)] = parse_values(m.group(2), shape, resources)
            continue
        m = re.match(r'\s*%\w+ = mc\.(linear|conv2d) %\w+, (%\w+)(, %\w+)?\s*(\{.*\})?\s*:', line)
        if m:
            layers.append((m.group(1), m.group(2), m.group(3), m.group(4) or ""))
    return consts, layers


def run(cmd, **kw):
    r = subprocess.run(cmd, capture_output=True, text=True, **kw)
    if r.returncode != 0:
        fail("%s failed:\n%s" % (" ".join(cmd), r.stderr))
    return r.stdout


# ----------------------------------------------------------------------------
# Layers
# ----------------------------------------------------------------------------


def linear_case(rng, out_f, in_f, with_norms):
    w = rng.standard_normal((out_f, in_f)).astype(np.float32)
    norms = rng.uniform(0.1, 4.0, in_f).astype(np.float32)
    attr = " {mc.calib_col_norm = %s}" % literal(norms) if with_norms else ""
    func = ("func.func @f(%%x: tensor<?x%dxf32>) -> tensor<?x%dxf32> {\n"
            "  %%w = mc.constant %s\n"
            "  %%y = mc.linear %%x, %%w%s : (tensor<?x%dxf32>, %s) -> tensor<?x%dxf32>\n"
            "  return %%y : tensor<?x%dxf32>\n}\n" %
            (in_f, out_f, literal(w), attr, in_f, tensor_type(w.shape), out_f, out_f))
    return func, [dict(w=w, norms=norms, groups=1)]


def conv_case(rng, f, c, k, groups, with_norms):
    w = rng.standard_normal((f, c // groups, k, k)).astype(np.float32)
    norms = rng.uniform(0.1, 4.0, (c, k, k)).astype(np.float32)
    attr = ", mc.calib_col_norm = %s" % literal(norms) if with_norms else ""
    h = 6
    o = h - k + 1
    func = ("func.func @f(%%x: tensor<?x%dx%dx%dxf32>) -> tensor<?x%dx%dx%dxf32> {\n"
            "  %%w = mc.constant %s\n"
            "  %%y = mc.conv2d %%x, %%w {groups = %d : i64%s} : (tensor<?x%dx%dx%dxf32>, %s) -> tensor<?x%dx%dx%dxf32>\n"
            "  return %%y : tensor<?x%dx%dx%dxf32>\n}\n" %
            (c, h, h, f, o, o, literal(w), groups, attr, c, h, h, tensor_type(w.shape), f, o, o, f, o, o))
    return func, [dict(w=w, norms=norms, groups=groups)]


def two_linears(rng):
    w1 = (rng.standard_normal((12, 20)) * 2.0).astype(np.float32)
    w2 = (rng.standard_normal((5, 12)) * 0.5).astype(np.float32)
    func = ("func.func @f(%%x: tensor<?x20xf32>) -> tensor<?x5xf32> {\n"
            "  %%w1 = mc.constant %s\n"
            "  %%h = mc.linear %%x, %%w1 : (tensor<?x20xf32>, tensor<12x20xf32>) -> tensor<?x12xf32>\n"
            "  %%w2 = mc.constant %s\n"
            "  %%y = mc.linear %%h, %%w2 : (tensor<?x12xf32>, tensor<5x12xf32>) -> tensor<?x5xf32>\n"
            "  return %%y : tensor<?x5xf32>\n}\n" % (literal(w1), literal(w2)))
    return func, [dict(w=w1, norms=None, groups=1), dict(w=w2, norms=None, groups=1)]


def scores_of(layer, method):
    w = layer["w"]
    rows = w.shape[0]
    mat = np.abs(w.reshape(rows, -1)).astype(np.float32)
    if method == "magnitude":
        return mat
    cols = mat.shape[1]
    norms = layer["norms"].reshape(layer["groups"], cols)
    per_row = np.repeat(norms, rows // layer["groups"], axis=0)
    return (mat * per_row).astype(np.float32)


def lowest_mask(scores, k):
    """The k lowest of a flat array, ties to the lower index (the pass's rule)."""
    order = np.lexsort((np.arange(scores.size), scores))
    mask = np.zeros(scores.size, dtype=bool)
    mask[order[:k]] = True
    return mask


def round_half_up(x):
    return int(np.floor(x + 0.5))


def expected_masks(layers, method, pattern, sparsity, scope):
    """The removal mask of each layer as NumPy computes it."""
    scores = [scores_of(l, method) for l in layers]
    if pattern != "unstructured":
        n, m = (int(v) for v in pattern.split(":"))
        out = []
        for s in scores:
            groups = s.reshape(-1, m)
            mask = np.stack([lowest_mask(g, m - n) for g in groups])
            out.append(mask.reshape(s.shape))
        return out
    if scope == "global":
        flat = np.concatenate([s.ravel() for s in scores])
        mask = lowest_mask(flat, round_half_up(sparsity * flat.size))
        out, off = [], 0
        for s in scores:
            out.append(mask[off:off + s.size].reshape(s.shape))
            off += s.size
        return out
    if method == "wanda":
        return [np.stack([lowest_mask(r, round_half_up(sparsity * r.size)) for r in s])
                for s in scores]
    return [lowest_mask(s.ravel(), round_half_up(sparsity * s.size)).reshape(s.shape)
            for s in scores]


def check_layers(mc_opt, tmp):
    rng = np.random.default_rng(2023)
    cases = []
    for method in ("magnitude", "wanda"):
        norms = method == "wanda"
        for pattern, sparsity in (("unstructured", 0.3), ("unstructured", 0.5),
                                  ("unstructured", 0.9), ("2:4", None), ("4:8", None)):
            cases.append((method, pattern, sparsity, "layer", "linear",
                          linear_case(rng, 16, 32, norms)))
            cases.append((method, pattern, sparsity, "layer", "conv2d",
                          conv_case(rng, 8, 8, 3, 1, norms)))
            cases.append((method, pattern, sparsity, "layer", "grouped conv2d",
                          conv_case(rng, 8, 8, 2, 2, norms)))
    for sparsity in (0.4, 0.75):
        cases.append(("magnitude", "unstructured", sparsity, "global", "two linears",
                      two_linears(rng)))
    for i, (method, pattern, sparsity, scope, what, (func, layers)) in enumerate(cases):
        opts = "method=%s pattern=%s scope=%s" % (method, pattern, scope)
        if sparsity is not None:
            opts += " sparsity=%g" % sparsity
        path = os.path.join(tmp, "layers%d.mlir" % i)
        with open(path, "w") as f:
            f.write(func)
        out = run([mc_opt, path, "--mc-prune=" + opts])
        consts, found = parse_module(out)
        if len(found) != len(layers):
            fail("%s %s: %d layers in the output" % (what, opts, len(found)))
        masks = expected_masks(layers, method, pattern, sparsity or 0.5, scope)
        for layer, (kind, wname, _, attrs), mask in zip(layers, found, masks):
            w = layer["w"].reshape(layer["w"].shape[0], -1)
            got = consts[wname].reshape(w.shape)
            zeros = got == 0
            if not np.array_equal(zeros, mask):
                fail("%s %s: pruned weights are not the lowest scores" % (what, opts))
            if not np.array_equal(got[~zeros], w[~zeros]):
                fail("%s %s: a kept weight changed" % (what, opts))
            if pattern != "unstructured":
                n, m = (int(v) for v in pattern.split(":"))
                if (np.count_nonzero(got.reshape(-1, m), axis=1) > n).any():
                    fail("%s %s: a group breaks %s" % (what, opts, pattern))
            elif scope == "layer":
                per = w.shape[1] if method == "wanda" else w.size
                k = round_half_up(sparsity * per)
                counts = zeros.sum(axis=1) if method == "wanda" else zeros.sum()
                if not np.all(counts == k):
                    fail("%s %s: %s zeros, expected %d" % (what, opts, counts, k))
            m = re.search(r'sparsity = ([-+0-9.e]+) : f64', attrs)
            recorded = float(m.group(1)) if m else None
            if recorded is None or abs(recorded - zeros.mean()) > 1e-12:
                fail("%s %s: mc.sparsity says %s, zero fraction %g" % (what, opts, recorded, zeros.mean()))
            if pattern not in attrs:
                fail("%s %s: mc.sparsity does not name the pattern" % (what, opts))
        if scope == "global":
            total = sum(l["w"].size for l in layers)
            zeros = sum(int((consts[f[1]] == 0).sum()) for f in found)
            if zeros != round_half_up(sparsity * total):
                fail("global %s: %d zeros of %d" % (opts, zeros, total))
        print("ok: %s %s" % (what, opts))


# ----------------------------------------------------------------------------
# Channel pruning, compiled and run
# ----------------------------------------------------------------------------

CHANNEL_MODEL = """\
func.func @main(%x: tensor<?x3x8x8xf32> {{mc.name = "x"}}) -> (tensor<?x10xf32> {{mc.name = "y"}}) {{
  %w1 = mc.constant {w1}
  %b1 = mc.constant {b1}
  %c1 = mc.conv2d %x, %w1, %b1 {{pads = array<i64: 1, 1, 1, 1>}} : (tensor<?x3x8x8xf32>, tensor<8x3x3x3xf32>, tensor<8xf32>) -> tensor<?x8x8x8xf32>
  %g = mc.constant {g}
  %beta = mc.constant {beta}
  %mean = mc.constant {mean}
  %var = mc.constant {var}
  %n = mc.batch_norm %c1, %g, %beta, %mean, %var : tensor<?x8x8x8xf32>, tensor<8xf32>, tensor<8xf32>, tensor<8xf32>, tensor<8xf32>
  %r = mc.relu %n : tensor<?x8x8x8xf32>
  %p = mc.max_pool2d %r {{kernel = array<i64: 2, 2>, strides = array<i64: 2, 2>}} : (tensor<?x8x8x8xf32>) -> tensor<?x8x4x4xf32>
  %w2 = mc.constant {w2}
  %b2 = mc.constant {b2}
  %c2 = mc.conv2d %p, %w2, %b2 : (tensor<?x8x4x4xf32>, tensor<6x8x3x3xf32>, tensor<6xf32>) -> tensor<?x6x2x2xf32>
  %r2 = mc.relu %c2 : tensor<?x6x2x2xf32>
  %f = mc.flatten %r2 : (tensor<?x6x2x2xf32>) -> tensor<?x24xf32>
  %w3 = mc.constant {w3}
  %b3 = mc.constant {b3}
  %y = mc.linear %f, %w3, %b3 : (tensor<?x24xf32>, tensor<10x24xf32>, tensor<10xf32>) -> tensor<?x10xf32>
  return %y : tensor<?x10xf32>
}}
"""


def check_channel(mc_opt, mc_compile, mc_run, tmp):
    rng = np.random.default_rng(7)
    p = dict(
        w1=rng.standard_normal((8, 3, 3, 3)) * rng.uniform(0.2, 2.0, (8, 1, 1, 1)),
        b1=rng.standard_normal(8), g=rng.uniform(0.5, 1.5, 8),
        beta=rng.standard_normal(8) * 0.1, mean=rng.standard_normal(8) * 0.1,
        var=rng.uniform(0.5, 2.0, 8),
        w2=rng.standard_normal((6, 8, 3, 3)) * rng.uniform(0.2, 2.0, (6, 1, 1, 1)),
        b2=rng.standard_normal(6), w3=rng.standard_normal((10, 24)),
        b3=rng.standard_normal(10))
    p = {k: v.astype(np.float32) for k, v in p.items()}
    model = os.path.join(tmp, "channel.mlir")
    with open(model, "w") as f:
        f.write(CHANNEL_MODEL.format(**{k: literal(v) for k, v in p.items()}))
    out = run([mc_opt, model, "--mc-prune=pattern=channel sparsity=0.5"])
    pruned = os.path.join(tmp, "channel-pruned.mlir")
    with open(pruned, "w") as f:
        f.write(out)
    consts, layers = parse_module(out)
    w1, w2, w3 = (consts[l[1]] for l in layers)

    # Kept filters: the largest L2 norms, in their original order.
    keep1 = np.sort(np.argsort(-np.linalg.norm(p["w1"].reshape(8, -1), axis=1), kind="stable")[:4])
    keep2 = np.sort(np.argsort(-np.linalg.norm(p["w2"].reshape(6, -1), axis=1), kind="stable")[:3])
    if w1.shape != (4, 3, 3, 3) or not np.array_equal(w1, p["w1"][keep1]):
        fail("channel: conv1 does not keep its 4 largest-norm filters")
    if w2.shape != (3, 4, 3, 3) or not np.array_equal(w2, p["w2"][keep2][:, keep1]):
        fail("channel: conv2 does not keep its 3 largest-norm filters of the kept inputs")
    cols = (keep2[:, None] * 4 + np.arange(4)).ravel()
    if w3.shape != (10, 12) or not np.array_equal(w3, p["w3"][:, cols]):
        fail("channel: the linear layer does not keep the kept channels' C*H*W columns")
    print("ok: channel pruning keeps the largest-norm filters (conv1 %s, conv2 %s)" %
          (list(keep1), list(keep2)))

    # Reference: the original model with the removed channels' inputs to
    # their consumers zeroed, which must compute exactly what the shrunk
    # model computes.
    ref = dict(p)
    drop1 = np.setdiff1d(np.arange(8), keep1)
    drop2 = np.setdiff1d(np.arange(6), keep2)
    ref["w2"] = p["w2"].copy()
    ref["w2"][:, drop1] = 0
    ref["w3"] = p["w3"].copy()
    ref["w3"][:, (drop2[:, None] * 4 + np.arange(4)).ravel()] = 0
    zeroed = os.path.join(tmp, "channel-zeroed.mlir")
    with open(zeroed, "w") as f:
        f.write(CHANNEL_MODEL.format(**{k: literal(v) for k, v in ref.items()}))
    x = rng.standard_normal((5, 3, 8, 8)).astype(np.float32)
    np.save(os.path.join(tmp, "x.npy"), x)
    outputs = {}
    for name, path in (("pruned", pruned), ("zeroed", zeroed), ("original", model)):
        lib = os.path.join(tmp, name + ".so")
        run([mc_compile, path, "-o", lib])
        y = os.path.join(tmp, name + ".y.npy")
        run([mc_run, lib, "--input", os.path.join(tmp, "x.npy"), "--output", y])
        outputs[name] = np.load(y)
    diff = np.abs(outputs["pruned"] - outputs["zeroed"]).max()
    if not diff <= 1e-4:
        fail("channel: pruned model differs from the zeroed original by %g" % diff)
    if np.abs(outputs["pruned"] - outputs["original"]).max() < 1e-3:
        fail("channel: pruning changed nothing (the comparison would prove nothing)")
    print("ok: shrunk model == original with removed channels zeroed (max |diff| %.3g)" % diff)


def main(argv):
    if argv[1] == "layers":
        check_layers(argv[2], argv[3])
    elif argv[1] == "channel":
        check_channel(argv[2], argv[3], argv[4], argv[5])
    else:
        fail("unknown command " + argv[1])


if __name__ == "__main__":
    main(sys.argv)
