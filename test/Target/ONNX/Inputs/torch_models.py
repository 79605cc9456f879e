#!/usr/bin/env python3
"""Builds small deterministic PyTorch models and exports them to ONNX.

Usage:
  torch_models.py --model {mlp,cnn,mobilenet,transformer} --out FILE.onnx
                  [--opset N] [--seed S] [--save-io]

The models are the importer's end-to-end inputs (test/Target/ONNX/torch-*.test)
and, with --save-io, carry a test input and PyTorch's output for it next to the
.onnx file (FILE.input.npy, FILE.output.npy; batch 2) so that later tests can
compare a compiled model against PyTorch.

Every export has a dynamic leading batch axis (dim_param "batch" on the input
and the output), is taken from the model in eval mode without constant folding,
and keeps the nodes an importer must handle rather than an exporter's
optimizer removing them:

* BatchNormalization: torch.onnx.TrainingMode.EVAL runs the eval peephole,
  which folds every BatchNorm that follows a Conv into the Conv whatever
  do_constant_folding says. TrainingMode.PRESERVE with the module in eval mode
  exports inference-mode BatchNormalization (training_mode = 0) and leaves it
  in the graph, so that is the mode used here.
* Dropout and Identity: PyTorch never exports them for an eval-mode nn.Dropout
  or an nn.Identity (tracing sees no op). The models use ExportedDropout and
  ExportedIdentity below, which behave exactly like nn.Dropout / nn.Identity
  in eval mode and export as an ONNX Dropout (ratio input, no training_mode:
  inference) and an ONNX Identity node.

The script checks the exported model with onnx.checker and fails if an op type
a model is meant to exercise is missing from the graph.

Run it with Debian's /usr/bin/python3 (numpy, onnx 1.12, torch 1.13).
"""

import argparse
import io
import math
import os
import sys
import warnings

import numpy as np
import onnx
import torch
from torch import nn

BATCH = 2  # batch size of the saved test input

# --------------------------------------------------------------------------
# Eval-mode Dropout and Identity that survive the export as ONNX nodes.
# --------------------------------------------------------------------------


class _DropoutEvalFn(torch.autograd.Function):
    @staticmethod
    def forward(ctx, x, p):
        return x.clone()

    @staticmethod
    def symbolic(g, x, p):
        opset = torch.onnx._globals.GLOBALS.export_onnx_opset_version
        if opset < 12:
            return g.op("Dropout", x, ratio_f=p)
        ratio = g.op("Constant", value_t=torch.tensor(p, dtype=torch.float32))
        return g.op("Dropout", x, ratio)


class _IdentityFn(torch.autograd.Function):
    @staticmethod
    def forward(ctx, x):
        return x.clone()

    @staticmethod
    def symbolic(g, x):
        return g.op("Identity", x)


class ExportedDropout(nn.Dropout):
    """nn.Dropout that exports as an ONNX Dropout node in eval mode."""

    def forward(self, x):
        if self.training:
            return super().forward(x)
        return _DropoutEvalFn.apply(x, self.p)


class ExportedIdentity(nn.Identity):
    """nn.Identity that exports as an ONNX Identity node."""

    def forward(self, x):
        return _IdentityFn.apply(x)


# --------------------------------------------------------------------------
# Models
# --------------------------------------------------------------------------


class MLP(nn.Module):
    """Flatten, Linear, ReLU, Dropout, Linear, Identity on 1x28x28."""

    def __init__(self):
        super().__init__()
        self.flatten = nn.Flatten()
        self.fc1 = nn.Linear(28 * 28, 64)
        self.relu = nn.ReLU()
        self.dropout = ExportedDropout(0.2)
        self.fc2 = nn.Linear(64, 10)
        self.identity = ExportedIdentity()

    def forward(self, x):
        x = self.relu(self.fc1(self.flatten(x)))
        return self.identity(self.fc2(self.dropout(x)))


class CNN(nn.Module):
    """(Conv, BatchNorm, ReLU, MaxPool) x 2, x.view(N, -1), Linear."""

    def __init__(self):
        super().__init__()
        self.conv1 = nn.Conv2d(1, 8, 3, padding=1)
        self.bn1 = nn.BatchNorm2d(8)
        self.conv2 = nn.Conv2d(8, 16, 3, padding=1)
        self.bn2 = nn.BatchNorm2d(16)
        self.relu = nn.ReLU()
        self.pool = nn.MaxPool2d(2)
        self.identity = ExportedIdentity()
        self.dropout = ExportedDropout(0.25)
        self.fc = nn.Linear(16 * 7 * 7, 10)

    def forward(self, x):
        x = self.pool(self.relu(self.bn1(self.conv1(x))))
        x = self.pool(self.relu(self.bn2(self.conv2(x))))
        # The view(size(0), -1) form: exports Shape, Gather, Unsqueeze, Concat
        # and Reshape, a shape subgraph the importer has to fold.
        x = x.view(x.size(0), -1)
        x = self.dropout(self.identity(x))
        return self.fc(x)


class DepthwiseSeparable(nn.Module):
    """Depthwise 3x3 conv (groups = C), BN, ReLU6, pointwise 1x1 conv, BN."""

    def __init__(self, cin, cout, stride, residual):
        super().__init__()
        self.dw = nn.Conv2d(cin, cin, 3, stride=stride, padding=1, groups=cin,
                            bias=False)
        self.bn_dw = nn.BatchNorm2d(cin)
        self.act = nn.ReLU6()
        self.pw = nn.Conv2d(cin, cout, 1, bias=False)
        self.bn_pw = nn.BatchNorm2d(cout)
        self.residual = residual
        assert not residual or (cin == cout and stride == 1)

    def forward(self, x):
        y = self.bn_pw(self.pw(self.act(self.bn_dw(self.dw(x)))))
        if self.residual:
            return x + y
        return self.act(y)


class MobileNet(nn.Module):
    """A MobileNet-style net on 3x32x32: conv stem, two depthwise-separable
    blocks (the first with a residual Add), GlobalAveragePool, Linear."""

    def __init__(self):
        super().__init__()
        self.stem = nn.Sequential(
            nn.Conv2d(3, 16, 3, stride=2, padding=1, bias=False),
            nn.BatchNorm2d(16), nn.ReLU6())
        self.block1 = DepthwiseSeparable(16, 16, stride=1, residual=True)
        self.block2 = DepthwiseSeparable(16, 32, stride=2, residual=False)
        self.pool = nn.AdaptiveAvgPool2d(1)
        self.dropout = ExportedDropout(0.2)
        self.fc = nn.Linear(32, 10)

    def forward(self, x):
        x = self.block2(self.block1(self.stem(x)))
        x = torch.flatten(self.pool(x), 1)
        return self.fc(self.dropout(x))


class Attention(nn.Module):
    """Hand-written multi-head self-attention (no nn.MultiheadAttention)."""

    def __init__(self, dim, heads):
        super().__init__()
        self.heads = heads
        self.head_dim = dim // heads
        self.q = nn.Linear(dim, dim)
        self.k = nn.Linear(dim, dim)
        self.v = nn.Linear(dim, dim)
        self.proj = nn.Linear(dim, dim)

    def forward(self, x):
        b, t, c = x.shape
        q = self.q(x).reshape(b, t, self.heads, self.head_dim).transpose(1, 2)
        k = self.k(x).reshape(b, t, self.heads, self.head_dim).transpose(1, 2)
        v = self.v(x).reshape(b, t, self.heads, self.head_dim).transpose(1, 2)
        att = torch.matmul(q, k.transpose(-2, -1)) / math.sqrt(self.head_dim)
        att = torch.softmax(att, dim=-1)
        y = torch.matmul(att, v).transpose(1, 2).reshape(b, t, c)
        return self.proj(y)


class Transformer(nn.Module):
    """Token embedding (Gather on int64 ids [batch, 16]), learned positional
    Add, one pre-LayerNorm block (attention, GELU MLP, residual Adds), final
    LayerNorm and a per-token Linear head."""

    VOCAB, SEQ, DIM, HEADS, FFN = 50, 16, 32, 4, 64

    def __init__(self):
        super().__init__()
        self.embed = nn.Embedding(self.VOCAB, self.DIM)
        self.pos = nn.Parameter(0.1 * torch.randn(self.SEQ, self.DIM))
        self.ln1 = nn.LayerNorm(self.DIM)
        self.attn = Attention(self.DIM, self.HEADS)
        self.dropout = ExportedDropout(0.1)
        self.ln2 = nn.LayerNorm(self.DIM)
        self.fc1 = nn.Linear(self.DIM, self.FFN)
        self.gelu = nn.GELU()
        self.fc2 = nn.Linear(self.FFN, self.DIM)
        self.ln_f = nn.LayerNorm(self.DIM)
        self.head = nn.Linear(self.DIM, 10)

    def forward(self, ids):
        x = self.embed(ids) + self.pos
        x = x + self.dropout(self.attn(self.ln1(x)))
        x = x + self.fc2(self.gelu(self.fc1(self.ln2(x))))
        return self.head(self.ln_f(x))


# name -> (constructor, input name, input shape without batch, op types the
# opset-17 export must contain, op types the export must not contain)
MODELS = {
    "mlp": (MLP, "input", (1, 28, 28),
            {"Flatten", "Gemm", "Relu", "Dropout", "Identity"}, set()),
    "cnn": (CNN, "input", (1, 28, 28),
            {"Conv", "BatchNormalization", "Relu", "MaxPool", "Shape",
             "Gather", "Unsqueeze", "Concat", "Reshape", "Identity", "Dropout",
             "Gemm"}, set()),
    "mobilenet": (MobileNet, "input", (3, 32, 32),
                  {"Conv", "BatchNormalization", "Clip", "Add",
                   "GlobalAveragePool", "Flatten", "Dropout", "Gemm"}, set()),
    "transformer": (Transformer, "input_ids", (Transformer.SEQ,),
                    {"Gather", "Add", "LayerNormalization", "MatMul",
                     "Reshape", "Transpose", "Div", "Softmax", "Erf", "Mul",
                     "Dropout"}, set()),
}


def _randomize_batch_norms(model, gen):
    """Non-trivial running statistics and affine parameters, so that BatchNorm
    does something measurable (and no two BN tensors are equal, which would
    make the exporter deduplicate them behind Identity nodes)."""
    for m in model.modules():
        if isinstance(m, nn.BatchNorm2d):
            c = m.num_features
            with torch.no_grad():
                m.running_mean.copy_(0.1 * torch.randn(c, generator=gen))
                m.running_var.copy_(0.5 + torch.rand(c, generator=gen))
                m.weight.copy_(1.0 + 0.1 * torch.randn(c, generator=gen))
                m.bias.copy_(0.1 * torch.randn(c, generator=gen))


def build(name, seed):
    ctor, input_name, shape, _, _ = MODELS[name]
    torch.manual_seed(seed)
    model = ctor()
    gen = torch.Generator().manual_seed(seed + 1)
    _randomize_batch_norms(model, gen)
    model.eval()
    if name == "transformer":
        x = torch.randint(0, Transformer.VOCAB, (BATCH,) + shape,
                          generator=gen, dtype=torch.int64)
    else:
        x = torch.randn((BATCH,) + shape, generator=gen)
    return model, input_name, x


def export(model, input_name, x, opset):
    f = io.BytesIO()
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        torch.onnx.export(
            model, (x,), f,
            input_names=[input_name], output_names=["output"],
            dynamic_axes={input_name: {0: "batch"}, "output": {0: "batch"}},
            opset_version=opset,
            do_constant_folding=False,
            training=torch.onnx.TrainingMode.PRESERVE,
            verbose=False)
    return f.getvalue()


def check(name, data, opset):
    model = onnx.load_from_string(data)
    onnx.checker.check_model(model)
    ops = {n.op_type for n in model.graph.node}
    _, input_name, _, required, forbidden = MODELS[name]
    if opset < 17:
        # LayerNormalization only exists from opset 17; older exports
        # decompose it.
        required = required - {"LayerNormalization"}
    missing = sorted(required - ops)
    if missing:
        sys.exit(f"torch_models.py: the {name} export (opset {opset}) lacks "
                 f"{', '.join(missing)}; it has {', '.join(sorted(ops))}")
    unexpected = sorted(forbidden & ops)
    if unexpected:
        sys.exit(f"torch_models.py: the {name} export has {unexpected}")
    for vi in (model.graph.input[0], model.graph.output[0]):
        dim0 = vi.type.tensor_type.shape.dim[0]
        if dim0.dim_param != "batch":
            sys.exit(f"torch_models.py: {vi.name}'s first dim is not 'batch'")
    return model


def main(argv=None):
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--model", required=True, choices=sorted(MODELS))
    p.add_argument("--out", required=True, help="the .onnx file to write")
    p.add_argument("--opset", type=int, default=17,
                   help="ONNX opset to export (default 17; 11..17)")
    p.add_argument("--seed", type=int, default=0)
    p.add_argument("--save-io", action="store_true",
                   help="also write OUT.input.npy and OUT.output.npy "
                        "(OUT without .onnx): a batch-2 input and PyTorch's "
                        "output for it")
    args = p.parse_args(argv)
    if not 11 <= args.opset <= 17:
        p.error("--opset must be in 11..17")

    torch.set_num_threads(1)
    model, input_name, x = build(args.model, args.seed)
    data = export(model, input_name, x, args.opset)
    check(args.model, data, args.opset)
    out_dir = os.path.dirname(os.path.abspath(args.out))
    os.makedirs(out_dir, exist_ok=True)
    with open(args.out, "wb") as f:
        f.write(data)

    if args.save_io:
        stem = args.out[:-5] if args.out.endswith(".onnx") else args.out
        with torch.no_grad():
            y = model(x)
        np.save(stem + ".input.npy", x.numpy())
        np.save(stem + ".output.npy", y.numpy())


if __name__ == "__main__":
    main()
