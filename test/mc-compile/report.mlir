// mc-compile --report writes per-layer statistics read from the IR: weight
// shape, parameters (weight + bias), non-zero weights, the pattern recorded
// in `mc.sparsity`, the rank in `mc.lowrank`, storage bits and bytes, and
// the bytes of all constants. -v prints the same as a table. Without
// compression flags "before" and "after" are the same IR.
//
// RUN: mc-compile %s -o %t.so --report %t.json -v | FileCheck %s --check-prefix=TABLE
// RUN: FileCheck %s --check-prefix=JSON < %t.json
//
// `settings` holds the compression options given on the command line, with
// the keys and types of the Python package's mc.compile (none here; three
// below).
// RUN: mc-compile %s -o %t.pruned.so --prune=magnitude --sparsity=0.25 --prune-keep-last --report %t.pruned.json
// RUN: FileCheck %s --check-prefix=SETTINGS < %t.pruned.json
// SETTINGS: "settings": {
// SETTINGS-NEXT: "keep_last": true,
// SETTINGS-NEXT: "prune": "magnitude",
// SETTINGS-NEXT: "sparsity": 0.25
// SETTINGS-NEXT: },

func.func @main(%x: tensor<?x4xf32>) -> tensor<?x2xf32> {
  %w = mc.constant dense<[[1.0, 0.0, 2.0, 0.0], [0.0, 3.0, 0.0, 4.0], [5.0, 0.0, 0.0, 6.0]]> : tensor<3x4xf32>
  %b = mc.constant dense<[0.5, 0.5, 0.5]> : tensor<3xf32>
  %u = mc.constant dense<[[1.0, 1.0, 1.0]]> : tensor<1x3xf32>
  %v = mc.constant dense<[[2.0], [0.0]]> : tensor<2x1xf32>
  %h = mc.linear %x, %w, %b {mc.sparsity = {pattern = "2:4", sparsity = 0.5 : f64}} : (tensor<?x4xf32>, tensor<3x4xf32>, tensor<3xf32>) -> tensor<?x3xf32> loc("fc1")
  %r = mc.relu %h : tensor<?x3xf32>
  %t = mc.linear %r, %u {mc.lowrank = {rank = 1 : i64}} : (tensor<?x3xf32>, tensor<1x3xf32>) -> tensor<?x1xf32> loc("fc2.u")
  %y = mc.linear %t, %v {mc.lowrank = {rank = 1 : i64}} : (tensor<?x1xf32>, tensor<2x1xf32>) -> tensor<?x2xf32> loc("fc2.v")
  return %y : tensor<?x2xf32>
}

// TABLE: layer kind params after sparsity pattern rank bits bytes after
// TABLE-NEXT: fc1 linear 15 15 50.0% 2:4 - 32 60 60
// TABLE-NEXT: fc2.u linear 3 3 0.0% dense 1 32 12 12
// TABLE-NEXT: fc2.v linear 2 2 50.0% dense 1 32 8 8
// TABLE-NEXT: model: 20 -> 20 parameters in layers, 80 -> 80 bytes of constants (1.00x smaller)

// JSON: "settings": {},
// JSON: "params_before": 20,
// JSON: "model_bytes_before": 80,
// JSON: "name": "fc1",
// JSON: "before": {
// JSON: "kind": "linear",
// JSON: "params": 15,
// JSON: "nonzero_weights": 6,
// JSON: "sparsity": 0.5,
// JSON: "pattern": "2:4",
// JSON: "bits": 32,
// JSON: "bytes": 60
// JSON: "name": "fc2.u",
// JSON: "rank": 1,
