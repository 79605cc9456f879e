//===- Passes.td - Passes on the mc dialect ----------------*- tablegen -*-===//
//
// Part of the mc project: an MLIR compiler for compressed neural networks.
//
//===----------------------------------------------------------------------===//
//
// Every pass that rewrites mc ops in place. Grouped under banners,
// alphabetical within a group.
//
//===----------------------------------------------------------------------===//

#ifndef MC_DIALECT_MC_TRANSFORMS_PASSES_TD
#define MC_DIALECT_MC_TRANSFORMS_PASSES_TD

include "mlir/Pass/PassBase.td"

//===----------------------------------------------------------------------===//
// Graph clean-up
//===----------------------------------------------------------------------===//

def MCFoldBatchNormPass : Pass<"mc-fold-batch-norm", "func::FuncOp"> {
  let summary = "Fold inference-mode batch normalization into the layer before it";
  let description = [{
    An `mc.batch_norm` whose input is produced by an `mc.conv2d` (or an
    `mc.linear` on a 2-D input) with constant weight, constant bias (or none)
    and no other user is folded into that layer:

    ```
    k[c]  = scale[c] / sqrt(var[c] + epsilon)
    W'[c] = W[c] * k[c]                  (every weight of output channel c)
    b'[c] = (b[c] - mean[c]) * k[c] + bias[c]
    ```

    The new weight and bias are fresh constants: `dense_resource` blobs named
    after the layer's location (`conv1.weight`), or plain `dense` literals
    when they have at most 16 elements. The old ones are erased when no
    longer used. Batch norms that cannot be folded (non-constant parameters,
    a shared producer, a non-f32 layer) are left alone.

    Before:
    ```mlir
    %c = mc.conv2d %x, %w : (tensor<?x1x8x8xf32>, tensor<4x1x3x3xf32>) -> tensor<?x4x6x6xf32>
    %y = mc.batch_norm %c, %g, %b, %m, %v
        : tensor<?x4x6x6xf32>, tensor<4xf32>, tensor<4xf32>, tensor<4xf32>, tensor<4xf32>
    ```
    After:
    ```mlir
    %y = mc.conv2d %x, %w2, %b2
        : (tensor<?x1x8x8xf32>, tensor<4x1x3x3xf32>, tensor<4xf32>) -> tensor<?x4x6x6xf32>
    ```
  }];
  let dependentDialects = ["::mlir::mc::MCDialect"];
  let statistics = [
    Statistic<"numFolded", "folded", "Number of batch norms folded">
  ];
}

#endif // MC_DIALECT_MC_TRANSFORMS_PASSES_TD
