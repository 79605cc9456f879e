#!/usr/bin/env python3
"""Small NumPy helpers for the mc-run tests.

  npy_tool.py rows IN OUT START STOP       rows START:STOP of IN (batch slice)
  npy_tool.py tile IN OUT N                rows of IN repeated cyclically to N
  npy_tool.py random OUT DTYPE D0 [D1...]  deterministic random array
  npy_tool.py astype IN OUT DTYPE          IN converted to DTYPE
  npy_tool.py fortran IN OUT               IN saved in Fortran order
  npy_tool.py bigendian IN OUT             IN saved big-endian
  npy_tool.py compare ACTUAL EXPECTED [--atol A] [--rtol R]
      exits 1 unless shapes and dtypes match and
      |actual - expected| <= atol + rtol * |expected| everywhere
      (exactly equal for integer types); prints the largest difference.

Run with Debian's /usr/bin/python3 (numpy).
"""

import argparse
import sys

import numpy as np


def main(argv=None):
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    sub = p.add_subparsers(dest="cmd", required=True)
    s = sub.add_parser("rows")
    s.add_argument("src"); s.add_argument("dst")
    s.add_argument("start", type=int); s.add_argument("stop", type=int)
    s = sub.add_parser("tile")
    s.add_argument("src"); s.add_argument("dst"); s.add_argument("n", type=int)
    s = sub.add_parser("random")
    s.add_argument("dst"); s.add_argument("dtype")
    s.add_argument("shape", type=int, nargs="*")
    s = sub.add_parser("astype")
    s.add_argument("src"); s.add_argument("dst"); s.add_argument("dtype")
    s = sub.add_parser("fortran")
    s.add_argument("src"); s.add_argument("dst")
    s = sub.add_parser("bigendian")
    s.add_argument("src"); s.add_argument("dst")
    s = sub.add_parser("compare")
    s.add_argument("actual"); s.add_argument("expected")
    s.add_argument("--atol", type=float, default=1e-4)
    s.add_argument("--rtol", type=float, default=0.0)
    a = p.parse_args(argv)

    if a.cmd == "rows":
        np.save(a.dst, np.load(a.src)[a.start:a.stop])
    elif a.cmd == "tile":
        x = np.load(a.src)
        np.save(a.dst, x[np.arange(a.n) % x.shape[0]])
    elif a.cmd == "random":
        rng = np.random.default_rng(0)
        np.save(a.dst, (rng.standard_normal(a.shape) * 4).astype(a.dtype))
    elif a.cmd == "astype":
        np.save(a.dst, np.load(a.src).astype(a.dtype))
    elif a.cmd == "fortran":
        x = np.asfortranarray(np.load(a.src))
        assert x.ndim < 2 or not x.flags.c_contiguous
        np.save(a.dst, x)
    elif a.cmd == "bigendian":
        x = np.load(a.src)
        np.save(a.dst, x.astype(x.dtype.newbyteorder(">")))
    elif a.cmd == "compare":
        x, y = np.load(a.actual), np.load(a.expected)
        if x.shape != y.shape or x.dtype != y.dtype:
            print("mismatch: actual %s %s, expected %s %s" %
                  (x.dtype, x.shape, y.dtype, y.shape))
            return 1
        if np.issubdtype(y.dtype, np.floating):
            diff = np.abs(x.astype(np.float64) - y.astype(np.float64))
            bound = a.atol + a.rtol * np.abs(y.astype(np.float64))
            ok = bool(np.all(diff <= bound)) and not np.isnan(x).any()
        else:
            diff = np.abs(x.astype(np.int64) - y.astype(np.int64))
            ok = bool(np.all(diff == 0))
        worst = float(diff.max()) if diff.size else 0.0
        print("%s: %s %s, max abs difference %.3g" %
              ("ok" if ok else "MISMATCH", x.dtype, x.shape, worst))
        return 0 if ok else 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
