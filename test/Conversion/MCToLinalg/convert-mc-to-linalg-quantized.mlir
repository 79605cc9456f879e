// RUN: mc-opt %s -split-input-file --convert-mc-to-linalg | FileCheck %s
// Every case also lowers all the way to the LLVM dialect, dynamic batch
// included.
// RUN: mc-opt %s -split-input-file --mc-to-llvm | FileCheck %s --check-prefix=LLVM \
// RUN:   --implicit-check-not='{{(^ *|= )"?(mc|linalg|tensor|memref|bufferization|scf|arith|math|affine|cf|func|builtin)\.[a-z_]+}}'

// Per-tensor mc.quantize to u8 storage: divide, round half to even, add the
// zero point and saturate in f32, then truncate the integer to i8 bits.
// CHECK-LABEL: func.func @quantize
// CHECK-SAME: -> tensor<?x4xi8>
// LLVM-LABEL: llvm.func @quantize(
// CHECK: linalg.generic
// CHECK-SAME: ins(%{{.+}} : tensor<?x4xf32>) outs(%{{.+}} : tensor<?x4xi8>)
// CHECK: %[[D:.+]] = arith.divf %{{.+}}, %{{.+}} : f32
// CHECK: %[[R:.+]] = math.roundeven %[[D]] : f32
// CHECK: %[[Z:.+]] = arith.addf %[[R]], %{{.+}} : f32
// CHECK: %[[LO:.+]] = arith.maxnumf %[[Z]], %{{.+}} : f32
// CHECK: %[[HI:.+]] = arith.minnumf %[[LO]], %{{.+}} : f32
// CHECK: %[[I:.+]] = arith.fptosi %[[HI]] : f32 to i32
// CHECK: %[[T:.+]] = arith.trunci %[[I]] : i32 to i8
// CHECK: linalg.yield %[[T]] : i8
func.func @quantize(%x: tensor<?x4xf32>) -> tensor<?x4x!quant.uniform<u8:f32, 0.5:128>> {
  %q = mc.quantize %x : tensor<?x4xf32> -> tensor<?x4x!quant.uniform<u8:f32, 0.5:128>>
  return %q : tensor<?x4x!quant.uniform<u8:f32, 0.5:128>>
}

// -----

// Per-axis mc.quantize reads its scales and zero points from constant
// tensors indexed by the quantized dimension.
// CHECK-DAG: #[[ID:.+]] = affine_map<(d0, d1) -> (d0, d1)>
// CHECK-DAG: #[[AX:.+]] = affine_map<(d0, d1) -> (d1)>
// CHECK-LABEL: func.func @quantize_axis
// LLVM-LABEL: llvm.func @quantize_axis(
// CHECK-DAG: %[[S:.+]] = arith.constant dense<[5.000000e-01, 2.500000e-01]> : tensor<2xf32>
// CHECK-DAG: %[[Z:.+]] = arith.constant dense<[1.000000e+00, -2.000000e+00]> : tensor<2xf32>
// CHECK: linalg.generic {indexing_maps = [#[[ID]], #[[AX]], #[[AX]], #[[ID]]]
// CHECK-SAME: ins(%{{.+}}, %[[S]], %[[Z]] :
// CHECK: ^bb0(%[[IN:.+]]: f32, %[[SC:.+]]: f32, %[[ZP:.+]]: f32, %{{.+}}: i8):
// CHECK: arith.divf %[[IN]], %[[SC]] : f32
// CHECK: arith.addf %{{.+}}, %[[ZP]] : f32
// CHECK: arith.constant -1.280000e+02 : f32
// CHECK: arith.constant 1.270000e+02 : f32
func.func @quantize_axis(%x: tensor<?x2xf32>) -> tensor<?x2x!quant.uniform<i8:f32:1, {0.5:1, 0.25:-2}>> {
  %q = mc.quantize %x : tensor<?x2xf32> -> tensor<?x2x!quant.uniform<i8:f32:1, {0.5:1, 0.25:-2}>>
  return %q : tensor<?x2x!quant.uniform<i8:f32:1, {0.5:1, 0.25:-2}>>
}

// -----

// A ui8 model input becomes i8 storage (the function signature changes,
// mc.storage_cast disappears); u8 values widen with extui before the zero
// point is subtracted.
// CHECK-LABEL: func.func @dequantize_u8
// CHECK-SAME: (%[[X:.+]]: tensor<?x4xi8>) -> tensor<?x4xf32>
// LLVM-LABEL: llvm.func @dequantize_u8(
// CHECK-NOT: mc.storage_cast
// CHECK: linalg.generic
// CHECK-SAME: ins(%[[X]] : tensor<?x4xi8>)
// CHECK: %[[W:.+]] = arith.extui %{{.+}} : i8 to i32
// CHECK: %[[C:.+]] = arith.subi %[[W]], %{{.+}} : i32
// CHECK: %[[F:.+]] = arith.sitofp %[[C]] : i32 to f32
// CHECK: arith.mulf %[[F]], %{{.+}} : f32
func.func @dequantize_u8(%x: tensor<?x4xui8>) -> tensor<?x4xf32> {
  %q = mc.storage_cast %x : tensor<?x4xui8> -> tensor<?x4x!quant.uniform<u8:f32, 0.5:128>>
  %y = mc.dequantize %q : tensor<?x4x!quant.uniform<u8:f32, 0.5:128>> -> tensor<?x4xf32>
  return %y : tensor<?x4xf32>
}

// -----

// 32-bit storage (an int32 accumulator dequantized per channel) subtracts
// its zero points in i64, where the difference cannot overflow.
// CHECK-LABEL: func.func @dequantize_i32_axis
// LLVM-LABEL: llvm.func @dequantize_i32_axis(
// CHECK: %[[ZP:.+]] = arith.constant dense<0> : tensor<2xi64>
// CHECK: linalg.generic
// CHECK: arith.extsi %{{.+}} : i32 to i64
// CHECK: arith.subi %{{.+}}, %{{.+}} : i64
// CHECK: arith.sitofp %{{.+}} : i64 to f32
func.func @dequantize_i32_axis(%x: tensor<?x2xi32>) -> tensor<?x2xf32> {
  %q = mc.storage_cast %x : tensor<?x2xi32> -> tensor<?x2x!quant.uniform<i32:f32:1, {0.5, 0.25}>>
  %y = mc.dequantize %q : tensor<?x2x!quant.uniform<i32:f32:1, {0.5, 0.25}>> -> tensor<?x2xf32>
  return %y : tensor<?x2xf32>
}

// -----

// Unsigned constants keep their bits as signless i8 (200 is -56); a
// dense_resource blob stays the same resource.
// CHECK-LABEL: func.func @constants() -> (tensor<3xi8>, tensor<2xi8>)
// LLVM-LABEL: llvm.func @constants(
// CHECK-DAG: arith.constant dense<[0, -56, -1]> : tensor<3xi8>
// CHECK-DAG: arith.constant dense_resource<blob> : tensor<2xi8>
func.func @constants() -> (tensor<3xui8>, tensor<2xui8>) {
  %a = mc.constant dense<[0, 200, 255]> : tensor<3xui8>
  %b = mc.constant dense_resource<blob> : tensor<2xui8>
  return %a, %b : tensor<3xui8>, tensor<2xui8>
}
{-#
  dialect_resources: {
    builtin: {
      blob: "0x01000000C8FF"
    }
  }
#-}

// -----

// mc.qlinear on a 3-D u8 input: one generic over (batch..., o, k) starting
// from the broadcast bias; the input zero point (128) is subtracted after
// extui, the weight's zero point 0 not at all.
// CHECK-DAG: #[[X:.+]] = affine_map<(d0, d1, d2, d3) -> (d0, d1, d3)>
// CHECK-DAG: #[[W:.+]] = affine_map<(d0, d1, d2, d3) -> (d2, d3)>
// CHECK-DAG: #[[O:.+]] = affine_map<(d0, d1, d2, d3) -> (d0, d1, d2)>
// CHECK-LABEL: func.func @qlinear
// LLVM-LABEL: llvm.func @qlinear(
// CHECK: %[[ACC:.+]] = linalg.broadcast ins(%{{.+}} : tensor<4xi32>) outs(%{{.+}} : tensor<?x3x4xi32>) dimensions = [0, 1]
// CHECK: linalg.generic {indexing_maps = [#[[X]], #[[W]], #[[O]]], iterator_types = ["parallel", "parallel", "parallel", "reduction"]}
// CHECK-SAME: ins(%{{.+}}, %{{.+}} : tensor<?x3x8xi8>, tensor<4x8xi8>) outs(%[[ACC]] : tensor<?x3x4xi32>)
// CHECK: %[[XW:.+]] = arith.extui %{{.+}} : i8 to i32
// CHECK: %[[C128:.+]] = arith.constant 128 : i32
// CHECK: %[[XC:.+]] = arith.subi %[[XW]], %[[C128]] : i32
// CHECK: %[[WW:.+]] = arith.extsi %{{.+}} : i8 to i32
// CHECK-NEXT: %[[P:.+]] = arith.muli %[[XC]], %[[WW]] : i32
// CHECK-NEXT: arith.addi %{{.+}}, %[[P]] : i32
func.func @qlinear(%x: tensor<?x3x8x!quant.uniform<u8:f32, 0.1:128>>, %b: tensor<4xi32>) -> tensor<?x3x4xi32> {
  %w = mc.constant dense<1> : tensor<4x8xi8>
  %wq = mc.storage_cast %w : tensor<4x8xi8> -> tensor<4x8x!quant.uniform<i8:f32, 0.1>>
  %y = mc.qlinear %x, %wq, %b : (tensor<?x3x8x!quant.uniform<u8:f32, 0.1:128>>, tensor<4x8x!quant.uniform<i8:f32, 0.1>>, tensor<4xi32>) -> tensor<?x3x4xi32>
  return %y : tensor<?x3x4xi32>
}

// -----

// Weight zero points that differ per output channel come from an i32
// tensor read per channel; no bias: the accumulator starts at zero.
// CHECK-DAG: #[[CH:.+]] = affine_map<(d0, d1, d2) -> (d1)>
// CHECK-LABEL: func.func @qlinear_zp_axis
// LLVM-LABEL: llvm.func @qlinear_zp_axis(
// CHECK: %[[Z:.+]] = linalg.fill
// CHECK: %[[ZP:.+]] = arith.constant dense<[3, -1]> : tensor<2xi32>
// CHECK: linalg.generic {indexing_maps = [#{{.+}}, #{{.+}}, #[[CH]], #{{.+}}]
// CHECK-SAME: ins(%{{.+}}, %{{.+}}, %[[ZP]] : tensor<?x8xi8>, tensor<2x8xi8>, tensor<2xi32>) outs(%[[Z]] : tensor<?x2xi32>)
// CHECK: ^bb0(%[[XI:.+]]: i8, %[[WI:.+]]: i8, %[[ZI:.+]]: i32, %{{.+}}: i32):
// CHECK: %[[XW:.+]] = arith.extsi %[[XI]] : i8 to i32
// CHECK-NEXT: %[[WW:.+]] = arith.extsi %[[WI]] : i8 to i32
// CHECK-NEXT: %[[WC:.+]] = arith.subi %[[WW]], %[[ZI]] : i32
// CHECK-NEXT: arith.muli %[[XW]], %[[WC]] : i32
func.func @qlinear_zp_axis(%x: tensor<?x8x!quant.uniform<i8:f32, 0.1>>, %w: tensor<2x8x!quant.uniform<i8:f32:0, {0.1:3, 0.2:-1}>>) -> tensor<?x2xi32> {
  %y = mc.qlinear %x, %w : (tensor<?x8x!quant.uniform<i8:f32, 0.1>>, tensor<2x8x!quant.uniform<i8:f32:0, {0.1:3, 0.2:-1}>>) -> tensor<?x2xi32>
  return %y : tensor<?x2xi32>
}

// -----

// mc.qconv2d pads the input with its zero point (100), splits the channels
// into [groups, per group] and runs one generic over
// (n, g, f, oh, ow, c, kh, kw) with the strides in the input map.
// CHECK-DAG: #[[IN:.+]] = affine_map<(d0, d1, d2, d3, d4, d5, d6, d7) -> (d0, d1, d5, d3 * 2 + d6, d4 * 2 + d7)>
// CHECK-DAG: #[[W:.+]] = affine_map<(d0, d1, d2, d3, d4, d5, d6, d7) -> (d1, d2, d5, d6, d7)>
// CHECK-DAG: #[[OUT:.+]] = affine_map<(d0, d1, d2, d3, d4, d5, d6, d7) -> (d0, d1, d2, d3, d4)>
// CHECK-LABEL: func.func @qconv2d
// LLVM-LABEL: llvm.func @qconv2d(
// CHECK: %[[ZP:.+]] = arith.constant 100 : i8
// CHECK: %[[PAD:.+]] = tensor.pad %{{.+}} low[0, 0, 1, 1] high[0, 0, 1, 1]
// CHECK: tensor.yield %[[ZP]] : i8
// CHECK: %[[B:.+]] = linalg.broadcast ins(%{{.+}} : tensor<4xi32>) outs(%{{.+}} : tensor<?x4x3x3xi32>) dimensions = [0, 2, 3]
// CHECK: %[[X5:.+]] = tensor.expand_shape %[[PAD]] {{\[}}[0], [1, 2], [3], [4]] output_shape [%{{.+}}, 1, 2, 7, 7] : tensor<?x2x7x7xi8> into tensor<?x1x2x7x7xi8>
// CHECK: %[[W5:.+]] = tensor.expand_shape %{{.+}} {{\[}}[0, 1], [2], [3], [4]] output_shape [1, 4, 2, 3, 3] : tensor<4x2x3x3xi8> into tensor<1x4x2x3x3xi8>
// CHECK: %[[B5:.+]] = tensor.expand_shape %[[B]]
// CHECK: %[[R:.+]] = linalg.generic {indexing_maps = [#[[IN]], #[[W]], #[[OUT]]], iterator_types = ["parallel", "parallel", "parallel", "parallel", "parallel", "reduction", "reduction", "reduction"]}
// CHECK-SAME: ins(%[[X5]], %[[W5]] : {{.+}}) outs(%[[B5]] : tensor<?x1x4x3x3xi32>)
// CHECK: arith.extui
// CHECK: arith.extsi
// CHECK: tensor.collapse_shape %[[R]] {{\[}}[0], [1, 2], [3], [4]] : tensor<?x1x4x3x3xi32> into tensor<?x4x3x3xi32>
func.func @qconv2d(%x: tensor<?x2x5x5x!quant.uniform<u8:f32, 0.1:100>>, %w: tensor<4x2x3x3x!quant.uniform<i8:f32, 0.1>>, %b: tensor<4xi32>) -> tensor<?x4x3x3xi32> {
  %y = mc.qconv2d %x, %w, %b {strides = array<i64: 2, 2>, pads = array<i64: 1, 1, 1, 1>} : (tensor<?x2x5x5x!quant.uniform<u8:f32, 0.1:100>>, tensor<4x2x3x3x!quant.uniform<i8:f32, 0.1>>, tensor<4xi32>) -> tensor<?x4x3x3xi32>
  return %y : tensor<?x4x3x3xi32>
}

// -----

// Depthwise (groups = 3): three groups of one channel; per-channel weight
// zero points are a [groups, filters per group] tensor.
// CHECK-DAG: #[[ZMAP:.+]] = affine_map<(d0, d1, d2, d3, d4, d5, d6, d7) -> (d1, d2)>
// CHECK-LABEL: func.func @qconv2d_depthwise
// LLVM-LABEL: llvm.func @qconv2d_depthwise(
// CHECK-NOT: tensor.pad
// CHECK: tensor.expand_shape %{{.+}} {{\[}}[0], [1, 2], [3], [4]] output_shape [%{{.+}}, 3, 1, 4, 4] : tensor<?x3x4x4xi8> into tensor<?x3x1x4x4xi8>
// CHECK: tensor.expand_shape %{{.+}} {{\[}}[0, 1], [2], [3], [4]] output_shape [3, 1, 1, 3, 3] : tensor<3x1x3x3xi8> into tensor<3x1x1x3x3xi8>
// CHECK: %[[ZP:.+]] = arith.constant dense<{{\[}}[1], [2], [3]]> : tensor<3x1xi32>
// CHECK: linalg.generic {indexing_maps = [#{{.+}}, #{{.+}}, #[[ZMAP]], #{{.+}}]
// CHECK-SAME: ins(%{{.+}}, %{{.+}}, %[[ZP]] :
func.func @qconv2d_depthwise(%x: tensor<?x3x4x4x!quant.uniform<i8:f32, 0.1>>, %w: tensor<3x1x3x3x!quant.uniform<i8:f32:0, {0.1:1, 0.1:2, 0.1:3}>>) -> tensor<?x3x2x2xi32> {
  %y = mc.qconv2d %x, %w {groups = 3 : i64} : (tensor<?x3x4x4x!quant.uniform<i8:f32, 0.1>>, tensor<3x1x3x3x!quant.uniform<i8:f32:0, {0.1:1, 0.1:2, 0.1:3}>>) -> tensor<?x3x2x2xi32>
  return %y : tensor<?x3x2x2xi32>
}

// -----

// mc.qmatmul broadcasts batch dimensions in its indexing maps: the lhs's
// stretched unit dimension reads index 0, the rhs has no leading one.
// CHECK-DAG: #[[L:.+]] = affine_map<(d0, d1, d2, d3, d4) -> (d0, 0, d2, d4)>
// CHECK-DAG: #[[R:.+]] = affine_map<(d0, d1, d2, d3, d4) -> (d1, d4, d3)>
// CHECK-DAG: #[[O:.+]] = affine_map<(d0, d1, d2, d3, d4) -> (d0, d1, d2, d3)>
// CHECK-LABEL: func.func @qmatmul
// LLVM-LABEL: llvm.func @qmatmul(
// CHECK: linalg.generic {indexing_maps = [#[[L]], #[[R]], #[[O]]], iterator_types = ["parallel", "parallel", "parallel", "parallel", "reduction"]}
// CHECK-SAME: ins(%{{.+}}, %{{.+}} : tensor<?x1x4x5xi8>, tensor<3x5x6xi8>) outs(%{{.+}} : tensor<?x3x4x6xi32>)
// CHECK: arith.extui
// CHECK: arith.constant 7 : i32
func.func @qmatmul(%a: tensor<?x1x4x5x!quant.uniform<u8:f32, 0.1:7>>, %b: tensor<3x5x6x!quant.uniform<i8:f32, 0.1>>) -> tensor<?x3x4x6xi32> {
  %y = mc.qmatmul %a, %b : (tensor<?x1x4x5x!quant.uniform<u8:f32, 0.1:7>>, tensor<3x5x6x!quant.uniform<i8:f32, 0.1>>) -> tensor<?x3x4x6xi32>
  return %y : tensor<?x3x4x6xi32>
}

// -----

// A 1-D rhs is promoted to a column and the column dimension collapsed
// away again.
// CHECK-LABEL: func.func @qmatmul_vector
// LLVM-LABEL: llvm.func @qmatmul_vector(
// CHECK: tensor.expand_shape %{{.+}} {{\[}}[0, 1]] output_shape [5, 1] : tensor<5xi8> into tensor<5x1xi8>
// CHECK: %[[R:.+]] = linalg.generic
// CHECK: tensor.collapse_shape %[[R]] {{\[}}[0, 1]] : tensor<?x1xi32> into tensor<?xi32>
func.func @qmatmul_vector(%a: tensor<?x5x!quant.uniform<i8:f32, 0.1>>, %b: tensor<5x!quant.uniform<i8:f32, 0.1:2>>) -> tensor<?xi32> {
  %y = mc.qmatmul %a, %b : (tensor<?x5x!quant.uniform<i8:f32, 0.1>>, tensor<5x!quant.uniform<i8:f32, 0.1:2>>) -> tensor<?xi32>
  return %y : tensor<?xi32>
}

// -----

// Max pooling on u8 values compares unsigned (linalg has no unsigned NCHW
// max pool: a generic with maxui); padding is 0, the smallest u8.
// CHECK-LABEL: func.func @max_pool_u8
// LLVM-LABEL: llvm.func @max_pool_u8(
// CHECK: %[[LOW:.+]] = arith.constant 0 : i8
// CHECK: tensor.pad
// CHECK: tensor.yield %[[LOW]] : i8
// CHECK: linalg.fill ins(%[[LOW]] : i8)
// CHECK: linalg.generic
// CHECK: arith.maxui %{{.+}}, %{{.+}} : i8
func.func @max_pool_u8(%x: tensor<?x2x4x4x!quant.uniform<u8:f32, 0.1:3>>) -> tensor<?x2x2x2x!quant.uniform<u8:f32, 0.1:3>> {
  %y = mc.max_pool2d %x {kernel = array<i64: 3, 3>, strides = array<i64: 2, 2>, pads = array<i64: 1, 1, 1, 1>} : (tensor<?x2x4x4x!quant.uniform<u8:f32, 0.1:3>>) -> tensor<?x2x2x2x!quant.uniform<u8:f32, 0.1:3>>
  return %y : tensor<?x2x2x2x!quant.uniform<u8:f32, 0.1:3>>
}

// -----

// Max pooling on i8 values is linalg.pooling_nchw_max (signed), padded with
// -128.
// CHECK-LABEL: func.func @max_pool_i8
// LLVM-LABEL: llvm.func @max_pool_i8(
// CHECK: %[[LOW:.+]] = arith.constant -128 : i8
// CHECK: tensor.yield %[[LOW]] : i8
// CHECK: linalg.pooling_nchw_max {dilations = dense<1> : tensor<2xi64>, strides = dense<2> : tensor<2xi64>} ins(%{{.+}}, %{{.+}} : tensor<?x2x6x6xi8>, tensor<3x3xi8>) outs(%{{.+}} : tensor<?x2x2x2xi8>)
func.func @max_pool_i8(%x: tensor<?x2x4x4x!quant.uniform<i8:f32, 0.1:3>>) -> tensor<?x2x2x2x!quant.uniform<i8:f32, 0.1:3>> {
  %y = mc.max_pool2d %x {kernel = array<i64: 3, 3>, strides = array<i64: 2, 2>, pads = array<i64: 1, 1, 1, 1>} : (tensor<?x2x4x4x!quant.uniform<i8:f32, 0.1:3>>) -> tensor<?x2x2x2x!quant.uniform<i8:f32, 0.1:3>>
  return %y : tensor<?x2x2x2x!quant.uniform<i8:f32, 0.1:3>>
}

// -----

// Shape ops on quantized values are the float patterns on the i8 storage.
// CHECK-LABEL: func.func @reshape_flatten
// CHECK-SAME: (%[[X:.+]]: tensor<?x2x3xi8>) -> tensor<?x6xi8>
// LLVM-LABEL: llvm.func @reshape_flatten(
// CHECK: %[[E:.+]] = tensor.expand_shape %[[X]] {{\[}}[0], [1], [2, 3]] output_shape [%{{.+}}, 2, 3, 1] : tensor<?x2x3xi8> into tensor<?x2x3x1xi8>
// CHECK: tensor.collapse_shape %[[E]] {{\[}}[0], [1, 2, 3]] : tensor<?x2x3x1xi8> into tensor<?x6xi8>
func.func @reshape_flatten(%x: tensor<?x2x3x!quant.uniform<u8:f32, 0.1:3>>) -> tensor<?x6x!quant.uniform<u8:f32, 0.1:3>> {
  %r = mc.reshape %x : tensor<?x2x3x!quant.uniform<u8:f32, 0.1:3>> -> tensor<?x2x3x1x!quant.uniform<u8:f32, 0.1:3>>
  %f = mc.flatten %r {axis = 1 : i64} : (tensor<?x2x3x1x!quant.uniform<u8:f32, 0.1:3>>) -> tensor<?x6x!quant.uniform<u8:f32, 0.1:3>>
  return %f : tensor<?x6x!quant.uniform<u8:f32, 0.1:3>>
}

// -----

// Calls convert with the signatures: a ui8 argument and result are i8.
// CHECK-LABEL: func.func @callee(%{{.+}}: tensor<2xi8>) -> tensor<2xi8>
// CHECK-LABEL: func.func @caller
// CHECK-SAME: (%[[X:.+]]: tensor<2xi8>) -> tensor<2xi8>
// CHECK: %[[Y:.+]] = call @callee(%[[X]]) : (tensor<2xi8>) -> tensor<2xi8>
// CHECK: return %[[Y]] : tensor<2xi8>
// LLVM-LABEL: llvm.func @callee(
// LLVM-LABEL: llvm.func @caller(
func.func @callee(%x: tensor<2xui8>) -> tensor<2xui8> {
  return %x : tensor<2xui8>
}
func.func @caller(%x: tensor<2xui8>) -> tensor<2xui8> {
  %y = func.call @callee(%x) : (tensor<2xui8>) -> tensor<2xui8>
  return %y : tensor<2xui8>
}
