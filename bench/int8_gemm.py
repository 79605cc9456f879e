#!/usr/bin/env python3
"""int8 GEMM throughput of mc-compiled quantized linear layers, as a
fraction of the machine's VNNI peak.

Usage:
  /usr/bin/python3 bench/int8_gemm.py [--no-build] [--runs N] [--shapes S]
                                     [--workdir DIR] [--portable]

For every shape (M, N, K) it writes a model of one `mc.qlinear` (int8
activations with zero point -3, a random constant int8 [N, K] weight, int32
bias, int32 accumulators out, dynamic batch M), compiles it with
`mc-compile`, and times it with `mc-run --bench` on a random [M, K] int8
input: the median wall time of one model call, everything included (the
activation offset pass, the bias broadcast, the kernel calls, the runtime's
allocations). Throughput is 2 M N K / time (a multiply and an add per
multiply-accumulate), from the median and from the fastest call; the
fraction of peak uses the fastest call, since the peak is a best-of-5
figure too (on a shared machine both are the least disturbed samples).

The peak is measured on the same machine by bench/int8/vnni_peak.c, built
with the system C compiler: 16 independent vpdpbusd chains on zmm registers
(128 operations each), best of 5 runs, before and after the GEMMs. mc runs one thread, so both are one-core figures.

`--portable` runs the models with MC_UKERNEL_PORTABLE=1 (the kernel's
portable C fallback) for comparison. Not a test: timings depend on the
machine and its load.
"""

import argparse
import os
import re
import subprocess
import sys
import tempfile

import numpy as np

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(HERE)

SQUARE = [(s, s, s) for s in (256, 512, 1024, 2048)]
LLM = [(m, n, k) for m in (1, 8, 32, 128)
       for (k, n) in ((512, 512), (4096, 1024), (1024, 4096), (4096, 4096))]

# mmap only above 32 MiB (glibc's ceiling), never trim the heap: the same
# setting as bench/run.py (the runtime mallocs intermediates per call).
MALLOC_TUNABLES = ("glibc.malloc.mmap_threshold=33554432:"
                   "glibc.malloc.trim_threshold=4294967295")


def run(cmd, env=None):
    p = subprocess.run(cmd, text=True, capture_output=True, env=env)
    if p.returncode != 0:
        sys.exit("int8_gemm.py: %s failed (%d):\n%s%s" %
                 (" ".join(cmd), p.returncode, p.stdout, p.stderr))
    return p.stdout


def model_text(n, k, seed):
    rng = np.random.RandomState(seed)
    w = rng.randint(-127, 128, size=(n, k)).astype(np.int8)
    bias = rng.randint(-1000, 1000, size=n).astype("<i4")
    xq = "!quant.uniform<i8:f32, 0.05:-3>"
    wq = "!quant.uniform<i8:f32, 0.01>"
    return "\n".join([
        "func.func @main(%x: tensor<?x{k}xi8>) -> tensor<?x{n}xi32> {{",
        "  %xq = mc.storage_cast %x : tensor<?x{k}xi8> -> "
        "tensor<?x{k}x{xq}>",
        '  %w = mc.constant dense<"0x{w}"> : tensor<{n}x{k}xi8>',
        "  %wq = mc.storage_cast %w : tensor<{n}x{k}xi8> -> "
        "tensor<{n}x{k}x{wq}>",
        '  %b = mc.constant dense<"0x{b}"> : tensor<{n}xi32>',
        "  %y = mc.qlinear %xq, %wq, %b : (tensor<?x{k}x{xq}>, "
        "tensor<{n}x{k}x{wq}>, tensor<{n}xi32>) -> tensor<?x{n}xi32>",
        "  return %y : tensor<?x{n}xi32>",
        "}}",
    ]).format(n=n, k=k, xq=xq, wq=wq, w=w.tobytes().hex().upper(),
              b=bias.tobytes().hex().upper()) + "\n"


def measure_peak(workdir):
    exe = os.path.join(workdir, "vnni_peak")
    run(["cc", "-O2", "-o", exe, os.path.join(HERE, "int8", "vnni_peak.c")])
    return max(float(re.search(r"peak: ([0-9.]+) Gop/s", run([exe])).group(1))
               for _ in range(5))


def main():
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--no-build", action="store_true")
    p.add_argument("--runs", type=int, default=20)
    p.add_argument("--shapes", choices=["all", "square", "llm"],
                   default="all")
    p.add_argument("--workdir")
    p.add_argument("--portable", action="store_true",
                   help="run the portable C kernel (MC_UKERNEL_PORTABLE=1)")
    a = p.parse_args()
    build = os.path.join(ROOT, "build")
    if not a.no_build:
        subprocess.run(["bash", os.path.join(ROOT, "scripts", "build.sh"),
                        "mc-compile", "mc-run", "mc_runtime"], check=True,
                       stdout=subprocess.DEVNULL)
    workdir = a.workdir or tempfile.mkdtemp(prefix="mc-int8-gemm-")
    os.makedirs(workdir, exist_ok=True)
    env = dict(os.environ, GLIBC_TUNABLES=MALLOC_TUNABLES)
    env.pop("MC_UKERNEL_PORTABLE", None)
    if a.portable:
        env["MC_UKERNEL_PORTABLE"] = "1"

    peak = measure_peak(workdir)
    print("VNNI peak (one core, vpdpbusd zmm): %.1f Gop/s" % peak)
    shapes = {"all": SQUARE + LLM, "square": SQUARE, "llm": LLM}[a.shapes]
    print("| M | N | K | median ms | min ms | Gop/s (median) | Gop/s (min) "
          "| % of peak (min) |")
    print("|---:|---:|---:|---:|---:|---:|---:|---:|")
    compiled = {}
    for m, n, k in shapes:
        so = compiled.get((n, k))
        if so is None:
            src = os.path.join(workdir, "qlinear_%dx%d.mlir" % (n, k))
            so = os.path.join(workdir, "qlinear_%dx%d.so" % (n, k))
            with open(src, "w") as f:
                f.write(model_text(n, k, seed=n * 7919 + k))
            run([os.path.join(build, "bin", "mc-compile"), src, "-o", so])
            compiled[(n, k)] = so
        x = np.random.RandomState(m).randint(-128, 128, size=(m, k))
        x_path = os.path.join(workdir, "x_%dx%d.npy" % (m, k))
        np.save(x_path, x.astype(np.int8))
        # Enough calls for about a second of work, at least --runs.
        runs = max(a.runs, min(2000, int(2e11 / (2.0 * m * n * k))))
        out = run([os.path.join(build, "bin", "mc-run"), so, "--input",
                   x_path, "--bench", str(runs)], env)
        ms = float(re.search(r"median ([0-9.]+) ms", out).group(1))
        best = float(re.search(r"min ([0-9.]+) ms", out).group(1))
        ops = 2.0 * m * n * k
        print("| %d | %d | %d | %.4f | %.4f | %.1f | %.1f | %.1f |" %
              (m, n, k, ms, best, ops / ms / 1e6, ops / best / 1e6,
               100.0 * ops / best / 1e6 / peak), flush=True)
    peak_after = measure_peak(workdir)
    print("VNNI peak measured again after the runs: %.1f Gop/s" % peak_after)
    return 0


if __name__ == "__main__":
    sys.exit(main())
