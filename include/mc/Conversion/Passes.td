//===- Passes.td - mc conversion passes --------------------*- tablegen -*-===//
//
// Part of the mc project: an MLIR compiler for compressed neural networks.
//
//===----------------------------------------------------------------------===//
//
// Every pass that converts mc ops to other dialects (or other dialects to mc).
// One banner per conversion, alphabetical within a banner.
//
//===----------------------------------------------------------------------===//

#ifndef MC_CONVERSION_PASSES_TD
#define MC_CONVERSION_PASSES_TD

include "mlir/Pass/PassBase.td"

//===----------------------------------------------------------------------===//
// MCToLinalg
//===----------------------------------------------------------------------===//

def ConvertMCToLinalgPass : Pass<"convert-mc-to-linalg", "func::FuncOp"> {
  let summary = "Lower float mc ops to linalg, tensor, arith and math";
  let description = [{
    Rewrites every float (and shape) op of the mc dialect into upstream
    dialects on tensors, ready for linalg fusion, tiling and bufferization:

    - `mc.linear`, `mc.matmul` -> `linalg.matmul` / `linalg.batch_matmul`
      (batch dimensions collapsed or broadcast with `linalg.broadcast`);
    - `mc.conv2d` -> `tensor.pad` + `linalg.conv_2d_nchw_fchw`,
      `linalg.depthwise_conv_2d_nchw_chw` or `linalg.conv_2d_ngchw_gfchw`;
    - pools -> `linalg.pooling_nchw_max` / `linalg.pooling_nchw_sum` (padding
      with -inf for max, exact per-window divisors for average);
    - normalizations, softmax, elementwise ops and activations ->
      `linalg.generic` / `linalg.reduce` with `arith` and `math` bodies;
    - shape ops -> `tensor.collapse_shape`, `tensor.expand_shape`,
      `tensor.extract_slice`, `tensor.concat`, `linalg.transpose`;
    - `mc.constant` -> `arith.constant` with the same attribute
      (`dense_resource` blobs stay resources).

    Dynamic dimensions (the batch) are carried with `tensor.dim` and sized
    `tensor.empty` ops.

    Quantized values become their integer storage: a tensor of
    `!quant.uniform<i8:...>` or `<u8:...>` elements, and a `ui8` tensor at a
    function boundary, becomes a tensor of signless `i8` with the same bits
    (function, call and return types change accordingly). Signedness comes
    from the quantized types (`arith.extsi` vs `arith.extui`):

    - `mc.quantize` / `mc.dequantize` -> `linalg.generic` (round half to
      even, add the zero point, saturate; `(q - zp) * scale`), per tensor or
      with per-axis parameter tensors;
    - `mc.qlinear`, `mc.qconv2d` (groups, depthwise, strides, pads padded
      with the input zero point, dilations), `mc.qmatmul` (broadcast batch)
      -> one `linalg.generic` each that widens to `i32`, subtracts non-zero
      zero points and accumulates from the `i32` bias;
    - `mc.storage_cast` disappears; quantized `mc.max_pool2d` compares the
      stored integers; shape ops and `mc.constant` work on the storage;
    - `mc.requantize` in its integer form (after `mc-fixed-point`) ->
      `linalg.generic` of `arith` integer ops (64-bit product, rounding
      shift, saturation; docs/Rationale/Requantization.md), producing the
      storage integer type of its quantized result; a `mc.requantize` that
      still has float `scale`s is an error.

    `mc.div`, `mc.relu`, `mc.clip` and `mc.cast` on unsigned integer tensors
    are refused with an error, as is any other mc op that cannot be lowered.

    Before:
    ```mlir
    %y = mc.relu %x : tensor<?x16xf32>
    ```
    After:
    ```mlir
    %c0 = arith.constant 0 : index
    %n = tensor.dim %x, %c0 : tensor<?x16xf32>
    %e = tensor.empty(%n) : tensor<?x16xf32>
    %y = linalg.generic {...} ins(%x : tensor<?x16xf32>) outs(%e : tensor<?x16xf32>) {
    ^bb0(%in: f32, %out: f32):
      %zero = arith.constant 0.0 : f32
      %m = arith.maximumf %in, %zero : f32
      linalg.yield %m : f32
    } -> tensor<?x16xf32>
    ```
  }];
  let dependentDialects = [
    "::mlir::arith::ArithDialect",
    "::mlir::linalg::LinalgDialect",
    "::mlir::math::MathDialect",
    "::mlir::tensor::TensorDialect",
  ];
}

#endif // MC_CONVERSION_PASSES_TD
