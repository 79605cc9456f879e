// RUN: mc-opt %s --split-input-file --mc-cpu-pack-int8-weights | FileCheck %s

// A signed [?, 2, 6] input (zero point -3) times a constant [3, 6] weight:
// the leading dimensions are collapsed, the input is flipped to unsigned
// (xor 0x80, in a linalg.map, which elementwise fusion does not fuse into
// the product) and padded to 8 columns, the weight is packed into one panel
// of 32 columns x 2 groups of 4, and -(-3 + 128) * rowsum(w) is added to the
// bias: [10 + 375, -20 - 125, 30 - 1625].
// CHECK-DAG: #[[A:.+]] = affine_map<(d0, d1, d2) -> (d0, d2)>
// CHECK-DAG: #[[P:.+]] = affine_map<(d0, d1, d2) -> (d1 floordiv 32, d2 floordiv 4, d1 mod 32, d2 mod 4)>
// CHECK-DAG: #[[C:.+]] = affine_map<(d0, d1, d2) -> (d0, d1)>
// CHECK-LABEL: func.func @linear_signed
// CHECK-DAG: %[[BIAS:.+]] = arith.constant dense<[385, -145, -1595]> : tensor<3xi32>
// CHECK-DAG: %[[W:.+]] = arith.constant dense<"0x01FE03FC807F000002020202{{(00)+}}05FA0000010100000203{{(00)+}}"> : tensor<1x2x32x4xi8>
// CHECK: %[[X2:.+]] = tensor.collapse_shape %{{.+}} {{\[}}[0, 1], [2]] : tensor<?x2x6xi8> into tensor<?x6xi8>
// CHECK: %[[XU:.+]] = linalg.map ins(%[[X2]] : tensor<?x6xi8>)
// CHECK: arith.xori %{{.+}}, %{{.+}} : i8
// CHECK: %[[PAD:.+]] = tensor.pad %[[XU]] low[0, 0] high[0, 2]
// CHECK: } : tensor<?x6xi8> to tensor<?x8xi8>
// CHECK: %[[ACC:.+]] = linalg.broadcast ins(%[[BIAS]] : tensor<3xi32>) outs(%{{.+}} : tensor<?x3xi32>) dimensions = [0]
// CHECK: %[[Y:.+]] = linalg.generic {indexing_maps = [#[[A]], #[[P]], #[[C]]], iterator_types = ["parallel", "parallel", "reduction"]} ins(%[[PAD]], %[[W]] : tensor<?x8xi8>, tensor<1x2x32x4xi8>) outs(%[[ACC]] : tensor<?x3xi32>)
// CHECK-NEXT: ^bb0(%[[IA:.+]]: i8, %[[IB:.+]]: i8, %[[OUT:.+]]: i32):
// CHECK-NEXT: %[[EA:.+]] = arith.extui %[[IA]] : i8 to i32
// CHECK-NEXT: %[[EB:.+]] = arith.extsi %[[IB]] : i8 to i32
// CHECK-NEXT: %[[M:.+]] = arith.muli %[[EA]], %[[EB]] : i32
// CHECK-NEXT: %[[S:.+]] = arith.addi %[[OUT]], %[[M]] : i32
// CHECK-NEXT: linalg.yield %[[S]] : i32
// CHECK: tensor.expand_shape %[[Y]] {{\[}}[0, 1], [2]] output_shape [%{{.+}}, 2, 3] : tensor<?x3xi32> into tensor<?x2x3xi32>
#x = affine_map<(d0, d1, d2, d3) -> (d0, d1, d3)>
#w = affine_map<(d0, d1, d2, d3) -> (d2, d3)>
#o = affine_map<(d0, d1, d2, d3) -> (d0, d1, d2)>
func.func @linear_signed(%x: tensor<?x2x6xi8>) -> tensor<?x2x3xi32> {
  %c0 = arith.constant 0 : index
  %w = arith.constant dense<[[1, -2, 3, -4, 5, -6], [-128, 127, 0, 0, 1, 1], [2, 2, 2, 2, 2, 3]]> : tensor<3x6xi8>
  %b = arith.constant dense<[10, -20, 30]> : tensor<3xi32>
  %n = tensor.dim %x, %c0 : tensor<?x2x6xi8>
  %e = tensor.empty(%n) : tensor<?x2x3xi32>
  %init = linalg.broadcast ins(%b : tensor<3xi32>) outs(%e : tensor<?x2x3xi32>) dimensions = [0, 1]
  %zx = arith.constant -3 : i32
  %y = linalg.generic {indexing_maps = [#x, #w, #o], iterator_types = ["parallel", "parallel", "parallel", "reduction"]}
      ins(%x, %w : tensor<?x2x6xi8>, tensor<3x6xi8>) outs(%init : tensor<?x2x3xi32>) {
  ^bb0(%a: i8, %bb: i8, %acc: i32):
    %xa = arith.extsi %a : i8 to i32
    %xc = arith.subi %xa, %zx : i32
    %wb = arith.extsi %bb : i8 to i32
    %p = arith.muli %xc, %wb : i32
    %s = arith.addi %acc, %p : i32
    linalg.yield %s : i32
  } -> tensor<?x2x3xi32>
  return %y : tensor<?x2x3xi32>
}

// -----

// An unsigned input with zero point 0 times a [K, N] weight (mc.qmatmul's
// map): no flip, no padding (K = 8), no correction, so the zero fill stays;
// the weight is read transposed into the panel.
// CHECK-LABEL: func.func @matmul_unsigned
// CHECK: %[[W:.+]] = arith.constant dense<"0x0103050702040608{{(00)+}}FFFDFBF9FEFCFAF7{{(00)+}}"> : tensor<1x2x32x4xi8>
// CHECK: %[[ACC:.+]] = linalg.fill
// CHECK: linalg.generic {{.+}} ins(%arg0, %[[W]] : tensor<5x8xi8>, tensor<1x2x32x4xi8>) outs(%[[ACC]] : tensor<5x2xi32>)
// CHECK-NOT: arith.xori
#x = affine_map<(d0, d1, d2) -> (d0, d2)>
#w = affine_map<(d0, d1, d2) -> (d2, d1)>
#o = affine_map<(d0, d1, d2) -> (d0, d1)>
func.func @matmul_unsigned(%x: tensor<5x8xi8>) -> tensor<5x2xi32> {
  %w = arith.constant dense<[[1, 2], [3, 4], [5, 6], [7, 8], [-1, -2], [-3, -4], [-5, -6], [-7, -9]]> : tensor<8x2xi8>
  %zero = arith.constant 0 : i32
  %e = tensor.empty() : tensor<5x2xi32>
  %init = linalg.fill ins(%zero : i32) outs(%e : tensor<5x2xi32>) -> tensor<5x2xi32>
  %y = linalg.generic {indexing_maps = [#x, #w, #o], iterator_types = ["parallel", "parallel", "reduction"]}
      ins(%x, %w : tensor<5x8xi8>, tensor<8x2xi8>) outs(%init : tensor<5x2xi32>) {
  ^bb0(%a: i8, %bb: i8, %acc: i32):
    %xa = arith.extui %a : i8 to i32
    %wb = arith.extsi %bb : i8 to i32
    %p = arith.muli %xa, %wb : i32
    %s = arith.addi %acc, %p : i32
    linalg.yield %s : i32
  } -> tensor<5x2xi32>
  return %y : tensor<5x2xi32>
}

// -----

// Unsigned weights with zero point 128 center into int8; the correction
// -5 * rowsum(w - 128) = [10, 2510] is added to an accumulator that is not
// a constant by an elementwise generic.
// CHECK-DAG: #[[ROW:.+]] = affine_map<(d0, d1) -> (d1)>
// CHECK-LABEL: func.func @unsigned_weight_zp
// CHECK-DAG: %[[CORR:.+]] = arith.constant dense<[10, 2510]> : tensor<2xi32>
// CHECK-DAG: %[[W:.+]] = arith.constant dense<"0x807F00FF81828384{{(00)+}}"> : tensor<1x1x32x4xi8>
// CHECK: %[[ACC:.+]] = linalg.generic {indexing_maps = [#{{.+}}, #[[ROW]], #{{.+}}], iterator_types = ["parallel", "parallel"]} ins(%arg1, %[[CORR]] : tensor<?x2xi32>, tensor<2xi32>)
// CHECK: arith.addi
// CHECK: linalg.generic {{.+}} ins(%arg0, %[[W]] : tensor<?x4xi8>, tensor<1x1x32x4xi8>) outs(%[[ACC]] : tensor<?x2xi32>)
#x = affine_map<(d0, d1, d2) -> (d0, d2)>
#w = affine_map<(d0, d1, d2) -> (d1, d2)>
#o = affine_map<(d0, d1, d2) -> (d0, d1)>
func.func @unsigned_weight_zp(%x: tensor<?x4xi8>, %init: tensor<?x2xi32>) -> tensor<?x2xi32> {
  %w = arith.constant dense<[[0, 255, 128, 127], [1, 2, 3, 4]]> : tensor<2x4xi8>
  %zw = arith.constant 128 : i32
  %zx = arith.constant 5 : i32
  %y = linalg.generic {indexing_maps = [#x, #w, #o], iterator_types = ["parallel", "parallel", "reduction"]}
      ins(%x, %w : tensor<?x4xi8>, tensor<2x4xi8>) outs(%init : tensor<?x2xi32>) {
  ^bb0(%a: i8, %bb: i8, %acc: i32):
    %xa = arith.extui %a : i8 to i32
    %xc = arith.subi %xa, %zx : i32
    %wb = arith.extui %bb : i8 to i32
    %wc = arith.subi %wb, %zw : i32
    %p = arith.muli %xc, %wc : i32
    %s = arith.addi %acc, %p : i32
    linalg.yield %s : i32
  } -> tensor<?x2xi32>
  return %y : tensor<?x2xi32>
}

// -----

// Unsigned weights without zero point do not fit int8 (255): unchanged.
// CHECK-LABEL: func.func @not_int8_after_centering
// CHECK-NOT: floordiv
// CHECK: ins(%arg0, %{{.+}} : tensor<?x4xi8>, tensor<2x4xi8>)
#x = affine_map<(d0, d1, d2) -> (d0, d2)>
#w = affine_map<(d0, d1, d2) -> (d1, d2)>
#o = affine_map<(d0, d1, d2) -> (d0, d1)>
func.func @not_int8_after_centering(%x: tensor<?x4xi8>, %init: tensor<?x2xi32>) -> tensor<?x2xi32> {
  %w = arith.constant dense<[[0, -1, -128, 127], [1, 2, 3, 4]]> : tensor<2x4xi8>
  %y = linalg.generic {indexing_maps = [#x, #w, #o], iterator_types = ["parallel", "parallel", "reduction"]}
      ins(%x, %w : tensor<?x4xi8>, tensor<2x4xi8>) outs(%init : tensor<?x2xi32>) {
  ^bb0(%a: i8, %bb: i8, %acc: i32):
    %xa = arith.extsi %a : i8 to i32
    %wb = arith.extui %bb : i8 to i32
    %p = arith.muli %xa, %wb : i32
    %s = arith.addi %acc, %p : i32
    linalg.yield %s : i32
  } -> tensor<?x2xi32>
  return %y : tensor<?x2xi32>
}

// -----

// CHECK-LABEL: func.func @weight_not_constant
// CHECK-NOT: floordiv
// CHECK: ins(%arg0, %arg1 : tensor<?x4xi8>, tensor<2x4xi8>)
#x = affine_map<(d0, d1, d2) -> (d0, d2)>
#w = affine_map<(d0, d1, d2) -> (d1, d2)>
#o = affine_map<(d0, d1, d2) -> (d0, d1)>
func.func @weight_not_constant(%x: tensor<?x4xi8>, %w: tensor<2x4xi8>, %init: tensor<?x2xi32>) -> tensor<?x2xi32> {
  %y = linalg.generic {indexing_maps = [#x, #w, #o], iterator_types = ["parallel", "parallel", "reduction"]}
      ins(%x, %w : tensor<?x4xi8>, tensor<2x4xi8>) outs(%init : tensor<?x2xi32>) {
  ^bb0(%a: i8, %bb: i8, %acc: i32):
    %xa = arith.extsi %a : i8 to i32
    %wb = arith.extsi %bb : i8 to i32
    %p = arith.muli %xa, %wb : i32
    %s = arith.addi %acc, %p : i32
    linalg.yield %s : i32
  } -> tensor<?x2xi32>
  return %y : tensor<?x2xi32>
}

// -----

// Weight zero points per channel (a third input): unchanged.
// CHECK-LABEL: func.func @zero_point_per_channel
// CHECK-NOT: floordiv
// CHECK: ins(%arg0, %{{.+}}, %{{.+}} : tensor<?x4xi8>, tensor<2x4xi8>, tensor<2xi32>)
#x = affine_map<(d0, d1, d2) -> (d0, d2)>
#w = affine_map<(d0, d1, d2) -> (d1, d2)>
#c = affine_map<(d0, d1, d2) -> (d1)>
#o = affine_map<(d0, d1, d2) -> (d0, d1)>
func.func @zero_point_per_channel(%x: tensor<?x4xi8>, %init: tensor<?x2xi32>) -> tensor<?x2xi32> {
  %w = arith.constant dense<[[0, -1, 5, 7], [1, 2, 3, 4]]> : tensor<2x4xi8>
  %zw = arith.constant dense<[1, 2]> : tensor<2xi32>
  %y = linalg.generic {indexing_maps = [#x, #w, #c, #o], iterator_types = ["parallel", "parallel", "reduction"]}
      ins(%x, %w, %zw : tensor<?x4xi8>, tensor<2x4xi8>, tensor<2xi32>) outs(%init : tensor<?x2xi32>) {
  ^bb0(%a: i8, %bb: i8, %z: i32, %acc: i32):
    %xa = arith.extsi %a : i8 to i32
    %wb = arith.extsi %bb : i8 to i32
    %wc = arith.subi %wb, %z : i32
    %p = arith.muli %xa, %wc : i32
    %s = arith.addi %acc, %p : i32
    linalg.yield %s : i32
  } -> tensor<?x2xi32>
  return %y : tensor<?x2xi32>
}

// -----

// CHECK-LABEL: func.func @float_product
// CHECK-NOT: floordiv
// CHECK: ins(%arg0, %{{.+}} : tensor<?x4xf32>, tensor<2x4xf32>)
#x = affine_map<(d0, d1, d2) -> (d0, d2)>
#w = affine_map<(d0, d1, d2) -> (d1, d2)>
#o = affine_map<(d0, d1, d2) -> (d0, d1)>
func.func @float_product(%x: tensor<?x4xf32>, %init: tensor<?x2xf32>) -> tensor<?x2xf32> {
  %w = arith.constant dense<[[0.0, -1.0, 5.0, 7.0], [1.0, 2.0, 3.0, 4.0]]> : tensor<2x4xf32>
  %y = linalg.generic {indexing_maps = [#x, #w, #o], iterator_types = ["parallel", "parallel", "reduction"]}
      ins(%x, %w : tensor<?x4xf32>, tensor<2x4xf32>) outs(%init : tensor<?x2xf32>) {
  ^bb0(%a: f32, %bb: f32, %acc: f32):
    %p = arith.mulf %a, %bb : f32
    %s = arith.addf %acc, %p : f32
    linalg.yield %s : f32
  } -> tensor<?x2xf32>
  return %y : tensor<?x2xf32>
}

// -----

#in = affine_map<(d0, d1, d2, d3, d4, d5, d6, d7) -> (d0, d1, d5, d3 * 2 + d6, d4 + d7)>
#wt = affine_map<(d0, d1, d2, d3, d4, d5, d6, d7) -> (d1, d2, d5, d6, d7)>
#out = affine_map<(d0, d1, d2, d3, d4, d5, d6, d7) -> (d0, d1, d2, d3, d4)>

// A convolution with one group (the generic of mc.qconv2d: loops
// (n, g, f, oh, ow, c, i, j), row stride 2), channels first: an im2col
// gather [N, K, OH, OW] (K = C KH KW = 8, no padding rows) flipped to
// unsigned, collapsed to [N, K, OH OW]; the accumulator [N, F, OH OW]
// broadcast from the bias row plus -128 * rowsum(w) ([100 - 4608,
// 200 + 4608, 300 - 16256]); the product out[n, f, p] += W[f, 4 g + r] *
// patches[n, 4 g + r, p] with W packed as [K4 = 2, F = 3, 4]; the result
// expanded to NCHW with no transpose.
// CHECK-DAG: #[[ID4:.+]] = affine_map<(d0, d1, d2, d3) -> (d0, d1, d2, d3)>
// CHECK-DAG: #[[CH:.+]] = affine_map<(d0, d1, d2) -> (d0 floordiv 4)>
// CHECK-DAG: #[[ROW:.+]] = affine_map<(d0, d1, d2) -> (d1 * 2 + (d0 floordiv 2) mod 2)>
// CHECK-DAG: #[[COL:.+]] = affine_map<(d0, d1, d2) -> (d2 + d0 mod 2)>
// CHECK-DAG: #[[W_MAP:.+]] = affine_map<(d0, d1, d2, d3, d4) -> (d3, d1, d4)>
// CHECK-DAG: #[[X_MAP:.+]] = affine_map<(d0, d1, d2, d3, d4) -> (d0, d3 * 4 + d4, d2)>
// CHECK-DAG: #[[OUT_MAP:.+]] = affine_map<(d0, d1, d2, d3, d4) -> (d0, d1, d2)>
// CHECK-LABEL: func.func @conv_one_group
// CHECK-DAG: %[[W:.+]] = arith.constant dense<{{\[}}{{\[}}[1, 2, 3, 4], [-1, -2, -3, -4], [0, 0, 0, 0]], {{\[}}[5, 6, 7, 8], [-5, -6, -7, -8], [0, 0, 0, 127]]]> : tensor<2x3x4xi8>
// CHECK-DAG: %[[BIAS:.+]] = arith.constant dense<[-4508, 4808, -15956]> : tensor<3xi32>
// CHECK: %[[PATCHES:.+]] = linalg.generic {indexing_maps = [#[[ID4]]], {{.+}}} outs(%{{.+}} : tensor<?x8x2x4xi8>)
// CHECK-NOT: arith.minui
// CHECK: affine.apply #[[CH]]
// CHECK: affine.apply #[[ROW]]
// CHECK: affine.apply #[[COL]]
// CHECK: tensor.extract %arg0
// CHECK: arith.xori
// CHECK: %[[ROWS:.+]] = tensor.collapse_shape %[[PATCHES]] {{\[}}[0], [1], [2, 3]] : tensor<?x8x2x4xi8> into tensor<?x8x8xi8>
// CHECK: %[[ACC:.+]] = linalg.broadcast ins(%[[BIAS]] : tensor<3xi32>) outs(%{{.+}} : tensor<?x3x8xi32>) dimensions = [0, 2]
// CHECK: %[[Y:.+]] = linalg.generic {indexing_maps = [#[[W_MAP]], #[[X_MAP]], #[[OUT_MAP]]], iterator_types = ["parallel", "parallel", "parallel", "reduction", "reduction"]} ins(%[[W]], %[[ROWS]] : tensor<2x3x4xi8>, tensor<?x8x8xi8>) outs(%[[ACC]] : tensor<?x3x8xi32>)
// CHECK: arith.extsi
// CHECK: arith.extui
// CHECK: tensor.expand_shape %[[Y]] {{\[}}[0, 1], [2], [3, 4]] output_shape [%{{.+}}, 1, 3, 2, 4] : tensor<?x3x8xi32> into tensor<?x1x3x2x4xi32>
func.func @conv_one_group(%x: tensor<?x1x2x5x5xi8>) -> tensor<?x1x3x2x4xi32> {
  %c0 = arith.constant 0 : index
  %w = arith.constant dense<[[[[[1, 2], [3, 4]], [[5, 6], [7, 8]]], [[[-1, -2], [-3, -4]], [[-5, -6], [-7, -8]]], [[[0, 0], [0, 0]], [[0, 0], [0, 127]]]]]> : tensor<1x3x2x2x2xi8>
  %b = arith.constant dense<[100, 200, 300]> : tensor<3xi32>
  %n = tensor.dim %x, %c0 : tensor<?x1x2x5x5xi8>
  %e = tensor.empty(%n) : tensor<?x3x2x4xi32>
  %bb = linalg.broadcast ins(%b : tensor<3xi32>) outs(%e : tensor<?x3x2x4xi32>) dimensions = [0, 2, 3]
  %init = tensor.expand_shape %bb [[0], [1, 2], [3], [4]] output_shape [%n, 1, 3, 2, 4] : tensor<?x3x2x4xi32> into tensor<?x1x3x2x4xi32>
  %y = linalg.generic {indexing_maps = [#in, #wt, #out], iterator_types = ["parallel", "parallel", "parallel", "parallel", "parallel", "reduction", "reduction", "reduction"]}
      ins(%x, %w : tensor<?x1x2x5x5xi8>, tensor<1x3x2x2x2xi8>) outs(%init : tensor<?x1x3x2x4xi32>) {
  ^bb0(%a: i8, %wb: i8, %acc: i32):
    %xa = arith.extsi %a : i8 to i32
    %we = arith.extsi %wb : i8 to i32
    %p = arith.muli %xa, %we : i32
    %s = arith.addi %acc, %p : i32
    linalg.yield %s : i32
  } -> tensor<?x1x3x2x4xi32>
  return %y : tensor<?x1x3x2x4xi32>
}

// -----

#in = affine_map<(d0, d1, d2, d3, d4, d5, d6, d7) -> (d0, d1, d5, d3 + d6, d4 + d7)>
#wt = affine_map<(d0, d1, d2, d3, d4, d5, d6, d7) -> (d1, d2, d5, d6, d7)>
#out = affine_map<(d0, d1, d2, d3, d4, d5, d6, d7) -> (d0, d1, d2, d3, d4)>

// K = 1 * 3 * 3 = 9 is not a multiple of 4: the gather has K4 * 4 = 12
// rows, rows 9..11 repeat row 8 (min(k, 8)), and their packed weights are
// zero; an unsigned input (zero point 0) is not flipped.
// CHECK-LABEL: func.func @conv_k9
// CHECK-DAG: %[[W:.+]] = arith.constant dense<{{.+}}> : tensor<3x2x4xi8>
// CHECK-DAG: %[[LAST:.+]] = arith.constant 8 : index
// CHECK: linalg.generic {{.+}} outs(%{{.+}} : tensor<?x12x2x2xi8>)
// CHECK: %[[K:.+]] = linalg.index 1 : index
// CHECK: arith.minui %[[K]], %[[LAST]] : index
// CHECK-NOT: arith.xori
// CHECK: tensor.collapse_shape {{.+}} : tensor<?x12x2x2xi8> into tensor<?x12x4xi8>
// CHECK: linalg.generic {{.+}} ins(%[[W]], %{{.+}} : tensor<3x2x4xi8>, tensor<?x12x4xi8>) outs(%{{.+}} : tensor<?x2x4xi32>)
func.func @conv_k9(%x: tensor<?x1x1x4x4xi8>) -> tensor<?x1x2x2x2xi32> {
  %c0 = arith.constant 0 : index
  %w = arith.constant dense<[[[[[1, 2, 3], [4, 5, 6], [7, 8, 9]]], [[[-1, -2, -3], [-4, -5, -6], [-7, -8, -9]]]]]> : tensor<1x2x1x3x3xi8>
  %zero = arith.constant 0 : i32
  %n = tensor.dim %x, %c0 : tensor<?x1x1x4x4xi8>
  %e = tensor.empty(%n) : tensor<?x1x2x2x2xi32>
  %init = linalg.fill ins(%zero : i32) outs(%e : tensor<?x1x2x2x2xi32>) -> tensor<?x1x2x2x2xi32>
  %y = linalg.generic {indexing_maps = [#in, #wt, #out], iterator_types = ["parallel", "parallel", "parallel", "parallel", "parallel", "reduction", "reduction", "reduction"]}
      ins(%x, %w : tensor<?x1x1x4x4xi8>, tensor<1x2x1x3x3xi8>) outs(%init : tensor<?x1x2x2x2xi32>) {
  ^bb0(%a: i8, %wb: i8, %acc: i32):
    %xa = arith.extui %a : i8 to i32
    %we = arith.extsi %wb : i8 to i32
    %p = arith.muli %xa, %we : i32
    %s = arith.addi %acc, %p : i32
    linalg.yield %s : i32
  } -> tensor<?x1x2x2x2xi32>
  return %y : tensor<?x1x2x2x2xi32>
}

// -----

#in = affine_map<(d0, d1, d2, d3, d4, d5, d6, d7) -> (d0, d1, d5, d3 + d6, d4 + d7)>
#wt = affine_map<(d0, d1, d2, d3, d4, d5, d6, d7) -> (d1, d2, d5, d6, d7)>
#out = affine_map<(d0, d1, d2, d3, d4, d5, d6, d7) -> (d0, d1, d2, d3, d4)>

// Two groups: left alone (grouped and depthwise convolutions keep the
// loop nest).
// CHECK-LABEL: func.func @conv_two_groups
// CHECK-NOT: floordiv
// CHECK: ins(%arg0, %{{.+}} : tensor<?x2x1x3x3xi8>, tensor<2x1x1x2x2xi8>)
func.func @conv_two_groups(%x: tensor<?x2x1x3x3xi8>, %init: tensor<?x2x1x2x2xi32>) -> tensor<?x2x1x2x2xi32> {
  %w = arith.constant dense<[[[[[1, 2], [3, 4]]]], [[[[5, 6], [7, 8]]]]]> : tensor<2x1x1x2x2xi8>
  %y = linalg.generic {indexing_maps = [#in, #wt, #out], iterator_types = ["parallel", "parallel", "parallel", "parallel", "parallel", "reduction", "reduction", "reduction"]}
      ins(%x, %w : tensor<?x2x1x3x3xi8>, tensor<2x1x1x2x2xi8>) outs(%init : tensor<?x2x1x2x2xi32>) {
  ^bb0(%a: i8, %wb: i8, %acc: i32):
    %xa = arith.extsi %a : i8 to i32
    %we = arith.extsi %wb : i8 to i32
    %p = arith.muli %xa, %we : i32
    %s = arith.addi %acc, %p : i32
    linalg.yield %s : i32
  } -> tensor<?x2x1x2x2xi32>
  return %y : tensor<?x2x1x2x2xi32>
}

// -----

// An unsigned input that a generic produces (a requantization, say) is
// copied by a linalg.map, so that elementwise fusion cannot fuse that
// generic into the product; a bias held in a resource blob is read at
// compile time like an inline one: 7 - 2 * 10 = -13, -7 - 2 * (-10) = 13.
// CHECK-LABEL: func.func @unsigned_from_generic_resource_bias
// CHECK-DAG: %[[BIAS:.+]] = arith.constant dense<[-13, 13]> : tensor<2xi32>
// CHECK: %[[Q:.+]] = linalg.generic
// CHECK: %[[COPY:.+]] = linalg.map ins(%[[Q]] : tensor<?x4xi8>)
// CHECK-NEXT: (%[[IN:.+]]: i8, %{{.+}}: i8) {
// CHECK-NEXT: linalg.yield %[[IN]] : i8
// CHECK: %[[ACC:.+]] = linalg.broadcast ins(%[[BIAS]] : tensor<2xi32>)
// CHECK: linalg.generic {{.+}} ins(%[[COPY]], %{{.+}} : tensor<?x4xi8>, tensor<1x1x32x4xi8>) outs(%[[ACC]] : tensor<?x2xi32>)
#id = affine_map<(d0, d1) -> (d0, d1)>
#x = affine_map<(d0, d1, d2) -> (d0, d2)>
#w = affine_map<(d0, d1, d2) -> (d1, d2)>
#o = affine_map<(d0, d1, d2) -> (d0, d1)>
func.func @unsigned_from_generic_resource_bias(%acc: tensor<?x4xi32>) -> tensor<?x2xi32> {
  %c0 = arith.constant 0 : index
  %n = tensor.dim %acc, %c0 : tensor<?x4xi32>
  %qe = tensor.empty(%n) : tensor<?x4xi8>
  %q = linalg.generic {indexing_maps = [#id, #id], iterator_types = ["parallel", "parallel"]}
      ins(%acc : tensor<?x4xi32>) outs(%qe : tensor<?x4xi8>) {
  ^bb0(%a: i32, %o: i8):
    %t = arith.trunci %a : i32 to i8
    linalg.yield %t : i8
  } -> tensor<?x4xi8>
  %w = arith.constant dense<[[1, 2, 3, 4], [-1, -2, -3, -4]]> : tensor<2x4xi8>
  %b = arith.constant dense_resource<bias> : tensor<2xi32>
  %e = tensor.empty(%n) : tensor<?x2xi32>
  %init = linalg.broadcast ins(%b : tensor<2xi32>) outs(%e : tensor<?x2xi32>) dimensions = [0]
  %zx = arith.constant 2 : i32
  %y = linalg.generic {indexing_maps = [#x, #w, #o], iterator_types = ["parallel", "parallel", "reduction"]}
      ins(%q, %w : tensor<?x4xi8>, tensor<2x4xi8>) outs(%init : tensor<?x2xi32>) {
  ^bb0(%a: i8, %bb: i8, %out: i32):
    %xa = arith.extui %a : i8 to i32
    %xc = arith.subi %xa, %zx : i32
    %wb = arith.extsi %bb : i8 to i32
    %p = arith.muli %xc, %wb : i32
    %s = arith.addi %out, %p : i32
    linalg.yield %s : i32
  } -> tensor<?x2xi32>
  return %y : tensor<?x2xi32>
}

{-#
  dialect_resources: {
    builtin: {
      bias: "0x0400000007000000F9FFFFFF"
    }
  }
#-}
