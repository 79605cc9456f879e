#!/usr/bin/env python3
"""Numeric checks of mc-lowrank against NumPy.

  lowrank_numeric.py factors WORKDIR
      Random f32 weights (linear and conv, wide and tall, flat and decaying
      spectra) go through `mc-opt --mc-lowrank` under several rank rules.
      For every layer the script checks, with NumPy's own SVD in float64:
        - the rank is the one the rule defines (ratio: ceil(ratio·min(m, n));
          energy: the smallest r whose sum of σ² reaches energy·total), and
          the layer is split exactly when r·(m + n) < m·n;
        - A·B is NumPy's best rank-r approximation W_r (Eckart–Young) and
          ‖W − A·B‖_F² is the sum of the dropped σ²;
        - the recorded `mc.lowrank` energy is the kept fraction of σ².

  lowrank_numeric.py compiled WORKDIR
      A small CNN (conv 3×3 -> relu -> flatten -> linear -> relu -> linear)
      whose weights have a known, decaying spectrum of rank 6 (up to f32
      rounding) is compiled by mc-compile and run by mc-run as it is and
      after mc-lowrank at several energies. At energy 1 every layer is split
      (rank 6) and the output equals the original one within 1e-4; at lower
      energies the output equals NumPy's evaluation of the network with
      each weight replaced by its best rank-r approximation (1e-4), and
      the distance to the original output grows as the energy drops.

Prints one line per check group and "ok" at the end; exits 1 on the first
failure. Tools (mc-opt, mc-compile, mc-run) are taken from PATH.
Run with Debian's /usr/bin/python3 (numpy).
"""

import math
import os
import re
import subprocess
import sys

import numpy as np


def fail(msg):
    print("FAIL: " + msg)
    sys.exit(1)


# ---------------------------------------------------------------- IR helpers

def tensor_type(shape):
    return "tensor<" + "x".join(str(d) for d in shape) + "xf32>"


def blob_hex(array):
    """dense_resource blob text: 4-byte alignment header, little-endian f32."""
    data = np.ascontiguousarray(array, dtype="<f4").tobytes()
    return "0x04000000" + data.hex().upper()


def parse_resources(text):
    """name -> raw f32 values of every builtin dialect resource."""
    out = {}
    for name, hexdata in re.findall(r'^\s*([\w.]+): "0x([0-9A-Fa-f]+)"', text,
                                    re.M):
        raw = bytes.fromhex(hexdata)[4:]
        out[name] = np.frombuffer(raw, dtype="<f4").astype(np.float64)
    return out


def parse_dense_literal(body, shape):
    """Values of `dense<...>` (nested lists or a splat)."""
    if body.startswith("["):
        return np.array(eval(body), dtype=np.float64).reshape(shape)
    return np.full(shape, float(body), dtype=np.float64)


def parse_func(text):
    """Constants and layers of the printed module (one function)."""
    resources = parse_resources(text)
    consts = {}
    for m in re.finditer(
            r"(%\w+) = mc\.constant (dense_resource<([\w.]+)>|dense<(.*?)>) "
            r": tensor<([0-9x]+)xf32>", text):
        shape = [int(d) for d in m.group(5).split("x")]
        if m.group(3):
            consts[m.group(1)] = resources[m.group(3)].reshape(shape)
        else:
            consts[m.group(1)] = parse_dense_literal(m.group(4), shape)
    layers = []
    for m in re.finditer(
            r"(%\w+) = mc\.(linear|conv2d) (%\w+), (%\w+)(?:, (%\w+))?"
            r"(?: \{(.*)\})? : \(", text):
        attrs = m.group(6) or ""
        rank = re.search(r"rank = (\d+) : i64", attrs)
        energy = re.search(r"energy = ([0-9.e+-]+) : f64", attrs)
        layers.append(dict(result=m.group(1), kind=m.group(2),
                           input=m.group(3), weight=m.group(4),
                           bias=m.group(5),
                           rank=int(rank.group(1)) if rank else None,
                           energy=float(energy.group(1)) if energy else None))
    return consts, layers


def run(cmd):
    proc = subprocess.run(cmd, capture_output=True, text=True)
    if proc.returncode != 0:
        fail("%s exited %d:\n%s" % (" ".join(cmd), proc.returncode,
                                   proc.stderr))
    return proc.stdout


# ----------------------------------------------------------- the rank rules

def rule_rank(sigma, ratio=None, energy=None):
    k = len(sigma)
    if ratio is not None:
        return min(k, max(1, math.ceil(ratio * k - 1e-9)))
    sq = sigma.astype(np.float64) ** 2
    total = sq.sum()
    cum = np.cumsum(sq)
    for r in range(1, k + 1):
        if cum[r - 1] >= (energy - 1e-12) * total:
            return r
    return k


def best_rank(w2d, r):
    u, s, vt = np.linalg.svd(w2d.astype(np.float64), full_matrices=False)
    return (u[:, :r] * s[:r]) @ vt[:r], s


def spectrum_matrix(rng, rows, cols, sigma):
    """rows×cols matrix U diag(sigma) Vᵀ with random orthonormal U, V."""
    k = len(sigma)
    u, _ = np.linalg.qr(rng.standard_normal((rows, k)))
    v, _ = np.linalg.qr(rng.standard_normal((cols, k)))
    return ((u * sigma) @ v.T).astype(np.float32)


# ------------------------------------------------------------ factors check

def factors(workdir):
    rng = np.random.default_rng(2026)
    # (name, kind, weight shape, weight)
    layers = []
    layers.append(("wide", "linear", (24, 40),
                   rng.standard_normal((24, 40)).astype(np.float32)))
    layers.append(("tall", "linear", (50, 20),
                   rng.standard_normal((50, 20)).astype(np.float32)))
    decay = 0.8 ** np.arange(30)
    layers.append(("decay", "linear", (30, 36),
                   spectrum_matrix(rng, 30, 36, decay)))
    conv = spectrum_matrix(rng, 16, 8 * 9, 0.7 ** np.arange(16))
    layers.append(("conv", "conv2d", (16, 8, 3, 3), conv.reshape(16, 8, 3, 3)))

    lines, blobs = [], []
    args = []
    for i, (name, kind, shape, w) in enumerate(layers):
        if kind == "linear":
            args.append("%%x%d: tensor<?x%dxf32>" % (i, shape[1]))
        else:
            args.append("%%x%d: tensor<?x8x6x6xf32>" % i)
    results = []
    for i, (name, kind, shape, w) in enumerate(layers):
        lines.append("  %%w%d = mc.constant dense_resource<%s.weight> : %s"
                     % (i, name, tensor_type(shape)))
        blobs.append('      %s.weight: "%s"' % (name, blob_hex(w)))
        if kind == "linear":
            rt = "tensor<?x%dxf32>" % shape[0]
            lines.append('  %%y%d = mc.linear %%x%d, %%w%d : (tensor<?x%dxf32>, '
                         '%s) -> %s loc("%s")' % (i, i, i, shape[1],
                                                 tensor_type(shape), rt, name))
        else:
            rt = "tensor<?x16x6x6xf32>"
            lines.append('  %%y%d = mc.conv2d %%x%d, %%w%d {pads = array<i64: '
                         '1, 1, 1, 1>} : (tensor<?x8x6x6xf32>, %s) -> %s '
                         'loc("%s")' % (i, i, i, tensor_type(shape), rt, name))
        results.append(("%%y%d" % i, rt))
    text = ("func.func @main(%s) -> (%s) {\n%s\n  return %s : %s\n}\n"
            "{-#\n  dialect_resources: {\n    builtin: {\n%s\n    }\n  }\n#-}\n"
            % (", ".join(args), ", ".join(t for _, t in results),
               "\n".join(lines), ", ".join(v for v, _ in results),
               ", ".join(t for _, t in results), ",\n".join(blobs)))
    src = os.path.join(workdir, "factors.mlir")
    with open(src, "w") as f:
        f.write(text)

    rules = [dict(ratio=0.1), dict(ratio=0.25), dict(ratio=0.5),
             dict(energy=0.5), dict(energy=0.9), dict(energy=0.99),
             dict(energy=1.0)]
    for rule in rules:
        opt = ("rank-ratio=%g" % rule["ratio"] if "ratio" in rule
               else "energy=%g" % rule["energy"])
        out = run(["mc-opt", src, "--mc-lowrank=" + opt])
        consts, ops = parse_func(out)
        by_result = {op["result"]: op for op in ops}
        # Follow each returned value back: one layer (left alone) or two.
        ret = re.search(r"return (.*?) :", out).group(1).split(", ")
        summary = []
        for (name, kind, shape, w), res in zip(layers, ret):
            w2d = w.reshape(shape[0], -1).astype(np.float64)
            m, n = w2d.shape
            sigma = np.linalg.svd(w2d, compute_uv=False)
            r = rule_rank(sigma, rule.get("ratio"), rule.get("energy"))
            last = by_result[res]
            split = r * (m + n) < m * n
            if not split:
                if last["rank"] is not None:
                    fail("%s/%s: r = %d does not pay, yet the layer was split"
                         % (opt, name, r))
                if not np.array_equal(consts[last["weight"]].reshape(m, n), w2d):
                    fail("%s/%s: weight changed" % (opt, name))
                summary.append("%s r=%d kept" % (name, r))
                continue
            first = by_result.get(last["input"])
            if last["rank"] != r or first is None or first["rank"] != r:
                fail("%s/%s: expected a split at rank %d, got %s"
                     % (opt, name, r, last["rank"]))
            a = consts[last["weight"]].reshape(m, r)
            b = consts[first["weight"]].reshape(r, n)
            ab = a @ b
            wr, _ = best_rank(w2d, r)
            scale = np.linalg.norm(w2d)
            if np.linalg.norm(ab - wr) > 1e-5 * scale:
                fail("%s/%s: A·B is not the best rank-%d approximation "
                     "(off by %.3g of ‖W‖)" % (opt, name, r,
                                              np.linalg.norm(ab - wr) / scale))
            err2 = np.linalg.norm(w2d - ab) ** 2
            dropped = float(np.sum(sigma[r:] ** 2))
            if abs(err2 - dropped) > 1e-5 * dropped + 1e-9 * scale ** 2:
                fail("%s/%s: ‖W − AB‖² = %.8g but the dropped σ² sum to %.8g"
                     % (opt, name, err2, dropped))
            kept = float(np.sum(sigma[:r] ** 2) / np.sum(sigma ** 2))
            if abs(last["energy"] - kept) > 1e-9 or first["energy"] != last["energy"]:
                fail("%s/%s: recorded energy %r, kept fraction %r"
                     % (opt, name, last["energy"], kept))
            summary.append("%s r=%d split" % (name, r))
        print("%s: %s" % (opt, ", ".join(summary)))


# ----------------------------------------------------------- compiled check

def conv2d_nchw(x, w, b, pad):
    n, c, h, wd = x.shape
    f, _, kh, kw = w.shape
    xp = np.pad(x, ((0, 0), (0, 0), (pad, pad), (pad, pad)))
    oh, ow = h + 2 * pad - kh + 1, wd + 2 * pad - kw + 1
    cols = np.empty((n, c * kh * kw, oh * ow))
    idx = 0
    for ci in range(c):
        for i in range(kh):
            for j in range(kw):
                cols[:, idx, :] = xp[:, ci, i:i + oh, j:j + ow].reshape(n, -1)
                idx += 1
    out = np.einsum("fk,nkp->nfp", w.reshape(f, -1), cols)
    return out.reshape(n, f, oh, ow) + b[None, :, None, None]


def reference(x, ws):
    (cw, cb), (l1w, l1b), (l2w, l2b) = ws
    h = np.maximum(conv2d_nchw(x, cw, cb, 1), 0)
    h = h.reshape(h.shape[0], -1)
    h = np.maximum(h @ l1w.T + l1b, 0)
    return h @ l2w.T + l2b


def compiled(workdir):
    rng = np.random.default_rng(11)
    spec = np.array([1.0, 0.6, 0.35, 0.2, 0.1, 0.05])
    # conv 16 <- 4 x 3x3 on 8x8; linear 1024 -> 48; linear 48 -> 10.
    conv_w = spectrum_matrix(rng, 16, 36, 3.0 * spec).reshape(16, 4, 3, 3)
    conv_b = (0.1 * rng.standard_normal(16)).astype(np.float32)
    l1_w = spectrum_matrix(rng, 48, 1024, 8.0 * spec)
    l1_b = (0.1 * rng.standard_normal(48)).astype(np.float32)
    l2_w = spectrum_matrix(rng, 10, 48, 4.0 * spec)
    l2_b = (0.1 * rng.standard_normal(10)).astype(np.float32)
    weights = [(conv_w, conv_b), (l1_w, l1_b), (l2_w, l2_b)]
    names = ["conv1", "fc1", "fc2"]

    blobs = []
    for name, (w, b) in zip(names, weights):
        blobs.append('      %s.weight: "%s"' % (name, blob_hex(w)))
        blobs.append('      %s.bias: "%s"' % (name, blob_hex(b)))
    text = """func.func @main(%x: tensor<?x4x8x8xf32> {mc.name = "x"}) -> (tensor<?x10xf32> {mc.name = "y"}) {
  %cw = mc.constant dense_resource<conv1.weight> : tensor<16x4x3x3xf32>
  %cb = mc.constant dense_resource<conv1.bias> : tensor<16xf32>
  %w1 = mc.constant dense_resource<fc1.weight> : tensor<48x1024xf32>
  %b1 = mc.constant dense_resource<fc1.bias> : tensor<48xf32>
  %w2 = mc.constant dense_resource<fc2.weight> : tensor<10x48xf32>
  %b2 = mc.constant dense_resource<fc2.bias> : tensor<10xf32>
  %c = mc.conv2d %x, %cw, %cb {pads = array<i64: 1, 1, 1, 1>} : (tensor<?x4x8x8xf32>, tensor<16x4x3x3xf32>, tensor<16xf32>) -> tensor<?x16x8x8xf32> loc("conv1")
  %r = mc.relu %c : tensor<?x16x8x8xf32>
  %f = mc.flatten %r {axis = 1 : i64} : (tensor<?x16x8x8xf32>) -> tensor<?x1024xf32>
  %h = mc.linear %f, %w1, %b1 : (tensor<?x1024xf32>, tensor<48x1024xf32>, tensor<48xf32>) -> tensor<?x48xf32> loc("fc1")
  %hr = mc.relu %h : tensor<?x48xf32>
  %y = mc.linear %hr, %w2, %b2 : (tensor<?x48xf32>, tensor<10x48xf32>, tensor<10xf32>) -> tensor<?x10xf32> loc("fc2")
  return %y : tensor<?x10xf32>
}
{-#
  dialect_resources: {
    builtin: {
@BLOBS@
    }
  }
#-}
""".replace("@BLOBS@", ",\n".join(blobs))
    src = os.path.join(workdir, "cnn.mlir")
    with open(src, "w") as f:
        f.write(text)
    x = rng.standard_normal((5, 4, 8, 8)).astype(np.float32)
    xpath = os.path.join(workdir, "x.npy")
    np.save(xpath, x)

    def compile_and_run(mlir, tag):
        lib = os.path.join(workdir, "lib%s.so" % tag)
        ypath = os.path.join(workdir, "y_%s.npy" % tag)
        run(["mc-compile", mlir, "-o", lib])
        run(["mc-run", lib, "--input", xpath, "--output", ypath])
        return np.load(ypath).astype(np.float64)

    y0 = compile_and_run(src, "orig")
    ref0 = reference(x.astype(np.float64),
                     [(w.astype(np.float64), b.astype(np.float64))
                      for w, b in weights])
    scale = np.abs(ref0).max()
    d = np.abs(y0 - ref0).max()
    if d > 1e-4 * max(1.0, scale):
        fail("original model: compiled output differs from NumPy by %.3g" % d)
    print("original: compiled = numpy (max diff %.2g, output scale %.3g)"
          % (d, scale))

    previous = -1.0
    for energy in [1.0, 0.99, 0.9, 0.7]:
        tag = "e%g" % energy
        factored = os.path.join(workdir, "cnn_%s.mlir" % tag)
        run(["mc-opt", src, "--mc-lowrank=energy=%g" % energy, "-o", factored])
        with open(factored) as f:
            ftext = f.read()
        ranks = [int(r) for r in re.findall(r"rank = (\d+) : i64", ftext)]
        approx, expect = [], []
        for w, b in weights:
            w2d = w.reshape(w.shape[0], -1).astype(np.float64)
            s = np.linalg.svd(w2d, compute_uv=False)
            r = rule_rank(s, energy=energy)
            expect += [r, r]  # both layers of a split carry it
            wr, _ = best_rank(w2d, r)
            approx.append((wr.reshape(w.shape), b.astype(np.float64)))
        if ranks != expect:
            fail("energy %g: ranks %s, the rule gives %s"
                 % (energy, ranks, expect))
        y = compile_and_run(factored, tag)
        ref = reference(x.astype(np.float64), approx)
        d = np.abs(y - ref).max()
        if d > 1e-4 * max(1.0, scale):
            fail("energy %g: compiled output differs from the rank-%s "
                 "NumPy model by %.3g" % (energy, expect[::2], d))
        drift = np.abs(y - y0).max()
        if energy == 1.0 and drift > 1e-4 * max(1.0, scale):
            fail("energy 1: output moved by %.3g" % drift)
        if energy < 1.0 and not drift > previous:
            fail("energy %g: distance to the original (%.3g) did not grow "
                 "(previous %.3g)" % (energy, drift, previous))
        previous = drift
        print("energy %g: ranks %s, compiled = rank-r numpy (max diff %.2g), "
              "max |y - y_original| = %.3g" % (energy, expect[::2], d, drift))


def main():
    if len(sys.argv) != 3 or sys.argv[1] not in ("factors", "compiled"):
        print(__doc__)
        return 2
    os.makedirs(sys.argv[2], exist_ok=True)
    {"factors": factors, "compiled": compiled}[sys.argv[1]](sys.argv[2])
    print("ok")
    return 0


if __name__ == "__main__":
    sys.exit(main())
