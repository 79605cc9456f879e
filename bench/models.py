"""The benchmark's models: the bundled CNN and an MLP, as ONNX and as torch.

  models.py export-mlp OUT.onnx     writes the 784-512-256-10 ReLU MLP
                                    (seeded, dynamic batch) as ONNX

torch_from_onnx() rebuilds a torch.nn.Sequential from an ONNX file made of
Conv, Relu, MaxPool, the Shape/Gather/Unsqueeze/Concat/Reshape flatten that
PyTorch exports, Flatten and Gemm (transB = 1), with the file's weights: the
bundled CNN (its BatchNorms are folded into the convolutions in the file) and
the MLP. Run with Debian's /usr/bin/python3 (numpy, onnx, torch).
"""

import sys

import numpy as np
import onnx
import torch
from onnx import numpy_helper
from torch import nn


def mlp():
    torch.manual_seed(0)
    return nn.Sequential(nn.Linear(784, 512), nn.ReLU(), nn.Linear(512, 256),
                         nn.ReLU(), nn.Linear(256, 10)).eval()


def export_mlp(path):
    x = torch.randn(2, 784)
    torch.onnx.export(mlp(), x, path, input_names=["input"],
                      output_names=["logits"], opset_version=13,
                      dynamic_axes={"input": {0: "batch"},
                                    "logits": {0: "batch"}})


class _Flatten(nn.Module):
    def forward(self, x):
        return x.reshape(x.shape[0], -1)


_FLATTEN_HELPERS = {"Shape", "Constant", "Gather", "Unsqueeze", "Concat"}


def torch_from_onnx(path):
    """nn.Sequential with the ONNX file's weights, or None if the graph has
    an op this small converter does not know."""
    model = onnx.load(path)
    weights = {t.name: torch.from_numpy(numpy_helper.to_array(t).copy())
               for t in model.graph.initializer}
    layers = []
    for node in model.graph.node:
        attrs = {a.name: onnx.helper.get_attribute_value(a)
                 for a in node.attribute}
        if node.op_type == "Conv":
            w = weights[node.input[1]]
            if attrs.get("group", 1) != 1 or len(set(attrs["pads"])) != 1:
                return None
            conv = nn.Conv2d(w.shape[1], w.shape[0], tuple(w.shape[2:]),
                             stride=tuple(attrs.get("strides", [1, 1])),
                             padding=attrs["pads"][0],
                             dilation=tuple(attrs.get("dilations", [1, 1])),
                             bias=len(node.input) > 2)
            conv.weight.data = w
            if len(node.input) > 2:
                conv.bias.data = weights[node.input[2]]
            layers.append(conv)
        elif node.op_type == "Relu":
            layers.append(nn.ReLU())
        elif node.op_type == "MaxPool":
            layers.append(nn.MaxPool2d(tuple(attrs["kernel_shape"]),
                                       tuple(attrs["strides"])))
        elif node.op_type in ("Reshape", "Flatten"):
            layers.append(_Flatten())
        elif node.op_type in _FLATTEN_HELPERS:
            continue
        elif node.op_type == "Gemm":
            if attrs.get("transB", 0) != 1 or attrs.get("alpha", 1.0) != 1.0 \
                    or attrs.get("beta", 1.0) != 1.0:
                return None
            w = weights[node.input[1]]
            linear = nn.Linear(w.shape[1], w.shape[0])
            linear.weight.data = w
            linear.bias.data = weights[node.input[2]]
            layers.append(linear)
        else:
            return None
    return nn.Sequential(*layers).eval()


if __name__ == "__main__":
    if len(sys.argv) != 3 or sys.argv[1] != "export-mlp":
        sys.exit(__doc__)
    export_mlp(sys.argv[2])
