"""Loading and running a compiled model library through its C ABI.

docs/RuntimeABI.md describes the three functions every library exports;
this module reads `mc_model_info()` with ctypes and calls `mc_model_run` on
NumPy buffers. Nothing here depends on how the library was built.
"""
import ctypes
import math
import os
import shutil
import statistics
import tempfile
import time
import weakref
from dataclasses import dataclass

import numpy as np

from ._errors import ModelError

ABI_VERSION = 1
MAX_RANK = 16

# ONNX TensorProto.DataType codes (runtime.h, mc_dtype) -> NumPy dtypes.
# BFLOAT16 (16) has no NumPy type: such tensors are passed as raw uint16.
_DTYPES = {
    1: np.dtype(np.float32), 2: np.dtype(np.uint8), 3: np.dtype(np.int8),
    4: np.dtype(np.uint16), 5: np.dtype(np.int16), 6: np.dtype(np.int32),
    7: np.dtype(np.int64), 9: np.dtype(np.bool_), 10: np.dtype(np.float16),
    11: np.dtype(np.float64), 12: np.dtype(np.uint32),
    13: np.dtype(np.uint64), 16: np.dtype(np.uint16),
}

_STATUS = {1: "MC_ERROR_NULL_POINTER", 2: "MC_ERROR_BAD_BATCH",
           3: "MC_ERROR_TOO_LARGE", 4: "MC_ERROR_INTERNAL"}


class _TensorInfo(ctypes.Structure):
    _fields_ = [("name", ctypes.c_char_p),
                ("shape", ctypes.POINTER(ctypes.c_int64)),
                ("dtype", ctypes.c_int32),
                ("rank", ctypes.c_int32)]


class _ModelInfo(ctypes.Structure):
    _fields_ = [("abi_version", ctypes.c_int32),
                ("num_inputs", ctypes.c_int32),
                ("num_outputs", ctypes.c_int32),
                ("reserved", ctypes.c_int32),
                ("batch", ctypes.c_int64),
                ("inputs", ctypes.POINTER(_TensorInfo)),
                ("outputs", ctypes.POINTER(_TensorInfo)),
                ("name", ctypes.c_char_p)]


@dataclass(frozen=True)
class TensorSpec:
    """One input or output of a compiled model.

    Attributes:
        name: the ONNX name (``input<i>``/``output<i>`` where it had none).
        shape: a tuple of ints; ``None`` marks the dynamic batch dimension.
        dtype: the NumPy dtype of the data (``uint16`` for bfloat16).
        onnx_dtype: the ONNX ``TensorProto.DataType`` code from the library.
    """
    name: str
    shape: tuple
    dtype: np.dtype
    onnx_dtype: int

    @property
    def rank(self):
        return len(self.shape)

    def __str__(self):
        dims = ", ".join("batch" if d is None else str(d) for d in self.shape)
        return f"{self.name}: {self.dtype.name}[{dims}]"


@dataclass(frozen=True)
class BenchmarkResult:
    """Latency of `mc_model_run` alone (inputs and outputs preallocated).

    Times are milliseconds per call; ``samples_per_s`` = batch / median.
    """
    batch: int
    n: int
    median: float
    mean: float
    p90: float
    min: float
    max: float
    std: float

    @property
    def samples_per_s(self):
        return self.batch / (self.median / 1e3) if self.median > 0 else math.inf

    def as_dict(self):
        return {"batch": self.batch, "n": self.n, "median_ms": self.median,
                "mean_ms": self.mean, "p90_ms": self.p90, "min_ms": self.min,
                "max_ms": self.max, "std_ms": self.std,
                "samples_per_s": self.samples_per_s}

    def __str__(self):
        return (f"batch {self.batch}, {self.n} runs: median {self.median:.3f} ms"
                f", mean {self.mean:.3f} ms, p90 {self.p90:.3f} ms, min "
                f"{self.min:.3f} ms ({self.samples_per_s:.1f} samples/s)")


# Libraries this process has loaded: real path -> identity of the file then.
# dlopen returns the library already loaded under a path even when the file
# has been replaced since (e.g. mc.compile(..., output=same path) twice), so
# a changed file is loaded through a private copy instead.
_LOADED = {}


def _file_identity(path):
    st = os.stat(path)
    return (st.st_dev, st.st_ino, st.st_size, st.st_mtime_ns)


def _load_library(path, owner):
    real = os.path.realpath(path)
    identity = _file_identity(real)
    load_path = real
    if _LOADED.get(real, identity) != identity:
        scratch = tempfile.mkdtemp(prefix="mc-model-")
        weakref.finalize(owner, shutil.rmtree, scratch, True)
        load_path = os.path.join(scratch, os.path.basename(real))
        shutil.copyfile(real, load_path)
    try:
        # RTLD_LOCAL: several models' identical symbols never clash.
        lib = ctypes.CDLL(load_path, mode=os.RTLD_NOW | os.RTLD_LOCAL)
    except OSError as e:
        raise ModelError(f"cannot load '{path}': {e}") from None
    if load_path == real:
        _LOADED[real] = identity
    return lib


def _aligned_empty(shape, dtype, alignment=64):
    """An uninitialized C-order array whose data is `alignment`-aligned."""
    dtype = np.dtype(dtype)
    nbytes = int(np.prod(shape, dtype=np.int64)) * dtype.itemsize
    raw = np.empty(nbytes + alignment, dtype=np.uint8)
    offset = (-raw.ctypes.data) % alignment
    return raw[offset:offset + nbytes].view(dtype).reshape(shape)


def _as_numpy(value):
    """NumPy view of `value`: arrays pass through, torch tensors are detached
    and moved to the CPU; anything else is left to np.asarray."""
    if isinstance(value, np.ndarray):
        return value
    if hasattr(value, "detach") and hasattr(value, "numpy"):
        return value.detach().cpu().numpy()
    return np.asarray(value)


class Model:
    """A model library compiled by mc (``mc-compile`` or `mc.compile`).

    ``Model(path)`` loads the shared library with ctypes and reads its info
    table. Calling it runs the model::

        model = mc.Model("libfashion_cnn.so")
        logits = model(images)                  # one output: an array
        outputs = model.run({"input": images})  # a dict name -> array

    Inputs must have the model's dtype exactly (no silent casts) and its
    shape, except that the dynamic batch dimension (``None`` in `shape`)
    may be any size; every dynamic input must have the same batch.
    """

    def __init__(self, path, *, report=None, _keepalive=None):
        path = os.fspath(path)
        if not os.path.exists(path):
            raise FileNotFoundError(f"no model library at '{path}'")
        if os.path.isdir(path):
            raise IsADirectoryError(f"'{path}' is a directory, not a model "
                                    f"library")
        self.path = os.path.abspath(path)
        self._keepalive = _keepalive  # e.g. the temporary directory
        self._lib = _load_library(self.path, self)
        try:
            info_fn = self._lib.mc_model_info
            self._run = self._lib.mc_model_run
            last_error = self._lib.mc_last_error
        except AttributeError:
            raise ModelError(
                f"'{path}' is not a model library compiled by mc (it does "
                f"not export mc_model_info / mc_model_run / mc_last_error)"
            ) from None
        info_fn.restype = ctypes.POINTER(_ModelInfo)
        info_fn.argtypes = []
        self._run.restype = ctypes.c_int
        self._run.argtypes = [ctypes.POINTER(ctypes.c_void_p),
                              ctypes.POINTER(ctypes.c_void_p), ctypes.c_int64]
        last_error.restype = ctypes.c_char_p
        last_error.argtypes = []
        self._last_error = last_error
        info = info_fn().contents
        if info.abi_version != ABI_VERSION:
            raise ModelError(
                f"'{path}' has runtime ABI version {info.abi_version}; this "
                f"package reads version {ABI_VERSION}")
        self.name = info.name.decode() if info.name else ""
        self.batch = None if info.batch == -1 else int(info.batch)
        self.inputs = tuple(self._spec(info.inputs[i], "input", i)
                            for i in range(info.num_inputs))
        self.outputs = tuple(self._spec(info.outputs[i], "output", i)
                             for i in range(info.num_outputs))
        self.report = report
        self.compile_log = None  # set by mc.compile
        self.compile_diagnostics = None

    def _spec(self, t, direction, index):
        if t.dtype not in _DTYPES:
            raise ModelError(f"{direction} {index} of '{self.path}' has "
                             f"unknown dtype code {t.dtype}")
        if not 0 <= t.rank <= MAX_RANK:
            raise ModelError(f"{direction} {index} of '{self.path}' has "
                             f"rank {t.rank}")
        shape = tuple(None if t.shape[d] == -1 else int(t.shape[d])
                      for d in range(t.rank))
        name = t.name.decode() if t.name else f"{direction}{index}"
        return TensorSpec(name, shape, _DTYPES[t.dtype], int(t.dtype))

    # -- description -------------------------------------------------------

    @property
    def input_names(self):
        return [t.name for t in self.inputs]

    @property
    def output_names(self):
        return [t.name for t in self.outputs]

    @property
    def dynamic_batch(self):
        """True when the model runs at any batch size."""
        return self.batch is None

    def __repr__(self):
        ins = ", ".join(str(t) for t in self.inputs)
        outs = ", ".join(str(t) for t in self.outputs)
        return f"<mc.Model {self.name!r} ({ins}) -> ({outs}) from {self.path}>"

    # -- running -----------------------------------------------------------

    def _check_inputs(self, feeds):
        """Checks `feeds` (one array per input, in order); returns the
        contiguous arrays and the batch."""
        arrays = []
        batch = None  # from the first input with a dynamic leading dim
        batch_from = None
        for spec, value in zip(self.inputs, feeds):
            array = _as_numpy(value)
            if array.dtype != spec.dtype:
                raise TypeError(
                    f"input '{spec.name}': expected dtype {spec.dtype.name}, "
                    f"got {array.dtype.name} (convert it, e.g. "
                    f"x.astype(np.{spec.dtype.name}))")
            if array.ndim != spec.rank:
                raise ValueError(
                    f"input '{spec.name}': expected {spec.rank} dimensions "
                    f"{self._shape_text(spec)}, got {array.ndim} with shape "
                    f"{tuple(array.shape)}")
            for d, (want, have) in enumerate(zip(spec.shape, array.shape)):
                if want is None:
                    if batch is None:
                        batch, batch_from = have, spec.name
                    elif have != batch:
                        raise ValueError(
                            f"input '{spec.name}': batch {have} differs from "
                            f"batch {batch} of input '{batch_from}'")
                elif want != have:
                    raise ValueError(
                        f"input '{spec.name}': dimension {d} is {have}, "
                        f"expected {want} (model shape "
                        f"{self._shape_text(spec)}, got "
                        f"{tuple(array.shape)})")
            if not (array.flags.c_contiguous and array.flags.aligned):
                array = np.ascontiguousarray(array)
                if not array.flags.aligned:
                    array = array.copy()
            arrays.append(array)
        if batch is None:
            batch = self.batch
        return arrays, batch

    @staticmethod
    def _shape_text(spec):
        return "[" + ", ".join("batch" if d is None else str(d)
                               for d in spec.shape) + "]"

    def _collect(self, args, kwargs):
        """One value per input, in order, from positional and keyword
        arguments."""
        names = self.input_names
        if len(args) > len(names):
            raise TypeError(f"model '{self.name}' takes {len(names)} "
                            f"input(s), got {len(args)}")
        feeds = dict(zip(names, args))
        for key, value in kwargs.items():
            if key not in names:
                raise KeyError(f"model '{self.name}' has no input '{key}' "
                               f"(inputs: {', '.join(names)})")
            if key in feeds:
                raise TypeError(f"input '{key}' given twice")
            feeds[key] = value
        missing = [n for n in names if n not in feeds]
        if missing:
            raise ValueError(f"missing input(s) {', '.join(map(repr, missing))}"
                             f" of model '{self.name}' (inputs: "
                             f"{', '.join(names)})")
        return [feeds[n] for n in names]

    def _output_shape(self, spec, batch):
        return tuple(batch if d is None else d for d in spec.shape)

    def _run_arrays(self, arrays, batch):
        outputs = [_aligned_empty(self._output_shape(s, batch), s.dtype)
                   for s in self.outputs]
        if batch == 0 and self.dynamic_batch:
            return outputs  # nothing to compute; the runtime rejects batch 0
        in_ptrs = (ctypes.c_void_p * max(1, len(arrays)))(
            *[a.ctypes.data for a in arrays])
        out_ptrs = (ctypes.c_void_p * max(1, len(outputs)))(
            *[o.ctypes.data for o in outputs])
        status = self._run(in_ptrs, out_ptrs, batch)
        if status != 0:
            message = (self._last_error() or b"").decode(errors="replace")
            raise ModelError(f"model '{self.name}': mc_model_run returned "
                             f"{_STATUS.get(status, status)}: {message}")
        return outputs

    def run(self, inputs, output_names=None):
        """Runs the model.

        Args:
            inputs: a dict {input name: array}, or a sequence with one array
                per input in the model's order.
            output_names: the outputs to return (default: all).

        Returns:
            A dict {output name: array}, in the model's output order.
        """
        if isinstance(inputs, dict):
            feeds = self._collect((), inputs)
        else:
            feeds = self._collect(tuple(inputs), {})
        arrays, batch = self._check_inputs(feeds)
        outputs = self._run_arrays(arrays, batch)
        result = {s.name: o for s, o in zip(self.outputs, outputs)}
        if output_names is not None:
            unknown = [n for n in output_names if n not in result]
            if unknown:
                raise KeyError(f"model '{self.name}' has no output(s) "
                               f"{', '.join(map(repr, unknown))}")
            result = {n: result[n] for n in output_names}
        return result

    def __call__(self, *args, **kwargs):
        """``model(x)`` or ``model(x, y)`` or ``model(input=x)``: one array
        for a single-output model, else a tuple in output order."""
        arrays, batch = self._check_inputs(self._collect(args, kwargs))
        outputs = self._run_arrays(arrays, batch)
        return outputs[0] if len(outputs) == 1 else tuple(outputs)

    def example_inputs(self, batch=1, seed=0):
        """Random inputs of the model's shapes and dtypes at `batch`
        (standard normal for floats, small integers otherwise)."""
        if not self.dynamic_batch and batch != self.batch:
            raise ValueError(f"model '{self.name}' runs only at batch "
                             f"{self.batch}, not {batch}")
        rng = np.random.default_rng(seed)
        arrays = []
        for s in self.inputs:
            shape = self._output_shape(s, batch)
            if s.dtype.kind == "f":
                arrays.append(rng.standard_normal(shape).astype(s.dtype))
            elif s.dtype.kind == "b":
                arrays.append(rng.integers(0, 2, shape).astype(s.dtype))
            else:
                arrays.append(rng.integers(0, 8, shape).astype(s.dtype))
        return arrays

    def benchmark(self, batch=1, n=100, *, warmup=5, inputs=None):
        """Times `n` calls of `mc_model_run` at `batch` after `warmup`
        untimed ones; buffers are allocated once, so only the compiled code
        is timed (on the calling thread; the library runs single-threaded).

        Args:
            batch: samples per call (must be the model's batch if static).
            n: timed calls (>= 1).
            warmup: untimed calls first.
            inputs: arrays to run on (default: `example_inputs(batch)`).

        Returns:
            BenchmarkResult with median, mean, p90, min, max and std in ms.
        """
        if n < 1:
            raise ValueError(f"benchmark needs n >= 1, got {n}")
        if batch < 1:
            raise ValueError(f"benchmark needs batch >= 1, got {batch}")
        if inputs is None:
            feeds = self.example_inputs(batch)
        elif isinstance(inputs, dict):
            feeds = self._collect((), inputs)
        else:
            feeds = self._collect(tuple(inputs), {})
        arrays, batch = self._check_inputs(feeds)
        outputs = [_aligned_empty(self._output_shape(s, batch), s.dtype)
                   for s in self.outputs]
        in_ptrs = (ctypes.c_void_p * max(1, len(arrays)))(
            *[a.ctypes.data for a in arrays])
        out_ptrs = (ctypes.c_void_p * max(1, len(outputs)))(
            *[o.ctypes.data for o in outputs])
        run = self._run
        for _ in range(warmup):
            if run(in_ptrs, out_ptrs, batch) != 0:
                self._run_arrays(arrays, batch)  # raises with the message
        times = []
        clock = time.perf_counter
        for _ in range(n):
            start = clock()
            status = run(in_ptrs, out_ptrs, batch)
            times.append((clock() - start) * 1e3)
            if status != 0:
                self._run_arrays(arrays, batch)
        ordered = sorted(times)
        p90 = ordered[min(len(ordered) - 1, math.ceil(0.9 * len(ordered)) - 1)]
        return BenchmarkResult(
            batch=batch, n=n, median=statistics.median(times),
            mean=statistics.fmean(times), p90=p90, min=ordered[0],
            max=ordered[-1],
            std=statistics.pstdev(times) if len(times) > 1 else 0.0)
