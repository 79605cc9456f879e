"""Bad inputs, missing files and compiler diagnostics raise clear errors."""
import os

import numpy as np
import pytest

import mc
from mc import _tool


def test_wrong_dtype(cnn_model):
    x = np.zeros((2, 1, 28, 28), np.float64)
    with pytest.raises(TypeError, match=r"input 'input': expected dtype "
                                        r"float32, got float64"):
        cnn_model(x)
    with pytest.raises(TypeError, match="expected dtype float32, got int64"):
        cnn_model.run({"input": np.zeros((2, 1, 28, 28), np.int64)})


def test_wrong_shape(cnn_model):
    with pytest.raises(ValueError, match=r"input 'input': dimension 3 is 27,"
                                         r" expected 28"):
        cnn_model(np.zeros((2, 1, 28, 27), np.float32))
    with pytest.raises(ValueError, match=r"expected 4 dimensions "
                                         r"\[batch, 1, 28, 28\], got 3"):
        cnn_model(np.zeros((1, 28, 28), np.float32))


def test_missing_and_unknown_inputs(cnn_model):
    with pytest.raises(ValueError, match="missing input.*'input'"):
        cnn_model()
    with pytest.raises(ValueError, match="missing input"):
        cnn_model.run({})
    with pytest.raises(KeyError, match="no input 'images'"):
        cnn_model(images=np.zeros((1, 1, 28, 28), np.float32))
    x = np.zeros((1, 1, 28, 28), np.float32)
    with pytest.raises(TypeError, match="takes 1 input"):
        cnn_model(x, x)


def test_missing_files(tmp_path, cnn_path):
    with pytest.raises(FileNotFoundError, match="no model library"):
        mc.Model(tmp_path / "libnothing.so")
    with pytest.raises(FileNotFoundError, match="no model file"):
        mc.compile(str(tmp_path / "nothing.onnx"))
    with pytest.raises(FileNotFoundError, match="no calibration data"):
        mc.compile(cnn_path, calib=str(tmp_path / "calib.npy"))
    with pytest.raises(IsADirectoryError):
        mc.Model(tmp_path)


def test_not_a_model_library(tmp_path):
    junk = tmp_path / "libjunk.so"
    junk.write_text("not a shared library\n")
    with pytest.raises(mc.ModelError, match="cannot load"):
        mc.Model(junk)
    libm = "/usr/lib/x86_64-linux-gnu/libm.so.6"
    if os.path.exists(libm):
        with pytest.raises(mc.ModelError, match="not a model library"):
            mc.Model(libm)


def test_import_error_surfaces_diagnostic(tmp_path):
    bad = tmp_path / "broken.onnx"
    bad.write_bytes(b"\x08\x07garbage, not a protobuf")
    with pytest.raises(mc.CompileError) as info:
        mc.compile(str(bad))
    error = info.value
    assert error.returncode == 2
    assert error.diagnostics and error.diagnostics in str(error)
    assert "broken.onnx" in error.diagnostics
    assert error.command[1] == str(bad)


def test_bad_option_surfaces_diagnostic(cnn_path):
    with pytest.raises(mc.CompileError,
                       match="sparsity 1.5 is outside") as info:
        mc.compile(cnn_path, prune="magnitude", sparsity=1.5)
    assert info.value.returncode != 0
    # Wanda needs calibration data: the tool's own check, not Python's
    with pytest.raises(mc.CompileError, match="calib") as info:
        mc.compile(cnn_path, prune="wanda")
    assert info.value.returncode == 1
    with pytest.raises(mc.CompileError, match="sm_10' is too old"):
        mc.compile(cnn_path, target="cuda", extra_args=["--cuda-arch=sm_10"])


def test_python_side_option_errors(cnn_path):
    with pytest.raises(ValueError, match="target"):
        mc.compile(cnn_path, target="tpu")
    with pytest.raises(TypeError, match="lowrank"):
        mc.compile(cnn_path, lowrank={"rank": 3})
    with pytest.raises(TypeError, match="prune"):
        mc.compile(cnn_path, prune={"method": "magnitude", "amount": 0.5})
    with pytest.raises(TypeError, match="cannot compile an object of type int"):
        mc.compile(42)


def test_compiler_not_found(monkeypatch, tmp_path, cnn_path):
    monkeypatch.setenv("MC_COMPILE", str(tmp_path / "mc-compile"))
    with pytest.raises(mc.CompilerNotFoundError, match="MC_COMPILE"):
        mc.find_compiler()
    with pytest.raises(mc.CompilerNotFoundError):
        mc.compile(cnn_path)
    monkeypatch.delenv("MC_COMPILE")
    monkeypatch.setenv("MC_BUILD_DIR", str(tmp_path))
    with pytest.raises(mc.CompilerNotFoundError, match="MC_BUILD_DIR"):
        mc.find_compiler()
    # nothing set, no build tree, nothing on PATH
    monkeypatch.delenv("MC_BUILD_DIR")
    monkeypatch.setenv("PATH", str(tmp_path))
    monkeypatch.setattr(_tool, "_source_roots", lambda: [str(tmp_path)])
    with pytest.raises(mc.CompilerNotFoundError, match="cannot find "
                                                       "mc-compile"):
        mc.find_compiler()


def test_compiler_lookup_order(monkeypatch, tmp_path):
    tool = tmp_path / "bin" / "mc-compile"
    tool.parent.mkdir()
    tool.write_text("#!/bin/sh\nexit 0\n")
    tool.chmod(0o755)
    monkeypatch.delenv("MC_COMPILE", raising=False)
    monkeypatch.setenv("MC_BUILD_DIR", str(tmp_path))
    assert mc.find_compiler() == str(tool)
    monkeypatch.setenv("MC_COMPILE", str(tool))
    assert mc.find_compiler() == str(tool)
    # without the variables: the build tree of the source root
    monkeypatch.delenv("MC_COMPILE")
    monkeypatch.delenv("MC_BUILD_DIR")
    root = tmp_path / "checkout"
    (root / "build" / "bin").mkdir(parents=True)
    in_tree = root / "build" / "bin" / "mc-compile"
    in_tree.write_text("#!/bin/sh\nexit 0\n")
    in_tree.chmod(0o755)
    monkeypatch.setattr(_tool, "_source_roots", lambda: [str(root)])
    assert mc.find_compiler() == str(in_tree)
    # then PATH
    in_tree.unlink()
    monkeypatch.setenv("PATH", str(tmp_path / "bin"))
    assert mc.find_compiler() == str(tool)
