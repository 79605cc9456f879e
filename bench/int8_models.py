#!/usr/bin/env python3
"""Benchmark: whole int8 models, mc against ONNX Runtime and PyTorch.

  /usr/bin/python3 bench/int8_models.py [--runs N] [--rounds R] [--no-build]
      [--models cnn,mlp,mobilenet,transformer] [--batches 1,64]
      [--threads 1,2] [--out FILE.md] [--build-dir DIR] [--default-malloc]

Four models: the bundled Fashion-MNIST CNN and MLP (python/models), a
MobileNet-style block and a pre-LN transformer block, both built here in
PyTorch with seeded weights and exported to ONNX. For each model the script
builds (under BUILD/bench-int8):

  mc int8   mc-compile MODEL.onnx --calib=CALIB.npy --quantize=int8
            (--calib-save keeps the statistics mc quantized with)
  mc fp32   mc-compile MODEL.onnx
  ORT fp32  the ONNX file, onnxruntime-node (bench/ort_bench.js)
  ORT int8  a QDQ model written here with onnx.helper: QuantizeLinear /
            DequantizeLinear around every Conv, Gemm and MatMul with a
            constant weight, with mc's activation ranges (from the
            --calib-save file, mc-quantize's formula, as uint8 with the same
            scale), int8 symmetric per-channel weights and int32 biases
            (mc-quantize's formulas); ORT fuses them into its integer kernels
  PT int8   PyTorch FX post-training quantization (prepare_fx / convert_fx,
            the 'onednn' engine and its default qconfig mapping: this
            torch 1.13 build has no fbgemm/x86 engine), calibrated on the
            same samples

Calibration: 512 images of python/models/fashion_sample_images.npy for the
CNN and MLP (the timed batch comes from the other images), 256 seeded normal
samples for the other two. Then, for every batch size and thread count, it
times each engine `--rounds` times in turn (engines interleaved, so that a
change of machine load hits all of them), each time the median of `--runs`
calls after warm-up, and reports the median over the rounds:

  mc        mc-run LIB --bench N (in-process wall time; mc's generated code
            is single-threaded, so its 2-thread numbers time the same code)
  ORT       ort_bench.js: intra-op threads = the thread count, inter-op 1,
            sequential, all graph optimizations; session creation excluded
  PyTorch   torch.set_num_threads(threads), no_grad

Ratios are mc int8 time / other engine's time (below 1: mc int8 is faster).
A second table checks the outputs at the largest batch: top-1 agreement of
each int8 engine with its own fp32 model (classifiers) or the largest
absolute difference relative to the largest fp32 output (transformer).

All engines run with bench/run.py's GLIBC_TUNABLES (the script re-executes
itself with them) unless --default-malloc. Not a test: the numbers depend on
the machine and its load.
"""

import argparse
import collections
import json
import os
import re
import statistics
import subprocess
import sys
import time

import numpy as np
import onnx
import torch
from onnx import helper, numpy_helper
from torch import nn

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(HERE)
sys.path.insert(0, HERE)
import models  # noqa: E402
from run import MALLOC_TUNABLES, time_mc  # noqa: E402

MODELS = ("cnn", "mlp", "mobilenet", "transformer")
ENGINES = ("mc int8", "mc fp32", "ORT fp32", "ORT int8", "PT int8")

# --------------------------------------------------------------------------
# Models built here
# --------------------------------------------------------------------------


def _conv_bn(ci, co, k, stride, groups=1, relu=True):
    layers = [nn.Conv2d(ci, co, k, stride, k // 2, groups=groups, bias=False),
              nn.BatchNorm2d(co)]
    if relu:
        layers.append(nn.ReLU())
    return nn.Sequential(*layers)


class MobileNetBlock(nn.Module):
    """MobileNet-style: a strided stem, two depthwise-separable blocks (the
    second strided), one inverted residual block (1x1 expand, depthwise,
    1x1 project, skip connection), global average pooling and a classifier.
    Input [batch, 3, 32, 32], output [batch, 10]. ReLU rather than ReLU6:
    mc-quantize folds a ReLU into requantization, a Clip it does not."""

    def __init__(self):
        super().__init__()
        self.features = nn.Sequential(
            _conv_bn(3, 16, 3, 2), _conv_bn(16, 16, 3, 1, 16),
            _conv_bn(16, 32, 1, 1), _conv_bn(32, 32, 3, 2, 32),
            _conv_bn(32, 64, 1, 1))
        self.expand = _conv_bn(64, 128, 1, 1)
        self.dw = _conv_bn(128, 128, 3, 1, 128)
        self.project = _conv_bn(128, 64, 1, 1, relu=False)
        self.pool = nn.AdaptiveAvgPool2d(1)
        self.head = nn.Linear(64, 10)

    def forward(self, x):
        x = self.features(x)
        x = x + self.project(self.dw(self.expand(x)))
        return self.head(torch.flatten(self.pool(x), 1))


class TransformerBlock(nn.Module):
    """Pre-LN transformer block: LayerNorm, q/k/v projections, 4-head
    softmax attention, output projection, residual; LayerNorm, 64-256-64
    GELU MLP, residual. Input and output [batch, 16, 64]."""

    def __init__(self, d=64, heads=4, hidden=256, tokens=16):
        super().__init__()
        self.heads, self.dh, self.d, self.tokens = heads, d // heads, d, tokens
        self.ln1, self.ln2 = nn.LayerNorm(d), nn.LayerNorm(d)
        self.q, self.k, self.v = nn.Linear(d, d), nn.Linear(d, d), nn.Linear(
            d, d)
        self.proj = nn.Linear(d, d)
        self.fc1, self.fc2 = nn.Linear(d, hidden), nn.Linear(hidden, d)
        self.act = nn.GELU()

    def _heads(self, x):
        return x.reshape(-1, self.tokens, self.heads, self.dh).transpose(1, 2)

    def forward(self, x):
        y = self.ln1(x)
        q, k, v = self._heads(self.q(y)), self._heads(self.k(y)), \
            self._heads(self.v(y))
        a = torch.softmax(torch.matmul(q, k.transpose(2, 3)) * self.dh**-0.5,
                          dim=-1)
        o = torch.matmul(a, v).transpose(1, 2).reshape(-1, self.tokens,
                                                       self.d)
        x = x + self.proj(o)
        return x + self.fc2(self.act(self.fc1(self.ln2(x))))


def build_torch(name):
    torch.manual_seed(0)
    if name == "mobilenet":
        m = MobileNetBlock()
        # Non-trivial batch norm statistics (folded into the convolutions).
        for mod in m.modules():
            if isinstance(mod, nn.BatchNorm2d):
                mod.running_mean.uniform_(-0.2, 0.2)
                mod.running_var.uniform_(0.5, 1.5)
                mod.weight.data.uniform_(0.5, 1.5)
                mod.bias.data.uniform_(-0.2, 0.2)
        return m.eval()
    return TransformerBlock().eval()


def export(module, shape, path, opset):
    torch.onnx.export(module, torch.randn(*shape), path,
                      input_names=["input"], output_names=["output"],
                      opset_version=opset,
                      dynamic_axes={"input": {0: "batch"},
                                    "output": {0: "batch"}})


# --------------------------------------------------------------------------
# The QDQ model for ONNX Runtime int8
# --------------------------------------------------------------------------

# Ops whose output has the quantization parameters of their input.
PASS_THROUGH = {"MaxPool", "Reshape", "Flatten"}


def activation_params(lo, hi):
    """mc-quantize's activation scale on the uint8 grid: s = (hi - lo) /
    255 over the range widened to 0; zp = round(-lo / s), which is mc's
    int8 zero point + 128 (the same real values)."""
    lo, hi = min(lo, 0.0), max(hi, 0.0)
    s = (hi - lo) / 255 if hi > lo else 1.0
    s = max(s, 2.0**-126)
    zp = int(np.clip(np.rint(-lo / s), 0, 255))
    return np.float32(s), np.uint8(zp)


def weight_params(w, axis):
    """Symmetric per-channel int8 along `axis`: s = max|w| / 127."""
    other = tuple(i for i in range(w.ndim) if i != axis)
    amax = np.abs(w).max(axis=other)
    s = np.where(amax > 0, amax / 127.0, 1.0).astype(np.float32)
    shape = [1] * w.ndim
    shape[axis] = -1
    q = np.clip(np.rint(w / s.reshape(shape)), -127, 127).astype(np.int8)
    return q, s


def write_qdq(src, stats_path, dst):
    """Writes the QDQ form of `src`: per layer DequantizeLinear(int8 W,
    per channel), DequantizeLinear(int32 bias), QuantizeLinear ->
    DequantizeLinear on the activation input and on the output (after a
    ReLU, or after the bias Add of a MatMul), and on the outputs of
    MaxPool/Reshape/Flatten of quantized values with their input's
    parameters. Ranges: mc's calibration statistics (keys: the ONNX node
    names, `arg:NAME` for graph inputs)."""
    model = onnx.load(src)
    g = model.graph
    ranges = json.load(open(stats_path))["ranges"]
    inits = {t.name: numpy_helper.to_array(t) for t in g.initializer}
    graph_inputs = {i.name for i in g.input}
    producer = {o: n for n in g.node for o in n.output}
    consumers = collections.defaultdict(list)
    for n in g.node:
        for i in n.input:
            consumers[i].append(n)

    def observed_range(t):
        while True:
            key = "arg:" + t if t in graph_inputs else producer[t].name
            if key in ranges:
                return ranges[key]["min"], ranges[key]["max"]
            n = producer.get(t)
            if n is None or n.op_type not in PASS_THROUGH:
                raise KeyError("no calibration range for tensor " + t)
            t = n.input[0]

    def attr(n, name, default):
        for a in n.attribute:
            if a.name == name:
                return helper.get_attribute_value(a)
        return default

    # Layers to quantize and their weight axis.
    layers = []
    for n in g.node:
        if len(n.input) < 2 or n.input[1] not in inits:
            continue
        if n.op_type == "Conv":
            layers.append((n, 0))
        elif n.op_type == "Gemm" and attr(n, "transA", 0) == 0 and \
                attr(n, "alpha", 1.0) == 1.0 and attr(n, "beta", 1.0) == 1.0:
            layers.append((n, 0 if attr(n, "transB", 0) else 1))
        elif n.op_type == "MatMul" and inits[n.input[1]].ndim == 2:
            layers.append((n, 1))

    params = {}  # tensor -> (scale, zero point)

    def quantize_tensor(t, like=None):
        if t not in params:
            params[t] = params[like] if like else activation_params(
                *observed_range(t))

    new_inits, extra = [], collections.defaultdict(list)
    for n, axis in layers:
        x = n.input[0]
        quantize_tensor(x)
        sx = params[x][0]
        w = inits[n.input[1]]
        q, sw = weight_params(w, axis)
        base = n.input[1]
        new_inits += [numpy_helper.from_array(q, base + "_q"),
                      numpy_helper.from_array(sw, base + "_s"),
                      numpy_helper.from_array(np.zeros(sw.shape, np.int8),
                                              base + "_z")]
        extra[None].append(helper.make_node(
            "DequantizeLinear", [base + "_q", base + "_s", base + "_z"],
            [base + "_dq"], axis=axis, name=base + "_DequantizeLinear"))
        n.input[1] = base + "_dq"
        if len(n.input) > 2 and n.input[2] in inits:
            b = inits[n.input[2]].astype(np.float64)
            sb = (sx * sw).astype(np.float32)
            bq = np.rint(b / sb.astype(np.float64)).astype(np.int32)
            bn = n.input[2]
            new_inits += [numpy_helper.from_array(bq, bn + "_q"),
                          numpy_helper.from_array(sb, bn + "_s")]
            extra[None].append(helper.make_node(
                "DequantizeLinear", [bn + "_q", bn + "_s"], [bn + "_dq"],
                axis=0, name=bn + "_DequantizeLinear"))
            n.input[2] = bn + "_dq"
        # The output: after a ReLU, or after the bias of a MatMul.
        y = n.output[0]
        users = consumers[y]
        if len(users) == 1 and (users[0].op_type == "Relu" or (
                n.op_type == "MatMul" and users[0].op_type == "Add" and
                any(i in inits for i in users[0].input))):
            y = users[0].output[0]
        quantize_tensor(y)
    # Pass-through ops on quantized values keep their parameters.
    for n in g.node:
        if n.op_type in PASS_THROUGH and n.input[0] in params:
            quantize_tensor(n.output[0], like=n.input[0])

    # Insert QuantizeLinear -> DequantizeLinear for every tensor in params.
    renamed = {}
    for t, (s, zp) in params.items():
        new_inits += [numpy_helper.from_array(np.array(s, np.float32),
                                              t + "_qs"),
                      numpy_helper.from_array(np.array(zp, np.uint8),
                                              t + "_qz")]
        if t in graph_inputs:
            src_name, dq_name, anchor = t, t + "_dq", None
            for user in consumers[t]:
                for i, name in enumerate(user.input):
                    if name == t:
                        user.input[i] = dq_name
        else:
            src_name, dq_name, anchor = t + "_f", t, producer[t].name
            renamed[t] = src_name
        extra[anchor] += [
            helper.make_node("QuantizeLinear", [src_name, t + "_qs",
                                                t + "_qz"], [t + "_q"],
                             name=t + "_QuantizeLinear"),
            helper.make_node("DequantizeLinear", [t + "_q", t + "_qs",
                                                  t + "_qz"], [dq_name],
                             name=t + "_DequantizeLinear")]
    nodes = list(extra[None])
    for n in g.node:
        for i, o in enumerate(n.output):
            if o in renamed:
                n.output[i] = renamed[o]
        nodes.append(n)
        nodes += extra[n.name]
    used = {i for n in nodes for i in n.input}
    kept = [t for t in g.initializer if t.name in used]
    del g.node[:]
    g.node.extend(nodes)
    del g.initializer[:]
    g.initializer.extend(kept + [t for t in new_inits if t.name in used])
    onnx.checker.check_model(model)
    onnx.save(model, dst)
    return len(layers)


# --------------------------------------------------------------------------
# PyTorch int8
# --------------------------------------------------------------------------


def torch_int8(module, calib):
    """FX post-training static quantization with the onednn engine."""
    from torch.ao.quantization import get_default_qconfig_mapping
    from torch.ao.quantization.quantize_fx import convert_fx, prepare_fx
    torch.backends.quantized.engine = "onednn"
    example = torch.from_numpy(calib[:2])
    prepared = prepare_fx(module, get_default_qconfig_mapping("onednn"),
                          example_inputs=(example,))
    with torch.no_grad():
        for i in range(0, len(calib), 64):
            prepared(torch.from_numpy(calib[i:i + 64]))
    return convert_fx(prepared)


# --------------------------------------------------------------------------
# Timing
# --------------------------------------------------------------------------


def run(cmd, **kw):
    proc = subprocess.run(cmd, text=True, capture_output=True, **kw)
    if proc.returncode != 0:
        sys.exit("int8_models.py: %s failed (%d):\n%s%s" %
                 (" ".join(cmd), proc.returncode, proc.stdout, proc.stderr))
    return proc.stdout


def time_ort(model, x_path, runs, threads, out_path=None, optimized=None):
    """ort_bench.js; `optimized`: where ORT saves the graph it runs."""
    cmd = ["node", os.path.join(HERE, "ort_bench.js"), model, x_path,
           str(runs), str(max(3, runs // 10)), str(threads)]
    if out_path:
        cmd.append(out_path)
    env = dict(os.environ)
    if optimized:
        env["ORT_OPTIMIZED_MODEL"] = optimized
    return json.loads(run(cmd, env=env).strip().splitlines()[-1])["median_ms"]


def op_counts(path):
    counts = collections.Counter(n.op_type for n in onnx.load(path).graph.node)
    return ", ".join("%s %d" % kv for kv in sorted(counts.items()))


def time_torch(module, x, runs, threads):
    torch.set_num_threads(threads)
    t = torch.from_numpy(x)
    times = []
    with torch.no_grad():
        for _ in range(max(3, runs // 10)):
            module(t)
        for _ in range(runs):
            t0 = time.perf_counter()
            module(t)
            times.append((time.perf_counter() - t0) * 1e3)
    return statistics.median(times)


# --------------------------------------------------------------------------
# Driver
# --------------------------------------------------------------------------


def prepare(name, work, build):
    """Exports/compiles everything for one model; returns a dict."""
    images = np.load(os.path.join(ROOT, "python", "models",
                                  "fashion_sample_images.npy"))
    rng = np.random.default_rng(0)
    if name in ("cnn", "mlp"):
        src = os.path.join(ROOT, "python", "models", "fashion_%s.onnx" % name)
        calib = images[:512]
        inputs = images[512:]
        fp32 = models.torch_from_onnx(src)
        classifier = True
    else:
        module = build_torch(name)
        shape = (3, 32, 32) if name == "mobilenet" else (16, 64)
        src = os.path.join(work, name + ".onnx")
        export(module, (2,) + shape, src, 13 if name == "mobilenet" else 17)
        calib = rng.standard_normal((256,) + shape, dtype=np.float32)
        inputs = rng.standard_normal((64,) + shape, dtype=np.float32)
        fp32 = module
        classifier = name == "mobilenet"
    calib = np.ascontiguousarray(calib, dtype=np.float32)
    calib_path = os.path.join(work, name + "_calib.npy")
    np.save(calib_path, calib)
    stats = os.path.join(work, name + "_stats.json")
    lib_int8 = os.path.join(work, "lib%s_int8.so" % name)
    lib_fp32 = os.path.join(work, "lib%s_fp32.so" % name)
    compiler = os.path.join(build, "bin", "mc-compile")
    report = run([compiler, src, "-o", lib_int8, "--calib=" + calib_path,
                  "--calib-save=" + stats, "--quantize=int8", "-v"])
    run([compiler, src, "-o", lib_fp32])
    qdq = os.path.join(work, name + "_qdq.onnx")
    qdq_optimized = os.path.join(work, name + "_qdq_ort_optimized.onnx")
    n_qdq = write_qdq(src, stats, qdq)
    pt8 = None
    try:
        pt8 = torch_int8(fp32, calib)
    except Exception as e:  # reported, not fatal
        print("%s: PyTorch int8 failed: %s: %s" % (name, type(e).__name__,
                                                   str(e).splitlines()[0]))
    layers = [line.split()[1] for line in report.splitlines()
              if re.match(r"\S+\s+(qlinear|qconv2d|linear|conv2d)\s", line)]
    return dict(src=src, qdq=qdq, qdq_optimized=qdq_optimized,
                lib_int8=lib_int8, lib_fp32=lib_fp32,
                fp32=fp32, pt8=pt8, inputs=inputs, classifier=classifier,
                mc_layers=collections.Counter(layers), qdq_layers=n_qdq)


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--runs", type=int, default=20,
                    help="timed calls per measurement (default 20)")
    ap.add_argument("--rounds", type=int, default=3,
                    help="interleaved measurements per engine (default 3)")
    ap.add_argument("--models", default=",".join(MODELS))
    ap.add_argument("--batches", default="1,64")
    ap.add_argument("--threads", default="1,2")
    ap.add_argument("--out", help="also write the tables (markdown) here")
    ap.add_argument("--no-build", action="store_true")
    ap.add_argument("--build-dir", default=os.environ.get(
        "MC_BUILD_DIR", os.path.join(ROOT, "build")))
    ap.add_argument("--default-malloc", action="store_true")
    args = ap.parse_args()
    names = args.models.split(",")
    bad = [n for n in names if n not in MODELS]
    if bad or args.runs < 1 or args.rounds < 1:
        ap.error("unknown model %s" % bad if bad else
                 "--runs and --rounds must be at least 1")
    batches = [int(b) for b in args.batches.split(",")]
    threads = [int(t) for t in args.threads.split(",")]
    if not args.default_malloc and \
            os.environ.get("GLIBC_TUNABLES") != MALLOC_TUNABLES:
        env = dict(os.environ, GLIBC_TUNABLES=MALLOC_TUNABLES)
        os.execve(sys.executable, [sys.executable] + sys.argv, env)

    build = os.path.abspath(args.build_dir)
    if not args.no_build:
        subprocess.run(["bash", os.path.join(ROOT, "scripts", "build.sh"),
                        "mc-compile", "mc-run", "mc_runtime"], check=True,
                       stdout=subprocess.DEVNULL)
    if not os.path.isdir(os.path.join(HERE, "node_modules",
                                      "onnxruntime-node")):
        subprocess.run(["npm", "ci", "--no-audit", "--no-fund"], cwd=HERE,
                       check=True, env=dict(os.environ,
                                            ONNXRUNTIME_NODE_INSTALL="skip"))
    work = os.path.join(build, "bench-int8")
    os.makedirs(work, exist_ok=True)

    rows, checks, notes = [], [], []
    for name in names:
        m = prepare(name, work, build)
        for batch in batches:
            x = np.ascontiguousarray(m["inputs"][:batch], dtype=np.float32)
            x_path = os.path.join(work, "%s_b%d.npy" % (name, batch))
            np.save(x_path, x)
            outs = {e: os.path.join(work, "%s_b%d_%s.npy" %
                                    (name, batch, e.replace(" ", "_")))
                    for e in ENGINES}
            for th in threads:
                times = collections.defaultdict(list)
                for r in range(args.rounds):
                    first = r == 0 and th == threads[0]
                    times["mc int8"].append(time_mc(
                        build, m["lib_int8"], x_path, outs["mc int8"],
                        args.runs))
                    times["mc fp32"].append(time_mc(
                        build, m["lib_fp32"], x_path, outs["mc fp32"],
                        args.runs))
                    times["ORT fp32"].append(time_ort(
                        m["src"], x_path, args.runs, th,
                        outs["ORT fp32"] if first else None))
                    times["ORT int8"].append(time_ort(
                        m["qdq"], x_path, args.runs, th,
                        outs["ORT int8"] if first else None,
                        m["qdq_optimized"] if first else None))
                    if m["pt8"] is not None:
                        times["PT int8"].append(time_torch(
                            m["pt8"], x, args.runs, th))
                med = {e: statistics.median(v) for e, v in times.items()}
                rows.append((name, batch, th, med))
                print(name, batch, th,
                      {e: round(v, 3) for e, v in med.items()}, flush=True)
            if batch == max(batches):
                with torch.no_grad():
                    xt = torch.from_numpy(x)
                    pt32 = m["fp32"](xt).numpy()
                    pt8 = m["pt8"](xt).numpy() if m["pt8"] else None
                pairs = [("mc int8", np.load(outs["mc int8"]),
                          np.load(outs["mc fp32"])),
                         ("ORT int8", np.load(outs["ORT int8"]),
                          np.load(outs["ORT fp32"]))]
                if pt8 is not None:
                    pairs.append(("PT int8", pt8, pt32))
                for engine, q, f in pairs:
                    if m["classifier"]:
                        agree = float(np.mean(q.argmax(-1) == f.argmax(-1)))
                        checks.append((name, batch, engine,
                                       "top-1 agrees with fp32 on %.1f%%"
                                       % (100 * agree)))
                    else:
                        rel = float(np.abs(q - f).max() / np.abs(f).max())
                        checks.append((name, batch, engine,
                                       "max |int8 - fp32| / max |fp32| = "
                                       "%.3f" % rel))
        layers = ", ".join("%s %d" % kv for kv in sorted(
            m["mc_layers"].items()))
        notes.append("%s: mc-compile -v layers: %s; QDQ layers written for "
                     "ORT: %d; ORT runs: %s; PyTorch int8: %s" %
                     (name, layers, m["qdq_layers"],
                      op_counts(m["qdq_optimized"]),
                      "FX, onednn" if m["pt8"] else "failed"))

    malloc = "default" if args.default_malloc else \
        "GLIBC_TUNABLES=" + MALLOC_TUNABLES
    lines = ["median of %d rounds (interleaved) of the median of %d calls, "
             "milliseconds; ratio = mc int8 / engine (below 1: mc int8 is "
             "faster); malloc: %s" % (args.rounds, args.runs, malloc), "",
             "| model | batch | threads | mc int8 | mc fp32 | ORT fp32 | "
             "ORT int8 | PT int8 | mc8/ORT fp32 | mc8/ORT int8 | "
             "mc8/PT int8 |",
             "|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|"]

    def fmt(v):
        return "-" if v is None else ("%.3f" % v)

    for name, batch, th, med in rows:
        mc8 = med["mc int8"]
        pt8 = med.get("PT int8")
        lines.append("| %s | %d | %d | %s | %s | %s | %s | %s | %s | %s | %s "
                     "|" % (name, batch, th, fmt(mc8), fmt(med["mc fp32"]),
                            fmt(med["ORT fp32"]), fmt(med["ORT int8"]),
                            fmt(pt8),
                            "%.2f" % (mc8 / med["ORT fp32"]),
                            "%.2f" % (mc8 / med["ORT int8"]),
                            "%.2f" % (mc8 / pt8) if pt8 else "-"))
    lines += ["", "| model | batch | engine | output check |",
              "|---|---:|---|---|"]
    lines += ["| %s | %d | %s | %s |" % c for c in checks]
    lines += [""] + ["- " + n for n in notes]
    text = "\n".join(lines)
    print(text)
    if args.out:
        with open(args.out, "w") as f:
            f.write(text + "\n")


if __name__ == "__main__":
    main()
