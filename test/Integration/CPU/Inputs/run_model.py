#!/usr/bin/env python3
"""Compiles an ONNX model with mc and compares its output with a reference.

Usage:
  run_model.py MODEL.onnx INPUT.npy EXPECTED.npy --runner MLIR_RUNNER
               --shared-libs LIB1,LIB2 --workdir DIR [--rtol R] [--atol A]

mc-import (from PATH) imports the model; a small entry function is appended
that feeds INPUT.npy (as a constant, cast to the model's dynamic batch type)
to @main and prints the result with printMemrefF32; mc-opt --mc-to-llvm lowers
the module and mlir-runner runs it. The printed values (6 significant digits)
must match EXPECTED.npy (PyTorch's output, from torch_models.py --save-io)
within rtol/atol, and the printed sizes must be its shape. Exits non-zero
with the largest error otherwise.
"""

import argparse
import os
import re
import shutil
import subprocess
import sys

import numpy as np

ELEMENT_TYPES = {np.dtype("float32"): "f32", np.dtype("int64"): "i64",
                 np.dtype("int32"): "i32"}


def tensor_type(shape, elem, dynamic_batch):
    dims = ["?" if dynamic_batch and i == 0 else str(d)
            for i, d in enumerate(shape)]
    return "tensor<" + "".join(d + "x" for d in dims) + elem + ">"


def literal(a):
    """The elements of `a`, row-major, for a 1-D dense literal (the entry
    function reshapes it to the input's shape)."""
    if a.dtype.kind == "i":
        return ", ".join(str(int(v)) for v in a.reshape(-1))
    return ", ".join(repr(float(v)) for v in a.reshape(-1))


def entry_function(x, y_shape):
    elem = ELEMENT_TYPES[x.dtype]
    flat_t = tensor_type((x.size,), elem, False)
    static_t = tensor_type(x.shape, elem, False)
    dyn_t = tensor_type(x.shape, elem, True)
    out_t = tensor_type(y_shape, "f32", True)
    shape_t = "tensor<%dxindex>" % x.ndim
    dims = ", ".join(str(d) for d in x.shape)
    return "\n".join([
        "  func.func private @printMemrefF32(tensor<*xf32>) "
        "attributes { llvm.emit_c_interface }",
        "  func.func @mc_test_entry() {",
        "    %flat = arith.constant dense<[" + literal(x) + "]> : " + flat_t,
        "    %shape = arith.constant dense<[" + dims + "]> : " + shape_t,
        "    %x = tensor.reshape %flat(%shape) : (" + flat_t + ", " + shape_t +
        ") -> " + static_t,
        "    %xd = tensor.cast %x : " + static_t + " to " + dyn_t,
        "    %y = func.call @main(%xd) : (" + dyn_t + ") -> " + out_t,
        "    %u = tensor.cast %y : " + out_t + " to tensor<*xf32>",
        "    func.call @printMemrefF32(%u) : (tensor<*xf32>) -> ()",
        "    return",
        "  }",
    ]) + "\n"


def append_to_module(module_text, function_text):
    """Inserts `function_text` before the closing brace of the module (and
    before the dialect resources that follow it)."""
    end = module_text.find("\n{-#")
    body = module_text if end < 0 else module_text[:end]
    close = body.rstrip().rfind("}")
    if close < 0:
        sys.exit("run_model.py: no module to extend")
    return body[:close] + function_text + body[close:] + module_text[len(body):]


def run(cmd, **kwargs):
    proc = subprocess.run(cmd, capture_output=True, text=True, **kwargs)
    if proc.returncode != 0:
        sys.stderr.write(proc.stderr)
        sys.exit("run_model.py: failed: " + " ".join(cmd[:2]))
    return proc.stdout


def main():
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("model")
    p.add_argument("input")
    p.add_argument("expected")
    p.add_argument("--runner", required=True)
    p.add_argument("--shared-libs", required=True)
    p.add_argument("--workdir", required=True)
    p.add_argument("--rtol", type=float, default=1e-4)
    p.add_argument("--atol", type=float, default=1e-5)
    args = p.parse_args()

    x = np.load(args.input)
    expected = np.load(args.expected).astype(np.float64)
    os.makedirs(args.workdir, exist_ok=True)
    stem = os.path.join(args.workdir,
                        os.path.splitext(os.path.basename(args.model))[0])

    imported = run([shutil.which("mc-import") or "mc-import", args.model])
    with open(stem + ".mlir", "w") as f:
        f.write(append_to_module(imported, entry_function(x, expected.shape)))
    lowered = run([shutil.which("mc-opt") or "mc-opt", stem + ".mlir",
                   "--mc-to-llvm"])
    with open(stem + ".llvm.mlir", "w") as f:
        f.write(lowered)
    printed = run([args.runner, stem + ".llvm.mlir", "-e", "mc_test_entry",
                   "-entry-point-result=void",
                   "--shared-libs=" + args.shared_libs])

    header, _, data = printed.partition("data =")
    sizes = re.search(r"sizes = \[([0-9, ]*)\]", header)
    shape = tuple(int(s) for s in sizes.group(1).split(",")) if sizes else ()
    if shape != expected.shape:
        sys.exit("run_model.py: printed sizes %s, expected %s" %
                 (shape, expected.shape))
    number = r"-?(?:inf|nan|[0-9]+(?:\.[0-9]*)?(?:e[-+]?[0-9]+)?)"
    got = np.array([float(v) for v in re.findall(number, data)])
    if got.size != expected.size:
        sys.exit("run_model.py: printed %d values, expected %d" %
                 (got.size, expected.size))
    got = got.reshape(expected.shape)
    err = np.abs(got - expected)
    ok = np.all(err <= args.atol + args.rtol * np.abs(expected))
    print("%s: %d values, max abs error %.3g, max |expected| %.3g: %s" %
          (os.path.basename(args.model), got.size, err.max(),
           np.abs(expected).max(), "OK" if ok else "MISMATCH"))
    if not ok:
        worst = np.unravel_index(np.argmax(err), err.shape)
        print("worst at %s: got %g, expected %g" %
              (worst, got[worst], expected[worst]))
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
