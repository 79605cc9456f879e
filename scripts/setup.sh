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
