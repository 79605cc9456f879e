#!/usr/bin/env python3
"""Trains the project's bundled models on Fashion-MNIST: a small CNN (the
main job's model) and an MLP (the second model of the compression table).

Usage (Debian's /usr/bin/python3: numpy, torch 1.13, onnx 1.12):
  /usr/bin/python3 python/train_fashion.py [--arch cnn|mlp] [--epochs N]
                       [--seed S] [--out-dir DIR] [--threads T]

Data: the Debian package files (fashion-mnist)
  /usr/share/datasets/fashion-mnist/{train,t10k}-{images-idx3,labels-idx1}-ubyte.gz
parsed here with gzip + numpy (IDX format); nothing is downloaded.

Models (input "input" [batch,1,28,28] float32 -> output "logits" [batch,10]):
  cnn: Conv(1->16, 3x3, pad 1) + BatchNorm + ReLU + MaxPool 2
       Conv(16->32, 3x3, pad 1) + BatchNorm + ReLU + MaxPool 2
       Flatten (32*7*7 = 1568)
       Linear(1568->64) + ReLU + Dropout(0.25)
       Linear(64->10)
  mlp: Flatten (784), Linear(784->256) + ReLU, Linear(256->128) + ReLU,
       Linear(128->10)

Input normalization (what the model expects; the sample files already hold it):
  x = (pixel / 255 - 0.2860) / 0.3530
where pixel is the uint8 value, 0.2860 / 0.3530 the mean / std of the
Fashion-MNIST training images scaled to [0, 1].

Training: Adam (lr 1e-3), batch 128, cross-entropy, seeded shuffling and
initialization, deterministic algorithms, a fixed number of CPU threads
(default 1: on a shared 2-core machine a second thread mostly waits).
Before torch allocates anything the script raises glibc's mmap and trim
thresholds (mallopt), so that the few-MB activation buffers of every step are
reused from the heap instead of being mmap'd and page-faulted afresh; on the
machine it was measured on that made a training step about 2.5x faster.

Outputs in --out-dir (default python/models), for --arch cnn (the MLP writes
fashion_mlp.onnx and fashion_mlp.json only; the sample is the same):
  fashion_cnn.onnx            opset 13, dynamic batch axis "batch", exported
                              from the eval-mode model with constant folding
                              (the exporter folds each BatchNorm into its Conv
                              and drops the eval-mode Dropout)
  fashion_sample.npz          (np.savez_compressed) 'images' float32
                              [1000,1,28,28] (normalized),
                              'labels' int64 [1000]: the first 1000 TEST images
  fashion_sample_images.npy   the same images, plain .npy
  fashion_sample_labels.npy   the same labels, plain .npy
  fashion_cnn.json            accuracies, normalization, epochs, seed, opset,
                              training time

The script checks the export with onnx.checker and fails if the graph holds an
op type outside the set the project's importer is meant to see.
"""

import argparse
import ctypes
import gzip
import json
import os
import sys
import time


def _keep_large_allocations_on_heap():
    """glibc: serve big blocks from the heap and don't trim it (see docstring)."""
    try:
        libc = ctypes.CDLL("libc.so.6")
    except OSError:
        return
    M_TRIM_THRESHOLD, M_MMAP_THRESHOLD = -1, -3
    libc.mallopt(M_MMAP_THRESHOLD, 32 << 20)  # glibc's maximum on 64-bit
    libc.mallopt(M_TRIM_THRESHOLD, 1 << 30)


_keep_large_allocations_on_heap()

import numpy as np  # noqa: E402
import onnx  # noqa: E402
import torch  # noqa: E402
from torch import nn

DATA_DIR = "/usr/share/datasets/fashion-mnist"
MEAN = 0.2860
STD = 0.3530
OPSET = 13
SAMPLE_SIZE = 1000
BATCH_SIZE = 128
LR = 1e-3

ALLOWED_OPS = {
    "Conv", "BatchNormalization", "Relu", "MaxPool", "Reshape", "Flatten",
    "Gemm", "MatMul", "Add", "Shape", "Gather", "Unsqueeze", "Concat",
    "Constant", "Identity", "Dropout",
}


# --------------------------------------------------------------------------
# IDX files
# --------------------------------------------------------------------------


def read_idx(path):
    """Reads a gzip'd IDX file (unsigned byte data) into a numpy array."""
    with gzip.open(path, "rb") as f:
        data = f.read()
    if len(data) < 4 or data[0] != 0 or data[1] != 0:
        raise ValueError(f"{path}: not an IDX file")
    dtype_code, ndim = data[2], data[3]
    if dtype_code != 0x08:
        raise ValueError(f"{path}: expected unsigned byte data, got 0x{dtype_code:02x}")
    dims = np.frombuffer(data, dtype=">u4", count=ndim, offset=4).astype(np.int64)
    offset = 4 + 4 * ndim
    count = int(np.prod(dims))
    if len(data) - offset != count:
        raise ValueError(f"{path}: {len(data) - offset} data bytes, expected {count}")
    return np.frombuffer(data, dtype=np.uint8, offset=offset).reshape(tuple(dims))


def load_split(split):
    images = read_idx(os.path.join(DATA_DIR, f"{split}-images-idx3-ubyte.gz"))
    labels = read_idx(os.path.join(DATA_DIR, f"{split}-labels-idx1-ubyte.gz"))
    if images.ndim != 3 or images.shape[1:] != (28, 28) or labels.shape != (images.shape[0],):
        raise ValueError(f"{split}: unexpected shapes {images.shape} {labels.shape}")
    return images, labels


def normalize(images_u8):
    """uint8 [N,28,28] -> float32 [N,1,28,28], (x/255 - MEAN) / STD."""
    x = images_u8.astype(np.float32) / np.float32(255.0)
    x = (x - np.float32(MEAN)) / np.float32(STD)
    return x[:, None, :, :].astype(np.float32)


# --------------------------------------------------------------------------
# Model
# --------------------------------------------------------------------------


class FashionCNN(nn.Module):
    def __init__(self):
        super().__init__()
        self.features = nn.Sequential(
            nn.Conv2d(1, 16, 3, padding=1),
            nn.BatchNorm2d(16),
            nn.ReLU(),
            nn.MaxPool2d(2),
            nn.Conv2d(16, 32, 3, padding=1),
            nn.BatchNorm2d(32),
            nn.ReLU(),
            nn.MaxPool2d(2),
        )
        self.classifier = nn.Sequential(
            nn.Linear(32 * 7 * 7, 64),
            nn.ReLU(),
            nn.Dropout(0.25),
            nn.Linear(64, 10),
        )

    def forward(self, x):
        x = self.features(x)
        x = x.view(x.size(0), -1)
        return self.classifier(x)


class FashionMLP(nn.Module):
    def __init__(self):
        super().__init__()
        self.layers = nn.Sequential(
            nn.Linear(28 * 28, 256),
            nn.ReLU(),
            nn.Linear(256, 128),
            nn.ReLU(),
            nn.Linear(128, 10),
        )

    def forward(self, x):
        return self.layers(x.view(x.size(0), -1))


ARCHS = {"cnn": FashionCNN, "mlp": FashionMLP}


@torch.no_grad()
def predict(model, x, batch=1000):
    model.eval()
    preds = []
    for i in range(0, x.shape[0], batch):
        preds.append(model(x[i:i + batch]).argmax(dim=1))
    return torch.cat(preds)


def accuracy(model, x, y):
    return float((predict(model, x) == y).double().mean().item())


# --------------------------------------------------------------------------
# Main
# --------------------------------------------------------------------------


def main():
    here = os.path.dirname(os.path.abspath(__file__))
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--arch", choices=sorted(ARCHS), default="cnn")
    ap.add_argument("--epochs", type=int, default=6)
    ap.add_argument("--seed", type=int, default=0)
    ap.add_argument("--out-dir", default=os.path.join(here, "models"))
    ap.add_argument("--threads", type=int, default=1,
                    help="CPU threads for torch (fixed, for reproducibility)")
    args = ap.parse_args()

    torch.set_num_threads(args.threads)
    torch.manual_seed(args.seed)
    np.random.seed(args.seed)
    torch.use_deterministic_algorithms(True)

    train_u8, train_y = load_split("train")
    test_u8, test_y = load_split("t10k")
    x_train = torch.from_numpy(normalize(train_u8))
    y_train = torch.from_numpy(train_y.astype(np.int64))
    x_test = torch.from_numpy(normalize(test_u8))
    y_test = torch.from_numpy(test_y.astype(np.int64))
    print(f"train {tuple(x_train.shape)}, test {tuple(x_test.shape)}", flush=True)

    model = ARCHS[args.arch]()
    opt = torch.optim.Adam(model.parameters(), lr=LR)
    loss_fn = nn.CrossEntropyLoss()
    gen = torch.Generator().manual_seed(args.seed)

    n = x_train.shape[0]
    t0 = time.perf_counter()
    for epoch in range(1, args.epochs + 1):
        model.train()
        te = time.perf_counter()
        perm = torch.randperm(n, generator=gen)
        total, count = 0.0, 0
        for i in range(0, n, BATCH_SIZE):
            idx = perm[i:i + BATCH_SIZE]
            xb, yb = x_train[idx], y_train[idx]
            opt.zero_grad()
            loss = loss_fn(model(xb), yb)
            loss.backward()
            opt.step()
            total += loss.item() * idx.numel()
            count += idx.numel()
        test_acc = accuracy(model, x_test, y_test)
        print(f"epoch {epoch}/{args.epochs}: loss {total / count:.4f}, "
              f"test acc {test_acc:.4f}, {time.perf_counter() - te:.1f}s", flush=True)
    train_seconds = time.perf_counter() - t0

    model.eval()
    full_acc = accuracy(model, x_test, y_test)
    sample_x = x_test[:SAMPLE_SIZE].contiguous()
    sample_y = y_test[:SAMPLE_SIZE].contiguous()
    sample_acc = accuracy(model, sample_x, sample_y)
    print(f"test accuracy (10000): {full_acc:.4f}; sample accuracy ({SAMPLE_SIZE}): "
          f"{sample_acc:.4f}; training {train_seconds:.1f}s", flush=True)

    os.makedirs(args.out_dir, exist_ok=True)
    onnx_path = os.path.join(args.out_dir, f"fashion_{args.arch}.onnx")
    torch.onnx.export(
        model, sample_x[:1], onnx_path,
        input_names=["input"], output_names=["logits"],
        dynamic_axes={"input": {0: "batch"}, "logits": {0: "batch"}},
        opset_version=OPSET, do_constant_folding=True,
    )

    # Check the export.
    m = onnx.load(onnx_path)
    onnx.checker.check_model(m)
    ops = sorted({node.op_type for node in m.graph.node})
    bad = [op for op in ops if op not in ALLOWED_OPS]
    if bad:
        sys.exit(f"error: exported graph holds unexpected op types {bad}")
    if [i.name for i in m.graph.input] != ["input"] or [o.name for o in m.graph.output] != ["logits"]:
        sys.exit("error: unexpected graph input/output names")
    in_dims = [d.dim_param or d.dim_value for d in m.graph.input[0].type.tensor_type.shape.dim]
    out_dims = [d.dim_param or d.dim_value for d in m.graph.output[0].type.tensor_type.shape.dim]
    if in_dims != ["batch", 1, 28, 28] or out_dims != ["batch", 10]:
        sys.exit(f"error: unexpected shapes input {in_dims}, logits {out_dims}")
    size = os.path.getsize(onnx_path)
    if size >= 2 * 1024 * 1024:
        sys.exit(f"error: {onnx_path} is {size} bytes (limit 2 MB)")
    print(f"{onnx_path}: {size} bytes, ops {ops}", flush=True)

    if args.arch == "cnn":
        images = sample_x.numpy().astype(np.float32)
        labels = sample_y.numpy().astype(np.int64)
        np.savez_compressed(os.path.join(args.out_dir, "fashion_sample.npz"),
                            images=images, labels=labels)
        np.save(os.path.join(args.out_dir, "fashion_sample_images.npy"), images)
        np.save(os.path.join(args.out_dir, "fashion_sample_labels.npy"), labels)

    meta = {
        "pytorch_test_accuracy_full": round(full_acc, 6),
        "pytorch_sample_accuracy": round(sample_acc, 6),
        "sample_size": SAMPLE_SIZE,
        "normalization": {
            "formula": "(pixel / 255 - mean) / std",
            "mean": MEAN,
            "std": STD,
            "layout": "NCHW [batch,1,28,28] float32",
        },
        "epochs": args.epochs,
        "seed": args.seed,
        "opset": OPSET,
        "train_seconds": round(train_seconds, 1),
        "threads": args.threads,
        "batch_size": BATCH_SIZE,
        "optimizer": f"Adam lr={LR}",
        "onnx_ops": ops,
        "torch_version": torch.__version__,
    }
    meta["arch"] = args.arch
    with open(os.path.join(args.out_dir, f"fashion_{args.arch}.json"), "w") as f:
        json.dump(meta, f, indent=2)
        f.write("\n")
    print("wrote", args.out_dir, flush=True)


if __name__ == "__main__":
    main()
