// RUN: mc-opt %s -split-input-file -verify-diagnostics

// Every diagnostic of the mc verifiers and type inference (MCOps.cpp), one
// case per chunk. A failing inferReturnTypes reports its own message and then
// "failed to infer returned types"; both are expected.

//===----------------------------------------------------------------------===//
// mc.linear
//===----------------------------------------------------------------------===//

// The weight must be 2-D [out, in].
func.func @linear_weight_rank(%x: tensor<2x4xf32>, %w: tensor<4xf32>) {
  // expected-error @+2 {{weight must be 2-D [out, in], got rank 1}}
  // expected-error @+1 {{'mc.linear' op failed to infer returned types}}
  %0 = mc.linear %x, %w : (tensor<2x4xf32>, tensor<4xf32>) -> tensor<2x4xf32>
  return
}

// -----

// A 0-D input has no feature dimension.
func.func @linear_input_rank(%x: tensor<f32>, %w: tensor<2x4xf32>) {
  // expected-error @+2 {{input must have at least one dimension}}
  // expected-error @+1 {{'mc.linear' op failed to infer returned types}}
  %0 = mc.linear %x, %w : (tensor<f32>, tensor<2x4xf32>) -> tensor<2xf32>
  return
}

// -----

// Input and weight share one element type.
func.func @linear_element_types(%x: tensor<2x4xf16>, %w: tensor<3x4xf32>) {
  // expected-error @+2 {{input and weight element types differ}}
  // expected-error @+1 {{'mc.linear' op failed to infer returned types}}
  %0 = mc.linear %x, %w : (tensor<2x4xf16>, tensor<3x4xf32>) -> tensor<2x3xf16>
  return
}

// -----

// The last input dimension is in_features (weight dimension 1).
func.func @linear_in_features(%x: tensor<2x5xf32>, %w: tensor<3x4xf32>) {
  // expected-error @+2 {{input feature size 5 does not match weight in_features 4}}
  // expected-error @+1 {{'mc.linear' op failed to infer returned types}}
  %0 = mc.linear %x, %w : (tensor<2x5xf32>, tensor<3x4xf32>) -> tensor<2x3xf32>
  return
}

// -----

// The bias has the weight's element type (reported as such, not as a shape
// error).
func.func @linear_bias_element_type(%x: tensor<2x4xf32>, %w: tensor<3x4xf32>, %b: tensor<3xf16>) {
  // expected-error @+2 {{bias element type 'f16' differs from weight element type 'f32'}}
  // expected-error @+1 {{'mc.linear' op failed to infer returned types}}
  %0 = mc.linear %x, %w, %b : (tensor<2x4xf32>, tensor<3x4xf32>, tensor<3xf16>) -> tensor<2x3xf32>
  return
}

// -----

// The bias is [out_features].
func.func @linear_bias_shape(%x: tensor<2x4xf32>, %w: tensor<3x4xf32>, %b: tensor<4xf32>) {
  // expected-error @+2 {{bias must be 1-D of out_features (3) elements}}
  // expected-error @+1 {{'mc.linear' op failed to infer returned types}}
  %0 = mc.linear %x, %w, %b : (tensor<2x4xf32>, tensor<3x4xf32>, tensor<4xf32>) -> tensor<2x3xf32>
  return
}

// -----

// The written result type must be the inferred one.
func.func @linear_result_type(%x: tensor<?x4xf32>, %w: tensor<3x4xf32>) {
  // expected-error @+2 {{'mc.linear' op inferred type(s) 'tensor<?x3xf32>' are incompatible with return type(s) of operation 'tensor<?x4xf32>'}}
  // expected-error @+1 {{'mc.linear' op failed to infer returned types}}
  %0 = mc.linear %x, %w : (tensor<?x4xf32>, tensor<3x4xf32>) -> tensor<?x4xf32>
  return
}

// -----

//===----------------------------------------------------------------------===//
// mc.matmul / mc.qmatmul
//===----------------------------------------------------------------------===//

// 0-D operands have no matrix dimension.
func.func @matmul_rank0(%a: tensor<f32>, %b: tensor<4xf32>) {
  // expected-error @+2 {{matmul operands must have rank >= 1}}
  // expected-error @+1 {{'mc.matmul' op failed to infer returned types}}
  %0 = mc.matmul %a, %b : (tensor<f32>, tensor<4xf32>) -> tensor<f32>
  return
}

// -----

// The last lhs dimension is contracted with the second-to-last rhs one.
func.func @matmul_contracting(%a: tensor<2x3xf32>, %b: tensor<4x5xf32>) {
  // expected-error @+2 {{contracting dimensions differ: 3 vs 4}}
  // expected-error @+1 {{'mc.matmul' op failed to infer returned types}}
  %0 = mc.matmul %a, %b : (tensor<2x3xf32>, tensor<4x5xf32>) -> tensor<2x5xf32>
  return
}

// -----

// Leading (batch) dimensions broadcast as in NumPy.
func.func @matmul_batch(%a: tensor<2x3x4xf32>, %b: tensor<3x4x5xf32>) {
  // expected-error @+2 {{batch dimensions do not broadcast}}
  // expected-error @+1 {{'mc.matmul' op failed to infer returned types}}
  %0 = mc.matmul %a, %b : (tensor<2x3x4xf32>, tensor<3x4x5xf32>) -> tensor<2x3x5xf32>
  return
}

// -----

// Both operands have one element type.
func.func @matmul_element_types(%a: tensor<2x4xf32>, %b: tensor<4x5xf16>) {
  // expected-error @+2 {{operand element types differ}}
  // expected-error @+1 {{'mc.matmul' op failed to infer returned types}}
  %0 = mc.matmul %a, %b : (tensor<2x4xf32>, tensor<4x5xf16>) -> tensor<2x5xf32>
  return
}

// -----

// The input of mc.qlinear has a single zero point.
func.func @qlinear_input_per_axis(%x: tensor<2x4x!quant.uniform<i8:f32:0, {0.5, 0.5}>>, %w: tensor<3x4x!quant.uniform<i8:f32, 0.5>>) {
  // expected-error @+2 {{input must be quantized per tensor}}
  // expected-error @+1 {{'mc.qlinear' op failed to infer returned types}}
  %0 = mc.qlinear %x, %w : (tensor<2x4x!quant.uniform<i8:f32:0, {0.5, 0.5}>>, tensor<3x4x!quant.uniform<i8:f32, 0.5>>) -> tensor<2x3xi32>
  return
}

// -----

// A per-axis mc.qlinear weight is quantized per output feature (dimension 0).
func.func @qlinear_weight_axis(%x: tensor<2x4x!quant.uniform<i8:f32, 0.5>>, %w: tensor<3x4x!quant.uniform<i8:f32:1, {0.5, 0.5, 0.5, 0.5}>>) {
  // expected-error @+2 {{per-axis weight must be quantized along dimension 0}}
  // expected-error @+1 {{'mc.qlinear' op failed to infer returned types}}
  %0 = mc.qlinear %x, %w : (tensor<2x4x!quant.uniform<i8:f32, 0.5>>, tensor<3x4x!quant.uniform<i8:f32:1, {0.5, 0.5, 0.5, 0.5}>>) -> tensor<2x3xi32>
  return
}

// -----

// mc.qlinear checks in_features like mc.linear.
func.func @qlinear_features(%x: tensor<2x5x!quant.uniform<i8:f32, 0.5>>, %w: tensor<3x4x!quant.uniform<i8:f32, 0.5>>) {
  // expected-error @+2 {{input feature size 5 does not match weight in_features 4}}
  // expected-error @+1 {{'mc.qlinear' op failed to infer returned types}}
  %0 = mc.qlinear %x, %w : (tensor<2x5x!quant.uniform<i8:f32, 0.5>>, tensor<3x4x!quant.uniform<i8:f32, 0.5>>) -> tensor<2x3xi32>
  return
}

// -----

// The lhs of mc.qmatmul has a single zero point.
func.func @qmatmul_lhs_per_axis(%a: tensor<2x4x!quant.uniform<i8:f32:0, {0.5, 0.5}>>, %b: tensor<4x3x!quant.uniform<i8:f32, 0.5>>) {
  // expected-error @+2 {{lhs must be quantized per tensor}}
  // expected-error @+1 {{'mc.qmatmul' op failed to infer returned types}}
  %0 = mc.qmatmul %a, %b : (tensor<2x4x!quant.uniform<i8:f32:0, {0.5, 0.5}>>, tensor<4x3x!quant.uniform<i8:f32, 0.5>>) -> tensor<2x3xi32>
  return
}

// -----

// A per-axis rhs is quantized per output column (its last dimension).
func.func @qmatmul_rhs_axis(%a: tensor<2x4x!quant.uniform<i8:f32, 0.5>>, %b: tensor<4x3x!quant.uniform<i8:f32:0, {0.5, 0.5, 0.5, 0.5}>>) {
  // expected-error @+2 {{per-axis rhs must be quantized along its last dimension}}
  // expected-error @+1 {{'mc.qmatmul' op failed to infer returned types}}
  %0 = mc.qmatmul %a, %b : (tensor<2x4x!quant.uniform<i8:f32, 0.5>>, tensor<4x3x!quant.uniform<i8:f32:0, {0.5, 0.5, 0.5, 0.5}>>) -> tensor<2x3xi32>
  return
}

// -----

// A per-axis rhs has one scale per output column.
func.func @qmatmul_rhs_scales(%a: tensor<2x4x!quant.uniform<i8:f32, 0.5>>, %b: tensor<4x3x!quant.uniform<i8:f32:1, {0.5, 0.5}>>) {
  // expected-error @+2 {{rhs has 2 scales for dimension 1 of size 3}}
  // expected-error @+1 {{'mc.qmatmul' op failed to infer returned types}}
  %0 = mc.qmatmul %a, %b : (tensor<2x4x!quant.uniform<i8:f32, 0.5>>, tensor<4x3x!quant.uniform<i8:f32:1, {0.5, 0.5}>>) -> tensor<2x3xi32>
  return
}

// -----

// mc.qmatmul shares the NumPy shape rule of mc.matmul.
func.func @qmatmul_contracting(%a: tensor<2x4x!quant.uniform<i8:f32, 0.5>>, %b: tensor<5x3x!quant.uniform<i8:f32, 0.5>>) {
  // expected-error @+2 {{contracting dimensions differ: 4 vs 5}}
  // expected-error @+1 {{'mc.qmatmul' op failed to infer returned types}}
  %0 = mc.qmatmul %a, %b : (tensor<2x4x!quant.uniform<i8:f32, 0.5>>, tensor<5x3x!quant.uniform<i8:f32, 0.5>>) -> tensor<2x3xi32>
  return
}

// -----

//===----------------------------------------------------------------------===//
// mc.conv2d / mc.qconv2d
//===----------------------------------------------------------------------===//

// The weight is 4-D [F, C/groups, KH, KW].
func.func @conv2d_weight_rank(%x: tensor<1x3x8x8xf32>, %w: tensor<4x3x3xf32>) {
  // expected-error @+2 {{weight must be 4-D [F, C/groups, KH, KW]}}
  // expected-error @+1 {{'mc.conv2d' op failed to infer returned types}}
  %0 = mc.conv2d %x, %w : (tensor<1x3x8x8xf32>, tensor<4x3x3xf32>) -> tensor<1x4x6x6xf32>
  return
}

// -----

// The weight shape is static: a dynamic kernel size or filter count used to
// be reported as a non-positive kernel size or a channel mismatch.
func.func @conv2d_weight_dynamic(%x: tensor<1x3x8x8xf32>, %w: tensor<4x3x?x3xf32>) {
  // expected-error @+2 {{weight must have a static shape, got 'tensor<4x3x?x3xf32>'}}
  // expected-error @+1 {{'mc.conv2d' op failed to infer returned types}}
  %0 = mc.conv2d %x, %w : (tensor<1x3x8x8xf32>, tensor<4x3x?x3xf32>) -> tensor<1x4x?x6xf32>
  return
}

// -----

// groups is positive.
func.func @conv2d_groups(%x: tensor<1x4x8x8xf32>, %w: tensor<4x4x3x3xf32>) {
  // expected-error @+2 {{groups must be positive}}
  // expected-error @+1 {{'mc.conv2d' op failed to infer returned types}}
  %0 = mc.conv2d %x, %w {groups = 0 : i64} : (tensor<1x4x8x8xf32>, tensor<4x4x3x3xf32>) -> tensor<1x4x6x6xf32>
  return
}

// -----

// Weight dimension 1 is the number of input channels per group.
func.func @conv2d_channels(%x: tensor<?x3x8x8xf32>, %w: tensor<4x2x3x3xf32>) {
  // expected-error @+2 {{input channels (3) / groups (1) must equal weight dimension 1 (2)}}
  // expected-error @+1 {{'mc.conv2d' op failed to infer returned types}}
  %0 = mc.conv2d %x, %w : (tensor<?x3x8x8xf32>, tensor<4x2x3x3xf32>) -> tensor<?x4x6x6xf32>
  return
}

// -----

// Each group produces the same number of filters.
func.func @conv2d_filters(%x: tensor<?x4x8x8xf32>, %w: tensor<3x2x1x1xf32>) {
  // expected-error @+2 {{filters (3) must be divisible by groups (2)}}
  // expected-error @+1 {{'mc.conv2d' op failed to infer returned types}}
  %0 = mc.conv2d %x, %w {groups = 2 : i64} : (tensor<?x4x8x8xf32>, tensor<3x2x1x1xf32>) -> tensor<?x3x8x8xf32>
  return
}

// -----

// The bias is [F].
func.func @conv2d_bias_shape(%x: tensor<?x3x8x8xf32>, %w: tensor<4x3x3x3xf32>, %b: tensor<3xf32>) {
  // expected-error @+2 {{bias must be 1-D of 4 elements}}
  // expected-error @+1 {{'mc.conv2d' op failed to infer returned types}}
  %0 = mc.conv2d %x, %w, %b : (tensor<?x3x8x8xf32>, tensor<4x3x3x3xf32>, tensor<3xf32>) -> tensor<?x4x6x6xf32>
  return
}

// -----

// Input and weight share one element type.
func.func @conv2d_element_types(%x: tensor<?x3x8x8xf16>, %w: tensor<4x3x3x3xf32>) {
  // expected-error @+2 {{input and weight element types differ}}
  // expected-error @+1 {{'mc.conv2d' op failed to infer returned types}}
  %0 = mc.conv2d %x, %w : (tensor<?x3x8x8xf16>, tensor<4x3x3x3xf32>) -> tensor<?x4x6x6xf16>
  return
}

// -----

// The bias has the input's element type.
func.func @conv2d_bias_element_type(%x: tensor<?x3x8x8xf32>, %w: tensor<4x3x3x3xf32>, %b: tensor<4xf16>) {
  // expected-error @+2 {{bias element type differs from input}}
  // expected-error @+1 {{'mc.conv2d' op failed to infer returned types}}
  %0 = mc.conv2d %x, %w, %b : (tensor<?x3x8x8xf32>, tensor<4x3x3x3xf32>, tensor<4xf16>) -> tensor<?x4x6x6xf32>
  return
}

// -----

// Convolutions take NCHW inputs.
func.func @conv2d_input_rank(%x: tensor<1x3x8xf32>, %w: tensor<4x3x3x3xf32>) {
  // expected-error @+2 {{input must be 4-D [N, C, H, W], got rank 3}}
  // expected-error @+1 {{'mc.conv2d' op failed to infer returned types}}
  %0 = mc.conv2d %x, %w : (tensor<1x3x8xf32>, tensor<4x3x3x3xf32>) -> tensor<1x4x6x6xf32>
  return
}

// -----

// strides and dilations have two entries, pads four.
func.func @conv2d_strides_length(%x: tensor<1x3x8x8xf32>, %w: tensor<4x3x3x3xf32>) {
  // expected-error @+2 {{expected 2 kernel sizes, 2 strides, 2 dilations and 4 pads}}
  // expected-error @+1 {{'mc.conv2d' op failed to infer returned types}}
  %0 = mc.conv2d %x, %w {strides = array<i64: 1, 1, 1>} : (tensor<1x3x8x8xf32>, tensor<4x3x3x3xf32>) -> tensor<1x4x6x6xf32>
  return
}

// -----

// Strides are positive.
func.func @conv2d_stride_zero(%x: tensor<1x3x8x8xf32>, %w: tensor<4x3x3x3xf32>) {
  // expected-error @+2 {{kernel sizes, strides and dilations must be positive}}
  // expected-error @+1 {{'mc.conv2d' op failed to infer returned types}}
  %0 = mc.conv2d %x, %w {strides = array<i64: 0, 1>} : (tensor<1x3x8x8xf32>, tensor<4x3x3x3xf32>) -> tensor<1x4x6x6xf32>
  return
}

// -----

// Pads are non-negative.
func.func @conv2d_negative_pad(%x: tensor<1x3x8x8xf32>, %w: tensor<4x3x3x3xf32>) {
  // expected-error @+2 {{pads must be non-negative}}
  // expected-error @+1 {{'mc.conv2d' op failed to infer returned types}}
  %0 = mc.conv2d %x, %w {pads = array<i64: -1, 0, 0, 0>} : (tensor<1x3x8x8xf32>, tensor<4x3x3x3xf32>) -> tensor<1x4x5x6xf32>
  return
}

// -----

// The (dilated) kernel fits in the padded input.
func.func @conv2d_window_too_large(%x: tensor<1x3x4x4xf32>, %w: tensor<4x3x3x3xf32>) {
  // expected-error @+2 {{window larger than the padded input}}
  // expected-error @+1 {{'mc.conv2d' op failed to infer returned types}}
  %0 = mc.conv2d %x, %w {dilations = array<i64: 2, 2>} : (tensor<1x3x4x4xf32>, tensor<4x3x3x3xf32>) -> tensor<1x4x1x1xf32>
  return
}

// -----

// The input of mc.qconv2d has a single zero point.
func.func @qconv2d_input_per_axis(%x: tensor<1x2x4x4x!quant.uniform<i8:f32:1, {0.5, 0.5}>>, %w: tensor<2x2x1x1x!quant.uniform<i8:f32, 0.5>>) {
  // expected-error @+2 {{input must be quantized per tensor}}
  // expected-error @+1 {{'mc.qconv2d' op failed to infer returned types}}
  %0 = mc.qconv2d %x, %w : (tensor<1x2x4x4x!quant.uniform<i8:f32:1, {0.5, 0.5}>>, tensor<2x2x1x1x!quant.uniform<i8:f32, 0.5>>) -> tensor<1x2x4x4xi32>
  return
}

// -----

// A per-axis weight is quantized per output channel (dimension 0).
func.func @qconv2d_weight_axis(%x: tensor<1x2x4x4x!quant.uniform<i8:f32, 0.5>>, %w: tensor<2x2x1x1x!quant.uniform<i8:f32:1, {0.5, 0.5}>>) {
  // expected-error @+2 {{per-axis weight must be quantized along dimension 0}}
  // expected-error @+1 {{'mc.qconv2d' op failed to infer returned types}}
  %0 = mc.qconv2d %x, %w : (tensor<1x2x4x4x!quant.uniform<i8:f32, 0.5>>, tensor<2x2x1x1x!quant.uniform<i8:f32:1, {0.5, 0.5}>>) -> tensor<1x2x4x4xi32>
  return
}

// -----

// A per-axis weight has one scale per output channel.
func.func @qconv2d_weight_scales(%x: tensor<1x2x4x4x!quant.uniform<i8:f32, 0.5>>, %w: tensor<4x2x1x1x!quant.uniform<i8:f32:0, {0.5, 0.5}>>) {
  // expected-error @+2 {{weight has 2 scales for dimension 0 of size 4}}
  // expected-error @+1 {{'mc.qconv2d' op failed to infer returned types}}
  %0 = mc.qconv2d %x, %w : (tensor<1x2x4x4x!quant.uniform<i8:f32, 0.5>>, tensor<4x2x1x1x!quant.uniform<i8:f32:0, {0.5, 0.5}>>) -> tensor<1x4x4x4xi32>
  return
}

// -----

// mc.qconv2d shares the shape rules of mc.conv2d.
func.func @qconv2d_bias_shape(%x: tensor<1x2x4x4x!quant.uniform<i8:f32, 0.5>>, %w: tensor<4x2x1x1x!quant.uniform<i8:f32, 0.5>>, %b: tensor<2xi32>) {
  // expected-error @+2 {{bias must be 1-D of 4 elements}}
  // expected-error @+1 {{'mc.qconv2d' op failed to infer returned types}}
  %0 = mc.qconv2d %x, %w, %b : (tensor<1x2x4x4x!quant.uniform<i8:f32, 0.5>>, tensor<4x2x1x1x!quant.uniform<i8:f32, 0.5>>, tensor<2xi32>) -> tensor<1x4x4x4xi32>
  return
}

// -----

//===----------------------------------------------------------------------===//
// Pooling
//===----------------------------------------------------------------------===//

// The pooling kernel has two entries.
func.func @max_pool2d_kernel_length(%x: tensor<1x3x8x8xf32>) {
  // expected-error @+2 {{expected 2 kernel sizes, 2 strides, 2 dilations and 4 pads}}
  // expected-error @+1 {{'mc.max_pool2d' op failed to infer returned types}}
  %0 = mc.max_pool2d %x {kernel = array<i64: 2, 2, 2>} : (tensor<1x3x8x8xf32>) -> tensor<1x3x7x7xf32>
  return
}

// -----

// Kernel sizes are positive.
func.func @max_pool2d_kernel_zero(%x: tensor<1x3x8x8xf32>) {
  // expected-error @+2 {{kernel sizes, strides and dilations must be positive}}
  // expected-error @+1 {{'mc.max_pool2d' op failed to infer returned types}}
  %0 = mc.max_pool2d %x {kernel = array<i64: 0, 2>} : (tensor<1x3x8x8xf32>) -> tensor<1x3x9x7xf32>
  return
}

// -----

// The window fits in the padded input.
func.func @max_pool2d_window_too_large(%x: tensor<1x3x2x2xf32>) {
  // expected-error @+2 {{window larger than the padded input}}
  // expected-error @+1 {{'mc.max_pool2d' op failed to infer returned types}}
  %0 = mc.max_pool2d %x {kernel = array<i64: 3, 3>} : (tensor<1x3x2x2xf32>) -> tensor<1x3x1x1xf32>
  return
}

// -----

// Pools take NCHW inputs.
func.func @avg_pool2d_input_rank(%x: tensor<3x8x8xf32>) {
  // expected-error @+2 {{input must be 4-D [N, C, H, W], got rank 3}}
  // expected-error @+1 {{'mc.avg_pool2d' op failed to infer returned types}}
  %0 = mc.avg_pool2d %x {kernel = array<i64: 2, 2>} : (tensor<3x8x8xf32>) -> tensor<3x7x7xf32>
  return
}

// -----

// Pads of mc.avg_pool2d are non-negative.
func.func @avg_pool2d_negative_pad(%x: tensor<1x3x8x8xf32>) {
  // expected-error @+2 {{pads must be non-negative}}
  // expected-error @+1 {{'mc.avg_pool2d' op failed to infer returned types}}
  %0 = mc.avg_pool2d %x {kernel = array<i64: 2, 2>, pads = array<i64: 0, 0, 0, -1>} : (tensor<1x3x8x8xf32>) -> tensor<1x3x7x6xf32>
  return
}

// -----

// mc.global_avg_pool2d takes NCHW inputs.
func.func @global_avg_pool2d_input_rank(%x: tensor<1x3x8xf32>) {
  // expected-error @+2 {{input must be 4-D [N, C, H, W], got rank 3}}
  // expected-error @+1 {{'mc.global_avg_pool2d' op failed to infer returned types}}
  %0 = mc.global_avg_pool2d %x : (tensor<1x3x8xf32>) -> tensor<1x3x1x1xf32>
  return
}

// -----

//===----------------------------------------------------------------------===//
// Normalization and softmax
//===----------------------------------------------------------------------===//

// Batch norm needs a channel axis (axis 1).
func.func @batch_norm_rank(%x: tensor<8xf32>, %p: tensor<8xf32>) {
  // expected-error @+1 {{'mc.batch_norm' op input must have a channel dimension (rank >= 2)}}
  %0 = mc.batch_norm %x, %p, %p, %p, %p : tensor<8xf32>, tensor<8xf32>, tensor<8xf32>, tensor<8xf32>, tensor<8xf32>
  return
}

// -----

// The four parameters are [C] of the input's element type.
func.func @batch_norm_param_shape(%x: tensor<?x8x4x4xf32>, %p: tensor<8xf32>, %m: tensor<4xf32>) {
  // expected-error @+1 {{'mc.batch_norm' op scale, bias, mean and var must be 1-D tensors of 8 'f32' elements}}
  %0 = mc.batch_norm %x, %p, %p, %m, %p : tensor<?x8x4x4xf32>, tensor<8xf32>, tensor<8xf32>, tensor<4xf32>, tensor<8xf32>
  return
}

// -----

// Parameters of another element type are rejected the same way.
func.func @batch_norm_param_element_type(%x: tensor<?x8xf32>, %p: tensor<8xf32>, %h: tensor<8xf16>) {
  // expected-error @+1 {{'mc.batch_norm' op scale, bias, mean and var must be 1-D tensors of 8 'f32' elements}}
  %0 = mc.batch_norm %x, %h, %p, %p, %p : tensor<?x8xf32>, tensor<8xf16>, tensor<8xf32>, tensor<8xf32>, tensor<8xf32>
  return
}

// -----

// epsilon is non-negative.
func.func @batch_norm_epsilon(%x: tensor<?x8xf32>, %p: tensor<8xf32>) {
  // expected-error @+1 {{'mc.batch_norm' op epsilon must be non-negative}}
  %0 = mc.batch_norm %x, %p, %p, %p, %p {epsilon = -1.0e-5 : f32} : tensor<?x8xf32>, tensor<8xf32>, tensor<8xf32>, tensor<8xf32>, tensor<8xf32>
  return
}

// -----

// The layer norm axis is in [-rank, rank).
func.func @layer_norm_axis(%x: tensor<?x16x32xf32>, %g: tensor<32xf32>) {
  // expected-error @+1 {{'mc.layer_norm' op axis 3 out of range for rank 3}}
  %0 = mc.layer_norm %x, %g {axis = 3 : i64} : tensor<?x16x32xf32>, tensor<32xf32>
  return
}

// -----

// scale has exactly the normalized shape (dimensions from axis on).
func.func @layer_norm_scale_shape(%x: tensor<?x16x32xf32>, %g: tensor<32xf32>) {
  // expected-error @+1 {{'mc.layer_norm' op scale and bias must have the normalized shape of the input (dimensions from axis on)}}
  %0 = mc.layer_norm %x, %g {axis = -2 : i64} : tensor<?x16x32xf32>, tensor<32xf32>
  return
}

// -----

// bias, when present, has the normalized shape too.
func.func @layer_norm_bias_shape(%x: tensor<?x16x32xf32>, %g: tensor<32xf32>, %b: tensor<16xf32>) {
  // expected-error @+1 {{'mc.layer_norm' op scale and bias must have the normalized shape of the input (dimensions from axis on)}}
  %0 = mc.layer_norm %x, %g, %b : tensor<?x16x32xf32>, tensor<32xf32>, tensor<16xf32>
  return
}

// -----

// epsilon is non-negative.
func.func @layer_norm_epsilon(%x: tensor<?x16x32xf32>, %g: tensor<32xf32>) {
  // expected-error @+1 {{'mc.layer_norm' op epsilon must be non-negative}}
  %0 = mc.layer_norm %x, %g {epsilon = -1.0 : f32} : tensor<?x16x32xf32>, tensor<32xf32>
  return
}

// -----

// The softmax axis is in [-rank, rank).
func.func @softmax_axis(%x: tensor<?x10xf32>) {
  // expected-error @+1 {{'mc.softmax' op axis -3 out of range for rank 2}}
  %0 = mc.softmax %x {axis = -3 : i64} : tensor<?x10xf32>
  return
}

// -----

//===----------------------------------------------------------------------===//
// Reductions
//===----------------------------------------------------------------------===//

// A reduction names at least one axis ...
func.func @reduce_mean_no_axes(%x: tensor<?x10xf32>) {
  // expected-error @+2 {{axes must name at least one dimension}}
  // expected-error @+1 {{'mc.reduce_mean' op failed to infer returned types}}
  %0 = mc.reduce_mean %x {axes = array<i64>} : (tensor<?x10xf32>) -> tensor<?x10xf32>
  return
}

// -----

// ... each in [-rank, rank) ...
func.func @reduce_mean_axis_range(%x: tensor<?x10xf32>) {
  // expected-error @+2 {{axis 2 out of range or repeated}}
  // expected-error @+1 {{'mc.reduce_mean' op failed to infer returned types}}
  %0 = mc.reduce_mean %x {axes = array<i64: 2>} : (tensor<?x10xf32>) -> tensor<?x1xf32>
  return
}

// -----

// ... and only once.
func.func @reduce_mean_axis_repeated(%x: tensor<?x10xf32>) {
  // expected-error @+2 {{axis -1 out of range or repeated}}
  // expected-error @+1 {{'mc.reduce_mean' op failed to infer returned types}}
  %0 = mc.reduce_mean %x {axes = array<i64: 1, -1>} : (tensor<?x10xf32>) -> tensor<?x1xf32>
  return
}

// -----

// The result type is the inferred one (keepdims keeps size-1 dimensions).
func.func @reduce_mean_result_type(%x: tensor<?x10xf32>) {
  // expected-error @+2 {{'mc.reduce_mean' op inferred type(s) 'tensor<?x1xf32>' are incompatible with return type(s) of operation 'tensor<?xf32>'}}
  // expected-error @+1 {{'mc.reduce_mean' op failed to infer returned types}}
  %0 = mc.reduce_mean %x {axes = array<i64: 1>} : (tensor<?x10xf32>) -> tensor<?xf32>
  return
}

// -----

// Only float tensors are averaged.
func.func @reduce_mean_int(%x: tensor<4xi32>) {
  // expected-error @+1 {{'mc.reduce_mean' op operand #0 must be ranked tensor of 16-bit float or bfloat16 type or 32-bit float or 64-bit float values, but got 'tensor<4xi32>'}}
  %0 = mc.reduce_mean %x {axes = array<i64: 0>} : (tensor<4xi32>) -> tensor<1xi32>
  return
}

// -----

//===----------------------------------------------------------------------===//
// Elementwise ops
//===----------------------------------------------------------------------===//

// Binary operands have one element type (no implicit promotion).
func.func @add_element_types(%a: tensor<4xf32>, %b: tensor<4xf16>) {
  // expected-error @+2 {{operand element types differ: 'f32' vs 'f16'}}
  // expected-error @+1 {{'mc.add' op failed to infer returned types}}
  %0 = mc.add %a, %b : (tensor<4xf32>, tensor<4xf16>) -> tensor<4xf32>
  return
}

// -----

// Static sizes other than 1 must agree.
func.func @sub_broadcast(%a: tensor<2x3xf32>, %b: tensor<4xf32>) {
  // expected-error @+2 {{shapes do not broadcast}}
  // expected-error @+1 {{'mc.sub' op failed to infer returned types}}
  %0 = mc.sub %a, %b : (tensor<2x3xf32>, tensor<4xf32>) -> tensor<2x4xf32>
  return
}

// -----

// A dynamic dimension broadcasts only against 1 or another dynamic dimension.
func.func @mul_broadcast_dynamic(%a: tensor<?x4xf32>, %b: tensor<3x4xf32>) {
  // expected-error @+2 {{shapes do not broadcast}}
  // expected-error @+1 {{'mc.mul' op failed to infer returned types}}
  %0 = mc.mul %a, %b : (tensor<?x4xf32>, tensor<3x4xf32>) -> tensor<3x4xf32>
  return
}

// -----

// The broadcast result type is the inferred one.
func.func @div_result_type(%a: tensor<3x1xi64>, %b: tensor<4xi64>) {
  // expected-error @+2 {{'mc.div' op inferred type(s) 'tensor<3x4xi64>' are incompatible with return type(s) of operation 'tensor<3x1xi64>'}}
  // expected-error @+1 {{'mc.div' op failed to infer returned types}}
  %0 = mc.div %a, %b : (tensor<3x1xi64>, tensor<4xi64>) -> tensor<3x1xi64>
  return
}

// -----

// mc.pow follows the same rule.
func.func @pow_element_types(%a: tensor<4xf32>, %b: tensor<4xi32>) {
  // expected-error @+2 {{operand element types differ: 'f32' vs 'i32'}}
  // expected-error @+1 {{'mc.pow' op failed to infer returned types}}
  %0 = mc.pow %a, %b : (tensor<4xf32>, tensor<4xi32>) -> tensor<4xf32>
  return
}

// -----

// gelu's approximate is "none" or "tanh".
func.func @gelu_approximate(%x: tensor<4xf32>) {
  // expected-error @+1 {{'mc.gelu' op approximate must be "none" or "tanh", got "fast"}}
  %0 = mc.gelu %x {approximate = "fast"} : tensor<4xf32>
  return
}

// -----

// clip's bounds are ordered.
func.func @clip_bounds(%x: tensor<4xf32>) {
  // expected-error @+1 {{'mc.clip' op min (6.000000e+00) is greater than max (0.000000e+00)}}
  %0 = mc.clip %x {min = 6.0 : f64, max = 0.0 : f64} : tensor<4xf32>
  return
}

// -----

//===----------------------------------------------------------------------===//
// Shape manipulation
//===----------------------------------------------------------------------===//

// mc.reshape keeps the element type.
func.func @reshape_element_type(%x: tensor<2x3xf32>) {
  // expected-error @+1 {{'mc.reshape' op element type changes from 'f32' to 'i32'}}
  %0 = mc.reshape %x : tensor<2x3xf32> -> tensor<6xi32>
  return
}

// -----

// Quantization parameters are part of the element type and cannot change
// either.
func.func @reshape_quant_params(%x: tensor<2x3x!quant.uniform<i8:f32, 0.5>>) {
  // expected-error @+1 {{'mc.reshape' op element type changes from '!quant.uniform<i8:f32, 5.000000e-01>' to '!quant.uniform<i8:f32, 2.500000e-01>'}}
  %0 = mc.reshape %x : tensor<2x3x!quant.uniform<i8:f32, 0.5>> -> tensor<6x!quant.uniform<i8:f32, 0.25>>
  return
}

// -----

// At most one result dimension is dynamic.
func.func @reshape_two_dynamic(%x: tensor<?x4xf32>) {
  // expected-error @+1 {{'mc.reshape' op result may have at most one dynamic dimension}}
  %0 = mc.reshape %x : tensor<?x4xf32> -> tensor<?x2x?xf32>
  return
}

// -----

// Static shapes keep the element count.
func.func @reshape_count(%x: tensor<2x3xf32>) {
  // expected-error @+1 {{'mc.reshape' op element count changes from 6 to 8}}
  %0 = mc.reshape %x : tensor<2x3xf32> -> tensor<2x4xf32>
  return
}

// -----

// The static result dimensions divide a static input's element count.
func.func @reshape_divide(%x: tensor<2x3xf32>) {
  // expected-error @+1 {{'mc.reshape' op static result dimensions do not divide the input's 6 elements}}
  %0 = mc.reshape %x : tensor<2x3xf32> -> tensor<?x4xf32>
  return
}

// -----

// A dynamic input cannot become a fully static result.
func.func @reshape_dynamic_to_static(%x: tensor<?x4xf32>) {
  // expected-error @+1 {{'mc.reshape' op a dynamic input needs a dynamic result dimension}}
  %0 = mc.reshape %x : tensor<?x4xf32> -> tensor<8xf32>
  return
}

// -----

// The flatten axis is in [-rank, rank].
func.func @flatten_axis(%x: tensor<2x3x4xf32>) {
  // expected-error @+2 {{axis 4 out of range for rank 3}}
  // expected-error @+1 {{'mc.flatten' op failed to infer returned types}}
  %0 = mc.flatten %x {axis = 4 : i64} : (tensor<2x3x4xf32>) -> tensor<24x1xf32>
  return
}

// -----

// perm has one entry per input dimension.
func.func @transpose_perm_length(%x: tensor<2x3xf32>) {
  // expected-error @+2 {{perm has 3 entries for an input of rank 2}}
  // expected-error @+1 {{'mc.transpose' op failed to infer returned types}}
  %0 = mc.transpose %x {perm = array<i64: 1, 0, 2>} : (tensor<2x3xf32>) -> tensor<3x2xf32>
  return
}

// -----

// perm is a permutation.
func.func @transpose_perm_repeated(%x: tensor<2x3xf32>) {
  // expected-error @+2 {{perm is not a permutation of [0, 2)}}
  // expected-error @+1 {{'mc.transpose' op failed to infer returned types}}
  %0 = mc.transpose %x {perm = array<i64: 1, 1>} : (tensor<2x3xf32>) -> tensor<3x3xf32>
  return
}

// -----

// perm entries are in [0, rank).
func.func @transpose_perm_range(%x: tensor<2x3xf32>) {
  // expected-error @+2 {{perm is not a permutation of [0, 2)}}
  // expected-error @+1 {{'mc.transpose' op failed to infer returned types}}
  %0 = mc.transpose %x {perm = array<i64: -1, 0>} : (tensor<2x3xf32>) -> tensor<3x2xf32>
  return
}

// -----

// mc.concat needs an input.
func.func @concat_no_inputs() {
  // expected-error @+2 {{needs at least one input}}
  // expected-error @+1 {{'mc.concat' op failed to infer returned types}}
  %0 = mc.concat {axis = 0 : i64} : () -> tensor<0xf32>
  return
}

// -----

// The concat axis is in [-rank, rank).
func.func @concat_axis(%a: tensor<2x3xf32>) {
  // expected-error @+2 {{axis 2 out of range for rank 2}}
  // expected-error @+1 {{'mc.concat' op failed to infer returned types}}
  %0 = mc.concat %a, %a {axis = 2 : i64} : (tensor<2x3xf32>, tensor<2x3xf32>) -> tensor<2x6xf32>
  return
}

// -----

// Inputs have one rank ...
func.func @concat_rank(%a: tensor<2x3xf32>, %b: tensor<3xf32>) {
  // expected-error @+2 {{inputs must have the same rank and element type}}
  // expected-error @+1 {{'mc.concat' op failed to infer returned types}}
  %0 = mc.concat %a, %b {axis = 0 : i64} : (tensor<2x3xf32>, tensor<3xf32>) -> tensor<3x3xf32>
  return
}

// -----

// ... and one element type.
func.func @concat_element_type(%a: tensor<2xi64>, %b: tensor<2xi32>) {
  // expected-error @+2 {{inputs must have the same rank and element type}}
  // expected-error @+1 {{'mc.concat' op failed to infer returned types}}
  %0 = mc.concat %a, %b {axis = 0 : i64} : (tensor<2xi64>, tensor<2xi32>) -> tensor<4xi64>
  return
}

// -----

// Sizes agree except along the concatenation axis.
func.func @concat_dims(%a: tensor<2x3xf32>, %b: tensor<2x4xf32>) {
  // expected-error @+2 {{inputs differ in dimension 1 (not the concatenation axis)}}
  // expected-error @+1 {{'mc.concat' op failed to infer returned types}}
  %0 = mc.concat %a, %b {axis = 0 : i64} : (tensor<2x3xf32>, tensor<2x4xf32>) -> tensor<4x3xf32>
  return
}

// -----

// axes, starts, sizes and steps are parallel arrays.
func.func @slice_lengths(%x: tensor<4x6xf32>) {
  // expected-error @+2 {{axes, starts, sizes and steps must have equal length}}
  // expected-error @+1 {{'mc.slice' op failed to infer returned types}}
  %0 = mc.slice %x {axes = array<i64: 0, 1>, starts = array<i64: 0>, sizes = array<i64: 2>, steps = array<i64: 1>} : (tensor<4x6xf32>) -> tensor<2x6xf32>
  return
}

// -----

// Slice axes are in [-rank, rank).
func.func @slice_axis_range(%x: tensor<4x6xf32>) {
  // expected-error @+2 {{axis 2 out of range or repeated}}
  // expected-error @+1 {{'mc.slice' op failed to infer returned types}}
  %0 = mc.slice %x {axes = array<i64: 2>, starts = array<i64: 0>, sizes = array<i64: 2>, steps = array<i64: 1>} : (tensor<4x6xf32>) -> tensor<4x6xf32>
  return
}

// -----

// An axis is listed once (-1 and 1 are the same axis of a 2-D input).
func.func @slice_axis_repeated(%x: tensor<4x6xf32>) {
  // expected-error @+2 {{axis -1 out of range or repeated}}
  // expected-error @+1 {{'mc.slice' op failed to infer returned types}}
  %0 = mc.slice %x {axes = array<i64: 1, -1>, starts = array<i64: 0, 0>, sizes = array<i64: 2, 2>, steps = array<i64: 1, 1>} : (tensor<4x6xf32>) -> tensor<4x2xf32>
  return
}

// -----

// Steps are non-zero.
func.func @slice_step_zero(%x: tensor<4x6xf32>) {
  // expected-error @+2 {{steps must be non-zero}}
  // expected-error @+1 {{'mc.slice' op failed to infer returned types}}
  %0 = mc.slice %x {axes = array<i64: 0>, starts = array<i64: 0>, sizes = array<i64: 2>, steps = array<i64: 0>} : (tensor<4x6xf32>) -> tensor<2x6xf32>
  return
}

// -----

// Sizes are non-negative.
func.func @slice_size_negative(%x: tensor<4x6xf32>) {
  // expected-error @+2 {{sizes must be non-negative}}
  // expected-error @+1 {{'mc.slice' op failed to infer returned types}}
  %0 = mc.slice %x {axes = array<i64: 0>, starts = array<i64: 0>, sizes = array<i64: -1>, steps = array<i64: 1>} : (tensor<4x6xf32>) -> tensor<4x6xf32>
  return
}

// -----

// A dynamic dimension cannot be sliced (the slice cannot be checked).
func.func @slice_dynamic(%x: tensor<?x6xf32>) {
  // expected-error @+2 {{cannot slice dynamic dimension 0}}
  // expected-error @+1 {{'mc.slice' op failed to infer returned types}}
  %0 = mc.slice %x {axes = array<i64: 0>, starts = array<i64: 0>, sizes = array<i64: 1>, steps = array<i64: 1>} : (tensor<?x6xf32>) -> tensor<1x6xf32>
  return
}

// -----

// Every selected index is inside the dimension: the last index of
// start 2, size 3, step 2 is 6.
func.func @slice_out_of_bounds(%x: tensor<4x6xf32>) {
  // expected-error @+2 {{slice along axis 1 leaves the dimension of size 6}}
  // expected-error @+1 {{'mc.slice' op failed to infer returned types}}
  %0 = mc.slice %x {axes = array<i64: 1>, starts = array<i64: 2>, sizes = array<i64: 3>, steps = array<i64: 2>} : (tensor<4x6xf32>) -> tensor<4x3xf32>
  return
}

// -----

// Negative starts are not normalized by mc.slice (the importer does that).
func.func @slice_negative_start(%x: tensor<4x6xf32>) {
  // expected-error @+2 {{slice along axis 0 leaves the dimension of size 4}}
  // expected-error @+1 {{'mc.slice' op failed to infer returned types}}
  %0 = mc.slice %x {axes = array<i64: 0>, starts = array<i64: -1>, sizes = array<i64: 1>, steps = array<i64: 1>} : (tensor<4x6xf32>) -> tensor<1x6xf32>
  return
}

// -----

// The gather axis is in [-rank, rank).
func.func @gather_axis(%t: tensor<10x4xf32>, %i: tensor<3xi64>) {
  // expected-error @+2 {{axis -3 out of range for rank 2}}
  // expected-error @+1 {{'mc.gather' op failed to infer returned types}}
  %0 = mc.gather %t, %i {axis = -3 : i64} : (tensor<10x4xf32>, tensor<3xi64>) -> tensor<3x4xf32>
  return
}

// -----

// Squeeze axes are in range ...
func.func @squeeze_axis_range(%x: tensor<2x1xf32>) {
  // expected-error @+2 {{axis 2 out of range or repeated}}
  // expected-error @+1 {{'mc.squeeze' op failed to infer returned types}}
  %0 = mc.squeeze %x {axes = array<i64: 2>} : (tensor<2x1xf32>) -> tensor<2xf32>
  return
}

// -----

// ... and not repeated.
func.func @squeeze_axis_repeated(%x: tensor<2x1xf32>) {
  // expected-error @+2 {{axis -1 out of range or repeated}}
  // expected-error @+1 {{'mc.squeeze' op failed to infer returned types}}
  %0 = mc.squeeze %x {axes = array<i64: 1, -1>} : (tensor<2x1xf32>) -> tensor<2xf32>
  return
}

// -----

// Only static size-1 dimensions are squeezed (a dynamic one might not be 1).
func.func @squeeze_not_one(%x: tensor<?x1xf32>) {
  // expected-error @+2 {{cannot squeeze dimension 0 which is not of static size 1}}
  // expected-error @+1 {{'mc.squeeze' op failed to infer returned types}}
  %0 = mc.squeeze %x {axes = array<i64: 0>} : (tensor<?x1xf32>) -> tensor<1xf32>
  return
}

// -----

// Unsqueeze axes are in [-rank, rank) of the result.
func.func @unsqueeze_axis_range(%x: tensor<2x3xf32>) {
  // expected-error @+2 {{axis 3 out of range or repeated}}
  // expected-error @+1 {{'mc.unsqueeze' op failed to infer returned types}}
  %0 = mc.unsqueeze %x {axes = array<i64: 3>} : (tensor<2x3xf32>) -> tensor<2x3x1xf32>
  return
}

// -----

// Unsqueeze axes are not repeated (-4 and 0 are the same axis of the 4-D
// result).
func.func @unsqueeze_axis_repeated(%x: tensor<2x3xf32>) {
  // expected-error @+2 {{axis -4 out of range or repeated}}
  // expected-error @+1 {{'mc.unsqueeze' op failed to infer returned types}}
  %0 = mc.unsqueeze %x {axes = array<i64: 0, -4>} : (tensor<2x3xf32>) -> tensor<1x1x2x3xf32>
  return
}

// -----

//===----------------------------------------------------------------------===//
// Quantization
//===----------------------------------------------------------------------===//

// The quantized type expresses the input's float type.
func.func @quantize_expressed_type(%x: tensor<4xf16>) {
  // expected-error @+1 {{'mc.quantize' op result expresses 'f32' but the input holds 'f16'}}
  %0 = mc.quantize %x : tensor<4xf16> -> tensor<4x!quant.uniform<i8:f32, 0.5>>
  return
}

// -----

// A per-axis quantized dimension exists in the tensor.
func.func @quantize_axis_range(%x: tensor<2x3xf32>) {
  // expected-error @+1 {{'mc.quantize' op result quantized along axis 2 but has rank 2}}
  %0 = mc.quantize %x : tensor<2x3xf32> -> tensor<2x3x!quant.uniform<i8:f32:2, {0.5, 0.5}>>
  return
}

// -----

// A per-axis type has one scale per entry of its dimension.
func.func @quantize_scale_count(%x: tensor<2x3xf32>) {
  // expected-error @+1 {{'mc.quantize' op result has 2 scales for dimension 1 of size 3}}
  %0 = mc.quantize %x : tensor<2x3xf32> -> tensor<2x3x!quant.uniform<i8:f32:1, {0.5, 0.5}>>
  return
}

// -----

// Only !quant.uniform types are accepted (no scale or zero point in
// !quant.any).
func.func @quantize_any_type(%x: tensor<4xf32>) {
  // expected-error @+1 {{'mc.quantize' op result #0 must be ranked tensor of per-tensor or per-axis !quant.uniform type values, but got 'tensor<4x!quant.any<i8:f32>>'}}
  %0 = mc.quantize %x : tensor<4xf32> -> tensor<4x!quant.any<i8:f32>>
  return
}

// -----

// The result of dequantize is the expressed type.
func.func @dequantize_expressed_type(%q: tensor<4x!quant.uniform<i8:f32, 0.5>>) {
  // expected-error @+1 {{'mc.dequantize' op input expresses 'f32' but the result holds 'f16'}}
  %0 = mc.dequantize %q : tensor<4x!quant.uniform<i8:f32, 0.5>> -> tensor<4xf16>
  return
}

// -----

// A per-axis input has one scale per entry of its dimension.
func.func @dequantize_scale_count(%q: tensor<3x2x!quant.uniform<i8:f32:0, {0.5, 0.5}>>) {
  // expected-error @+1 {{'mc.dequantize' op input has 2 scales for dimension 0 of size 3}}
  %0 = mc.dequantize %q : tensor<3x2x!quant.uniform<i8:f32:0, {0.5, 0.5}>> -> tensor<3x2xf32>
  return
}

// -----

// storage_cast converts between quantized and integer, not quantized to
// quantized ...
func.func @storage_cast_both_quantized(%q: tensor<4x!quant.uniform<i8:f32, 0.5>>) {
  // expected-error @+1 {{'mc.storage_cast' op exactly one of input and result must be quantized}}
  %0 = mc.storage_cast %q : tensor<4x!quant.uniform<i8:f32, 0.5>> -> tensor<4x!quant.uniform<i8:f32, 0.25>>
  return
}

// -----

// ... nor integer to integer.
func.func @storage_cast_neither_quantized(%x: tensor<4xi8>) {
  // expected-error @+1 {{'mc.storage_cast' op exactly one of input and result must be quantized}}
  %0 = mc.storage_cast %x : tensor<4xi8> -> tensor<4xui8>
  return
}

// -----

// The non-quantized side is an integer type (float would need mc.quantize).
func.func @storage_cast_float(%x: tensor<4xf32>) {
  // expected-error @+1 {{'mc.storage_cast' op the other side must be an integer type}}
  %0 = mc.storage_cast %x : tensor<4xf32> -> tensor<4x!quant.uniform<i8:f32, 0.5>>
  return
}

// -----

// Signedness must match the storage type: u8 is stored in ui8, not i8.
func.func @storage_cast_signedness(%x: tensor<4xi8>) {
  // expected-error @+1 {{'mc.storage_cast' op integer type 'i8' does not match the storage type of '!quant.uniform<u8:f32, 5.000000e-01>'}}
  %0 = mc.storage_cast %x : tensor<4xi8> -> tensor<4x!quant.uniform<u8:f32, 0.5>>
  return
}

// -----

// Width must match the storage type.
func.func @storage_cast_width(%q: tensor<4x!quant.uniform<i8:f32, 0.5>>) {
  // expected-error @+1 {{'mc.storage_cast' op integer type 'i32' does not match the storage type of '!quant.uniform<i8:f32, 5.000000e-01>'}}
  %0 = mc.storage_cast %q : tensor<4x!quant.uniform<i8:f32, 0.5>> -> tensor<4xi32>
  return
}

// -----

// A per-axis quantized input has one scale per entry of its dimension.
func.func @storage_cast_scale_count(%q: tensor<4x!quant.uniform<i8:f32:0, {0.5, 0.5}>>) {
  // expected-error @+1 {{'mc.storage_cast' op input has 2 scales for dimension 0 of size 4}}
  %0 = mc.storage_cast %q : tensor<4x!quant.uniform<i8:f32:0, {0.5, 0.5}>> -> tensor<4xi8>
  return
}

// -----

// !quant.calibrated has no integer storage type; it used to crash the
// storage_cast verifier and is now rejected by the type constraint.
func.func @storage_cast_calibrated(%x: tensor<4xi8>) {
  // expected-error @+1 {{'mc.storage_cast' op result #0 must be ranked tensor of}}
  %0 = mc.storage_cast %x : tensor<4xi8> -> tensor<4x!quant.calibrated<f32<-1.0:1.0>>>
  return
}

// -----

// mc.requantize needs one of its two forms ...
func.func @requantize_no_scale(%acc: tensor<4xi32>) {
  // expected-error @+1 {{'mc.requantize' op needs either `scale` or both `multiplier` and `shift`}}
  %0 = mc.requantize %acc : tensor<4xi32> -> tensor<4x!quant.uniform<i8:f32, 0.5>>
  return
}

// -----

// ... and not both.
func.func @requantize_both_forms(%acc: tensor<4xi32>) {
  // expected-error @+1 {{'mc.requantize' op needs either `scale` or both `multiplier` and `shift`}}
  %0 = mc.requantize %acc {scale = array<f64: 0.5>, multiplier = array<i32: 1073741824>, shift = array<i8: 31>} : tensor<4xi32> -> tensor<4x!quant.uniform<i8:f32, 0.5>>
  return
}

// -----

// A multiplier without a shift is incomplete.
func.func @requantize_multiplier_only(%acc: tensor<4xi32>) {
  // expected-error @+1 {{'mc.requantize' op `multiplier` and `shift` go together}}
  %0 = mc.requantize %acc {multiplier = array<i32: 1073741824>} : tensor<4xi32> -> tensor<4x!quant.uniform<i8:f32, 0.5>>
  return
}

// -----

// One shift per multiplier.
func.func @requantize_shift_count(%acc: tensor<2x4xi32>) {
  // expected-error @+1 {{'mc.requantize' op has 2 multipliers but 1 shifts}}
  %0 = mc.requantize %acc {axis = 0 : i64, multiplier = array<i32: 1073741824, 1073741824>, shift = array<i8: 31>} : tensor<2x4xi32> -> tensor<2x4x!quant.uniform<i8:f32, 0.5>>
  return
}

// -----

// The channel axis is in [0, rank).
func.func @requantize_axis(%acc: tensor<2x4xi32>) {
  // expected-error @+1 {{'mc.requantize' op axis 2 out of range for rank 2}}
  %0 = mc.requantize %acc {axis = 2 : i64, scale = array<f64: 0.5, 0.5>} : tensor<2x4xi32> -> tensor<2x4x!quant.uniform<i8:f32, 0.5>>
  return
}

// -----

// The channel axis is not negative (printed as a signed number).
func.func @requantize_negative_axis(%acc: tensor<2x4xi32>) {
  // expected-error @+1 {{'mc.requantize' op axis -1 out of range for rank 2}}
  %0 = mc.requantize %acc {axis = -1 : i64, scale = array<f64: 0.5, 0.5, 0.5, 0.5>} : tensor<2x4xi32> -> tensor<2x4x!quant.uniform<i8:f32, 0.5>>
  return
}

// -----

// One scale per channel of the axis.
func.func @requantize_channel_count(%acc: tensor<?x2x4xi32>) {
  // expected-error @+1 {{'mc.requantize' op has 3 scales for dimension 1 of size 2}}
  %0 = mc.requantize %acc {axis = 1 : i64, scale = array<f64: 0.5, 0.5, 0.5>} : tensor<?x2x4xi32> -> tensor<?x2x4x!quant.uniform<i8:f32, 0.5>>
  return
}

// -----

// Without an axis there is exactly one scale.
func.func @requantize_per_tensor_count(%acc: tensor<4xi32>) {
  // expected-error @+1 {{'mc.requantize' op per-tensor requantization needs exactly one scale, got 2}}
  %0 = mc.requantize %acc {multiplier = array<i32: 1073741824, 1073741824>, shift = array<i8: 31, 31>} : tensor<4xi32> -> tensor<4x!quant.uniform<i8:f32, 0.5>>
  return
}

// -----

// Scales are positive (zero is rejected).
func.func @requantize_scale_zero(%acc: tensor<4xi32>) {
  // expected-error @+1 {{'mc.requantize' op scales must be positive}}
  %0 = mc.requantize %acc {scale = array<f64: 0.0>} : tensor<4xi32> -> tensor<4x!quant.uniform<i8:f32, 0.5>>
  return
}

// -----

// Multipliers are normalized to [2^30, 2^31).
func.func @requantize_multiplier_range(%acc: tensor<4xi32>) {
  // expected-error @+1 {{'mc.requantize' op multiplier 1073741823 is not normalized to [2^30, 2^31)}}
  %0 = mc.requantize %acc {multiplier = array<i32: 1073741823>, shift = array<i8: 31>} : tensor<4xi32> -> tensor<4x!quant.uniform<i8:f32, 0.5>>
  return
}

// -----

// Shifts are in [-31, 63].
func.func @requantize_shift_range(%acc: tensor<4xi32>) {
  // expected-error @+1 {{'mc.requantize' op shift 64 out of range [-31, 63]}}
  %0 = mc.requantize %acc {multiplier = array<i32: 1073741824>, shift = array<i8: 64>} : tensor<4xi32> -> tensor<4x!quant.uniform<i8:f32, 0.5>>
  return
}

// -----

// The output has a single zero point.
func.func @requantize_result_per_axis(%acc: tensor<2x4xi32>) {
  // expected-error @+1 {{'mc.requantize' op result must be quantized per tensor}}
  %0 = mc.requantize %acc {axis = 0 : i64, scale = array<f64: 0.5, 0.25>} : tensor<2x4xi32> -> tensor<2x4x!quant.uniform<i8:f32:0, {0.5, 0.5}>>
  return
}
