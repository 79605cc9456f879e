"""`python3 -m mc`: the package version and the compiler it would use."""
import sys

import mc


def main():
    print(f"mc {mc.__version__} (package at {mc.__path__[0]})")
    try:
        print(f"mc-compile: {mc.find_compiler()}")
    except mc.CompilerNotFoundError as e:
        print(f"mc-compile: not found: {e}", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
