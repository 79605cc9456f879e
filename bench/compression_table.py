#!/usr/bin/env python3
"""The compression table: top-1 accuracy and model bytes of the bundled
Fashion-MNIST models under each compression setting, measured through code
compiled by mc-compile and run by mc-run.

Usage (after scripts/build.sh):
  /usr/bin/python3 bench/compression_table.py [--build build] [--models cnn,mlp]
      [--eval N] [--calib N] [--out table.md] [--only NAME,...]

Evaluation: the first N (default all 10000) images of the Fashion-MNIST
test split (Debian package dataset-fashion-mnist), normalized as the models
expect. Calibration (Wanda's activation norms, int8 activation ranges): N
(default 512) images of the TRAINING split, chosen by a fixed seed, so the
calibration data never overlaps the evaluation data.

Prints a Markdown table (and writes it to --out): one row per setting, one
column pair (accuracy, bytes of constants in the compiled model) per model.
Bytes come from `mc-compile --report`.
"""
import argparse
import json
import os
import subprocess
import sys
import tempfile
import time

import numpy as np

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(HERE)
sys.path.insert(0, os.path.join(ROOT, "python"))

# name, mc-compile flags ("{calib}" is replaced by the calibration file)
SETTINGS = [
    ("fp32", []),
    ("magnitude 50% unstructured",
     ["--prune=magnitude", "--sparsity=0.5", "--sparsity-pattern=unstructured"]),
    ("wanda 50% unstructured",
     ["--prune=wanda", "--sparsity=0.5", "--sparsity-pattern=unstructured",
      "--calib={calib}"]),
    ("magnitude 2:4", ["--prune=magnitude", "--sparsity-pattern=2:4"]),
    ("wanda 2:4", ["--prune=wanda", "--sparsity-pattern=2:4", "--calib={calib}"]),
    ("magnitude 4:8", ["--prune=magnitude", "--sparsity-pattern=4:8"]),
    ("wanda 4:8", ["--prune=wanda", "--sparsity-pattern=4:8", "--calib={calib}"]),
    ("magnitude 50% (first+last dense)",
     ["--prune=magnitude", "--sparsity=0.5", "--prune-keep-first",
      "--prune-keep-last"]),
    ("wanda 50% (first+last dense)",
     ["--prune=wanda", "--sparsity=0.5", "--prune-keep-first",
      "--prune-keep-last", "--calib={calib}"]),
    ("magnitude 2:4 (first+last dense)",
     ["--prune=magnitude", "--sparsity-pattern=2:4", "--prune-keep-first",
      "--prune-keep-last"]),
    ("wanda 2:4 (first+last dense)",
     ["--prune=wanda", "--sparsity-pattern=2:4", "--prune-keep-first",
      "--prune-keep-last", "--calib={calib}"]),
    ("channel 25%",
     ["--prune=magnitude", "--sparsity=0.25", "--sparsity-pattern=channel"]),
    ("low-rank ratio 0.5", ["--lowrank-ratio=0.5"]),
    ("low-rank ratio 0.25", ["--lowrank-ratio=0.25"]),
    ("low-rank energy 0.9", ["--lowrank-energy=0.9"]),
    ("int8", ["--quantize=int8", "--calib={calib}"]),
    ("wanda 50% + int8",
     ["--prune=wanda", "--sparsity=0.5", "--sparsity-pattern=unstructured",
      "--quantize=int8", "--calib={calib}"]),
]


def load_data(n_eval, n_calib):
    import train_fashion as tf  # the IDX reader and normalization
    test_u8, test_y = tf.load_split("t10k")
    train_u8, _ = tf.load_split("train")
    rng = np.random.default_rng(0)
    calib_idx = rng.choice(train_u8.shape[0], size=n_calib, replace=False)
    return (tf.normalize(test_u8[:n_eval]), test_y[:n_eval].astype(np.int64),
            tf.normalize(train_u8[np.sort(calib_idx)]))


def run(cmd):
    proc = subprocess.run(cmd, capture_output=True, text=True)
    if proc.returncode != 0:
        raise RuntimeError(f"{' '.join(cmd)} failed ({proc.returncode}):\n"
                           f"{proc.stderr.strip()}")
    return proc


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--build", default=os.path.join(ROOT, "build"))
    ap.add_argument("--models", default="cnn,mlp")
    ap.add_argument("--eval", type=int, default=10000)
    ap.add_argument("--calib", type=int, default=512)
    ap.add_argument("--only", help="comma-separated setting names")
    ap.add_argument("--out")
    args = ap.parse_args()

    compile_bin = os.path.join(args.build, "bin", "mc-compile")
    run_bin = os.path.join(args.build, "bin", "mc-run")
    settings = SETTINGS
    if args.only:
        wanted = set(args.only.split(","))
        settings = [s for s in SETTINGS if s[0] in wanted]
    models = args.models.split(",")

    work = tempfile.mkdtemp(prefix="mc-compression-")
    x_eval, y_eval, x_calib = load_data(args.eval, args.calib)
    eval_path = os.path.join(work, "eval.npy")
    calib_path = os.path.join(work, "calib.npy")
    np.save(eval_path, x_eval)
    np.save(calib_path, x_calib)

    results = {}
    for model in models:
        onnx_path = os.path.join(ROOT, "python", "models", f"fashion_{model}.onnx")
        for name, flags in settings:
            tag = f"{model}-{len(results)}"
            lib = os.path.join(work, f"lib{tag}.so")
            report = os.path.join(work, f"{tag}.json")
            logits = os.path.join(work, f"{tag}.npy")
            cmd = [compile_bin, onnx_path, "-o", lib, f"--report={report}"]
            cmd += [f.format(calib=calib_path) for f in flags]
            t0 = time.time()
            try:
                run(cmd)
                run([run_bin, lib, "--input", eval_path, "--output", logits])
            except RuntimeError as e:
                print(f"{model} / {name}: {e}", file=sys.stderr)
                results[(model, name)] = None
                continue
            acc = float((np.load(logits).argmax(axis=1) == y_eval).mean())
            nbytes = json.load(open(report))["model_bytes_after"]
            results[(model, name)] = (acc, nbytes)
            print(f"{model} / {name}: {100 * acc:.2f}%, {nbytes} bytes "
                  f"({time.time() - t0:.1f}s)", file=sys.stderr, flush=True)

    head = "| setting | " + " | ".join(
        f"{m} top-1 | {m} bytes" for m in models) + " |"
    lines = [head, "|" + "---|" * (1 + 2 * len(models))]
    for name, _ in settings:
        cells = []
        for m in models:
            r = results.get((m, name))
            cells += ["failed", "-"] if r is None else [f"{100 * r[0]:.2f}%", f"{r[1]:,}"]
        lines.append(f"| {name} | " + " | ".join(cells) + " |")
    table = "\n".join(lines)
    print(f"Evaluated on {args.eval} Fashion-MNIST test images; calibration: "
          f"{args.calib} training images.\n")
    print(table)
    if args.out:
        with open(args.out, "w") as f:
            f.write(table + "\n")


if __name__ == "__main__":
    main()
