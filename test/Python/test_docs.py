"""docs/Python.md's getting-started code runs as written.

Every ```python block of the page is executed in order, in one namespace,
from a scratch directory that has the checkout's python/ beside it (the
page's paths are relative to the checkout root)."""
import os
import re

import pytest


def python_blocks(text):
    return re.findall(r"^```python\n(.*?)^```", text, re.S | re.M)


def test_getting_started_runs(root, tmp_path, monkeypatch):
    pytest.importorskip("torch")
    pytest.importorskip("matplotlib")
    text = (root / "docs" / "Python.md").read_text()
    blocks = python_blocks(text)
    assert len(blocks) >= 4, "docs/Python.md lost its example code"
    os.symlink(root / "python", tmp_path / "python")
    monkeypatch.chdir(tmp_path)
    namespace = {"__name__": "__docs__"}
    for i, block in enumerate(blocks):
        code = compile(block, f"docs/Python.md[python block {i + 1}]", "exec")
        exec(code, namespace)
    # what the page claims
    assert namespace["accuracy"] == pytest.approx(0.916, abs=0.002)
    assert abs(namespace["int8_accuracy"] - namespace["accuracy"]) <= 0.01
    assert (tmp_path / "libfashion_cnn_int8.so").exists()
    assert (tmp_path / "tradeoff.png").exists()
