#!/usr/bin/env python3
"""mc-lowrank on the bundled Fashion-MNIST CNN: rank, size and accuracy.

For each rank rule, runs mc-import -> mc-opt --mc-lowrank -> mc-compile ->
mc-run on the 1000-image test sample and prints one markdown table row:
ranks per layer (conv1, conv2, fc1, fc2; "-" where the layer was left alone),
weights and multiply-accumulates per image of the conv and linear layers
(counted from the IR's shapes), and top-1 accuracy.

  /usr/bin/python3 bench/lowrank_sweep.py [--build build] [--work /tmp/lowrank]
"""
import argparse
import os
import re
import subprocess

import numpy as np

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
# The first convolution and the last linear layer, by their ONNX node names.
ENDS = "skip=/features/features.0/Conv,/classifier/classifier.3/Gemm"
RULES = ["none", "energy=1", "energy=0.99", "energy=0.95", "energy=0.9",
         "energy=0.8", "energy=0.9 " + ENDS, "energy=0.8 " + ENDS,
         "rank-ratio=0.5", "rank-ratio=0.25", "rank-ratio=0.1"]


def shape(t):
    return [int(d) if d != "?" else 1 for d in t.split("x")[:-1]]


def cost(ir):
    """(weights, MACs per image) of every mc.linear / mc.conv2d."""
    params = macs = 0
    for m in re.finditer(r"= mc\.(linear|conv2d) .*?: \((.*?)\) -> tensor<(.*?)>",
                         ir):
        kind, operands, result = m.groups()
        w = shape(re.findall(r"tensor<(.*?)>", operands)[1])
        n = int(np.prod(w))
        params += n
        out = shape(result)
        macs += n * (out[2] * out[3] if kind == "conv2d" else
                     int(np.prod(out[1:-1])))
    return params, macs


def main():
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--build", default=os.path.join(ROOT, "build"))
    p.add_argument("--work", default="/tmp/mc-lowrank-sweep")
    a = p.parse_args()
    b = os.path.join(a.build, "bin")
    models = os.path.join(ROOT, "python", "models")
    os.makedirs(a.work, exist_ok=True)
    base = os.path.join(a.work, "cnn.mlir")
    # Debug info keeps the ONNX node names that `skip` refers to.
    subprocess.run([os.path.join(b, "mc-import"),
                    os.path.join(models, "fashion_cnn.onnx"),
                    "--mlir-print-debuginfo", "-o", base], check=True)
    labels = np.load(os.path.join(models, "fashion_sample_labels.npy"))
    print("| rule | ranks conv1, conv2, fc1, fc2 | weights | MACs / image | accuracy |")
    print("|---|---|---|---|---|")
    for rule in RULES:
        tag = re.sub(r"[^\w.]+", "_", rule)
        src = os.path.join(a.work, tag + ".mlir")
        if rule == "none":
            src = base
        else:
            subprocess.run([os.path.join(b, "mc-opt"), base,
                            "--mc-lowrank=" + rule, "-o", src], check=True)
        ir = open(src).read()
        # Ranks in layer order: a split is a rank-carrying op followed by
        # the rank-carrying op that consumes it.
        ranks, pending = [], None
        for m in re.finditer(r"(%\w+) = mc\.(?:linear|conv2d) (%\w+), (.*)", ir):
            r = re.search(r"rank = (\d+) : i64", m.group(3))
            if r is None:
                ranks.append("-")
            elif pending is not None and m.group(2) == pending:
                pending = None
            else:
                ranks.append(r.group(1))
                pending = m.group(1)
        params, macs = cost(ir)
        lib = os.path.join(a.work, "lib%s.so" % tag)
        out = os.path.join(a.work, "logits_%s.npy" % tag)
        subprocess.run([os.path.join(b, "mc-compile"), src, "-o", lib],
                       check=True)
        subprocess.run([os.path.join(b, "mc-run"), lib, "--input",
                        os.path.join(models, "fashion_sample_images.npy"),
                        "--output", out], check=True)
        acc = 100.0 * float((np.load(out).argmax(1) == labels).mean())
        print("| %s | %s | %d | %d | %.1f%% |"
              % (rule.replace(ENDS, "skip=conv1,fc2"), ", ".join(ranks),
                 params, macs, acc))


if __name__ == "__main__":
    main()
