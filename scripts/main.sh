#!/usr/bin/env bash
# The main job: sets everything up, imports the bundled Fashion-MNIST CNN
# (python/models/fashion_cnn.onnx) into the mc dialect and prints its IR,
# then the same IR after mc-opt's clean-up (canonicalization and BatchNorm
# folding). Weights are elided from the printout.
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
build="${MC_BUILD_DIR:-$root/build}"
model="${1:-$root/python/models/fashion_cnn.onnx}"

bash "$root/scripts/setup.sh"
bash "$root/scripts/build.sh" mc-import mc-opt

elide="--mlir-elide-resource-strings-if-larger=16"
echo "== mc-import $(basename "$model")"
"$build/bin/mc-import" "$model" -o "$build/model.mlir"
"$build/bin/mc-opt" "$build/model.mlir" $elide
echo "== mc-opt --canonicalize --mc-fold-batch-norm"
"$build/bin/mc-opt" "$build/model.mlir" --canonicalize --mc-fold-batch-norm \
  --canonicalize $elide
