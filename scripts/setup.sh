#!/usr/bin/env bash
# Installs every Debian package mc needs to build, test and run its main job.
# Idempotent: packages already present are left alone. Runs as root (or via sudo).
set -euo pipefail

PACKAGES=(
  # build toolchain
  build-essential cmake ninja-build git
  # LLVM/MLIR 22 (libMLIR.so, mlir-tblgen, FileCheck, lit, not)
  llvm-22-dev llvm-22-tools libmlir-22-dev mlir-22-tools
  zlib1g-dev libzstd-dev libxml2-dev libedit-dev libffi-dev libcurl4-openssl-dev
  # ONNX C++ (protobuf) and the backend conformance models
  libonnx-dev libprotobuf-dev protobuf-compiler libonnx-testdata
  # numerics and unit tests
  libeigen3-dev libgtest-dev googletest
  # Python side: model export, test generation, pytest
  python3 python3-numpy python3-onnx python3-torch python3-pytest python3-matplotlib
  # the mc Python package is installed with Debian's pip and setuptools
  python3-pip python3-setuptools python3-wheel
  # data for the bundled model
  dataset-fashion-mnist
)

missing=()
for p in "${PACKAGES[@]}"; do
  if ! dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed"; then
    missing+=("$p")
  fi
done

if [ "${#missing[@]}" -gt 0 ]; then
  SUDO=""
  if [ "$(id -u)" -ne 0 ]; then SUDO="sudo"; fi
  echo "setup: installing ${#missing[@]} package(s): ${missing[*]}"
  $SUDO apt-get update -q
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -q --no-install-recommends "${missing[@]}"
else
  echo "setup: all packages present"
fi

# The mc Python package (python/mc, docs/Python.md) into the system Python,
# offline: no build isolation, no index, no dependencies from PyPI (numpy,
# onnx, torch and matplotlib are the Debian packages above). Reinstalling
# the same version is harmless, so this runs every time.
root="$(cd "$(dirname "$0")/.." && pwd)"
SUDO=""
if [ "$(id -u)" -ne 0 ]; then SUDO="sudo"; fi
$SUDO /usr/bin/python3 -m pip install --quiet --no-build-isolation --no-index \
  --no-deps --break-system-packages --root-user-action=ignore "$root/python"
echo "setup: python package mc installed ($(cd / && /usr/bin/python3 -c 'import mc; print(mc.__file__)'))"
