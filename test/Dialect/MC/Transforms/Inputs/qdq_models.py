"""Writes one quantized convolution in ONNX's two quantized forms.

`--form qdq`: QuantizeLinear -> DequantizeLinear -> Conv (weight and bias
through DequantizeLinear) -> Relu -> QuantizeLinear -> DequantizeLinear.
`--form qlinear`: QuantizeLinear -> QLinearConv -> DequantizeLinear.
Both use the same int8 weights, int32 bias and scales (the output zero point
is -128, so QLinearConv's saturation is the ReLU), so after mc-import and
mc-fold-qdq both must be the same integer IR.

Usage: qdq_models.py --form qdq|qlinear --out FILE
"""

import argparse

import numpy as np
import onnx
from onnx import TensorProto, helper, numpy_helper


def main():
    p = argparse.ArgumentParser()
    p.add_argument("--form", choices=["qdq", "qlinear"], required=True)
    p.add_argument("--out", required=True)
    args = p.parse_args()

    r = np.random.RandomState(7)
    w = r.randint(-127, 128, size=(2, 1, 3, 3)).astype(np.int8)
    b = np.array([300, -200], dtype=np.int32)
    x_scale = np.array(0.05, dtype=np.float32)
    w_scale = np.array([0.02, 0.01], dtype=np.float32)
    inits = [
        numpy_helper.from_array(x_scale, "x_scale"),
        numpy_helper.from_array(np.array(3, dtype=np.int8), "x_zp"),
        numpy_helper.from_array(w, "w"),
        numpy_helper.from_array(w_scale, "w_scale"),
        numpy_helper.from_array(np.zeros(2, dtype=np.int8), "w_zp"),
        numpy_helper.from_array(b, "b"),
        numpy_helper.from_array(np.array(0.1, dtype=np.float32), "y_scale"),
        numpy_helper.from_array(np.array(-128, dtype=np.int8), "y_zp"),
    ]
    quant_x = helper.make_node("QuantizeLinear", ["x", "x_scale", "x_zp"],
                               ["xq"], name="quant_x")
    if args.form == "qdq":
        inits += [
            numpy_helper.from_array((x_scale * w_scale).astype(np.float32),
                                    "b_scale"),
            numpy_helper.from_array(np.zeros(2, dtype=np.int32), "b_zp"),
        ]
        nodes = [
            quant_x,
            helper.make_node("DequantizeLinear", ["xq", "x_scale", "x_zp"],
                             ["xd"], name="dequant_x"),
            helper.make_node("DequantizeLinear", ["w", "w_scale", "w_zp"],
                             ["wd"], name="dequant_w", axis=0),
            helper.make_node("DequantizeLinear", ["b", "b_scale", "b_zp"],
                             ["bd"], name="dequant_b", axis=0),
            helper.make_node("Conv", ["xd", "wd", "bd"], ["c"], name="conv1",
                             pads=[1, 1, 1, 1]),
            helper.make_node("Relu", ["c"], ["r"], name="relu1"),
            helper.make_node("QuantizeLinear", ["r", "y_scale", "y_zp"],
                             ["yq"], name="quant_y"),
        ]
    else:
        nodes = [
            quant_x,
            helper.make_node("QLinearConv", [
                "xq", "x_scale", "x_zp", "w", "w_scale", "w_zp", "y_scale",
                "y_zp", "b"
            ], ["yq"], name="conv1", pads=[1, 1, 1, 1]),
        ]
    nodes.append(
        helper.make_node("DequantizeLinear", ["yq", "y_scale", "y_zp"], ["y"],
                         name="dequant_y"))
    graph = helper.make_graph(
        nodes, "qconv",
        [helper.make_tensor_value_info("x", TensorProto.FLOAT, ["N", 1, 4, 4])],
        [helper.make_tensor_value_info("y", TensorProto.FLOAT, ["N", 2, 4, 4])],
        inits)
    model = helper.make_model(graph, opset_imports=[helper.make_opsetid("", 13)])
    onnx.checker.check_model(model)
    onnx.save(model, args.out)


if __name__ == "__main__":
    main()
