#!/usr/bin/env python3
"""Benchmark: mc-compiled float models against ONNX Runtime and PyTorch.

  /usr/bin/python3 bench/run.py [--runs N] [--no-build] [--build-dir DIR]

Builds mc-compile, mc-run and the runtime (scripts/build.sh), installs
onnxruntime-node into bench/node_modules if it is missing (npm ci), exports
the MLP, and times the bundled Fashion-MNIST CNN and a 784-512-256-10 MLP at
batch 1 and 64, each on one thread, in three engines:

  mc       mc-compile MODEL.onnx -o lib.so, then mc-run lib.so --bench N
           (median wall time of N calls after warm-up, in-process);
  ORT      onnxruntime-node, CPU provider, intra/inter-op threads 1,
           sequential execution (bench/ort_bench.js); session creation and
           warm-up excluded;
  PyTorch  torch.set_num_threads(1), no_grad, the same weights.

All three run with the same glibc malloc settings (GLIBC_TUNABLES, see
MALLOC_TUNABLES below; the script re-executes itself with them): large
buffers stay on the heap instead of being mmapped and returned to the
kernel after every call. ONNX Runtime and PyTorch keep their own arenas
anyway; for mc, whose runtime mallocs its intermediate tensors per call,
first-touch page faults otherwise dominate the time. --default-malloc turns
this off.

Prints a table of median milliseconds and the ratio mc / ORT (below 1: mc
is faster), and max |mc - PyTorch| of the outputs as a sanity check. This is
a benchmark, not a test: the numbers depend on the machine and its load.
"""

import argparse
import json
import os
import re
import statistics
import subprocess
import sys
import time

import numpy as np
import torch

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(HERE)
sys.path.insert(0, HERE)
import models  # noqa: E402


# mmap only above 32 MiB (glibc's ceiling), never trim the heap.
MALLOC_TUNABLES = ("glibc.malloc.mmap_threshold=33554432:"
                   "glibc.malloc.trim_threshold=4294967295")


def run(cmd, **kw):
    return subprocess.run(cmd, check=True, text=True, capture_output=True,
                          **kw).stdout


def time_mc(build, so, x_path, out_path, runs):
    out = run([os.path.join(build, "bin", "mc-run"), so, "--input", x_path,
               "--output", out_path, "--bench", str(runs)])
    m = re.search(r"median ([0-9.]+) ms", out)
    if not m:
        sys.exit(f"unexpected mc-run output: {out}")
    return float(m.group(1))


def time_ort(model, x_path, runs):
    out = run(["node", os.path.join(HERE, "ort_bench.js"), model, x_path,
               str(runs), str(max(3, runs // 10))])
    return json.loads(out.strip().splitlines()[-1])["median_ms"]


def time_torch(module, x, runs):
    torch.set_num_threads(1)
    t = torch.from_numpy(x)
    times = []
    with torch.no_grad():
        for _ in range(max(3, runs // 10)):
            module(t)
        for _ in range(runs):
            t0 = time.perf_counter()
            module(t)
            times.append((time.perf_counter() - t0) * 1e3)
    return statistics.median(times)


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--runs", type=int, default=50,
                        help="timed calls per engine and case (default 50)")
    parser.add_argument("--no-build", action="store_true",
                        help="use the tools already in the build directory")
    parser.add_argument("--build-dir", default=os.environ.get(
        "MC_BUILD_DIR", os.path.join(ROOT, "build")))
    parser.add_argument("--default-malloc", action="store_true",
                        help="keep glibc's default malloc settings")
    args = parser.parse_args()
    if args.runs < 1:
        parser.error("--runs must be at least 1")
    if not args.default_malloc and \
            os.environ.get("GLIBC_TUNABLES") != MALLOC_TUNABLES:
        env = dict(os.environ, GLIBC_TUNABLES=MALLOC_TUNABLES)
        os.execve(sys.executable, [sys.executable] + sys.argv, env)

    build = os.path.abspath(args.build_dir)
    if not args.no_build:
        subprocess.run(["bash", os.path.join(ROOT, "scripts", "build.sh"),
                        "mc-compile", "mc-run", "mc_runtime"], check=True,
                       stdout=subprocess.DEVNULL)
    if not os.path.isdir(os.path.join(HERE, "node_modules", "onnxruntime-node")):
        subprocess.run(["npm", "ci", "--no-audit", "--no-fund"], cwd=HERE,
                       check=True, env=dict(os.environ,
                                            ONNXRUNTIME_NODE_INSTALL="skip"))
    work = os.path.join(build, "bench")
    os.makedirs(work, exist_ok=True)

    mlp_path = os.path.join(work, "mlp.onnx")
    models.export_mlp(mlp_path)
    images = np.load(os.path.join(ROOT, "python", "models",
                                  "fashion_sample_images.npy"))
    rng = np.random.default_rng(0)
    cases = {
        "cnn": (os.path.join(ROOT, "python", "models", "fashion_cnn.onnx"),
                lambda b: images[:b]),
        "mlp": (mlp_path,
                lambda b: rng.standard_normal((b, 784), dtype=np.float32)),
    }

    rows = []
    for name, (model, make_input) in cases.items():
        so = os.path.join(work, f"lib{name}.so")
        run([os.path.join(build, "bin", "mc-compile"), model, "-o", so])
        module = models.torch_from_onnx(model)
        for batch in (1, 64):
            x = np.ascontiguousarray(make_input(batch), dtype=np.float32)
            x_path = os.path.join(work, f"{name}_b{batch}.npy")
            out_path = os.path.join(work, f"{name}_b{batch}_mc.npy")
            np.save(x_path, x)
            mc = time_mc(build, so, x_path, out_path, args.runs)
            ort = time_ort(model, x_path, args.runs)
            pt = time_torch(module, x, args.runs) if module else None
            diff = None
            if module:
                with torch.no_grad():
                    ref = module(torch.from_numpy(x)).numpy()
                diff = float(np.abs(np.load(out_path) - ref).max())
            rows.append((name, batch, mc, ort, pt, diff))

    malloc = "default" if args.default_malloc else "GLIBC_TUNABLES=" + \
        MALLOC_TUNABLES
    print(f"one thread, median of {args.runs} calls, milliseconds; "
          f"malloc: {malloc}")
    print(f"{'model':<6}{'batch':>6}{'mc':>10}{'ORT':>10}{'PyTorch':>10}"
          f"{'mc/ORT':>9}{'max|mc-PT|':>12}")
    for name, batch, mc, ort, pt, diff in rows:
        pt_s = f"{pt:10.3f}" if pt is not None else f"{'-':>10}"
        diff_s = f"{diff:12.2e}" if diff is not None else f"{'-':>12}"
        print(f"{name:<6}{batch:>6}{mc:10.3f}{ort:10.3f}{pt_s}"
              f"{mc / ort:9.2f}{diff_s}")


if __name__ == "__main__":
    main()
