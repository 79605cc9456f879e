"""Wanda against magnitude at 2:4 on the bundled MLP, computed in NumPy.

A reference for the table of docs/Compression.md, independent of mc: it
prunes the middle layer of python/models/fashion_mlp.onnx (784-256-128-10;
the first and last layer stay dense, as with --prune-keep-first
--prune-keep-last) at 2:4 along the reduction dimension, with the score
|W| (magnitude) or |W_ij| * ||X_j||_2 over 512 calibration images of the
training split (Wanda, Sun et al. 2023: compared within groups of 4 of one
output row), and evaluates float64 top-1 accuracy on the 10,000 test
images. Seed 0 draws the same calibration images as
bench/compression_table.py; seeds 1..5 draw others.

    /usr/bin/python3 bench/wanda_reference.py
"""
import os
import sys

import numpy as np
import onnx
from onnx import numpy_helper

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
sys.path.insert(0, os.path.join(ROOT, "python"))
import train_fashion as tf  # noqa: E402  (the IDX reader and normalization)


def layers(path):
    """(W [out, in], b) of every Gemm, in graph order."""
    model = onnx.load(path)
    inits = {i.name: numpy_helper.to_array(i) for i in model.graph.initializer}
    result = []
    for node in model.graph.node:
        if node.op_type != "Gemm":
            continue
        w = inits[node.input[1]].astype(np.float64)
        trans_b = [a.i for a in node.attribute if a.name == "transB"]
        if not (trans_b and trans_b[0] == 1):
            w = w.T
        result.append((w, inits[node.input[2]].astype(np.float64)))
    return result


def forward(x, ws):
    for i, (w, b) in enumerate(ws):
        x = x @ w.T + b
        if i < len(ws) - 1:
            x = np.maximum(x, 0)
    return x


def prune_2_4(w, score):
    """Zeroes the 2 lowest scores of every group of 4 along each row."""
    rows, depth = w.shape
    groups = score.reshape(rows, depth // 4, 4)
    mask = np.ones_like(groups, bool)
    np.put_along_axis(mask, np.argsort(groups, axis=2)[:, :, :2], False, 2)
    return w * mask.reshape(rows, depth)


def main():
    test_u8, test_y = tf.load_split("t10k")
    train_u8, _ = tf.load_split("train")
    x = tf.normalize(test_u8).reshape(len(test_u8), -1).astype(np.float64)
    ws = layers(os.path.join(ROOT, "python", "models", "fashion_mlp.onnx"))

    def accuracy(model):
        return 100.0 * (forward(x, model).argmax(1) == test_y).mean()

    (w0, b0), (w1, b1), last = ws
    print(f"fp32: {accuracy(ws):.2f}%")
    print(f"magnitude 2:4 (middle layer): "
          f"{accuracy([ws[0], (prune_2_4(w1, np.abs(w1)), b1), last]):.2f}%")
    for seed in range(6):
        rng = np.random.default_rng(seed)
        pick = np.sort(rng.choice(train_u8.shape[0], size=512, replace=False))
        calib = tf.normalize(train_u8[pick]).reshape(512, -1).astype(np.float64)
        hidden = np.maximum(calib @ w0.T + b0, 0)  # the middle layer's input
        norms = np.sqrt((hidden ** 2).sum(0))
        pruned = prune_2_4(w1, np.abs(w1) * norms[None, :])
        print(f"wanda 2:4 (middle layer), calibration seed {seed}: "
              f"{accuracy([ws[0], (pruned, b1), last]):.2f}%")


if __name__ == "__main__":
    main()
