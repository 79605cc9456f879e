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
    `tensor.empty` ops. Ops on quantized tensors (and the quantization ops
    themselves) are left alone for the fixed-point lowering; any other mc op
    that cannot be lowered (e.g. on `ui8` tensors) is an error.

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
