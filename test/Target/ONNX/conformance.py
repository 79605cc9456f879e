#!/usr/bin/env python3
"""ONNX backend conformance harness for mc-import, mc-compile and mc-run.

For every model DATA/{node,pytorch-converted,pytorch-operator}/test_*/model.onnx
(Debian's libonnx-testdata) it runs `mc-import model.onnx -o T.mlir` and then
`mc-opt --verify-each T.mlir` (the importer's output must re-parse and verify),
and classifies the test as

  imported     both succeed;
  unsupported  mc-import exits non-zero with a diagnostic that says
               "unsupported" (an op, attribute, type, opset the importer
               deliberately rejects);
  failed       anything else: a crash (killed by a signal), a timeout, a
               non-zero exit with no diagnostic or with one that is not an
               "unsupported" message (including the importer's "internal
               error"), output that mc-opt rejects.

It prints "imported X / attempted Y (unsupported Z, failed W)" and compares the
imported set with the expected list (conformance-expected.txt, one
"suite/test_name" a line, '#' comments). It exits non-zero when

  * a test in the expected list no longer imports (a regression), or
  * any test crashed (a signal is always a failure, expected list or not),
  * or, with --strict, any test failed.

Tests that import but are not in the list are reported with a hint; --update
rewrites the list to the tests that import now.

With --run the harness goes end to end (conformance-run.test, expected list
conformance-run-expected.txt): every test that imports is compiled once,
`mc-compile T.mlir -o T.so` (the imported module, so bound parameter inputs
stay bound), and run with `mc-run T.so --input ... --output ...` on each of
its test_data_set_N directories (input_K.pb / output_K.pb); a data set whose
bound parameter inputs differ from test_data_set_0's is skipped (it is another
model for an ahead-of-time compiler). The verdicts are then

  passed       every data set ran and every output has the expected dtype,
               shape and values: float outputs within rtol 1e-3, atol 1e-4
               (|got - want| <= atol + rtol |want|, NaN where NaN is
               expected), integer and bool outputs exactly;
  unsupported  the import is unsupported (above), or mc-compile exits
               non-zero with an error that says "unsupported" (a lowering
               that deliberately rejects an op or element type), or a model
               tensor has an element type .npy cannot hold (bfloat16);
  failed       anything else: an import failure, a crash or a diagnostic of
               mc-compile that is not an "unsupported" message (a bug of
               ours), mc-run exiting non-zero or killed, wrong numbers,
               dtypes or shapes.

It prints "passed X / attempted Y (unsupported Z, failed W)" with the stage of
each unsupported and failed test, and compares the passing set with the list.

Runs the tests in a process pool (-j, default 2). Use Debian's /usr/bin/python3.
"""

import argparse
import concurrent.futures
import glob
import os
import re
import shutil
import signal
import subprocess
import sys
import time

DEFAULT_DATA = "/usr/share/libonnx-testdata/data"
DEFAULT_SUITES = ("node", "pytorch-converted", "pytorch-operator")
HERE = os.path.dirname(os.path.abspath(__file__))
DEFAULT_EXPECTED = os.path.join(HERE, "conformance-expected.txt")
DEFAULT_RUN_EXPECTED = os.path.join(HERE, "conformance-run-expected.txt")

IMPORTED, UNSUPPORTED, FAILED = "imported", "unsupported", "failed"
PASSED = "passed"

# A diagnostic is "unsupported" when an error line says so. The importer
# (lib/Target/ONNX) words every deliberate rejection with "unsupported":
# "node 'N' (Op): unsupported ...", "unsupported ONNX op 'X' (opset N)",
# "unsupported op domain 'D'", "unsupported opset N of the default domain",
# "... has unsupported element type T", "... which is unsupported".
_ERROR_LINE = re.compile(r"\berror:\s*(.*)")
_UNSUPPORTED = re.compile(r"\bunsupported\b", re.IGNORECASE)
# Never an "unsupported" verdict, whatever else the message says.
_INTERNAL = re.compile(r"internal error|does not verify|LLVM ERROR|"
                       r"Assertion .* failed|PLEASE submit a bug report",
                       re.IGNORECASE)


def find_tests(data, suites):
    tests = []
    for suite in suites:
        for model in sorted(glob.glob(os.path.join(data, suite, "test_*",
                                                   "model.onnx"))):
            name = os.path.basename(os.path.dirname(model))
            tests.append((f"{suite}/{name}", model))
    return tests


def _first_error(text):
    for line in text.splitlines():
        m = _ERROR_LINE.search(line)
        if m:
            return line.strip()
    for line in text.splitlines():
        if line.strip():
            return line.strip()
    return ""


def _describe_rc(rc):
    if rc < 0:
        try:
            return f"killed by {signal.Signals(-rc).name}"
        except ValueError:
            return f"killed by signal {-rc}"
    return f"exit {rc}"


def _run_tool(cmd, timeout):
    # A tool being relinked by a concurrent build is briefly not executable
    # (EACCES, ETXTBSY): retry a few times before giving up.
    for attempt in range(5):
        try:
            return subprocess.run(cmd, stdout=subprocess.PIPE,
                                  stderr=subprocess.PIPE, timeout=timeout,
                                  errors="replace")
        except OSError:
            if attempt == 4:
                raise
            time.sleep(2)


def _classify_error(tool, p, test_id):
    """The verdict for a tool run that exited non-zero: (status, crashed,
    detail)."""
    err = p.stderr
    if p.returncode < 0:
        return (FAILED, True,
                f"{tool}: {_describe_rc(p.returncode)}: {_first_error(err)}")
    errors = [m.group(1) for m in map(_ERROR_LINE.search, err.splitlines())
              if m]
    if not errors:
        return (FAILED, False,
                f"{tool}: {_describe_rc(p.returncode)} without a "
                f"diagnostic: {_first_error(err + p.stdout)}")
    if not _INTERNAL.search(err) and any(map(_UNSUPPORTED.search, errors)):
        return UNSUPPORTED, False, f"{tool}: {_first_error(err)}"
    return FAILED, False, f"{tool}: {_first_error(err)}"


def import_one(test_id, model, mc_import, mc_opt, work_dir, timeout):
    """Imports one test; returns (status, crashed, detail, mlir, bound) with
    `bound` the names of the graph inputs bound to their test data."""
    out = os.path.join(work_dir, test_id + ".mlir")
    os.makedirs(os.path.dirname(out), exist_ok=True)
    if os.path.exists(out):
        os.remove(out)
    bound = []
    try:
        p = _run_tool([mc_import, model, "-o", out], timeout)
        # Node tests feed parameters (a Reshape's shape, Slice bounds, Clip
        # limits, quantization scales) as graph inputs. mc compiles ahead of
        # time and needs them constant: retry with every input but the first
        # bound to its test_data_set_0 value (mc-import --bind-input).
        if p.returncode > 0 and "non-constant" in p.stderr:
            bindings = _parameter_bindings(model)
            if bindings:
                p = _run_tool([mc_import, model, "-o", out] +
                              [f"--bind-input={n}={f}" for n, f in bindings],
                              timeout)
                bound = [n for n, _ in bindings]
    except subprocess.TimeoutExpired:
        return FAILED, False, f"mc-import: timed out after {timeout}s", out, []
    except OSError as e:
        return FAILED, False, f"mc-import: cannot run: {e}", out, []
    if p.returncode != 0:
        return _classify_error("mc-import", p, test_id) + (out, bound)
    if not os.path.exists(out) or os.path.getsize(out) == 0:
        return FAILED, False, "mc-import: exit 0 but no output", out, bound

    try:
        q = _run_tool([mc_opt, "--verify-each", out, "-o", os.devnull],
                      timeout)
    except subprocess.TimeoutExpired:
        return FAILED, False, f"mc-opt: timed out after {timeout}s", out, bound
    except OSError as e:
        return FAILED, False, f"mc-opt: cannot run: {e}", out, bound
    if q.returncode != 0:
        crashed = q.returncode < 0
        return (FAILED, crashed,
                f"mc-opt --verify-each: {_describe_rc(q.returncode)}: "
                f"{_first_error(q.stderr)}", out, bound)
    return IMPORTED, False, BOUND_NOTE if bound else "", out, bound


def run_one(job):
    """Runs one test; returns (test_id, status, crashed, detail).

    A module-level function so that the process pool can pickle it. Without
    a runner (mc_compile is None) the test stops after the import."""
    (test_id, model, mc_import, mc_opt, work_dir, timeout, mc_compile,
     mc_run) = job
    status, crashed, detail, mlir, bound = import_one(
        test_id, model, mc_import, mc_opt, work_dir, timeout)
    if status != IMPORTED or mc_compile is None:
        return test_id, status, crashed, detail
    status, crashed, detail = compile_and_run(test_id, model, mlir, bound,
                                              mc_compile, mc_run, timeout)
    return test_id, status, crashed, detail


BOUND_NOTE = "with parameter inputs bound to their test data"

# float32 (and the other float types): |got - want| <= ATOL + RTOL * |want|,
# NaN where NaN is expected; integer and bool outputs: exact.
RTOL, ATOL = 1e-3, 1e-4

_INFO_LINE = re.compile(r"^\s*(input|output)\s+(\d+) '(.*)': (\S+) \((.*)\)$")


def _model_tensors(info_text):
    """{'input': [(name, dtype, shape)], 'output': [...]} from mc-run
    --print-info; a dynamic dimension is None."""
    tensors = {"input": [], "output": []}
    for line in info_text.splitlines():
        m = _INFO_LINE.match(line)
        if not m:
            continue
        dims = [d.strip() for d in m.group(5).split(",") if d.strip()]
        shape = tuple(None if d == "batch" else int(d) for d in dims)
        tensors[m.group(1)].append((m.group(3), m.group(4), shape))
    return tensors


def _compare(got, want):
    """None when `got` matches the expected array `want`, else why not."""
    import numpy as np
    if got.dtype != want.dtype:
        return f"dtype {got.dtype}, expected {want.dtype}"
    if got.shape != want.shape:
        return f"shape {got.shape}, expected {want.shape}"
    if want.dtype.kind in "fc":
        g = got.astype(np.float64)
        w = want.astype(np.float64)
        ok = np.isclose(g, w, rtol=RTOL, atol=ATOL, equal_nan=True)
        # isclose treats +inf == +inf; a finite value is never close to inf.
    else:
        ok = got == want
    if np.all(ok):
        return None
    bad = np.argwhere(~ok) if ok.ndim else [()]
    first = tuple(int(i) for i in bad[0])
    detail = (f"{len(bad)} of {want.size} values differ; at {list(first)} "
              f"got {got[first]!r}, expected {want[first]!r}")
    if want.dtype.kind in "fc":
        with np.errstate(invalid="ignore"):
            err = np.abs(got.astype(np.float64) - want.astype(np.float64))
        err = err[np.isfinite(err)]
        if err.size:
            detail += f"; max abs error {err.max():.3g}"
    return detail


def compile_and_run(test_id, model, mlir, bound, mc_compile, mc_run,
                    timeout):
    """Compiles the imported module once and runs it on every
    test_data_set_N; returns (status, crashed, detail)."""
    import numpy as np
    import onnx
    from onnx import numpy_helper

    lib = mlir[:-len(".mlir")] + ".so"
    if os.path.exists(lib):
        os.remove(lib)
    try:
        p = _run_tool([mc_compile, mlir, "-o", lib], timeout)
    except subprocess.TimeoutExpired:
        return FAILED, False, f"mc-compile: timed out after {timeout}s"
    if p.returncode != 0:
        return _classify_error("mc-compile", p, test_id)
    if not os.path.exists(lib):
        return FAILED, False, "mc-compile: exit 0 but no library"
    try:
        q = _run_tool([mc_run, lib, "--print-info"], timeout)
    except subprocess.TimeoutExpired:
        return FAILED, False, f"mc-run --print-info: timed out"
    if q.returncode != 0:
        status, crashed, detail = _classify_error("mc-run --print-info", q,
                                                  test_id)
        return FAILED, crashed, detail
    tensors = _model_tensors(q.stdout)
    # mc-run exchanges tensors as .npy files; an element type that NumPy
    # has no dtype for (bfloat16) cannot be fed or read back.
    for kind in ("input", "output"):
        for i, (name, dtype, _) in enumerate(tensors[kind]):
            if dtype == "unknown":
                return (UNSUPPORTED, False,
                        f"mc-run: {kind} {i} ('{name}') has an element type "
                        f"that .npy cannot hold (NumPy has no bfloat16)")

    graph = onnx.load(model, load_external_data=False).graph
    initializers = {t.name for t in graph.initializer}
    graph_inputs = [i.name for i in graph.input if i.name not in initializers]
    graph_outputs = [o.name for o in graph.output]
    # input_K.pb is the K-th graph input that is not an initializer; the
    # library takes those that were not bound, in graph order.
    free = [k for k, n in enumerate(graph_inputs) if n not in bound]
    if len(tensors["input"]) != len(free):
        return (FAILED, False,
                f"the library takes {len(tensors['input'])} input(s), the "
                f"graph has {len(free)} unbound input(s)")
    if len(tensors["output"]) != len(graph_outputs):
        return (FAILED, False,
                f"the library has {len(tensors['output'])} output(s), the "
                f"graph {len(graph_outputs)}")

    def load(path):
        t = onnx.TensorProto()
        with open(path, "rb") as f:
            t.ParseFromString(f.read())
        return numpy_helper.to_array(t)

    sets = sorted(glob.glob(os.path.join(os.path.dirname(model),
                                         "test_data_set_*")),
                  key=lambda d: int(d.rsplit("_", 1)[1]))
    if not sets:
        return FAILED, False, "no test_data_set_N directory"
    reference = {}  # bound input name -> its value in test_data_set_0
    ran, skipped = 0, 0
    base = mlir[:-len(".mlir")]
    for data in sets:
        set_name = os.path.basename(data)
        values = {k: load(os.path.join(data, f"input_{k}.pb"))
                  for k in range(len(graph_inputs))
                  if os.path.exists(os.path.join(data, f"input_{k}.pb"))}
        # A data set whose bound parameters differ from test_data_set_0's
        # is another model for an ahead-of-time compiler: skip it.
        differs = False
        for k, n in enumerate(graph_inputs):
            if n not in bound:
                continue
            if n not in reference:
                reference[n] = values.get(k)
            elif (values.get(k) is None or reference[n] is None
                  or values[k].shape != reference[n].shape
                  or not np.array_equal(values[k], reference[n])):
                differs = True
        if differs:
            skipped += 1
            continue
        missing = [k for k in free if k not in values]
        if missing:
            return (FAILED, False,
                    f"{set_name}: no input_{missing[0]}.pb")
        cmd = [mc_run, lib]
        for i, k in enumerate(free):
            path = f"{base}.{set_name}.in{i}.npy"
            np.save(path, values[k])
            cmd.append(f"--input={path}")
        outs = [f"{base}.{set_name}.out{i}.npy"
                for i in range(len(graph_outputs))]
        for path in outs:
            if os.path.exists(path):
                os.remove(path)
            cmd.append(f"--output={path}")
        try:
            r = _run_tool(cmd, timeout)
        except subprocess.TimeoutExpired:
            return FAILED, False, f"{set_name}: mc-run: timed out"
        if r.returncode != 0:
            return (FAILED, r.returncode < 0,
                    f"{set_name}: mc-run: {_describe_rc(r.returncode)}: "
                    f"{_first_error(r.stderr + r.stdout)}")
        for i, path in enumerate(outs):
            want = load(os.path.join(data, f"output_{i}.pb"))
            why = _compare(np.load(path), want)
            if why:
                return (FAILED, False,
                        f"{set_name}: output {i} ('{graph_outputs[i]}'): "
                        f"{why}")
        ran += 1
    note = f"{ran} data set(s)"
    if skipped:
        note += (f", {skipped} skipped (their bound parameter inputs differ "
                 f"from test_data_set_0's)")
    return PASSED, False, note



def _parameter_bindings(model):
    """(name, input_K.pb) for every graph input after the first that is not
    an initializer and has a value in test_data_set_0."""
    import onnx
    graph = onnx.load(model, load_external_data=False).graph
    initializers = {t.name for t in graph.initializer}
    inputs = [i.name for i in graph.input if i.name not in initializers]
    data = os.path.join(os.path.dirname(model), "test_data_set_0")
    result = []
    for k, name in enumerate(inputs):
        pb = os.path.join(data, f"input_{k}.pb")
        if k > 0 and os.path.exists(pb):
            result.append((name, pb))
    return result


def read_expected(path):
    if not os.path.exists(path):
        return None
    names = []
    with open(path) as f:
        for line in f:
            line = line.split("#", 1)[0].strip()
            if line:
                names.append(line)
    return set(names)


def write_expected(path, imported, suites, run_mode):
    with open(path, "w") as f:
        if run_mode:
            f.write("# ONNX backend conformance tests (libonnx-testdata) that "
                    "mc compiles and whose\n"
                    "# outputs on every test_data_set_N match the expected "
                    "ones (float: rtol 1e-3,\n"
                    "# atol 1e-4; integer: exact). Checked by "
                    "conformance-run.test: a test listed\n"
                    "# here that stops passing is a regression. Regenerate "
                    "with\n"
                    "#   /usr/bin/python3 test/Target/ONNX/conformance.py "
                    "--run --tools build/bin --update\n"
                    f"# Suites: {', '.join(suites)}.\n")
            for name in sorted(imported):
                f.write(name + "\n")
            return
        f.write("# ONNX backend conformance tests (libonnx-testdata) that "
                "mc-import imports\n"
                "# and whose output mc-opt --verify-each accepts. Checked by "
                "conformance.test:\n"
                "# a test listed here that stops importing is a regression. "
                "Regenerate with\n"
                "#   /usr/bin/python3 test/Target/ONNX/conformance.py "
                "--mc-import build/bin/mc-import \\\n"
                "#     --mc-opt build/bin/mc-opt --update\n"
                f"# Suites: {', '.join(suites)}.\n")
        for name in sorted(imported):
            f.write(name + "\n")


def which(tool, given):
    path = given or shutil.which(tool)
    if not path or not os.access(path, os.X_OK):
        sys.exit(f"conformance.py: cannot find {tool} (give --{tool})")
    return os.path.abspath(path) if os.path.sep in path else path


def main(argv=None):
    p = argparse.ArgumentParser(
        description=__doc__.split("\n\n")[0],
        formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("--mc-import", help="mc-import binary (default: PATH)")
    p.add_argument("--mc-opt", help="mc-opt binary (default: PATH)")
    p.add_argument("--run", action="store_true",
                   help="end to end: also compile every imported model with "
                        "mc-compile and run it with mc-run on its test data")
    p.add_argument("--mc-compile", help="mc-compile binary (default: PATH)")
    p.add_argument("--mc-run", help="mc-run binary (default: PATH)")
    p.add_argument("--tools", default=None,
                   help="directory holding the four tools (build/bin); "
                        "overrides PATH, not the --mc-* options")
    p.add_argument("--data", default=DEFAULT_DATA,
                   help=f"libonnx-testdata root (default {DEFAULT_DATA})")
    p.add_argument("--suites", default=",".join(DEFAULT_SUITES),
                   help="comma-separated suite directories under --data")
    p.add_argument("--filter", default="",
                   help="only tests whose suite/name matches this regex")
    p.add_argument("--expected", default=None,
                   help="expected list (default conformance-expected.txt, "
                        "with --run conformance-run-expected.txt, next to "
                        "this script)")
    p.add_argument("--update", action="store_true",
                   help="rewrite the expected list to what imports now")
    p.add_argument("--strict", action="store_true",
                   help="also fail when any test is classified failed")
    p.add_argument("--work-dir", default=None,
                   help="where to write the imported .mlir files "
                        "(default: a fresh temporary directory, removed)")
    p.add_argument("-j", "--jobs", type=int, default=2)
    p.add_argument("--timeout", type=float, default=120,
                   help="seconds per tool run (default 120)")
    p.add_argument("-v", "--verbose", action="store_true",
                   help="print every test's verdict")
    p.add_argument("--show", default=FAILED,
                   help="comma-separated verdicts to list with their "
                        "diagnostic (default: failed; 'none' for none)")
    args = p.parse_args(argv)

    def tool(name, given):
        if not given and args.tools:
            given = os.path.join(args.tools, name)
        return which(name, given)

    mc_import = tool("mc-import", args.mc_import)
    mc_opt = tool("mc-opt", args.mc_opt)
    mc_compile = tool("mc-compile", args.mc_compile) if args.run else None
    mc_run = tool("mc-run", args.mc_run) if args.run else None
    if args.expected is None:
        args.expected = DEFAULT_RUN_EXPECTED if args.run else DEFAULT_EXPECTED
    ok_verdict = PASSED if args.run else IMPORTED
    suites = [s for s in args.suites.split(",") if s]
    if not os.path.isdir(args.data):
        sys.exit(f"conformance.py: no test data at {args.data} "
                 f"(install libonnx-testdata)")
    tests = find_tests(args.data, suites)
    if args.filter:
        rx = re.compile(args.filter)
        tests = [t for t in tests if rx.search(t[0])]
    if not tests:
        sys.exit("conformance.py: no tests found")

    tmp = None
    work_dir = args.work_dir
    if work_dir is None:
        import tempfile
        tmp = tempfile.mkdtemp(prefix="mc-conformance-")
        work_dir = tmp
    elif os.path.isdir(work_dir):
        shutil.rmtree(work_dir)
    os.makedirs(work_dir, exist_ok=True)

    start = time.time()
    jobs = [(tid, model, mc_import, mc_opt, work_dir, args.timeout,
             mc_compile, mc_run) for tid, model in tests]
    results = {}
    with concurrent.futures.ProcessPoolExecutor(max_workers=args.jobs) as ex:
        for tid, status, crashed, detail in ex.map(run_one, jobs,
                                                   chunksize=4):
            results[tid] = (status, crashed, detail)
    elapsed = time.time() - start
    if tmp:
        shutil.rmtree(tmp, ignore_errors=True)

    verdicts = (ok_verdict, UNSUPPORTED, FAILED)
    by = {v: [] for v in verdicts}
    for tid in sorted(results):
        by[results[tid][0]].append(tid)
    crashes = sorted(t for t, r in results.items() if r[1])

    show = set() if args.show == "none" else set(args.show.split(","))
    if args.verbose:
        show |= set(verdicts)
    for verdict in verdicts:
        if verdict not in show:
            continue
        for tid in by[verdict]:
            detail = results[tid][2]
            print(f"{verdict.upper()}: {tid}" + (f": {detail}" if detail
                                                  else ""))

    if args.run:
        def stage_count(verdict, prefix):
            return sum(1 for t in by[verdict]
                       if results[t][2].startswith(prefix))
        print(f"unsupported: {stage_count(UNSUPPORTED, 'mc-import')} at "
              f"import, {stage_count(UNSUPPORTED, 'mc-compile')} at compile, "
              f"{stage_count(UNSUPPORTED, 'mc-run')} at run; "
              f"failed: {stage_count(FAILED, 'mc-import')} at import, "
              f"{stage_count(FAILED, 'mc-opt')} at verification, "
              f"{stage_count(FAILED, 'mc-compile')} at compile, "
              f"{len(by[FAILED]) - stage_count(FAILED, 'mc-')} at run")
        print(f"passed {len(by[PASSED])} / attempted {len(results)} "
              f"(unsupported {len(by[UNSUPPORTED])}, failed "
              f"{len(by[FAILED])}) in {elapsed:.0f}s")
    else:
        bound = sum(1 for t in by[IMPORTED] if results[t][2] == BOUND_NOTE)
        print(f"{bound} of the imported tests had parameter inputs bound to "
              f"their test data (mc-import --bind-input)")
        print(f"imported {len(by[IMPORTED])} / attempted {len(results)} "
              f"(unsupported {len(by[UNSUPPORTED])}, failed "
              f"{len(by[FAILED])}) in {elapsed:.0f}s")

    rc = 0
    if crashes:
        rc = 1
        print(f"error: {len(crashes)} test(s) crashed (a crash is always a "
              f"failure):")
        for tid in crashes:
            print(f"  CRASH: {tid}: {results[tid][2]}")
    if args.strict and by[FAILED]:
        rc = 1
        print(f"error: {len(by[FAILED])} test(s) failed (--strict)")

    good = set(by[ok_verdict])
    doing = "pass" if args.run else "import"
    if args.update:
        # Keep entries for tests this run did not attempt (other suites or
        # outside --filter).
        old = read_expected(args.expected) or set()
        attempted = set(results)
        new = (old - attempted) | good
        write_expected(args.expected, new, suites, args.run)
        print(f"wrote {len(new)} tests to {args.expected}")
        return rc

    expected = read_expected(args.expected)
    if expected is None:
        print(f"error: no expected list at {args.expected}; create it with "
              f"--update")
        return 1
    if not args.filter:
        stale = sorted(t for t in expected - set(results)
                       if t.split("/", 1)[0] in suites)
        if stale:
            print(f"warning: {len(stale)} test(s) in "
                  f"{os.path.basename(args.expected)} are not in the test "
                  f"data: {', '.join(stale)}")
    expected &= set(results)  # only what this run attempted
    regressions = sorted(expected - good)
    if regressions:
        rc = 1
        print(f"error: {len(regressions)} test(s) in "
              f"{os.path.basename(args.expected)} no longer {doing} "
              f"(regression):")
        for tid in regressions:
            status, _, detail = results[tid]
            print(f"  REGRESSION: {tid}: {status}: {detail}")
    new = sorted(good - expected)
    if new:
        print(f"note: {len(new)} test(s) now {doing} but are not in "
              f"{os.path.basename(args.expected)}; add them (run "
              f"conformance.py{' --run' if args.run else ''} --update):")
        for tid in new:
            print(f"  NEW: {tid}")
    return rc


if __name__ == "__main__":
    sys.exit(main())
