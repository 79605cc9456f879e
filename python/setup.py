"""Build hook of the mc package (metadata: pyproject.toml).

`pip install ./python` copies python/mc into site-packages; this hook adds
mc/_install.py recording the checkout the package came from, so that the
installed copy finds that checkout's build/bin/mc-compile (mc/_tool.py).
Build products go to a temporary directory, not into the source tree.
"""
import os
import tempfile

from setuptools import setup
from setuptools.command.build_py import build_py

HERE = os.path.dirname(os.path.abspath(__file__))
SOURCE_ROOT = os.path.dirname(HERE)


class BuildPyRecordingSource(build_py):
    def run(self):
        super().run()
        target = os.path.join(self.build_lib, "mc", "_install.py")
        with open(target, "w") as f:
            f.write('"""Written by python/setup.py when the package was '
                    'built."""\n')
            f.write(f"SOURCE_ROOT = {SOURCE_ROOT!r}\n")


_scratch = tempfile.mkdtemp(prefix="mc-python-build-")
setup(cmdclass={"build_py": BuildPyRecordingSource},
      options={"build": {"build_base": os.path.join(_scratch, "build")},
               "egg_info": {"egg_base": _scratch}})
