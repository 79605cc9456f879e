"""mc from Python: compile, run and evaluate compressed neural networks.

    import mc
    model = mc.compile("fashion_cnn.onnx", quantize="int8", calib=calib)
    logits = model(images)
    print(mc.report(model))

`mc.compile` runs the `mc-compile` tool (see `mc.find_compiler` for where it
is looked up); `mc.Model` loads the library it builds through its C ABI
(docs/RuntimeABI.md) with ctypes. docs/Python.md is the guide.
"""
from ._errors import CompileError, CompilerNotFoundError, MCError, ModelError
from ._tool import find_compiler
from .compiler import compile
from .plot import plot_tradeoff
from .report import Report, load_report, report
from .runtime import BenchmarkResult, Model, TensorSpec

__version__ = "0.1.0"

__all__ = ["compile", "Model", "TensorSpec", "BenchmarkResult", "report",
           "Report", "load_report", "plot_tradeoff", "find_compiler",
           "CompileError", "CompilerNotFoundError", "ModelError", "MCError",
           "__version__"]
