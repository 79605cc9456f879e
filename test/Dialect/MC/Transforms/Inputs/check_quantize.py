"""Checks mc-quantize's arithmetic with NumPy on random layers.

Writes a small mc function with random f32 weights and biases, random
calibration statistics, runs `mc-opt --mc-quantize` on it and checks, from
the printed IR, every number the pass chose against the formulas of
docs/Rationale/Quantization.md:

  activation  lo = min(r_min, 0), hi = max(r_max, 0), s = (hi - lo) / 255,
              zp = clamp(round(-128 - lo / s), -128, 127)
  weight      s_w[c] = max(max|w[c]| / 127, |b[c]| / (s_in 2^30)) (1 if 0),
              q = clamp(round(w / s_w[c]), -127, 127), |w - q s_w| <= s_w / 2
  bias        round(b[c] / (s_in s_w[c]))
  requantize  S[c] = s_in s_w[c] / s_out

(round = half to even). It then evaluates each quantized linear layer with
integer arithmetic from those numbers and checks the result against the
float layer within the error bound that the rounding steps allow.

Usage: check_quantize.py MC_OPT WORKDIR [--seed N]
"""

import argparse
import os
import re
import subprocess
import sys

import numpy as np

BIAS_LIMIT = 2.0**30


def blob(array):
    """dialect_resources hex for `array`: alignment word, then the bytes."""
    align = array.dtype.itemsize
    return "0x" + np.uint32(align).tobytes().hex().upper() + \
        array.tobytes().hex().upper()


def parse_blob(text):
    data = bytes.fromhex(text[2:])
    return data[4:]


def act_params(lo, hi):
    lo, hi = min(lo, 0.0), max(hi, 0.0)
    s = (hi - lo) / 255.0
    if not s > 0:
        s = 1.0
    zp = np.clip(np.round(-128.0 - lo / s), -128, 127)
    return s, int(zp)


def calib(lo, hi, hist=None, n=100):
    """The `mc.calib = {...}` entry for a range (and histogram)."""
    h = ""
    if hist is not None:
        h = ", hist = dense<[%s]> : tensor<%dxi64>" % (
            ", ".join(str(int(c)) for c in hist), len(hist))
    return "mc.calib = {min = %r : f64, max = %r : f64, count = %d : i64%s}" % (
        float(lo), float(hi), n, h)


def percentile_range(lo, hi, hist, pct):
    n = len(hist)
    w = (hi - lo) / n
    target = pct / 100.0 * float(sum(hist))
    cum = np.cumsum(hist).astype(np.float64)
    i = int(np.argmax(cum >= target))
    r_hi = hi if i + 1 == n else lo + (i + 1) * w
    cum_top = np.cumsum(hist[::-1]).astype(np.float64)
    j = n - 1 - int(np.argmax(cum_top >= target))
    r_lo = lo if j == 0 else lo + j * w
    return r_lo, r_hi


QTYPE = r"!quant.uniform<i8:f32, ([-+0-9.eE]+)(?::(-?\d+))?>"
AXIS_TYPE = r"!quant.uniform<i8:f32:0, \{([-+0-9.eE,]+)\}>"


def per_tensor(text):
    m = re.search(QTYPE, text)
    return float(m.group(1)), int(m.group(2) or 0)


def main():
    p = argparse.ArgumentParser()
    p.add_argument("mc_opt")
    p.add_argument("workdir")
    p.add_argument("--seed", type=int, default=1)
    p.add_argument("--percentile", action="store_true")
    args = p.parse_args()
    rng = np.random.default_rng(args.seed)
    os.makedirs(args.workdir, exist_ok=True)

    batch, c_in, hw, c1, n_fc = 16, 3, 6, 20, 24
    x = rng.normal(0.3, 1.0, size=(batch, c_in, hw, hw)).astype(np.float32)
    w1 = rng.normal(0, 0.4, size=(c1, c_in, 3, 3)).astype(np.float32)
    w1[5] = 0.0  # an all-zero output channel
    b1 = rng.normal(0, 0.2, size=c1).astype(np.float32)
    feat = c1 * 2 * 2
    w2 = rng.normal(0, 0.1, size=(n_fc, feat)).astype(np.float32)
    w2[3, :] *= 1e-3  # a small channel
    b2 = rng.normal(0, 0.5, size=n_fc).astype(np.float32)

    # Float reference (NCHW conv 3x3, pads 1; relu; 2x2/2 max pool -> 3x3
    # would not divide, so pool 3x3/3 -> 2x2; flatten; linear).
    xp = np.pad(x.astype(np.float64), ((0, 0), (0, 0), (1, 1), (1, 1)))
    conv = np.zeros((batch, c1, hw, hw))
    for i in range(3):
        for j in range(3):
            patch = xp[:, :, i:i + hw, j:j + hw]
            conv += np.einsum("nchw,fc->nfhw", patch, w1[:, :, i, j])
    conv += b1[None, :, None, None]
    relu = np.maximum(conv, 0)
    pool = relu.reshape(batch, c1, 2, 3, 2, 3).max(axis=(3, 5))
    flat = pool.reshape(batch, feat)
    fc = flat @ w2.T.astype(np.float64) + b2

    def stats(a, bins=None):
        lo, hi = float(a.min()), float(a.max())
        hist = None
        if bins:
            hist, _ = np.histogram(a, bins=bins, range=(lo, hi))
        return lo, hi, hist

    bins = 64 if args.percentile else None
    sx, sconv, srelu, spool, sflat, sfc = (stats(a, bins) for a in
                                           (x, conv, relu, pool, flat, fc))
    ir = f"""func.func @main(%x: tensor<?x{c_in}x{hw}x{hw}xf32> {{{calib(*sx)}}}) -> tensor<?x{n_fc}xf32> {{
  %w1 = mc.constant dense_resource<w1> : tensor<{c1}x{c_in}x3x3xf32>
  %b1 = mc.constant dense_resource<b1> : tensor<{c1}xf32>
  %c = mc.conv2d %x, %w1, %b1 {{pads = array<i64: 1, 1, 1, 1>, {calib(*sconv)}}} : (tensor<?x{c_in}x{hw}x{hw}xf32>, tensor<{c1}x{c_in}x3x3xf32>, tensor<{c1}xf32>) -> tensor<?x{c1}x{hw}x{hw}xf32> loc("conv1")
  %r = mc.relu %c {{{calib(*srelu)}}} : tensor<?x{c1}x{hw}x{hw}xf32>
  %p = mc.max_pool2d %r {{kernel = array<i64: 3, 3>, strides = array<i64: 3, 3>, {calib(*spool)}}} : (tensor<?x{c1}x{hw}x{hw}xf32>) -> tensor<?x{c1}x2x2xf32>
  %f = mc.flatten %p {{{calib(*sflat)}}} : (tensor<?x{c1}x2x2xf32>) -> tensor<?x{feat}xf32>
  %w2 = mc.constant dense_resource<w2> : tensor<{n_fc}x{feat}xf32>
  %b2 = mc.constant dense_resource<b2> : tensor<{n_fc}xf32>
  %y = mc.linear %f, %w2, %b2 {{{calib(*sfc)}}} : (tensor<?x{feat}xf32>, tensor<{n_fc}x{feat}xf32>, tensor<{n_fc}xf32>) -> tensor<?x{n_fc}xf32> loc("fc")
  return %y : tensor<?x{n_fc}xf32>
}}

{{-#
  dialect_resources: {{
    builtin: {{
      w1: "{blob(w1)}",
      b1: "{blob(b1)}",
      w2: "{blob(w2)}",
      b2: "{blob(b2)}"
    }}
  }}
#-}}
"""
    src = os.path.join(args.workdir, "model.mlir")
    with open(src, "w") as f:
        f.write(ir)
    cmd = [args.mc_opt, src]
    cmd.append("--mc-quantize=activation-range=percentile percentile=99.5"
               if args.percentile else "--mc-quantize")
    out = subprocess.run(cmd, check=True, capture_output=True,
                         text=True).stdout
    failures = []

    def check(cond, what):
        if not cond:
            failures.append(what)

    def expect_act(text, stat, what):
        lo, hi, hist = stat
        if hist is not None:
            lo, hi = percentile_range(lo, hi, hist, 99.5)
        got = per_tensor(text)
        want = act_params(lo, hi)
        check(got == want, f"{what}: got scale/zp {got}, want {want}")
        return got

    blobs = {m.group(1): parse_blob(m.group(2))
             for m in re.finditer(r"^\s*([\w.]+): \"(0x[0-9A-F]+)\"", out,
                                  re.M)}
    lines = out.splitlines()
    layer_lines = [l for l in lines if "mc.qconv2d" in l or "mc.qlinear" in l]
    requant = [l for l in lines if "mc.requantize" in l]
    check(len(layer_lines) == 2 and len(requant) == 2,
          "expected two quantized layers and two requantizations")
    # Int8 flows from the conv to the linear: the only mc.dequantize is the
    # result, and the pool and flatten run on quantized values.
    check(sum("mc.dequantize" in l for l in lines) == 1,
          "expected exactly one mc.dequantize")
    check(not any(re.search(r"mc\.(relu|linear|conv2d) ", l) for l in lines),
          "float layers or relu left")
    check(sum("mc.quantize" in l for l in lines) == 1,
          "expected exactly one mc.quantize (the input)")

    layers = [("conv1", w1, b1, sx, srelu), ("fc", w2, b2, sflat, sfc)]
    params = {}
    for (name, w, b, s_in_stat, s_out_stat), line, rq in zip(
            layers, layer_lines, requant):
        operands = line.split(" : (", 1)[1]
        s_in, zp_in = per_tensor(operands)
        if name == "conv1":
            expect_act(operands, s_in_stat, "conv1 input")
        else:
            # The linear reads the conv's requantized output unchanged.
            check((s_in, zp_in) == params["conv1"]["out"],
                  "fc input is not conv1's int8 output")
        s_w = np.array([float(v) for v in
                        re.search(AXIS_TYPE, operands).group(1).split(",")])
        c = w.shape[0]
        wf = w.reshape(c, -1).astype(np.float64)
        bf = b.astype(np.float64)
        want_s = np.maximum(np.abs(wf).max(axis=1) / 127.0,
                            np.abs(bf) / (s_in * BIAS_LIMIT))
        want_s[want_s == 0] = 1.0
        check(np.array_equal(s_w, want_s), f"{name}: weight scales differ")
        q = np.frombuffer(blobs[f"{name}.qweight"], dtype=np.int8)
        q = q.reshape(c, -1).astype(np.int64)
        want_q = np.clip(np.round(wf / want_s[:, None]), -127, 127)
        check(np.array_equal(q, want_q), f"{name}: int8 weights differ")
        check(np.all(np.abs(wf - q * s_w[:, None]) <= s_w[:, None] / 2 * (1 + 1e-12)),
              f"{name}: |w - q s| > s / 2")
        check(np.all(np.abs(q) <= 127), f"{name}: weight outside [-127, 127]")
        bq = np.frombuffer(blobs[f"{name}.qbias"], dtype=np.int32)
        check(np.array_equal(bq, np.round(bf / (s_in * s_w))),
              f"{name}: int32 bias differs")
        out_text = rq.split("->", 1)[1]
        s_out, zp_out = expect_act(out_text, s_out_stat, f"{name} output")
        scales = np.array([float(v) for v in
                           re.search(r"scale = array<f64: ([^>]*)>", rq)
                           .group(1).split(",")])
        check(np.allclose(scales, s_in * s_w / s_out, rtol=1e-15, atol=0),
              f"{name}: requantization scales differ")
        params[name] = dict(out=(s_out, zp_out), s_w=s_w, q=q, bq=bq,
                            s_in=s_in, zp_in=zp_in, scales=scales)

    # Integer evaluation of the linear layer on the float reference input
    # `flat` (quantized with the layer's input parameters) against the float
    # layer: the error is bounded by the rounding of x, w, b and the output.
    fcp = params["fc"]
    s_in, zp_in = fcp["s_in"], fcp["zp_in"]
    qx = np.clip(np.round(flat / s_in) + zp_in, -128, 127).astype(np.int64)
    acc = (qx - zp_in) @ fcp["q"].T + fcp["bq"][None, :]
    s_out, zp_out = fcp["out"]
    qy = np.clip(np.round(acc * fcp["scales"][None, :]) + zp_out, -128, 127)
    y = (qy - zp_out) * s_out
    w_hat = fcp["q"] * fcp["s_w"][:, None]
    bound = (np.abs(flat) @ (fcp["s_w"][:, None] / 2 *
                             np.ones_like(w_hat)).T +
             np.abs(w_hat).sum(axis=1)[None, :] * s_in / 2 +
             s_in * fcp["s_w"][None, :] / 2 + s_out / 2)
    if not args.percentile:
        err = np.abs(y - fc)
        check(np.all(err <= bound * (1 + 1e-9)),
              f"fc: integer result off by {err.max()} (bound {bound.min()})")
        print(f"fc: max |int8 - float| = {err.max():.5f}, "
              f"output scale {s_out:.5f}, range {fc.min():.3f}..{fc.max():.3f}")
    if failures:
        print("\n".join("FAIL: " + f for f in failures))
        return 1
    print("all checks passed")
    return 0


if __name__ == "__main__":
    sys.exit(main())
