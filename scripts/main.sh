#!/usr/bin/env bash
# The main job: sets everything up, compiles the bundled Fashion-MNIST CNN
# (python/models/fashion_cnn.onnx) into a native library with mc-compile, runs
# it with mc-run on the bundled 1000-image labelled test sample, and reports
# its accuracy next to PyTorch's and its latency at batch 1 and 64.
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
build="${MC_BUILD_DIR:-$root/build}"
models="$root/python/models"
py=/usr/bin/python3

bash "$root/scripts/setup.sh"
bash "$root/scripts/build.sh" mc-import mc-opt mc-compile mc-run mc_runtime

out="$build/main"
mkdir -p "$out"
echo "== mc-import: the model in the mc dialect (weights elided)"
"$build/bin/mc-import" "$models/fashion_cnn.onnx" \
  --mlir-elide-resource-strings-if-larger=16
echo "== mc-compile fashion_cnn.onnx -o libfashion_cnn.so"
"$build/bin/mc-compile" "$models/fashion_cnn.onnx" -o "$out/libfashion_cnn.so" \
  --header "$out/fashion_cnn.h"
echo "== mc-run on the 1000-image test sample"
"$build/bin/mc-run" "$out/libfashion_cnn.so" \
  --input "$models/fashion_sample_images.npy" --output "$out/logits.npy"
"$py" "$root/python/tools/accuracy.py" "$out/logits.npy" \
  "$models/fashion_sample_labels.npy" --reference-json "$models/fashion_cnn.json"
echo "== latency (median, one thread)"
"$py" -c "import numpy as np, sys; x = np.load(sys.argv[1]); \
np.save(sys.argv[2], x[:1]); np.save(sys.argv[3], x[:64])" \
  "$models/fashion_sample_images.npy" "$out/batch1.npy" "$out/batch64.npy"
for b in 1 64; do
  echo -n "batch $b: "
  "$build/bin/mc-run" "$out/libfashion_cnn.so" --input "$out/batch$b.npy" \
    --output "$out/bench$b.npy" --bench 20
done
