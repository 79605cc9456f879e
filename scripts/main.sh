#!/usr/bin/env bash
# The main job: sets everything up, compiles the bundled Fashion-MNIST CNN
# (python/models/fashion_cnn.onnx) into a native library with mc-compile, runs
# it with mc-run on the bundled 1000-image labelled test sample, and reports
# its accuracy next to PyTorch's and its latency at batch 1 and 64, then
# does the same for an int8 build (calibrated on 512 training images).
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
echo "== compressed: int8 (per-channel weights, calibrated activations)"
# Calibration on 512 training images (the sample is test data), then the
# same evaluation as above through the int8 library.
"$py" -c "import sys; sys.path.insert(0, sys.argv[1]); import numpy as np; \
import train_fashion as t; x, _ = t.load_split('train'); \
np.save(sys.argv[2], t.normalize(x[np.random.default_rng(0).choice(len(x), 512, replace=False)]))" \
  "$root/python" "$out/calib.npy"
"$build/bin/mc-compile" "$models/fashion_cnn.onnx" -o "$out/libfashion_cnn_int8.so" \
  --calib="$out/calib.npy" --quantize=int8 -v
"$build/bin/mc-run" "$out/libfashion_cnn_int8.so" \
  --input "$models/fashion_sample_images.npy" --output "$out/logits_int8.npy"
"$py" "$root/python/tools/accuracy.py" "$out/logits_int8.npy" \
  "$models/fashion_sample_labels.npy"
for b in 1 64; do
  echo -n "int8, batch $b: "
  "$build/bin/mc-run" "$out/libfashion_cnn_int8.so" --input "$out/batch$b.npy" \
    --output "$out/bench_int8_$b.npy" --bench 20
done
