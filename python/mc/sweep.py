"""Compile a model under a grid of compression settings, evaluate each.

    python3 -m mc.sweep model.onnx --data X.npy --labels Y.npy \\
        [--calib C.npy] [--settings NAME,...] --csv out.csv --png out.png

Every setting is one `mc.compile` (one run of mc-compile); each library is
run on the data and scored by top-1 accuracy against the labels. Model size
is the bytes of every constant of the compiled model at its storage width
(`model_bytes_after` of the compression report); the library file size is
recorded too. Settings that need calibration (Wanda, int8) are skipped when
--calib is not given. The CSV has one row per setting; the PNG draws
accuracy against size with the frontier (`mc.plot_tradeoff`).
"""
import argparse
import csv
import os
import shutil
import sys
import time

import numpy as np

from ._errors import CompileError, MCError
from .compiler import compile as mc_compile
from .plot import plot_tradeoff

# (name, mc.compile options); "calib" is added where calibration is needed.
DEFAULT_GRID = [
    ("fp32", {}),
    ("int8", {"quantize": "int8"}),
    ("magnitude 30%", {"prune": "magnitude", "sparsity": 0.3}),
    ("magnitude 50%", {"prune": "magnitude", "sparsity": 0.5}),
    ("magnitude 70%", {"prune": "magnitude", "sparsity": 0.7}),
    ("magnitude 2:4", {"prune": "magnitude", "pattern": "2:4"}),
    ("magnitude 4:8", {"prune": "magnitude", "pattern": "4:8"}),
    ("wanda 50%", {"prune": "wanda", "sparsity": 0.5}),
    ("wanda 2:4", {"prune": "wanda", "pattern": "2:4"}),
    ("magnitude 50% first+last dense",
     {"prune": "magnitude", "sparsity": 0.5, "keep_first": True,
      "keep_last": True}),
    ("wanda 2:4 first+last dense",
     {"prune": "wanda", "pattern": "2:4", "keep_first": True,
      "keep_last": True}),
    ("channel 25%", {"prune": "magnitude", "sparsity": 0.25,
                     "pattern": "channel"}),
    ("channel 50%", {"prune": "magnitude", "sparsity": 0.5,
                     "pattern": "channel"}),
    ("lowrank energy 0.9", {"lowrank": {"energy": 0.9}}),
    ("lowrank ratio 0.5", {"lowrank": {"ratio": 0.5}}),
    ("magnitude 4:8 + int8", {"prune": "magnitude", "pattern": "4:8",
                              "quantize": "int8"}),
    ("channel 25% + int8", {"prune": "magnitude", "sparsity": 0.25,
                            "pattern": "channel", "quantize": "int8"}),
    ("lowrank energy 0.95 + int8", {"lowrank": {"energy": 0.95},
                                    "quantize": "int8"}),
]

CSV_FIELDS = ["setting", "accuracy", "correct", "total", "model_bytes",
              "library_bytes", "params", "sparsity", "compile_s",
              "latency_ms", "options", "error"]


def needs_calibration(options):
    return options.get("quantize") is not None or \
        options.get("prune") == "wanda"


def evaluate(model, data, labels, batch=256):
    """Top-1 accuracy of `model` on `data` against `labels` (class indices,
    or one-hot / scores whose argmax is the class). Returns (correct,
    total)."""
    if labels.ndim > 1:
        labels = labels.argmax(axis=1)
    step = batch if model.dynamic_batch else model.batch
    total = len(data) if model.dynamic_batch else \
        (len(data) // step) * step
    if total == 0:
        raise ValueError(f"model '{model.name}' runs at batch {model.batch}:"
                         f" more than {len(data)} samples needed")
    correct = 0
    for start in range(0, total, step):
        out = model(data[start:start + step])
        if isinstance(out, tuple):
            out = out[0]
        correct += int((out.reshape(out.shape[0], -1).argmax(axis=1) ==
                        labels[start:start + step]).sum())
    return correct, total


class Progress:
    """A one-line progress bar on a terminal; one line per step elsewhere."""

    def __init__(self, total, stream=sys.stderr, width=28):
        self.total, self.stream, self.width = total, stream, width
        self.tty = hasattr(stream, "isatty") and stream.isatty()
        self.start = time.monotonic()

    def update(self, done, text, final=False):
        """Shows `done` of `total` steps finished and what happens now;
        off a terminal only `final` lines (a step's result) are written."""
        elapsed = time.monotonic() - self.start
        if self.tty:
            filled = int(self.width * done / max(1, self.total))
            bar = "#" * filled + "." * (self.width - filled)
            line = f"\r[{bar}] {done}/{self.total} {elapsed:5.0f}s {text}"
            columns = shutil.get_terminal_size((80, 24)).columns - 1
            self.stream.write(line[:columns + 1].ljust(columns + 1))
        elif final:
            self.stream.write(f"[{done}/{self.total}] {text}\n")
        self.stream.flush()

    def close(self):
        if self.tty:
            self.stream.write("\n")
            self.stream.flush()


def _summary(row):
    if row.get("error"):
        return f"{row['setting']}: {row['error']}"
    return (f"{row['setting']}: {100 * row['accuracy']:.2f}%, "
            f"{row['model_bytes']:,} bytes")


def _flags_text(options):
    return " ".join(f"{k}={v}" for k, v in options.items() if k != "calib")


def run_sweep(model, data, labels, *, calib=None, grid=None, batch=256,
              bench=0, keep_dir=None, progress=True):
    """Compiles and evaluates `model` under each setting of `grid` (default
    `DEFAULT_GRID`); returns one dict per setting (the CSV's columns).

    A setting that fails to compile is recorded with its error and the
    sweep goes on. `bench` > 0 also times each library at batch 1 (median
    of `bench` calls)."""
    grid = DEFAULT_GRID if grid is None else grid
    rows = []
    bar = Progress(len(grid)) if progress else None
    for k, (name, options) in enumerate(grid):
        if bar:
            bar.update(k, f"compiling {name}")
        row = {f: "" for f in CSV_FIELDS}
        row["setting"] = name
        row["options"] = _flags_text(options)
        options = dict(options)
        if needs_calibration(options) and calib is None:
            row["error"] = "skipped: needs --calib"
            rows.append(row)
            if bar:
                bar.update(k + 1, _summary(row), final=True)
            continue
        if needs_calibration(options):
            options["calib"] = calib
        output = None
        if keep_dir:
            slug = "".join(c if c.isalnum() else "_" for c in name)
            output = os.path.join(keep_dir, f"lib{slug}.so")
        try:
            start = time.monotonic()
            compiled = mc_compile(model, output=output, **options)
            row["compile_s"] = round(time.monotonic() - start, 2)
            if bar:
                bar.update(k, f"evaluating {name}")
            correct, total = evaluate(compiled, data, labels, batch)
            row.update(correct=correct, total=total,
                       accuracy=round(correct / total, 6),
                       model_bytes=compiled.report.bytes_after,
                       library_bytes=os.path.getsize(compiled.path),
                       params=compiled.report.params_after,
                       sparsity=round(compiled.report.sparsity, 4))
            if bench > 0 and (compiled.dynamic_batch or compiled.batch == 1):
                row["latency_ms"] = round(
                    compiled.benchmark(1, bench).median, 4)
        except CompileError as e:
            row["error"] = e.diagnostics.splitlines()[0] if e.diagnostics \
                else str(e)
        rows.append(row)
        if bar:
            bar.update(k + 1, _summary(row), final=True)
    if bar:
        bar.close()
    return rows


def write_csv(rows, path):
    with open(path, "w", newline="") as f:
        writer = csv.DictWriter(f, fieldnames=CSV_FIELDS)
        writer.writeheader()
        for r in rows:
            writer.writerow({k: r.get(k, "") for k in CSV_FIELDS})


def format_table(rows):
    bench = any(r.get("latency_ms") not in (None, "") for r in rows)
    lines = [f"{'setting':<32} {'top-1':>8} {'model bytes':>12} "
             f"{'library':>10} {'sparsity':>8}" +
             (f" {'batch-1 ms':>10}" if bench else "")]
    for r in rows:
        if r.get("error"):
            lines.append(f"{r['setting']:<32} {r['error']}")
            continue
        lines.append(f"{r['setting']:<32} {100 * r['accuracy']:7.2f}% "
                     f"{r['model_bytes']:>12,} {r['library_bytes']:>10,} "
                     f"{100 * r['sparsity']:7.1f}%" +
                     (f" {r['latency_ms']:>10}" if bench else ""))
    return "\n".join(lines)


def _parse_args(argv):
    names = [n for n, _ in DEFAULT_GRID]
    ap = argparse.ArgumentParser(
        prog="python3 -m mc.sweep",
        description="Compile a model under a grid of compression settings, "
                    "evaluate top-1 accuracy and size, write a CSV and the "
                    "accuracy/size plot.",
        epilog="settings: " + ", ".join(names))
    ap.add_argument("model", nargs="?",
                    help="the ONNX model (or mc IR .mlir)")
    ap.add_argument("--data",
                    help=".npy of evaluation inputs, [N, ...] as the model "
                         "takes them (required)")
    ap.add_argument("--labels",
                    help=".npy of N class indices (or [N, classes]) "
                         "(required)")
    ap.add_argument("--calib", help=".npy of calibration inputs (Wanda, "
                                    "int8); settings that need it are "
                                    "skipped without it")
    ap.add_argument("--settings", help="comma-separated subset of the grid "
                                       "(default: all; see below)")
    ap.add_argument("--limit", type=int, help="use the first N samples")
    ap.add_argument("--batch", type=int, default=256,
                    help="evaluation batch (default 256)")
    ap.add_argument("--bench", type=int, default=0, metavar="N",
                    help="also time each library at batch 1 (median of N)")
    ap.add_argument("--csv", help="write the results here")
    ap.add_argument("--png", help="write the accuracy/size plot here")
    ap.add_argument("--keep", metavar="DIR",
                    help="keep the compiled libraries in DIR")
    ap.add_argument("--title", help="plot title")
    ap.add_argument("--list", action="store_true",
                    help="print the grid and exit")
    args = ap.parse_args(argv)
    grid = DEFAULT_GRID
    if args.settings:
        wanted = [s.strip() for s in args.settings.split(",") if s.strip()]
        unknown = [s for s in wanted if s not in names]
        if unknown:
            ap.error(f"unknown setting(s) {', '.join(map(repr, unknown))}; "
                     f"known: {', '.join(names)}")
        grid = [g for g in DEFAULT_GRID if g[0] in wanted]
    # --list needs nothing else; a sweep needs the model and the data.
    if not args.list:
        missing = [what for what, value in (("model", args.model),
                                            ("--data", args.data),
                                            ("--labels", args.labels))
                   if value is None]
        if missing:
            ap.error(f"missing {', '.join(missing)} (only --list runs "
                     f"without them)")
    return ap, args, grid


def main(argv=None):
    ap, args, grid = _parse_args(argv)
    if args.list:
        for name, options in grid:
            extra = " (needs --calib)" if needs_calibration(options) else ""
            print(f"{name:<32} {_flags_text(options)}{extra}")
        return 0
    for path in (args.model, args.data, args.labels, args.calib):
        if path is not None and not os.path.exists(path):
            ap.error(f"no such file: '{path}'")
    if args.batch < 1:
        ap.error("--batch must be positive")
    try:
        data = np.load(args.data)
        labels = np.load(args.labels)
    except (OSError, ValueError) as e:
        ap.error(f"cannot read the data: {e}")
    if args.limit is not None:
        data, labels = data[:args.limit], labels[:args.limit]
    if len(data) != len(labels):
        ap.error(f"--data has {len(data)} samples, --labels {len(labels)}")
    if args.keep:
        os.makedirs(args.keep, exist_ok=True)
    try:
        rows = run_sweep(args.model, data, labels, calib=args.calib,
                         grid=grid, batch=args.batch, bench=args.bench,
                         keep_dir=args.keep)
    except (MCError, ValueError, TypeError) as e:
        print(f"mc.sweep: error: {e}", file=sys.stderr)
        return 1
    print(format_table(rows))
    if args.csv:
        write_csv(rows, args.csv)
        print(f"wrote {args.csv}")
    done = [r for r in rows if not r.get("error")]
    if args.png:
        if done:
            plot_tradeoff(rows, args.png,
                          title=args.title or
                          f"{os.path.basename(args.model)}: accuracy vs. "
                          f"size ({len(data)} samples)")
            print(f"wrote {args.png}")
        else:
            print("mc.sweep: nothing compiled; no plot", file=sys.stderr)
    failed = [r for r in rows if r.get("error") and
              not r["error"].startswith("skipped")]
    return 1 if failed or not done else 0


if __name__ == "__main__":
    sys.exit(main())
