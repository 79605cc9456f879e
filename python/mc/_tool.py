"""Finding and running the `mc-compile` tool.

The package never compiles anything itself: every compilation is one run of
the `mc-compile` executable that the C++ build produces, so Python and the
command line always get the same compiler.
"""
import os
import shutil
import subprocess

from ._errors import CompileError, CompilerNotFoundError

TOOL = "mc-compile"

# Where this file lies: python/mc in a source checkout, site-packages/mc
# when installed.
_PACKAGE_DIR = os.path.dirname(os.path.abspath(__file__))


def _is_executable(path):
    return os.path.isfile(path) and os.access(path, os.X_OK)


def _source_roots():
    """Checkout roots whose build/ may hold the tool: the one this package
    lies in (used from the source tree), then the one `pip install ./python`
    recorded (mc/_install.py, written at build time by setup.py)."""
    roots = [os.path.dirname(os.path.dirname(_PACKAGE_DIR))]
    try:
        from . import _install  # only in an installed copy
        if _install.SOURCE_ROOT not in roots:
            roots.append(_install.SOURCE_ROOT)
    except ImportError:
        pass
    return roots


def compiler_candidates():
    """Every place `find_compiler` looks, in order, as (description, path)."""
    places = []
    env_tool = os.environ.get("MC_COMPILE")
    if env_tool:
        places.append(("$MC_COMPILE", env_tool))
    env_build = os.environ.get("MC_BUILD_DIR")
    if env_build:
        places.append(("$MC_BUILD_DIR", os.path.join(env_build, "bin", TOOL)))
    for root in _source_roots():
        places.append(("build tree", os.path.join(root, "build", "bin", TOOL)))
    on_path = shutil.which(TOOL)
    if on_path:
        places.append(("PATH", on_path))
    return places


def find_compiler():
    """The path of the `mc-compile` executable that `mc.compile` runs.

    Looked up in this order:

    1. the environment variable ``MC_COMPILE`` (the tool itself);
    2. ``MC_BUILD_DIR`` (a build directory: ``$MC_BUILD_DIR/bin/mc-compile``);
    3. ``build/bin/mc-compile`` of the checkout the package lies in, or of
       the checkout `pip install ./python` was run from;
    4. ``mc-compile`` on ``PATH``.

    An environment variable that is set must point to an executable: a wrong
    setting is an error, not a reason to fall back to another compiler.

    Raises:
        CompilerNotFoundError: nothing was found (the message lists where it
            looked).
    """
    env_tool = os.environ.get("MC_COMPILE")
    if env_tool:
        if _is_executable(env_tool):
            return os.path.abspath(env_tool)
        raise CompilerNotFoundError(
            f"MC_COMPILE={env_tool!r} is not an executable file")
    env_build = os.environ.get("MC_BUILD_DIR")
    if env_build:
        path = os.path.join(env_build, "bin", TOOL)
        if _is_executable(path):
            return os.path.abspath(path)
        raise CompilerNotFoundError(
            f"MC_BUILD_DIR={env_build!r} holds no bin/{TOOL}; build it with "
            f"`bash scripts/build.sh {TOOL} mc_runtime`")
    for _, path in compiler_candidates():
        if _is_executable(path):
            return os.path.abspath(path)
    looked = [path for _, path in compiler_candidates()]
    raise CompilerNotFoundError(
        f"cannot find {TOOL}: set MC_COMPILE to the tool or MC_BUILD_DIR to "
        f"the build directory, build it with `bash scripts/build.sh {TOOL} "
        f"mc_runtime`, or put it on PATH (looked at: "
        f"{', '.join(looked) if looked else 'nothing'}, and PATH)")


def run_compiler(args, *, what="compile"):
    """Runs `mc-compile args...`; returns its CompletedProcess (text mode).

    Raises:
        CompileError: the tool exited with a non-zero status; the exception
            carries the tool's stderr (its diagnostics).
    """
    command = [find_compiler()] + [str(a) for a in args]
    proc = subprocess.run(command, stdout=subprocess.PIPE,
                          stderr=subprocess.PIPE, text=True)
    if proc.returncode != 0:
        diagnostics = proc.stderr.strip()
        if proc.returncode < 0:
            summary = f"{TOOL} was killed by signal {-proc.returncode}"
        else:
            summary = f"{TOOL} failed to {what} (exit status {proc.returncode})"
        message = summary + (":\n" + diagnostics if diagnostics else "")
        raise CompileError(message, returncode=proc.returncode,
                           diagnostics=diagnostics, command=command)
    return proc
