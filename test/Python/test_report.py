"""The compression report: parsing, table, dict, and report-only runs."""
import json
import subprocess

import pytest

import mc

# The bundled CNN: 105,866 parameters in 4 layers, 423,464 bytes of float
# constants; int8 stores weights in bytes and biases in int32.
PARAMS = 105866
BYTES_FP32 = 423464
BYTES_INT8 = 106232
LAYERS = ["/features/features.0/Conv", "/features/features.4/Conv",
          "/classifier/classifier.0/Gemm", "/classifier/classifier.3/Gemm"]


def test_int8_report(cnn_int8):
    report = mc.report(cnn_int8)
    assert report is cnn_int8.report
    assert report.params_before == report.params_after == PARAMS
    assert report.bytes_before == BYTES_FP32
    assert report.bytes_after == BYTES_INT8
    assert report.settings == {"quantize": "int8", "calib": True}
    assert [l["name"] for l in report.layers] == LAYERS
    assert [l["after"]["kind"] for l in report.layers] == \
        ["qconv2d", "qconv2d", "qlinear", "qlinear"]
    assert all(l["before"]["bits"] == 32 and l["after"]["bits"] == 8
               for l in report.layers)
    table = report.table()
    assert str(report) == table
    for name in LAYERS:
        assert name in table
    assert "423,464 -> 106,232 bytes" in table
    assert f"({BYTES_FP32 / BYTES_INT8:.2f}x smaller)" in table
    data = report.to_dict()
    assert data["model_bytes_after"] == BYTES_INT8
    assert data["layers"][2]["after"]["weight_shape"] == [64, 1568]
    rows = report.rows()
    assert rows[0]["kind"] == "qconv2d" and rows[0]["bits"] == 8


def test_report_without_codegen(cnn_path):
    report = mc.report(cnn_path, prune="magnitude", sparsity=0.5,
                       pattern="unstructured")
    assert report.settings == {"prune": "magnitude", "sparsity": 0.5,
                               "pattern": "unstructured"}
    assert report.bytes_after == BYTES_FP32  # pruned weights stay dense
    assert abs(report.sparsity - 0.5) < 0.01
    for layer in report.layers:
        assert layer["after"]["pattern"] == "unstructured"
        assert abs(layer["after"]["sparsity"] - 0.5) < 0.01
        assert layer["before"]["sparsity"] < 0.2


def test_report_lowrank(cnn_path):
    report = mc.report(cnn_path, lowrank={"ratio": 0.5})
    ranks = [l["after"].get("rank") for l in report.layers]
    assert any(r is not None for r in ranks)
    assert report.params_after < report.params_before
    assert report.bytes_after < report.bytes_before
    assert "rank" in report.table()


def test_report_from_the_tools_json(cnn_path, tmp_path, cnn_model):
    path = tmp_path / "report.json"
    subprocess.run([mc.find_compiler(), cnn_path, "--emit=mc", "-o",
                    str(tmp_path / "out.mlir"), f"--report={path}",
                    "--prune=magnitude", "--sparsity-pattern=2:4"],
                   check=True)
    from_file = mc.report(str(path))
    with open(path) as f:
        raw = json.load(f)
    from_dict = mc.report(raw)
    assert from_file.to_dict() == from_dict.to_dict() == raw
    # the first conv's rows of 9 weights cannot hold 2:4 groups (a remark)
    assert [l["after"]["pattern"] for l in from_file.layers] == \
        ["dense", "2:4", "2:4", "2:4"]
    assert mc.load_report(path).bytes_after == BYTES_FP32
    # a model not built by mc.compile has no report
    with pytest.raises(ValueError, match="has no report"):
        mc.report(mc.Model(cnn_model.path))


def test_bad_report():
    with pytest.raises(ValueError, match="not an mc compression report"):
        mc.report({"settings": {}})


def test_keep_first_and_last_dense(cnn_path):
    report = mc.report(cnn_path, prune={"method": "magnitude",
                                        "sparsity": 0.5, "keep_first": True,
                                        "keep_last": True})
    assert report.settings["keep_first"] and report.settings["keep_last"]
    sparsities = [l["after"]["sparsity"] for l in report.layers]
    assert sparsities[0] < 0.2 and sparsities[-1] < 0.2
    assert all(abs(s - 0.5) < 0.01 for s in sparsities[1:-1])
