#!/usr/bin/env python3
"""ONNX backend conformance harness for mc-import.

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

IMPORTED, UNSUPPORTED, FAILED = "imported", "unsupported", "failed"

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


def run_one(job):
    """Runs one test; returns (test_id, status, crashed, detail).

    A module-level function so that the process pool can pickle it."""
    test_id, model, mc_import, mc_opt, work_dir, timeout = job
    out = os.path.join(work_dir, test_id + ".mlir")
    os.makedirs(os.path.dirname(out), exist_ok=True)
    if os.path.exists(out):
        os.remove(out)

    def run(cmd):
        # A tool being relinked by a concurrent build is briefly not
        # executable (EACCES, ETXTBSY): retry a few times before giving up.
        for attempt in range(5):
            try:
                return subprocess.run(cmd, stdout=subprocess.PIPE,
                                      stderr=subprocess.PIPE, timeout=timeout,
                                      errors="replace")
            except OSError:
                if attempt == 4:
                    raise
                time.sleep(2)

    try:
        p = run([mc_import, model, "-o", out])
        # Node tests feed parameters (a Reshape's shape, Slice bounds, Clip
        # limits, quantization scales) as graph inputs. mc compiles ahead of
        # time and needs them constant: retry with every input but the first
        # bound to its test_data_set_0 value (mc-import --bind-input).
        bound = False
        if p.returncode > 0 and "non-constant" in p.stderr:
            bindings = _parameter_bindings(model)
            if bindings:
                p = run([mc_import, model, "-o", out] +
                        [f"--bind-input={n}={f}" for n, f in bindings])
                bound = True
    except subprocess.TimeoutExpired:
        return test_id, FAILED, False, f"mc-import: timed out after {timeout}s"
    except OSError as e:
        return test_id, FAILED, False, f"mc-import: cannot run: {e}"
    err = p.stderr
    if p.returncode < 0:
        return (test_id, FAILED, True,
                f"mc-import: {_describe_rc(p.returncode)}: {_first_error(err)}")
    if p.returncode != 0:
        errors = [m.group(1) for m in map(_ERROR_LINE.search,
                                          err.splitlines()) if m]
        if not errors:
            return (test_id, FAILED, False,
                    f"mc-import: {_describe_rc(p.returncode)} without a "
                    f"diagnostic: {_first_error(err + p.stdout)}")
        if not _INTERNAL.search(err) and any(map(_UNSUPPORTED.search,
                                                 errors)):
            return test_id, UNSUPPORTED, False, _first_error(err)
        return test_id, FAILED, False, f"mc-import: {_first_error(err)}"
    if not os.path.exists(out) or os.path.getsize(out) == 0:
        return test_id, FAILED, False, "mc-import: exit 0 but no output"

    try:
        q = run([mc_opt, "--verify-each", out, "-o", os.devnull])
    except subprocess.TimeoutExpired:
        return test_id, FAILED, False, f"mc-opt: timed out after {timeout}s"
    except OSError as e:
        return test_id, FAILED, False, f"mc-opt: cannot run: {e}"
    if q.returncode != 0:
        crashed = q.returncode < 0
        return (test_id, FAILED, crashed,
                f"mc-opt --verify-each: {_describe_rc(q.returncode)}: "
                f"{_first_error(q.stderr)}")
    return test_id, IMPORTED, False, BOUND_NOTE if bound else ""


BOUND_NOTE = "with parameter inputs bound to their test data"


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


def write_expected(path, imported, suites):
    with open(path, "w") as f:
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
    p.add_argument("--data", default=DEFAULT_DATA,
                   help=f"libonnx-testdata root (default {DEFAULT_DATA})")
    p.add_argument("--suites", default=",".join(DEFAULT_SUITES),
                   help="comma-separated suite directories under --data")
    p.add_argument("--filter", default="",
                   help="only tests whose suite/name matches this regex")
    p.add_argument("--expected", default=DEFAULT_EXPECTED,
                   help="expected list (default conformance-expected.txt "
                        "next to this script)")
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

    mc_import = which("mc-import", args.mc_import)
    mc_opt = which("mc-opt", args.mc_opt)
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
    jobs = [(tid, model, mc_import, mc_opt, work_dir, args.timeout)
            for tid, model in tests]
    results = {}
    with concurrent.futures.ProcessPoolExecutor(max_workers=args.jobs) as ex:
        for tid, status, crashed, detail in ex.map(run_one, jobs,
                                                   chunksize=4):
            results[tid] = (status, crashed, detail)
    elapsed = time.time() - start
    if tmp:
        shutil.rmtree(tmp, ignore_errors=True)

    by = {IMPORTED: [], UNSUPPORTED: [], FAILED: []}
    for tid in sorted(results):
        by[results[tid][0]].append(tid)
    crashes = sorted(t for t, r in results.items() if r[1])

    show = set() if args.show == "none" else set(args.show.split(","))
    if args.verbose:
        show |= {IMPORTED, UNSUPPORTED, FAILED}
    for verdict in (IMPORTED, UNSUPPORTED, FAILED):
        if verdict not in show:
            continue
        for tid in by[verdict]:
            detail = results[tid][2]
            print(f"{verdict.upper()}: {tid}" + (f": {detail}" if detail
                                                  else ""))

    bound = sum(1 for t in by[IMPORTED] if results[t][2] == BOUND_NOTE)
    print(f"{bound} of the imported tests had parameter inputs bound to "
          f"their test data (mc-import --bind-input)")
    print(f"imported {len(by[IMPORTED])} / attempted {len(results)} "
          f"(unsupported {len(by[UNSUPPORTED])}, failed {len(by[FAILED])})"
          f" in {elapsed:.0f}s")

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

    imported = set(by[IMPORTED])
    if args.update:
        # Keep entries for tests this run did not attempt (other suites or
        # outside --filter).
        old = read_expected(args.expected) or set()
        attempted = set(results)
        new = (old - attempted) | imported
        write_expected(args.expected, new, suites)
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
    regressions = sorted(expected - imported)
    if regressions:
        rc = 1
        print(f"error: {len(regressions)} test(s) in "
              f"{os.path.basename(args.expected)} no longer import "
              f"(regression):")
        for tid in regressions:
            status, _, detail = results[tid]
            print(f"  REGRESSION: {tid}: {status}: {detail}")
    new = sorted(imported - expected)
    if new:
        print(f"note: {len(new)} test(s) now import but are not in "
              f"{os.path.basename(args.expected)}; add them (run "
              f"conformance.py --update):")
        for tid in new:
            print(f"  NEW: {tid}")
    return rc


if __name__ == "__main__":
    sys.exit(main())
