#!/usr/bin/env python3
"""Compiles models for the CPU and for CUDA and compares their outputs.

Usage:
  gpu_vs_cpu.py --workdir DIR [--arch sm_80] quantized-ops
  gpu_vs_cpu.py --workdir DIR [--arch sm_80] model MODEL.onnx [--int8]
                [--tolerance T]

`quantized-ops` takes every case of test/Integration/CPU/Inputs/
quantized_ops.py (mc.qlinear, mc.qconv2d, mc.qmatmul, quantize/dequantize,
pooling on odd shapes and non-zero zero points), `model` one ONNX model on
the bundled Fashion-MNIST images (python/models/fashion_sample_images.npy;
with --int8, calibrated on them and quantized). Each model is compiled with
mc-compile (from PATH) twice, `--target=cpu` and `--target=cuda
--cuda-arch=ARCH`, run with mc-run on the same inputs at batch 1, 3 and 64
(quantized ops: 1 and 3), and the outputs compared. Integer outputs and int8
models must match bit for bit; float models must be within T (default 0:
bit for bit) relative to the largest magnitude. Prints one line per model
and batch:

  NAME batch B: N values, M mismatches

and exits non-zero on the first failure. Needs a GPU (the tests that run
it say REQUIRES: gpu). Run with Debian's /usr/bin/python3.
"""

import argparse
import os
import subprocess
import sys

import numpy as np

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.abspath(os.path.join(HERE, "..", "..", "..", ".."))
sys.path.insert(0, os.path.join(ROOT, "test", "Integration", "CPU", "Inputs"))


def run(cmd):
    p = subprocess.run(cmd, capture_output=True, text=True)
    if p.returncode != 0:
        sys.exit("gpu_vs_cpu.py: %s failed (%d):\n%s%s" %
                 (" ".join(cmd), p.returncode, p.stdout, p.stderr))


def build(model, workdir, name, arch, extra):
    libs = {}
    for target in ("cpu", "cuda"):
        lib = os.path.join(workdir, "%s.%s.so" % (name, target))
        cmd = ["mc-compile", model, "-o", lib, "--target=" + target] + extra
        if target == "cuda":
            cmd.append("--cuda-arch=" + arch)
        run(cmd)
        libs[target] = lib
    return libs


def compare(name, batch, libs, inputs, workdir, tolerance):
    cmd_inputs = []
    for i, x in enumerate(inputs):
        path = os.path.join(workdir, "%s.b%d.in%d.npy" % (name, batch, i))
        np.save(path, x)
        cmd_inputs += ["--input", path]
    outs = {}
    for target, lib in libs.items():
        out = os.path.join(workdir, "%s.b%d.%s.npy" % (name, batch, target))
        run(["mc-run", lib] + cmd_inputs + ["--output", out])
        outs[target] = np.load(out)
    cpu, gpu = outs["cpu"], outs["cuda"]
    if cpu.shape != gpu.shape or cpu.dtype != gpu.dtype:
        sys.exit("%s batch %d: GPU gives %s %s, CPU %s %s" %
                 (name, batch, gpu.shape, gpu.dtype, cpu.shape, cpu.dtype))
    if cpu.dtype.kind == "f" and tolerance > 0:
        scale = max(float(np.max(np.abs(cpu))), 1e-30)
        bad = int(np.sum(np.abs(cpu.astype(np.float64) -
                                gpu.astype(np.float64)) > tolerance * scale))
    else:
        bad = int(np.sum(cpu.view(np.uint8).reshape(cpu.size, -1) !=
                         gpu.view(np.uint8).reshape(gpu.size, -1)
                         ).any(axis=-1).sum()) if cpu.size else 0
    print("%s batch %d: %d values, %d mismatches" % (name, batch, cpu.size,
                                                     bad))
    if bad:
        idx = np.argwhere(cpu != gpu)[0]
        sys.exit("%s batch %d: first mismatch at %s: GPU %r, CPU %r" %
                 (name, batch, tuple(idx), gpu[tuple(idx)], cpu[tuple(idx)]))


def quantized_ops(workdir, arch):
    import quantized_ops
    for name, make in quantized_ops.CASES.items():
        text, inputs, _ = make()
        model = os.path.join(workdir, name + ".mlir")
        with open(model, "w") as f:
            f.write(text)
        libs = build(model, workdir, name, arch, [])
        for batch in (1, 3):
            compare(name, batch, libs, inputs(batch,
                                              np.random.RandomState(batch)),
                    workdir, 0.0)


def model(workdir, arch, path, int8, tolerance):
    images = np.load(os.path.join(ROOT, "python", "models",
                                  "fashion_sample_images.npy"))
    images = images.astype(np.float32).reshape(-1, 1, 28, 28)
    name = os.path.splitext(os.path.basename(path))[0] + (".int8"
                                                          if int8 else "")
    extra = []
    if int8:
        calib = os.path.join(workdir, name + ".calib.npy")
        np.save(calib, images[:64])
        extra = ["--calib", calib, "--quantize=int8"]
    libs = build(path, workdir, name, arch, extra)
    for batch in (1, 3, 64):
        x = images[np.arange(batch) % len(images)]
        compare(name, batch, libs, [x], workdir, tolerance)


def main(argv=None):
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--workdir", required=True)
    p.add_argument("--arch", default="sm_80")
    sub = p.add_subparsers(dest="what", required=True)
    sub.add_parser("quantized-ops")
    m = sub.add_parser("model")
    m.add_argument("onnx")
    m.add_argument("--int8", action="store_true")
    m.add_argument("--tolerance", type=float, default=0.0)
    a = p.parse_args(argv)
    os.makedirs(a.workdir, exist_ok=True)
    if a.what == "quantized-ops":
        quantized_ops(a.workdir, a.arch)
    else:
        model(a.workdir, a.arch, a.onnx, a.int8, a.tolerance)
    return 0


if __name__ == "__main__":
    sys.exit(main())
