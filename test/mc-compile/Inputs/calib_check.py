"""Checks mc-compile --calib against NumPy on a tiny conv + linear model.

Writes an mc IR model with random weights (a grouped, padded, strided,
dilated conv, relu, flatten, linear) and 37 random samples, runs
`mc-compile --calib` (batches of 8, so the last one is partial) and compares
the saved statistics with the same quantities computed here by plain loops:
min / max / count of every observed tensor, the 16-bin histograms over
[min, max], and Wanda's column norms (im2col columns for the conv). Then it
checks that the statistics are attached to the IR, that a folder of .npy
files and a folder of ONNX TensorProto .pb files give the same statistics,
that histograms from a second run of the model (--calib-memory=0) equal
those from the kept tensors, and that --calib-load of the saved file
reproduces the same IR.

usage: calib_check.py MC_COMPILE WORKDIR
"""

import json
import os
import re
import subprocess
import sys

import numpy as np

N, C, H, W = 37, 2, 5, 6
F, G, KH, KW = 4, 2, 3, 3
PADS = (1, 0, 2, 1)  # top, left, bottom, right
STRIDES = (2, 1)
DILATIONS = (1, 2)
OUT = 3
BINS = 16

OH = (H + PADS[0] + PADS[2] - DILATIONS[0] * (KH - 1) - 1) // STRIDES[0] + 1
OW = (W + PADS[1] + PADS[3] - DILATIONS[1] * (KW - 1) - 1) // STRIDES[1] + 1
K = F * OH * OW


def literal(a):
    return "dense<%s>" % json.dumps(a.astype(np.float64).tolist())


def write_model(path, wc, bc, wl, bl):
    cg = C // G
    text = f"""
func.func @main(%x: tensor<?x{C}x{H}x{W}xf32> {{mc.name = "x"}}) -> (tensor<?x{OUT}xf32> {{mc.name = "y"}}) {{
  %w = mc.constant {literal(wc)} : tensor<{F}x{cg}x{KH}x{KW}xf32>
  %b = mc.constant {literal(bc)} : tensor<{F}xf32>
  %c = mc.conv2d %x, %w, %b {{pads = array<i64: {", ".join(map(str, PADS))}>, strides = array<i64: {STRIDES[0]}, {STRIDES[1]}>, dilations = array<i64: {DILATIONS[0]}, {DILATIONS[1]}>, groups = {G} : i64}} : (tensor<?x{C}x{H}x{W}xf32>, tensor<{F}x{cg}x{KH}x{KW}xf32>, tensor<{F}xf32>) -> tensor<?x{F}x{OH}x{OW}xf32> loc("conv")
  %r = mc.relu %c : tensor<?x{F}x{OH}x{OW}xf32> loc("relu")
  %f = mc.flatten %r {{axis = 1 : i64}} : (tensor<?x{F}x{OH}x{OW}xf32>) -> tensor<?x{K}xf32> loc("flat")
  %wl = mc.constant {literal(wl)} : tensor<{OUT}x{K}xf32>
  %bl = mc.constant {literal(bl)} : tensor<{OUT}xf32>
  %y = mc.linear %f, %wl, %bl : (tensor<?x{K}xf32>, tensor<{OUT}x{K}xf32>, tensor<{OUT}xf32>) -> tensor<?x{OUT}xf32> loc("fc")
  return %y : tensor<?x{OUT}xf32>
}}
"""
    with open(path, "w") as f:
        f.write(text)


def padded(x):
    return np.pad(x, ((0, 0), (0, 0), (PADS[0], PADS[2]), (PADS[1], PADS[3])))


def conv(x, wc, bc):
    """Grouped cross-correlation, one output element at a time."""
    xp = padded(x).astype(np.float64)
    cg, fg = C // G, F // G
    y = np.zeros((x.shape[0], F, OH, OW))
    for n in range(x.shape[0]):
        for o in range(F):
            g = o // fg
            for oh in range(OH):
                for ow in range(OW):
                    acc = bc[o]
                    for c in range(cg):
                        for i in range(KH):
                            for j in range(KW):
                                acc += wc[o, c, i, j] * xp[
                                    n, g * cg + c, oh * STRIDES[0] +
                                    i * DILATIONS[0],
                                    ow * STRIDES[1] + j * DILATIONS[1]]
                    y[n, o, oh, ow] = acc
    return y


def conv_col_norms(x):
    """Norm of each im2col column (c, i, j) over samples and positions."""
    xp = padded(x).astype(np.float64)
    sums = np.zeros((C, KH, KW))
    for c in range(C):
        for i in range(KH):
            for j in range(KW):
                for oh in range(OH):
                    for ow in range(OW):
                        v = xp[:, c, oh * STRIDES[0] + i * DILATIONS[0],
                               ow * STRIDES[1] + j * DILATIONS[1]]
                        sums[c, i, j] += np.sum(v * v)
    return np.sqrt(sums)


def check_range(key, got, ref, exact_hist):
    lo, hi = float(ref.min()), float(ref.max())
    assert got["count"] == ref.size, (key, got["count"], ref.size)
    tol = 1e-5 * max(1.0, abs(lo), abs(hi))
    assert abs(got["min"] - lo) <= tol, (key, got["min"], lo)
    assert abs(got["max"] - hi) <= tol, (key, got["max"], hi)
    # Bins over mc's own [min, max], as the contract defines them.
    mn, mx = got["min"], got["max"]
    width = (mx - mn) / BINS
    idx = np.clip(np.floor((ref.ravel() - mn) / width), 0, BINS - 1)
    hist = np.bincount(idx.astype(np.int64), minlength=BINS)
    diff = int(np.abs(hist - np.array(got["hist"])).sum())
    if exact_hist:
        assert diff == 0, (key, hist.tolist(), got["hist"])
    else:
        # A value within rounding distance of a bin edge may land on either
        # side: each such value can move one count out of one bin into another.
        pos = (ref.ravel() - mn) / width
        near = int(np.sum(np.abs(pos - np.round(pos)) < 1e-4))
        assert diff <= 2 * near, (key, hist.tolist(), got["hist"], near)
    assert sum(got["hist"]) == got["count"], key


def run(cmd):
    result = subprocess.run(cmd, capture_output=True, text=True)
    if result.returncode != 0:
        sys.exit("command failed: %s\n%s" % (" ".join(cmd), result.stderr))
    return result


def main():
    mc_compile, work = sys.argv[1], sys.argv[2]
    os.makedirs(work, exist_ok=True)
    rng = np.random.default_rng(7)
    wc = rng.standard_normal((F, C // G, KH, KW)).astype(np.float32)
    bc = rng.standard_normal(F).astype(np.float32)
    wl = rng.standard_normal((OUT, K)).astype(np.float32)
    bl = rng.standard_normal(OUT).astype(np.float32)
    x = rng.standard_normal((N, C, H, W)).astype(np.float32)
    model = os.path.join(work, "model.mlir")
    write_model(model, wc, bc, wl, bl)
    data = os.path.join(work, "data.npy")
    np.save(data, x)

    stats = os.path.join(work, "stats.json")
    ir = os.path.join(work, "calibrated.mlir")
    common = ["--calib-batch=8", "--calib-bins=%d" % BINS, "--emit=mc"]
    run([mc_compile, model, "--calib", data, "--calib-save", stats, "-o", ir] +
        common)
    with open(stats) as f:
        table = json.load(f)
    assert table["format"] == "mc-calibration" and table["version"] == 1
    assert table["samples"] == N, table["samples"]

    c = conv(x, wc, bc)
    r = np.maximum(c, 0)
    flat = r.reshape(N, K)
    y = flat @ wl.astype(np.float64).T + bl
    ranges = table["ranges"]
    assert sorted(ranges) == ["arg:x", "conv", "fc", "flat", "relu"], sorted(
        ranges)
    check_range("arg:x", ranges["arg:x"], x.astype(np.float64), True)
    check_range("conv", ranges["conv"], c, False)
    check_range("relu", ranges["relu"], r, False)
    check_range("flat", ranges["flat"], flat, False)
    check_range("fc", ranges["fc"], y, False)
    assert ranges["relu"]["min"] == 0.0

    norms = table["col_norms"]
    assert sorted(norms) == ["conv", "fc"], sorted(norms)
    assert norms["conv"]["shape"] == [C, KH, KW], norms["conv"]["shape"]
    np.testing.assert_allclose(
        np.array(norms["conv"]["values"]).reshape(C, KH, KW),
        conv_col_norms(x), rtol=1e-5)
    assert norms["fc"]["shape"] == [K]
    np.testing.assert_allclose(norms["fc"]["values"],
                               np.sqrt((flat * flat).sum(axis=0)), rtol=1e-4,
                               atol=1e-6)

    # The IR: mc.calib on the argument and the four ops, column norms on
    # the two layers.
    with open(ir) as f:
        text = f.read()
    assert text.count("mc.calib = {") == 5, text
    assert re.search(r"mc\.calib_col_norm = dense<.*> : tensor<%dx%dx%dxf32>"
                     % (C, KH, KW), text), text
    assert re.search(r"mc\.calib_col_norm = dense<.*> : tensor<%dxf32>" % K,
                     text), text
    assert "hist = dense<" in text and "tensor<%dxi64>" % BINS in text, text

    # With no memory to keep the tapped tensors, the histograms come from a
    # second run of the model: the same statistics.
    second = os.path.join(work, "second.json")
    run([mc_compile, model, "--calib", data, "--calib-memory=0",
         "--calib-save", second, "-o", os.path.join(work, "second.mlir")] +
        common)
    with open(second) as f:
        assert json.load(f) == table, "the second sweep differs"

    # The same samples as a folder of .npy files and a folder of TensorProto
    # .pb files (in subfolders, as ONNX test data sets are laid out).
    import onnx
    from onnx import numpy_helper
    npy_dir = os.path.join(work, "npy")
    pb_dir = os.path.join(work, "pb")
    for d in (npy_dir, os.path.join(pb_dir, "test_data_set_0"),
              os.path.join(pb_dir, "test_data_set_1")):
        os.makedirs(d, exist_ok=True)
    np.save(os.path.join(npy_dir, "a.npy"), x[:20])
    np.save(os.path.join(npy_dir, "b.npy"), x[20:])
    for k, part in enumerate((x[:20], x[20:])):
        tensor = numpy_helper.from_array(part, "x")
        with open(os.path.join(pb_dir, "test_data_set_%d" % k, "input_0.pb"),
                  "wb") as f:
            f.write(tensor.SerializeToString())
    for folder in (npy_dir, pb_dir):
        other = os.path.join(work, "other.json")
        run([mc_compile, model, "--calib", folder, "--calib-save", other, "-o",
             os.path.join(work, "other.mlir")] + common)
        with open(other) as f:
            assert json.load(f) == table, folder

    # Save -> load: the same IR without running the model again.
    loaded = os.path.join(work, "loaded.mlir")
    run([mc_compile, model, "--calib-load", stats, "-o", loaded] + common[2:])
    with open(loaded) as f:
        assert f.read() == text, "--calib-load gives different IR"
    # And the calibrated model still compiles to a library.
    run([mc_compile, model, "--calib-load", stats, "-o",
         os.path.join(work, "libmodel.so")])
    print("calibration matches NumPy")


if __name__ == "__main__":
    main()
