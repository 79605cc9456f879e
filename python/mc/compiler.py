"""`mc.compile`: a model in, a loaded `mc.Model` out, through `mc-compile`."""
import json
import os
import shutil
import tempfile
import weakref

import numpy as np

from ._tool import run_compiler
from .report import Report
from .runtime import Model

_TARGETS = ("cpu", "cuda")


def _is_torch_module(obj):
    try:
        import torch
    except ImportError:
        return False
    return isinstance(obj, torch.nn.Module)


def _is_model_proto(obj):
    return type(obj).__name__ == "ModelProto" and \
        hasattr(obj, "SerializeToString")


def _export_torch(module, example_input, path, *, input_names, output_names,
                  dynamic_batch, opset):
    """Exports `module` at `example_input` to ONNX with torch.onnx."""
    import torch
    if example_input is None:
        raise TypeError("compiling a torch.nn.Module needs example_input= "
                        "(a tensor, or a tuple of tensors for several inputs)")
    examples = example_input if isinstance(example_input, (tuple, list)) \
        else (example_input,)
    examples = tuple(torch.from_numpy(np.ascontiguousarray(e))
                     if isinstance(e, np.ndarray) else e for e in examples)
    was_training = module.training
    module.eval()
    try:
        with torch.no_grad():
            result = module(*examples)
        n_out = len(result) if isinstance(result, (tuple, list)) else 1
        if input_names is None:
            input_names = ["input"] if len(examples) == 1 else \
                [f"input{i}" for i in range(len(examples))]
        if output_names is None:
            output_names = ["output"] if n_out == 1 else \
                [f"output{i}" for i in range(n_out)]
        if len(input_names) != len(examples):
            raise ValueError(f"input_names has {len(input_names)} names for "
                             f"{len(examples)} example inputs")
        if len(output_names) != n_out:
            raise ValueError(f"output_names has {len(output_names)} names "
                             f"for {n_out} outputs of the module")
        axes = None
        if dynamic_batch:
            axes = {n: {0: "batch"} for n in list(input_names) +
                    list(output_names)}
        torch.onnx.export(module, examples, path,
                          input_names=list(input_names),
                          output_names=list(output_names),
                          dynamic_axes=axes, opset_version=opset,
                          do_constant_folding=True)
    finally:
        module.train(was_training)


def _flag_list(quantize, prune, sparsity, pattern, keep_first, keep_last,
               lowrank, calib, target, opt_level, model_name, extra_args,
               workdir):
    """mc-compile's flags for mc.compile's options (values are checked by
    mc-compile itself, whose diagnostics come back as CompileError)."""
    flags = []
    settings = {}
    if target not in _TARGETS:
        raise ValueError(f"target must be one of {', '.join(_TARGETS)}, "
                         f"got {target!r}")
    flags.append(f"--target={target}")
    if opt_level not in (0, 1, 2, 3):
        raise ValueError(f"opt_level must be 0, 1, 2 or 3, got {opt_level!r}")
    flags.append(f"-O{opt_level}")
    if model_name:
        flags += ["--model-name", str(model_name)]
    if isinstance(prune, dict):
        unknown = set(prune) - {"method", "sparsity", "pattern",
                                "keep_first", "keep_last"}
        if unknown:
            raise TypeError(f"prune: unknown key(s) {sorted(unknown)}; "
                            f"expected method, sparsity, pattern, "
                            f"keep_first, keep_last")
        sparsity = prune.get("sparsity", sparsity)
        pattern = prune.get("pattern", pattern)
        keep_first = prune.get("keep_first", keep_first)
        keep_last = prune.get("keep_last", keep_last)
        prune = prune.get("method", "magnitude")
    if prune:
        flags.append(f"--prune={prune}")
        settings["prune"] = str(prune)
    if sparsity is not None:
        flags.append(f"--sparsity={float(sparsity)!r}")
        settings["sparsity"] = float(sparsity)
    if pattern is not None:
        flags.append(f"--sparsity-pattern={pattern}")
        settings["pattern"] = str(pattern)
    if keep_first:
        flags.append("--prune-keep-first")
        settings["keep_first"] = True
    if keep_last:
        flags.append("--prune-keep-last")
        settings["keep_last"] = True
    if lowrank is not None:
        if isinstance(lowrank, dict):
            if set(lowrank) not in ({"energy"}, {"ratio"}):
                raise TypeError("lowrank: expected a number (energy), "
                                "{'energy': E} or {'ratio': R}")
            (kind, value), = lowrank.items()
        else:
            kind, value = "energy", lowrank
        flags.append(f"--lowrank-{kind}={float(value)!r}")
        settings[f"lowrank_{kind}"] = float(value)
    if quantize:
        if quantize is True:
            quantize = "int8"
        flags.append(f"--quantize={quantize}")
        settings["quantize"] = str(quantize)
    if calib is not None:
        if isinstance(calib, (str, os.PathLike)):
            path = os.fspath(calib)
            if not os.path.exists(path):
                raise FileNotFoundError(f"no calibration data at '{path}'")
        elif isinstance(calib, (tuple, list)):
            # several inputs: one file per input, input_0.npy, input_1.npy...
            path = os.path.join(workdir, "calib")
            os.mkdir(path)
            for i, array in enumerate(calib):
                np.save(os.path.join(path, f"input_{i}.npy"),
                        np.ascontiguousarray(_to_numpy(array)))
        else:
            path = os.path.join(workdir, "calib.npy")
            np.save(path, np.ascontiguousarray(_to_numpy(calib)))
        flags.append(f"--calib={path}")
        settings["calib"] = True
    if extra_args:
        flags += [str(a) for a in extra_args]
    return flags, settings


def _to_numpy(value):
    if hasattr(value, "detach") and hasattr(value, "numpy"):
        return value.detach().cpu().numpy()
    return np.asarray(value)


def _model_file(model, example_input, workdir, *, input_names, output_names,
                dynamic_batch, opset):
    """The ONNX or MLIR file to give mc-compile, and a default model name."""
    if isinstance(model, (str, os.PathLike)):
        path = os.fspath(model)
        if example_input is not None:
            raise TypeError("example_input= is only for torch.nn.Module "
                            "models")
        if not os.path.exists(path):
            raise FileNotFoundError(f"no model file at '{path}'")
        stem = os.path.splitext(os.path.basename(path))[0]
        return path, stem
    if _is_model_proto(model):
        if example_input is not None:
            raise TypeError("example_input= is only for torch.nn.Module "
                            "models")
        path = os.path.join(workdir, "model.onnx")
        with open(path, "wb") as f:
            f.write(model.SerializeToString())
        name = getattr(getattr(model, "graph", None), "name", "") or "model"
        return path, name
    if _is_torch_module(model):
        path = os.path.join(workdir, "model.onnx")
        _export_torch(model, example_input, path, input_names=input_names,
                      output_names=output_names, dynamic_batch=dynamic_batch,
                      opset=opset)
        return path, type(model).__name__.lower()
    raise TypeError(f"cannot compile an object of type "
                    f"{type(model).__name__}: expected an "
                    f"ONNX file path, an onnx.ModelProto or a torch.nn.Module")


def _sanitize(name):
    keep = "".join(c if c.isalnum() or c in "_-." else "_" for c in name)
    return keep or "model"


def compile(model, example_input=None, *, quantize=None, prune=None,
            sparsity=None, pattern=None, keep_first=False, keep_last=False,
            lowrank=None, calib=None,
            target="cpu", output=None, header=None, opt_level=2,
            model_name=None, input_names=None, output_names=None,
            dynamic_batch=True, opset=13, extra_args=None):
    """Compiles a model to a native library with `mc-compile` and loads it.

    Args:
        model: an ONNX file path (``.onnx``, or mc IR as ``.mlir``), an
            ``onnx.ModelProto``, or a ``torch.nn.Module`` (then
            `example_input` is required: it is exported with
            ``torch.onnx.export`` in eval mode).
        example_input: for a torch module: a tensor or NumPy array, or a
            tuple of them for several inputs.
        quantize: ``"int8"`` (per-channel int8 weights, int8 activations;
            needs `calib`).
        prune: ``"magnitude"`` or ``"wanda"`` (Wanda needs `calib`), or a
            dict ``{"method", "sparsity", "pattern", "keep_first",
            "keep_last"}``.
        sparsity: fraction of weights (or channels) to remove, in [0, 1).
        pattern: ``"unstructured"``, ``"N:M"`` (e.g. ``"2:4"``) or
            ``"channel"``.
        keep_first, keep_last: leave the first / last prunable layer dense
            (``--prune-keep-first`` / ``--prune-keep-last``).
        lowrank: SVD splitting: a number (the energy kept, in (0, 1]) or
            ``{"energy": E}`` / ``{"ratio": R}``.
        calib: calibration inputs: a ``.npy``/``.pb`` file or folder, an
            array of stacked samples (saved to a temporary ``.npy``), or a
            tuple of such arrays, one per input, for several inputs.
        target: ``"cpu"`` or ``"cuda"`` (PTX kernels launched through the
            CUDA driver at run time; docs/GPU.md).
        output: where to write the library (default: a temporary directory
            removed when the returned Model is garbage-collected).
        header: also write the C header (``mc-compile --header``) here.
        opt_level: LLVM optimization level 0-3 (default 2).
        model_name: the name stored in the library (default: the file stem,
            the graph name or the module's class name).
        input_names, output_names, dynamic_batch, opset: torch export
            settings (default: ``input``/``output``, or ``input0``...;
            a dynamic leading dimension; ONNX opset 13).
        extra_args: more mc-compile flags, passed as given.

    Returns:
        The loaded `mc.Model`; ``model.report`` holds the compression report
        (`mc.Report`), ``model.compile_log`` the tool's stdout and
        ``model.compile_diagnostics`` its stderr (remarks and warnings of a
        successful compile, e.g. layers a pattern could not prune).

    Raises:
        FileNotFoundError: the model or calibration file does not exist.
        CompileError: mc-compile failed; ``.diagnostics`` has its messages.
        CompilerNotFoundError: no mc-compile was found (`mc.find_compiler`).
    """
    workdir = tempfile.mkdtemp(prefix="mc-compile-")
    keep_workdir = False  # True once a Model owns the directory
    try:
        source, default_name = _model_file(
            model, example_input, workdir, input_names=input_names,
            output_names=output_names, dynamic_batch=dynamic_batch,
            opset=opset)
        name = model_name or default_name
        flags, settings = _flag_list(quantize, prune, sparsity, pattern,
                                     keep_first, keep_last, lowrank, calib,
                                     target, opt_level, name, extra_args,
                                     workdir)
        if output is None:
            library = os.path.join(workdir, f"lib{_sanitize(name)}.so")
        else:
            library = os.path.abspath(os.fspath(output))
            parent = os.path.dirname(library)
            if not os.path.isdir(parent):
                raise FileNotFoundError(f"output directory '{parent}' does "
                                        f"not exist")
        report_path = os.path.join(workdir, "report.json")
        args = [source, "-o", library, f"--report={report_path}"] + flags
        if header is not None:
            args.append(f"--header={os.fspath(header)}")
        proc = run_compiler(args)
        with open(report_path) as f:
            report = Report(json.load(f), settings=settings)
        keepalive = None
        if output is None:
            # The library stays while the Model lives; everything else goes.
            for entry in os.listdir(workdir):
                if os.path.join(workdir, entry) != library:
                    _remove(os.path.join(workdir, entry))
            keepalive = _TempDir(workdir)
        result = Model(library, report=report, _keepalive=keepalive)
        keep_workdir = keepalive is not None
        result.compile_log = proc.stdout
        result.compile_diagnostics = proc.stderr
        return result
    finally:
        if not keep_workdir:
            shutil.rmtree(workdir, ignore_errors=True)


def compile_report(model, example_input=None, *, quantize=None, prune=None,
                   sparsity=None, pattern=None, keep_first=False,
                   keep_last=False, lowrank=None, calib=None,
                   model_name=None, input_names=None, output_names=None,
                   dynamic_batch=True, opset=13, extra_args=None):
    """The compression report of `model` under the given options, without
    generating code (``mc-compile --emit=mc --report=FILE``). Options as in
    `compile`."""
    workdir = tempfile.mkdtemp(prefix="mc-report-")
    try:
        source, default_name = _model_file(
            model, example_input, workdir, input_names=input_names,
            output_names=output_names, dynamic_batch=dynamic_batch,
            opset=opset)
        flags, settings = _flag_list(quantize, prune, sparsity, pattern,
                                     keep_first, keep_last, lowrank, calib,
                                     "cpu", 2,
                                     model_name or default_name, extra_args,
                                     workdir)
        report_path = os.path.join(workdir, "report.json")
        run_compiler([source, "--emit=mc", "-o", os.devnull,
                      f"--report={report_path}"] + flags, what="compress")
        with open(report_path) as f:
            return Report(json.load(f), settings=settings)
    finally:
        shutil.rmtree(workdir, ignore_errors=True)


def _remove(path):
    if os.path.isdir(path):
        shutil.rmtree(path, ignore_errors=True)
    else:
        try:
            os.remove(path)
        except OSError:
            pass


class _TempDir:
    """Removes a directory when the owning Model is garbage-collected (or at
    exit). The loaded library stays mapped after its file is gone."""

    def __init__(self, path):
        self.path = path
        self._finalizer = weakref.finalize(self, shutil.rmtree, path, True)
