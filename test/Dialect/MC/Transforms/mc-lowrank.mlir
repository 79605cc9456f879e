// RUN: mc-opt %s -split-input-file -verify-diagnostics --mc-lowrank="energy=0.99 remarks=true" | FileCheck %s
// RUN: mc-opt %s -split-input-file --mc-lowrank="energy=0.9" | FileCheck %s --check-prefix=E90
// RUN: mc-opt %s -split-input-file --mc-lowrank="energy=1" | FileCheck %s --check-prefix=E100
// RUN: mc-opt %s -split-input-file --mc-lowrank="rank-ratio=0.5" | FileCheck %s --check-prefix=R50
// RUN: mc-opt %s -split-input-file --mc-lowrank="rank-ratio=0.25" | FileCheck %s --check-prefix=R25
// RUN: mc-opt %s -split-input-file --mc-lowrank="energy=0.99 skip=fc1,conv9" | FileCheck %s --check-prefix=SKIP
// RUN: mc-opt %s -split-input-file --mc-lowrank="energy=0.99 min-params=30" | FileCheck %s --check-prefix=MIN
// RUN: mc-opt %s -split-input-file --mc-lowrank="energy=0.99" --mlir-print-debuginfo | FileCheck %s --check-prefix=LOC

// mc-lowrank: W ≈ A·B with A = U_r √Σ_r, B = √Σ_r V_rᵀ; linear x -> B -> A
// (+ bias), conv k×k with r filters -> 1×1. The weights below are built
// from orthonormal vectors with small rational entries, so that their SVD,
// and hence every factor, is known exactly:
//   u1 = (1, 2, 2, 4)/5, u2 = (2, -1, 4, -2)/5, u3 = (2, 4, -1, -2)/5
// (each with a unique largest-magnitude entry, positive: the sign rule
// leaves them as they are). Factors of at most 16 elements print as dense
// literals.

// Linear [4, 6] = 225 u1 v1ᵀ + 56.25 u2 v2ᵀ + 14.0625 u3 v3ᵀ with
//   v1 = (1, -2, -1, -1, -1, -1)/3, v2 = (1, -1, -1, 1, 1, 2)/3,
//   v3 = (1, -1, 2, 1, 1, -1)/3.
// σ² = 50625, 3164.0625, 197.75390625: the first r keep 0.93773, 0.99634, 1.
//   energy 0.9 -> r = 1; 0.99 -> r = 2; 1 -> r = 3, which would cost
//   3 · (4 + 6) = 30 >= 24 weights: left alone.
//   rank-ratio 0.5 -> ceil(0.5 · 4) = 2; 0.25 -> 1.
// At r = 2: √σ = 15, 7.5, so A = [15 u1, 7.5 u2] and B = [15 v1; 7.5 v2].
// The first layer takes the input-column norms, the second the bias, the
// output statistics and the location.
// CHECK-LABEL: func.func @linear
// CHECK-SAME: (%[[X:[^:]+]]: tensor<?x6xf32>)
// CHECK-DAG: %[[BIAS:.+]] = mc.constant dense<[1.000000e+00, 2.000000e+00, 3.000000e+00, 4.000000e+00]> : tensor<4xf32>
// CHECK-DAG: %[[B:.+]] = mc.constant dense<{{\[\[}}5.000000e+00, -1.000000e+01, -5.000000e+00, -5.000000e+00, -5.000000e+00, -5.000000e+00], [2.500000e+00, -2.500000e+00, -2.500000e+00, 2.500000e+00, 2.500000e+00, 5.000000e+00]]> : tensor<2x6xf32>
// CHECK-DAG: %[[A:.+]] = mc.constant dense<{{\[\[}}3.000000e+00, 3.000000e+00], [6.000000e+00, -1.500000e+00], [6.000000e+00, 6.000000e+00], [1.200000e+01, -3.000000e+00]]> : tensor<4x2xf32>
// CHECK: %[[H:.+]] = mc.linear %[[X]], %[[B]] {mc.calib_col_norm = dense<[1.000000e+00, 2.000000e+00, 3.000000e+00, 4.000000e+00, 5.000000e+00, 6.000000e+00]> : tensor<6xf32>, mc.lowrank = {energy = 0.996336{{[0-9]*}} : f64, rank = 2 : i64}} : (tensor<?x6xf32>, tensor<2x6xf32>) -> tensor<?x2xf32>
// CHECK: %[[Y:.+]] = mc.linear %[[H]], %[[A]], %[[BIAS]] {mc.calib = {count = 40 : i64, max = 5.000000e+00 : f64, min = -3.000000e+00 : f64}, mc.lowrank = {energy = 0.996336{{[0-9]*}} : f64, rank = 2 : i64}} : (tensor<?x2xf32>, tensor<4x2xf32>, tensor<4xf32>) -> tensor<?x4xf32>
// CHECK-NOT: mc.linear
// CHECK: return %[[Y]]

// E90-LABEL: func.func @linear
// E90-DAG: mc.constant dense<{{\[\[}}5.000000e+00, -1.000000e+01, -5.000000e+00, -5.000000e+00, -5.000000e+00, -5.000000e+00]]> : tensor<1x6xf32>
// E90-DAG: mc.constant dense<{{\[\[}}3.000000e+00], [6.000000e+00], [6.000000e+00], [1.200000e+01]]> : tensor<4x1xf32>
// E90: mc.linear {{.*}}mc.lowrank = {energy = 0.937728{{[0-9]*}} : f64, rank = 1 : i64}} : (tensor<?x6xf32>, tensor<1x6xf32>) -> tensor<?x1xf32>
// E90: mc.linear {{.*}}mc.lowrank = {energy = 0.937728{{[0-9]*}} : f64, rank = 1 : i64}} : (tensor<?x1xf32>, tensor<4x1xf32>, tensor<4xf32>) -> tensor<?x4xf32>

// E100-LABEL: func.func @linear
// E100: %[[W:.+]] = mc.constant dense<{{\[\[}}2.437500e+01, {{.*}} : tensor<4x6xf32>
// E100: mc.linear %{{.+}}, %[[W]], %{{[^ ]+}} {mc.calib = {{.*}} : (tensor<?x6xf32>, tensor<4x6xf32>, tensor<4xf32>) -> tensor<?x4xf32>
// E100-NOT: mc.lowrank

// R50-LABEL: func.func @linear
// R50: mc.linear {{.*}}rank = 2 : i64}} : (tensor<?x6xf32>, tensor<2x6xf32>) -> tensor<?x2xf32>
// R50: mc.linear {{.*}}rank = 2 : i64}} : (tensor<?x2xf32>, tensor<4x2xf32>, tensor<4xf32>) -> tensor<?x4xf32>

// R25-LABEL: func.func @linear
// R25: mc.linear {{.*}}rank = 1 : i64}} : (tensor<?x6xf32>, tensor<1x6xf32>) -> tensor<?x1xf32>
// R25: mc.linear {{.*}}rank = 1 : i64}} : (tensor<?x1xf32>, tensor<4x1xf32>, tensor<4xf32>) -> tensor<?x4xf32>

// SKIP-LABEL: func.func @linear
// SKIP: mc.linear {{.*}} : (tensor<?x6xf32>, tensor<4x6xf32>, tensor<4xf32>) -> tensor<?x4xf32>
// SKIP-NOT: mc.lowrank

// The weight has 24 elements, fewer than min-params = 30.
// MIN-LABEL: func.func @linear
// MIN: mc.linear {{.*}} : (tensor<?x6xf32>, tensor<4x6xf32>, tensor<4xf32>) -> tensor<?x4xf32>
// MIN-NOT: mc.lowrank
func.func @linear(%x: tensor<?x6xf32>) -> tensor<?x4xf32> {
  %w = mc.constant dense<[[24.375, -39.375, -18.75, -5.625, -5.625, -1.875], [30.0, -60.0, -18.75, -30.0, -30.0, -41.25], [44.0625, -74.0625, -46.875, -15.9375, -15.9375, 0.9375], [50.625, -110.625, -56.25, -69.375, -69.375, -73.125]]> : tensor<4x6xf32>
  %b = mc.constant dense<[1.0, 2.0, 3.0, 4.0]> : tensor<4xf32>
  // A layer whose location is only a name is reported at an unknown place.
  // expected-remark @unknown {{mc-lowrank: split at rank 2 keeping 0.996337 of the energy: 24 -> 20 weights}}
  %y = mc.linear %x, %w, %b {mc.calib = {min = -3.0 : f64, max = 5.0 : f64, count = 40 : i64}, mc.calib_col_norm = dense<[1.0, 2.0, 3.0, 4.0, 5.0, 6.0]> : tensor<6xf32>} : (tensor<?x6xf32>, tensor<4x6xf32>, tensor<4xf32>) -> tensor<?x4xf32> loc("fc1")
  return %y : tensor<?x4xf32>
}

// -----

// Convolution [4, 2, 2, 2] = 100 u1 v1ᵀ + 25 u2 v2ᵀ as the matrix [4, 8],
//   v1 = (1, -3, -1, -1, -1, -1, -1, -1)/4, v2 = (1, -1, -1, -1, 1, 1, 1, 3)/4.
// σ² = 10000, 625: r = 1 keeps 16/17 = 0.941 (energy 0.9, rank-ratio 0.25),
// r = 2 keeps all (energy 0.99 and 1, rank-ratio 0.5; 2 · 12 = 24 < 32).
// At r = 2: √σ = 10, 5, so A = [10 u1, 5 u2] as [4, 2, 1, 1] and
// B = [10 v1; 5 v2] as [2, 2, 2, 2]. The first conv keeps strides, pads and
// dilations; the 1×1 conv has the defaults and the bias.
// CHECK-LABEL: func.func @conv
// CHECK-SAME: (%[[X:[^:]+]]: tensor<?x2x5x5xf32>)
// CHECK-DAG: %[[BIAS:.+]] = mc.constant dense<[5.000000e-01, -5.000000e-01, 1.500000e+00, -1.500000e+00]> : tensor<4xf32>
// CHECK-DAG: %[[B:.+]] = mc.constant dense<{{\[\[\[\[}}2.500000e+00, -7.500000e+00], [-2.500000e+00, -2.500000e+00]], {{\[\[}}-2.500000e+00, -2.500000e+00], [-2.500000e+00, -2.500000e+00]]], {{\[\[\[}}1.250000e+00, -1.250000e+00], [-1.250000e+00, -1.250000e+00]], {{\[\[}}1.250000e+00, 1.250000e+00], [1.250000e+00, 3.750000e+00]]]]> : tensor<2x2x2x2xf32>
// CHECK-DAG: %[[A:.+]] = mc.constant dense<{{\[\[\[\[}}2.000000e+00]], {{\[\[}}2.000000e+00]]], {{\[\[\[}}4.000000e+00]], {{\[\[}}-1.000000e+00]]], {{\[\[\[}}4.000000e+00]], {{\[\[}}4.000000e+00]]], {{\[\[\[}}8.000000e+00]], {{\[\[}}-2.000000e+00]]]]> : tensor<4x2x1x1xf32>
// CHECK: %[[H:.+]] = mc.conv2d %[[X]], %[[B]] {dilations = array<i64: 1, 2>, mc.lowrank = {energy = 1.000000e+00 : f64, rank = 2 : i64}, pads = array<i64: 1, 1, 0, 0>, strides = array<i64: 2, 2>} : (tensor<?x2x5x5xf32>, tensor<2x2x2x2xf32>) -> tensor<?x2x3x2xf32>
// CHECK: %[[Y:.+]] = mc.conv2d %[[H]], %[[A]], %[[BIAS]] {mc.lowrank = {energy = 1.000000e+00 : f64, rank = 2 : i64}} : (tensor<?x2x3x2xf32>, tensor<4x2x1x1xf32>, tensor<4xf32>) -> tensor<?x4x3x2xf32>
// CHECK-NOT: mc.conv2d
// CHECK: return %[[Y]]

// E90-LABEL: func.func @conv
// E90-DAG: mc.constant dense<{{\[\[\[\[}}2.500000e+00, -7.500000e+00], [-2.500000e+00, -2.500000e+00]], {{\[\[}}-2.500000e+00, -2.500000e+00], [-2.500000e+00, -2.500000e+00]]]]> : tensor<1x2x2x2xf32>
// E90-DAG: mc.constant dense<{{\[\[\[\[}}2.000000e+00]]], {{\[\[\[}}4.000000e+00]]], {{\[\[\[}}4.000000e+00]]], {{\[\[\[}}8.000000e+00]]]]> : tensor<4x1x1x1xf32>
// E90: mc.conv2d {{.*}}mc.lowrank = {energy = 0.941176{{[0-9]*}} : f64, rank = 1 : i64}{{.*}} -> tensor<?x1x3x2xf32>
// E90: mc.conv2d {{.*}}mc.lowrank = {energy = 0.941176{{[0-9]*}} : f64, rank = 1 : i64}{{.*}} -> tensor<?x4x3x2xf32>

// E100-LABEL: func.func @conv
// E100: mc.conv2d {{.*}}rank = 2 : i64}{{.*}} -> tensor<?x2x3x2xf32>
// E100: mc.conv2d {{.*}}rank = 2 : i64}{{.*}} -> tensor<?x4x3x2xf32>

// R50-LABEL: func.func @conv
// R50: mc.conv2d {{.*}}rank = 2 : i64}{{.*}} -> tensor<?x2x3x2xf32>
// R50: mc.conv2d {{.*}}rank = 2 : i64}{{.*}} -> tensor<?x4x3x2xf32>

// R25-LABEL: func.func @conv
// R25: mc.conv2d {{.*}}rank = 1 : i64}{{.*}} -> tensor<?x1x3x2xf32>
// R25: mc.conv2d {{.*}}rank = 1 : i64}{{.*}} -> tensor<?x4x3x2xf32>

// Only fc1 and conv9 are skipped; the 32 weights here reach min-params = 30.
// SKIP-LABEL: func.func @conv
// SKIP: mc.conv2d {{.*}}rank = 2 : i64}
// MIN-LABEL: func.func @conv
// MIN: mc.conv2d {{.*}}rank = 2 : i64}
func.func @conv(%x: tensor<?x2x5x5xf32>) -> tensor<?x4x3x2xf32> {
  %w = mc.constant dense<[[[[7.5, -17.5], [-7.5, -7.5]], [[-2.5, -2.5], [-2.5, 2.5]]], [[[8.75, -28.75], [-8.75, -8.75]], [[-11.25, -11.25], [-11.25, -13.75]]], [[[15.0, -35.0], [-15.0, -15.0]], [[-5.0, -5.0], [-5.0, 5.0]]], [[[17.5, -57.5], [-17.5, -17.5]], [[-22.5, -22.5], [-22.5, -27.5]]]]> : tensor<4x2x2x2xf32>
  %b = mc.constant dense<[0.5, -0.5, 1.5, -1.5]> : tensor<4xf32>
  // expected-remark @unknown {{mc-lowrank: split at rank 2 keeping 1.000000 of the energy: 32 -> 24 weights}}
  %y = mc.conv2d %x, %w, %b {strides = array<i64: 2, 2>, pads = array<i64: 1, 1, 0, 0>, dilations = array<i64: 1, 2>} : (tensor<?x2x5x5xf32>, tensor<4x2x2x2xf32>, tensor<4xf32>) -> tensor<?x4x3x2xf32> loc("conv1")
  return %y : tensor<?x4x3x2xf32>
}

// -----

// The sign rule moves a negative sign to the right factor: -W with
// W = 9 · (1, 2, 2)/3 · (2, 1, 2)ᵀ/3 gives A = (1, 2, 2), B = -(2, 1, 2).
// Leading batch dimensions pass through the first linear.
// CHECK-LABEL: func.func @batched_rank_one
// CHECK-DAG: %[[B:.+]] = mc.constant dense<{{\[\[}}-2.000000e+00, -1.000000e+00, -2.000000e+00]]> : tensor<1x3xf32>
// CHECK-DAG: %[[A:.+]] = mc.constant dense<{{\[\[}}1.000000e+00], [2.000000e+00], [2.000000e+00]]> : tensor<3x1xf32>
// CHECK: %[[H:.+]] = mc.linear %{{.+}}, %[[B]] {mc.lowrank = {energy = 1.000000e+00 : f64, rank = 1 : i64}} : (tensor<2x?x3xf32>, tensor<1x3xf32>) -> tensor<2x?x1xf32>
// CHECK: mc.linear %[[H]], %[[A]] {mc.lowrank = {energy = 1.000000e+00 : f64, rank = 1 : i64}} : (tensor<2x?x1xf32>, tensor<3x1xf32>) -> tensor<2x?x3xf32>
func.func @batched_rank_one(%x: tensor<2x?x3xf32>) -> tensor<2x?x3xf32> {
  %w = mc.constant dense<[[-2.0, -1.0, -2.0], [-4.0, -2.0, -4.0], [-4.0, -2.0, -4.0]]> : tensor<3x3xf32>
  // expected-remark @below {{mc-lowrank: split at rank 1 keeping 1.000000 of the energy: 9 -> 6 weights}}
  %y = mc.linear %x, %w : (tensor<2x?x3xf32>, tensor<3x3xf32>) -> tensor<2x?x3xf32>
  return %y : tensor<2x?x3xf32>
}

// -----

// Factors of more than 16 elements are blobs named after the layer; an
// unnamed layer's are named lowrank_in/lowrank_out. A weight shared by two
// layers is factored for each. The first layer of a named split is named
// "<layer>.lowrank_in".
// CHECK-LABEL: func.func @named_blobs
// CHECK: %[[B1:.+]] = mc.constant dense_resource<fc2.lowrank_in.weight> : tensor<1x20xf32>
// CHECK: %[[A1:.+]] = mc.constant dense_resource<fc2.lowrank_out.weight> : tensor<20x1xf32>
// CHECK: %[[H1:.+]] = mc.linear %{{.+}}, %[[B1]]
// CHECK: %[[Y1:.+]] = mc.linear %[[H1]], %[[A1]]
// CHECK: %[[B2:.+]] = mc.constant dense_resource<lowrank_in.weight> : tensor<1x20xf32>
// CHECK: %[[A2:.+]] = mc.constant dense_resource<lowrank_out.weight> : tensor<20x1xf32>
// CHECK: %[[H2:.+]] = mc.linear %[[Y1]], %[[B2]]
// CHECK: mc.linear %[[H2]], %[[A2]]
// CHECK-NOT: tensor<20x20xf32>
// CHECK: fc2.lowrank_in.weight: "0x04000000
// LOC-LABEL: func.func @named_blobs
// LOC: mc.linear {{.*}} -> tensor<?x1xf32> loc(#[[LOCIN:[a-z0-9]+]])
// LOC: mc.linear {{.*}} -> tensor<?x20xf32> loc(#[[LOC:[a-z0-9]+]])
// LOC-DAG: #[[LOC]] = loc("fc2")
// LOC-DAG: #[[LOCIN]] = loc("fc2.lowrank_in"(#[[LOC]]))
func.func @named_blobs(%x: tensor<?x20xf32>) -> tensor<?x20xf32> {
  %w = mc.constant dense<0.5> : tensor<20x20xf32>
  // expected-remark @unknown {{mc-lowrank: split at rank 1 keeping 1.000000 of the energy: 400 -> 40 weights}}
  %y = mc.linear %x, %w : (tensor<?x20xf32>, tensor<20x20xf32>) -> tensor<?x20xf32> loc("fc2")
  // expected-remark @below {{mc-lowrank: split at rank 1 keeping 1.000000 of the energy: 400 -> 40 weights}}
  %z = mc.linear %y, %w : (tensor<?x20xf32>, tensor<20x20xf32>) -> tensor<?x20xf32>
  return %z : tensor<?x20xf32>
}

// -----

// Layers left alone, each with the reason as a remark, and printed as they
// were.
// CHECK-LABEL: func.func @left_alone
// CHECK-SAME: (%[[X:[^:]+]]: tensor<?x3xf32>, %[[XC:[^:]+]]: tensor<?x4x6x6xf32>, %[[WA:[^:]+]]: tensor<3x3xf32>)
// CHECK: %[[EYE:.+]] = mc.constant dense<{{\[\[}}2.000000e+00, 0.000000e+00
// CHECK: mc.linear %[[X]], %[[EYE]] : (tensor<?x3xf32>, tensor<3x3xf32>) -> tensor<?x3xf32>
// CHECK: mc.linear %[[X]], %[[WA]] : (tensor<?x3xf32>, tensor<3x3xf32>) -> tensor<?x3xf32>
// CHECK: %[[ONES:.+]] = mc.constant dense<1.000000e+00> : tensor<3x3xf32>
// CHECK: mc.linear %[[X]], %[[ONES]] {mc.sparsity = {pattern = "unstructured", sparsity = 0.000000e+00 : f64}} : (tensor<?x3xf32>, tensor<3x3xf32>) -> tensor<?x3xf32>
// CHECK: mc.linear %[[X]], %[[ONES]] {mc.lowrank = {energy = 1.000000e+00 : f64, rank = 1 : i64}} : (tensor<?x3xf32>, tensor<3x3xf32>) -> tensor<?x3xf32>
// CHECK: %[[WG:.+]] = mc.constant dense<1.000000e+00> : tensor<4x2x3x3xf32>
// CHECK: mc.conv2d %[[XC]], %[[WG]] {groups = 2 : i64} : (tensor<?x4x6x6xf32>, tensor<4x2x3x3xf32>) -> tensor<?x4x4x4xf32>
// CHECK: %[[WD:.+]] = mc.constant dense<1.000000e+00> : tensor<4x1x3x3xf32>
// CHECK: mc.conv2d %[[XC]], %[[WD]] {groups = 4 : i64} : (tensor<?x4x6x6xf32>, tensor<4x1x3x3xf32>) -> tensor<?x4x4x4xf32>
// CHECK: %[[NAN:.+]] = mc.constant dense<0x7FC00000> : tensor<3x3xf32>
// CHECK: mc.linear %[[X]], %[[NAN]] : (tensor<?x3xf32>, tensor<3x3xf32>) -> tensor<?x3xf32>
// CHECK-NEXT: return
func.func @left_alone(%x: tensor<?x3xf32>, %xc: tensor<?x4x6x6xf32>, %wa: tensor<3x3xf32>) -> (tensor<?x3xf32>, tensor<?x3xf32>, tensor<?x3xf32>, tensor<?x3xf32>, tensor<?x4x4x4xf32>, tensor<?x4x4x4xf32>, tensor<?x3xf32>) {
  // Equal singular values: r = 3 at energy 0.99, costing 18 >= 9 weights.
  %eye = mc.constant dense<[[2.0, 0.0, 0.0], [0.0, 2.0, 0.0], [0.0, 0.0, 2.0]]> : tensor<3x3xf32>
  // expected-remark @below {{mc-lowrank: left alone: rank 3 would not lower parameters and MACs (18 >= 9)}}
  %0 = mc.linear %x, %eye : (tensor<?x3xf32>, tensor<3x3xf32>) -> tensor<?x3xf32>
  // A weight that is not a constant.
  // expected-remark @below {{mc-lowrank: left alone: the weight is not a readable constant}}
  %1 = mc.linear %x, %wa : (tensor<?x3xf32>, tensor<3x3xf32>) -> tensor<?x3xf32>
  // A pruned layer: dense factors would undo its sparsity.
  %ones = mc.constant dense<1.0> : tensor<3x3xf32>
  // expected-remark @below {{mc-lowrank: left alone: pruned (mc.sparsity); dense factors would undo it}}
  %2 = mc.linear %x, %ones {mc.sparsity = {pattern = "unstructured", sparsity = 0.0 : f64}} : (tensor<?x3xf32>, tensor<3x3xf32>) -> tensor<?x3xf32>
  // Already a factor (running the pass twice changes nothing).
  // expected-remark @below {{mc-lowrank: left alone: already a low-rank factor}}
  %3 = mc.linear %x, %ones {mc.lowrank = {rank = 1 : i64, energy = 1.0 : f64}} : (tensor<?x3xf32>, tensor<3x3xf32>) -> tensor<?x3xf32>
  // Grouped and depthwise convolutions.
  %wg = mc.constant dense<1.0> : tensor<4x2x3x3xf32>
  // expected-remark @below {{mc-lowrank: left alone: grouped convolution}}
  %4 = mc.conv2d %xc, %wg {groups = 2 : i64} : (tensor<?x4x6x6xf32>, tensor<4x2x3x3xf32>) -> tensor<?x4x4x4xf32>
  %wd = mc.constant dense<1.0> : tensor<4x1x3x3xf32>
  // expected-remark @below {{mc-lowrank: left alone: grouped convolution}}
  %5 = mc.conv2d %xc, %wd {groups = 4 : i64} : (tensor<?x4x6x6xf32>, tensor<4x1x3x3xf32>) -> tensor<?x4x4x4xf32>
  // Non-finite weights have no SVD.
  %nan = mc.constant dense<0x7FC00000> : tensor<3x3xf32>
  // expected-remark @below {{mc-lowrank: left alone: non-finite weights (no SVD)}}
  %6 = mc.linear %x, %nan : (tensor<?x3xf32>, tensor<3x3xf32>) -> tensor<?x3xf32>
  return %0, %1, %2, %3, %4, %5, %6 : tensor<?x3xf32>, tensor<?x3xf32>, tensor<?x3xf32>, tensor<?x3xf32>, tensor<?x4x4x4xf32>, tensor<?x4x4x4xf32>, tensor<?x3xf32>
}

// -----

// skip matches a name anywhere in the location, here inside a fused one.
// SKIP-LABEL: func.func @skip_fused
// SKIP: mc.linear %{{.+}}, %{{.+}} : (tensor<?x3xf32>, tensor<4x3xf32>) -> tensor<?x4xf32>
// SKIP-NOT: mc.lowrank
// CHECK-LABEL: func.func @skip_fused
// CHECK: mc.linear {{.*}}rank = 1 : i64}} : (tensor<?x3xf32>, tensor<1x3xf32>) -> tensor<?x1xf32>
func.func @skip_fused(%x: tensor<?x3xf32>) -> tensor<?x4xf32> {
  %w = mc.constant dense<[[2.0, 1.0, 2.0], [4.0, 2.0, 4.0], [4.0, 2.0, 4.0], [8.0, 4.0, 8.0]]> : tensor<4x3xf32>
  // expected-remark @unknown {{mc-lowrank: split at rank 1 keeping 1.000000 of the energy: 12 -> 7 weights}}
  %y = mc.linear %x, %w : (tensor<?x3xf32>, tensor<4x3xf32>) -> tensor<?x4xf32> loc(fused["conv9", "block3"])
  return %y : tensor<?x4xf32>
}
