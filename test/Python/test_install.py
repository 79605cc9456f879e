"""`pip install ./python` works offline with Debian's pip and setuptools,
records the checkout, and leaves no build products in the source tree."""
import importlib.util
import os
import subprocess
import sys

import pytest


def test_pip_install_offline(root, tmp_path):
    # find_spec, not import: setuptools replaces distutils when imported,
    # which fails once torch has imported the standard one.
    for module in ("pip", "setuptools", "wheel"):
        if importlib.util.find_spec(module) is None:
            pytest.skip(f"{module} is missing (Debian python3-{module}, "
                        f"installed by scripts/setup.sh)")
    target = tmp_path / "site"
    before = set(os.listdir(root / "python"))
    proc = subprocess.run(
        [sys.executable, "-m", "pip", "install", "--no-build-isolation",
         "--no-index", "--no-deps", "--disable-pip-version-check", "--quiet",
         "--target", str(target), str(root / "python")],
        capture_output=True, text=True)
    assert proc.returncode == 0, proc.stdout + proc.stderr
    assert (target / "mc" / "__init__.py").exists()
    assert (target / "mc" / "sweep.py").exists()
    assert not (target / "models").exists()  # only the package
    assert set(os.listdir(root / "python")) <= before | {"__pycache__"}
    # the installed copy, imported from elsewhere, knows its checkout
    env = {k: v for k, v in os.environ.items()
           if k not in ("PYTHONPATH", "MC_COMPILE", "MC_BUILD_DIR")}
    env["PYTHONPATH"] = str(target)
    probe = ("import mc, mc._install as i; print(mc.__file__); "
             "print(i.SOURCE_ROOT)")
    proc = subprocess.run([sys.executable, "-c", probe], capture_output=True,
                          text=True, env=env, cwd=str(tmp_path))
    assert proc.returncode == 0, proc.stderr
    module_file, source_root = proc.stdout.split()
    assert module_file.startswith(str(target))
    assert os.path.samefile(source_root, root)
    if (root / "build" / "bin" / "mc-compile").exists():
        proc = subprocess.run(
            [sys.executable, "-c", "import mc; print(mc.find_compiler())"],
            capture_output=True, text=True, env=env, cwd=str(tmp_path))
        assert proc.returncode == 0, proc.stderr
        assert os.path.samefile(proc.stdout.strip(),
                                root / "build" / "bin" / "mc-compile")
