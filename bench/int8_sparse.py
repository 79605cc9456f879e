#!/usr/bin/env python3
"""Sparse (2:4) vs dense int8 GEMM: time and bytes of mc-compiled quantized
linear layers with the compressed kernel (--int8-sparse=always) and the
dense one (--int8-sparse=never).

Usage:
  /usr/bin/python3 bench/int8_sparse.py [--no-build] [--rounds R]
                                       [--pattern 2:4|4:8] [--quick]
                                       [--shape M N K ...] [--workdir DIR]

For every (N, K) in {512, 1024, 4096}^2 and the square 1024^3 it writes a
model of one `mc.qlinear` (bench/int8_gemm.py's model: int8 activations
with zero point -3, int32 bias and output, dynamic batch) whose random int8
weight is pruned to the pattern (2 random non-zeros in every 4 along K,
or 4 in every 8),
compiles it twice with mc-compile, and times both libraries with
`mc-run --bench` for M in {1, 4, 16, 64, 128}: the median wall time of one
model call (everything included: the activation offset, the bias, the
kernel calls). The two libraries run alternately, `--rounds` times
(default 3); the table shows the median over rounds of each median, and
the ratio dense / sparse (> 1: sparse is faster). Bytes: the packed weight
(dense panels: N32 x K4 bytes; compressed: N32 / 32 x K8 / 8 blocks of 160
bytes for 2:4, 192 for 4:8) and the size of the two .so files.

Same malloc settings (GLIBC_TUNABLES) as bench/run.py and int8_gemm.py.
Not a test: timings depend on the machine and its load.
"""

import argparse
import os
import re
import statistics
import subprocess
import sys
import tempfile

import numpy as np

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(HERE)
sys.path.insert(0, HERE)
from int8_gemm import MALLOC_TUNABLES, model_text, run  # noqa: E402

SIZES = (512, 1024, 4096)
MS = (1, 4, 16, 64, 128)


def pruned_model(n, k, keep, group, seed):
    """bench/int8_gemm.py's model with the weight pruned to keep:group."""
    text = model_text(n, k, seed)
    w = np.frombuffer(bytes.fromhex(re.search(
        r'%w = mc.constant dense<"0x([0-9A-F]+)">', text).group(1)),
        dtype=np.int8).reshape(n, k).copy()
    rng = np.random.RandomState(seed + 1)
    for g in range(0, k, group):
        # Per row, the positions to drop in this group.
        order = np.argsort(rng.rand(n, group), axis=1)[:, keep:]
        rows = np.repeat(np.arange(n), group - keep)
        w[rows, g + order.ravel()] = 0
    w[w == 0] = 0
    hexw = w.tobytes().hex().upper()
    return re.sub(r'(%w = mc.constant dense<"0x)[0-9A-F]+', lambda m:
                  m.group(1) + hexw, text)


def main():
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--no-build", action="store_true")
    p.add_argument("--rounds", type=int, default=3)
    p.add_argument("--pattern", default="2:4", choices=["2:4", "4:8"])
    p.add_argument("--quick", action="store_true",
                   help="N, K in {512, 4096} only")
    p.add_argument("--shape", nargs=3, type=int, action="append",
                   metavar=("M", "N", "K"),
                   help="only these shapes (repeatable)")
    p.add_argument("--workdir")
    a = p.parse_args()
    build = os.path.join(ROOT, "build")
    if not a.no_build:
        subprocess.run(["bash", os.path.join(ROOT, "scripts", "build.sh"),
                        "mc-compile", "mc-run", "mc_runtime"], check=True,
                       stdout=subprocess.DEVNULL)
    workdir = a.workdir or tempfile.mkdtemp(prefix="mc-int8-sparse-")
    os.makedirs(workdir, exist_ok=True)
    env = dict(os.environ, GLIBC_TUNABLES=MALLOC_TUNABLES)
    env.pop("MC_UKERNEL_PORTABLE", None)
    keep, group = map(int, a.pattern.split(":"))
    sizes = (512, 4096) if a.quick else SIZES
    shapes = [(m, n, k) for n in sizes for k in sizes for m in MS]
    shapes.append((1024, 1024, 1024))
    if a.shape:
        shapes = [tuple(x) for x in a.shape]
    try:
        load = open("/proc/loadavg").read().split()[:3]
    except OSError:
        load = ["?"]
    print("pattern %s, %d rounds, load average before: %s" %
          (a.pattern, a.rounds, " ".join(load)))
    print("| M | N | K | dense ms | sparse ms | dense/sparse | weight bytes "
          "dense | sparse | .so bytes dense | sparse |")
    print("|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|")
    compiled = {}
    for m, n, k in shapes:
        libs = compiled.get((n, k))
        if libs is None:
            src = os.path.join(workdir, "sparse_%dx%d.mlir" % (n, k))
            with open(src, "w") as f:
                f.write(pruned_model(n, k, keep, group, n * 7919 + k))
            libs = {}
            for mode in ("never", "always"):
                libs[mode] = os.path.join(workdir, "sparse_%dx%d.%s.so" %
                                          (n, k, mode))
                run([os.path.join(build, "bin", "mc-compile"), src,
                     "--int8-sparse=" + mode, "-o", libs[mode]])
            compiled[(n, k)] = libs
        x = np.random.RandomState(m).randint(-128, 128, size=(m, k))
        x_path = os.path.join(workdir, "x_%dx%d.npy" % (m, k))
        np.save(x_path, x.astype(np.int8))
        runs = max(20, min(2000, int(1e11 / (2.0 * m * n * k))))
        times = {"never": [], "always": []}
        for _ in range(a.rounds):
            for mode in ("never", "always"):
                out = run([os.path.join(build, "bin", "mc-run"), libs[mode],
                           "--input", x_path, "--bench", str(runs)], env)
                times[mode].append(
                    float(re.search(r"median ([0-9.]+) ms", out).group(1)))
        dense = statistics.median(times["never"])
        sparse = statistics.median(times["always"])
        n32, k4 = -(-n // 32) * 32, -(-k // 4) * 4
        print("| %d | %d | %d | %.4f | %.4f | %.2f | %d | %d | %d | %d |" %
              (m, n, k, dense, sparse, dense / sparse, n32 * k4,
               n32 // 32 * -(-k4 // 8) * (160 if a.pattern == "2:4" else 192),
               os.path.getsize(libs["never"]),
               os.path.getsize(libs["always"])), flush=True)
    try:
        load = open("/proc/loadavg").read().split()[:3]
    except OSError:
        load = ["?"]
    print("load average after: %s" % " ".join(load))
    return 0


if __name__ == "__main__":
    sys.exit(main())
