# -*- Python -*-
# lit configuration for mc's regression tests (check-mc).

import os
import shutil
import subprocess

import lit.formats
from lit.llvm import llvm_config
from lit.llvm.subst import ToolSubst

config.name = "MC"
config.test_format = lit.formats.ShTest(not llvm_config.use_lit_shell)
config.suffixes = [".mlir", ".test"]
config.excludes = ["Inputs", "CMakeLists.txt", "lit.cfg.py", "lit.site.cfg.py"]
config.test_source_root = os.path.dirname(__file__)
config.test_exec_root = os.path.join(config.mc_obj_root, "test")

config.substitutions.append(("%PATH%", config.environment["PATH"]))
config.substitutions.append(("%mc_src_root", config.mc_src_root))
config.substitutions.append(("%mc_obj_root", config.mc_obj_root))
config.substitutions.append(("%python", config.python_executable))

llvm_config.with_system_environment(["HOME", "INCLUDE", "LIB", "TMP", "TEMP"])
llvm_config.use_default_substitutions()

tool_dirs = [config.mc_tools_dir, config.llvm_tools_dir]
tools = ["mc-compile", "mc-import", "mc-opt", "mc-run"]
llvm_config.add_tool_substitutions(tools, tool_dirs)
# Prepend: append_path=False would replace PATH, leaving RUN lines without
# diff, cat, rm or python3.
llvm_config.with_environment("PATH", config.mc_tools_dir, append_path=True)
# Python helpers under python/ and test inputs import `mc_testing` modules.
llvm_config.with_environment(
    "PYTHONPATH", os.path.join(config.mc_src_root, "python"), append_path=True)

# `not` at the start of a RUN line is found on PATH too.
llvm_config.with_environment("PATH", config.llvm_tools_dir, append_path=True)

# Python modules tests may use: `python-numpy`, `python-onnx`,
# `python-torch` (Debian's python3-numpy, python3-onnx, python3-torch).
def _can_import(*modules):
    probe = ("import importlib.util, sys; sys.exit(not all("
             "importlib.util.find_spec(m) for m in %r))" % (modules,))
    try:
        return subprocess.run([config.python_executable, "-c", probe],
                              capture_output=True, timeout=60).returncode == 0
    except Exception:
        return False

if _can_import("numpy"):
    config.available_features.add("python-numpy")
    if _can_import("onnx"):
        config.available_features.add("python-onnx")
        if _can_import("torch"):
            config.available_features.add("python-torch")

# `python-pytest`, `python-matplotlib`: the mc Python package's tests
# (test/Python) run with pytest and draw with matplotlib.
if _can_import("pytest"):
    config.available_features.add("python-pytest")
if _can_import("matplotlib"):
    config.available_features.add("python-matplotlib")

# `gpu`: an NVIDIA GPU and its driver are present (GPU-only tests say
# REQUIRES: gpu and are reported unsupported elsewhere).
def _has_gpu():
    smi = shutil.which("nvidia-smi")
    if not smi:
        return False
    try:
        return subprocess.run([smi, "-L"], capture_output=True,
                              timeout=30).returncode == 0
    except Exception:
        return False

if _has_gpu():
    config.available_features.add("gpu")

# `cuda-toolkit`: a CUDA toolkit with ptxas and libdevice ($CUDA_HOME, else
# /usr/local/cuda), which mc-compile --target=cuda links into the kernels
# and the tests use to assemble every generated PTX file (%ptxas).
_cuda = os.environ.get("CUDA_HOME") or "/usr/local/cuda"
_ptxas = os.path.join(_cuda, "bin", "ptxas")
if os.access(_ptxas, os.X_OK) and os.path.exists(
        os.path.join(_cuda, "nvvm", "libdevice", "libdevice.10.bc")):
    config.available_features.add("cuda-toolkit")
    config.substitutions.append(("%ptxas", _ptxas))
