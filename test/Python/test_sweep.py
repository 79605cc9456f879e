"""python3 -m mc.sweep on a tiny grid, and the trade-off plot."""
import csv
import os
import subprocess
import sys

import numpy as np
import pytest

import mc
from mc.plot import pareto_frontier

pytest.importorskip("matplotlib")

PNG_MAGIC = b"\x89PNG\r\n\x1a\n"


def test_sweep_tiny_grid(root, cnn_path, sample, calib_file, cnn_model,
                         tmp_path):
    images, labels = sample
    n = 200
    data, label_file = tmp_path / "x.npy", tmp_path / "y.npy"
    np.save(data, images[:n])
    np.save(label_file, labels[:n])
    out_csv, out_png = tmp_path / "sweep.csv", tmp_path / "sweep.png"
    env = dict(os.environ)
    env["PYTHONPATH"] = os.pathsep.join(
        [str(root / "python")] + [p for p in
                                  env.get("PYTHONPATH", "").split(os.pathsep)
                                  if p])
    proc = subprocess.run(
        [sys.executable, "-m", "mc.sweep", cnn_path, "--data", str(data),
         "--labels", str(label_file), "--calib", calib_file,
         "--settings", "fp32,magnitude 50%,int8,channel 25% + int8",
         "--bench", "3", "--csv", str(out_csv), "--png", str(out_png)],
        capture_output=True, text=True, env=env)
    assert proc.returncode == 0, proc.stderr
    # not a terminal: one progress line per setting
    assert "[4/4] channel 25% + int8:" in proc.stderr
    with open(out_csv, newline="") as f:
        rows = list(csv.DictReader(f))
    assert [r["setting"] for r in rows] == \
        ["fp32", "int8", "magnitude 50%", "channel 25% + int8"]
    by_name = {r["setting"]: r for r in rows}
    assert all(not r["error"] for r in rows)
    assert all(int(r["total"]) == n for r in rows)
    # the fp32 row is the float library's accuracy on the same images
    expected = float((cnn_model(images[:n]).argmax(1) == labels[:n]).mean())
    assert float(by_name["fp32"]["accuracy"]) == pytest.approx(expected)
    assert int(by_name["fp32"]["model_bytes"]) == 423464
    assert int(by_name["int8"]["model_bytes"]) == 106232
    assert int(by_name["channel 25% + int8"]["model_bytes"]) < 106232
    assert float(by_name["magnitude 50%"]["sparsity"]) == pytest.approx(
        0.5, abs=0.01)
    assert all(float(r["latency_ms"]) > 0 for r in rows)
    assert "fp32" in proc.stdout and "wrote" in proc.stdout
    png = out_png.read_bytes()
    assert png.startswith(PNG_MAGIC) and len(png) > 10000


def test_sweep_without_calib_skips(cnn_path, sample, tmp_path, root):
    images, labels = sample
    np.save(tmp_path / "x.npy", images[:50])
    np.save(tmp_path / "y.npy", labels[:50])
    from mc.sweep import DEFAULT_GRID, run_sweep
    grid = [g for g in DEFAULT_GRID if g[0] in ("fp32", "int8")]
    rows = run_sweep(cnn_path, images[:50], labels[:50], grid=grid,
                     progress=False)
    assert rows[0]["error"] == "" and rows[0]["total"] == 50
    assert rows[1]["error"] == "skipped: needs --calib"


def test_sweep_usage_errors(cnn_path, tmp_path, root):
    env = dict(os.environ, PYTHONPATH=str(root / "python"))
    proc = subprocess.run(
        [sys.executable, "-m", "mc.sweep", cnn_path, "--data",
         str(tmp_path / "none.npy"), "--labels", str(tmp_path / "none.npy")],
        capture_output=True, text=True, env=env)
    assert proc.returncode == 2 and "no such file" in proc.stderr
    np.save(tmp_path / "x.npy", np.zeros((2, 1, 28, 28), np.float32))
    proc = subprocess.run(
        [sys.executable, "-m", "mc.sweep", cnn_path, "--data",
         str(tmp_path / "x.npy"), "--labels", str(tmp_path / "x.npy"),
         "--settings", "fp32,nope"], capture_output=True, text=True, env=env)
    assert proc.returncode == 2 and "unknown setting(s) 'nope'" in proc.stderr
    proc = subprocess.run([sys.executable, "-m", "mc.sweep", cnn_path,
                           "--data", "x", "--labels", "y", "--list"],
                          capture_output=True, text=True, env=env)
    assert proc.returncode == 0 and "wanda 2:4" in proc.stdout
    # --list alone needs no model or data; a sweep without them is an error.
    proc = subprocess.run([sys.executable, "-m", "mc.sweep", "--list"],
                          capture_output=True, text=True, env=env)
    assert proc.returncode == 0 and "wanda 2:4" in proc.stdout
    proc = subprocess.run([sys.executable, "-m", "mc.sweep", cnn_path],
                          capture_output=True, text=True, env=env)
    assert proc.returncode == 2 and "missing --data, --labels" in proc.stderr


def test_pareto_frontier():
    points = [(400, 91.2), (100, 91.1), (400, 84.0), (60, 82.8), (75, 90.0),
              (230, 71.0), (100, 87.9)]
    assert pareto_frontier(points) == [3, 4, 1, 0]


def test_plot_tradeoff(tmp_path):
    rows = [{"setting": "fp32", "accuracy": 0.91, "model_bytes": 423464},
            {"setting": "int8", "accuracy": 0.905, "model_bytes": 106232},
            {"setting": "broken", "accuracy": "", "model_bytes": "",
             "error": "failed"}]
    fig = mc.plot_tradeoff(rows, tmp_path / "plot.png", title="t")
    ax = fig.axes[0]
    assert ax.get_xlabel().startswith("model size")
    assert "accuracy" in ax.get_ylabel()
    texts = [t.get_text() for t in ax.texts]
    assert "fp32 (91.0%)" in texts and "int8 (90.5%)" in texts
    assert not any("broken" in t for t in texts)
    assert (tmp_path / "plot.png").read_bytes().startswith(PNG_MAGIC)
    with pytest.raises(ValueError, match="no rows"):
        mc.plot_tradeoff(rows[2:])
